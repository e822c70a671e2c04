#include "ns-ops.h"

#include "ns-cl-blas.h"
#include "ns-cl-error.h"
#include "ns-cl-kernel.h"
#include "ns-cl-reduction.h"
#include "ns-cl-tiled.h"
#include "ns-conv-tune.h"
#include "ns-conv-winograd.h"
#include "ns-i18n.h"
#include "ns-kernel-sources.h"
#include "ns-tiled-kernel-sources.h"
#include <string.h>

struct _NsOps {
  NsClContext *ctx;
  NsConvResources res;          /* the programs and the scratch buffer, lent to Winograd */
  NsClSource tiled_source;      /* tiled_gemm.cl, for GPUs */
  NsOps *programs_owner;        /* whose programs these are, when another's (it outlives these), or NULL */
  gboolean implicit_tried;      /* conv_implicit was asked for */
  cl_kernel im2col;
  cl_kernel bias_activation;
  cl_kernel maxpool;
  cl_kernel upsample;
  cl_kernel mean_var;
  cl_kernel adain_blend;
  cl_kernel pad_reflect1;
  cl_kernel conv_direct;
  cl_kernel conv_implicit;
  cl_kernel mask_mix;
  NsConvAlgorithm conv_algorithm;
  gboolean for_gradients;  /* auto and tuned leave Winograd out */
  gboolean implicit_runs;  /* the device takes conv_implicit's 256-item groups */
  NsWinogradGemm winograd_gemm;
  NsWinograd *winograd;
  NsConvTuner *tuner;
  gsize reduce_size;       /* local size of the per-channel reductions */
};

/* The direct kernel's blocking: output channels per work item, and vectors
 * of CONV_VW pixels per work item (registers: OB * XB accumulators + XB
 * inputs; 16-wide, an AVX-512 register, ran the Gatys iteration faster than
 * 8-wide, and 8 channels than 4: docs/BENCHMARKS.md). */
#define CONV_OB 8
#define CONV_XB 2
#define CONV_VW 16
#define KERNEL_BUILD_OPTIONS "-cl-mad-enable -DCONV_OB=" G_STRINGIFY (CONV_OB) " -DCONV_XB=" G_STRINGIFY (CONV_XB) \
  " -DCONV_VW=" G_STRINGIFY (CONV_VW) \
  " -DTILE_M=" G_STRINGIFY (NS_TILED_M) " -DTILE_N=" G_STRINGIFY (NS_TILED_N) \
  " -DWINOGRAD_OB=" G_STRINGIFY (NS_WINOGRAD_O_BLOCK) " -DWINOGRAD_PB=" G_STRINGIFY (NS_WINOGRAD_P_BLOCK)

NsOps *
ns_ops_new (NsClContext *ctx, GError **error)
{
  return ns_ops_new_with_tiled_source (ctx, ns_tiled_kernel_sources, error);
}

gboolean
ns_ops_create_kernels (NsOps *ops, const NsOpsKernel *kernels, gsize n, GError **error)
{
  return ns_conv_resources_create_kernels (&ops->res, kernels, n, error);
}

/* owner: NULL, or the operations whose programs these share. */
static NsOps *
ops_new (NsClContext *ctx, NsOps *owner, const char *tiled_source, GError **error)
{
  g_autoptr (NsOps) ops = g_new0 (NsOps, 1);
  ops->ctx = ops->res.ctx = ctx;
  ops->programs_owner = owner;
  ops->tiled_source = (NsClSource) { "tiled_gemm.cl", "conv3x3_implicit winograd_gemm_tiled", tiled_source };
  ops->res.programs = owner != NULL ? owner->res.programs
                                    : ns_cl_program_set_new (ctx, ns_kernel_sources_files, ns_kernel_sources_n_files,
                                                             KERNEL_BUILD_OPTIONS);
  ops->res.tiled = owner != NULL ? owner->res.tiled
                                 : ns_cl_program_set_new (ctx, &ops->tiled_source, 1, KERNEL_BUILD_OPTIONS);
  /* What the preview runs, every program of it at once (one count for the
   * user): these kernels and Winograd's.  Gatys's come when Gatys runs. */
  static const char *const preview[] = { "winograd_weights", "winograd_input", "winograd_gemm", "winograd_output",
                                         "winograd4_weights", "winograd4_input", "winograd4_output",
                                         "upsample_nearest2x", "mask_mix", "conv3x3_direct", "im2col_reflect3x3",
                                         NULL };
  if (!ns_cl_program_set_prepare (ops->res.programs, preview, error))
    return NULL;
  const NsOpsKernel kernels[] = {
    { &ops->im2col, "im2col_reflect3x3" },
    { &ops->bias_activation, "bias_activation" },
    { &ops->maxpool, "maxpool2x2" },
    { &ops->upsample, "upsample_nearest2x" },
    { &ops->mean_var, "channel_mean_var" },
    { &ops->adain_blend, "adain_blend" },
    { &ops->pad_reflect1, "pad_reflect1" },
    { &ops->conv_direct, "conv3x3_direct" },
    { &ops->mask_mix, "mask_mix" },
  };
  if (!ns_ops_create_kernels (ops, kernels, G_N_ELEMENTS (kernels), error))
    return NULL;
  if ((ops->winograd = ns_winograd_new (&ops->res, error)) == NULL)
    return NULL;

  /* Strips big enough to keep a GPU busy, small enough to bound memory. */
  gboolean gpu = (ctx->info->type & CL_DEVICE_TYPE_GPU) != 0;
  ops->res.scratch_budget = MIN ((gsize) (gpu ? 256 : 64) << 20, ctx->info->max_alloc / 2);
  ops->conv_algorithm = NS_CONV_AUTO;
  ops->winograd_gemm = (ctx->info->type & CL_DEVICE_TYPE_CPU) != 0 ? NS_WINOGRAD_GEMM_REGISTERS
                                                                  : NS_WINOGRAD_GEMM_CLBLAST;
  /* The tuner's file is named as the program's binary, so that it follows
   * the same device, driver and kernels. */
  g_autofree char *all_sources = g_strconcat (ns_kernel_sources, tiled_source, NULL);
  g_autofree char *program_path = ns_cl_program_cache_path (ctx, all_sources, KERNEL_BUILD_OPTIONS);
  if (g_str_has_suffix (program_path, ".bin"))
    program_path[strlen (program_path) - strlen (".bin")] = '\0';
  g_autofree char *tuner_path = g_strconcat (program_path, ".conv-choices", NULL);
  ops->tuner = ns_conv_tuner_new (tuner_path);
  ops->reduce_size = ns_cl_reduction_local_size (ctx);
  return g_steal_pointer (&ops);
}

NsOps *
ns_ops_new_with_tiled_source (NsClContext *ctx, const char *tiled_source, GError **error)
{
  return ops_new (ctx, NULL, tiled_source, error);
}

NsOps *
ns_ops_new_sharing_programs (NsOps *owner, GError **error)
{
  return ops_new (owner->ctx, owner, owner->tiled_source.source, error);
}

void
ns_ops_free (NsOps *ops)
{
  if (ops == NULL)
    return;
  cl_kernel kernels[] = { ops->im2col, ops->bias_activation, ops->maxpool, ops->upsample,
                          ops->mean_var, ops->adain_blend, ops->pad_reflect1, ops->conv_direct, ops->conv_implicit, ops->mask_mix };
  for (gsize i = 0; i < G_N_ELEMENTS (kernels); i++)
    if (kernels[i] != NULL)
      clReleaseKernel (kernels[i]);
  ns_winograd_free (ops->winograd);
  ns_conv_tuner_free (ops->tuner);
  ns_cl_buffer_free (ops->res.scratch);
  if (ops->programs_owner == NULL)
    {
      ns_ops_save_programs (ops);
      ns_cl_program_set_free (ops->res.programs);
      ns_cl_program_set_free (ops->res.tiled);
    }
  g_free (ops);
}

NsClContext *
ns_ops_get_context (NsOps *ops)
{
  return ops->ctx;
}

gboolean
ns_ops_program_was_cached (NsOps *ops)
{
  return ns_cl_program_set_all_cached (ops->res.programs) && ns_cl_program_set_all_cached (ops->res.tiled);
}

gboolean
ns_ops_prepare_all_programs (NsOps *ops, GError **error)
{
  g_autoptr (GError) tiled_error = NULL;
  if (!ns_cl_program_set_prepare (ops->res.programs, NULL, error))
    return FALSE;
  if (!ns_cl_program_set_prepare (ops->res.tiled, NULL, &tiled_error))
    g_debug ("The tiled kernels do not build on %s: %s", ops->ctx->info->name, tiled_error->message);
  return TRUE;
}

void
ns_ops_save_programs (NsOps *ops)
{
  ns_cl_program_set_save (ops->res.programs);
  ns_cl_program_set_save (ops->res.tiled);
}

/* The implicit GEMM, made on first use; FALSE where it did not build or the
 * device cannot run its work groups. */
static gboolean
implicit_runs (NsOps *ops)
{
  if (!ops->implicit_tried)
    {
      ops->implicit_tried = TRUE;
      ops->conv_implicit = ns_conv_resources_create_tiled_kernel (&ops->res, "conv3x3_implicit");
      ops->implicit_runs = ops->conv_implicit != NULL
                           && ns_cl_kernel_fits_group (ops->ctx, ops->conv_implicit, NS_TILED_GROUP);
    }
  return ops->implicit_runs;
}

void
ns_ops_set_conv_algorithm (NsOps *ops, NsConvAlgorithm algorithm)
{
  ops->conv_algorithm = algorithm;
}

NsConvAlgorithm
ns_ops_get_conv_algorithm (NsOps *ops)
{
  return ops->conv_algorithm;
}

/* exact: for a convolution whose rounding may decide a mask (a forward
 * pass of operations for gradients): no Winograd among the measured ways.
 * On processors it takes Winograd by width too: F(4x4)'s rounding moved a
 * Gatys gradient from 1.1e-6 to 2.3e-6 of PyTorch's (relative L2, bound
 * 1e-3), and its forward pass ran an iteration in 0.78-0.85 of the time of
 * the direct kernel's (docs/BENCHMARKS.md, issue 20). */
static NsConvAlgorithm
resolve_conv_algorithm (NsOps *ops, gboolean exact)
{
  if (ops->conv_algorithm == NS_CONV_IMPLICIT && !implicit_runs (ops))
    return NS_CONV_IM2COL;
  if (ops->conv_algorithm != NS_CONV_AUTO)
    return ops->conv_algorithm;
  /* On processors Winograd (register-blocked products) beat the direct
   * kernel on every layer of 128 channels or more, tied at 64 and lost at 3
   * (docs/BENCHMARKS.md); measuring every way through PoCL would take
   * seconds. */
  if ((ops->ctx->info->type & CL_DEVICE_TYPE_CPU) != 0)
    return NS_CONV_BY_WIDTH;
  return NS_CONV_TUNED;
}

NsConvAlgorithm
ns_ops_resolved_conv_algorithm (NsOps *ops)
{
  return resolve_conv_algorithm (ops, ops->for_gradients);
}

NsConvAlgorithm
ns_ops_resolved_backward_conv_algorithm (NsOps *ops)
{
  return resolve_conv_algorithm (ops, FALSE);
}

void
ns_ops_set_for_gradients (NsOps *ops, gboolean for_gradients)
{
  ops->for_gradients = for_gradients;
}

/* What by-width runs a layer of C -> O channels with: Winograd F(4x4, 3x3)
 * where it is wide enough (docs/BENCHMARKS.md, issue 20). */
static NsConvAlgorithm
by_width (int C, int O)
{
  return MIN (C, O) >= NS_CONV_WINOGRAD_MIN_WIDTH ? NS_CONV_WINOGRAD4 : NS_CONV_DIRECT;
}

static gboolean
prepare_conv (NsOps *ops, const NsConv3x3 *conv, gboolean exact, GError **error)
{
  NsConvAlgorithm a = resolve_conv_algorithm (ops, exact);
  if (a == NS_CONV_BY_WIDTH)
    a = by_width (conv->in_channels, conv->out_channels);
  gboolean tuned = a == NS_CONV_TUNED && !exact;
  return ((a != NS_CONV_WINOGRAD && !tuned) || ns_winograd_prepare (ops->winograd, conv, 2, error))
      && ((a != NS_CONV_WINOGRAD4 && !tuned) || ns_winograd_prepare (ops->winograd, conv, 4, error));
}

gboolean
ns_ops_prepare_conv (NsOps *ops, const NsConv3x3 *conv, GError **error)
{
  return prepare_conv (ops, conv, ops->for_gradients, error);
}

gboolean
ns_ops_prepare_backward_conv (NsOps *ops, const NsConv3x3 *conv, GError **error)
{
  return prepare_conv (ops, conv, FALSE, error);
}

void
ns_ops_set_winograd_gemm (NsOps *ops, NsWinogradGemm gemm)
{
  ops->winograd_gemm = gemm;
}

NsWinogradGemm
ns_ops_get_winograd_gemm (NsOps *ops)
{
  return ops->winograd_gemm;
}

gboolean
ns_ops_tuned_choice (NsOps *ops, int C, int O, int H, int W, NsConvChoice *choice)
{
  return ns_conv_tuner_lookup (ops->tuner, C, O, H, W, ops->for_gradients, choice);
}

gsize
ns_ops_get_scratch_growth_to (NsOps *ops, gsize bytes)
{
  gsize held = ops->res.scratch != NULL ? ops->res.scratch->size : 0;
  return bytes > held ? bytes - held : 0;
}

gsize
ns_ops_get_scratch_growth (NsOps *ops)
{
  return ns_ops_get_scratch_growth_to (ops, ops->res.scratch_budget);
}

gsize
ns_ops_get_scratch_budget (NsOps *ops)
{
  return ops->res.scratch_budget;
}

void
ns_ops_set_scratch_budget (NsOps *ops, gsize bytes)
{
  ops->res.scratch_budget = MAX (bytes, sizeof (float));
}

cl_kernel
ns_ops_create_kernel (NsOps *ops, const char *name, GError **error)
{
  return ns_cl_program_set_create_kernel (ops->res.programs, name, error);
}

NsConv3x3 *
ns_conv3x3_new (NsClContext *ctx, int in_channels, int out_channels,
                const float *weight_oihw, const float *bias, GError **error)
{
  g_autoptr (NsConv3x3) conv = g_new0 (NsConv3x3, 1);
  gsize weight_bytes = (gsize) out_channels * in_channels * 9 * sizeof (float);
  conv->in_channels = in_channels;
  conv->out_channels = out_channels;
  conv->weight = ns_cl_buffer_new (ctx, weight_bytes, error);
  if (conv->weight == NULL || !ns_cl_buffer_write (conv->weight, 0, weight_oihw, weight_bytes, error))
    return NULL;
  conv->bias = ns_cl_buffer_new (ctx, out_channels * sizeof (float), error);
  if (conv->bias == NULL || !ns_cl_buffer_write (conv->bias, 0, bias, out_channels * sizeof (float), error))
    return NULL;

  /* [out / OB][in][9][OB]: the CONV_OB weights one input value meets are adjacent. */
  gsize blocks = (out_channels + CONV_OB - 1) / CONV_OB;
  gsize blocked_floats = blocks * in_channels * 9 * CONV_OB;
  g_autofree float *blocked = g_new0 (float, blocked_floats);
  for (int o = 0; o < out_channels; o++)
    for (int c = 0; c < in_channels; c++)
      for (int t = 0; t < 9; t++)
        blocked[(((gsize) (o / CONV_OB) * in_channels + c) * 9 + t) * CONV_OB + o % CONV_OB] =
          weight_oihw[((gsize) o * in_channels + c) * 9 + t];
  conv->weight_blocked = ns_cl_buffer_new (ctx, blocked_floats * sizeof (float), error);
  if (conv->weight_blocked == NULL
      || !ns_cl_buffer_write (conv->weight_blocked, 0, blocked, blocked_floats * sizeof (float), error))
    return NULL;
  return g_steal_pointer (&conv);
}

void
ns_conv3x3_free (NsConv3x3 *conv)
{
  if (conv == NULL)
    return;
  ns_cl_buffer_free (conv->weight);
  ns_cl_buffer_free (conv->bias);
  ns_cl_buffer_free (conv->weight_blocked);
  ns_cl_buffer_free (conv->weight_winograd);
  ns_cl_buffer_free (conv->weight_winograd4);
  g_free (conv);
}

NsClBuffer *
ns_ops_get_scratch (NsOps *ops, gsize bytes, GError **error)
{
  return ns_conv_resources_get_scratch (&ops->res, bytes, error);
}

/* The input with its reflection border, C x (H + 2) x Wp (Wp >= W + 2), in
 * the scratch buffer: what the direct and implicit kernels read. */
static cl_mem
padded_input (NsOps *ops, const NsTensor *in, int Wp, const char *what, GError **error)
{
  const int C = in->channels, H = in->height;
  if (ns_ops_get_scratch (ops, (gsize) C * (H + 2) * Wp * sizeof (float), error) == NULL
      || !ns_conv_pad_rows (ops->ctx, ops->pad_reflect1, in, 0, H + 2, Wp, ops->res.scratch->mem, 0, what, error))
    return NULL;
  return ops->res.scratch->mem;
}

/* The direct and implicit paths: the padded copy, then one kernel, whose
 * arguments are the same for both, adds the bias and applies the ReLU at its
 * one store. */
static NsTensor *
conv3x3_padded (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, gboolean relu, cl_kernel kernel, int Wp,
                const NsClBuffer *weight, cl_uint dims, const size_t *global, const size_t *local, GError **error)
{
  const int C = in->channels, H = in->height, W = in->width, O = conv->out_channels;
  const char *what = _("running a convolution");
  g_autoptr (NsTensor) out = ns_tensor_new (ops->ctx, O, H, W, error);
  cl_mem padded = out != NULL ? padded_input (ops, in, Wp, what, error) : NULL;
  if (padded == NULL)
    return NULL;
  int act = relu ? 1 : 0;
  if (!ns_cl_set_args (kernel, what, error, NS_CL_ARG (padded), NS_CL_ARG (C), NS_CL_ARG (H), NS_CL_ARG (W),
                       NS_CL_ARG (Wp), NS_CL_ARG (weight->mem), NS_CL_ARG (conv->bias->mem), NS_CL_ARG (O),
                       NS_CL_ARG (act), NS_CL_ARG (out->buffer->mem), NS_CL_ARGS_END)
      || !ns_cl_enqueue (ops->ctx, kernel, dims, global, local, what, error))
    return NULL;
  return g_steal_pointer (&out);
}

/* Direct (conv_direct.cl): rows padded to whole blocks of CONV_VW * CONV_XB pixels. */
static NsTensor *
conv3x3_direct (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, gboolean relu, GError **error)
{
  const int span = CONV_VW * CONV_XB, blocks_x = (in->width + span - 1) / span;
  const size_t global[3] = { (conv->out_channels + CONV_OB - 1) / CONV_OB, blocks_x, in->height };
  /* Groups along the output channels only, of a power of two up to 16: a
   * few shapes for every image size, so that drivers compiling a kernel per
   * shape (PoCL) compile this one a few times, not once per size. */
  size_t group = 16;
  while (global[0] % group != 0)
    group /= 2;
  return conv3x3_padded (ops, in, conv, relu, ops->conv_direct, blocks_x * span + 2, conv->weight_blocked, 3,
                         global, (size_t[]) { group, 1, 1 }, error);
}

/* The implicit GEMM (tiled_gemm.cl): gathers the im2col matrix tile by tile
 * into local memory, from OIHW weights. */
static NsTensor *
conv3x3_implicit (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, gboolean relu, GError **error)
{
  const gsize HW = (gsize) in->height * in->width;
  const size_t global[2] = { (HW + NS_TILED_N - 1) / NS_TILED_N * 16,
                             (conv->out_channels + NS_TILED_M - 1) / NS_TILED_M * 16 };
  return conv3x3_padded (ops, in, conv, relu, ops->conv_implicit, in->width + 2, conv->weight, 2, global,
                         (size_t[]) { 16, 16 }, error);
}

/* Seconds for one run to its end on the device, or < 0 on error. */
static double
time_run (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, NsConvChoice choice, gboolean relu,
          GError **error)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (NsTensor) out = ns_op_conv3x3_by (ops, in, conv, choice, relu, error);
  if (out == NULL || !ns_cl_context_finish (ops->ctx, error))
    return -1;
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The tuner's measurement (ns-conv-tune.h): `conv` on `in` every way (but
 * Winograd when exact), the fastest kept as the choice for this shape.  Ways
 * that fail (out of memory, say) are left out; fails only when every way
 * does, with the last error. */
static gboolean
measure_choice (NsOps *ops, const NsTensor *full_in, const NsConv3x3 *conv, gboolean relu, gboolean exact,
                NsConvChoice *choice, GError **error)
{
  g_autoptr (NsTensor) owned = NULL;
  const NsTensor *in = ns_conv_tuner_measured_input (full_in, &owned, error);
  if (in == NULL)
    return FALSE;
  double best = G_MAXDOUBLE;
  g_autoptr (GError) last_error = NULL;
  gsize n;
  const NsConvChoice *candidates = ns_conv_choices (&n);
  for (gsize i = 0; i < n; i++)
    {
      const NsConvChoice c = candidates[i];
      if (exact && ns_conv_is_winograd (c.algorithm))
        continue;
      GError *err = NULL;
      /* The untimed run pays for first-use costs: CLBlast's kernel builds,
       * Winograd's weights.  A way 3x slower than the best gets no second try. */
      double t = time_run (ops, in, conv, c, relu, &err), t1 = -1, t2 = -1;
      if (t >= 0 && (t1 = time_run (ops, in, conv, c, relu, &err)) >= 0)
        t2 = t1 > 3 * best ? t1 : time_run (ops, in, conv, c, relu, &err);
      t = t2 < 0 ? -1 : MIN (t1, t2);
      g_autofree char *name = ns_conv_choice_name (c);
      g_debug ("conv %d -> %d at %d x %d, %s: %.3f ms", in->channels, conv->out_channels, in->height, in->width, name,
               t * 1e3);
      if (t < 0)
        {
          g_clear_error (&last_error);
          last_error = err;
        }
      else if (t < best)
        best = t, *choice = c;
    }
  if (best == G_MAXDOUBLE)
    {
      g_propagate_error (error, g_steal_pointer (&last_error));
      return FALSE;
    }
  ns_conv_tuner_record (ops->tuner, full_in->channels, conv->out_channels, full_in->height, full_in->width, exact,
                        *choice);
  return TRUE;
}

static NsTensor *
conv3x3_chosen (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, gboolean relu, gboolean exact,
                GError **error)
{
  NsConvChoice choice = { resolve_conv_algorithm (ops, exact), ops->winograd_gemm };
  if (choice.algorithm == NS_CONV_BY_WIDTH)
    choice.algorithm = by_width (in->channels, conv->out_channels);
  if (choice.algorithm == NS_CONV_TUNED
      && !ns_conv_tuner_lookup (ops->tuner, in->channels, conv->out_channels, in->height, in->width, exact, &choice)
      && !measure_choice (ops, in, conv, relu, exact, &choice, error))
    return NULL;
  return ns_op_conv3x3_by (ops, in, conv, choice, relu, error);
}

NsTensor *
ns_op_conv3x3 (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, gboolean relu, GError **error)
{
  return conv3x3_chosen (ops, in, conv, relu, ops->for_gradients, error);
}

NsTensor *
ns_op_conv3x3_backward_pass (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, GError **error)
{
  return conv3x3_chosen (ops, in, conv, FALSE, FALSE, error);
}

NsTensor *
ns_op_conv3x3_by (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, NsConvChoice choice, gboolean relu,
                  GError **error)
{
  g_return_val_if_fail (in->channels == conv->in_channels, NULL);
  g_return_val_if_fail (in->height >= 2 && in->width >= 2, NULL);
  g_return_val_if_fail (choice.algorithm < NS_CONV_BY_WIDTH, NULL);
  switch (choice.algorithm)
    {
    case NS_CONV_DIRECT:
      return conv3x3_direct (ops, in, conv, relu, error);
    case NS_CONV_WINOGRAD:
    case NS_CONV_WINOGRAD4:
      return ns_winograd_conv3x3 (ops->winograd, in, conv, choice.gemm,
                                  choice.algorithm == NS_CONV_WINOGRAD4 ? 4 : 2, relu, error);
    case NS_CONV_IMPLICIT:
      if (implicit_runs (ops))
        return conv3x3_implicit (ops, in, conv, relu, error);
      break;
    default:
      break;
    }
  const int C = in->channels, H = in->height, W = in->width;
  const gsize K = (gsize) C * 9, HW = (gsize) H * W;
  g_autoptr (NsTensor) out = ns_tensor_new (ops->ctx, conv->out_channels, H, W, error);
  if (out == NULL)
    return NULL;

  int rows = (int) CLAMP (ops->res.scratch_budget / (K * W * sizeof (float)), 1, (gsize) H);
  if (ns_ops_get_scratch (ops, K * rows * W * sizeof (float), error) == NULL)
    return NULL;
  const char *what = _("running a convolution");
  for (int y0 = 0; y0 < H; y0 += rows)
    {
      int n_rows = MIN (rows, H - y0);
      gsize N = (gsize) n_rows * W;
      if (!ns_cl_set_args (ops->im2col, what, error, NS_CL_ARG (in->buffer->mem), NS_CL_ARG (C), NS_CL_ARG (H), NS_CL_ARG (W),
                     NS_CL_ARG (y0), NS_CL_ARG (n_rows), NS_CL_ARG (ops->res.scratch->mem), NS_CL_ARGS_END)
          || !ns_cl_launch (ops->ctx, ops->im2col, 2, (gsize[]) { N, C }, what, error)
          || !ns_cl_sgemm (ops->ctx, FALSE, FALSE, conv->out_channels, N, K, 1.0f,
                           conv->weight->mem, 0, K, ops->res.scratch->mem, 0, N, 0.0f,
                           out->buffer->mem, (gsize) y0 * W, HW, error))
        return NULL;
    }
  int hw = (int) HW, act = relu ? 1 : 0;
  if (!ns_cl_set_args (ops->bias_activation, what, error, NS_CL_ARG (out->buffer->mem), NS_CL_ARG (conv->bias->mem),
                 NS_CL_ARG (hw), NS_CL_ARG (act), NS_CL_ARGS_END)
      || !ns_cl_launch (ops->ctx, ops->bias_activation, 2, (gsize[]) { HW, conv->out_channels }, what, error))
    return NULL;
  return g_steal_pointer (&out);
}

NsTensor *
ns_op_maxpool2x2 (NsOps *ops, const NsTensor *in, GError **error)
{
  g_return_val_if_fail (in->height >= 2 && in->width >= 2, NULL);
  g_autoptr (NsTensor) out = ns_tensor_new (ops->ctx, in->channels, in->height / 2, in->width / 2, error);
  const char *what = _("max-pooling");
  if (out == NULL
      || !ns_cl_set_args (ops->maxpool, what, error, NS_CL_ARG (in->buffer->mem), NS_CL_ARG (in->height), NS_CL_ARG (in->width),
                    NS_CL_ARG (out->buffer->mem), NS_CL_ARGS_END)
      || !ns_cl_launch (ops->ctx, ops->maxpool, 3, (gsize[]) { out->width, out->height, out->channels }, what, error))
    return NULL;
  return g_steal_pointer (&out);
}

NsTensor *
ns_op_upsample2x (NsOps *ops, const NsTensor *in, GError **error)
{
  g_autoptr (NsTensor) out = ns_tensor_new (ops->ctx, in->channels, in->height * 2, in->width * 2, error);
  const char *what = _("upsampling");
  if (out == NULL
      || !ns_cl_set_args (ops->upsample, what, error, NS_CL_ARG (in->buffer->mem), NS_CL_ARG (in->height), NS_CL_ARG (in->width),
                    NS_CL_ARG (out->buffer->mem), NS_CL_ARGS_END)
      || !ns_cl_launch (ops->ctx, ops->upsample, 3, (gsize[]) { out->width, out->height, out->channels }, what, error))
    return NULL;
  return g_steal_pointer (&out);
}

gboolean
ns_op_channel_mean_var (NsOps *ops, const NsTensor *in, NsClBuffer *mean, NsClBuffer *var, GError **error)
{
  g_return_val_if_fail (mean->size >= in->channels * sizeof (float), FALSE);
  g_return_val_if_fail (var->size >= in->channels * sizeof (float), FALSE);
  int hw = in->height * in->width;
  const char *what = _("computing feature statistics");
  size_t local = ops->reduce_size, global = local * in->channels;
  return ns_cl_set_args (ops->mean_var, what, error, NS_CL_ARG (in->buffer->mem), NS_CL_ARG (hw), NS_CL_ARG (mean->mem),
                   NS_CL_ARG (var->mem), NS_CL_LOCAL_ARG (local * sizeof (float)), NS_CL_ARGS_END)
      && ns_cl_enqueue (ops->ctx, ops->mean_var, 1, &global, &local, what, error);
}

NsTensor *
ns_op_adain_blend (NsOps *ops, const NsTensor *x,
                   const NsClBuffer *mean_c, const NsClBuffer *var_c,
                   const NsClBuffer *mean_s, const NsClBuffer *var_s,
                   float alpha, float eps, GError **error)
{
  g_autoptr (NsTensor) out = ns_tensor_new (ops->ctx, x->channels, x->height, x->width, error);
  int hw = x->height * x->width;
  const char *what = _("applying adaptive instance normalisation");
  if (out == NULL
      || !ns_cl_set_args (ops->adain_blend, what, error, NS_CL_ARG (x->buffer->mem), NS_CL_ARG (hw), NS_CL_ARG (mean_c->mem),
                    NS_CL_ARG (var_c->mem), NS_CL_ARG (mean_s->mem), NS_CL_ARG (var_s->mem), NS_CL_ARG (alpha), NS_CL_ARG (eps),
                    NS_CL_ARG (out->buffer->mem), NS_CL_ARGS_END)
      || !ns_cl_launch (ops->ctx, ops->adain_blend, 2, (gsize[]) { hw, x->channels }, what, error))
    return NULL;
  return g_steal_pointer (&out);
}

NsTensor *
ns_op_mask_mix (NsOps *ops, const NsTensor *a, const NsTensor *b, const NsClBuffer *mask, GError **error)
{
  g_return_val_if_fail (a->channels == b->channels && a->height == b->height && a->width == b->width, NULL);
  g_return_val_if_fail (mask->size >= (gsize) a->height * a->width * sizeof (float), NULL);
  g_autoptr (NsTensor) out = ns_tensor_new (ops->ctx, a->channels, a->height, a->width, error);
  int hw = a->height * a->width;
  const char *what = _("joining the styles of two regions");
  if (out == NULL
      || !ns_cl_set_args (ops->mask_mix, what, error, NS_CL_ARG (a->buffer->mem), NS_CL_ARG (b->buffer->mem), NS_CL_ARG (mask->mem), NS_CL_ARG (hw),
                    NS_CL_ARG (out->buffer->mem), NS_CL_ARGS_END)
      || !ns_cl_launch (ops->ctx, ops->mask_mix, 2, (gsize[]) { hw, a->channels }, what, error))
    return NULL;
  return g_steal_pointer (&out);
}
