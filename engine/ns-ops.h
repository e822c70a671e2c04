/* The network's operations on device tensors.  Each allocates its output and
 * leaves its input alone; the caller frees what it no longer needs, which is
 * what keeps peak memory to a few activations.
 *
 * The convolution is one function, ns_op_conv3x3() (with its twin for
 * backward passes), whatever runs it: how is chosen per device and layer
 * shape (NsConvAlgorithm, ns-conv.h), without touching any caller. */
#pragma once

#include "ns-conv.h"

G_BEGIN_DECLS

typedef struct _NsOps NsOps;

NsOps *ns_ops_new (NsClContext *ctx, GError **error);
/* The same with another source for the tiled GPU kernels (tiled_gemm.cl),
 * which are built as a program of their own: tests give one that does not
 * build, to see the engine work on without them. */
NsOps *ns_ops_new_with_tiled_source (NsClContext *ctx, const char *tiled_source, GError **error);
/* Operations of their own settings (for gradients, say) on `owner`'s context
 * and compiled programs, so that nothing is built twice; `owner` outlives them. */
NsOps *ns_ops_new_sharing_programs (NsOps *owner, GError **error);
void ns_ops_free (NsOps *ops);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsOps, ns_ops_free)

NsClContext *ns_ops_get_context (NsOps *ops);
/* TRUE when the kernels built so far came from the binary caches. */
gboolean ns_ops_program_was_cached (NsOps *ops);
/* Builds (or loads) every program now, not on first use: for
 * `neural-style --prepare`.  A device that rejects only the tiled GPU
 * kernels is prepared without them. */
gboolean ns_ops_prepare_all_programs (NsOps *ops, GError **error);
/* Stores the programs built from source in the user's cache (ns_ops_free()
 * does it too): after the first result, so that storing does not delay it. */
void ns_ops_save_programs (NsOps *ops);
/* The most device memory one convolution's im2col strip may use. */
void ns_ops_set_scratch_budget (NsOps *ops, gsize bytes);
gsize ns_ops_get_scratch_budget (NsOps *ops);
/* How much the scratch buffer may still grow: its budget less what it holds
 * now, which the context's memory in use already counts. */
gsize ns_ops_get_scratch_growth (NsOps *ops);
/* The same for a scratch need of `bytes` (a padded copy may exceed the
 * budget: the direct kernel's is the whole input). */
gsize ns_ops_get_scratch_growth_to (NsOps *ops, gsize bytes);
/* A new kernel from the operations' programs (its .cl file's program, built
 * on first use), for the operations kept in other files; the caller releases it. */
cl_kernel ns_ops_create_kernel (NsOps *ops, const char *name, GError **error);
/* Creates each kernel of the table, their programs all made ready first (one
 * count of builds for the user, rather than one per file). */
gboolean ns_ops_create_kernels (NsOps *ops, const NsOpsKernel *kernels, gsize n, GError **error);

/* The operations' scratch buffer (im2col strips, padded copies, Winograd
 * transforms), grown to at least `bytes`; valid until the next call. */
NsClBuffer *ns_ops_get_scratch (NsOps *ops, gsize bytes, GError **error);

/* How ns_op_conv3x3() computes (the algorithms, their names and the layer
 * type: ns-conv.h). */
void ns_ops_set_conv_algorithm (NsOps *ops, NsConvAlgorithm algorithm);
NsConvAlgorithm ns_ops_get_conv_algorithm (NsOps *ops);
/* What the chosen algorithm comes to on this device: auto resolved (to
 * by-width, direct or tuned), implicit to im2col where it cannot run. */
NsConvAlgorithm ns_ops_resolved_conv_algorithm (NsOps *ops);
/* The same for ns_op_conv3x3_backward_pass(). */
NsConvAlgorithm ns_ops_resolved_backward_conv_algorithm (NsOps *ops);

/* Whether these operations feed gradients (Gatys): then auto and tuned
 * leave Winograd out of ns_op_conv3x3() (by width and winograd, chosen by
 * name, do not; the backward pass may use it).  Its rounding (a few 1e-7, some 3x that of the others) is
 * harmless to values but flips the on/off of ReLUs and the winners of
 * max-pools that sit at a tie, where a gradient jumps: the Gatys golden's
 * gradient comes within 7e-4 under Winograd, 5e-7 under the others. */
void ns_ops_set_for_gradients (NsOps *ops, gboolean for_gradients);

void ns_ops_set_winograd_gemm (NsOps *ops, NsWinogradGemm gemm);
NsWinogradGemm ns_ops_get_winograd_gemm (NsOps *ops);

/* The tuned choice for a layer of C -> O channels at H x W, when it has been
 * measured (in this process or an earlier one on this device and driver),
 * for these operations (those for gradients have choices of their own). */
gboolean ns_ops_tuned_choice (NsOps *ops, int C, int O, int H, int W, NsConvChoice *choice);

NsConv3x3 *ns_conv3x3_new (NsClContext *ctx, int in_channels, int out_channels,
                           const float *weight_oihw, const float *bias, GError **error);
void ns_conv3x3_free (NsConv3x3 *conv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsConv3x3, ns_conv3x3_free)

/* Makes now what running `conv` may allocate on first use (Winograd's
 * transformed weights, where auto or the chosen algorithm may pick
 * Winograd for it), so that the memory in use before a run counts it and
 * the run's peak stays within a budget drawn from that. */
gboolean ns_ops_prepare_conv (NsOps *ops, const NsConv3x3 *conv, GError **error);
/* The same for a convolution run by ns_op_conv3x3_backward_pass(). */
gboolean ns_ops_prepare_backward_conv (NsOps *ops, const NsConv3x3 *conv, GError **error);

/* 3x3, stride 1, reflection padding 1, + bias, + ReLU when relu.  Needs H, W >= 2. */
NsTensor *ns_op_conv3x3 (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, gboolean relu, GError **error);
/* The same without ReLU for a backward pass (a gradient going back through a
 * convolution): its rounding decides no ReLU or max-pool, so auto and tuned
 * may take Winograd even for operations for gradients. */
NsTensor *ns_op_conv3x3_backward_pass (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, GError **error);
/* The same by one given way (the tuner's measurements). */
NsTensor *ns_op_conv3x3_by (NsOps *ops, const NsTensor *in, const NsConv3x3 *conv, NsConvChoice choice,
                            gboolean relu, GError **error);
/* 2x2 max-pool, stride 2, odd sizes floor.  Needs H, W >= 2. */
NsTensor *ns_op_maxpool2x2 (NsOps *ops, const NsTensor *in, GError **error);
/* 2x nearest-neighbour upsampling. */
NsTensor *ns_op_upsample2x (NsOps *ops, const NsTensor *in, GError **error);
/* Per-channel mean and population variance into two buffers of C floats. */
gboolean ns_op_channel_mean_var (NsOps *ops, const NsTensor *in, NsClBuffer *mean, NsClBuffer *var, GError **error);
/* out = alpha * AdaIN(x; content stats, style stats) + (1 - alpha) * x, sigma = sqrt(var + eps). */
NsTensor *ns_op_adain_blend (NsOps *ops, const NsTensor *x,
                             const NsClBuffer *mean_c, const NsClBuffer *var_c,
                             const NsClBuffer *mean_s, const NsClBuffer *var_s,
                             float alpha, float eps, GError **error);

/* out = m * a + (1 - m) * b per position; mask holds H * W floats. */
NsTensor *ns_op_mask_mix (NsOps *ops, const NsTensor *a, const NsTensor *b, const NsClBuffer *mask, GError **error);

G_END_DECLS
