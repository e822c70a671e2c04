/* The operations of the Gatys objective's backward pass, on device tensors:
 * gradients with respect to the input only (never the weights) of the 3x3
 * reflection-padded convolution, the ReLU and the 2x2 max-pool, plus Gram
 * matrices, the content, style and total-variation terms and their
 * gradients.  Large sums come back as double: each work group adds a slice
 * in float32, the host adds the groups' partial sums in double. */
#pragma once

#include "ns-ops.h"

G_BEGIN_DECLS

typedef struct _NsGradOps NsGradOps;

/* Kernels from `ops`' program; `ops` must outlive the result. */
NsGradOps *ns_grad_ops_new (NsOps *ops, GError **error);
void ns_grad_ops_free (NsGradOps *grad);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsGradOps, ns_grad_ops_free)
/* Who computes the Gram products: "own" (gram.cl's kernels), "clblast", or
 * NULL for the device's default (ours on processors, CLBlast elsewhere);
 * the runtime's option NsRuntimeOptions.gram, for comparisons. */
void ns_grad_ops_set_gram (NsGradOps *grad, const char *gram);

/* The convolution that computes `conv`'s backward pass: in and out channels
 * swapped, the kernel flipped (w'[c][o][ky][kx] = w[o][c][2 - ky][2 - kx]),
 * no bias. */
NsConv3x3 *ns_conv3x3_new_transposed (NsClContext *ctx, const NsConv3x3 *conv, GError **error);
/* dL/d(input) of ns_op_conv3x3 before its activation, from dy = dL/d(output)
 * (O x H x W), given ns_conv3x3_new_transposed (conv): ns_op_conv3x3 with the
 * transposed kernel over dy padded with zeros gives the gradient with respect
 * to the reflection-padded input, then each padded position's gradient goes
 * to the pixel it mirrors. */
NsTensor *ns_op_conv3x3_backward (NsGradOps *grad, const NsTensor *dy, const NsConv3x3 *transposed,
                                  GError **error);
/* In place: dy = 0 where the ReLU's output y is not positive. */
gboolean ns_op_relu_backward (NsGradOps *grad, NsTensor *dy, const NsTensor *y, GError **error);
/* dL/dx of ns_op_maxpool2x2 (x its input, dy the gradient of its output):
 * each window's gradient goes to its first maximum, in the order top-left,
 * top-right, bottom-left, bottom-right; the floored edge gets 0. */
NsTensor *ns_op_maxpool2x2_backward (NsGradOps *grad, const NsTensor *x, const NsTensor *dy, GError **error);

/* G = F F^T / M for features F of C channels and M = H * W positions, into a
 * buffer of C * C floats. */
gboolean ns_op_gram (NsGradOps *grad, const NsTensor *f, NsClBuffer *gram, GError **error);
/* a -= b over n floats; *sum_squares = sum (a - b)^2. */
gboolean ns_op_sub_square_sum (NsGradOps *grad, NsClBuffer *a, const NsClBuffer *b, gsize n,
                               double *sum_squares, GError **error);
/* df = coef * D F + (accumulate ? df : 0), D a C x C matrix: the gradient of a
 * Gram-matrix term whose derivative with respect to G is symmetric. */
gboolean ns_op_gram_backward (NsGradOps *grad, const NsClBuffer *d, const NsTensor *f, float coef,
                              NsTensor *df, gboolean accumulate, GError **error);
/* g += coef * (f - p); *sum_squares = sum (f - p)^2. */
gboolean ns_op_content_grad (NsGradOps *grad, const NsTensor *f, const NsTensor *p, float coef,
                             NsTensor *g, double *sum_squares, GError **error);
/* Total variation of x, sum over channels and pixels of the squared
 * differences to the right and lower neighbours, into *tv; g += coef * dTV/dx. */
gboolean ns_op_tv_grad (NsGradOps *grad, const NsTensor *x, float coef, NsTensor *g, double *tv,
                        GError **error);

/* Spatial control: y = (accumulate ? y : 0) + x * w, w = mask or 1 - mask
 * (invert), a mask of H * W floats applied to each of x's channels. */
gboolean ns_op_mask_channels (NsGradOps *grad, const NsTensor *x, const NsClBuffer *mask, gboolean invert,
                              NsTensor *y, gboolean accumulate, GError **error);
/* The masked style term of Gatys et al. 2017 ("Controlling Perceptual
 * Factors"), one region of one layer: with w = mask or 1 - mask (invert) and
 * area = sum w > 0, G = (F w)(F w)^T / area into `gram` (C * C floats, left
 * holding G - A), *sum_squares = sum (G - A)^2, and
 * df = coef * ((G - A) (F w)) w + (accumulate ? df : 0).  Weighting the term
 * by area / M makes coef = 4 / M its exact gradient, whatever the area. */
gboolean ns_op_masked_gram_term (NsGradOps *grad, const NsTensor *f, const NsClBuffer *mask, gboolean invert,
                                 double area, const NsClBuffer *target, NsClBuffer *gram, float coef,
                                 NsTensor *df, gboolean accumulate, double *sum_squares, GError **error);

/* Zeroes a tensor. */
gboolean ns_tensor_clear (NsClContext *ctx, NsTensor *t, GError **error);

G_END_DECLS
