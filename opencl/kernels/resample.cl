/* 2x2 max-pooling with stride 2 (odd sizes floor) and 2x nearest upsampling, CHW. */

/* Global size: (Wo, Ho, C) with Ho = H / 2, Wo = W / 2. */
__kernel void maxpool2x2 (__global const float *in, int H, int W, __global float *out)
{
  const int x = get_global_id (0), y = get_global_id (1), c = get_global_id (2);
  const int Ho = H / 2, Wo = W / 2;
  if (x >= Wo || y >= Ho)
    return;
  __global const float *s = in + (size_t) c * H * W + (size_t) (2 * y) * W + 2 * x;
  out[(size_t) c * Ho * Wo + (size_t) y * Wo + x] = fmax (fmax (s[0], s[1]), fmax (s[W], s[W + 1]));
}

/* Global size: (2W, 2H, C). */
__kernel void upsample_nearest2x (__global const float *in, int H, int W, __global float *out)
{
  const int x = get_global_id (0), y = get_global_id (1), c = get_global_id (2);
  if (x >= 2 * W || y >= 2 * H)
    return;
  out[(size_t) c * 4 * H * W + (size_t) y * 2 * W + x] = in[(size_t) c * H * W + (size_t) (y / 2) * W + x / 2];
}
