/* Colour preservation on host images: luminance recombination keeps the
 * chroma exactly, colour matching gives the reference's mean and covariance. */
#include "ns-colour.h"
#include "ns-test-util.h"
#include <math.h>

/* Random RGB with correlated channels and a colour cast, never flat. */
static NsImage *
correlated_image (GRand *rand, int w, int h, const double mix[9], const double offset[3])
{
  NsImage *image = ns_image_new (w, h, 3);
  for (gsize i = 0; i < (gsize) w * h; i++)
    {
      double z[3] = { g_rand_double (rand), g_rand_double (rand), g_rand_double (rand) };
      for (int c = 0; c < 3; c++)
        image->data[3 * i + c] = (float) (offset[c] + mix[3 * c] * z[0] + mix[3 * c + 1] * z[1] + mix[3 * c + 2] * z[2]);
    }
  return image;
}

static void
chroma (const float *p, double *cb, double *cr)
{
  double y = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
  *cb = (p[2] - y) / 1.772;
  *cr = (p[0] - y) / 1.402;
}

static void
test_luminance (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autoptr (NsImage) content = ns_test_random_image (rand, 37, 23, 3);
  g_autoptr (NsImage) styled = ns_test_random_image (rand, 37, 23, 3);
  g_autoptr (NsImage) grey = ns_colour_grey_rgb (content);
  for (gsize i = 0; i < 37 * 23; i++)
    {
      g_assert_cmpfloat (grey->data[3 * i], ==, grey->data[3 * i + 2]);
      g_assert_cmpfloat_with_epsilon (grey->data[3 * i], ns_colour_luma (content->data + 3 * i), 1e-7);
    }
  g_autoptr (NsImage) out = ns_colour_combine_luma_chroma (styled, content);
  double worst = 0;
  for (gsize i = 0; i < 37 * 23; i++)
    {
      double cb_o, cr_o, cb_c, cr_c;
      chroma (out->data + 3 * i, &cb_o, &cr_o);
      chroma (content->data + 3 * i, &cb_c, &cr_c);
      worst = fmax (worst, fmax (fabs (cb_o - cb_c), fabs (cr_o - cr_c)));
      g_assert_cmpfloat_with_epsilon (ns_colour_luma (out->data + 3 * i), ns_colour_luma (styled->data + 3 * i), 1e-5);
    }
  g_test_message ("largest CbCr difference: %.3g", worst);
  g_assert_cmpfloat (worst, <, 1e-5);
}

static void
test_match (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (6);
  const double mix_s[9] = { 0.5, 0.2, 0.0, 0.1, 0.3, 0.1, 0.0, 0.2, 0.6 };
  const double off_s[3] = { 0.1, 0.0, 0.3 };
  const double mix_r[9] = { 0.2, 0.0, 0.1, 0.3, 0.4, 0.0, 0.1, 0.1, 0.1 };
  const double off_r[3] = { 0.4, 0.2, 0.0 };
  g_autoptr (NsImage) style = correlated_image (rand, 64, 41, mix_s, off_s);
  g_autoptr (NsImage) reference = correlated_image (rand, 29, 50, mix_r, off_r);
  g_autoptr (NsImage) matched = ns_colour_match (style, reference);
  double mu_m[3], cov_m[9], mu_r[3], cov_r[9], mu_s[3], cov_s[9];
  ns_colour_statistics (matched, mu_m, cov_m);
  ns_colour_statistics (reference, mu_r, cov_r);
  ns_colour_statistics (style, mu_s, cov_s);
  double scale = 0, before = 0;
  for (int k = 0; k < 9; k++)
    scale = fmax (scale, fabs (cov_r[k]));
  for (int c = 0; c < 3; c++)
    g_assert_cmpfloat_with_epsilon (mu_m[c], mu_r[c], 1e-5);
  for (int k = 0; k < 9; k++)
    {
      g_assert_cmpfloat_with_epsilon (cov_m[k], cov_r[k], 1e-4 * scale);
      before = fmax (before, fabs (cov_s[k] - cov_r[k]));
    }
  g_assert_cmpfloat (before, >, 0.01 * scale);   /* the match had work to do */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/colour/luminance", test_luminance);
  g_test_add_func ("/colour/match", test_match);
  return g_test_run ();
}
