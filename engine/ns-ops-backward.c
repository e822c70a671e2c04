#include "ns-ops-backward.h"

#include "ns-cl-kernel.h"
#include "ns-cl-reduction.h"

#include "ns-cl-blas.h"
#include "ns-cl-error.h"
#include "ns-i18n.h"


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
  cl_kernel mask_channels;
  cl_kernel gram_partial;
  cl_kernel gram_reduce;
  cl_kernel gram_backward_nn;
  gboolean own_gram;   /* the Gram products with gram.cl's kernels, else CLBlast */
  NsClReduction *reduction;
};

NsGradOps *
ns_grad_ops_new (NsOps *ops, GError **error)
{
  NsClContext *ctx = ns_ops_get_context (ops);
  g_autoptr (NsGradOps) grad = g_new0 (NsGradOps, 1);
  grad->ctx = ctx;
  grad->ops = ops;
  const NsOpsKernel kernels[] = {
    { &grad->pad_zero2, "pad_zero2" },
    { &grad->fold_reflect1, "fold_reflect1" },
    { &grad->relu_backward, "relu_backward" },
    { &grad->maxpool_backward, "maxpool2x2_backward" },
    { &grad->sub_square_sum, "sub_square_sum" },
    { &grad->content_grad, "content_grad" },
    { &grad->tv_grad, "tv_grad" },
    { &grad->mask_channels, "mask_channels" },
    { &grad->gram_partial, "gram_partial" },
    { &grad->gram_reduce, "gram_reduce" },
    { &grad->gram_backward_nn, "gram_backward_nn" },
  };
  if (!ns_ops_create_kernels (ops, kernels, G_N_ELEMENTS (kernels), error))
    return NULL;
  if ((grad->reduction = ns_cl_reduction_new (ctx, error)) == NULL)
    return NULL;
  ns_grad_ops_set_gram (grad, NULL);
  return g_steal_pointer (&grad);
}

/* As for the convolution: our kernels on processors, CLBlast on GPUs. */
void
ns_grad_ops_set_gram (NsGradOps *grad, const char *gram)
{
  grad->own_gram = g_strcmp0 (gram, "own") == 0
    || (g_strcmp0 (gram, "clblast") != 0 && (grad->ctx->info->type & CL_DEVICE_TYPE_CPU) != 0);
}

void
ns_grad_ops_free (NsGradOps *grad)
{
  if (grad == NULL)
    return;
  cl_kernel kernels[] = { grad->pad_zero2, grad->fold_reflect1, grad->relu_backward, grad->maxpool_backward, grad->sub_square_sum,
                          grad->content_grad, grad->tv_grad, grad->mask_channels, grad->gram_partial, grad->gram_reduce,
                          grad->gram_backward_nn };
  for (gsize i = 0; i < G_N_ELEMENTS (kernels); i++)
    if (kernels[i] != NULL)
      clReleaseKernel (kernels[i]);
  ns_cl_reduction_free (grad->reduction);
  g_free (grad);
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
      || !ns_cl_set_args (grad->pad_zero2, what, error, NS_CL_ARG (dy->buffer->mem), NS_CL_ARG (H), NS_CL_ARG (W),
                    NS_CL_ARG (padded->buffer->mem), NS_CL_ARGS_END)
      || !ns_cl_launch (grad->ctx, grad->pad_zero2, 3, (gsize[]) { W + 4, H + 4, O }, what, error))
    return NULL;
  g_autoptr (NsTensor) full = ns_op_conv3x3_backward_pass (grad->ops, padded, transposed, error);
  if (full == NULL)
    return NULL;
  g_clear_pointer (&padded, ns_tensor_free);
  g_autoptr (NsTensor) dx = ns_tensor_new (grad->ctx, C, H, W, error);
  if (dx == NULL
      || !ns_cl_set_args (grad->fold_reflect1, what, error, NS_CL_ARG (full->buffer->mem), NS_CL_ARG (H), NS_CL_ARG (W),
                    NS_CL_ARG (dx->buffer->mem), NS_CL_ARGS_END)
      || !ns_cl_launch (grad->ctx, grad->fold_reflect1, 3, (gsize[]) { W, H, C }, what, error))
    return NULL;
  return g_steal_pointer (&dx);
}

gboolean
ns_op_relu_backward (NsGradOps *grad, NsTensor *dy, const NsTensor *y, GError **error)
{
  g_return_val_if_fail (ns_tensor_n_elements (dy) == ns_tensor_n_elements (y), FALSE);
  int n = (int) ns_tensor_n_elements (dy);
  const char *what = _("running a ReLU backwards");
  return ns_cl_set_args (grad->relu_backward, what, error, NS_CL_ARG (dy->buffer->mem), NS_CL_ARG (y->buffer->mem), NS_CL_ARG (n),
                   NS_CL_ARGS_END)
      && ns_cl_launch (grad->ctx, grad->relu_backward, 1, (gsize[]) { n }, what, error);
}

NsTensor *
ns_op_maxpool2x2_backward (NsGradOps *grad, const NsTensor *x, const NsTensor *dy, GError **error)
{
  g_return_val_if_fail (dy->channels == x->channels && dy->height == x->height / 2
                        && dy->width == x->width / 2, NULL);
  const char *what = _("max-pooling backwards");
  g_autoptr (NsTensor) dx = ns_tensor_new (grad->ctx, x->channels, x->height, x->width, error);
  if (dx == NULL
      || !ns_cl_set_args (grad->maxpool_backward, what, error, NS_CL_ARG (x->buffer->mem), NS_CL_ARG (x->height), NS_CL_ARG (x->width),
                    NS_CL_ARG (dy->buffer->mem), NS_CL_ARG (dx->buffer->mem), NS_CL_ARGS_END)
      || !ns_cl_launch (grad->ctx, grad->maxpool_backward, 3,
                        (gsize[]) { (x->width + 1) / 2, (x->height + 1) / 2, x->channels }, what, error))
    return NULL;
  return g_steal_pointer (&dx);
}

/* G (C x C) = alpha F F^T, F (C x M). */
static gboolean
gram_product (NsGradOps *grad, cl_mem f, gsize C, gsize M, float alpha, cl_mem g, GError **error)
{
  if (!grad->own_gram || C % 4 != 0)
    return ns_cl_sgemm (grad->ctx, FALSE, TRUE, C, C, M, alpha, f, 0, M, f, 0, M, 0.0f, g, 0, C, error);
  const char *what = _("computing Gram matrices");
  /* Chunks only as many as give the cores about 4096 work items (the items
   * on or above the diagonal are about C * C / 16): wide layers need none,
   * and each chunk costs C * C partial sums written and added again (at
   * 512 channels and 1024 positions, 16 chunks of 128 KiB of F were 2 % of a
   * 256² iteration in gram_reduce alone); at most 4 Mi floats of them. */
  gsize max_chunks = MAX (1, ((gsize) 4 << 20) / (C * C));
  gsize wanted = CLAMP (4096 * 16 / (C * C), 1, max_chunks);
  gsize chunk = (M + wanted - 1) / wanted;
  chunk = (chunk + 15) / 16 * 16;
  gsize chunks = (M + chunk - 1) / chunk;
  g_autoptr (NsClBuffer) partial = ns_cl_buffer_new (grad->ctx, chunks * C * C * sizeof (float), error);
  int c = (int) C, m = (int) M, ch = (int) chunk, nch = (int) chunks;
  return partial != NULL
      && ns_cl_set_args (grad->gram_partial, what, error, NS_CL_ARG (f), NS_CL_ARG (c), NS_CL_ARG (m), NS_CL_ARG (ch),
                         NS_CL_ARG (partial->mem), NS_CL_ARGS_END)
      && ns_cl_enqueue (grad->ctx, grad->gram_partial, 3, (size_t[]) { C / 2, C / 4, chunks }, (size_t[]) { 1, 1, 1 },
                        what, error)
      && ns_cl_set_args (grad->gram_reduce, what, error, NS_CL_ARG (partial->mem), NS_CL_ARG (c), NS_CL_ARG (nch),
                         NS_CL_ARG (alpha), NS_CL_ARG (g), NS_CL_ARGS_END)
      && ns_cl_launch (grad->ctx, grad->gram_reduce, 2, (gsize[]) { C, C }, what, error);
}

/* Y (C x M) = alpha D F + beta Y, D (C x C, symmetric: gram.cl reads its columns as rows), F (C x M). */
static gboolean
gram_backward_product (NsGradOps *grad, cl_mem d, cl_mem f, gsize C, gsize M, float alpha, float beta, cl_mem y,
                       GError **error)
{
  if (!grad->own_gram || C % 4 != 0)
    return ns_cl_sgemm (grad->ctx, FALSE, FALSE, C, M, C, alpha, d, 0, C, f, 0, M, beta, y, 0, M, error);
  const char *what = _("computing Gram matrices");
  int c = (int) C, m = (int) M;
  return ns_cl_set_args (grad->gram_backward_nn, what, error, NS_CL_ARG (d), NS_CL_ARG (f), NS_CL_ARG (c),
                         NS_CL_ARG (m), NS_CL_ARG (alpha), NS_CL_ARG (beta), NS_CL_ARG (y), NS_CL_ARGS_END)
      && ns_cl_launch (grad->ctx, grad->gram_backward_nn, 2, (gsize[]) { C / 4, (M + 31) / 32 }, what, error);
}

gboolean
ns_op_gram (NsGradOps *grad, const NsTensor *f, NsClBuffer *gram, GError **error)
{
  const gsize C = f->channels, M = (gsize) f->height * f->width;
  g_return_val_if_fail (gram->size >= C * C * sizeof (float), FALSE);
  return gram_product (grad, f->buffer->mem, C, M, 1.0f / (float) M, gram->mem, error);
}

gboolean
ns_op_sub_square_sum (NsGradOps *grad, NsClBuffer *a, const NsClBuffer *b, gsize n, double *sum_squares,
                      GError **error)
{
  g_return_val_if_fail (a->size >= n * sizeof (float) && b->size >= n * sizeof (float), FALSE);
  int n_int = (int) n;
  const char *what = _("computing a loss");
  return ns_cl_set_args (grad->sub_square_sum, what, error, NS_CL_ARG (a->mem), NS_CL_ARG (b->mem), NS_CL_ARG (n_int), NS_CL_ARGS_END)
      && ns_cl_reduction_run (grad->reduction, grad->sub_square_sum, 3, what, sum_squares, error);
}

gboolean
ns_op_gram_backward (NsGradOps *grad, const NsClBuffer *d, const NsTensor *f, float coef, NsTensor *df,
                     gboolean accumulate, GError **error)
{
  const gsize C = f->channels, M = (gsize) f->height * f->width;
  g_return_val_if_fail (ns_tensor_n_elements (df) == C * M, FALSE);
  return gram_backward_product (grad, d->mem, f->buffer->mem, C, M, coef, accumulate ? 1.0f : 0.0f,
                                df->buffer->mem, error);
}

gboolean
ns_op_content_grad (NsGradOps *grad, const NsTensor *f, const NsTensor *p, float coef, NsTensor *g,
                    double *sum_squares, GError **error)
{
  g_return_val_if_fail (ns_tensor_n_elements (f) == ns_tensor_n_elements (p)
                        && ns_tensor_n_elements (f) == ns_tensor_n_elements (g), FALSE);
  int n = (int) ns_tensor_n_elements (f);
  const char *what = _("computing a loss");
  return ns_cl_set_args (grad->content_grad, what, error, NS_CL_ARG (f->buffer->mem), NS_CL_ARG (p->buffer->mem), NS_CL_ARG (n),
                   NS_CL_ARG (coef), NS_CL_ARG (g->buffer->mem), NS_CL_ARGS_END)
      && ns_cl_reduction_run (grad->reduction, grad->content_grad, 5, what, sum_squares, error);
}

gboolean
ns_op_tv_grad (NsGradOps *grad, const NsTensor *x, float coef, NsTensor *g, double *tv, GError **error)
{
  g_return_val_if_fail (ns_tensor_n_elements (x) == ns_tensor_n_elements (g), FALSE);
  const char *what = _("computing a loss");
  return ns_cl_set_args (grad->tv_grad, what, error, NS_CL_ARG (x->buffer->mem), NS_CL_ARG (x->channels), NS_CL_ARG (x->height),
                   NS_CL_ARG (x->width), NS_CL_ARG (coef), NS_CL_ARG (g->buffer->mem), NS_CL_ARGS_END)
      && ns_cl_reduction_run (grad->reduction, grad->tv_grad, 6, what, tv, error);
}

gboolean
ns_op_mask_channels (NsGradOps *grad, const NsTensor *x, const NsClBuffer *mask, gboolean invert, NsTensor *y,
                     gboolean accumulate, GError **error)
{
  g_return_val_if_fail (ns_tensor_n_elements (x) == ns_tensor_n_elements (y) && x->channels == y->channels, FALSE);
  int hw = x->height * x->width, inv = invert != FALSE, acc = accumulate != FALSE;
  g_return_val_if_fail (mask->size >= (gsize) hw * sizeof (float), FALSE);
  const char *what = _("applying a mask");
  return ns_cl_set_args (grad->mask_channels, what, error, NS_CL_ARG (x->buffer->mem), NS_CL_ARG (mask->mem),
                         NS_CL_ARG (hw), NS_CL_ARG (inv), NS_CL_ARG (y->buffer->mem), NS_CL_ARG (acc),
                         NS_CL_ARGS_END)
      && ns_cl_launch (grad->ctx, grad->mask_channels, 2, (gsize[]) { hw, x->channels }, what, error);
}

gboolean
ns_op_masked_gram_term (NsGradOps *grad, const NsTensor *f, const NsClBuffer *mask, gboolean invert, double area,
                        const NsClBuffer *target, NsClBuffer *gram, float coef, NsTensor *df, gboolean accumulate,
                        double *sum_squares, GError **error)
{
  const gsize C = f->channels, M = (gsize) f->height * f->width;
  g_return_val_if_fail (area > 0 && gram->size >= C * C * sizeof (float), FALSE);
  g_return_val_if_fail (ns_tensor_n_elements (df) == C * M, FALSE);
  /* F w, its Gram matrix over the region's area, G - A; then (G - A) (F w),
   * and the mask again on the way into df. */
  g_autoptr (NsTensor) scratch = ns_tensor_new (grad->ctx, f->channels, f->height, f->width, error);
  if (scratch == NULL
      || !ns_op_mask_channels (grad, f, mask, invert, scratch, FALSE, error)
      || !gram_product (grad, scratch->buffer->mem, C, M, (float) (1.0 / area), gram->mem, error)
      || !ns_op_sub_square_sum (grad, gram, target, C * C, sum_squares, error))
    return FALSE;
  g_autoptr (NsTensor) product = ns_tensor_new (grad->ctx, f->channels, f->height, f->width, error);
  return product != NULL
      && gram_backward_product (grad, gram->mem, scratch->buffer->mem, C, M, coef, 0.0f, product->buffer->mem,
                                error)
      && ns_op_mask_channels (grad, product, mask, invert, df, accumulate, error);
}
