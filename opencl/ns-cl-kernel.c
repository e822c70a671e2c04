#include "ns-cl-kernel.h"

#include "ns-cl-error.h"
#include <stdarg.h>

/* The work-group width along the first dimension. */
#define LOCAL_1D 64

gboolean
ns_cl_set_args (cl_kernel kernel, const char *operation, GError **error, ...)
{
  va_list ap;
  va_start (ap, error);
  cl_uint index = 0;
  cl_int err = CL_SUCCESS;
  for (gsize size; err == CL_SUCCESS && (size = va_arg (ap, gsize)) != 0; index++)
    {
      const void *value = va_arg (ap, const void *);
      err = clSetKernelArg (kernel, index, size, value);
    }
  va_end (ap);
  return ns_cl_check (err, operation, error);
}

gboolean
ns_cl_launch (NsClContext *ctx, cl_kernel kernel, cl_uint dims, const gsize *global, const char *operation,
              GError **error)
{
  gsize local_x = MIN ((gsize) LOCAL_1D, ctx->max_work_group_size);
  size_t g[3] = { (global[0] + local_x - 1) / local_x * local_x, dims > 1 ? global[1] : 1, dims > 2 ? global[2] : 1 };
  size_t l[3] = { local_x, 1, 1 };
  return ns_cl_enqueue (ctx, kernel, dims, g, l, operation, error);
}

gboolean
ns_cl_enqueue (NsClContext *ctx, cl_kernel kernel, cl_uint dims, const size_t *global, const size_t *local,
               const char *operation, GError **error)
{
  if (ctx->profile == NULL)
    return ns_cl_check (clEnqueueNDRangeKernel (ctx->queue, kernel, dims, NULL, global, local, 0, NULL, NULL),
                        operation, error);
  clFinish (ctx->queue);
  gint64 start = g_get_monotonic_time ();
  if (!ns_cl_check (clEnqueueNDRangeKernel (ctx->queue, kernel, dims, NULL, global, local, 0, NULL, NULL),
                    operation, error)
      || !ns_cl_check (clFinish (ctx->queue), operation, error))
    return FALSE;
  /* Keyed by the name and the global size: one line per layer shape. */
  char name[128] = "";
  clGetKernelInfo (kernel, CL_KERNEL_FUNCTION_NAME, sizeof name - 1, name, NULL);
  g_autofree char *key = g_strdup_printf ("%s %zu", name, global[0]);
  for (cl_uint d = 1; d < dims; d++)
    {
      g_autofree char *longer = g_strdup_printf ("%s x %zu", key, global[d]);
      g_free (key);
      key = g_steal_pointer (&longer);
    }
  NsClProfileEntry *e = g_hash_table_lookup (ctx->profile, key);
  if (e == NULL)
    {
      e = g_new0 (NsClProfileEntry, 1);
      g_hash_table_insert (ctx->profile, g_steal_pointer (&key), e);
    }
  e->seconds += (g_get_monotonic_time () - start) / 1e6;
  e->launches++;
  return TRUE;
}

gboolean
ns_cl_kernel_fits_group (NsClContext *ctx, cl_kernel kernel, gsize items)
{
  size_t most = 0;
  return clGetKernelWorkGroupInfo (kernel, ctx->info->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof most, &most, NULL)
           == CL_SUCCESS
         && most >= items;
}
