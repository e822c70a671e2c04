/* Per-channel statistics and adaptive instance normalisation, CHW. */

/* One work-group per channel: mean and population variance of x[c, 0..HW),
 * two passes (the mean first) so large offsets do not cost precision; each
 * work item sums a strided slice, then a tree reduction in local memory.
 * Local size must be a power of two.  Global size: (local * C). */
__kernel void channel_mean_var (__global const float *x, int HW, __global float *mean,
                                __global float *var, __local float *scratch)
{
  const int c = get_group_id (0);
  const int lid = get_local_id (0);
  const int n = get_local_size (0);
  __global const float *p = x + (size_t) c * HW;

  float s = 0.0f;
  for (int i = lid; i < HW; i += n)
    s += p[i];
  const float m = work_group_tree_sum (scratch, s) / (float) HW;

  float q = 0.0f;
  for (int i = lid; i < HW; i += n)
    {
      const float d = p[i] - m;
      q += d * d;
    }
  q = work_group_tree_sum (scratch, q);
  if (lid == 0)
    {
      mean[c] = m;
      var[c] = q / (float) HW;
    }
}

/* out = alpha * (sigma_s * (x - mu_c) / sigma_c + mu_s) + (1 - alpha) * x,
 * sigma = sqrt(var + eps).  In place is allowed.  Global size: (HW, C). */
__kernel void adain_blend (__global const float *x, int HW,
                           __global const float *mean_c, __global const float *var_c,
                           __global const float *mean_s, __global const float *var_s,
                           float alpha, float eps, __global float *out)
{
  const int i = get_global_id (0);
  const int c = get_global_id (1);
  if (i >= HW)
    return;
  const size_t at = (size_t) c * HW + i;
  const float v = x[at];
  const float scale = sqrt (var_s[c] + eps) / sqrt (var_c[c] + eps);
  const float t = (v - mean_c[c]) * scale + mean_s[c];
  out[at] = alpha * t + (1.0f - alpha) * v;
}

/* out[c, i] = m[i] * a[c, i] + (1 - m[i]) * b[c, i]: two AdaIN targets joined
 * by a mask at feature resolution.  In place into a is allowed.  Global size: (HW, C). */
__kernel void mask_mix (__global const float *a, __global const float *b, __global const float *m, int HW,
                        __global float *out)
{
  const int i = get_global_id (0);
  const int c = get_global_id (1);
  if (i >= HW)
    return;
  const size_t at = (size_t) c * HW + i;
  out[at] = m[i] * a[at] + (1.0f - m[i]) * b[at];
}
