#include "ns-ops-backward.h"

#include "ns-cl-blas.h"
#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <stdarg.h>

#define LOCAL_1D 64
#define REDUCE_GROUPS 64

struct _NsGradOps {
  NsClContext *ctx;
  NsOps *ops;
  cl_kernel pad_zero2;
  cl_kernel fold_reflect1;
  cl_kernel relu_backward;
  cl_kernel maxpool_backward;
  cl_kernel sub_square_sum;
  cl_kernel content_grad;
  cl_kernel tv_grad;
  NsClBuffer *partials;    /* REDUCE_GROUPS floats */
  gsize reduce_size;
};

NsGradOps *
ns_grad_ops_new (NsOps *ops, GError **error)
{
  NsClContext *ctx = ns_ops_get_context (ops);
  g_autoptr (NsGradOps) grad = g_new0 (NsGradOps, 1);
  grad->ctx = ctx;
  grad->ops = ops;
  struct { cl_kernel *kernel; const char *name; } kernels[] = {
    { &grad->pad_zero2, "pad_zero2" },
    { &grad->fold_reflect1, "fold_reflect1" },
    { &grad->relu_backward, "relu_backward" },
    { &grad->maxpool_backward, "maxpool2x2_backward" },
    { &grad->sub_square_sum, "sub_square_sum" },
    { &grad->content_grad, "content_grad" },
    { &grad->tv_grad, "tv_grad" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (kernels); i++)
    if ((*kernels[i].kernel = ns_ops_create_kernel (ops, kernels[i].name, error)) == NULL)
      return NULL;
  if ((grad->partials = ns_cl_buffer_new (ctx, REDUCE_GROUPS * sizeof (float), error)) == NULL)
    return NULL;
  grad->reduce_size = 1;
  while (grad->reduce_size * 2 <= MIN (ctx->max_work_group_size, 256))
    grad->reduce_size *= 2;
  return g_steal_pointer (&grad);
}

void
ns_grad_ops_free (NsGradOps *grad)
{
  if (grad == NULL)
    return;
  cl_kernel kernels[] = { grad->pad_zero2, grad->fold_reflect1, grad->relu_backward, grad->maxpool_backward, grad->sub_square_sum,
                          grad->content_grad, grad->tv_grad };
  for (gsize i = 0; i < G_N_ELEMENTS (kernels); i++)
    if (kernels[i] != NULL)
      clReleaseKernel (kernels[i]);
  ns_cl_buffer_free (grad->partials);
  g_free (grad);
}

/* Sets the kernel's arguments from (size, pointer) pairs ended by a 0 size. */
static gboolean
set_args (cl_kernel kernel, const char *operation, GError **error, ...)
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

#define ARG(x) sizeof (x), (const void *) &(x)
#define LOCAL_ARG(bytes) (gsize) (bytes), (const void *) NULL

/* Runs a kernel over dims, the first rounded up to LOCAL_1D (kernels check bounds). */
static gboolean
launch (NsClContext *ctx, cl_kernel kernel, cl_uint dims, const gsize *global, const char *operation,
        GError **error)
{
  gsize local_x = MIN ((gsize) LOCAL_1D, ctx->max_work_group_size);
  size_t g[3] = { (global[0] + local_x - 1) / local_x * local_x, dims > 1 ? global[1] : 1,
                  dims > 2 ? global[2] : 1 };
  size_t l[3] = { local_x, 1, 1 };
  return ns_cl_check (clEnqueueNDRangeKernel (ctx->queue, kernel, dims, NULL, g, l, 0, NULL, NULL),
                      operation, error);
}

/* Runs a reducing kernel (its last two arguments the partials and the local
 * scratch, set here) and adds the partial sums in double. */
static gboolean
reduce (NsGradOps *grad, cl_kernel kernel, cl_uint first_arg, double *sum, const char *what, GError **error)
{
  size_t local = grad->reduce_size, global = local * REDUCE_GROUPS;
  float partials[REDUCE_GROUPS];
  if (!ns_cl_check (clSetKernelArg (kernel, first_arg, sizeof (cl_mem), &grad->partials->mem), what, error)
      || !ns_cl_check (clSetKernelArg (kernel, first_arg + 1, local * sizeof (float), NULL), what, error)
      || !ns_cl_check (clEnqueueNDRangeKernel (grad->ctx->queue, kernel, 1, NULL, &global, &local, 0, NULL, NULL),
                       what, error)
      || !ns_cl_buffer_read (grad->partials, 0, partials, sizeof partials, error))
    return FALSE;
  double s = 0;
  for (int i = 0; i < REDUCE_GROUPS; i++)
    s += partials[i];
  *sum = s;
  return TRUE;
}

gboolean
ns_tensor_clear (NsClContext *ctx, NsTensor *t, GError **error)
{
  const float zero = 0.0f;
  return ns_cl_check (clEnqueueFillBuffer (ctx->queue, t->buffer->mem, &zero, sizeof zero, 0,
                                           ns_tensor_n_elements (t) * sizeof (float), 0, NULL, NULL),
                      _("clearing device memory"), error);
}

NsConv3x3 *
ns_conv3x3_new_transposed (NsClContext *ctx, const NsConv3x3 *conv, GError **error)
{
  const int C = conv->in_channels, O = conv->out_channels;
  const gsize n = (gsize) O * C * 9;
  g_autofree float *w = g_new (float, n);
  if (!ns_cl_buffer_read (conv->weight, 0, w, n * sizeof (float), error))
    return NULL;
  g_autofree float *t = g_new (float, n);
  for (int o = 0; o < O; o++)
    for (int c = 0; c < C; c++)
      for (int k = 0; k < 9; k++)
        t[((gsize) c * O + o) * 9 + (8 - k)] = w[((gsize) o * C + c) * 9 + k];
  g_autofree float *zero = g_new0 (float, C);
  return ns_conv3x3_new (ctx, O, C, t, zero, error);
}

NsTensor *
ns_op_conv3x3_backward (NsGradOps *grad, const NsTensor *dy, const NsConv3x3 *transposed, GError **error)
{
  g_return_val_if_fail (dy->channels == transposed->in_channels, NULL);
  g_return_val_if_fail (dy->height >= 2 && dy->width >= 2, NULL);
  const int O = dy->channels, C = transposed->out_channels, H = dy->height, W = dy->width;
  const char *what = _("running a convolution backwards");
  g_autoptr (NsTensor) padded = ns_tensor_new (grad->ctx, O, H + 4, W + 4, error);
  if (padded == NULL
      || !set_args (grad->pad_zero2, what, error, ARG (dy->buffer->mem), ARG (H), ARG (W),
                    ARG (padded->buffer->mem), (gsize) 0)
      || !launch (grad->ctx, grad->pad_zero2, 3, (gsize[]) { W + 4, H + 4, O }, what, error))
    return NULL;
  g_autoptr (NsTensor) full = ns_op_conv3x3 (grad->ops, padded, transposed, FALSE, error);
  if (full == NULL)
    return NULL;
  g_clear_pointer (&padded, ns_tensor_free);
  g_autoptr (NsTensor) dx = ns_tensor_new (grad->ctx, C, H, W, error);
  if (dx == NULL
      || !set_args (grad->fold_reflect1, what, error, ARG (full->buffer->mem), ARG (H), ARG (W),
                    ARG (dx->buffer->mem), (gsize) 0)
      || !launch (grad->ctx, grad->fold_reflect1, 3, (gsize[]) { W, H, C }, what, error))
    return NULL;
  return g_steal_pointer (&dx);
}

gboolean
ns_op_relu_backward (NsGradOps *grad, NsTensor *dy, const NsTensor *y, GError **error)
{
  g_return_val_if_fail (ns_tensor_n_elements (dy) == ns_tensor_n_elements (y), FALSE);
  int n = (int) ns_tensor_n_elements (dy);
  const char *what = _("running a ReLU backwards");
  return set_args (grad->relu_backward, what, error, ARG (dy->buffer->mem), ARG (y->buffer->mem), ARG (n),
                   (gsize) 0)
      && launch (grad->ctx, grad->relu_backward, 1, (gsize[]) { n }, what, error);
}

NsTensor *
ns_op_maxpool2x2_backward (NsGradOps *grad, const NsTensor *x, const NsTensor *dy, GError **error)
{
  g_return_val_if_fail (dy->channels == x->channels && dy->height == x->height / 2
                        && dy->width == x->width / 2, NULL);
  const char *what = _("max-pooling backwards");
  g_autoptr (NsTensor) dx = ns_tensor_new (grad->ctx, x->channels, x->height, x->width, error);
  if (dx == NULL
      || !set_args (grad->maxpool_backward, what, error, ARG (x->buffer->mem), ARG (x->height), ARG (x->width),
                    ARG (dy->buffer->mem), ARG (dx->buffer->mem), (gsize) 0)
      || !launch (grad->ctx, grad->maxpool_backward, 3, (gsize[]) { x->width, x->height, x->channels }, what,
                  error))
    return NULL;
  return g_steal_pointer (&dx);
}

gboolean
ns_op_gram (NsGradOps *grad, const NsTensor *f, NsClBuffer *gram, GError **error)
{
  const gsize C = f->channels, M = (gsize) f->height * f->width;
  g_return_val_if_fail (gram->size >= C * C * sizeof (float), FALSE);
  return ns_cl_sgemm (grad->ctx, FALSE, TRUE, C, C, M, 1.0f / (float) M, f->buffer->mem, 0, M,
                      f->buffer->mem, 0, M, 0.0f, gram->mem, 0, C, error);
}

gboolean
ns_op_sub_square_sum (NsGradOps *grad, NsClBuffer *a, const NsClBuffer *b, gsize n, double *sum_squares,
                      GError **error)
{
  g_return_val_if_fail (a->size >= n * sizeof (float) && b->size >= n * sizeof (float), FALSE);
  int n_int = (int) n;
  const char *what = _("computing a loss");
  return set_args (grad->sub_square_sum, what, error, ARG (a->mem), ARG (b->mem), ARG (n_int), (gsize) 0)
      && reduce (grad, grad->sub_square_sum, 3, sum_squares, what, error);
}

gboolean
ns_op_gram_backward (NsGradOps *grad, const NsClBuffer *d, const NsTensor *f, float coef, NsTensor *df,
                     gboolean accumulate, GError **error)
{
  const gsize C = f->channels, M = (gsize) f->height * f->width;
  g_return_val_if_fail (ns_tensor_n_elements (df) == C * M, FALSE);
  return ns_cl_sgemm (grad->ctx, FALSE, FALSE, C, M, C, coef, d->mem, 0, C, f->buffer->mem, 0, M,
                      accumulate ? 1.0f : 0.0f, df->buffer->mem, 0, M, error);
}

gboolean
ns_op_content_grad (NsGradOps *grad, const NsTensor *f, const NsTensor *p, float coef, NsTensor *g,
                    double *sum_squares, GError **error)
{
  g_return_val_if_fail (ns_tensor_n_elements (f) == ns_tensor_n_elements (p)
                        && ns_tensor_n_elements (f) == ns_tensor_n_elements (g), FALSE);
  int n = (int) ns_tensor_n_elements (f);
  const char *what = _("computing a loss");
  return set_args (grad->content_grad, what, error, ARG (f->buffer->mem), ARG (p->buffer->mem), ARG (n),
                   ARG (coef), ARG (g->buffer->mem), (gsize) 0)
      && reduce (grad, grad->content_grad, 5, sum_squares, what, error);
}

gboolean
ns_op_tv_grad (NsGradOps *grad, const NsTensor *x, float coef, NsTensor *g, double *tv, GError **error)
{
  g_return_val_if_fail (ns_tensor_n_elements (x) == ns_tensor_n_elements (g), FALSE);
  const char *what = _("computing a loss");
  return set_args (grad->tv_grad, what, error, ARG (x->buffer->mem), ARG (x->channels), ARG (x->height),
                   ARG (x->width), ARG (coef), ARG (g->buffer->mem), (gsize) 0)
      && reduce (grad, grad->tv_grad, 6, tv, what, error);
}
