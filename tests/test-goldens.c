/* The engine against ../shared/goldens, reference outputs of an independent
 * implementation from the same weights: relu4_1 statistics and AdaIN outputs
 * at alpha 1.0 and 0.5 must match to relative L2 < 1e-3. */
#include "neural-style.h"
#include "ns-image-io.h"
#include "ns-safetensors.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include <math.h>

#define GOLDEN_BOUND 1e-3

typedef struct {
  NsRuntime *runtime;
  NsAdain *engine;
  NsSafetensors *expected;
} Fixture;

static float *
expected_tensor (Fixture *f, const char *name, const gint64 *shape, guint n_dims)
{
  g_autoptr (GError) error = NULL;
  float *data = ns_safetensors_read_f32 (f->expected, name, shape, n_dims, &error);
  g_assert_no_error (error);
  return data;
}

static void
test_relu4_1_stats (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  for (int pair = 0; pair < 4; pair++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *content_name = g_strdup_printf ("pair%02d_content.png", pair);
      g_autoptr (NsImage) content = ns_test_load_shared_image ("goldens", content_name);
      float mean[512], std[512];
      g_assert_true (ns_adain_relu4_1_stats (f->engine, content, mean, std, &error));
      g_assert_no_error (error);
      const gint64 shape[] = { 512 };
      g_autofree char *mean_name = g_strdup_printf ("pair%02d_relu4_1_mean", pair);
      g_autofree char *std_name = g_strdup_printf ("pair%02d_relu4_1_std", pair);
      g_autofree float *want_mean = expected_tensor (f, mean_name, shape, 1);
      g_autofree float *want_std = expected_tensor (f, std_name, shape, 1);
      ns_test_assert_close (mean, want_mean, 512, GOLDEN_BOUND, mean_name);
      ns_test_assert_close (std, want_std, 512, GOLDEN_BOUND, std_name);
    }
}

static void
check_adain (Fixture *f, const char *content_file, const char *style_file, double alpha, const char *golden,
             int height, int width)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) content = ns_test_load_shared_image ("goldens", content_file);
  g_autoptr (NsImage) style = ns_test_load_shared_image ("goldens", style_file);
  g_autoptr (NsImage) out = ns_adain_network (f->engine, content, style, alpha, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (out->width, ==, width);
  g_assert_cmpint (out->height, ==, height);
  g_assert_cmpint (out->channels, ==, 3);
  const gint64 shape[] = { height, width, 3 };
  g_autofree float *want = expected_tensor (f, golden, shape, 3);
  ns_test_assert_close (out->data, want, (gsize) width * height * 3, GOLDEN_BOUND, golden);
}

static void
test_adain_pair (gconstpointer data)
{
  Fixture *f = *(Fixture **) data;
  int pair = GPOINTER_TO_INT (((gpointer *) data)[1]);
  g_autofree char *content = g_strdup_printf ("pair%02d_content.png", pair);
  g_autofree char *style = g_strdup_printf ("pair%02d_style.png", pair);
  g_autofree char *golden1 = g_strdup_printf ("pair%02d_alpha1.0", pair);
  g_autofree char *golden05 = g_strdup_printf ("pair%02d_alpha0.5", pair);
  check_adain (f, content, style, 1.0, golden1, 256, 256);
  check_adain (f, content, style, 0.5, golden05, 256, 256);
}

static void
test_adain_prepared (gconstpointer data)
{
  /* The preview path: encode once, render several alphas; each must equal
   * the golden, and rendering again gives the same pixels. */
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) content = ns_test_load_shared_image ("goldens", "pair03_content.png");
  g_autoptr (NsImage) style = ns_test_load_shared_image ("goldens", "pair03_style.png");
  g_autoptr (NsAdainPrepared) prepared = ns_adain_prepared_new (f->engine, content, style, 0, NULL, &error);
  g_assert_no_error (error);
  const gint64 shape[] = { 256, 256, 3 };
  const struct { double alpha; const char *golden; } renders[] = {
    { 1.0, "pair03_alpha1.0" }, { 0.5, "pair03_alpha0.5" },
  };
  g_autoptr (NsImage) first = NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (renders); i++)
    {
      g_autoptr (NsImage) out = ns_adain_prepared_render (prepared, renders[i].alpha, NULL, &error);
      g_assert_no_error (error);
      g_autofree float *want = expected_tensor (f, renders[i].golden, shape, 3);
      ns_test_assert_close (out->data, want, 256 * 256 * 3, GOLDEN_BOUND, renders[i].golden);
      if (i == 0)
        first = g_steal_pointer (&out);
    }
  g_autoptr (NsImage) again = ns_adain_prepared_render (prepared, 1.0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (again->data, 256 * 256 * 3 * sizeof (float), first->data, 256 * 256 * 3 * sizeof (float));
  g_assert_null (ns_adain_prepared_render (prepared, 1.01, NULL, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
}

static void
test_adain_odd (gconstpointer data)
{
  /* 203 x 301 through the network itself: each pool floors, 200 x 296 comes back. */
  check_adain ((Fixture *) data, "odd_content.png", "pair00_style.png", 1.0, "odd_alpha1.0", 200, 296);
}

static void
test_stylise_keeps_size (gconstpointer data)
{
  /* stylise() mirror-pads to a multiple of 8 and crops back: the odd image
   * returns at its own size.  The padding shifts the pooling grid, so pixels
   * differ from the unpadded network's; its colours must not. */
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) content = ns_test_load_shared_image ("goldens", "odd_content.png");
  g_autoptr (NsImage) style = ns_test_load_shared_image ("goldens", "pair00_style.png");
  g_autoptr (NsImage) out = ns_adain_stylise (f->engine, content, style, 1.0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (out->width, ==, 301);
  g_assert_cmpint (out->height, ==, 203);
  g_assert_cmpint (out->channels, ==, 3);
  const gint64 shape[] = { 200, 296, 3 };
  g_autofree float *want = expected_tensor (f, "odd_alpha1.0", shape, 3);
  for (int c = 0; c < 3; c++)
    {
      double got_mean = 0, want_mean = 0;
      for (gsize i = 0; i < (gsize) 301 * 203; i++)
        got_mean += out->data[i * 3 + c];
      for (gsize i = 0; i < (gsize) 296 * 200; i++)
        want_mean += want[i * 3 + c];
      got_mean /= 301 * 203;
      want_mean /= 296 * 200;
      g_test_message ("channel %d: mean %.4f, unpadded network %.4f", c, got_mean, want_mean);
      g_assert_cmpfloat (fabs (got_mean - want_mean), <, 0.02);
    }
}

static void
test_stylise_equals_network (gconstpointer data)
{
  /* A 256 x 256 pair needs no padding: stylise() is then the network itself. */
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) content = ns_test_load_shared_image ("goldens", "pair01_content.png");
  g_autoptr (NsImage) style = ns_test_load_shared_image ("goldens", "pair01_style.png");
  gsize weights = ns_runtime_get_memory_in_use (f->runtime);
  ns_runtime_reset_peak_memory (f->runtime);
  g_autoptr (NsImage) out = ns_adain_stylise (f->engine, content, style, 0.5, 0, NULL, &error);
  g_assert_no_error (error);
  /* Activations are freed as the network advances: the run never holds more
   * than a few of the largest (64 x 256 x 256 floats), where keeping them all
   * would take about 13 of them. */
  gsize largest = (gsize) 64 * 256 * 256 * sizeof (float);
  g_test_message ("peak device memory above the weights: %.1f MiB", (ns_runtime_get_peak_memory (f->runtime) - weights) / 1048576.0);
  g_assert_cmpuint (ns_runtime_get_peak_memory (f->runtime) - weights, <, 5 * largest);
  /* Nothing leaks: a second run ends with as much device memory in use as the first. */
  gsize after_first = ns_runtime_get_memory_in_use (f->runtime);
  g_autoptr (NsImage) again = ns_adain_stylise (f->engine, content, style, 0.5, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_runtime_get_memory_in_use (f->runtime), ==, after_first);
  const gint64 shape[] = { 256, 256, 3 };
  g_autofree float *want = expected_tensor (f, "pair01_alpha0.5", shape, 3);
  ns_test_assert_close (out->data, want, 256 * 256 * 3, GOLDEN_BOUND, "stylise pair01 alpha 0.5");
}

static void
test_errors (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsImage) small = ns_image_new (10, 10, 3);
  g_autoptr (NsImage) ok = ns_test_load_shared_image ("goldens", "pair00_style.png");
  struct { const NsImage *content, *style; double alpha; int style_size; int code; } cases[] = {
    { small, ok, 1.0, 0, NS_ENGINE_ERROR_IMAGE_TOO_SMALL },
    { ok, small, 1.0, 0, NS_ENGINE_ERROR_IMAGE_TOO_SMALL },
    { ok, ok, 1.5, 0, NS_ENGINE_ERROR_INVALID_ARGUMENT },
    { ok, ok, -0.1, 0, NS_ENGINE_ERROR_INVALID_ARGUMENT },
    { ok, ok, 0.5, 8, NS_ENGINE_ERROR_INVALID_ARGUMENT },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsImage) out = ns_adain_stylise (f->engine, cases[i].content, cases[i].style, cases[i].alpha,
                                                   cases[i].style_size, NULL, &error);
      g_assert_null (out);
      g_assert_error (error, NS_ENGINE_ERROR, cases[i].code);
      g_test_message ("%s", error->message);
    }
  g_assert_cmpuint (ns_runtime_get_memory_in_use (f->runtime), >, 0);   /* the weights */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };
  f.runtime = ns_test_runtime_new ();
  f.engine = ns_test_adain_new (f.runtime);
  g_autofree char *expected = ns_test_shared_path ("goldens", "expected.safetensors", NULL);
  f.expected = ns_safetensors_open (expected, &error);
  g_assert_no_error (error);
  g_test_message ("device: %s", ns_runtime_get_device (f.runtime)->name);

  gpointer pairs[4][2];
  g_test_add_data_func ("/goldens/relu4_1-stats", &f, test_relu4_1_stats);
  for (int p = 0; p < 3; p++)
    {
      pairs[p][0] = &f;
      pairs[p][1] = GINT_TO_POINTER (p);
      g_autofree char *path = g_strdup_printf ("/goldens/adain-pair%02d", p);
      g_test_add_data_func (path, pairs[p], test_adain_pair);
    }
  g_test_add_data_func ("/goldens/adain-pair03-prepared", &f, test_adain_prepared);
  g_test_add_data_func ("/goldens/adain-odd-size", &f, test_adain_odd);
  g_test_add_data_func ("/goldens/stylise-keeps-size", &f, test_stylise_keeps_size);
  g_test_add_data_func ("/goldens/stylise-equals-network", &f, test_stylise_equals_network);
  g_test_add_data_func ("/goldens/errors", &f, test_errors);
  int status = g_test_run ();
  ns_safetensors_free (f.expected);
  ns_adain_free (f.engine);
  ns_runtime_free (f.runtime);
  return status;
}
