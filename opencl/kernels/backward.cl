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

/* One padded row's share of dx[c, y, x]: its columns x, -1 (x = 1) and n
 * (x = W - 2); row points at the padded row's column 0 + 2. */
float fold_row (__global const float *row, int x, int W)
{
  return row[x] + (x == 1 ? row[-1] : 0.0f) + (x == W - 2 ? row[W] : 0.0f);
}

/* dx[c, y, x] = sum of full[c, P + 2, Q + 2] over the padded coordinates
 * P (resp. Q, in [-1, n]) that the forward read from y (resp. x): itself,
 * -1 when y = 1 (reflect (-1) = 1), n when y = n - 2 (reflect (n) = n - 2).
 * full is C x (H + 4) x (W + 4).  Global size: (W, H, C). */
__kernel void fold_reflect1 (__global const float *full, int H, int W, __global float *dx)
{
  /* Selects, not loops over a variable number of places: the compiler keeps
   * neighbouring items in one vector (a loop of 1-3 trips per item ran
   * at a fraction of the memory's rate). */
  const int x = get_global_id (0), y = get_global_id (1), c = get_global_id (2);
  if (x >= W || y >= H)
    return;
  const int Wp = W + 4;
  __global const float *src = full + (size_t) c * (H + 4) * Wp + 2;
  float s = fold_row (src + (size_t) (y + 2) * Wp, x, W);
  if (y == 1)
    s += fold_row (src + (size_t) 1 * Wp, x, W);
  if (y == H - 2)
    s += fold_row (src + (size_t) (H + 2) * Wp, x, W);
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
 * Global size: ((W + 1) / 2, (H + 1) / 2, C). */
__kernel void maxpool2x2_backward (__global const float *x, int H, int W, __global const float *dy,
                                   __global float *dx)
{
  /* One item per 2x2 window: its four inputs read once, its four gradients
   * written together (one item per input pixel read each window four times
   * and ran at a fraction of the memory's rate).  The odd last row or column
   * of x belongs to no window: its gradient is zero. */
  const int ox = get_global_id (0), oy = get_global_id (1), c = get_global_id (2);
  const int Ho = H / 2, Wo = W / 2, xx = 2 * ox, yy = 2 * oy;
  if (xx >= W || yy >= H)
    return;
  __global float *d = dx + (size_t) c * H * W + (size_t) yy * W + xx;
  if (ox >= Wo || oy >= Ho)
    {
      d[0] = 0.0f;
      if (xx + 1 < W)
        d[1] = 0.0f;
      if (yy + 1 < H)
        {
          d[W] = 0.0f;
          if (xx + 1 < W)
            d[W + 1] = 0.0f;
        }
      return;
    }
  __global const float *s = x + (size_t) c * H * W + (size_t) yy * W + xx;
  const float v0 = s[0], v1 = s[1], v2 = s[W], v3 = s[W + 1];
  /* The first largest in the order v0, v1, v2, v3, as the forward pass. */
  int best = 0;
  float m = v0;
  if (v1 > m)
    best = 1, m = v1;
  if (v2 > m)
    best = 2, m = v2;
  if (v3 > m)
    best = 3;
  const float g = dy[(size_t) c * Ho * Wo + (size_t) oy * Wo + ox];
  d[0] = best == 0 ? g : 0.0f;
  d[1] = best == 1 ? g : 0.0f;
  d[W] = best == 2 ? g : 0.0f;
  d[W + 1] = best == 3 ? g : 0.0f;
}
