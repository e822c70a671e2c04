/* The Gram products of the Gatys objective for processors, where CLBlast's
 * GPU-tuned kernels run at a few GFLOP/s through PoCL: register blocks, no
 * local memory, vector loads along the long (position) axis.  Row-major; C
 * (channels) a multiple of 4. */

/* G (C x C) = alpha F F^T for F (C x M).  A work item computes a 4 x 4 block
 * on or above the diagonal and mirrors it.  The positions are summed in
 * chunks of 1024 added to a second accumulator, so float sums over a million
 * positions stay accurate. */
__kernel void gram_nt (__global const float *f, int C, int M, float alpha, __global float *g)
{
  const int j0 = get_global_id (0) * 4, i0 = get_global_id (1) * 4;
  if (i0 >= C || j0 >= C || j0 < i0)
    return;
  __global const float *a0 = f + (size_t) i0 * M, *b0 = f + (size_t) j0 * M;
  float total[16];
  for (int k = 0; k < 16; k++)
    total[k] = 0.0f;
  for (int m0 = 0; m0 < M; m0 += 1024)
    {
      const int m1 = min (m0 + 1024, M);
      float4 acc[16];
      for (int k = 0; k < 16; k++)
        acc[k] = (float4) (0.0f);
      int m = m0;
      for (; m + 4 <= m1; m += 4)
        {
          float4 a[4], b[4];
          for (int r = 0; r < 4; r++)
            {
              a[r] = vload4 (0, a0 + (size_t) r * M + m);
              b[r] = vload4 (0, b0 + (size_t) r * M + m);
            }
          for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
              acc[r * 4 + c] = fma (a[r], b[c], acc[r * 4 + c]);
        }
      float part[16];
      for (int k = 0; k < 16; k++)
        part[k] = acc[k].s0 + acc[k].s1 + acc[k].s2 + acc[k].s3;
      for (; m < m1; m++)
        for (int r = 0; r < 4; r++)
          for (int c = 0; c < 4; c++)
            part[r * 4 + c] = fma (a0[(size_t) r * M + m], b0[(size_t) c * M + m], part[r * 4 + c]);
      for (int k = 0; k < 16; k++)
        total[k] += part[k];
    }
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 4; c++)
      {
        const float v = alpha * total[r * 4 + c];
        g[(size_t) (i0 + r) * C + j0 + c] = v;
        g[(size_t) (j0 + c) * C + i0 + r] = v;
      }
}

/* Y (C x M) = alpha D F + beta Y for D (C x C), F (C x M): a work item computes
 * 4 rows x 8 positions. */
__kernel void gram_backward_nn (__global const float *d, __global const float *f, int C, int M, float alpha,
                                float beta, __global float *y)
{
  const int m0 = get_global_id (0) * 8, i0 = get_global_id (1) * 4;
  if (i0 >= C || m0 >= M)
    return;
  if (m0 + 8 <= M)
    {
      float8 acc[4] = { (float8) (0.0f), (float8) (0.0f), (float8) (0.0f), (float8) (0.0f) };
      for (int k = 0; k < C; k++)
        {
          const float8 b = vload8 (0, f + (size_t) k * M + m0);
          for (int r = 0; r < 4; r++)
            acc[r] = fma ((float8) (d[(size_t) (i0 + r) * C + k]), b, acc[r]);
        }
      for (int r = 0; r < 4; r++)
        {
          __global float *out = y + (size_t) (i0 + r) * M + m0;
          const float8 old = beta != 0.0f ? vload8 (0, out) : (float8) (0.0f);
          vstore8 (alpha * acc[r] + beta * old, 0, out);
        }
      return;
    }
  for (int m = m0; m < M; m++)
    for (int r = 0; r < 4; r++)
      {
        float s = 0.0f;
        for (int k = 0; k < C; k++)
          s = fma (d[(size_t) (i0 + r) * C + k], f[(size_t) k * M + m], s);
        __global float *out = y + (size_t) (i0 + r) * M + m;
        *out = alpha * s + (beta != 0.0f ? beta * *out : 0.0f);
      }
}
