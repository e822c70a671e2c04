/* The Gatys objective's losses and the optimisers' vector operations.
 *
 * Sums: kernels that reduce take a fixed grid of groups (global size
 * groups * local, local a power of two); each work item sums a strided slice,
 * the group reduces in local memory and writes one partial sum, and the host
 * adds the partials in double precision. */

void reduce_to_partial (__local float *scratch, float s, __global float *partials)
{
  const int lid = get_local_id (0);
  scratch[lid] = s;
  barrier (CLK_LOCAL_MEM_FENCE);
  for (int step = get_local_size (0) / 2; step > 0; step /= 2)
    {
      if (lid < step)
        scratch[lid] += scratch[lid + step];
      barrier (CLK_LOCAL_MEM_FENCE);
    }
  if (lid == 0)
    partials[get_group_id (0)] = scratch[0];
}

/* a[i] -= b[i]; partials of sum(a[i]^2) afterwards. */
__kernel void sub_square_sum (__global float *a, __global const float *b, int n,
                              __global float *partials, __local float *scratch)
{
  float s = 0.0f;
  for (int i = get_global_id (0); i < n; i += get_global_size (0))
    {
      const float d = a[i] - b[i];
      a[i] = d;
      s += d * d;
    }
  reduce_to_partial (scratch, s, partials);
}

/* The content term: d = f - p; g[i] += coef * d; partials of sum(d^2). */
__kernel void content_grad (__global const float *f, __global const float *p, int n, float coef,
                            __global float *g, __global float *partials, __local float *scratch)
{
  float s = 0.0f;
  for (int i = get_global_id (0); i < n; i += get_global_size (0))
    {
      const float d = f[i] - p[i];
      g[i] += coef * d;
      s += d * d;
    }
  reduce_to_partial (scratch, s, partials);
}

/* Partials of sum(a[i] * b[i]). */
__kernel void dot_partial (__global const float *a, __global const float *b, int n,
                           __global float *partials, __local float *scratch)
{
  float s = 0.0f;
  for (int i = get_global_id (0); i < n; i += get_global_size (0))
    s += a[i] * b[i];
  reduce_to_partial (scratch, s, partials);
}

/* Total variation of a CHW image, sum of squared differences between
 * horizontal and vertical neighbours: g += coef * its gradient; partials of
 * the variation itself. */
__kernel void tv_grad (__global const float *x, int C, int H, int W, float coef,
                       __global float *g, __global float *partials, __local float *scratch)
{
  const int n = C * H * W;
  float s = 0.0f;
  for (int i = get_global_id (0); i < n; i += get_global_size (0))
    {
      const int xx = i % W, yy = (i / W) % H;
      const float v = x[i];
      float d = 0.0f;
      if (xx + 1 < W)
        {
          const float r = x[i + 1] - v;
          s += r * r;
          d -= r;
        }
      if (yy + 1 < H)
        {
          const float b = x[i + W] - v;
          s += b * b;
          d -= b;
        }
      if (xx > 0)
        d += v - x[i - 1];
      if (yy > 0)
        d += v - x[i - W];
      g[i] += coef * 2.0f * d;
    }
  reduce_to_partial (scratch, s, partials);
}

/* y = a * x + b * y.  Global size: (n). */
__kernel void axpby (__global const float *x, float a, __global float *y, float b, int n)
{
  const int i = get_global_id (0);
  if (i < n)
    y[i] = a * x[i] + b * y[i];
}

/* out = x + t * d.  Global size: (n). */
__kernel void step_to (__global const float *x, __global const float *d, float t, __global float *out, int n)
{
  const int i = get_global_id (0);
  if (i < n)
    out[i] = x[i] + t * d[i];
}

/* One Adam update (Kingma & Ba 2015); c1 = 1 - beta1^t, c2 = 1 - beta2^t.  Global size: (n). */
__kernel void adam_update (__global float *x, __global const float *g, __global float *m, __global float *v,
                           float lr, float beta1, float beta2, float c1, float c2, float eps, int n)
{
  const int i = get_global_id (0);
  if (i >= n)
    return;
  const float gi = g[i];
  const float mi = beta1 * m[i] + (1.0f - beta1) * gi;
  const float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
  m[i] = mi;
  v[i] = vi;
  x[i] -= lr * (mi / c1) / (sqrt (vi / c2) + eps);
}

/* Spatial control (masked Gram matrices): y[c, p] = (accumulate ? y[c, p] : 0)
 * + x[c, p] * w[p], with w = m, or 1 - m when invert, the same for every
 * channel.  Global size: (HW, C). */
__kernel void mask_channels (__global const float *x, __global const float *m, int HW, int invert,
                             __global float *y, int accumulate)
{
  const int p = get_global_id (0), c = get_global_id (1);
  if (p >= HW)
    return;
  const size_t at = (size_t) c * HW + p;
  const float w = invert ? 1.0f - m[p] : m[p];
  /* Not y * 0: a fresh buffer may hold NaNs. */
  y[at] = accumulate ? y[at] + x[at] * w : x[at] * w;
}
