/* The operations a decoder's training adds to the Gatys backward pass
 * (ns-ops-backward.h, gradients with respect to inputs): the gradients of a
 * 3x3 reflection-padded convolution's weights and bias, the backward pass of
 * 2x nearest upsampling, and the gradient of a loss on per-channel means
 * and deviations.  Gradients accumulate (+=), so a batch adds up in place. */
#pragma once

#include "ns-ops.h"

G_BEGIN_DECLS

typedef struct _NsTrainOps NsTrainOps;

/* Kernels from `ops`' program; `ops` must outlive the result. */
NsTrainOps *ns_train_ops_new (NsOps *ops, GError **error);
void ns_train_ops_free (NsTrainOps *train);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsTrainOps, ns_train_ops_free)

/* dw (O x C x 3 x 3, OIHW) += dL/dw of y = conv3x3 (x) (ns_op_conv3x3, any
 * bias, before its ReLU) from dy = dL/dy (O x H x W):
 *   dw[o, c, ky, kx] = sum over y, x of dy[o, y, x] xpad[c, y + ky, x + kx],
 * xpad x's reflection padding of 1: im2col strips of x (within the scratch
 * budget) times dy^T, by GEMM. */
gboolean ns_op_conv3x3_weight_grad (NsTrainOps *train, const NsTensor *x, const NsTensor *dy, NsClBuffer *dw,
                                    GError **error);
/* db (O) += the sum of dy (O x H x W) over each channel's positions. */
gboolean ns_op_bias_grad (NsTrainOps *train, const NsTensor *dy, NsClBuffer *db, GError **error);
/* dL/dx of ns_op_upsample2x from dy (C x 2H x 2W): each 2x2 block's sum. */
NsTensor *ns_op_upsample2x_backward (NsTrainOps *train, const NsTensor *dy, GError **error);
/* g[c, i] += a[c] + b[c] (f[c, i] - mean[c]) (C floats each): with
 * a = dL/dmu / HW and b = dL/dsigma / (HW sigma), the gradient of a loss on
 * f's channel means mu and deviations sigma = sqrt (population variance + eps). */
gboolean ns_op_channel_affine_accumulate (NsTrainOps *train, const NsTensor *f, const NsClBuffer *mean,
                                          const NsClBuffer *a, const NsClBuffer *b, NsTensor *g, GError **error);

G_END_DECLS
