/* AdaIN's controls through the engine: style blending, two styles by region,
 * colour preservation, and the prepared (preview) path giving the same
 * pixels as a full run.  Small images: this runs on PoCL in CI. */
#include "neural-style.h"
#include "ns-adain-private.h"
#include "ns-cl-error.h"
#include "ns-image-io.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include <math.h>

typedef struct {
  NsRuntime *runtime;
  NsAdain *engine;
  NsImage *content;   /* 160 x 64: room for a region far from a mask's edge */
  NsImage *style_a;
  NsImage *style_b;
} Fixture;

static NsImage *
run (Fixture *f, const NsAdainOptions *options)
{
  g_autoptr (GError) error = NULL;
  NsImage *out = ns_adain_stylise_with_options (f->engine, f->content, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (out->width, ==, f->content->width);
  g_assert_cmpint (out->height, ==, f->content->height);
  return out;
}

static NsImage *
run_single (Fixture *f, const NsImage *style)
{
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, style, 64);
  return run (f, &options);
}

/* rel-L2 between two images over columns [x0, x1). */
static double
columns_error (const NsImage *a, const NsImage *b, int x0, int x1)
{
  g_autoptr (GArray) va = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr (GArray) vb = g_array_new (FALSE, FALSE, sizeof (float));
  for (int y = 0; y < a->height; y++)
    for (int x = x0; x < x1; x++)
      for (int c = 0; c < 3; c++)
        {
          g_array_append_val (va, ns_image_pixel (a, x, y)[c]);
          g_array_append_val (vb, ns_image_pixel (b, x, y)[c]);
        }
  return ns_test_relative_l2 ((float *) va->data, (float *) vb->data, va->len);
}

static void
test_blend (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsImage) only_a = run_single (f, f->style_a);
  g_autoptr (NsImage) only_b = run_single (f, f->style_b);
  NsAdainOptions options;
  ns_adain_options_init (&options);
  options.style_size = 64;
  options.n_styles = 2;

  /* Weights (1, 0) are the first style alone. */
  NsWeightedStyle one_zero[] = { { f->style_a, 1.0 }, { f->style_b, 0.0 } };
  options.styles = one_zero;
  g_autoptr (NsImage) blend_10 = run (f, &options);
  gsize n = (gsize) only_a->width * only_a->height * 3;
  ns_test_assert_close (blend_10->data, only_a->data, n, 1e-4, "blend (1, 0) vs style A");

  /* Weights (0.5, 0.5), unnormalised as (2, 2): between the two, unlike both. */
  NsWeightedStyle halves[] = { { f->style_a, 2.0 }, { f->style_b, 2.0 } };
  options.styles = halves;
  g_autoptr (NsImage) blend_half = run (f, &options);
  double to_a = ns_test_relative_l2 (blend_half->data, only_a->data, n);
  double to_b = ns_test_relative_l2 (blend_half->data, only_b->data, n);
  double a_to_b = ns_test_relative_l2 (only_a->data, only_b->data, n);
  g_test_message ("half blend: %.3f from A, %.3f from B, A from B %.3f", to_a, to_b, a_to_b);
  g_assert_cmpfloat (to_a, >, 0.01);
  g_assert_cmpfloat (to_b, >, 0.01);
  g_assert_cmpfloat (to_a, <, a_to_b);
  g_assert_cmpfloat (to_b, <, a_to_b);
}

static void
test_mask (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsImage) only_a = run_single (f, f->style_a);
  g_autoptr (NsImage) only_b = run_single (f, f->style_b);
  /* A hard mask: style A on the left 80 columns, style B on the right. */
  g_autoptr (NsImage) mask = ns_image_new (f->content->width, f->content->height, 1);
  for (int y = 0; y < mask->height; y++)
    for (int x = 0; x < 80; x++)
      mask->data[(gsize) y * mask->width + x] = 1.0f;
  NsWeightedStyle inside = { f->style_a, 1.0 }, outside = { f->style_b, 1.0 };
  NsAdainOptions options;
  ns_adain_options_init (&options);
  options.style_size = 64;
  options.styles = &inside;
  options.n_styles = 1;
  options.mask = mask;
  options.outside_styles = &outside;
  options.n_outside_styles = 1;
  g_autoptr (NsImage) out = run (f, &options);
  /* Beyond the decoder's reach (about 30 pixels) from the edge, each side is
   * its own style's result. */
  double outside_error = columns_error (out, only_b, 120, 160);
  double inside_error = columns_error (out, only_a, 0, 40);
  double near_edge = columns_error (out, only_b, 80, 88);
  g_test_message ("outside vs style B: %.3g, inside vs style A: %.3g, next to the edge vs B: %.3g", outside_error,
                  inside_error, near_edge);
  g_assert_cmpfloat (outside_error, <, 1e-4);
  g_assert_cmpfloat (inside_error, <, 1e-4);
  g_assert_cmpfloat (columns_error (out, only_a, 120, 160), >, 0.02);   /* the sides differ */
}

static void
test_luminance (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, f->style_a, 64);
  options.colour = NS_COLOUR_LUMINANCE;
  g_autoptr (NsImage) out = run (f, &options);
  double worst = 0, luma_change = 0;
  for (gsize i = 0; i < (gsize) out->width * out->height; i++)
    {
      const float *o = out->data + 3 * i, *c = f->content->data + 3 * i;
      double yo = 0.299 * o[0] + 0.587 * o[1] + 0.114 * o[2], yc = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
      worst = fmax (worst, fabs ((o[2] - yo) / 1.772 - (c[2] - yc) / 1.772));
      worst = fmax (worst, fabs ((o[0] - yo) / 1.402 - (c[0] - yc) / 1.402));
      luma_change += fabs (yo - yc);
    }
  g_test_message ("largest CbCr change %.3g, mean luma change %.3g", worst, luma_change / (out->width * out->height));
  g_assert_cmpfloat (worst, <, 1e-4);
  g_assert_cmpfloat (luma_change / (out->width * out->height), >, 0.01);   /* the style did act on luma */
}

static void
test_colour_match (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, f->style_a, 64);
  g_autoptr (NsImage) plain = run (f, &options);
  options.colour = NS_COLOUR_MATCH;
  g_autoptr (NsImage) matched = run (f, &options);
  /* The matched run's colours sit closer to the content's mean colour. */
  double dist_plain = 0, dist_matched = 0;
  for (int c = 0; c < 3; c++)
    {
      double mc = 0, mp = 0, mm = 0;
      gsize n = (gsize) plain->width * plain->height;
      for (gsize i = 0; i < n; i++)
        {
          mc += f->content->data[3 * i + c];
          mp += plain->data[3 * i + c];
          mm += matched->data[3 * i + c];
        }
      dist_plain += fabs (mp - mc) / n;
      dist_matched += fabs (mm - mc) / n;
    }
  g_test_message ("mean colour distance to the content: plain %.3f, matched %.3f", dist_plain, dist_matched);
  g_assert_cmpfloat (dist_matched, <, dist_plain);
}

static void
test_prepared_equals_full (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  NsWeightedStyle styles[] = { { f->style_a, 0.3 }, { f->style_b, 0.7 } };
  NsAdainOptions options;
  ns_adain_options_init (&options);
  options.style_size = 48;
  options.styles = styles;
  options.n_styles = 2;
  options.colour = NS_COLOUR_LUMINANCE;
  options.alpha = 0.6;
  g_autoptr (NsImage) full = run (f, &options);
  g_autoptr (NsAdainPrepared) prepared = ns_adain_prepared_new_with_options (f->engine, f->content, &options, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) rendered = ns_adain_prepared_render (prepared, 0.6, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (rendered->data, (gsize) full->width * full->height * 3 * sizeof (float), full->data,
                   (gsize) full->width * full->height * 3 * sizeof (float));
}

/* Mean gradient magnitude on the given columns (a vertical seam's place). */
static double
column_gradient (const NsImage *image, const int *columns, int n)
{
  double sum = 0;
  int count = 0;
  for (int k = 0; k < n; k++)
    for (int y = 0; y < image->height; y++)
      for (int c = 0; c < 3; c++)
        {
          int x = columns[k];
          sum += fabs (ns_image_pixel (image, x, y)[c] - ns_image_pixel (image, x - 1, y)[c]);
          count++;
        }
  return sum / count;
}

static void
test_tiled_equals_untiled (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair03_content.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, 257, 190);   /* odd sizes: padding and tiles meet */
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, f->style_a, 64);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) whole = ns_adain_stylise_with_options (f->engine, content, &options, NULL, &error);
  g_assert_no_error (error);
  options.tile_size = 64;   /* 5 x 3 tiles (after padding to 264 x 192) */
  g_autoptr (NsImage) tiled = ns_adain_stylise_with_options (f->engine, content, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tiled->width, ==, 257);
  g_assert_cmpint (tiled->height, ==, 190);
  ns_test_assert_close (tiled->data, whole->data, (gsize) 257 * 190 * 3, 5e-3, "tiled (64) vs untiled");

  /* No seams: along the tiles' vertical borders (padding shifts them by 3)
   * the gradient is no larger than the untiled image's at the same places. */
  const int borders[] = { 61, 125, 189, 253 };
  double seam = column_gradient (tiled, borders, 4), reference = column_gradient (whole, borders, 4);
  g_test_message ("gradient on tile borders: tiled %.4f, untiled %.4f", seam, reference);
  g_assert_cmpfloat (seam, <, 1.1 * reference);
}

static void
record_fraction (double fraction, gpointer data)
{
  g_array_append_val ((GArray *) data, fraction);
}

/* The second pass takes the first pass's features where they were kept (the
 * encoder runs once per tile instead of twice) and gives the same pixels. */
static void
test_tiled_keeps_features (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair03_content.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, 257, 190);   /* 5 x 3 tiles of 64 */
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, f->style_a, 64);
  GArray *fractions = g_array_new (FALSE, FALSE, sizeof (double));
  options.progress = record_fraction;
  options.progress_data = fractions;
  const gsize keep[] = { 0, G_MAXSIZE, 2 << 20 };
  guint encoded[3] = { 0 };
  NsImage *result[3] = { NULL };
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (GError) error = NULL;
      result[i] = ns_adain_tiled_run (f->engine, content, &options, 64, keep[i], &encoded[i], NULL, &error);
      g_assert_no_error (error);
      g_test_message ("keep %zu bytes: %u encoder runs", keep[i], encoded[i]);
      /* Progress after each tile of both passes, rising to 1. */
      g_assert_cmpuint (fractions->len, ==, 30);
      for (guint k = 0; k < fractions->len; k++)
        g_assert_cmpfloat_with_epsilon (g_array_index (fractions, double, k), (k + 1) / 30.0, 1e-12);
      g_array_set_size (fractions, 0);
    }
  /* One pass through the networks reports nothing. */
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) untiled = ns_adain_stylise_with_options (f->engine, content, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fractions->len, ==, 0);
  g_array_unref (fractions);
  g_assert_cmpuint (encoded[0], ==, 30);
  g_assert_cmpuint (encoded[1], ==, 15);
  g_assert_cmpuint (encoded[2], >, 15);
  g_assert_cmpuint (encoded[2], <, 30);
  const gsize bytes = (gsize) 257 * 190 * 3 * sizeof (float);
  for (int i = 1; i < 3; i++)
    g_assert_cmpmem (result[i]->data, bytes, result[0]->data, bytes);
  for (int i = 0; i < 3; i++)
    ns_image_free (result[i]);
}

static void
test_large_under_budget (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair02_content.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, 1000, 700);
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, f->style_b, 64);
  /* The untiled run needs about 3 x 64 x 1000 x 700 floats (540 MiB) at its peak. */
  options.memory_budget = ns_runtime_get_memory_in_use (f->runtime) + (96 << 20);
  ns_runtime_reset_peak_memory (f->runtime);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) out = ns_adain_stylise_with_options (f->engine, content, &options, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("peak %.1f MiB, budget %.1f MiB", ns_runtime_get_peak_memory (f->runtime) / 1048576.0,
                  options.memory_budget / 1048576.0);
  g_assert_cmpuint (ns_runtime_get_peak_memory (f->runtime), <=, options.memory_budget);
  g_assert_cmpint (out->width, ==, 1000);
  for (gsize i = 0; i < (gsize) 1000 * 700 * 3; i++)
    g_assert_true (isfinite (out->data[i]));

  /* A device with less memory than the budget says (its own count): the
   * untiled run fails to allocate and runs again in tiles, halved on need. */
  NsClDeviceInfo *info = ns_runtime_get_context (f->runtime)->info;
  const cl_ulong real_memory = info->global_mem;
  info->global_mem = ns_runtime_get_memory_in_use (f->runtime) + (96 << 20);
  options.memory_budget = (gsize) 64 << 30;
  g_autoptr (NsImage) retried = ns_adain_stylise_with_options (f->engine, content, &options, NULL, &error);
  info->global_mem = real_memory;
  g_assert_no_error (error);
  ns_test_assert_close (retried->data, out->data, (gsize) 1000 * 700 * 3, 5e-3, "after running out of memory");

  /* A budget below what even the smallest tile needs is a clear error. */
  options.memory_budget = ns_runtime_get_memory_in_use (f->runtime) + (1 << 20);
  g_autoptr (NsImage) none = ns_adain_stylise_with_options (f->engine, content, &options, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY);
}

static gpointer
cancel_later (gpointer cancellable)
{
  g_usleep (100 * 1000);
  g_cancellable_cancel (cancellable);
  return NULL;
}

static void
test_cancel (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair00_content.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, 1024, 1024);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  /* Cancelled before it starts: nothing runs. */
  g_cancellable_cancel (cancellable);
  g_autoptr (NsImage) none = ns_adain_stylise (f->engine, content, f->style_a, 1.0, 64, cancellable, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled 0.1 s into a run that takes seconds on a processor: it stops
   * within a layer.  A device fast enough to finish first must have finished
   * before the cancel. */
  g_cancellable_reset (cancellable);
  gsize held = ns_runtime_get_memory_in_use (f->runtime);
  GThread *canceller = g_thread_new ("cancel", cancel_later, cancellable);
  gint64 start = g_get_monotonic_time ();
  g_autoptr (NsImage) out = ns_adain_stylise (f->engine, content, f->style_a, 1.0, 64, cancellable, &error);
  double elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_thread_join (canceller);
  g_test_message ("returned after %.2f s: %s", elapsed, error != NULL ? error->message : "finished");
  if (out == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpfloat (elapsed, <, 3.0);
    }
  else
    g_assert_cmpfloat (elapsed, <, 0.15);
  g_assert_cmpuint (ns_runtime_get_memory_in_use (f->runtime), <=, held + ((gsize) 64 << 20));   /* no leak but the scratch */
}

static void
test_option_errors (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsImage) wrong_mask = ns_image_new (10, 64, 1);
  NsWeightedStyle negative[] = { { f->style_a, -1.0 } }, zeros[] = { { f->style_a, 0 }, { f->style_b, 0 } };
  NsWeightedStyle good = { f->style_a, 1.0 };
  struct { const NsWeightedStyle *styles; guint n; const NsImage *mask; const NsWeightedStyle *outside; } cases[] = {
    { NULL, 0, NULL, NULL }, { negative, 1, NULL, NULL }, { zeros, 2, NULL, NULL },
    { &good, 1, wrong_mask, &good }, { &good, 1, f->content, NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      NsAdainOptions options;
      ns_adain_options_init (&options);
      options.styles = cases[i].styles;
      options.n_styles = cases[i].n;
      options.mask = cases[i].mask;
      options.outside_styles = cases[i].outside;
      options.n_outside_styles = cases[i].outside != NULL ? 1 : 0;
      g_autoptr (NsImage) out = ns_adain_stylise_with_options (f->engine, f->content, &options, NULL, &error);
      g_assert_null (out);
      g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
      g_test_message ("%s", error->message);
    }
}

/* The estimate counts the scratch buffer once: the padded copy the direct
 * kernel makes at a 64-channel end (larger than the strips' budget) lives
 * there, so growing the buffer to it moves memory from the estimate to what
 * is held, and their sum (what decides tiling) stays the same, warm or cold. */
static void
test_estimate_counts_scratch_once (gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();   /* its own: the test changes its scratch budget */
  g_autoptr (NsAdain) engine = ns_test_adain_new (runtime);
  ns_ops_set_scratch_budget (engine->ops, 4 << 20);
  const int side = 256;
  gsize held = ns_runtime_get_memory_in_use (runtime);
  gsize cold = held + ns_adain_memory_estimate (engine, side, side);
  gsize padded = (gsize) 64 * (side + 16) * (side + 2) * sizeof (float);
  g_assert_nonnull (ns_ops_get_scratch (engine->ops, padded, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ns_runtime_get_memory_in_use (runtime), >, held);   /* it did grow */
  gsize warm = ns_runtime_get_memory_in_use (runtime) + ns_adain_memory_estimate (engine, side, side);
  g_test_message ("held + estimate at %d²: %.1f MiB cold, %.1f MiB with a padded copy's %.1f MiB in the scratch buffer",
                  side, cold / 1048576.0, warm / 1048576.0, padded / 1048576.0);
  g_assert_cmpuint (warm, ==, cold);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };
  f.runtime = ns_test_runtime_new ();
  f.engine = ns_test_adain_new (f.runtime);
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair00_content.png");
  f.content = ns_image_resize (photo, 160, 64);
  f.style_a = ns_test_load_shared_image ("goldens", "pair01_style.png");
  f.style_b = ns_test_load_shared_image ("goldens", "pair02_style.png");

  g_test_add_data_func ("/controls/blend", &f, test_blend);
  g_test_add_data_func ("/controls/mask", &f, test_mask);
  g_test_add_data_func ("/controls/luminance", &f, test_luminance);
  g_test_add_data_func ("/controls/colour-match", &f, test_colour_match);
  g_test_add_data_func ("/controls/prepared-equals-full", &f, test_prepared_equals_full);
  g_test_add_data_func ("/controls/tiled-equals-untiled", &f, test_tiled_equals_untiled);
  g_test_add_data_func ("/controls/tiled-keeps-features", &f, test_tiled_keeps_features);
  g_test_add_data_func ("/controls/large-under-budget", &f, test_large_under_budget);
  g_test_add_data_func ("/controls/estimate-counts-scratch-once", &f, test_estimate_counts_scratch_once);
  g_test_add_data_func ("/controls/cancel", &f, test_cancel);
  g_test_add_data_func ("/controls/option-errors", &f, test_option_errors);
  int status = g_test_run ();
  ns_image_free (f.content);
  ns_image_free (f.style_a);
  ns_image_free (f.style_b);
  ns_adain_free (f.engine);
  ns_runtime_free (f.runtime);
  return status;
}
