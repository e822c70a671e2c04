#include "ns-ops-train.h"

#include "ns-cl-blas.h"
#include "ns-cl-kernel.h"
#include "ns-cl-reduction.h"
#include "ns-i18n.h"

struct _NsTrainOps {
  NsClContext *ctx;
  NsOps *ops;
  cl_kernel im2col;
  cl_kernel channel_sum;
  cl_kernel upsample_backward;
  cl_kernel affine;
  gsize reduce_size;
};

NsTrainOps *
ns_train_ops_new (NsOps *ops, GError **error)
{
  g_autoptr (NsTrainOps) train = g_new0 (NsTrainOps, 1);
  train->ctx = ns_ops_get_context (ops);
  train->ops = ops;
  train->reduce_size = ns_cl_reduction_local_size (train->ctx);
  struct { cl_kernel *kernel; const char *name; } kernels[] = {
    { &train->im2col, "im2col_reflect3x3" },
    { &train->channel_sum, "channel_sum_accumulate" },
    { &train->upsample_backward, "upsample2x_backward" },
    { &train->affine, "channel_affine_accumulate" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (kernels); i++)
    if ((*kernels[i].kernel = ns_ops_create_kernel (ops, kernels[i].name, error)) == NULL)
      return NULL;
  return g_steal_pointer (&train);
}

void
ns_train_ops_free (NsTrainOps *train)
{
  if (train == NULL)
    return;
  cl_kernel kernels[] = { train->im2col, train->channel_sum, train->upsample_backward, train->affine };
  for (gsize i = 0; i < G_N_ELEMENTS (kernels); i++)
    if (kernels[i] != NULL)
      clReleaseKernel (kernels[i]);
  g_free (train);
}

gboolean
ns_op_conv3x3_weight_grad (NsTrainOps *train, const NsTensor *x, const NsTensor *dy, NsClBuffer *dw, GError **error)
{
  const int C = x->channels, H = x->height, W = x->width, O = dy->channels;
  g_return_val_if_fail (dy->height == H && dy->width == W && H >= 2 && W >= 2, FALSE);
  g_return_val_if_fail (dw->size >= (gsize) O * C * 9 * sizeof (float), FALSE);
  const gsize K = (gsize) C * 9, HW = (gsize) H * W;
  /* The same strips as the forward im2col: as many rows as the budget holds. */
  int rows = (int) CLAMP (ns_ops_get_scratch_budget (train->ops) / (K * W * sizeof (float)), 1, (gsize) H);
  NsClBuffer *col = ns_ops_get_scratch (train->ops, K * rows * W * sizeof (float), error);
  if (col == NULL)
    return FALSE;
  const char *what = _("computing a convolution's weight gradient");
  for (int y0 = 0; y0 < H; y0 += rows)
    {
      int n_rows = MIN (rows, H - y0);
      gsize N = (gsize) n_rows * W;
      /* dw (O x K) += dy[:, strip] (O x N) col^T (N x K). */
      if (!ns_cl_set_args (train->im2col, what, error, NS_CL_ARG (x->buffer->mem), NS_CL_ARG (C), NS_CL_ARG (H),
                           NS_CL_ARG (W), NS_CL_ARG (y0), NS_CL_ARG (n_rows), NS_CL_ARG (col->mem), NS_CL_ARGS_END)
          || !ns_cl_launch (train->ctx, train->im2col, 2, (gsize[]) { N, C }, what, error)
          || !ns_cl_sgemm (train->ctx, FALSE, TRUE, O, K, N, 1.0f, dy->buffer->mem, (gsize) y0 * W, HW, col->mem, 0,
                           N, 1.0f, dw->mem, 0, K, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ns_op_bias_grad (NsTrainOps *train, const NsTensor *dy, NsClBuffer *db, GError **error)
{
  g_return_val_if_fail (db->size >= dy->channels * sizeof (float), FALSE);
  int hw = dy->height * dy->width;
  const char *what = _("computing a bias gradient");
  size_t local = train->reduce_size, global = local * dy->channels;
  return ns_cl_set_args (train->channel_sum, what, error, NS_CL_ARG (dy->buffer->mem), NS_CL_ARG (hw),
                         NS_CL_ARG (db->mem), NS_CL_LOCAL_ARG (local * sizeof (float)), NS_CL_ARGS_END)
      && ns_cl_enqueue (train->ctx, train->channel_sum, 1, &global, &local, what, error);
}

NsTensor *
ns_op_upsample2x_backward (NsTrainOps *train, const NsTensor *dy, GError **error)
{
  g_return_val_if_fail (dy->height % 2 == 0 && dy->width % 2 == 0, NULL);
  int H = dy->height / 2, W = dy->width / 2;
  const char *what = _("upsampling backwards");
  g_autoptr (NsTensor) dx = ns_tensor_new (train->ctx, dy->channels, H, W, error);
  if (dx == NULL
      || !ns_cl_set_args (train->upsample_backward, what, error, NS_CL_ARG (dy->buffer->mem), NS_CL_ARG (H),
                          NS_CL_ARG (W), NS_CL_ARG (dx->buffer->mem), NS_CL_ARGS_END)
      || !ns_cl_launch (train->ctx, train->upsample_backward, 3, (gsize[]) { W, H, dy->channels }, what, error))
    return NULL;
  return g_steal_pointer (&dx);
}

gboolean
ns_op_channel_affine_accumulate (NsTrainOps *train, const NsTensor *f, const NsClBuffer *mean, const NsClBuffer *a,
                                 const NsClBuffer *b, NsTensor *g, GError **error)
{
  g_return_val_if_fail (ns_tensor_n_elements (f) == ns_tensor_n_elements (g), FALSE);
  int hw = f->height * f->width;
  const char *what = _("computing a loss");
  return ns_cl_set_args (train->affine, what, error, NS_CL_ARG (f->buffer->mem), NS_CL_ARG (hw),
                         NS_CL_ARG (mean->mem), NS_CL_ARG (a->mem), NS_CL_ARG (b->mem), NS_CL_ARG (g->buffer->mem),
                         NS_CL_ARGS_END)
      && ns_cl_launch (train->ctx, train->affine, 2, (gsize[]) { hw, f->channels }, what, error);
}
