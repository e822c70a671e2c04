/* The Winograd paths of ns_op_conv3x3(): F(2x2, 3x3) (opencl/kernels/winograd.cl
 * explains the method), 2.25 times fewer multiplications than the direct
 * convolution, and F(4x4, 3x3) (winograd4.cl), 4 times fewer; both paid for
 * with three passes over memory instead of one. */
#pragma once

#include "ns-conv.h"

G_BEGIN_DECLS

/* The batched products' blocking: output channels and tiles per work item of
 * winograd_gemm, which the layouts are padded to. */
#define NS_WINOGRAD_O_BLOCK 8
#define NS_WINOGRAD_P_BLOCK 32

/* out_channels rounded up to NS_WINOGRAD_O_BLOCK: the rows of U and M. */
int ns_winograd_out_pad (int out_channels);

typedef struct _NsWinograd NsWinograd;

/* Its kernels from res's programs; res (the operations', whose scratch
 * buffer the strips use) must outlive it. */
NsWinograd *ns_winograd_new (NsConvResources *res, GError **error);
void ns_winograd_free (NsWinograd *winograd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsWinograd, ns_winograd_free)

/* Makes the layer's transformed weights for tiles of `tile` (2 or 4) outputs
 * a side, U = G g G^T as [(tile + 2)^2][out_pad][in] (on the device), unless
 * made already; the first Winograd run of a layer does it otherwise. */
gboolean ns_winograd_prepare (NsWinograd *winograd, const NsConv3x3 *conv, int tile, GError **error);

/* ns_op_conv3x3() by Winograd F(tile x tile, 3x3), tile 2 or 4, its products
 * made as `gemm` says, in strips of tile rows whose transformed input and
 * products fit the scratch budget. */
NsTensor *ns_winograd_conv3x3 (NsWinograd *winograd, const NsTensor *in, const NsConv3x3 *conv,
                               NsWinogradGemm gemm, int tile, gboolean relu, GError **error);

G_END_DECLS
