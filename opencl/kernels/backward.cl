/* Backward passes (gradients with respect to the input only) of the 3x3
 * reflection-padded convolution, ReLU and 2x2 max-pooling, CHW.  Every kernel
 * is a gather: each work item owns one output value, so no atomics. */

/* The backward pass of the 3x3 reflection-padded convolution runs as a
 * forward convolution with the transposed, flipped kernel over dy padded
 * with 2 rows and columns of zeros, whose interior is the gradient with
 * respect to the padded input; fold_reflect1 then sends each padded
 * position's gradient to the pixel it mirrors. */

/* out (C x (H + 4) x (W + 4)) = in (C x H x W) with a border of 2 zeros.
 * Global size: (W + 4, H + 4, C). */
__kernel void pad_zero2 (__global const float *in, int H, int W, __global float *out)
{
  const int x = get_global_id (0), y = get_global_id (1), c = get_global_id (2);
  const int Hp = H + 4, Wp = W + 4;
  if (x >= Wp || y >= Hp)
    return;
  const int sx = x - 2, sy = y - 2;
  out[((size_t) c * Hp + y) * Wp + x] =
    sx >= 0 && sx < W && sy >= 0 && sy < H ? in[((size_t) c * H + sy) * W + sx] : 0.0f;
}

/* dx[c, y, x] = sum of full[c, P + 2, Q + 2] over the padded coordinates
 * P (resp. Q, in [-1, n]) that the forward read from y (resp. x): itself,
 * -1 when y = 1 (reflect (-1) = 1), n when y = n - 2 (reflect (n) = n - 2).
 * full is C x (H + 4) x (W + 4).  Global size: (W, H, C). */
__kernel void fold_reflect1 (__global const float *full, int H, int W, __global float *dx)
{
  const int x = get_global_id (0), y = get_global_id (1), c = get_global_id (2);
  if (x >= W || y >= H)
    return;
  int py[3], px[3], ny = 0, nx = 0;
  py[ny++] = y;
  if (y == 1)
    py[ny++] = -1;
  if (y == H - 2)
    py[ny++] = H;
  px[nx++] = x;
  if (x == 1)
    px[nx++] = -1;
  if (x == W - 2)
    px[nx++] = W;
  const int Wp = W + 4;
  __global const float *src = full + (size_t) c * (H + 4) * Wp;
  float s = 0.0f;
  for (int i = 0; i < ny; i++)
    for (int j = 0; j < nx; j++)
      s += src[(size_t) (py[i] + 2) * Wp + px[j] + 2];
  dx[((size_t) c * H + y) * W + x] = s;
}

/* dy[i] = y[i] > 0 ? dy[i] : 0, where y is the ReLU's output.  Global size: (n). */
__kernel void relu_backward (__global float *dy, __global const float *y, int n)
{
  const int i = get_global_id (0);
  if (i < n && !(y[i] > 0.0f))
    dy[i] = 0.0f;
}

/* The gradient of 2x2 max-pooling (stride 2, odd sizes floor) with respect to
 * its input x: each pooled value's gradient goes to the first maximum of its
 * window in the order (0,0), (0,1), (1,0), (1,1); the floored edge gets 0.
 * Global size: (W, H, C). */
__kernel void maxpool2x2_backward (__global const float *x, int H, int W, __global const float *dy,
                                   __global float *dx)
{
  const int xx = get_global_id (0), yy = get_global_id (1), c = get_global_id (2);
  if (xx >= W || yy >= H)
    return;
  const int Ho = H / 2, Wo = W / 2;
  const int ox = xx / 2, oy = yy / 2;
  float g = 0.0f;
  if (ox < Wo && oy < Ho)
    {
      __global const float *s = x + (size_t) c * H * W + (size_t) (2 * oy) * W + 2 * ox;
      const float v[4] = { s[0], s[1], s[W], s[W + 1] };
      int best = 0;
      for (int k = 1; k < 4; k++)
        if (v[k] > v[best])
          best = k;
      if (best == (yy - 2 * oy) * 2 + (xx - 2 * ox))
        g = dy[(size_t) c * Ho * Wo + (size_t) oy * Wo + ox];
    }
  dx[(size_t) c * H * W + (size_t) yy * W + xx] = g;
}
