/* 3x3 convolution as Winograd F(2x2, 3x3) (Lavin & Gray 2016): each 2x2 block
 * of outputs ("tile") comes from a 4x4 block of the reflection-padded input,
 * and 16 multiplications per channel pair instead of 36.
 *
 *   V = B^T d B   (winograd_input: 16 values per tile and input channel)
 *   M[e] = U[e] V[e] for each of the 16 elements e (a batch of 16 matrix
 *          products: CLBlast, winograd_gemm_tiled in tiled_gemm.cl, or
 *          winograd_gemm below for processors)
 *   Y = A^T M A   (winograd_output: + bias, ReLU, the one store)
 *
 * U = G g G^T is made once on the host (ns_winograd_weights_new), as
 * [16][O_pad][C].  The tiles of a strip of tile rows are numbered
 * p = r * tiles_x + tx; V is [16][C][P_pad], M is [16][O_pad][P_pad], P_pad
 * an odd multiple of 16 (see padded_tiles in ns-conv-winograd.c). */

/* One tile of one channel.  Global size: (P_pad, C). */
__kernel void winograd_input (__global const float *in, int C, int H, int W, int ty0, int n_tiles, int tiles_x,
                              int P_pad, __global float *v)
{
  const int p = get_global_id (0), c = get_global_id (1);
  if (p >= P_pad)
    return;
  /* Reflected rows and columns, computed once; those past H and W (odd
   * sizes) only feed discarded outputs and read as zero. */
  const int y0 = 2 * (ty0 + p / tiles_x) - 1, x0 = 2 * (p % tiles_x) - 1;
  const int live = p < n_tiles;
  int row[4], col[4], keep_row[4], keep_col[4];
  for (int i = 0; i < 4; i++)
    {
      const int y = y0 + i, x = x0 + i;
      keep_row[i] = live && y <= H;
      keep_col[i] = x <= W;
      row[i] = live ? reflect_index (min (y, H), H) * W : 0;
      col[i] = reflect_index (min (x, W), W);
    }
  __global const float *src = in + (size_t) c * H * W;
  float d[4][4];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++)
      d[i][j] = keep_row[i] && keep_col[j] ? src[row[i] + col[j]] : 0.0f;

  float t[4][4];   /* B^T d */
  for (int j = 0; j < 4; j++)
    {
      t[0][j] = d[0][j] - d[2][j];
      t[1][j] = d[1][j] + d[2][j];
      t[2][j] = d[2][j] - d[1][j];
      t[3][j] = d[1][j] - d[3][j];
    }
  const size_t stride = (size_t) C * P_pad;
  __global float *dst = v + (size_t) c * P_pad + p;
  for (int i = 0; i < 4; i++)   /* (B^T d) B */
    {
      dst[(4 * i + 0) * stride] = t[i][0] - t[i][2];
      dst[(4 * i + 1) * stride] = t[i][1] + t[i][2];
      dst[(4 * i + 2) * stride] = t[i][2] - t[i][1];
      dst[(4 * i + 3) * stride] = t[i][1] - t[i][3];
    }
}

/* M[e][o][p] = sum_c U[e][o][c] V[e][c][p] for processors: each work item
 * keeps 4 output channels x 16 tiles in registers, as conv3x3_direct does,
 * and walks 4 rows of U and one column block of V.  u: [16][O_pad][C],
 * O_pad a multiple of 4.  Global size: (O_pad / 4, P_pad / 16, 16). */
__kernel void winograd_gemm (__global const float *u, __global const float *v, int C, int O_pad, int P_pad,
                             __global float *m, ulong m_offset)
{
  m += m_offset;
  const int ob = get_global_id (0), pb = get_global_id (1), e = get_global_id (2);
  __global const float *up = u + ((size_t) e * O_pad + 4 * ob) * C;
  __global const float *vp = v + (size_t) e * C * P_pad + 16 * pb;
  float8 acc[4][2];
  for (int o = 0; o < 4; o++)
    acc[o][0] = acc[o][1] = (float8) (0.0f);
  for (int c = 0; c < C; c++, vp += P_pad)
    {
      const float8 x0 = vload8 (0, vp), x1 = vload8 (1, vp);
#pragma unroll
      for (int o = 0; o < 4; o++)   /* scalar loads: broadcasts straight from memory */
        {
          const float w = up[o * C + c];
          acc[o][0] = fma ((float8) (w), x0, acc[o][0]);
          acc[o][1] = fma ((float8) (w), x1, acc[o][1]);
        }
    }
  __global float *mp = m + ((size_t) e * O_pad + 4 * ob) * P_pad + 16 * pb;
  for (int o = 0; o < 4; o++, mp += P_pad)
    {
      vstore8 (acc[o][0], 0, mp);
      vstore8 (acc[o][1], 1, mp);
    }
}

/* One tile of one output channel: A^T M A + bias, ReLU, stored inside the
 * image.  Global size: (n_tiles, O). */
__kernel void winograd_output (__global const float *m, ulong m_offset, int O_pad, int P_pad, int ty0, int n_tiles,
                               int tiles_x, __global const float *bias, int relu, int H, int W, __global float *out)
{
  m += m_offset;
  const int p = get_global_id (0), o = get_global_id (1);
  if (p >= n_tiles)
    return;
  const size_t stride = (size_t) O_pad * P_pad;
  __global const float *src = m + (size_t) o * P_pad + p;
  float t[2][4];   /* A^T M */
  for (int j = 0; j < 4; j++)
    {
      const float m0 = src[j * stride], m1 = src[(4 + j) * stride];
      const float m2 = src[(8 + j) * stride], m3 = src[(12 + j) * stride];
      t[0][j] = m0 + m1 + m2;
      t[1][j] = m1 - m2 - m3;
    }
  const int y0 = 2 * (ty0 + p / tiles_x), x0 = 2 * (p % tiles_x);
  const float b = bias[o];
  __global float *dst = out + (size_t) o * H * W;
  for (int i = 0; i < 2 && y0 + i < H; i++)   /* (A^T M) A */
    {
      float r0 = t[i][0] + t[i][1] + t[i][2] + b;
      float r1 = t[i][1] - t[i][2] - t[i][3] + b;
      if (relu)
        r0 = fmax (r0, 0.0f), r1 = fmax (r1, 0.0f);
      dst[(y0 + i) * W + x0] = r0;
      if (x0 + 1 < W)
        dst[(y0 + i) * W + x0 + 1] = r1;
    }
}
