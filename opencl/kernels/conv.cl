/* 3x3 convolution, stride 1, reflection padding 1, as im2col + GEMM.
 * Tensors are CHW float32. */

/* Unfolds rows [y0, y0 + rows) of the input into col[(c * 9 + ky * 3 + kx) * N + p],
 * N = rows * W, p = r * W + x: the layout that makes the OIHW weights the left
 * factor of the product.  Global size: (N, C). */
__kernel void im2col_reflect3x3 (__global const float *in, int C, int H, int W,
                                 int y0, int rows, __global float *col)
{
  const int p = get_global_id (0);
  const int c = get_global_id (1);
  const int N = rows * W;
  if (p >= N || c >= C)
    return;
  const int r = p / W;
  const int x = p - r * W;
  const int y = y0 + r;
  __global const float *src = in + (size_t) c * H * W;
  __global float *dst = col + (size_t) c * 9 * N + p;
  for (int ky = 0; ky < 3; ky++)
    {
      const int yy = reflect_index (y + ky - 1, H) * W;
      for (int kx = 0; kx < 3; kx++)
        dst[(size_t) (ky * 3 + kx) * N] = src[yy + reflect_index (x + kx - 1, W)];
    }
}

/* x[c, i] += bias[c], then ReLU when relu != 0.  Global size: (HW, C). */
__kernel void bias_activation (__global float *x, __global const float *bias, int HW, int relu)
{
  const int i = get_global_id (0);
  const int c = get_global_id (1);
  if (i >= HW)
    return;
  const size_t at = (size_t) c * HW + i;
  const float v = x[at] + bias[c];
  x[at] = relu ? fmax (v, 0.0f) : v;
}
