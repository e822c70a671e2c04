/* Matrix products tiled through local memory, written for GPUs (the register
 * blocked kernels of conv_direct.cl and winograd.cl are for processors, whose
 * caches do this tiling by themselves).  A work group of 16 x 16 items makes
 * a TILE_M x TILE_N block of C = A B: it stages a TILE_K slice of A and of B
 * in local memory, then each item multiplies 4 rows by 8 columns out of it
 * (32 accumulators; three float4 reads from local memory feed 32
 * multiply-adds).  A is row-major M x K (OIHW weights, Winograd's U); how B
 * is read is the kernel's own:
 *
 *   conv3x3_implicit: B is the im2col matrix of the reflection-padded input
 *                     (pad_reflect1), gathered as it is staged, never stored;
 *                     bias and ReLU are applied at the one store.
 *   winograd_gemm_tiled: B is V[e] of the Winograd transform, one product
 *                     for each of the 16 elements e. */

/* TILE_M and TILE_N come from the build options (opencl/ns-cl-tiled.h). */
#if TILE_M != 4 * 16 || TILE_N != 8 * 16
#error "tile_multiply's items make 4 x 8 of a 16 x 16 group's product"
#endif
#define TILE_K 16
#define TILE_A_STRIDE (TILE_M + 4)   /* keeps float4 rows aligned, spreads the stores over banks */

/* Staging a slice is split in two so that the next slice's global reads are
 * in flight while the current one is multiplied: fetch into registers, then
 * put into local memory after the barrier.  Each item moves 4 values of A
 * (16 consecutive k of a row per 16 items) and 8 of B (one column n, rows
 * TILE_B_ROW0 + 2 i). */
#define TILE_B_COLUMN(tid) ((tid) % TILE_N)
#define TILE_B_ROW0(tid) ((tid) / TILE_N)

void tile_fetch_a (__global const float *a, int M, int K, int m0, int k0, int tid, float ra[4])
{
  const int k = k0 + tid % TILE_K, m = m0 + tid / TILE_K;
  for (int i = 0; i < 4; i++)
    ra[i] = m + 16 * i < M && k < K ? a[(size_t) (m + 16 * i) * K + k] : 0.0f;
}

void tile_put (int tid, const float ra[4], const float rb[8], __local float *as, __local float *bs)
{
  const int k = tid % TILE_K, m = tid / TILE_K;
  for (int i = 0; i < 4; i++)
    as[k * TILE_A_STRIDE + m + 16 * i] = ra[i];
  for (int i = 0; i < 8; i++)
    bs[(TILE_B_ROW0 (tid) + 2 * i) * TILE_N + TILE_B_COLUMN (tid)] = rb[i];
}

/* acc += as^T bs for the slice: item (tx, ty) owns rows 4 ty .. 4 ty + 3 and
 * columns 4 tx .. 4 tx + 3 and 64 + 4 tx .. 64 + 4 tx + 3. */
void tile_multiply (__local const float *as, __local const float *bs, int tx, int ty, float4 acc[4][2])
{
#pragma unroll 4
  for (int k = 0; k < TILE_K; k++)
    {
      const float4 a = vload4 (0, as + k * TILE_A_STRIDE + 4 * ty);
      const float4 b0 = vload4 (0, bs + k * TILE_N + 4 * tx);
      const float4 b1 = vload4 (0, bs + k * TILE_N + 64 + 4 * tx);
      acc[0][0] = fma ((float4) (a.s0), b0, acc[0][0]);
      acc[0][1] = fma ((float4) (a.s0), b1, acc[0][1]);
      acc[1][0] = fma ((float4) (a.s1), b0, acc[1][0]);
      acc[1][1] = fma ((float4) (a.s1), b1, acc[1][1]);
      acc[2][0] = fma ((float4) (a.s2), b0, acc[2][0]);
      acc[2][1] = fma ((float4) (a.s2), b1, acc[2][1]);
      acc[3][0] = fma ((float4) (a.s3), b0, acc[3][0]);
      acc[3][1] = fma ((float4) (a.s3), b1, acc[3][1]);
    }
}

/* C[m][n] = acc (+ bias[m], then ReLU when relu != 0) inside M x N; row stride ldc. */
void tile_store (float4 acc[4][2], int tx, int ty, int m0, int n0, int M, int N,
                 __global const float *bias, int relu, __global float *c, size_t ldc)
{
  for (int i = 0; i < 4; i++)
    {
      const int row = m0 + 4 * ty + i;
      if (row >= M)
        return;
      const float b = bias != 0 ? bias[row] : 0.0f;
      for (int h = 0; h < 2; h++)
        {
          float v[4];
          vstore4 (acc[i][h] + b, 0, v);
          const int col = n0 + 64 * h + 4 * tx;
          for (int j = 0; j < 4 && col + j < N; j++)
            c[(size_t) row * ldc + col + j] = relu ? fmax (v[j], 0.0f) : v[j];
        }
    }
}

/* B's rows k0 + TILE_B_ROW0 + 2 i at this item's pixel: tap t = k % 9 of
 * channel k / 9 of the padded input, origin the pixel's top-left tap. */
void conv_fetch_b (__global const float *in, size_t plane, int Wp, size_t origin, int live, int K, int k0, int tid,
                   float rb[8])
{
  for (int i = 0; i < 8; i++)
    {
      const int k = k0 + TILE_B_ROW0 (tid) + 2 * i, c = k / 9, t = k - 9 * c, ky = t / 3;
      rb[i] = live && k < K ? in[c * plane + origin + ky * Wp + (t - 3 * ky)] : 0.0f;
    }
}

/* out (O x H x W) = conv3x3 (in) + bias, ReLU when relu != 0; in is padded by
 * pad_reflect1, C x (H + 2) x Wp; weight is OIHW.  Local size (16, 16);
 * global size (ceil (H W / TILE_N) * 16, ceil (O / TILE_M) * 16). */
__kernel __attribute__ ((reqd_work_group_size (16, 16, 1)))
void conv3x3_implicit (__global const float *in, int C, int H, int W, int Wp,
                       __global const float *weight, __global const float *bias, int O, int relu,
                       __global float *out)
{
  __local float as[TILE_K * TILE_A_STRIDE];
  __local float bs[TILE_K * TILE_N];
  const int tx = get_local_id (0), ty = get_local_id (1), tid = ty * 16 + tx;
  const int n0 = get_group_id (0) * TILE_N, m0 = get_group_id (1) * TILE_M;
  const int HW = H * W, K = C * 9;
  const size_t plane = (size_t) (H + 2) * Wp;

  /* The pixel this item stages for every slice, and its top-left tap. */
  const int p = n0 + TILE_B_COLUMN (tid), live = p < HW;
  const int y = live ? p / W : 0;
  const size_t origin = (size_t) y * Wp + (live ? p - y * W : 0);

  float4 acc[4][2];
  for (int i = 0; i < 4; i++)
    acc[i][0] = acc[i][1] = (float4) (0.0f);
  float ra[4], rb[8];
  tile_fetch_a (weight, O, K, m0, 0, tid, ra);
  conv_fetch_b (in, plane, Wp, origin, live, K, 0, tid, rb);
  for (int k0 = 0; k0 < K; k0 += TILE_K)
    {
      tile_put (tid, ra, rb, as, bs);
      barrier (CLK_LOCAL_MEM_FENCE);
      if (k0 + TILE_K < K)   /* the next slice, read while this one is multiplied */
        {
          tile_fetch_a (weight, O, K, m0, k0 + TILE_K, tid, ra);
          conv_fetch_b (in, plane, Wp, origin, live, K, k0 + TILE_K, tid, rb);
        }
      tile_multiply (as, bs, tx, ty, acc);
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  tile_store (acc, tx, ty, m0, n0, O, HW, bias, relu, out, HW);
}

/* V[e]'s rows k0 + TILE_B_ROW0 + 2 i at this item's tile p; V in column
 * blocks of 16 tiles (winograd.cl), each contiguous over the rows. */
void winograd_fetch_b (__global const float *ve, int C, int P_pad, int p, int k0, int tid, float rb[8])
{
  __global const float *column = ve + (size_t) (p / 16) * C * 16 + p % 16;
  for (int i = 0; i < 8; i++)
    {
      const int k = k0 + TILE_B_ROW0 (tid) + 2 * i;
      rb[i] = p < P_pad && k < C ? column[(size_t) k * 16] : 0.0f;
    }
}

/* M[e] = U[e] V[e] at m_offset, as winograd_gemm computes it (same layouts:
 * V in blocks of 16 tiles).
 * Local size (16, 16, 1); global size (ceil (P_pad / TILE_N) * 16,
 * ceil (O_pad / TILE_M) * 16, 16). */
__kernel __attribute__ ((reqd_work_group_size (16, 16, 1)))
void winograd_gemm_tiled (__global const float *u, __global const float *v, int C, int O_pad, int P_pad,
                          __global float *m, ulong m_offset)
{
  __local float as[TILE_K * TILE_A_STRIDE];
  __local float bs[TILE_K * TILE_N];
  const int tx = get_local_id (0), ty = get_local_id (1), tid = ty * 16 + tx;
  const int n0 = get_group_id (0) * TILE_N, m0 = get_group_id (1) * TILE_M, e = get_group_id (2);
  __global const float *ue = u + (size_t) e * O_pad * C;
  __global const float *ve = v + (size_t) e * C * P_pad;
  const int p = n0 + TILE_B_COLUMN (tid);

  float4 acc[4][2];
  for (int i = 0; i < 4; i++)
    acc[i][0] = acc[i][1] = (float4) (0.0f);
  float ra[4], rb[8];
  tile_fetch_a (ue, O_pad, C, m0, 0, tid, ra);
  winograd_fetch_b (ve, C, P_pad, p, 0, tid, rb);
  for (int k0 = 0; k0 < C; k0 += TILE_K)
    {
      tile_put (tid, ra, rb, as, bs);
      barrier (CLK_LOCAL_MEM_FENCE);
      if (k0 + TILE_K < C)
        {
          tile_fetch_a (ue, O_pad, C, m0, k0 + TILE_K, tid, ra);
          winograd_fetch_b (ve, C, P_pad, p, k0 + TILE_K, tid, rb);
        }
      tile_multiply (as, bs, tx, ty, acc);
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  tile_store (acc, tx, ty, m0, n0, O_pad, P_pad, 0, 0, m + m_offset + (size_t) e * O_pad * P_pad, P_pad);
}
