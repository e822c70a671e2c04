/* Backward passes (gradients with respect to the input only) of the 3x3
 * reflection-padded convolution, ReLU and 2x2 max-pooling, CHW.  Every kernel
 * is a gather: each work item owns one output value, so no atomics. */

/* Folds a column-gradient strip back onto the input, for output rows
 * [y0, y0 + rows): dcol[(c * 9 + ky * 3 + kx) * N + p], N = rows * W,
 * p = (yo - y0) * W + xo, is the gradient of the input value the forward
 * im2col read at padded position (yo + ky - 1, xo + kx - 1).  A padded
 * position's gradient goes to the pixel it mirrors.  Adds into dx for input
 * rows [r0, r0 + n_rows), the rows the strip can reach.
 * Global size: (n_rows * W, C). */
__kernel void col2im_reflect3x3 (__global const float *dcol, int C, int H, int W,
                                 int y0, int rows, int r0, int n_rows, __global float *dx)
{
  const int q = get_global_id (0);
  const int c = get_global_id (1);
  if (q >= n_rows * W || c >= C)
    return;
  const int y = r0 + q / W;
  const int x = q - (q / W) * W;
  const int N = rows * W;
  /* The padded coordinates (in [-1, n]) that read y (resp. x): itself, its
   * mirror below 0 (at 1), its mirror above n - 1 (at n - 2). */
  int py[3], px[3], ny = 0, nx = 0;
  py[ny++] = y;
  if (y == 1)
    py[ny++] = -1;     /* reflect (-1) = 1 */
  if (y == H - 2)
    py[ny++] = H;      /* reflect (H) = H - 2 */
  px[nx++] = x;
  if (x == 1)
    px[nx++] = -1;
  if (x == W - 2)
    px[nx++] = W;
  __global const float *src = dcol + (size_t) c * 9 * N;
  float s = 0.0f;
  for (int i = 0; i < ny; i++)
    for (int ky = 0; ky < 3; ky++)
      {
        const int yo = py[i] - ky + 1;
        if (yo < y0 || yo >= y0 + rows)
          continue;
        for (int j = 0; j < nx; j++)
          for (int kx = 0; kx < 3; kx++)
            {
              const int xo = px[j] - kx + 1;
              if (xo < 0 || xo >= W)
                continue;
              s += src[(size_t) (ky * 3 + kx) * N + (size_t) (yo - y0) * W + xo];
            }
      }
  dx[(size_t) c * H * W + (size_t) y * W + x] += s;
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
