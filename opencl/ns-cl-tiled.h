/* The blocking of opencl/kernels/tiled_gemm.cl, given to the kernels as
 * build options (ns-ops.c): the one place these numbers live.  A work group
 * of 16 x 16 items, each 4 rows x 8 columns of the product. */
#pragma once

#define NS_TILED_M 64       /* rows (output channels) per work group */
#define NS_TILED_N 128      /* columns (pixels, Winograd tiles) per work group */
#define NS_TILED_GROUP 256  /* work items per group */
