#include "ns-metrics.h"

#include "ns-cl-blas.h"
#include "ns-colour.h"
#include "ns-engine-private.h"
#include "ns-runtime-private.h"
#include "ns-i18n.h"
#include <math.h>
#include <string.h>

#define SSIM_RADIUS 5          /* int(3.5 * sigma + 0.5): scikit-image's truncation */
#define SSIM_SIGMA 1.5
#define N_LAYERS 5

/* ---- C: SSIM ---- */

/* Gaussian-weighted local means of the valid positions (a border of
 * SSIM_RADIUS is dropped: those are the pixels the final mean leaves out). */
static double *
local_mean (const double *v, int w, int h, const double *kernel)
{
  int vw = w - 2 * SSIM_RADIUS, vh = h - 2 * SSIM_RADIUS;
  g_autofree double *rows = g_new0 (double, (gsize) h * vw);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < vw; x++)
      {
        double s = 0;
        for (int k = 0; k <= 2 * SSIM_RADIUS; k++)
          s += kernel[k] * v[(gsize) y * w + x + k];
        rows[(gsize) y * vw + x] = s;
      }
  double *out = g_new0 (double, (gsize) vh * vw);
  for (int y = 0; y < vh; y++)
    for (int x = 0; x < vw; x++)
      {
        double s = 0;
        for (int k = 0; k <= 2 * SSIM_RADIUS; k++)
          s += kernel[k] * rows[(gsize) (y + k) * vw + x];
        out[(gsize) y * vw + x] = s;
      }
  return out;
}

gboolean
ns_metrics_ssim (const NsImage *a, const NsImage *b, double *ssim, GError **error)
{
  const int side = 2 * SSIM_RADIUS + 1;
  if (a->width != b->width || a->height != b->height || a->width < side || a->height < side)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("SSIM compares images of the same size, at least %d × %d; these are %d × %d and %d × %d."),
                   side, side, a->width, a->height, b->width, b->height);
      return FALSE;
    }
  int w = a->width, h = a->height;
  gsize n = (gsize) w * h;
  g_autoptr (NsImage) ra = ns_image_to_rgb (a);
  g_autoptr (NsImage) rb = ns_image_to_rgb (b);
  g_autofree double *x = g_new (double, n), *y = g_new (double, n), *xx = g_new (double, n),
                    *yy = g_new (double, n), *xy = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      const float *p = ra->data + 3 * i, *q = rb->data + 3 * i;
      x[i] = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
      y[i] = 0.299 * q[0] + 0.587 * q[1] + 0.114 * q[2];
      xx[i] = x[i] * x[i];
      yy[i] = y[i] * y[i];
      xy[i] = x[i] * y[i];
    }
  double kernel[2 * SSIM_RADIUS + 1], total = 0;
  for (int k = -SSIM_RADIUS; k <= SSIM_RADIUS; k++)
    total += kernel[k + SSIM_RADIUS] = exp (-0.5 * k * k / (SSIM_SIGMA * SSIM_SIGMA));
  for (int k = 0; k < side; k++)
    kernel[k] /= total;
  g_autofree double *ux = local_mean (x, w, h, kernel), *uy = local_mean (y, w, h, kernel),
                    *uxx = local_mean (xx, w, h, kernel), *uyy = local_mean (yy, w, h, kernel),
                    *uxy = local_mean (xy, w, h, kernel);
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;   /* (K * data range)^2, range 1 */
  gsize valid = (gsize) (w - 2 * SSIM_RADIUS) * (h - 2 * SSIM_RADIUS);
  double sum = 0;
  for (gsize i = 0; i < valid; i++)
    {
      double vx = uxx[i] - ux[i] * ux[i], vy = uyy[i] - uy[i] * uy[i], vxy = uxy[i] - ux[i] * uy[i];
      sum += (2 * ux[i] * uy[i] + c1) * (2 * vxy + c2) / ((ux[i] * ux[i] + uy[i] * uy[i] + c1) * (vx + vy + c2));
    }
  *ssim = sum / valid;
  return TRUE;
}

/* ---- E: effectiveness ---- */

/* The runtime's, borrowed. */
struct _NsMetrics {
  NsClContext *ctx;
  NsOps *ops;       /* of forward passes */
  NsNetwork *vgg;   /* to conv5_1 */
};

NsMetrics *
ns_metrics_new (NsRuntime *runtime, GError **error)
{
  NsNetwork *vgg = ns_runtime_open (runtime, error) ? ns_runtime_get_vgg (runtime, "conv5_1", error) : NULL;
  if (vgg == NULL || !ns_network_prepare (vgg, ns_runtime_get_ops (runtime), error))
    return NULL;
  NsMetrics *metrics = g_new0 (NsMetrics, 1);
  metrics->ctx = ns_runtime_get_context (runtime);
  metrics->ops = ns_runtime_get_ops (runtime);
  metrics->vgg = vgg;
  return metrics;
}

void
ns_metrics_free (NsMetrics *metrics)
{
  g_free (metrics);
}

/* Per layer relu{1..5}_1: the number of positions, the feature sum (N) and
 * the Gram matrix F F^T (N x N, not normalised), in double; and each
 * channel's mean and deviation (two passes over the features, in double). */
typedef struct {
  int channels[N_LAYERS];
  double positions[N_LAYERS];
  double *sum[N_LAYERS];
  double *gram[N_LAYERS];
  double *mean[N_LAYERS];
  double *std[N_LAYERS];
} LayerMoments;

static void
layer_moments_clear (LayerMoments *m)
{
  for (int l = 0; l < N_LAYERS; l++)
    {
      g_clear_pointer (&m->sum[l], g_free);
      g_clear_pointer (&m->gram[l], g_free);
      g_clear_pointer (&m->mean[l], g_free);
      g_clear_pointer (&m->std[l], g_free);
    }
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LayerMoments, layer_moments_clear)

static gboolean
add_moments (NsMetrics *metrics, const NsTensor *f, int layer, LayerMoments *m, GError **error)
{
  const int N = f->channels;
  const gsize M = (gsize) f->height * f->width;
  g_autoptr (NsClBuffer) gram = ns_cl_buffer_new (metrics->ctx, (gsize) N * N * sizeof (float), error);
  if (gram == NULL
      || !ns_cl_sgemm (metrics->ctx, FALSE, TRUE, N, N, M, 1.0f, f->buffer->mem, 0, M, f->buffer->mem, 0, M, 0.0f,
                       gram->mem, 0, N, error))
    return FALSE;
  g_autofree float *host_gram = g_new (float, (gsize) N * N), *host_f = g_new (float, N * M);
  if (!ns_cl_buffer_read (gram, 0, host_gram, (gsize) N * N * sizeof (float), error) || !ns_tensor_read (f, host_f, error))
    return FALSE;
  m->channels[layer] = N;
  m->positions[layer] = (double) M;
  m->sum[layer] = g_new0 (double, N);
  m->gram[layer] = g_new (double, (gsize) N * N);
  for (int c = 0; c < N; c++)
    for (gsize i = 0; i < M; i++)
      m->sum[layer][c] += host_f[c * M + i];
  for (gsize k = 0; k < (gsize) N * N; k++)
    m->gram[layer][k] = host_gram[k];
  m->mean[layer] = g_new (double, N);
  m->std[layer] = g_new (double, N);
  for (int c = 0; c < N; c++)
    {
      double mean = m->sum[layer][c] / M, ss = 0;
      for (gsize i = 0; i < M; i++)
        {
          double d = host_f[c * M + i] - mean;
          ss += d * d;
        }
      m->mean[layer][c] = mean;
      m->std[layer][c] = sqrt (ss / M + NS_METRICS_MEAN_STD_EPSILON);
    }
  return TRUE;
}

static gboolean
check_image (const NsImage *image, GError **error)
{
  if (!ns_engine_check_image (image, _("input"), error))
    return FALSE;
  if (image->width < NS_METRICS_MIN_IMAGE_SIDE || image->height < NS_METRICS_MIN_IMAGE_SIDE)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL,
                   _("An image is %d × %d pixels; the metrics need at least %d × %d."), image->width,
                   image->height, NS_METRICS_MIN_IMAGE_SIDE, NS_METRICS_MIN_IMAGE_SIDE);
      return FALSE;
    }
  return TRUE;
}

/* Walks VGG-19 to relu5_1, keeping the moments at each relu{k}_1. */
static gboolean
moments_of (NsMetrics *metrics, const NsImage *image, LayerMoments *m, GError **error)
{
  if (!check_image (image, error))
    return FALSE;
  g_autoptr (NsImage) rgb = ns_image_to_rgb (image);
  g_autoptr (NsTensor) x = ns_tensor_new_from_image (metrics->ctx, rgb, error);
  if (x == NULL)
    return FALSE;
  int layer = 0;
  for (guint i = 0; i < ns_network_n_steps (metrics->vgg); i++)
    {
      const NsStepSpec *spec = ns_network_step_spec (metrics->vgg, i);
      NsTensor *next = spec->kind == NS_STEP_MAXPOOL
                         ? ns_op_maxpool2x2 (metrics->ops, x, error)
                         : ns_op_conv3x3 (metrics->ops, x, ns_network_step_conv (metrics->vgg, i), TRUE, error);
      if (next == NULL)
        return FALSE;
      ns_tensor_free (x);
      x = next;
      if (spec->name != NULL && g_str_has_suffix (spec->name, "_1") && !add_moments (metrics, x, layer++, m, error))
        return FALSE;
    }
  g_return_val_if_fail (layer == N_LAYERS, FALSE);
  return TRUE;
}

/* Mean and variance of one image's pooled projections on the trial's vectors. */
static void
projected_moments (const LayerMoments *m, double *const *u, double *mean, double *var)
{
  double s1 = 0, s2 = 0, count = 0;
  for (int l = 0; l < N_LAYERS; l++)
    {
      const int N = m->channels[l];
      for (int a = 0; a < N; a++)
        {
          s1 += u[l][a] * m->sum[l][a];
          double row = 0;
          for (int b = 0; b < N; b++)
            row += m->gram[l][(gsize) a * N + b] * u[l][b];
          s2 += u[l][a] * row;
        }
      count += m->positions[l];
    }
  *mean = s1 / count;
  *var = fmax (s2 / count - *mean * *mean, 0.0);
}

static double
effectiveness_of (const LayerMoments *mr, const LayerMoments *ms, int trials, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  double *u[N_LAYERS];
  for (int l = 0; l < N_LAYERS; l++)
    u[l] = g_new (double, ms->channels[l]);
  double mean_d = 0;
  for (int k = 0; k < trials; k++)
    {
      for (int l = 0; l < N_LAYERS; l++)   /* uniform on the sphere: normalised Gaussians */
        {
          double norm = 0;
          for (int a = 0; a < ms->channels[l]; a++)
            {
              double g1 = g_rand_double (rand), g2 = g_rand_double (rand);
              u[l][a] = sqrt (-2 * log (1 - g1)) * cos (2 * G_PI * g2);
              norm += u[l][a] * u[l][a];
            }
          for (int a = 0; a < ms->channels[l]; a++)
            u[l][a] /= sqrt (norm);
        }
      double mean_s, var_s, mean_r, var_r;
      projected_moments (ms, u, &mean_s, &var_s);
      projected_moments (mr, u, &mean_r, &var_r);
      double sd_s = sqrt (fmax (var_s, 1e-30));
      double mu = (mean_r - mean_s) / sd_s, sigma = sqrt (var_r) / sd_s;
      mean_d += -log (fmax (sigma, 1e-30)) + (sigma * sigma + mu * mu) / 2 - 0.5;
    }
  for (int l = 0; l < N_LAYERS; l++)
    g_free (u[l]);
  mean_d /= trials;
  return -log (fmax (mean_d, 1e-300));
}

/* Huang & Belongie's style loss from the moments of relu1_1 .. relu4_1. */
static double
mean_std_loss_of (const LayerMoments *mr, const LayerMoments *ms)
{
  double loss = 0;
  for (int l = 0; l < NS_METRICS_MEAN_STD_LAYERS; l++)
    {
      double dmean = 0, dstd = 0;
      for (int c = 0; c < ms->channels[l]; c++)
        {
          double a = mr->mean[l][c] - ms->mean[l][c], b = mr->std[l][c] - ms->std[l][c];
          dmean += a * a;
          dstd += b * b;
        }
      loss += sqrt (dmean) + sqrt (dstd);
    }
  return loss;
}

struct _NsMetricsStyle {
  LayerMoments moments;
};

NsMetricsStyle *
ns_metrics_style_new (NsMetrics *metrics, const NsImage *style, GError **error)
{
  g_autoptr (NsMetricsStyle) prepared = g_new0 (NsMetricsStyle, 1);
  if (!moments_of (metrics, style, &prepared->moments, error))
    return NULL;
  return g_steal_pointer (&prepared);
}

void
ns_metrics_style_free (NsMetricsStyle *style)
{
  if (style == NULL)
    return;
  layer_moments_clear (&style->moments);
  g_free (style);
}

gboolean
ns_metrics_style_measures_prepared (NsMetrics *metrics, const NsImage *result, const NsMetricsStyle *style,
                                    int trials, guint32 seed, double *effectiveness, double *mean_std_loss,
                                    GError **error)
{
  g_return_val_if_fail (style != NULL, FALSE);
  g_return_val_if_fail (effectiveness == NULL || trials > 0, FALSE);
  g_auto (LayerMoments) mr = { 0 };
  if (!moments_of (metrics, result, &mr, error))
    return FALSE;
  if (effectiveness != NULL)
    *effectiveness = effectiveness_of (&mr, &style->moments, trials, seed);
  if (mean_std_loss != NULL)
    *mean_std_loss = mean_std_loss_of (&mr, &style->moments);
  return TRUE;
}

gboolean
ns_metrics_style_measures (NsMetrics *metrics, const NsImage *result, const NsImage *style, int trials,
                           guint32 seed, double *effectiveness, double *mean_std_loss, GError **error)
{
  g_return_val_if_fail (effectiveness == NULL || trials > 0, FALSE);
  /* The result first, as before: a bad result is reported whatever the
   * style, and before the style is encoded. */
  if (!check_image (result, error))
    return FALSE;
  g_autoptr (NsMetricsStyle) prepared = ns_metrics_style_new (metrics, style, error);
  return prepared != NULL
         && ns_metrics_style_measures_prepared (metrics, result, prepared, trials, seed, effectiveness,
                                                mean_std_loss, error);
}

gboolean
ns_metrics_effectiveness (NsMetrics *metrics, const NsImage *result, const NsImage *style, int trials,
                          guint32 seed, double *effectiveness, GError **error)
{
  g_return_val_if_fail (trials > 0 && effectiveness != NULL, FALSE);
  return ns_metrics_style_measures (metrics, result, style, trials, seed, effectiveness, NULL, error);
}

gboolean
ns_metrics_mean_std_style_loss (NsMetrics *metrics, const NsImage *result, const NsImage *style, double *loss,
                                GError **error)
{
  g_return_val_if_fail (loss != NULL, FALSE);
  return ns_metrics_style_measures (metrics, result, style, 1, 0, NULL, loss, error);
}
