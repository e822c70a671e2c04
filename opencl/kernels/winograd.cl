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
 * U = G g G^T is made once per layer (winograd_weights), as
 * [16][O_pad][C].  The tiles of a strip of tile rows are numbered
 * p = r * row_tiles + tx, row_tiles = tiles_x rounded up to 16 (the tiles
 * past the image are computed and dropped), so that the transforms move
 * 8 tiles as one float8 and the input transform whole 16-tile blocks.  M is [16][O_pad][P_pad]; V[e] is C x P_pad,
 * stored in column blocks of `block` tiles: V[e][c][p] at
 * e C P_pad + (p / block) C block + c block + p % block.  block = P_pad
 * is the plain row-major matrix (CLBlast's); block = 32 keeps each
 * 32-tile column contiguous over c (winograd_gemm walks down it; 16 for
 * winograd_gemm_tiled).  P_pad is an odd multiple of 32 (see padded_tiles in
 * ns-conv-winograd.c).  winograd_v_index is in common.cl (winograd4.cl uses it too). */

/* U = G g G^T for each (output, input) channel pair of OIHW weights, with
 * G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1], as [16][O_pad][C] (zero
 * past O).  Global size: (C, O_pad). */
__kernel void winograd_weights (__global const float *w, int C, int O, int O_pad, __global float *u)
{
  const int c = get_global_id (0), o = get_global_id (1);
  if (c >= C || o >= O_pad)
    return;
  float g[9];
  for (int k = 0; k < 9; k++)
    g[k] = o < O ? w[((size_t) o * C + c) * 9 + k] : 0.0f;
  float gg[4][3];   /* G g */
  for (int j = 0; j < 3; j++)
    {
      gg[0][j] = g[j];
      gg[1][j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
      gg[2][j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
      gg[3][j] = g[6 + j];
    }
  for (int i = 0; i < 4; i++)   /* (G g) G^T */
    {
      const float row[4] = { gg[i][0], 0.5f * (gg[i][0] + gg[i][1] + gg[i][2]),
                             0.5f * (gg[i][0] - gg[i][1] + gg[i][2]), gg[i][2] };
      for (int j = 0; j < 4; j++)
        u[((size_t) (4 * i + j) * O_pad + o) * C + c] = row[j];
    }
}

/* 16 tiles of one tile row and one channel, in two float8 halves of a lane
 * per tile, from the strip's padded input (pad_reflect1: rows
 * 2 ty0 .. 2 (ty0 + n_rows) + 1, Wp = 2 row_tiles + 2 columns): two 16-wide
 * loads per row and half give the four columns of every tile as their even
 * and odd halves.  Channels vary fastest, so that neighbouring items fill
 * neighbouring 64-byte lines of the blocked V.  The columns of V past the
 * strip's tiles are zeroed by the last item of each channel.  Global size:
 * (C, row_tiles / 16, n_rows). */
__kernel void winograd_input (__global const float *padded, ulong padded_offset, int C, int n_rows, int Wp,
                              int row_tiles, int P_pad, int block, __global float *v)
{
  const int c = get_global_id (0), g = get_global_id (1), r = get_global_id (2);
  if (c >= C || 16 * g >= row_tiles || r >= n_rows)
    return;
  for (int h = 0; h < 2; h++)
    {
      const int t0 = 16 * g + 8 * h;
      __global const float *src = padded + padded_offset + ((size_t) c * (2 * n_rows + 2) + 2 * r) * Wp + 2 * t0;
      float8 t[4][4];   /* B^T d, with d[i][j] = padded row i, column j of each tile */
      {
        float8 d[4][4];
        for (int i = 0; i < 4; i++)
          {
            const float16 a = vload16 (0, src + i * Wp), b = vload16 (0, src + i * Wp + 2);
            d[i][0] = a.even, d[i][1] = a.odd, d[i][2] = b.even, d[i][3] = b.odd;
          }
        for (int j = 0; j < 4; j++)
          {
            t[0][j] = d[0][j] - d[2][j];
            t[1][j] = d[1][j] + d[2][j];
            t[2][j] = d[2][j] - d[1][j];
            t[3][j] = d[1][j] - d[3][j];
          }
      }
      const int p0 = r * row_tiles + t0;   /* a multiple of 8: the 8 lanes are adjacent in V */
      for (int i = 0; i < 4; i++)   /* (B^T d) B */
        {
          const float8 e[4] = { t[i][0] - t[i][2], t[i][1] + t[i][2], t[i][2] - t[i][1], t[i][1] - t[i][3] };
          for (int j = 0; j < 4; j++)
            vstore8 (e[j], 0, v + winograd_v_index (4 * i + j, c, p0, C, P_pad, block));
        }
    }
  if (r == n_rows - 1 && 16 * g + 16 == row_tiles)
    winograd_zero_padding (v, 16, c, n_rows * row_tiles, C, P_pad, block);
}

/* M[e][o][p] = sum_c U[e][o][c] V[e][c][p] for processors: each work item
 * keeps WINOGRAD_OB (8) output channels x WINOGRAD_PB (32) tiles in 16
 * float16 registers (an AVX-512 processor has 32), and walks 8 rows of U and
 * one 32-tile column of V (block = 32: contiguous); per input channel 2 vector
 * loads and 8 broadcasts feed 16 vector multiply-adds.  u: [16][O_pad][C],
 * O_pad a multiple of 8.  Global size: (O_pad / 8, P_pad / 32, 16). */
#if WINOGRAD_OB != 8 || WINOGRAD_PB != 32
#error "winograd_gemm's items make 8 output channels x 32 tiles"
#endif
__kernel void winograd_gemm (__global const float *u, __global const float *v, int C, int O_pad, int P_pad,
                             __global float *m, ulong m_offset)
{
  m += m_offset;
  const int ob = get_global_id (0), pb = get_global_id (1), e = get_global_id (2);
  __global const float *up = u + ((size_t) e * O_pad + 8 * ob) * C;
  __global const float *vp = v + winograd_v_index (e, 0, 32 * pb, C, P_pad, 32);
  float16 acc[8][2];
#pragma unroll
  for (int o = 0; o < 8; o++)
    acc[o][0] = acc[o][1] = (float16) (0.0f);
  for (int c = 0; c < C; c++, vp += 32)
    {
      const float16 x0 = vload16 (0, vp), x1 = vload16 (1, vp);
#pragma unroll
      for (int o = 0; o < 8; o++)   /* scalar loads: broadcasts straight from memory */
        {
          const float w = up[o * C + c];
          acc[o][0] = fma ((float16) (w), x0, acc[o][0]);
          acc[o][1] = fma ((float16) (w), x1, acc[o][1]);
        }
    }
  __global float *mp = m + ((size_t) e * O_pad + 8 * ob) * P_pad + 32 * pb;
#pragma unroll
  for (int o = 0; o < 8; o++, mp += P_pad)
    {
      vstore16 (acc[o][0], 0, mp);
      vstore16 (acc[o][1], 1, mp);
    }
}

/* 8 tiles of one tile row and one output channel, a float8 lane each:
 * A^T M A + bias, ReLU, stored as two 16-wide rows (the lanes' two columns
 * interleaved) inside the image.  Global size: (row_tiles / 8, n_rows, O). */
__kernel void winograd_output (__global const float *m, ulong m_offset, int O_pad, int P_pad, int ty0, int n_rows,
                               int row_tiles, __global const float *bias, int relu, int H, int W, __global float *out)
{
  const int g = get_global_id (0), r = get_global_id (1), o = get_global_id (2);
  const int t0 = 8 * g, y0 = 2 * (ty0 + r), x0 = 2 * t0;
  if (t0 >= row_tiles || r >= n_rows || x0 >= W)
    return;
  const size_t stride = (size_t) O_pad * P_pad;
  __global const float *src = m + m_offset + (size_t) o * P_pad + r * row_tiles + t0;
  float8 t[2][4];   /* A^T M */
  for (int j = 0; j < 4; j++)
    {
      const float8 m0 = vload8 (0, src + j * stride), m1 = vload8 (0, src + (4 + j) * stride);
      const float8 m2 = vload8 (0, src + (8 + j) * stride), m3 = vload8 (0, src + (12 + j) * stride);
      t[0][j] = m0 + m1 + m2;
      t[1][j] = m1 - m2 - m3;
    }
  const float b = bias[o];
  __global float *dst = out + (size_t) o * H * W;
  for (int i = 0; i < 2 && y0 + i < H; i++)   /* (A^T M) A */
    {
      float8 r0 = t[i][0] + t[i][1] + t[i][2] + b;
      float8 r1 = t[i][1] - t[i][2] - t[i][3] + b;
      if (relu)
        r0 = fmax (r0, 0.0f), r1 = fmax (r1, 0.0f);
      const float16 row = shuffle2 (r0, r1, (uint16) (0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15));
      __global float *d = dst + (size_t) (y0 + i) * W + x0;
      if (x0 + 16 <= W)
        vstore16 (row, 0, d);
      else
        {
          float tmp[16];
          vstore16 (row, 0, tmp);
          for (int x = 0; x < 16 && x0 + x < W; x++)
            d[x] = tmp[x];
        }
    }
}
