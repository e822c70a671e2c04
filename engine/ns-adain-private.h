/* What the AdaIN files share, layered as Gatys's are: ns-adain-features.c
 * (the object, features, statistics, checks) below ns-adain-tiled.c (the
 * tiled run) below ns-adain.c (the untiled run and the choice between them).
 * Not installed, not API. */
#pragma once

#include "ns-engine-private.h"
#include "ns-runtime-private.h"

G_BEGIN_DECLS

struct _NsAdain {
  NsRuntime *runtime;
  /* The runtime's, borrowed. */
  NsClContext *ctx;
  NsOps *ops;
  NsNetwork *vgg;         /* the encoder: its first encoder_steps steps, to relu4_1 */
  guint encoder_steps;
  NsNetwork *decoder;
};

gboolean ns_adain_check_alpha (double alpha, GError **error);
/* relu4_1 features of an image (grey and RGBA are made RGB). */
NsTensor *ns_adain_encode (NsAdain *adain, const NsImage *image, GCancellable *cancellable, GError **error);

/* Per-channel mean and variance of features, on the device. */
typedef struct {
  NsClBuffer *mean;
  NsClBuffer *var;
} NsFeatureStats;

void ns_feature_stats_clear (NsFeatureStats *stats);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NsFeatureStats, ns_feature_stats_clear)
gboolean ns_feature_stats_compute (NsAdain *adain, const NsTensor *features, NsFeatureStats *stats, GError **error);

/* Validates everything of the options that does not need the device. */
gboolean ns_adain_check_options (const NsImage *content, const NsAdainOptions *options, GError **error);
/* The mirror padding that brings the content to a multiple of 8. */
void ns_adain_padding (const NsImage *content, int *left, int *top, int *right, int *bottom);
/* The statistics of a style blend (resized, recoloured as the options say);
 * content_rgb is the colour reference of NS_COLOUR_MATCH. */
gboolean ns_adain_blend_stats (NsAdain *adain, const NsWeightedStyle *styles, guint n, const NsImage *content_rgb,
                               const NsAdainOptions *options, NsFeatureStats *out, GCancellable *cancellable,
                               GError **error);
/* A grey mask (sides multiples of 8) averaged over 8 x 8 blocks, on the device. */
NsClBuffer *ns_adain_mask_buffer (NsAdain *adain, const NsImage *grey, GError **error);

/* How far each tile reaches into its neighbours. */
#define NS_TILE_MARGIN 64

/* The whole run in overlapping tiles of `tile` pixels (a multiple of 8).
 * Up to keep_bytes of the first pass's features stay in host memory, so that
 * those tiles are not encoded again; *encoded (NULL: not wanted) is set to the
 * number of the encoder's runs on tiles. */
NsImage *ns_adain_tiled_run (NsAdain *adain, const NsImage *content, const NsAdainOptions *options, int tile,
                             gsize keep_bytes, guint *encoded, GCancellable *cancellable, GError **error);
/* Device memory an untiled run on an image of this size needs, roughly, above what the runtime holds. */
gsize ns_adain_memory_estimate (NsAdain *adain, int width, int height);

G_END_DECLS
