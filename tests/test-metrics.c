/* The evaluation metrics: SSIM against scikit-image's values (computed once,
 * kept here: structural_similarity(Y1, Y2, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=1) on the luminance of the golden
 * PNGs), and E's ordering and stability. */
#include "ns-image-io.h"
#include "ns-metrics.h"
#include "ns-network.h"
#include "ns-weights-path.h"
#include "ns-test-tensor.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include <math.h>

static NsImage *
mirrored (const NsImage *image)
{
  NsImage *out = ns_image_new (image->width, image->height, image->channels);
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      for (int c = 0; c < image->channels; c++)
        ns_image_pixel (out, x, y)[c] = ns_image_pixel (image, image->width - 1 - x, y)[c];
  return out;
}

static void
test_ssim_references (void)
{
  const struct { const char *a, *b; gboolean mirror_b; double want; } cases[] = {
    { "pair00_content.png", "pair01_content.png", FALSE, 0.1452287469589492 },
    { "pair02_content.png", "pair02_style.png", FALSE, 0.20050297805809816 },
    { "odd_content.png", "odd_content.png", TRUE, 0.12847419200598126 },
    { "pair03_content.png", "pair03_content.png", FALSE, 1.0 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsImage) a = ns_test_load_shared_image ("goldens", cases[i].a);
      g_autoptr (NsImage) b0 = ns_test_load_shared_image ("goldens", cases[i].b);
      g_autoptr (NsImage) b = cases[i].mirror_b ? mirrored (b0) : ns_image_copy (b0);
      double ssim = 0;
      g_assert_true (ns_metrics_ssim (a, b, &ssim, &error));
      g_assert_no_error (error);
      g_test_message ("SSIM %s / %s: %.10f (scikit-image %.10f)", cases[i].a, cases[i].b, ssim, cases[i].want);
      g_assert_cmpfloat_with_epsilon (ssim, cases[i].want, 1e-4);
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) a = ns_test_load_shared_image ("goldens", "pair00_content.png");
  g_autoptr (NsImage) b = ns_test_load_shared_image ("goldens", "odd_content.png");
  double ssim;
  g_assert_false (ns_metrics_ssim (a, b, &ssim, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
}

static void
test_effectiveness (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();
  g_autoptr (NsMetrics) metrics = ns_metrics_new (runtime, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) style_full = ns_test_load_shared_image ("goldens", "pair01_style.png");
  g_autoptr (NsImage) photo_full = ns_test_load_shared_image ("goldens", "pair01_content.png");
  g_autoptr (NsImage) style = ns_image_resize (style_full, 96, 96);
  g_autoptr (NsImage) same_style = mirrored (style);
  g_autoptr (NsImage) photo = ns_image_resize (photo_full, 96, 96);
  double e_same = 0, e_photo = 0, e_photo_other_seed = 0;
  g_assert_true (ns_metrics_effectiveness (metrics, same_style, style, NS_METRICS_DEFAULT_TRIALS, 1, &e_same, &error));
  g_assert_true (ns_metrics_effectiveness (metrics, photo, style, NS_METRICS_DEFAULT_TRIALS, 1, &e_photo, &error));
  g_assert_true (ns_metrics_effectiveness (metrics, photo, style, NS_METRICS_DEFAULT_TRIALS, 2, &e_photo_other_seed, &error));
  g_assert_no_error (error);
  g_test_message ("E: mirrored style %.4f, unrelated photo %.4f (another seed %.4f)", e_same, e_photo, e_photo_other_seed);
  g_assert_cmpfloat (e_same, >, e_photo + 1.0);
  /* 128 trials make E stable to a few hundredths across seeds. */
  g_assert_cmpfloat (fabs (e_photo - e_photo_other_seed), <, 0.1);
  /* The same seed repeats exactly. */
  double again = 0;
  g_assert_true (ns_metrics_effectiveness (metrics, photo, style, NS_METRICS_DEFAULT_TRIALS, 1, &again, &error));
  g_assert_cmpfloat (again, ==, e_photo);
}

/* relu1_1 .. relu4_1 of `image` as host arrays (channels x positions), from
 * the device network walked step by step. */
static void
reference_features (NsClContext *ctx, NsOps *ops, NsNetwork *vgg, const NsImage *image, float **features,
                    int *channels, gsize *positions)
{
  g_autoptr (GError) error = NULL;
  NsTensor *x = ns_tensor_new_from_image (ctx, image, &error);
  g_assert_no_error (error);
  int layer = 0;
  for (guint i = 0; i < ns_network_n_steps (vgg) && layer < NS_METRICS_MEAN_STD_LAYERS; i++)
    {
      const NsStepSpec *spec = ns_network_step_spec (vgg, i);
      NsTensor *next = spec->kind == NS_STEP_MAXPOOL ? ns_op_maxpool2x2 (ops, x, &error)
                                                     : ns_op_conv3x3 (ops, x, ns_network_step_conv (vgg, i), TRUE, &error);
      g_assert_no_error (error);
      ns_tensor_free (x);
      x = next;
      if (spec->name != NULL && g_str_has_suffix (spec->name, "_1"))
        {
          channels[layer] = x->channels;
          positions[layer] = (gsize) x->height * x->width;
          features[layer] = g_new (float, channels[layer] * positions[layer]);
          g_assert_true (ns_tensor_read (x, features[layer], &error));
          g_assert_no_error (error);
          layer++;
        }
    }
  ns_tensor_free (x);
  g_assert_cmpint (layer, ==, NS_METRICS_MEAN_STD_LAYERS);
}

/* The AdaIN paper's style loss, plainly: per layer the L2 norms of the
 * differences of the channel means and of the deviations (one pass for the
 * mean, one for the variance). */
static double
reference_mean_std_loss (float *const *fx, const gsize *mx, float *const *fs, const gsize *ms, const int *channels)
{
  double loss = 0;
  for (int l = 0; l < NS_METRICS_MEAN_STD_LAYERS; l++)
    {
      double dmean = 0, dstd = 0;
      for (int c = 0; c < channels[l]; c++)
        {
          double mean[2] = { 0, 0 }, var[2] = { 0, 0 };
          float *const f[2] = { fx[l] + c * mx[l], fs[l] + c * ms[l] };
          const gsize m[2] = { mx[l], ms[l] };
          for (int k = 0; k < 2; k++)
            {
              for (gsize i = 0; i < m[k]; i++)
                mean[k] += f[k][i];
              mean[k] /= m[k];
              for (gsize i = 0; i < m[k]; i++)
                var[k] += (f[k][i] - mean[k]) * (f[k][i] - mean[k]);
              var[k] /= m[k];
            }
          double sd0 = sqrt (var[0] + 1e-5), sd1 = sqrt (var[1] + 1e-5);
          dmean += (mean[0] - mean[1]) * (mean[0] - mean[1]);
          dstd += (sd0 - sd1) * (sd0 - sd1);
        }
      loss += sqrt (dmean) + sqrt (dstd);
    }
  return loss;
}

static void
test_mean_std_style_loss (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();
  g_autoptr (NsMetrics) metrics = ns_metrics_new (runtime, &error);
  g_assert_no_error (error);
  g_autofree char *path = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, &error);
  g_assert_no_error (error);
  NsClContext *ctx;
  NsOps *ops;
  ns_test_device_open (&ctx, &ops, NULL);
  NsNetwork *vgg = ns_network_new_vgg19 (ctx, path, "conv4_1", &error);
  g_assert_no_error (error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  /* Random images of awkward sizes (odd, not square, result and style of
   * different sizes), one a smooth gradient with noise so the statistics differ. */
  const struct { int rw, rh, sw, sh; } cases[] = { { 37, 33, 48, 52 }, { 64, 40, 33, 35 }, { 32, 32, 32, 32 } };
  for (gsize k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autoptr (NsImage) result = ns_test_random_image (rand, cases[k].rw, cases[k].rh, 3);
      g_autoptr (NsImage) style = ns_test_random_image (rand, cases[k].sw, cases[k].sh, 3);
      for (int y = 0; y < style->height; y++)
        for (int x = 0; x < style->width; x++)
          ns_image_pixel (style, x, y)[k % 3] = 0.3f * ns_image_pixel (style, x, y)[k % 3] + 0.7f * x / style->width;
      float *fx[NS_METRICS_MEAN_STD_LAYERS], *fs[NS_METRICS_MEAN_STD_LAYERS];
      int cx[NS_METRICS_MEAN_STD_LAYERS], cs[NS_METRICS_MEAN_STD_LAYERS];
      gsize mx[NS_METRICS_MEAN_STD_LAYERS], ms[NS_METRICS_MEAN_STD_LAYERS];
      reference_features (ctx, ops, vgg, result, fx, cx, mx);
      reference_features (ctx, ops, vgg, style, fs, cs, ms);
      for (int l = 0; l < NS_METRICS_MEAN_STD_LAYERS; l++)
        g_assert_cmpint (cx[l], ==, cs[l]);
      double want = reference_mean_std_loss (fx, mx, fs, ms, cx);
      double got = -1, got_e = 0, got_again = -1, self = -1;
      g_assert_true (ns_metrics_mean_std_style_loss (metrics, result, style, &got, &error));
      g_assert_no_error (error);
      g_assert_true (ns_metrics_style_measures (metrics, result, style, 16, 0, &got_e, &got_again, &error));
      g_assert_no_error (error);
      g_assert_true (ns_metrics_mean_std_style_loss (metrics, style, style, &self, &error));
      g_assert_no_error (error);
      g_test_message ("%dx%d vs %dx%d: mean/std style loss %.8g (reference %.8g), E %.4f, style itself %.3g",
                      cases[k].rw, cases[k].rh, cases[k].sw, cases[k].sh, got, want, got_e, self);
      g_assert_cmpfloat (want, >, 0.0);
      g_assert_cmpfloat (fabs (got - want), <=, 1e-6 * want);
      g_assert_cmpfloat (got_again, ==, got);
      g_assert_true (isfinite (got_e));
      g_assert_cmpfloat (self, ==, 0.0);
      for (int l = 0; l < NS_METRICS_MEAN_STD_LAYERS; l++)
        {
          g_free (fx[l]);
          g_free (fs[l]);
        }
    }
  ns_network_free (vgg);
  ns_test_device_close (ctx, ops, NULL);

  /* relu5_1 needs 32 pixels a side: smaller images are refused in a sentence. */
  g_autoptr (NsImage) small = ns_test_random_image (rand, 40, 24, 3);
  g_autoptr (NsImage) big = ns_test_random_image (rand, 40, 40, 3);
  double loss = 0;
  g_assert_false (ns_metrics_mean_std_style_loss (metrics, small, big, &loss, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL);
}

/* A prepared style gives exactly the unprepared values, for more than one
 * result and again after use. */
static void
test_prepared_style (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();
  g_autoptr (NsMetrics) metrics = ns_metrics_new (runtime, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) style_full = ns_test_load_shared_image ("goldens", "pair01_style.png");
  g_autoptr (NsImage) photo_full = ns_test_load_shared_image ("goldens", "pair01_content.png");
  g_autoptr (NsImage) style = ns_image_resize (style_full, 64, 56);
  g_autoptr (NsImage) photo = ns_image_resize (photo_full, 48, 64);
  g_autoptr (NsImage) same_style = mirrored (style);
  g_autoptr (NsMetricsStyle) prepared = ns_metrics_style_new (metrics, style, &error);
  g_assert_no_error (error);
  g_assert_nonnull (prepared);
  const NsImage *results[] = { photo, same_style, photo };   /* the third: reuse after another result */
  for (gsize i = 0; i < G_N_ELEMENTS (results); i++)
    {
      double e = 0, loss = -1, e_prepared = 1, loss_prepared = -2;
      g_assert_true (ns_metrics_style_measures (metrics, results[i], style, 32, 3, &e, &loss, &error));
      g_assert_no_error (error);
      g_assert_true (ns_metrics_style_measures_prepared (metrics, results[i], prepared, 32, 3, &e_prepared,
                                                         &loss_prepared, &error));
      g_assert_no_error (error);
      g_test_message ("result %" G_GSIZE_FORMAT ": E %.6f / %.6f, loss %.6f / %.6f", i, e, e_prepared, loss,
                      loss_prepared);
      g_assert_cmpfloat (e_prepared, ==, e);
      g_assert_cmpfloat (loss_prepared, ==, loss);
    }
  /* A bad result is refused without spoiling the prepared style. */
  g_autoptr (NsImage) small = ns_image_resize (photo, 40, 24);
  double loss = 0;
  g_assert_false (ns_metrics_style_measures_prepared (metrics, small, prepared, 1, 0, NULL, &loss, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL);
  g_clear_error (&error);
  double self = -1;
  g_assert_true (ns_metrics_style_measures_prepared (metrics, style, prepared, 1, 0, NULL, &self, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (self, ==, 0.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/ssim-references", test_ssim_references);
  g_test_add_func ("/metrics/effectiveness", test_effectiveness);
  g_test_add_func ("/metrics/mean-std-style-loss", test_mean_std_style_loss);
  g_test_add_func ("/metrics/prepared-style", test_prepared_style);
  return g_test_run ();
}
