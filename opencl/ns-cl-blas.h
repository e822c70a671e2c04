/* The matrix products the engine needs, through CLBlast.  Row-major; offsets
 * and leading dimensions are in floats. */
#pragma once

#include "ns-cl-context.h"

G_BEGIN_DECLS

/* C = alpha * op(A) * op(B) + beta * C, with op(A) m x k, op(B) k x n. */
gboolean ns_cl_sgemm (NsClContext *ctx, gboolean transpose_a, gboolean transpose_b,
                      gsize m, gsize n, gsize k, float alpha,
                      cl_mem a, gsize a_offset, gsize lda,
                      cl_mem b, gsize b_offset, gsize ldb, float beta,
                      cl_mem c, gsize c_offset, gsize ldc, GError **error);

/* `batch` products as above, the i-th reading A, B and C at their offsets
 * plus i times their strides (CLBlast's strided batched GEMM). */
gboolean ns_cl_sgemm_strided_batched (NsClContext *ctx, gboolean transpose_a, gboolean transpose_b,
                                      gsize m, gsize n, gsize k, float alpha,
                                      cl_mem a, gsize a_offset, gsize lda, gsize a_stride,
                                      cl_mem b, gsize b_offset, gsize ldb, gsize b_stride, float beta,
                                      cl_mem c, gsize c_offset, gsize ldc, gsize c_stride,
                                      gsize batch, GError **error);

/* Forgets the kernels CLBlast compiled in this process (it keeps them for the
 * process's life), so a benchmark can time a cold start more than once. */
void ns_cl_blas_clear_cache (void);

G_END_DECLS
