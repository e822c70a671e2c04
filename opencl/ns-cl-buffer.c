#include "ns-cl-buffer.h"

#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <string.h>

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
  cl_int err = CL_SUCCESS;
  cl_mem mem = clCreateBuffer (ctx->context, CL_MEM_READ_WRITE, size, NULL, &err);
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
  /* OpenCL keeps the memory alive until queued commands using it complete. */
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
