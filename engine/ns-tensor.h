/* A float32 CHW tensor in device memory (one image, no batch). */
#pragma once

#include "ns-cl-buffer.h"
#include "ns-image.h"

G_BEGIN_DECLS

typedef struct {
  NsClBuffer *buffer;   /* owned */
  int channels;
  int height;
  int width;
} NsTensor;

NsTensor *ns_tensor_new (NsClContext *ctx, int channels, int height, int width, GError **error);
/* The same in host memory (ns_cl_buffer_new_host): for the optimiser's
 * vectors of a tiled run, never for a kernel's arguments. */
NsTensor *ns_tensor_new_host (NsClContext *ctx, int channels, int height, int width, GError **error);
void ns_tensor_free (NsTensor *tensor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsTensor, ns_tensor_free)

static inline gsize
ns_tensor_n_elements (const NsTensor *t)
{
  return (gsize) t->channels * t->height * t->width;
}

/* Host CHW floats in and out (n_elements of them). */
gboolean ns_tensor_write (NsTensor *tensor, const float *chw, GError **error);
gboolean ns_tensor_read (const NsTensor *tensor, float *chw, GError **error);

/* An image (HWC, any channel count) as a CHW tensor, and back. */
NsTensor *ns_tensor_new_from_image (NsClContext *ctx, const NsImage *image, GError **error);
/* An image's values in CHW order, newly allocated. */
float *ns_image_to_chw (const NsImage *image);
NsImage *ns_tensor_to_image (const NsTensor *tensor, GError **error);

G_END_DECLS
