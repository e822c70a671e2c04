/* The dialog's 1:1 preview against the plug-in's OK: a region rendered by
 * NsAdainRegions (what ui/ns-preview.c runs) equals the same region of
 * ns_adain_stylise_with_options() with the options the plug-in's worker
 * makes from the settings (ns_run_options_adain), tiled across a seam and
 * untiled, with the controls. */
#include "neural-style.h"
#include "ns-adain-private.h"
#include "ns-run-options.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include <math.h>

typedef struct {
  NsRuntime *runtime;
  NsAdain *engine;
  NsImage *content;   /* 300 x 214: padded on both axes */
  NsImage *style_a;
  NsImage *style_b;
  NsImage *mask;      /* the content's size: left half 1, right half 0, a soft edge */
} Fixture;

typedef struct {
  const NsImage *style2;
  const NsImage *mask;
  gsize memory_budget;   /* 0: the plug-in's default */
} Case;

/* The largest difference of two images as 8-bit values, as the dialog shows them. */
static int
max_byte_difference (const NsImage *a, const NsImage *b, double *max_float)
{
  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  int worst = 0;
  *max_float = 0;
  for (gsize i = 0; i < (gsize) a->width * a->height * 3; i++)
    {
      int ba = (int) (CLAMP (a->data[i], 0.0f, 1.0f) * 255.0f + 0.5f);
      int bb = (int) (CLAMP (b->data[i], 0.0f, 1.0f) * 255.0f + 0.5f);
      worst = MAX (worst, ABS (ba - bb));
      *max_float = fmax (*max_float, fabs ((double) a->data[i] - b->data[i]));
    }
  return worst;
}

/* The preview's region and the same region of the full run, for each alpha. */
static void
compare (Fixture *f, const NsSettings *settings, const Case *c, int x, int y, int width, int height,
         int expected_tile)
{
  NsWeightedStyle inside[2], outside[1];
  NsAdainOptions options;
  ns_run_options_adain (&options, settings, f->style_a, c->style2, c->mask, inside, outside);
  options.memory_budget = c->memory_budget;
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (NsAdainRegions) regions = ns_adain_regions_new (f->engine, f->content, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ns_adain_regions_get_tile_size (regions), ==, expected_tile);
  gint64 prepared = g_get_monotonic_time () - start;
  const double alphas[] = { settings->alpha, 0.35 };   /* the second from the kept features */
  for (guint k = 0; k < G_N_ELEMENTS (alphas); k++)
    {
      options.alpha = alphas[k];
      start = g_get_monotonic_time ();
      g_autoptr (NsImage) region = ns_adain_regions_render (regions, x, y, width, height, alphas[k], NULL, &error);
      g_assert_no_error (error);
      gint64 rendered = g_get_monotonic_time () - start + (k == 0 ? prepared : 0);
      start = g_get_monotonic_time ();
      g_autoptr (NsImage) full = ns_adain_stylise_with_options (f->engine, f->content, &options, NULL, &error);
      g_assert_no_error (error);
      /* Timing, not asserted (a shared machine): the region / OK's whole run. */
      g_test_message ("%s region: %.2f s, the whole run %.2f s: ratio %.2f", k == 0 ? "first" : "next alpha's",
                      rendered / 1e6, (g_get_monotonic_time () - start) / 1e6,
                      (double) rendered / (g_get_monotonic_time () - start));
      g_autoptr (NsImage) same = ns_image_crop (full, x, y, width, height);
      double max_float;
      int bytes = max_byte_difference (region, same, &max_float);
      g_test_message ("tile %d, alpha %.2f, region %d x %d at (%d, %d): max difference %.3g (%d / 255)",
                      expected_tile, alphas[k], width, height, x, y, max_float, bytes);
      g_assert_cmpint (bytes, <=, 1);
      g_assert_cmpfloat (max_float, <, 1e-4);
    }
}

/* A budget under which the run takes tiles of 128 pixels (the plan's own choice). */
static gsize
budget_for_tiles_of_128 (Fixture *f)
{
  return ns_runtime_get_memory_in_use (ns_adain_get_runtime (f->engine)) + ns_adain_memory_estimate (f->engine, 128 + 2 * NS_TILE_MARGIN,
                                                                             128 + 2 * NS_TILE_MARGIN)
         + ((gsize) 1 << 20);
}

static void
test_tiled_seam (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsSettings s;
  ns_settings_init_defaults (&s);
  s.alpha = 0.8;
  s.style_size = 128;
  Case c = { .memory_budget = budget_for_tiles_of_128 (f) };
  /* Padded by 2 on the left: the seams at 128 and 256 of the padded image
   * are columns 126 and 254 of the content, rows 125 of it.  The region
   * crosses the first seam both ways. */
  compare (f, &s, &c, 90, 80, 96, 90, 128);
  /* A region in the corner, on the padding's edge and two seams. */
  compare (f, &s, &c, 300 - 64, 214 - 100, 64, 100, 128);
}

static void
test_tiled_controls (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsSettings s;
  ns_settings_init_defaults (&s);
  s.alpha = 0.9;
  s.style_size = 96;
  s.preserve_colour = NS_PRESERVE_LUMINANCE;
  s.style2_weight = 0.4;
  Case blend = { .style2 = f->style_b, .memory_budget = budget_for_tiles_of_128 (f) };
  compare (f, &s, &blend, 100, 100, 60, 60, 128);
  s.preserve_colour = NS_PRESERVE_MATCH;
  Case masked = { .style2 = f->style_b, .mask = f->mask, .memory_budget = budget_for_tiles_of_128 (f) };
  compare (f, &s, &masked, 110, 60, 80, 120, 128);
}

static void
test_untiled (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsSettings s;
  ns_settings_init_defaults (&s);
  s.alpha = 0.6;
  s.style_size = 128;
  Case c = { 0 };
  compare (f, &s, &c, 200, 150, 100, 64, 0);
}

static void
test_region_outside (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, f->style_a, 64);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsAdainRegions) regions = ns_adain_regions_new (f->engine, f->content, &options, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) none = ns_adain_regions_render (regions, 250, 0, 64, 64, 1.0, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
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
  f.content = ns_image_resize (photo, 300, 214);
  f.style_a = ns_test_load_shared_image ("goldens", "pair01_style.png");
  f.style_b = ns_test_load_shared_image ("goldens", "pair02_style.png");
  f.mask = ns_image_new (300, 214, 1);
  for (int y = 0; y < 214; y++)
    for (int x = 0; x < 300; x++)
      f.mask->data[y * 300 + x] = CLAMP ((170.0f - x) / 40.0f, 0.0f, 1.0f);

  g_test_add_data_func ("/preview-region/tiled-seam", &f, test_tiled_seam);
  g_test_add_data_func ("/preview-region/tiled-controls", &f, test_tiled_controls);
  g_test_add_data_func ("/preview-region/untiled", &f, test_untiled);
  g_test_add_data_func ("/preview-region/outside", &f, test_region_outside);
  int status = g_test_run ();
  ns_image_free (f.content);
  ns_image_free (f.style_a);
  ns_image_free (f.style_b);
  ns_image_free (f.mask);
  ns_adain_free (f.engine);
  ns_runtime_free (f.runtime);
  return status;
}
