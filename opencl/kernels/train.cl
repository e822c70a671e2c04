/* The decoder's training (engine/ns-ops-train.c): the backward passes the
 * Gatys objective never needed (biases, nearest upsampling) and the
 * gradient of a term in per-channel means and deviations.  CHW.  The
 * weights' gradient is im2col_reflect3x3 (conv.cl) and a GEMM. */

/* out[c] += the sum of x[c, 0..HW): a bias's gradient, accumulated over a
 * batch.  One work group per channel, a tree sum in local memory; local
 * size a power of two.  Global size: (local * C). */
__kernel void channel_sum_accumulate (__global const float *x, int HW, __global float *out,
                                      __local float *scratch)
{
  const int c = get_group_id (0);
  const int lid = get_local_id (0);
  const int n = get_local_size (0);
  __global const float *p = x + (size_t) c * HW;
  float s = 0.0f;
  for (int i = lid; i < HW; i += n)
    s += p[i];
  s = work_group_tree_sum (scratch, s);
  if (lid == 0)
    out[c] += s;
}

/* dx (C x H x W) of 2x nearest upsampling from dy (C x 2H x 2W): each input
 * pixel was copied to a 2x2 block, so its gradient is the block's sum.
 * Global size: (W, H, C). */
__kernel void upsample2x_backward (__global const float *dy, int H, int W, __global float *dx)
{
  const int x = get_global_id (0), y = get_global_id (1), c = get_global_id (2);
  if (x >= W || y >= H)
    return;
  __global const float *s = dy + (size_t) c * 4 * H * W + (size_t) (2 * y) * (2 * W) + 2 * x;
  dx[((size_t) c * H + y) * W + x] = s[0] + s[1] + s[2 * W] + s[2 * W + 1];
}

/* g[c, i] += a[c] + b[c] * (f[c, i] - mean[c]): the gradient of a term in
 * f's channel means (a) and deviations (b, through dsigma/df = (f - mean) /
 * (HW sigma)).  Global size: (HW, C). */
__kernel void channel_affine_accumulate (__global const float *f, int HW, __global const float *mean,
                                         __global const float *a, __global const float *b, __global float *g)
{
  const int i = get_global_id (0), c = get_global_id (1);
  if (i >= HW)
    return;
  const size_t at = (size_t) c * HW + i;
  g[at] += a[c] + b[c] * (f[at] - mean[c]);
}
