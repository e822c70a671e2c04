/* What a 3x3 convolution is and the ways to run it, below the operations'
 * dispatcher (ns-ops.c): the algorithms and their names, a layer's
 * parameters, and the device resources the dispatcher lends to the paths kept
 * in files of their own (ns-conv-winograd.c, ns-conv-tune.c).  Those include
 * this header, never ns-ops.h: the dispatcher calls them, they do not call
 * back. */
#pragma once

#include "ns-cl-program-set.h"
#include "ns-tensor.h"

G_BEGIN_DECLS

/* How ns_op_conv3x3() computes: im2col strips + CLBlast SGEMM, the direct
 * register-blocked kernel (written for processors), Winograd F(2x2, 3x3) or
 * F(4x4, 3x3) (ns-conv-winograd.h), the implicit GEMM tiled through local
 * memory (written for GPUs: no im2col buffer, bias and ReLU fused), by width
 * (Winograd F(4x4, 3x3) for layers at least NS_CONV_WINOGRAD_MIN_WIDTH
 * channels wide in and out, direct for the narrower), tuned (the fastest of them for each
 * layer shape, measured on the device: ns-conv-tune.h), or auto (the
 * default: by width on processors, where the benchmarks measured it
 * fastest, tuned elsewhere; for operations that feed gradients, direct on
 * processors and tuned without Winograd elsewhere: see
 * ns_ops_set_for_gradients()).
 * The runtime's options choose (NsRuntimeOptions.conv: auto|tuned|by-width|
 * im2col|direct|winograd|winograd4|implicit).  A device that cannot run the
 * tiled kernels' 256-item work groups gets im2col for implicit. */
typedef enum {
  NS_CONV_IM2COL,
  NS_CONV_DIRECT,
  NS_CONV_WINOGRAD,
  NS_CONV_IMPLICIT,
  NS_CONV_WINOGRAD4,   /* Winograd F(4x4, 3x3) */
  NS_CONV_BY_WIDTH,
  NS_CONV_TUNED,
  NS_CONV_AUTO,
} NsConvAlgorithm;

#define NS_CONV_WINOGRAD_MIN_WIDTH 32

/* Winograd of either tile size: never for the forward pass of operations for
 * gradients (see ns_ops_set_for_gradients()). */
static inline gboolean
ns_conv_is_winograd (NsConvAlgorithm algorithm)
{
  return algorithm == NS_CONV_WINOGRAD || algorithm == NS_CONV_WINOGRAD4;
}

const char *ns_conv_algorithm_name (NsConvAlgorithm algorithm);

/* How the Winograd path makes its 16 products: winograd_gemm's register
 * blocks (processors), winograd_gemm_tiled's local-memory tiles (GPUs), or
 * CLBlast's strided batched SGEMM.  The default follows the device
 * (registers on processors, CLBlast elsewhere); the runtime's options choose
 * (NsRuntimeOptions.winograd_gemm: registers|tiled|clblast).  A device that
 * cannot run the tiled kernel gets the register blocks for tiled.  The tuned
 * algorithm measures all three. */
typedef enum {
  NS_WINOGRAD_GEMM_REGISTERS,
  NS_WINOGRAD_GEMM_TILED,
  NS_WINOGRAD_GEMM_CLBLAST,
} NsWinogradGemm;

const char *ns_winograd_gemm_name (NsWinogradGemm gemm);

/* One way to run a convolution: an algorithm short of by-width, and for
 * Winograd, its products. */
typedef struct {
  NsConvAlgorithm algorithm;
  NsWinogradGemm gemm;
} NsConvChoice;

/* Every way ns_op_conv3x3_by() can run (what the tuner measures, in this
 * order), and a name for one ("direct", "winograd-tiled"; to free). */
const NsConvChoice *ns_conv_choices (gsize *n);
char *ns_conv_choice_name (NsConvChoice choice);

/* A 3x3 convolution's parameters on the device: OIHW weights and a bias
 * (ns_conv3x3_new() in ns-ops.h). */
typedef struct {
  int in_channels;
  int out_channels;
  NsClBuffer *weight;          /* owned, out * in * 9 floats, OIHW */
  NsClBuffer *bias;            /* owned, out floats */
  NsClBuffer *weight_blocked;  /* owned, the direct kernel's layout: [out / OB][in][9][OB] */
  NsClBuffer *weight_winograd; /* owned, G g G^T as [16][out padded to 8][in]; made by ns_ops_prepare_conv() or on first use */
  NsClBuffer *weight_winograd4; /* the same for F(4x4, 3x3), [36][out padded to 8][in] */
} NsConv3x3;

/* Where a kernel goes, and its name. */
typedef struct {
  cl_kernel *kernel;
  const char *name;
} NsOpsKernel;

/* The operations' device resources, owned by the dispatcher and lent to the
 * convolution paths: the context, the programs, and the scratch buffer
 * (strips, padded copies), kept between calls and grown on demand. */
typedef struct {
  NsClContext *ctx;
  NsClProgramSet *programs;  /* a program per .cl file, each built on first use */
  NsClProgramSet *tiled;     /* tiled_gemm.cl, for GPUs; a device whose compiler rejects it does without */
  NsClBuffer *scratch;
  gsize scratch_budget;
} NsConvResources;

/* Creates each kernel of the table, their programs all made ready first (one
 * count of builds for the user, rather than one per file). */
gboolean ns_conv_resources_create_kernels (NsConvResources *res, const NsOpsKernel *kernels, gsize n,
                                           GError **error);
/* A kernel of the tiled program, or NULL where it did not build. */
cl_kernel ns_conv_resources_create_tiled_kernel (NsConvResources *res, const char *name);
/* The scratch buffer grown to at least `bytes`; valid until the next call. */
NsClBuffer *ns_conv_resources_get_scratch (NsConvResources *res, gsize bytes, GError **error);

/* Rows [y0, y0 + rows) of `in` with its reflection border of 1, Wp columns
 * (zero past the padded image), into `out` at out_offset floats; `pad` is a
 * kernel named pad_reflect1 (each caller its own, since arguments live in the
 * kernel object). */
gboolean ns_conv_pad_rows (NsClContext *ctx, cl_kernel pad, const NsTensor *in, int y0, int rows, int Wp, cl_mem out,
                           cl_ulong out_offset, const char *what, GError **error);

G_END_DECLS
