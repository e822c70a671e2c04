/* The engine's error domain and the sizes of image it takes (part of the
 * public API: neural-style.h). */
#pragma once

#include "ns-image.h"

G_BEGIN_DECLS

#define NS_ENGINE_ERROR (ns_engine_error_quark ())
GQuark ns_engine_error_quark (void);

typedef enum {
  NS_ENGINE_ERROR_IMAGE_TOO_SMALL,
  NS_ENGINE_ERROR_IMAGE_TOO_LARGE,
  NS_ENGINE_ERROR_INVALID_ARGUMENT,
} NsEngineError;

/* The smallest side an image may have (the encoder pools three times and
 * each convolution needs two pixels), and the largest. */
#define NS_MIN_IMAGE_SIDE 16
#define NS_MAX_IMAGE_SIDE NS_IMAGE_MAX_SIDE

G_END_DECLS
