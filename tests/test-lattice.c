/* L8 (engine/ns-lattice.c) against the definition taken literally:
 * the DFT of the mean-free, cropped luma at every bin, summed over the 63
 * lattice harmonics and over all bins but (0, 0), on small random and
 * structured images; a pure 8-pixel lattice, white noise and a flat image. */
#include "neural-style.h"
#include "ns-lattice.h"
#include "ns-test-util.h"
#include <math.h>

/* The definition, with an O((H W)^2) DFT over every bin. */
static double
reference_l8 (const NsImage *image)
{
  int w = image->width / 8 * 8, h = image->height / 8 * 8;
  g_autofree double *y = g_new (double, (gsize) w * h);
  double mean = 0;
  for (int m = 0; m < h; m++)
    for (int n = 0; n < w; n++)
      {
        const float *p = ns_image_pixel (image, n, m);
        y[m * w + n] = image->channels < 3 ? p[0] : 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
        mean += y[m * w + n];
      }
  mean /= (double) w * h;
  for (int i = 0; i < w * h; i++)
    y[i] -= mean;
  double lattice = 0, all = 0;
  for (int u = 0; u < h; u++)
    for (int v = 0; v < w; v++)
      {
        if (u == 0 && v == 0)
          continue;
        double re = 0, im = 0;
        for (int m = 0; m < h; m++)
          for (int n = 0; n < w; n++)
            {
              /* The phase reduced modulo 1 before the sine keeps it exact at large u m. */
              double turns = fmod ((double) u * m / h + (double) v * n / w, 1.0);
              re += y[m * w + n] * cos (2 * G_PI * turns);
              im -= y[m * w + n] * sin (2 * G_PI * turns);
            }
        double power = re * re + im * im;
        all += power;
        if (u % (h / 8) == 0 && v % (w / 8) == 0)
          lattice += power;
      }
  return all > 0 ? lattice / all : 0.0;
}

static double
l8_of (const NsImage *image)
{
  g_autoptr (GError) error = NULL;
  double l8 = -1;
  g_assert_true (ns_lattice_energy (image, &l8, &error));
  g_assert_no_error (error);
  return l8;
}

static void
assert_matches_reference (const NsImage *image, const char *what)
{
  double got = l8_of (image), want = reference_l8 (image);
  g_test_message ("%s (%d x %d): L8 %.10g, literal DFT %.10g", what, image->width, image->height, got, want);
  g_assert_cmpfloat (fabs (got - want), <=, 1e-9 + 1e-7 * want);
}

static void
test_random_images (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (21);
  /* Sides that are and are not multiples of 8 (the crop), grey, RGB and RGBA. */
  const int sizes[][3] = { { 16, 8, 3 }, { 21, 19, 3 }, { 24, 40, 1 }, { 33, 26, 4 }, { 40, 32, 3 } };
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr (NsImage) image = ns_test_random_image (rand, sizes[i][0], sizes[i][1], sizes[i][2]);
      assert_matches_reference (image, "random");
    }
}

/* A photo-like image: a smooth gradient and an edge, with weak lattice and
 * noise parts of chosen strengths; the reference agrees at every mix. */
static NsImage *
structured_image (GRand *rand, int w, int h, double lattice, double noise)
{
  float motif[8][8];
  for (int p = 0; p < 8; p++)
    for (int q = 0; q < 8; q++)
      motif[p][q] = (float) g_rand_double_range (rand, -1, 1);
  NsImage *image = ns_image_new (w, h, 3);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      for (int c = 0; c < 3; c++)
        ns_image_pixel (image, x, y)[c] = (float) (0.3 + 0.4 * x / w + 0.1 * c * y / h + (x > w / 3 ? 0.2 : 0)
                                                   + lattice * motif[y % 8][x % 8]
                                                   + noise * g_rand_double_range (rand, -1, 1));
  return image;
}

static void
test_structured_images (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (8);
  const double mixes[][2] = { { 0, 0 }, { 0.01, 0 }, { 0.05, 0.02 }, { 0.2, 0.1 } };
  double previous = -1;
  for (gsize i = 0; i < G_N_ELEMENTS (mixes); i++)
    {
      g_autoptr (NsImage) image = structured_image (rand, 35, 27, mixes[i][0], mixes[i][1]);
      assert_matches_reference (image, "structured");
      double l8 = l8_of (image);
      g_assert_cmpfloat (l8, >, previous);   /* more lattice against the same gradient: more L8 */
      previous = l8;
    }
  /* A lattice shifted by a few pixels is still a lattice. */
  g_autoptr (NsImage) image = structured_image (rand, 64, 48, 0.1, 0);
  g_autoptr (NsImage) shifted = ns_image_crop (image, 3, 5, 56, 40);
  assert_matches_reference (shifted, "shifted");
}

static void
test_pure_lattice_and_noise (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (63);
  g_autoptr (NsImage) tile = ns_test_random_image (rand, 8, 8, 3);
  g_autoptr (NsImage) lattice = ns_image_new (48, 40, 3);
  for (int y = 0; y < lattice->height; y++)
    for (int x = 0; x < lattice->width; x++)
      for (int c = 0; c < 3; c++)
        ns_image_pixel (lattice, x, y)[c] = ns_image_pixel (tile, x % 8, y % 8)[c];
  g_assert_cmpfloat_with_epsilon (l8_of (lattice), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (reference_l8 (lattice), 1.0, 1e-9);

  /* White noise spreads its power evenly: 63 of the H W - 1 bins, on average. */
  const int w = 64, h = 64, trials = 24;
  double mean = 0;
  for (int t = 0; t < trials; t++)
    {
      g_autoptr (NsImage) noise = ns_test_random_image (rand, w, h, 1);
      mean += l8_of (noise) / trials;
    }
  double expected = 63.0 / (w * h - 1);
  g_test_message ("white noise: mean L8 %.5f over %d images, 63 / (H W - 1) = %.5f", mean, trials, expected);
  g_assert_cmpfloat (fabs (mean / expected - 1), <, 0.15);
  g_autoptr (NsImage) noise = ns_test_random_image (rand, 24, 16, 3);
  assert_matches_reference (noise, "white noise");
}

static void
test_flat_small_and_ratio (void)
{
  g_autoptr (NsImage) flat = ns_image_new (32, 24, 3);
  for (gsize i = 0; i < 32 * 24 * 3; i++)
    flat->data[i] = 0.7f;
  g_assert_cmpfloat (l8_of (flat), ==, 0.0);
  g_assert_cmpfloat (reference_l8 (flat), <, 1e-20);

  /* Grey is its own luma; alpha is ignored. */
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  g_autoptr (NsImage) grey = ns_test_random_image (rand, 20, 20, 1);
  g_autoptr (NsImage) rgb = ns_image_to_rgb (grey);
  g_autoptr (NsImage) rgba = ns_image_with_alpha (rgb, grey);
  g_assert_cmpfloat (fabs (l8_of (grey) - l8_of (rgb)), <, 1e-12);
  g_assert_cmpfloat (fabs (l8_of (rgba) - l8_of (rgb)), <, 1e-12);

  g_autoptr (NsImage) narrow = ns_image_new (7, 40, 3);
  g_autoptr (GError) error = NULL;
  double l8 = -1;
  g_assert_false (ns_lattice_energy (narrow, &l8, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL);
  g_assert_cmpfloat (l8, ==, -1);

  g_assert_cmpfloat (ns_lattice_ratio (0.02, 0.0002), ==, 100.0);
  g_assert_true (isinf (ns_lattice_ratio (0.01, 0.0)));
  g_assert_cmpfloat (ns_lattice_ratio (0.0, 0.0), ==, 1.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lattice/random-images", test_random_images);
  g_test_add_func ("/lattice/structured-images", test_structured_images);
  g_test_add_func ("/lattice/pure-lattice-and-noise", test_pure_lattice_and_noise);
  g_test_add_func ("/lattice/flat-small-and-ratio", test_flat_small_and_ratio);
  return g_test_run ();
}
