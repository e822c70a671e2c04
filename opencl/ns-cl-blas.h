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

G_END_DECLS
