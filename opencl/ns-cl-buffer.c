#include "ns-cl-buffer.h"

#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <string.h>

/* A spare buffer of exactly `size` bytes (see NsClContext), or NULL. */
static cl_mem
take_spare (NsClContext *ctx, gsize size)
{
  for (GList *l = ctx->spare->head; l != NULL; l = l->next)
    {
      NsClSpare *spare = l->data;
      if (spare->size != size)
        continue;
      cl_mem mem = spare->mem;
      ctx->spare_bytes -= size;
      g_queue_delete_link (ctx->spare, l);
      g_free (spare);
      return mem;
    }
  return NULL;
}

/* Keeps a released buffer for reuse when the context does, within its limits. */
static gboolean
keep_spare (NsClContext *ctx, cl_mem mem, gsize size)
{
  if (!ctx->keep_spare || size < NS_CL_SPARE_MIN_BYTES || size > NS_CL_SPARE_MAX_BYTES)
    return FALSE;
  NsClSpare *spare = g_new (NsClSpare, 1);
  *spare = (NsClSpare) { mem, size };
  g_queue_push_head (ctx->spare, spare);
  ctx->spare_bytes += size;
  while (ctx->spare->length > NS_CL_SPARE_MAX || ctx->spare_bytes > NS_CL_SPARE_MAX_BYTES)
    {
      NsClSpare *oldest = g_queue_pop_tail (ctx->spare);
      ctx->spare_bytes -= oldest->size;
      clReleaseMemObject (oldest->mem);
      g_free (oldest);
    }
  return TRUE;
}

NsClBuffer *
ns_cl_buffer_new (NsClContext *ctx, gsize size, GError **error)
{
  g_return_val_if_fail (size > 0, NULL);
  if (size > ctx->info->max_alloc || ctx->mem_current + size > ctx->info->global_mem)
    {
      g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY,
                   _("The OpenCL device “%s” has too little memory for this image "
                     "(%zu MiB more were needed): try a smaller image."),
                   ctx->info->name, (size + (1 << 20) - 1) >> 20);
      return NULL;
    }
  cl_mem mem = take_spare (ctx, size);
  cl_int err = CL_SUCCESS;
  if (mem == NULL)
    mem = clCreateBuffer (ctx->context, CL_MEM_READ_WRITE, size, NULL, &err);
  if (err != CL_SUCCESS && ctx->spare_bytes > 0)   /* the spare buffers may be in the way */
    {
      ns_cl_context_release_spare (ctx);
      mem = clCreateBuffer (ctx->context, CL_MEM_READ_WRITE, size, NULL, &err);
    }
  if (!ns_cl_check (err, _("allocating device memory"), error))
    return NULL;
  NsClBuffer *buffer = g_new0 (NsClBuffer, 1);
  buffer->ctx = ctx;
  buffer->mem = mem;
  buffer->size = size;
  ctx->mem_current += size;
  ctx->mem_peak = MAX (ctx->mem_peak, ctx->mem_current);
  return buffer;
}

NsClBuffer *
ns_cl_buffer_new_host (NsClContext *ctx, gsize size, GError **error)
{
  g_return_val_if_fail (size > 0, NULL);
  float *host = g_try_malloc (size);
  if (host == NULL)
    {
      g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY,
                   _("The computer has too little memory for this image (%zu MiB more were needed): "
                     "try a smaller image."), (size + (1 << 20) - 1) >> 20);
      return NULL;
    }
  NsClBuffer *buffer = g_new0 (NsClBuffer, 1);
  buffer->ctx = ctx;
  buffer->size = size;
  buffer->host = host;
  return buffer;
}

void
ns_cl_buffer_free (NsClBuffer *buffer)
{
  if (buffer == NULL)
    return;
  if (buffer->host != NULL)
    {
      g_free (buffer->host);
      g_free (buffer);
      return;
    }
  /* OpenCL keeps the memory alive until queued commands using it complete;
   * a spare's next user is queued after them (the queue is in order). */
  if (!keep_spare (buffer->ctx, buffer->mem, buffer->size))
    clReleaseMemObject (buffer->mem);
  buffer->ctx->mem_current -= buffer->size;
  g_free (buffer);
}

gboolean
ns_cl_buffer_write (NsClBuffer *buffer, gsize offset, const void *data, gsize size, GError **error)
{
  g_return_val_if_fail (offset + size <= buffer->size, FALSE);
  if (buffer->host != NULL)
    {
      memcpy ((char *) buffer->host + offset, data, size);
      return TRUE;
    }
  return ns_cl_check (clEnqueueWriteBuffer (buffer->ctx->queue, buffer->mem, CL_TRUE, offset, size,
                                            data, 0, NULL, NULL),
                      _("copying data to the device"), error);
}

gboolean
ns_cl_buffer_read (const NsClBuffer *buffer, gsize offset, void *data, gsize size, GError **error)
{
  g_return_val_if_fail (offset + size <= buffer->size, FALSE);
  if (buffer->host != NULL)
    {
      memcpy (data, (const char *) buffer->host + offset, size);
      return TRUE;
    }
  return ns_cl_check (clEnqueueReadBuffer (buffer->ctx->queue, buffer->mem, CL_TRUE, offset, size,
                                           data, 0, NULL, NULL),
                      _("reading data back from the device"), error);
}
