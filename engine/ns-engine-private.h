/* What the engine's method files (AdaIN, Gatys, the metrics, training) share; not installed, not API. */
#pragma once

#include "neural-style.h"
#include "ns-network.h"

G_BEGIN_DECLS

#define NS_RELU4_1_CHANNELS 512
#define NS_ADAIN_EPS 1e-5f
/* Three max-pools: sizes that are multiples of this survive the round trip. */
#define NS_ENCODER_STRIDE 8

/* Errors for an image outside [NS_MIN_IMAGE_SIDE, NS_MAX_IMAGE_SIDE]; role
 * names it in the sentence ("content", "style"). */
gboolean ns_engine_check_image (const NsImage *image, const char *role, GError **error);

G_END_DECLS
