/* What the engine's method files (AdaIN, Gatys) share; not installed, not API. */
#pragma once

#include "neural-style.h"
#include "ns-network.h"

G_BEGIN_DECLS

#define NS_RELU4_1_CHANNELS 512
#define NS_ADAIN_EPS 1e-5f
/* Three max-pools: sizes that are multiples of this survive the round trip. */
#define NS_ENCODER_STRIDE 8

struct _NsEngine {
  NsClContext *ctx;
  NsOps *ops;
  NsNetwork *encoder;   /* VGG-19 to relu4_1 */
  NsNetwork *decoder;
  char *device_note;    /* why the preferred device was passed over, or NULL */
};

/* The context on device `device_index` with the options' caches and
 * progress (AdaIN's engine and Gatys's open theirs alike). */
NsClContext *ns_engine_options_context_new (const NsEngineOptions *options, int device_index, GError **error);

/* Errors for an image outside [NS_MIN_IMAGE_SIDE, NS_MAX_IMAGE_SIDE]; role
 * names it in the sentence ("content", "style"). */
gboolean ns_engine_check_image (const NsImage *image, const char *role, GError **error);
gboolean ns_engine_check_alpha (double alpha, GError **error);
/* relu4_1 features of an image (grey and RGBA are made RGB). */
NsTensor *ns_engine_encode (NsEngine *engine, const NsImage *image, GCancellable *cancellable, GError **error);

/* Per-channel mean and variance of features, on the device. */
typedef struct {
  NsClBuffer *mean;
  NsClBuffer *var;
} NsFeatureStats;

void ns_feature_stats_clear (NsFeatureStats *stats);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NsFeatureStats, ns_feature_stats_clear)
gboolean ns_feature_stats_compute (NsEngine *engine, const NsTensor *features, NsFeatureStats *stats, GError **error);

G_END_DECLS
