#include "ns-cl-reduction.h"

#include "ns-cl-kernel.h"

#include "ns-cl-error.h"

gsize
ns_cl_reduction_local_size (NsClContext *ctx)
{
  gsize size = 1;
  while (size * 2 <= MIN (ctx->max_work_group_size, 256))
    size *= 2;
  return size;
}

NsClReduction *
ns_cl_reduction_new (NsClContext *ctx, GError **error)
{
  g_autoptr (NsClReduction) reduction = g_new0 (NsClReduction, 1);
  reduction->ctx = ctx;
  reduction->local_size = ns_cl_reduction_local_size (ctx);
  if ((reduction->partials = ns_cl_buffer_new (ctx, NS_CL_REDUCTION_GROUPS * sizeof (float), error)) == NULL)
    return NULL;
  return g_steal_pointer (&reduction);
}

void
ns_cl_reduction_free (NsClReduction *reduction)
{
  if (reduction == NULL)
    return;
  ns_cl_buffer_free (reduction->partials);
  g_free (reduction);
}

gboolean
ns_cl_reduction_run (NsClReduction *reduction, cl_kernel kernel, cl_uint first_arg, const char *operation,
                     double *sum, GError **error)
{
  size_t local = reduction->local_size, global = local * NS_CL_REDUCTION_GROUPS;
  float partials[NS_CL_REDUCTION_GROUPS];
  if (!ns_cl_check (clSetKernelArg (kernel, first_arg, sizeof (cl_mem), &reduction->partials->mem), operation, error)
      || !ns_cl_check (clSetKernelArg (kernel, first_arg + 1, local * sizeof (float), NULL), operation, error)
      || !ns_cl_enqueue (reduction->ctx, kernel, 1, &global, &local, operation, error)
      || !ns_cl_buffer_read (reduction->partials, 0, partials, sizeof partials, error))
    return FALSE;
  double s = 0;
  for (int i = 0; i < NS_CL_REDUCTION_GROUPS; i++)
    s += partials[i];
  *sum = s;
  return TRUE;
}
