/* 3x3 convolution written for processors (PoCL): no im2col.  The input is
 * first copied with its reflection border (pad_reflect1), then each work
 * item computes CONV_OB output channels x (CONV_VW * CONV_XB) pixels of one
 * row, keeping the CONV_OB * CONV_XB vector accumulators in registers: each
 * input vector loaded feeds CONV_OB multiply-adds, each weight CONV_XB of
 * them.  Vectors of CONV_VW (8 or 16: an AVX-512 register) floats.  Bias and
 * ReLU are applied before the one store. */

#ifndef CONV_OB
#define CONV_OB 4
#endif
#ifndef CONV_XB
#define CONV_XB 2
#endif
#ifndef CONV_VW
#define CONV_VW 8
#endif
#if CONV_VW == 16
typedef float16 conv_vec;
#define conv_vload vload16
#define conv_vstore vstore16
#elif CONV_VW == 8
typedef float8 conv_vec;
#define conv_vload vload8
#define conv_vstore vstore8
#else
#error "CONV_VW is 8 or 16"
#endif

/* Rows [y0, y0 + rows) of the input with a reflected border of 1: out[c, j, x]
 * is padded row y0 + j, column x, for x in [0, Wp); rows and columns past the
 * padded image (H + 2 by W + 2) are zero (they only feed discarded outputs).
 * out starts at out_offset floats.  Global size: (Wp, rows, C). */
__kernel void pad_reflect1 (__global const float *in, int H, int W, int y0, int rows, int Wp,
                            __global float *out, ulong out_offset)
{
  const int x = get_global_id (0), j = get_global_id (1), c = get_global_id (2);
  if (x >= Wp || j >= rows)
    return;
  const int y = y0 + j;
  float v = 0.0f;
  if (x < W + 2 && y < H + 2)
    v = in[(size_t) c * H * W + (size_t) reflect_index (y - 1, H) * W + reflect_index (x - 1, W)];
  out[out_offset + (size_t) c * rows * Wp + (size_t) j * Wp + x] = v;
}

/* weight: [O_blocks][C][9][CONV_OB] (zero-filled past O).  in: padded as
 * above, C x (H + 2) x Wp.  Global size: (O_blocks, ceil(W / (CONV_VW * CONV_XB)), H):
 * the output blocks vary fastest, so neighbouring work items share input rows in cache. */
__kernel void conv3x3_direct (__global const float *in, int C, int H, int W, int Wp,
                              __global const float *weight, __global const float *bias, int O, int relu,
                              __global float *out)
{
  const int ob = get_global_id (0), xb = get_global_id (1), y = get_global_id (2);
  const int x0 = xb * CONV_VW * CONV_XB;
  if (x0 >= W || y >= H)
    return;

  conv_vec acc[CONV_OB][CONV_XB];
#pragma unroll
  for (int o = 0; o < CONV_OB; o++)
    {
      const float b = ob * CONV_OB + o < O ? bias[ob * CONV_OB + o] : 0.0f;
#pragma unroll
      for (int v = 0; v < CONV_XB; v++)
        acc[o][v] = (conv_vec) (b);
    }

  const size_t plane = (size_t) (H + 2) * Wp;
  __global const float *ip = in + (size_t) y * Wp + x0;
  __global const float *wp = weight + (size_t) ob * C * 9 * CONV_OB;
  for (int c = 0; c < C; c++, ip += plane, wp += 9 * CONV_OB)
    {
#pragma unroll
      for (int ky = 0; ky < 3; ky++)
#pragma unroll
        for (int kx = 0; kx < 3; kx++)
          {
            conv_vec x[CONV_XB];
#pragma unroll
            for (int v = 0; v < CONV_XB; v++)
              x[v] = conv_vload (0, ip + ky * Wp + kx + CONV_VW * v);
            __global const float *w = wp + (ky * 3 + kx) * CONV_OB;
#pragma unroll
            for (int o = 0; o < CONV_OB; o++)
#pragma unroll
              for (int v = 0; v < CONV_XB; v++)
                acc[o][v] = fma ((conv_vec) (w[o]), x[v], acc[o][v]);
          }
    }

#pragma unroll
  for (int o = 0; o < CONV_OB; o++)
    {
      const int oc = ob * CONV_OB + o;
      if (oc >= O)
        break;
      __global float *op = out + (size_t) oc * H * W + (size_t) y * W + x0;
#pragma unroll
      for (int v = 0; v < CONV_XB; v++)
        {
          conv_vec r = relu ? fmax (acc[o][v], 0.0f) : acc[o][v];
          const int x = x0 + CONV_VW * v;
          if (x + CONV_VW <= W)
            conv_vstore (r, 0, op + CONV_VW * v);
          else
            {
              float tmp[CONV_VW];
              conv_vstore (r, 0, tmp);
              for (int i = 0; i < CONV_VW && x + i < W; i++)
                op[CONV_VW * v + i] = tmp[i];
            }
        }
    }
}
