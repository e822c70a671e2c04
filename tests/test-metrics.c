/* The evaluation metrics: SSIM against scikit-image's values (computed once,
 * kept here: structural_similarity(Y1, Y2, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=1) on the luminance of the golden
 * PNGs), and E's ordering and stability. */
#include "ns-image-io.h"
#include "ns-metrics.h"
#include "ns-test-util.h"
#include <math.h>

static NsImage *
golden (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = ns_test_shared_path ("goldens", name, NULL);
  NsImage *image = ns_image_load (path, &error);
  g_assert_no_error (error);
  return image;
}

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
      g_autoptr (NsImage) a = golden (cases[i].a);
      g_autoptr (NsImage) b0 = golden (cases[i].b);
      g_autoptr (NsImage) b = cases[i].mirror_b ? mirrored (b0) : ns_image_copy (b0);
      double ssim = 0;
      g_assert_true (ns_metrics_ssim (a, b, &ssim, &error));
      g_assert_no_error (error);
      g_test_message ("SSIM %s / %s: %.10f (scikit-image %.10f)", cases[i].a, cases[i].b, ssim, cases[i].want);
      g_assert_cmpfloat_with_epsilon (ssim, cases[i].want, 1e-4);
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) a = golden ("pair00_content.png");
  g_autoptr (NsImage) b = golden ("odd_content.png");
  double ssim;
  g_assert_false (ns_metrics_ssim (a, b, &ssim, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
}

static void
test_effectiveness (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsMetrics) metrics = ns_metrics_new (-1, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) style_full = golden ("pair01_style.png");
  g_autoptr (NsImage) photo_full = golden ("pair01_content.png");
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/ssim-references", test_ssim_references);
  g_test_add_func ("/metrics/effectiveness", test_effectiveness);
  return g_test_run ();
}
