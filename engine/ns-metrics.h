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

#include "neural-style.h"

G_BEGIN_DECLS

/* SSIM of two images of the same size (at least 11 x 11), on luminance. */
gboolean ns_metrics_ssim (const NsImage *a, const NsImage *b, double *ssim, GError **error);

typedef struct _NsMetrics NsMetrics;

/* Opens an OpenCL device (as ns_engine_new() does) and loads VGG-19 to relu5_1. */
NsMetrics *ns_metrics_new (int device_index, GError **error);
void ns_metrics_free (NsMetrics *metrics);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsMetrics, ns_metrics_free)

#define NS_METRICS_DEFAULT_TRIALS 128

/* E of `result` against `style` (any sizes of at least 16 x 16). */
gboolean ns_metrics_effectiveness (NsMetrics *metrics, const NsImage *result, const NsImage *style, int trials,
                                   guint32 seed, double *effectiveness, GError **error);

G_END_DECLS
