/* 3x3 convolution as Winograd F(4x4, 3x3) (Lavin & Gray 2016): each 4x4 block
 * of outputs ("tile") comes from a 6x6 block of the reflection-padded input,
 * with 36 multiplications per channel pair where F(2x2, 3x3) makes 4x4
 * outputs with 64 and the direct convolution with 144; the transformed input
 * and products are 36 floats per 16 outputs instead of 64 (less memory
 * traffic too).  The interpolation points 0, +-1, +-2 and infinity:
 *
 *   B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
 *   G   = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
 *   A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
 *
 * The same three steps and layouts as winograd.cl with 36 elements e instead
 * of 16: U [36][O_pad][C] (winograd4_weights), V [36] x C x P_pad in column
 * blocks (winograd4_input), the products by the same kernels (winograd_gemm,
 * winograd_gemm_tiled or CLBlast, 36 of them), Y = A^T M A + bias, ReLU
 * (winograd4_output).  Tiles are numbered p = r * row_tiles + tx as there,
 * row_tiles = tiles_x rounded up to 8. */

/* y = B^T x for one column (or x B for one row) of 8 tiles at once. */
void winograd4_bt (const float8 x[6], float8 y[6])
{
  y[0] = 4.0f * x[0] - 5.0f * x[2] + x[4];
  y[1] = x[4] + x[3] - 4.0f * (x[1] + x[2]);
  y[2] = x[4] - x[3] + 4.0f * (x[1] - x[2]);
  y[3] = x[4] - x[2] + 2.0f * (x[3] - x[1]);
  y[4] = x[4] - x[2] - 2.0f * (x[3] - x[1]);
  y[5] = 4.0f * x[1] - 5.0f * x[3] + x[5];
}

/* y = A^T x. */
void winograd4_at (const float8 x[6], float8 y[4])
{
  const float8 s12 = x[1] + x[2], d12 = x[1] - x[2], s34 = x[3] + x[4], d34 = x[3] - x[4];
  y[0] = x[0] + s12 + s34;
  y[1] = d12 + 2.0f * d34;
  y[2] = s12 + 4.0f * s34;
  y[3] = d12 + 8.0f * d34 + x[5];
}

/* U = G g G^T for each (output, input) channel pair of OIHW weights, as
 * [36][O_pad][C] (zero past O).  Global size: (C, O_pad). */
__kernel void winograd4_weights (__global const float *w, int C, int O, int O_pad, __global float *u)
{
  const int c = get_global_id (0), o = get_global_id (1);
  if (c >= C || o >= O_pad)
    return;
  const float G[6][3] = { { 1.0f / 4, 0, 0 }, { -1.0f / 6, -1.0f / 6, -1.0f / 6 }, { -1.0f / 6, 1.0f / 6, -1.0f / 6 },
                          { 1.0f / 24, 1.0f / 12, 1.0f / 6 }, { 1.0f / 24, -1.0f / 12, 1.0f / 6 }, { 0, 0, 1 } };
  float g[9];
  for (int k = 0; k < 9; k++)
    g[k] = o < O ? w[((size_t) o * C + c) * 9 + k] : 0.0f;
  float gg[6][3];   /* G g */
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 3; j++)
      gg[i][j] = G[i][0] * g[j] + G[i][1] * g[3 + j] + G[i][2] * g[6 + j];
  for (int i = 0; i < 6; i++)   /* (G g) G^T */
    for (int j = 0; j < 6; j++)
      u[((size_t) (6 * i + j) * O_pad + o) * C + c] = gg[i][0] * G[j][0] + gg[i][1] * G[j][1] + gg[i][2] * G[j][2];
}

/* Columns j, j + 4, ..., j + 28 of 32 (8 tiles' column j, tiles 4 apart). */
float8 winograd4_column (float16 a, float16 b, int j)
{
  switch (j)
    {
    case 0: return shuffle2 (a, b, (uint8) (0, 4, 8, 12, 16, 20, 24, 28));
    case 1: return shuffle2 (a, b, (uint8) (1, 5, 9, 13, 17, 21, 25, 29));
    case 2: return shuffle2 (a, b, (uint8) (2, 6, 10, 14, 18, 22, 26, 30));
    default: return shuffle2 (a, b, (uint8) (3, 7, 11, 15, 19, 23, 27, 31));
    }
}

/* The 36 columns 4 t0 - 1 .. 4 t0 + 34 of input row y (as 16-wide vectors at
 * columns 0, 16 and 4, 20 of them), with the reflection border of 1 and
 * zeros past it (they only feed outputs past the image, which are dropped). */
void winograd4_load_row (__global const float *plane, int H, int W, int y, int t0, float16 q[4])
{
  const int x0 = 4 * t0 - 1;
  if (y >= 0 && y < H && x0 >= 0 && x0 + 36 <= W)
    {
      __global const float *row = plane + (size_t) y * W + x0;
      q[0] = vload16 (0, row), q[1] = vload16 (1, row), q[2] = vload16 (0, row + 4), q[3] = vload16 (1, row + 4);
      return;
    }
  float values[36];
  const int inside = y >= -1 && y <= H;
  for (int k = 0; k < 36; k++)
    {
      const int x = x0 + k;
      values[k] = inside && x >= -1 && x <= W
                  ? plane[(size_t) reflect_index (y, H) * W + reflect_index (x, W)] : 0.0f;
    }
  q[0] = vload16 (0, values), q[1] = vload16 (1, values), q[2] = vload16 (0, values + 4), q[3] = vload16 (1, values + 4);
}

/* 16 tiles of one tile row and one channel, in two float8 halves of a lane
 * per tile, read from the input itself with its reflection border (no padded
 * copy: rows and columns of the image's interior are plain vector loads, the
 * tiles at the border gather): per row of the 6x6 tiles, the six columns of 8
 * tiles.  Channels vary fastest, so that neighbouring items fill
 * neighbouring 64-byte lines of the blocked V.  The columns of V past the
 * strip's tiles are zeroed by the last item of each channel.  row_tiles is a
 * multiple of 8: the last item of a row may have one half.
 * Global size: (C, (row_tiles + 15) / 16, n_rows). */
__kernel void winograd4_input (__global const float *in, int C, int H, int W, int ty0, int n_rows, int row_tiles,
                               int P_pad, int block, __global float *v)
{
  const int c = get_global_id (0), g = get_global_id (1), r = get_global_id (2);
  if (c >= C || 16 * g >= row_tiles || r >= n_rows)
    return;
  __global const float *plane = in + (size_t) c * H * W;
  for (int h = 0; h < 2 && 16 * g + 8 * h < row_tiles; h++)
    {
      const int t0 = 16 * g + 8 * h;
      float8 s[6][6];   /* d B: row i of each tile, transformed along the row */
      for (int i = 0; i < 6; i++)
        {
          float16 q[4];
          winograd4_load_row (plane, H, W, 4 * (ty0 + r) - 1 + i, t0, q);
          const float8 d[6] = { winograd4_column (q[0], q[1], 0), winograd4_column (q[0], q[1], 1),
                                winograd4_column (q[0], q[1], 2), winograd4_column (q[0], q[1], 3),
                                winograd4_column (q[2], q[3], 0), winograd4_column (q[2], q[3], 1) };
          winograd4_bt (d, s[i]);
        }
      const int p0 = r * row_tiles + t0;   /* a multiple of 8: the 8 lanes are adjacent in V */
      for (int j = 0; j < 6; j++)   /* B^T (d B), column by column */
        {
          const float8 x[6] = { s[0][j], s[1][j], s[2][j], s[3][j], s[4][j], s[5][j] };
          float8 e[6];
          winograd4_bt (x, e);
          for (int i = 0; i < 6; i++)
            vstore8 (e[i], 0, v + winograd_v_index (6 * i + j, c, p0, C, P_pad, block));
        }
    }
  if (r == n_rows - 1 && 16 * g + 16 >= row_tiles)
    winograd_zero_padding (v, 36, c, n_rows * row_tiles, C, P_pad, block);
}

/* 8 tiles of one tile row and one output channel, a float8 lane each:
 * A^T M A + bias, ReLU, stored as four 32-wide rows (the lanes' four
 * columns interleaved) inside the image.  Global size: (row_tiles / 8, n_rows, O). */
__kernel void winograd4_output (__global const float *m, ulong m_offset, int O_pad, int P_pad, int ty0, int n_rows,
                                int row_tiles, __global const float *bias, int relu, int H, int W,
                                __global float *out)
{
  const int g = get_global_id (0), r = get_global_id (1), o = get_global_id (2);
  const int t0 = 8 * g, y0 = 4 * (ty0 + r), x0 = 4 * t0;
  if (t0 >= row_tiles || r >= n_rows || x0 >= W)
    return;
  const size_t stride = (size_t) O_pad * P_pad;
  __global const float *src = m + m_offset + (size_t) o * P_pad + r * row_tiles + t0;
  float8 t[4][6];   /* A^T M, column by column */
  for (int j = 0; j < 6; j++)
    {
      float8 x[6], y[4];
      for (int i = 0; i < 6; i++)
        x[i] = vload8 (0, src + (6 * i + j) * stride);
      winograd4_at (x, y);
      for (int i = 0; i < 4; i++)
        t[i][j] = y[i];
    }
  const float b = bias[o];
  __global float *dst = out + (size_t) o * H * W;
  for (int i = 0; i < 4 && y0 + i < H; i++)   /* (A^T M) A */
    {
      float8 y[4];
      winograd4_at (t[i], y);
      /* A NaN stays one through the ReLU (fmax would make it 0): overflowing
       * weights' Inf - Inf in the transforms must still reach the result's
       * check for non-finite numbers, as Inf does through the direct kernel. */
      for (int k = 0; k < 4; k++)
        {
          const float8 v = y[k] + b;
          y[k] = relu ? select (fmax (v, 0.0f), v, isnan (v)) : v;
        }
      const uint16 pairs = (uint16) (0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
      const float16 p = shuffle2 (y[0], y[1], pairs), q = shuffle2 (y[2], y[3], pairs);
      const float16 lo = shuffle2 (p, q, (uint16) (0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23));
      const float16 hi = shuffle2 (p, q, (uint16) (8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31));
      __global float *d = dst + (size_t) (y0 + i) * W + x0;
      if (x0 + 32 <= W)
        {
          vstore16 (lo, 0, d);
          vstore16 (hi, 1, d);
        }
      else
        {
          float tmp[32];
          vstore16 (lo, 0, tmp);
          vstore16 (hi, 1, tmp);
          for (int x = 0; x < 32 && x0 + x < W; x++)
            d[x] = tmp[x];
        }
    }
}
