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
  return ns_cl_check (clEnqueueNDRangeKernel (ctx->queue, kernel, dims, NULL, g, l, 0, NULL, NULL), operation, error);
}
