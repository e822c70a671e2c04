/* L8, the lattice energy of an image: how much of its luminance lies on an
 * 8-pixel grid, the motif a decoder with three 2x upsamplings can stamp on
 * every relu4_1 cell (issue 21).
 *
 * Definition: Y = 0.299 R + 0.587 G + 0.114 B (Rec. 601 luma, the image's
 * values, nominally [0, 1]), cropped from the top-left to H x W, the largest
 * multiples of 8, its mean removed; P(u, v) = |DFT(Y)(u, v)|^2 the 2-D DFT
 * power.  L8 = the power on the 63 harmonics of an 8-pixel lattice, the bins
 * with u a multiple of H/8 and v a multiple of W/8 but (0, 0), over the power
 * of every bin but (0, 0).  1 for a pure 8-periodic pattern, about
 * 63 / (H W - 1) for white noise, 0 for a flat image (no power at all).
 * Host only: no device. */
#pragma once

#include "ns-image.h"

G_BEGIN_DECLS

/* The lattice's period in pixels. */
#define NS_LATTICE_PERIOD 8

/* L8 of `image` (1, 3 or 4 channels; alpha is ignored).  FALSE, with an
 * error, when a side is shorter than the period. */
gboolean ns_lattice_energy (const NsImage *image, double *l8, GError **error);

/* The ratio of a result's L8 to its content's: how many times more of the
 * result's luminance lies on the lattice.  +inf when the content has none
 * and the result some; 1 when neither has any. */
double ns_lattice_ratio (double result_l8, double content_l8);

G_END_DECLS
