/* A device buffer with one owner.  Allocation is checked against the device's
 * limits up front and counted in the context's memory statistics. */
#pragma once

#include "ns-cl-context.h"

G_BEGIN_DECLS

typedef struct {
  NsClContext *ctx;   /* not owned; must outlive the buffer */
  cl_mem mem;         /* NULL for a host buffer */
  gsize size;
  float *host;        /* a host buffer's memory, else NULL */
} NsClBuffer;

NsClBuffer *ns_cl_buffer_new (NsClContext *ctx, gsize size, GError **error);
/* A buffer in host memory, for vectors too large for the device's budget
 * (an optimiser's over a tiled image): never passed to a kernel, read and
 * written like the others, not counted in the device's memory. */
NsClBuffer *ns_cl_buffer_new_host (NsClContext *ctx, gsize size, GError **error);
void ns_cl_buffer_free (NsClBuffer *buffer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsClBuffer, ns_cl_buffer_free)

/* Blocking copies between host memory and the buffer. */
gboolean ns_cl_buffer_write (NsClBuffer *buffer, gsize offset, const void *data, gsize size, GError **error);
gboolean ns_cl_buffer_read (const NsClBuffer *buffer, gsize offset, void *data, gsize size, GError **error);

G_END_DECLS
