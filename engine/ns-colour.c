#include "ns-colour.h"

#include <math.h>
#include <string.h>

NsImage *
ns_colour_grey_rgb (const NsImage *image)
{
  g_return_val_if_fail (image->channels == 3, NULL);
  NsImage *grey = ns_image_new (image->width, image->height, 3);
  gsize n = (gsize) image->width * image->height;
  for (gsize i = 0; i < n; i++)
    {
      float y = ns_colour_luma (image->data + 3 * i);
      grey->data[3 * i] = grey->data[3 * i + 1] = grey->data[3 * i + 2] = y;
    }
  return grey;
}

NsImage *
ns_colour_combine_luma_chroma (const NsImage *luma_from, const NsImage *chroma_from)
{
  g_return_val_if_fail (luma_from->channels == 3 && chroma_from->channels == 3, NULL);
  g_return_val_if_fail (luma_from->width == chroma_from->width && luma_from->height == chroma_from->height, NULL);
  NsImage *out = ns_image_new (luma_from->width, luma_from->height, 3);
  gsize n = (gsize) out->width * out->height;
  for (gsize i = 0; i < n; i++)
    {
      const float *c = chroma_from->data + 3 * i;
      float y = ns_colour_luma (luma_from->data + 3 * i);
      /* BT.601 YCbCr without offsets: Cb = (B - Y) / 1.772, Cr = (R - Y) / 1.402. */
      float yc = ns_colour_luma (c);
      float cb = (c[2] - yc) / 1.772f, cr = (c[0] - yc) / 1.402f;
      float *o = out->data + 3 * i;
      o[0] = y + 1.402f * cr;
      o[2] = y + 1.772f * cb;
      o[1] = (y - 0.299f * o[0] - 0.114f * o[2]) / 0.587f;
    }
  return out;
}

void
ns_colour_statistics (const NsImage *image, double mean[3], double covariance[9])
{
  gsize n = (gsize) image->width * image->height;
  memset (covariance, 0, 9 * sizeof (double));
  for (int c = 0; c < 3; c++)
    {
      double s = 0;
      for (gsize i = 0; i < n; i++)
        s += image->data[3 * i + c];
      mean[c] = s / n;
    }
  for (gsize i = 0; i < n; i++)
    {
      const float *p = image->data + 3 * i;
      double d[3] = { p[0] - mean[0], p[1] - mean[1], p[2] - mean[2] };
      for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
          covariance[3 * a + b] += d[a] * d[b];
    }
  for (int k = 0; k < 9; k++)
    covariance[k] /= n;
}

/* Eigen-decomposition of a symmetric 3 x 3 matrix by Jacobi rotations:
 * m = V diag(w) V^T, V's columns the eigenvectors. */
static void
symmetric_eigen (const double m[9], double w[3], double v[9])
{
  double a[9];
  memcpy (a, m, sizeof a);
  for (int k = 0; k < 9; k++)
    v[k] = (k % 4 == 0) ? 1.0 : 0.0;
  for (int sweep = 0; sweep < 50; sweep++)
    {
      double off = fabs (a[1]) + fabs (a[2]) + fabs (a[5]);
      if (off < 1e-30)
        break;
      for (int p = 0; p < 2; p++)
        for (int q = p + 1; q < 3; q++)
          {
            double apq = a[3 * p + q];
            if (fabs (apq) < 1e-300)
              continue;
            double theta = (a[3 * q + q] - a[3 * p + p]) / (2 * apq);
            double t = (theta >= 0 ? 1.0 : -1.0) / (fabs (theta) + sqrt (theta * theta + 1));
            double c = 1 / sqrt (t * t + 1), s = t * c;
            for (int k = 0; k < 3; k++)   /* a = J^T a J */
              {
                double akp = a[3 * k + p], akq = a[3 * k + q];
                a[3 * k + p] = c * akp - s * akq;
                a[3 * k + q] = s * akp + c * akq;
              }
            for (int k = 0; k < 3; k++)
              {
                double apk = a[3 * p + k], aqk = a[3 * q + k];
                a[3 * p + k] = c * apk - s * aqk;
                a[3 * q + k] = s * apk + c * aqk;
              }
            for (int k = 0; k < 3; k++)
              {
                double vkp = v[3 * k + p], vkq = v[3 * k + q];
                v[3 * k + p] = c * vkp - s * vkq;
                v[3 * k + q] = s * vkp + c * vkq;
              }
          }
    }
  for (int k = 0; k < 3; k++)
    w[k] = a[4 * k];
}

/* V diag(f(w)) V^T for f = w^power, eigenvalues floored so flat images stay finite. */
static void
symmetric_power (const double m[9], double power, double out[9])
{
  double w[3], v[9];
  symmetric_eigen (m, w, v);
  for (int k = 0; k < 3; k++)
    w[k] = pow (fmax (w[k], 1e-8), power);
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 3; c++)
      out[3 * r + c] = v[3 * r] * w[0] * v[3 * c] + v[3 * r + 1] * w[1] * v[3 * c + 1]
                       + v[3 * r + 2] * w[2] * v[3 * c + 2];
}

NsImage *
ns_colour_match (const NsImage *style, const NsImage *reference)
{
  g_return_val_if_fail (style->channels == 3 && reference->channels == 3, NULL);
  double mu_s[3], cov_s[9], mu_r[3], cov_r[9], s_inv_sqrt[9], r_sqrt[9], a[9];
  ns_colour_statistics (style, mu_s, cov_s);
  ns_colour_statistics (reference, mu_r, cov_r);
  symmetric_power (cov_s, -0.5, s_inv_sqrt);
  symmetric_power (cov_r, 0.5, r_sqrt);
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 3; c++)
      a[3 * r + c] = r_sqrt[3 * r] * s_inv_sqrt[c] + r_sqrt[3 * r + 1] * s_inv_sqrt[3 + c]
                     + r_sqrt[3 * r + 2] * s_inv_sqrt[6 + c];
  NsImage *out = ns_image_new (style->width, style->height, 3);
  gsize n = (gsize) style->width * style->height;
  for (gsize i = 0; i < n; i++)
    {
      const float *p = style->data + 3 * i;
      double d[3] = { p[0] - mu_s[0], p[1] - mu_s[1], p[2] - mu_s[2] };
      for (int r = 0; r < 3; r++)
        out->data[3 * i + r] = (float) (mu_r[r] + a[3 * r] * d[0] + a[3 * r + 1] * d[1] + a[3 * r + 2] * d[2]);
    }
  return out;
}
