#include "ns-vec-host.h"

#include <math.h>

double
ns_vec_host_dot (const float *a, const float *b, gsize n)
{
  /* Float within blocks (vectorised), double across them, as the device's
   * work groups do. */
  double sum = 0;
  for (gsize start = 0; start < n; start += 4096)
    {
      gsize end = MIN (n, start + 4096);
      float s = 0.0f;
      for (gsize i = start; i < end; i++)
        s += a[i] * b[i];
      sum += s;
    }
  return sum;
}

void
ns_vec_host_axpby (const float *x, float a, float *y, float b, gsize n)
{
  for (gsize i = 0; i < n; i++)
    y[i] = a * x[i] + b * y[i];
}

void
ns_vec_host_step (const float *x, const float *d, float t, float *out, gsize n)
{
  for (gsize i = 0; i < n; i++)
    out[i] = x[i] + t * d[i];
}

/* args: lr, beta1, beta2, 1 - beta1^t, 1 - beta2^t, eps (as adam_update's). */
void
ns_vec_host_adam (float *x, const float *g, float *m, float *v, const float args[6], gsize n)
{
  const float lr = args[0], beta1 = args[1], beta2 = args[2], c1 = args[3], c2 = args[4], eps = args[5];
  for (gsize i = 0; i < n; i++)
    {
      const float mi = beta1 * m[i] + (1.0f - beta1) * g[i];
      const float vi = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
      m[i] = mi;
      v[i] = vi;
      x[i] -= lr * (mi / c1) / (sqrtf (vi / c2) + eps);
    }
}
