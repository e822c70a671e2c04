#include "ns-conv-winograd.h"

#include "ns-cl-blas.h"
#include "ns-cl-kernel.h"
#include "ns-cl-tiled.h"
#include "ns-i18n.h"

/* The kernels of one tile size: F(2x2, 3x3) (winograd.cl) or F(4x4, 3x3)
 * (winograd4.cl). */
typedef struct {
  int m;                 /* outputs per tile side; tiles read m + 2 */
  cl_kernel weights;
  cl_kernel input;
  cl_kernel output;
} NsWinogradTile;

struct _NsWinograd {
  NsClContext *ctx;
  NsConvResources *res;  /* the operations': programs, scratch buffer */
  cl_kernel pad;
  cl_kernel gemm;
  cl_kernel gemm_tiled;
  NsWinogradTile tiles[2];   /* F(2x2, 3x3), F(4x4, 3x3) */
  gboolean tiled_tried;  /* gemm_tiled was asked for (on first use: a GPU program) */
  gboolean tiled_runs;   /* it built, and the device takes its 256-item groups */
};

/* The kernels of `tile` outputs a side (2 or 4). */
static const NsWinogradTile *
tile_kernels (NsWinograd *winograd, int tile)
{
  return &winograd->tiles[tile == 4];
}

/* The layer's transformed weights for that tile size (a cache of the layer's). */
static NsClBuffer **
weights_of (const NsConv3x3 *conv, int tile)
{
  return tile == 4 ? &((NsConv3x3 *) conv)->weight_winograd4 : &((NsConv3x3 *) conv)->weight_winograd;
}

int
ns_winograd_out_pad (int out_channels)
{
  return (out_channels + NS_WINOGRAD_O_BLOCK - 1) / NS_WINOGRAD_O_BLOCK * NS_WINOGRAD_O_BLOCK;
}

NsWinograd *
ns_winograd_new (NsConvResources *res, GError **error)
{
  g_autoptr (NsWinograd) winograd = g_new0 (NsWinograd, 1);
  winograd->ctx = res->ctx;
  winograd->res = res;
  NsWinogradTile *f2 = &winograd->tiles[0], *f4 = &winograd->tiles[1];
  f2->m = 2;
  f4->m = 4;
  const NsOpsKernel kernels[] = {
    { &winograd->pad, "pad_reflect1" },
    { &winograd->gemm, "winograd_gemm" },
    { &f2->weights, "winograd_weights" },
    { &f2->input, "winograd_input" },
    { &f2->output, "winograd_output" },
    { &f4->weights, "winograd4_weights" },
    { &f4->input, "winograd4_input" },
    { &f4->output, "winograd4_output" },
  };
  if (!ns_conv_resources_create_kernels (res, kernels, G_N_ELEMENTS (kernels), error))
    return NULL;
  return g_steal_pointer (&winograd);
}

void
ns_winograd_free (NsWinograd *winograd)
{
  if (winograd == NULL)
    return;
  cl_kernel kernels[] = { winograd->pad, winograd->gemm, winograd->gemm_tiled,
                          winograd->tiles[0].weights, winograd->tiles[0].input, winograd->tiles[0].output,
                          winograd->tiles[1].weights, winograd->tiles[1].input, winograd->tiles[1].output };
  for (gsize i = 0; i < G_N_ELEMENTS (kernels); i++)
    if (kernels[i] != NULL)
      clReleaseKernel (kernels[i]);
  g_free (winograd);
}

/* M[e] = U[e] V[e] for the E elements e of one strip. */
static gboolean
products (NsWinograd *winograd, const NsConv3x3 *conv, int tile, NsWinogradGemm gemm, cl_mem scratch, int P_pad,
          cl_ulong m_offset, const char *what, GError **error)
{
  const int C = conv->in_channels, O_pad = ns_winograd_out_pad (conv->out_channels);
  const int E = (tile + 2) * (tile + 2);
  cl_mem u = (*weights_of (conv, tile))->mem;
  if (gemm == NS_WINOGRAD_GEMM_CLBLAST)
    return ns_cl_sgemm_strided_batched (winograd->ctx, FALSE, FALSE, O_pad, P_pad, C, 1.0f,
                                        u, 0, C, (gsize) O_pad * C,
                                        scratch, 0, P_pad, (gsize) C * P_pad, 0.0f,
                                        scratch, m_offset, P_pad, (gsize) O_pad * P_pad, E, error);
  /* Both kernels take the same arguments. */
  cl_kernel kernel = gemm == NS_WINOGRAD_GEMM_TILED ? winograd->gemm_tiled : winograd->gemm;
  if (!ns_cl_set_args (kernel, what, error, NS_CL_ARG (u), NS_CL_ARG (scratch),
                       NS_CL_ARG (C), NS_CL_ARG (O_pad), NS_CL_ARG (P_pad), NS_CL_ARG (scratch),
                       NS_CL_ARG (m_offset), NS_CL_ARGS_END))
    return FALSE;
  if (gemm == NS_WINOGRAD_GEMM_TILED)
    return ns_cl_enqueue (winograd->ctx, kernel, 3,
                          (size_t[]) { (P_pad + NS_TILED_N - 1) / NS_TILED_N * 16,
                                       (O_pad + NS_TILED_M - 1) / NS_TILED_M * 16, E },
                          (size_t[]) { 16, 16, 1 }, what, error);
  /* One work-group shape for every image size and layer: drivers that
   * compile a kernel per shape (PoCL) then compile this one once.  A group is
   * 8 output blocks of one column of V, which stays in the processor's cache
   * while the group's items walk U. */
  const size_t global[3] = { O_pad / NS_WINOGRAD_O_BLOCK, P_pad / NS_WINOGRAD_P_BLOCK, E };
  return ns_cl_enqueue (winograd->ctx, kernel, 3, global, global[0] % 8 == 0 ? (size_t[]) { 8, 1, 1 } : NULL, what,
                        error);
}

/* The row length of V and M: whole blocks of tiles, and an odd number of
 * them, so that rows a power of two apart do not share the processor's cache
 * sets (winograd_gemm walks down them). */
static int
padded_tiles (int n_tiles)
{
  int blocks = (n_tiles + NS_WINOGRAD_P_BLOCK - 1) / NS_WINOGRAD_P_BLOCK;
  return (blocks | 1) * NS_WINOGRAD_P_BLOCK;
}

/* The transformed weights are a cache, made the first time a layer runs by
 * Winograd: the other algorithms never pay for them in time or memory. */
gboolean
ns_winograd_prepare (NsWinograd *winograd, const NsConv3x3 *conv, int tile, GError **error)
{
  NsClBuffer **cached = weights_of (conv, tile);
  if (*cached != NULL)
    return TRUE;
  const NsWinogradTile *t = tile_kernels (winograd, tile);
  const int C = conv->in_channels, O = conv->out_channels, O_pad = ns_winograd_out_pad (O);
  const int E = (t->m + 2) * (t->m + 2);
  const char *what = _("running a convolution");
  g_autoptr (NsClBuffer) u = ns_cl_buffer_new (winograd->ctx, (gsize) E * O_pad * C * sizeof (float), error);
  if (u == NULL
      || !ns_cl_set_args (t->weights, what, error, NS_CL_ARG (conv->weight->mem), NS_CL_ARG (C), NS_CL_ARG (O),
                          NS_CL_ARG (O_pad), NS_CL_ARG (u->mem), NS_CL_ARGS_END)
      || !ns_cl_launch (winograd->ctx, t->weights, 2, (gsize[]) { C, O_pad }, what, error))
    return FALSE;
  /* A cache of the layer's, which callers hold as const. */
  *cached = g_steal_pointer (&u);
  return TRUE;
}

NsTensor *
ns_winograd_conv3x3 (NsWinograd *winograd, const NsTensor *in, const NsConv3x3 *conv,
                     NsWinogradGemm gemm, int tile, gboolean relu, GError **error)
{
  const NsWinogradTile *t = tile_kernels (winograd, tile);
  const int C = in->channels, H = in->height, W = in->width, O = conv->out_channels;
  const int O_pad = ns_winograd_out_pad (O), m = t->m, E = (m + 2) * (m + 2);
  const int tiles_x = (W + m - 1) / m, tiles_y = (H + m - 1) / m;
  const char *what = _("running a convolution");
  if (!ns_winograd_prepare (winograd, conv, m, error))
    return NULL;
  g_autoptr (NsTensor) out = ns_tensor_new (winograd->ctx, O, H, W, error);
  if (out == NULL)
    return NULL;

  if (gemm == NS_WINOGRAD_GEMM_TILED && !winograd->tiled_tried)
    {
      winograd->tiled_tried = TRUE;
      winograd->gemm_tiled = ns_conv_resources_create_tiled_kernel (winograd->res, "winograd_gemm_tiled");
      winograd->tiled_runs = winograd->gemm_tiled != NULL
                             && ns_cl_kernel_fits_group (winograd->ctx, winograd->gemm_tiled, NS_TILED_GROUP);
    }
  if (gemm == NS_WINOGRAD_GEMM_TILED && !winograd->tiled_runs)
    gemm = NS_WINOGRAD_GEMM_REGISTERS;

  /* Strips of tile rows of row_tiles tiles (tiles_x rounded up to 16 for
   * F(2x2), to 8 for F(4x4), whose input transform skips a last half group:
   * the rounding's columns are products made for nothing, a quarter of them
   * at 17 tiles a row): V and M take E (C + O_pad) floats a tile; F(2x2)'s
   * input transform reads a padded copy of the strip, 2 rows of
   * Wp = 2 row_tiles + 2 floats per tile row and channel (and 2 more),
   * F(4x4)'s reads the input itself. */
  const int row_round = m == 2 ? 16 : 8;
  const int row_tiles = (tiles_x + row_round - 1) / row_round * row_round, Wp = m == 2 ? 2 * row_tiles + 2 : 0;
  const gsize tile_bytes = (gsize) E * (C + O_pad) * sizeof (float);
  const gsize padded_row_bytes = (gsize) 2 * C * Wp * sizeof (float);
  int rows = (int) CLAMP (winograd->res->scratch_budget / (tile_bytes * row_tiles + padded_row_bytes), 1,
                          (gsize) tiles_y);
  int P_pad_max = padded_tiles (rows * row_tiles);
  NsClBuffer *scratch = ns_conv_resources_get_scratch (winograd->res, tile_bytes * P_pad_max + padded_row_bytes * (rows + 1), error);
  if (scratch == NULL)
    return NULL;
  int act = relu ? 1 : 0;
  const gsize groups = row_tiles / 8;   /* of 8 tiles, for the output transform */
  for (int ty0 = 0; ty0 < tiles_y; ty0 += rows)
    {
      int n_rows = MIN (rows, tiles_y - ty0);
      int P_pad = padded_tiles (n_rows * row_tiles);
      /* V's layout: CLBlast's plain rows, 16-tile blocks for the tiled
       * products (tiled_gemm.cl), the register blocks' width for ours. */
      int block = gemm == NS_WINOGRAD_GEMM_CLBLAST ? P_pad : gemm == NS_WINOGRAD_GEMM_TILED ? 16 : NS_WINOGRAD_P_BLOCK;
      /* scratch: V, then M, then the strip's padded input (floats). */
      cl_ulong m_offset = (cl_ulong) E * C * P_pad, padded_offset = m_offset + (cl_ulong) E * O_pad * P_pad;
      gboolean input_ok;
      if (m == 2)
        input_ok = ns_conv_pad_rows (winograd->ctx, winograd->pad, in, 2 * ty0, 2 * n_rows + 2, Wp, scratch->mem, padded_offset,
                                   what, error)
                   && ns_cl_set_args (t->input, what, error, NS_CL_ARG (scratch->mem), NS_CL_ARG (padded_offset),
                                      NS_CL_ARG (C), NS_CL_ARG (n_rows), NS_CL_ARG (Wp), NS_CL_ARG (row_tiles),
                                      NS_CL_ARG (P_pad), NS_CL_ARG (block), NS_CL_ARG (scratch->mem), NS_CL_ARGS_END);
      else
        input_ok = ns_cl_set_args (t->input, what, error, NS_CL_ARG (in->buffer->mem), NS_CL_ARG (C), NS_CL_ARG (H),
                                   NS_CL_ARG (W), NS_CL_ARG (ty0), NS_CL_ARG (n_rows), NS_CL_ARG (row_tiles),
                                   NS_CL_ARG (P_pad), NS_CL_ARG (block), NS_CL_ARG (scratch->mem), NS_CL_ARGS_END);
      if (!input_ok
          || !ns_cl_launch (winograd->ctx, t->input, 3, (gsize[]) { C, (groups + 1) / 2, n_rows }, what, error)
          || !products (winograd, conv, m, gemm, scratch->mem, P_pad, m_offset, what, error)
          || !ns_cl_set_args (t->output, what, error, NS_CL_ARG (scratch->mem), NS_CL_ARG (m_offset),
                              NS_CL_ARG (O_pad), NS_CL_ARG (P_pad), NS_CL_ARG (ty0), NS_CL_ARG (n_rows),
                              NS_CL_ARG (row_tiles), NS_CL_ARG (conv->bias->mem), NS_CL_ARG (act), NS_CL_ARG (H),
                              NS_CL_ARG (W), NS_CL_ARG (out->buffer->mem), NS_CL_ARGS_END)
          || !ns_cl_launch (winograd->ctx, t->output, 3, (gsize[]) { groups, n_rows, O }, what, error))
        return NULL;
    }
  return g_steal_pointer (&out);
}
