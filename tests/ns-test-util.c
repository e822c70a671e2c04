#include "ns-test-util.h"

#include <math.h>
#include <stdarg.h>

const char *
ns_test_shared_dir (void)
{
  const char *env = g_getenv ("NEURAL_STYLE_SHARED_DIR");
  return env != NULL && *env != '\0' ? env : NS_SHARED_DIR;
}

char *
ns_test_shared_path (const char *first, ...)
{
  va_list ap;
  va_start (ap, first);
  g_autofree char *rest = g_build_filename_valist (first, &ap);
  va_end (ap);
  return g_build_filename (ns_test_shared_dir (), rest, NULL);
}

void
ns_test_fill_random (GRand *rand, float *data, gsize n, float lo, float hi)
{
  for (gsize i = 0; i < n; i++)
    data[i] = (float) g_rand_double_range (rand, lo, hi);
}

NsImage *
ns_test_random_image (GRand *rand, int width, int height, int channels)
{
  NsImage *image = ns_image_new (width, height, channels);
  ns_test_fill_random (rand, image->data, (gsize) width * height * channels, 0.0f, 1.0f);
  return image;
}

double
ns_test_relative_l2 (const float *a, const float *b, gsize n)
{
  double num = 0, den = 0;
  for (gsize i = 0; i < n; i++)
    {
      double d = (double) a[i] - b[i];
      num += d * d;
      den += (double) b[i] * b[i];
    }
  return den > 0 ? sqrt (num / den) : sqrt (num);
}

double
ns_test_max_relative_error (const float *a, const float *b, gsize n)
{
  double worst = 0, scale = 1e-30;
  for (gsize i = 0; i < n; i++)
    {
      worst = fmax (worst, fabs ((double) a[i] - b[i]));
      scale = fmax (scale, fabs ((double) b[i]));
    }
  return worst / scale;
}
