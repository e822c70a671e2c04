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

/* The whole run in overlapping tiles of `tile` pixels (a multiple of 8).
 * Up to keep_bytes of the first pass's features stay in host memory, so that
 * those tiles are not encoded again; *encoded (NULL: not wanted) is set to the
 * number of the encoder's runs on tiles. */
NsImage *ns_adain_tiled_run (NsEngine *engine, const NsImage *content, const NsAdainOptions *options, int tile,
                             gsize keep_bytes, guint *encoded, GCancellable *cancellable, GError **error);
/* Device memory an untiled run on an image of this size needs, roughly, above what the engine holds. */
gsize ns_adain_memory_estimate (NsEngine *engine, int width, int height);

G_END_DECLS
