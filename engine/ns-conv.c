#include "ns-conv.h"

#include "ns-cl-kernel.h"

const char *
ns_conv_algorithm_name (NsConvAlgorithm algorithm)
{
  switch (algorithm)
    {
    case NS_CONV_DIRECT:
      return "direct";
    case NS_CONV_WINOGRAD:
      return "winograd";
    case NS_CONV_IMPLICIT:
      return "implicit";
    case NS_CONV_WINOGRAD4:
      return "winograd4";
    case NS_CONV_BY_WIDTH:
      return "by-width";
    case NS_CONV_TUNED:
      return "tuned";
    case NS_CONV_AUTO:
      return "auto";
    case NS_CONV_IM2COL:
    default:
      return "im2col";
    }
}

const char *
ns_winograd_gemm_name (NsWinogradGemm gemm)
{
  switch (gemm)
    {
    case NS_WINOGRAD_GEMM_TILED:
      return "tiled";
    case NS_WINOGRAD_GEMM_CLBLAST:
      return "clblast";
    case NS_WINOGRAD_GEMM_REGISTERS:
    default:
      return "registers";
    }
}

const NsConvChoice *
ns_conv_choices (gsize *n)
{
  static const NsConvChoice choices[] = {
    { NS_CONV_IM2COL, NS_WINOGRAD_GEMM_REGISTERS },
    { NS_CONV_DIRECT, NS_WINOGRAD_GEMM_REGISTERS },
    { NS_CONV_IMPLICIT, NS_WINOGRAD_GEMM_REGISTERS },
    { NS_CONV_WINOGRAD, NS_WINOGRAD_GEMM_REGISTERS },
    { NS_CONV_WINOGRAD, NS_WINOGRAD_GEMM_TILED },
    { NS_CONV_WINOGRAD, NS_WINOGRAD_GEMM_CLBLAST },
    { NS_CONV_WINOGRAD4, NS_WINOGRAD_GEMM_REGISTERS },
    { NS_CONV_WINOGRAD4, NS_WINOGRAD_GEMM_TILED },
    { NS_CONV_WINOGRAD4, NS_WINOGRAD_GEMM_CLBLAST },
  };
  *n = G_N_ELEMENTS (choices);
  return choices;
}

char *
ns_conv_choice_name (NsConvChoice choice)
{
  if (!ns_conv_is_winograd (choice.algorithm))
    return g_strdup (ns_conv_algorithm_name (choice.algorithm));
  return g_strconcat (ns_conv_algorithm_name (choice.algorithm), "-", ns_winograd_gemm_name (choice.gemm), NULL);
}

gboolean
ns_conv_resources_create_kernels (NsConvResources *res, const NsOpsKernel *kernels, gsize n, GError **error)
{
  g_autofree const char **names = g_new0 (const char *, n + 1);
  for (gsize i = 0; i < n; i++)
    names[i] = kernels[i].name;
  if (!ns_cl_program_set_prepare (res->programs, names, error))
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if ((*kernels[i].kernel = ns_cl_program_set_create_kernel (res->programs, kernels[i].name, error)) == NULL)
      return FALSE;
  return TRUE;
}

cl_kernel
ns_conv_resources_create_tiled_kernel (NsConvResources *res, const char *name)
{
  g_autoptr (GError) error = NULL;
  cl_kernel kernel = ns_cl_program_set_create_kernel (res->tiled, name, &error);
  if (kernel == NULL)
    g_debug ("The tiled kernels do not build on %s, so they are not used: %s", res->ctx->info->name,
             error->message);
  return kernel;
}

NsClBuffer *
ns_conv_resources_get_scratch (NsConvResources *res, gsize bytes, GError **error)
{
  if (res->scratch != NULL && res->scratch->size >= bytes)
    return res->scratch;
  g_clear_pointer (&res->scratch, ns_cl_buffer_free);
  res->scratch = ns_cl_buffer_new (res->ctx, bytes, error);
  return res->scratch;
}

gboolean
ns_conv_pad_rows (NsClContext *ctx, cl_kernel pad, const NsTensor *in, int y0, int rows, int Wp, cl_mem out,
                  cl_ulong out_offset, const char *what, GError **error)
{
  return ns_cl_set_args (pad, what, error, NS_CL_ARG (in->buffer->mem), NS_CL_ARG (in->height), NS_CL_ARG (in->width),
                         NS_CL_ARG (y0), NS_CL_ARG (rows), NS_CL_ARG (Wp), NS_CL_ARG (out), NS_CL_ARG (out_offset),
                         NS_CL_ARGS_END)
      && ns_cl_launch (ctx, pad, 3, (gsize[]) { Wp, rows, in->channels }, what, error);
}
