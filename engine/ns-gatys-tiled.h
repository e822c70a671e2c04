/* The Gatys objective of an image too large for the device's memory budget,
 * evaluated tile by tile, exactly.
 *
 * Each tile is a square of the image (its own area; corners on a grid of 16
 * pixels, so every pooling grid is the whole image's) with NS_GATYS_TILE_HALO
 * pixels of its neighbours around it, more than the 85-pixel reach of
 * relu5_1: the features of a tile's own area are the whole image's.  The
 * style terms need the whole image's Gram matrices, so an evaluation takes
 * two passes: the first sums each tile's own-area Gram products into them;
 * the second runs each tile forward and backward with the loss terms of its
 * own area only (the gradient at the Gram layers, (G - A) F, restricted to
 * it) and adds the tile's pixel gradient, margins included, into the whole
 * image's.  Every feature position belongs to exactly one tile, so value and
 * gradient equal the untiled objective's up to float rounding, whatever the
 * tile size; running out of memory can retry with smaller tiles mid-run.
 * The image, its gradient and the content target live in host memory. */
#pragma once

#include "ns-gatys-objective.h"
#include "ns-vec.h"

G_BEGIN_DECLS

#define NS_GATYS_TILE_HALO 96
#define NS_GATYS_TILE_ALIGN 16
#define NS_GATYS_MIN_TILE 32

typedef struct _NsGatysTiled NsGatysTiled;

/* For images of `content`'s size (RGB), tiles of `tile` pixels a side (their
 * own area; rounded down to a multiple of NS_GATYS_TILE_ALIGN, at least
 * NS_GATYS_MIN_TILE).  Computes the content target tile by tile.  `inside`
 * and `outside` as for ns_gatys_objective_evaluate_targets(), with `mask`
 * (NULL, or the content's size) on the host; all must outlive the result. */
NsGatysTiled *ns_gatys_tiled_new (NsGatysObjective *obj, NsVecOps *vec, const NsImage *content,
                                  const NsGatysTarget *inside, const NsGatysTarget *outside, const NsImage *mask,
                                  int tile, GError **error);
void ns_gatys_tiled_free (NsGatysTiled *tiled);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsGatysTiled, ns_gatys_tiled_free)

int ns_gatys_tiled_get_tile (NsGatysTiled *tiled);
guint ns_gatys_tiled_n_tiles (NsGatysTiled *tiled);
/* Re-cuts the image into tiles of this size (for a retry with less memory). */
void ns_gatys_tiled_set_tile (NsGatysTiled *tiled, int tile);

/* The losses at x (3 x H x W floats, host) and dL/dx into grad (the same,
 * may be NULL), as ns_gatys_objective_evaluate_targets() computes them. */
gboolean ns_gatys_tiled_evaluate (NsGatysTiled *tiled, const float *x, float *grad, double content_weight,
                                  double style_weight, double tv_weight, NsGatysLosses *losses, GError **error);

/* Device memory one evaluation of an image (or tile) of this size holds,
 * roughly, above what the objective and its targets hold. */
gsize ns_gatys_evaluation_memory_estimate (NsGatysObjective *obj, int width, int height);
/* The largest tile whose evaluation fits in `available` bytes, or 0 when none does. */
int ns_gatys_tile_for_memory (NsGatysObjective *obj, gsize available);

/* Total variation of a CHW image on the host, as ns_op_tv_grad() computes it:
 * returns it and adds coef * its gradient to grad (may be NULL). */
double ns_gatys_host_tv (const float *x, int channels, int height, int width, float coef, float *grad);

G_END_DECLS
