/* The report's two quantitative measures of a style transfer result (after
 * Yeh et al., "Quantitative Evaluation of Style Transfer"):
 *
 * - C, coherence: SSIM (Wang et al. 2004) between the result and the content
 *   on luminance Y = 0.299 R + 0.587 G + 0.114 B; Gaussian window of 11 taps,
 *   sigma 1.5, K1 0.01, K2 0.03, data range 1, population covariances, the
 *   mean over the image less a 5-pixel border (as scikit-image computes it).
 * - E, effectiveness: for each of K trials, a seeded random unit vector per
 *   layer (relu1_1 .. relu5_1) projects every position's feature vector; the
 *   five layers' projections pool into one sample set per image; the result's
 *   samples, standardised by the style's mean and deviation, are fitted with
 *   N(mu, sigma^2) and d = -log sigma + (sigma^2 + mu^2) / 2 - 1/2 (the KL
 *   divergence from N(0, 1)); E = -log(mean of the K values of d).  Higher is
 *   better.  The authors' later code fits full Gaussians in PCA bases; this is
 *   the report's simpler variant.  The samples' moments come exactly from each
 *   layer's feature sum and Gram matrix (u.s and u^T G u), so no projection
 *   is ever materialised. */
#pragma once

#include "ns-engine-error.h"
#include "ns-image.h"
#include "ns-runtime.h"

G_BEGIN_DECLS

/* SSIM of two images of the same size (at least 11 x 11), on luminance. */
gboolean ns_metrics_ssim (const NsImage *a, const NsImage *b, double *ssim, GError **error);

typedef struct _NsMetrics NsMetrics;

/* The metrics on `runtime` (opened if need be), with its VGG-19 to relu5_1.
 * The runtime must outlive them, and serves one thread at a time. */
NsMetrics *ns_metrics_new (NsRuntime *runtime, GError **error);
void ns_metrics_free (NsMetrics *metrics);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsMetrics, ns_metrics_free)

#define NS_METRICS_DEFAULT_TRIALS 128

/* relu5_1 lies four poolings down and each convolution needs 2 pixels. */
#define NS_METRICS_MIN_IMAGE_SIDE 32

/* E of `result` against `style` (any sizes of at least 32 x 32). */
gboolean ns_metrics_effectiveness (NsMetrics *metrics, const NsImage *result, const NsImage *style, int trials,
                                   guint32 seed, double *effectiveness, GError **error);

/* The style loss of Huang & Belongie 2017 (AdaIN, eq. 3), a measure of how
 * well a result matches the style's feature statistics:
 *
 *   Ls = sum over relu1_1 .. relu4_1 of ||mu(f(result)) - mu(f(style))||_2
 *                                     + ||sigma(f(result)) - sigma(f(style))||_2
 *
 * with mu and sigma each channel's mean and deviation over the positions,
 * sigma = sqrt(population variance + 1e-5) as the paper defines it (eq. 5),
 * on the same VGG-19 as E (RGB in [0, 1]).  Lower is better; 0 for the style
 * itself.  Any sizes of at least 32 x 32. */
#define NS_METRICS_MEAN_STD_LAYERS 4
#define NS_METRICS_MEAN_STD_EPSILON 1e-5
gboolean ns_metrics_mean_std_style_loss (NsMetrics *metrics, const NsImage *result, const NsImage *style,
                                         double *loss, GError **error);

/* E and the mean/std style loss together, from one pass of each image through
 * the network; either output may be NULL (trials > 0 when E is wanted). */
gboolean ns_metrics_style_measures (NsMetrics *metrics, const NsImage *result, const NsImage *style, int trials,
                                    guint32 seed, double *effectiveness, double *mean_std_loss, GError **error);

/* A style's side of both measures (its moments at relu1_1 .. relu5_1),
 * computed once so that many results can be measured against one style
 * without encoding it again.  Host memory only: it may outlive `metrics`. */
typedef struct _NsMetricsStyle NsMetricsStyle;

NsMetricsStyle *ns_metrics_style_new (NsMetrics *metrics, const NsImage *style, GError **error);
void ns_metrics_style_free (NsMetricsStyle *style);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsMetricsStyle, ns_metrics_style_free)

/* ns_metrics_style_measures() against a prepared style, the same values. */
gboolean ns_metrics_style_measures_prepared (NsMetrics *metrics, const NsImage *result, const NsMetricsStyle *style,
                                             int trials, guint32 seed, double *effectiveness, double *mean_std_loss,
                                             GError **error);

G_END_DECLS
