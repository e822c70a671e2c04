#include "ns-cl-blas.h"

#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <clblast_c.h>

gboolean
ns_cl_sgemm (NsClContext *ctx, gboolean transpose_a, gboolean transpose_b,
             gsize m, gsize n, gsize k, float alpha,
             cl_mem a, gsize a_offset, gsize lda,
             cl_mem b, gsize b_offset, gsize ldb, float beta,
             cl_mem c, gsize c_offset, gsize ldc, GError **error)
{
  ctx->used_clblast = TRUE;
  CLBlastStatusCode status =
    CLBlastSgemm (CLBlastLayoutRowMajor,
                  transpose_a ? CLBlastTransposeYes : CLBlastTransposeNo,
                  transpose_b ? CLBlastTransposeYes : CLBlastTransposeNo,
                  m, n, k, alpha, a, a_offset, lda, b, b_offset, ldb, beta, c, c_offset, ldc,
                  &ctx->queue, NULL);
  return ns_clblast_check (status, _("multiplying matrices with CLBlast"), error);
}

gboolean
ns_cl_sgemm_strided_batched (NsClContext *ctx, gboolean transpose_a, gboolean transpose_b,
                             gsize m, gsize n, gsize k, float alpha,
                             cl_mem a, gsize a_offset, gsize lda, gsize a_stride,
                             cl_mem b, gsize b_offset, gsize ldb, gsize b_stride, float beta,
                             cl_mem c, gsize c_offset, gsize ldc, gsize c_stride,
                             gsize batch, GError **error)
{
  ctx->used_clblast = TRUE;
  CLBlastStatusCode status =
    CLBlastSgemmStridedBatched (CLBlastLayoutRowMajor,
                                transpose_a ? CLBlastTransposeYes : CLBlastTransposeNo,
                                transpose_b ? CLBlastTransposeYes : CLBlastTransposeNo,
                                m, n, k, alpha, a, a_offset, lda, a_stride, b, b_offset, ldb, b_stride,
                                beta, c, c_offset, ldc, c_stride, batch, &ctx->queue, NULL);
  return ns_clblast_check (status, _("multiplying matrices with CLBlast"), error);
}

void
ns_cl_blas_clear_cache (void)
{
  CLBlastClearCache ();
}
