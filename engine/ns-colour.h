/* Colour preservation, on host images (RGB, values nominally in [0, 1]):
 * - luminance only (Gatys et al. 2016b): style transfer on grey images, then
 *   the result's luminance with the content's chroma (YCbCr, BT.601);
 * - colour matching (CORAL, as in the AdaIN authors' code): the style image
 *   given the content's mean and covariance in RGB before the transfer. */
#pragma once

#include "ns-image.h"

G_BEGIN_DECLS

/* BT.601 luma of an RGB pixel. */
static inline float
ns_colour_luma (const float *rgb)
{
  return 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
}

/* An RGB image whose three channels all hold the input's luma. */
NsImage *ns_colour_grey_rgb (const NsImage *image);

/* RGB with the luma of `luma_from` and the chroma (Cb, Cr) of `chroma_from`;
 * both RGB, the same size. */
NsImage *ns_colour_combine_luma_chroma (const NsImage *luma_from, const NsImage *chroma_from);

/* `style` with its pixels moved by an affine map so that their mean and
 * covariance in RGB are those of `reference` (x' = A (x - mu_s) + mu_r with
 * A = Cov_r^1/2 Cov_s^-1/2, both symmetric square roots). */
NsImage *ns_colour_match (const NsImage *style, const NsImage *reference);

/* Mean (3) and covariance (3 x 3, row-major, population) of an RGB image. */
void ns_colour_statistics (const NsImage *image, double mean[3], double covariance[9]);

G_END_DECLS
