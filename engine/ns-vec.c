#include "ns-vec.h"

#include "ns-cl-kernel.h"
#include "ns-cl-reduction.h"

#include "ns-cl-error.h"
#include "ns-i18n.h"
#include "ns-vec-host.h"
#include <math.h>
#include <string.h>

struct _NsVecOps {
  NsClContext *ctx;
  cl_kernel dot;
  cl_kernel axpby;
  cl_kernel step;
  cl_kernel adam;
  NsClReduction *reduction;
};

NsVecOps *
ns_vec_ops_new (NsOps *ops, GError **error)
{
  NsClContext *ctx = ns_ops_get_context (ops);
  g_autoptr (NsVecOps) vec = g_new0 (NsVecOps, 1);
  vec->ctx = ctx;
  const NsOpsKernel kernels[] = {
    { &vec->dot, "dot_partial" },
    { &vec->axpby, "axpby" },
    { &vec->step, "step_to" },
    { &vec->adam, "adam_update" },
  };
  if (!ns_ops_create_kernels (ops, kernels, G_N_ELEMENTS (kernels), error))
    return NULL;
  if ((vec->reduction = ns_cl_reduction_new (ctx, error)) == NULL)
    return NULL;
  return g_steal_pointer (&vec);
}

void
ns_vec_ops_free (NsVecOps *vec)
{
  if (vec == NULL)
    return;
  cl_kernel kernels[] = { vec->dot, vec->axpby, vec->step, vec->adam };
  for (gsize i = 0; i < G_N_ELEMENTS (kernels); i++)
    if (kernels[i] != NULL)
      clReleaseKernel (kernels[i]);
  ns_cl_reduction_free (vec->reduction);
  g_free (vec);
}

NsClContext *
ns_vec_ops_get_context (NsVecOps *vec)
{
  return vec->ctx;
}

static gboolean
set_arg (cl_kernel kernel, cl_uint index, gsize size, const void *value, GError **error)
{
  return ns_cl_check (clSetKernelArg (kernel, index, size, value), _("updating the image being optimised"), error);
}

static gboolean
launch_1d (NsVecOps *vec, cl_kernel kernel, gsize n, GError **error)
{
  return ns_cl_launch (vec->ctx, kernel, 1, &n, _("updating the image being optimised"), error);
}

gboolean
ns_vec_dot (NsVecOps *vec, const NsClBuffer *a, const NsClBuffer *b, gsize n, double *out, GError **error)
{
  if (a->host != NULL)
    {
      *out = ns_vec_host_dot (a->host, b->host, n);
      return TRUE;
    }
  int n_int = (int) n;
  return set_arg (vec->dot, 0, sizeof (cl_mem), &a->mem, error)
      && set_arg (vec->dot, 1, sizeof (cl_mem), &b->mem, error)
      && set_arg (vec->dot, 2, sizeof n_int, &n_int, error)
      && ns_cl_reduction_run (vec->reduction, vec->dot, 3, _("updating the image being optimised"), out, error);
}

gboolean
ns_vec_axpby (NsVecOps *vec, const NsClBuffer *x, double a, NsClBuffer *y, double b, gsize n, GError **error)
{
  float af = (float) a, bf = (float) b;
  if (x->host != NULL)
    {
      ns_vec_host_axpby (x->host, af, y->host, bf, n);
      return TRUE;
    }
  int n_int = (int) n;
  return set_arg (vec->axpby, 0, sizeof (cl_mem), &x->mem, error)
      && set_arg (vec->axpby, 1, sizeof af, &af, error)
      && set_arg (vec->axpby, 2, sizeof (cl_mem), &y->mem, error)
      && set_arg (vec->axpby, 3, sizeof bf, &bf, error)
      && set_arg (vec->axpby, 4, sizeof n_int, &n_int, error)
      && launch_1d (vec, vec->axpby, n, error);
}

gboolean
ns_vec_step (NsVecOps *vec, const NsClBuffer *x, const NsClBuffer *d, double t, NsClBuffer *out, gsize n,
             GError **error)
{
  float tf = (float) t;
  if (x->host != NULL)
    {
      ns_vec_host_step (x->host, d->host, tf, out->host, n);
      return TRUE;
    }
  int n_int = (int) n;
  return set_arg (vec->step, 0, sizeof (cl_mem), &x->mem, error)
      && set_arg (vec->step, 1, sizeof (cl_mem), &d->mem, error)
      && set_arg (vec->step, 2, sizeof tf, &tf, error)
      && set_arg (vec->step, 3, sizeof (cl_mem), &out->mem, error)
      && set_arg (vec->step, 4, sizeof n_int, &n_int, error)
      && launch_1d (vec, vec->step, n, error);
}

gboolean
ns_vec_copy (NsVecOps *vec, const NsClBuffer *src, NsClBuffer *dst, gsize n, GError **error)
{
  if (src->host != NULL)
    {
      memcpy (dst->host, src->host, n * sizeof (float));
      return TRUE;
    }
  return ns_cl_check (clEnqueueCopyBuffer (vec->ctx->queue, src->mem, dst->mem, 0, 0, n * sizeof (float),
                                           0, NULL, NULL),
                      _("copying device memory"), error);
}

gboolean
ns_vec_zero (NsVecOps *vec, NsClBuffer *x, gsize n, GError **error)
{
  if (x->host != NULL)
    {
      memset (x->host, 0, n * sizeof (float));
      return TRUE;
    }
  const float zero = 0.0f;
  return ns_cl_check (clEnqueueFillBuffer (vec->ctx->queue, x->mem, &zero, sizeof zero, 0, n * sizeof (float),
                                           0, NULL, NULL),
                      _("clearing device memory"), error);
}

gboolean
ns_vec_adam (NsVecOps *vec, NsClBuffer *x, const NsClBuffer *g, NsClBuffer *m, NsClBuffer *v,
             double lr, double beta1, double beta2, double eps, int t, gsize n, GError **error)
{
  float args[] = { (float) lr, (float) beta1, (float) beta2, (float) (1.0 - pow (beta1, t)),
                   (float) (1.0 - pow (beta2, t)), (float) eps };
  if (x->host != NULL)
    {
      ns_vec_host_adam (x->host, g->host, m->host, v->host, args, n);
      return TRUE;
    }
  int n_int = (int) n;
  cl_mem mems[] = { x->mem, g->mem, m->mem, v->mem };
  for (cl_uint i = 0; i < G_N_ELEMENTS (mems); i++)
    if (!set_arg (vec->adam, i, sizeof (cl_mem), &mems[i], error))
      return FALSE;
  for (cl_uint i = 0; i < G_N_ELEMENTS (args); i++)
    if (!set_arg (vec->adam, 4 + i, sizeof (float), &args[i], error))
      return FALSE;
  return set_arg (vec->adam, 10, sizeof n_int, &n_int, error) && launch_1d (vec, vec->adam, n, error);
}
