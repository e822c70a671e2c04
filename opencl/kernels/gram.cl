/* The Gram products of the Gatys objective for processors, where CLBlast's
 * GPU-tuned kernels run at a few GFLOP/s through PoCL: register blocks, no
 * local memory, vector loads along the long (position) axis.  Row-major; C
 * (channels) a multiple of 4. */

/* G (C x C) = alpha F F^T for F (C x M), in two kernels.  gram_partial: for
 * chunk q of the positions, P[q] = F[:, chunk] F[:, chunk]^T, a work item per
 * block of 4 rows x 2 columns that reaches the diagonal or above (8 float16
 * sums, 6 loads: whole AVX-512 registers, no spills), launched one item per
 * work group so the compiler keeps our vectors along the positions.  Global
 * size: (C / 2, C / 4, chunks).  gram_reduce adds the chunks (in order) and
 * mirrors. */
__kernel void gram_partial (__global const float *f, int C, int M, int chunk, __global float *partial)
{
  const int j0 = get_global_id (0) * 2, i0 = get_global_id (1) * 4, q = get_global_id (2);
  if (i0 >= C || j0 >= C || j0 + 1 < i0)
    return;
  const int m0 = q * chunk, m1 = min (m0 + chunk, M);
  __global const float *a0 = f + (size_t) i0 * M, *b0 = f + (size_t) j0 * M;
  float16 acc[8];
  for (int k = 0; k < 8; k++)
    acc[k] = (float16) (0.0f);
  int m = m0;
  for (; m + 16 <= m1; m += 16)
    {
      const float16 b[2] = { vload16 (0, b0 + m), vload16 (0, b0 + M + m) };
      for (int r = 0; r < 4; r++)
        {
          const float16 a = vload16 (0, a0 + (size_t) r * M + m);
          acc[r * 2] = fma (a, b[0], acc[r * 2]);
          acc[r * 2 + 1] = fma (a, b[1], acc[r * 2 + 1]);
        }
    }
  float part[8];
  for (int k = 0; k < 8; k++)
    {
      const float8 e = acc[k].lo + acc[k].hi;
      const float4 h = e.lo + e.hi;
      part[k] = (h.s0 + h.s1) + (h.s2 + h.s3);
    }
  for (; m < m1; m++)
    for (int r = 0; r < 4; r++)
      for (int c = 0; c < 2; c++)
        part[r * 2 + c] = fma (a0[(size_t) r * M + m], b0[(size_t) c * M + m], part[r * 2 + c]);
  __global float *out = partial + (size_t) q * C * C;
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 2; c++)
      out[(size_t) (i0 + r) * C + j0 + c] = part[r * 2 + c];
}

/* Global size: (C, C). */
__kernel void gram_reduce (__global const float *partial, int C, int chunks, float alpha, __global float *g)
{
  const int i = get_global_id (0), j = get_global_id (1);
  if (i >= C || j >= C)
    return;
  /* Entries below the diagonal were computed as their mirror. */
  const int si = min (i, j), sj = max (i, j);
  float s = 0.0f;
  for (int q = 0; q < chunks; q++)
    s += partial[(size_t) q * C * C + (size_t) si * C + sj];
  g[(size_t) i * C + j] = alpha * s;
}

/* Y (C x M) = alpha D F + beta Y for D (C x C, symmetric), F (C x M): a work
 * item computes 4 rows x 32 positions (8 float16 sums, whole AVX-512
 * registers: two loads of F and one of D for eight products); D's column
 * block is read as the row block it mirrors.  Global size: (C / 4,
 * positions / 32), the row blocks varying fastest so that neighbouring items
 * read the same F. */
__kernel void gram_backward_nn (__global const float *d, __global const float *f, int C, int M, float alpha,
                                float beta, __global float *y)
{
  const int i0 = get_global_id (0) * 4, m0 = get_global_id (1) * 32;
  if (i0 >= C || m0 >= M)
    return;
  if (m0 + 32 <= M)
    {
      float16 lo[4], hi[4];
      for (int r = 0; r < 4; r++)
        lo[r] = hi[r] = (float16) (0.0f);
      for (int k = 0; k < C; k++)
        {
          __global const float *row = f + (size_t) k * M + m0;
          const float16 b0 = vload16 (0, row), b1 = vload16 (1, row);
          const float4 dk = vload4 (0, d + (size_t) k * C + i0);
          lo[0] = fma ((float16) (dk.s0), b0, lo[0]);
          hi[0] = fma ((float16) (dk.s0), b1, hi[0]);
          lo[1] = fma ((float16) (dk.s1), b0, lo[1]);
          hi[1] = fma ((float16) (dk.s1), b1, hi[1]);
          lo[2] = fma ((float16) (dk.s2), b0, lo[2]);
          hi[2] = fma ((float16) (dk.s2), b1, hi[2]);
          lo[3] = fma ((float16) (dk.s3), b0, lo[3]);
          hi[3] = fma ((float16) (dk.s3), b1, hi[3]);
        }
      for (int r = 0; r < 4; r++)
        {
          __global float *out = y + (size_t) (i0 + r) * M + m0;
          const float16 old0 = beta != 0.0f ? vload16 (0, out) : (float16) (0.0f);
          const float16 old1 = beta != 0.0f ? vload16 (1, out) : (float16) (0.0f);
          vstore16 (alpha * lo[r] + beta * old0, 0, out);
          vstore16 (alpha * hi[r] + beta * old1, 1, out);
        }
      return;
    }
  for (int m = m0; m < M; m++)
    for (int r = 0; r < 4; r++)
      {
        float s = 0.0f;
        for (int k = 0; k < C; k++)
          s = fma (d[(size_t) k * C + i0 + r], f[(size_t) k * M + m], s);
        __global float *out = y + (size_t) (i0 + r) * M + m;
        *out = alpha * s + (beta != 0.0f ? beta * *out : 0.0f);
      }
}
