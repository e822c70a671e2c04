/* Gatys, Ecker & Bethge 2016: style transfer by optimising the pixels so that
 * their VGG-19 features match the content image's relu4_2 and the style
 * image's Gram matrices on relu1_1 .. relu5_1.  The objective is
 *
 *   L = content_weight * Lc + style_weight * Ls + tv_weight * Ltv
 *   Lc  = 1/2 sum (F_relu4_2(x) - F_relu4_2(content))^2
 *   Ls  = sum over the five layers of 1/5 * sum (G(x) - G(style))^2 / (4 N^2),
 *         G = F F^T / M (N channels, M = H * W positions, each image its own M)
 *   Ltv = sum of the squared differences between neighbouring pixels
 *
 * for images as RGB in [0, 1].  Host-neutral: the caller owns every image. */
#pragma once

#include "neural-style.h"

G_BEGIN_DECLS

/* relu5_1 lies four poolings down and each convolution needs 2 pixels. */
#define NS_GATYS_MIN_IMAGE_SIDE 32
/* The most iterations a run takes (over all its scales), and the most
 * scales that can matter: 16384 pixels halved 9 times is 32. */
#define NS_GATYS_MAX_ITERATIONS 10000
#define NS_GATYS_MAX_SCALES 10

typedef struct _NsGatys NsGatys;

/* Opens OpenCL device `device_index` (< 0: as ns_engine_new() chooses),
 * builds the kernels and loads VGG-19 to conv5_1. */
NsGatys *ns_gatys_new (int device_index, GError **error);
/* The same with the engine's options (the kernels' progress on first use, the caches). */
NsGatys *ns_gatys_new_with_options (const NsEngineOptions *options, GError **error);
void ns_gatys_free (NsGatys *gatys);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsGatys, ns_gatys_free)
/* As ns_engine_get_device_note(). */
const char *ns_gatys_get_device_note (NsGatys *gatys);

const NsClDeviceInfo *ns_gatys_get_device (NsGatys *gatys);
gsize ns_gatys_get_peak_memory (NsGatys *gatys);
/* TRUE when the network's kernels came from the on-disk binary cache. */
gboolean ns_gatys_kernels_were_cached (NsGatys *gatys);

/* A style's targets (its five Gram matrices), computed once and reusable by
 * any number of runs of the NsGatys that made them, which must outlive them. */
typedef struct _NsGatysStyle NsGatysStyle;

NsGatysStyle *ns_gatys_style_new (NsGatys *gatys, const NsImage *style, GCancellable *cancellable,
                                  GError **error);
void ns_gatys_style_free (NsGatysStyle *style);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsGatysStyle, ns_gatys_style_free)

/* A blend: the style loss sum_i w_i Ls(G_i) / sum_i w_i, computed as one
 * target, the weighted mean of the Gram matrices, plus the constant that
 * makes the loss exactly that sum.  Weights >= 0, not all 0; the styles (of
 * this NsGatys) may be freed afterwards. */
NsGatysStyle *ns_gatys_style_new_blend (NsGatys *gatys, const NsGatysStyle *const *styles, const double *weights,
                                        guint n, GError **error);

typedef struct {
  double content;   /* Lc */
  double style;     /* Ls */
  double tv;        /* Ltv */
  double total;     /* L */
} NsGatysLosses;

/* The objective at x (RGB, the content's size) and, when gradient is not
 * NULL, dL/dx as a new RGB image of x's size.  No resizing. */
gboolean ns_gatys_objective (NsGatys *gatys, const NsImage *x, const NsImage *content, const NsGatysStyle *style,
                             double content_weight, double style_weight, double tv_weight,
                             NsGatysLosses *losses, NsImage **gradient, GError **error);

/* The same with spatial control: with `mask` (x's size, first channel in
 * [0, 1]; NULL: ns_gatys_objective()) each style layer's term is that of
 * `style` against the Gram matrix of F m / sum m plus that of `outside`
 * against F (1 - m), each weighted by its share of the layer's positions, so
 * a mask of ones gives ns_gatys_objective()'s value (Gatys et al. 2017). */
gboolean ns_gatys_objective_masked (NsGatys *gatys, const NsImage *x, const NsImage *content,
                                    const NsGatysStyle *style, const NsGatysStyle *outside, const NsImage *mask,
                                    double content_weight, double style_weight, double tv_weight,
                                    NsGatysLosses *losses, NsImage **gradient, GError **error);

typedef enum {
  NS_GATYS_INIT_CONTENT,   /* start from the content image */
  NS_GATYS_INIT_NOISE,     /* from uniform noise in [0, 1), repeatable for a seed */
  NS_GATYS_INIT_IMAGE,     /* from init_image, resized to the content's size */
} NsGatysInit;

typedef enum {
  NS_GATYS_OPTIMIZER_LBFGS,
  NS_GATYS_OPTIMIZER_ADAM,
} NsGatysOptimizer;

typedef struct {
  int iterations;
  double content_weight;
  double style_weight;
  double tv_weight;
  NsGatysInit init;
  const NsImage *init_image;   /* for NS_GATYS_INIT_IMAGE; not owned */
  guint32 seed;
  NsGatysOptimizer optimizer;
  double learning_rate;        /* Adam's step, in units of the [0, 1] pixel range */
  int preview_every;           /* > 0: a preview image every that many iterations */
  int scales;                  /* coarse to fine: 1 = the content's size only; 0 = automatic,
                                * halving until the longer side is at most 512 */
  /* A scale too large for memory_budget runs in tiles (exactly: see
   * ns-gatys-tiled.h), the image and the optimiser's vectors in host memory.
   * tile_size: the side of a tile's own area in pixels (a multiple of 16,
   * at least 32), for every scale larger than it; 0 chooses one when needed.
   * memory_budget: the most device memory a run may hold, in bytes; 0: half
   * the device's memory.  Running out of device memory anyway retries with
   * smaller tiles. */
  int tile_size;
  gsize memory_budget;
} NsGatysOptions;

/* The defaults (see ns-gatys.c): 300 iterations of L-BFGS from the content,
 * content weight 1, style weight 3e3, no total variation, coarse to fine
 * only above 512 pixels. */
void ns_gatys_options_init (NsGatysOptions *options);

/* Called after each iteration (1, 2, ...) with the losses at the current
 * image, and every preview_every iterations with that image (else NULL; the
 * callee may copy it, not keep it; during the coarse scales of a
 * coarse-to-fine run it is that scale's smaller image). */
typedef void (*NsGatysProgress) (int iteration, const NsGatysLosses *losses, const NsImage *preview,
                                 gpointer user_data);

/* How many iterations (progress callbacks) a run of `options` on a content
 * of this size makes over all its scales: options->iterations, the total
 * that ns_gatys_run() shares among the scales (at most G_MAXINT; 0 for a
 * negative count). */
int ns_gatys_total_iterations (const NsGatysOptions *options, int width, int height);
/* The part (0 .. 1) of such a run's work done after `iteration` of those
 * iterations: each counts the pixels of its scale, so the finest scale, with
 * the fewest iterations, is about half the work. */
double ns_gatys_work_fraction (const NsGatysOptions *options, int width, int height, int iteration);
/* Which scale iteration `iteration` (1 .. the total) of such a run belongs
 * to: *scale from 1, the coarsest, to *n_running, the content's size,
 * counting only the scales that get iterations (both at least 1). */
void ns_gatys_locate_iteration (const NsGatysOptions *options, int width, int height, int iteration, int *scale,
                                int *n_running);

/* Optimises an image of the content's size, coarse to fine over `scales`
 * sizes (each twice the one before, the last the content's).  `iterations`
 * is the total over all the scales: each finer scale gets half as many as
 * the one before, at least one each while there are enough (2 scales and
 * 300 iterations: 200 at half the size, then 100).  A scale with 1/k of the
 * pixels weighs its content term k times, so the balance holds.  Returns the
 * image with the lowest objective seen (of the last scale), RGB, not
 * clamped.  When `cancellable` is cancelled the run stops within one layer's
 * work of the network (the forward and backward passes check it between
 * layers, and so between the line search's evaluations) and still returns
 * the best image so far (check the cancellable to tell). */
NsImage *ns_gatys_run (NsGatys *gatys, const NsImage *content, const NsGatysStyle *style,
                       const NsGatysOptions *options, NsGatysProgress progress, gpointer user_data,
                       GCancellable *cancellable, GError **error);

/* Everything a user-level Gatys run takes, as NsAdainOptions does for AdaIN:
 * the optimisation, the style scale, colour preservation (luminance: the
 * optimisation runs on grey content and styles and the result's luma is
 * recombined with the content's chroma; match: each style recoloured to the
 * content's mean and covariance first), a blend of weighted styles (the
 * weighted sum of their style losses; weights normalised), and spatial
 * control (with a content-sized mask, first channel in [0, 1], `styles`
 * apply where it is 1 and `outside_styles` where it is 0, through masked
 * Gram matrices).  Set with ns_gatys_transfer_options_init(). */
typedef struct {
  NsGatysOptions optim;
  int style_size;                      /* shorter side of each style, 0: as given; default 512 */
  NsColourPreservation colour;         /* default NS_COLOUR_NONE */
  const NsWeightedStyle *styles;       /* at least one */
  guint n_styles;
  const NsImage *mask;                 /* NULL: no spatial control */
  const NsWeightedStyle *outside_styles;
  guint n_outside_styles;
} NsGatysTransferOptions;

void ns_gatys_transfer_options_init (NsGatysTransferOptions *options);
/* The style controls of AdaIN options (style size, colour, styles, mask and
 * outside styles) copied into these, so a caller fills them once for both methods. */
void ns_gatys_transfer_options_set_controls (NsGatysTransferOptions *options, const NsAdainOptions *adain);

/* Style targets from `options` for `content`, then ns_gatys_run(); the
 * progress previews and the result are RGB in the content's colours as the
 * options ask (luminance mode recombined).  Any content of at least
 * NS_GATYS_MIN_IMAGE_SIDE pixels a side, grey, RGB or RGBA; the result is RGB
 * of the content's size, not clamped.  Cancelled: the best image so far. */
NsImage *ns_gatys_transfer (NsGatys *gatys, const NsImage *content, const NsGatysTransferOptions *options,
                            NsGatysProgress progress, gpointer user_data, GCancellable *cancellable,
                            GError **error);

G_END_DECLS
