#include "ns-lattice.h"

#include "neural-style.h"
#include "ns-i18n.h"
#include <math.h>

static double
luma_at (const NsImage *image, int x, int y)
{
  const float *p = ns_image_pixel (image, x, y);
  return image->channels < 3 ? p[0] : 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
}

/* Why no FFT is needed.  With y[m, n] the mean-free luma (0 <= m < H,
 * 0 <= n < W) and X its unnormalised DFT, the lattice bins are
 * u = a H/8, v = b W/8 (0 <= a, b < 8), where
 *
 *   X(a H/8, b W/8) = sum_{m,n} y[m,n] exp(-2 pi i (a m + b n) / 8)
 *                   = sum_{p,q < 8} S[p,q] exp(-2 pi i (a p + b q) / 8),
 *
 * the exponent depending on m and n only modulo 8, with S[p,q] the sum of
 * y over the pixels with m = p and n = q (mod 8).  The 64 lattice bins are
 * the 8x8 DFT of S, so by Parseval on that 8x8 DFT their power is
 * 64 sum S^2; bin (0, 0) holds sum y = 0 and adds nothing.  By Parseval on
 * the H x W DFT, the power of every bin is H W sum y^2, and again (0, 0)
 * adds nothing.  With S = (H W / 64) B, B the 8x8 periodic mean of y (the
 * average of the pixels at each position within the 8x8 blocks):
 *
 *   L8 = 64 sum S^2 / (H W sum y^2) = mean(B^2) / mean(y^2),
 *
 * the variance of the block-periodic pattern over the image's variance:
 * O(H W), where a direct sum over the 64 bins would be O(64 H W) and an FFT
 * a new dependency. */
gboolean
ns_lattice_energy (const NsImage *image, double *l8, GError **error)
{
  enum { P = NS_LATTICE_PERIOD };
  int w = image->width / P * P, h = image->height / P * P;
  if (w == 0 || h == 0)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL,
                   _("The lattice energy L8 needs an image of at least %d × %d pixels; this one is %d × %d."), P, P,
                   image->width, image->height);
      return FALSE;
    }
  /* Two passes (the mean, then the deviations) keep a faint lattice on a
   * bright image from cancelling away in the sums. */
  double n = (double) w * h, mean = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      mean += luma_at (image, x, y);
  mean /= n;
  double variance = 0, block[P][P] = { { 0 } };
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        double d = luma_at (image, x, y) - mean;
        variance += d * d;
        block[y % P][x % P] += d;
      }
  variance /= n;
  double per_cell = n / (P * P), pattern = 0;
  for (int p = 0; p < P; p++)
    for (int q = 0; q < P; q++)
      pattern += (block[p][q] / per_cell) * (block[p][q] / per_cell);
  pattern /= P * P;
  /* A flat image keeps a variance of rounding (1e-32); an 8-bit image with
   * one pixel off has over 1e-14.  No power is no lattice. */
  *l8 = variance > 1e-20 ? fmin (1.0, pattern / variance) : 0.0;
  return TRUE;
}

double
ns_lattice_ratio (double result_l8, double content_l8)
{
  if (content_l8 > 0)
    return result_l8 / content_l8;
  return result_l8 > 0 ? INFINITY : 1.0;
}
