/* What the untiled and the tiled AdaIN runs share. */
#pragma once

#include "ns-engine-private.h"

G_BEGIN_DECLS

/* Validates everything of the options that does not need the device. */
gboolean ns_adain_check_options (const NsImage *content, const NsAdainOptions *options, GError **error);
/* The mirror padding that brings the content to a multiple of 8. */
void ns_adain_padding (const NsImage *content, int *left, int *top, int *right, int *bottom);
/* The statistics of a style blend (resized, recoloured as the options say);
 * content_rgb is the colour reference of NS_COLOUR_MATCH. */
gboolean ns_adain_blend_stats (NsEngine *engine, const NsWeightedStyle *styles, guint n, const NsImage *content_rgb,
                               const NsAdainOptions *options, NsFeatureStats *out, GCancellable *cancellable,
                               GError **error);
/* A grey mask (sides multiples of 8) averaged over 8 x 8 blocks, on the device. */
NsClBuffer *ns_adain_mask_buffer (NsEngine *engine, const NsImage *grey, GError **error);

/* How far each tile reaches into its neighbours. */
#define NS_TILE_MARGIN 64

/* Everything of an untiled run but alpha (ns_adain_prepared_new_with_options);
 * pad: FALSE gives the network's own (H / 8) * 8 x (W / 8) * 8 output. */
NsAdainPrepared *ns_adain_prepare (NsEngine *engine, const NsImage *content, const NsAdainOptions *options,
                                   gboolean pad, GCancellable *cancellable, GError **error);
/* How ns_engine_stylise_with_options() runs this content with these options:
 * *tile = 0 untiled, else the side of its tiles (before a retry for lack of
 * memory); *budget receives the memory budget.  FALSE with an error when no
 * tile fits the budget. */
gboolean ns_adain_plan (NsEngine *engine, const NsImage *content, const NsAdainOptions *options, int *tile,
                        gsize *budget, GError **error);

/* A rectangle of the content, in its own pixels. */
typedef struct {
  int x, y, width, height;
} NsAdainWindow;

/* A tiled run's lattice, statistics and first pass, from which any window of
 * the result is made: the whole run takes every tile, a preview of a window
 * the tiles that touch it, with the same arithmetic in the same order. */
typedef struct _NsAdainTiling NsAdainTiling;

/* Pass 1 (encoding every tile for the whole image's content statistics),
 * with tiles of `tile` pixels (rounded to a multiple of 8, at least 64);
 * up to keep_bytes of the features stay in host memory. */
NsAdainTiling *ns_adain_tiling_new (NsEngine *engine, const NsImage *content, const NsAdainOptions *options, int tile,
                                    gsize keep_bytes, GCancellable *cancellable, GError **error);
void ns_adain_tiling_free (NsAdainTiling *tiling);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsAdainTiling, ns_adain_tiling_free)
guint ns_adain_tiling_n_tiles (const NsAdainTiling *tiling);
/* The encoder's runs on tiles so far. */
guint ns_adain_tiling_encoded (const NsAdainTiling *tiling);
/* Whether tile i has any weight inside the window. */
gboolean ns_adain_tiling_touches (const NsAdainTiling *tiling, guint i, const NsAdainWindow *window);
/* Tile i's decoded result with this alpha (its extended area, RGB). */
NsImage *ns_adain_tiling_decode (NsAdainTiling *tiling, guint i, double alpha, GCancellable *cancellable,
                                 GError **error);
/* Drops tile i's kept features (a later decode encodes it again). */
void ns_adain_tiling_forget (NsAdainTiling *tiling, guint i);
/* Adds tile i's decoded result, weighted, into acc (RGB) and weight, arrays
 * of the window's size; call in the tiles' order. */
void ns_adain_tiling_add (const NsAdainTiling *tiling, guint i, const NsImage *decoded, const NsAdainWindow *window,
                          float *acc, float *weight);
/* The window of the result from its sums (luminance mode: with the content's chroma). */
NsImage *ns_adain_tiling_finish (const NsAdainTiling *tiling, const NsAdainWindow *window, const float *acc,
                                 const float *weight);

/* The whole run in overlapping tiles of `tile` pixels (a multiple of 8).
 * Up to keep_bytes of the first pass's features stay in host memory, so that
 * those tiles are not encoded again; *encoded (NULL: not wanted) is set to the
 * number of the encoder's runs on tiles. */
NsImage *ns_adain_tiled_run (NsEngine *engine, const NsImage *content, const NsAdainOptions *options, int tile,
                             gsize keep_bytes, guint *encoded, GCancellable *cancellable, GError **error);
/* Device memory an untiled run on an image of this size needs, roughly, above what the engine holds. */
gsize ns_adain_memory_estimate (NsEngine *engine, int width, int height);

G_END_DECLS
