/* The GTK 3 dialog (ui/) without GIMP, under Xvfb: it opens with the bundled
 * styles, its first preview equals the engine's result for the same images,
 * a screenshot is saved as a test artefact (dialog-screenshot.png in the
 * build's tests folder), dragging the alpha slider updates the preview once
 * (debounced) to the engine's result for the last alpha, a layer of an open
 * image can be the style, and OK returns the chosen settings.  The controls
 * of colour preservation, the style scale, the second style (its mix and
 * mode) and the Gatys method's iterations and seed exist, apply only when
 * they should, come back on OK, and the preview follows them: colour
 * preservation and a blended second style give the engine's result for the
 * same options, a second style outside the selection uses the host's mask.
 * The zoom switches the preview to 1:1, where the region in view (moved by
 * scrolling and dragging, following alpha) equals OK's result there. */
#include "neural-style.h"
#include "ns-dialog.h"
#include "ns-params.h"
#include "ns-progress-text.h"
#include "ns-run-options.h"
#include "ns-i18n.h"
#include "ns-image-io.h"
#include <locale.h>
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include <glib/gstdio.h>

#define WAIT_SECONDS 600

static NsImage *
test_content (void)
{
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  return ns_image_resize (photo, 64, 48);
}

static void
test_settings (NsSettings *s)
{
  ns_settings_init_defaults (s);
  g_strlcpy (s->style_file, "starry-night", sizeof s->style_file);
  s->style_size = 64;   /* small, for PoCL on two cores */
  s->alpha = 1.0;
}

/* Runs the main loop until the dialog has shown `count` previews. */
static void
wait_for_previews (GtkWidget *dialog, guint count)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (ns_dialog_get_preview_count (dialog) < count && ns_dialog_get_preview_error (dialog) == NULL
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (ns_dialog_get_preview_error (dialog));
  g_assert_cmpuint (ns_dialog_get_preview_count (dialog), >=, count);
}

/* AdaIN for the test's own references, on a runtime of its own: a runtime
 * serves one thread at a time, and a dialog's worker may use its runtime
 * (storing kernels) while the test computes. */
static NsAdain *
test_engine (void)
{
  static NsRuntime *runtime;
  static NsAdain *engine;
  if (engine == NULL)
    {
      runtime = ns_test_runtime_new ();
      engine = ns_test_adain_new (runtime);
    }
  return engine;
}

static NsImage *
load_style (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = ns_settings_resolve_style (name);
  NsImage *style = ns_image_load (path, &error);
  g_assert_no_error (error);
  return style;
}

/* The engine's answer for the whole 64x48 content, as the plug-in would get it. */
static NsImage *
engine_result (const NsImage *content, double alpha)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) style = load_style ("starry-night");
  NsImage *result = ns_adain_stylise (test_engine (), content, style, alpha, 64, NULL, &error);
  g_assert_no_error (error);
  return result;
}

/* The same through the engine's options: starry-night (and a second style
 * blended with weight w2, or outside `mask`), colour preservation, style size 64. */
static NsImage *
engine_options_result (const NsImage *content, double alpha, NsColourPreservation colour, const char *style2_name,
                       double w2, const NsImage *mask)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) style = load_style ("starry-night");
  g_autoptr (NsImage) style2 = style2_name != NULL ? load_style (style2_name) : NULL;
  NsAdainOptions options;
  ns_adain_options_init (&options);
  options.alpha = alpha;
  options.style_size = 64;
  options.colour = colour;
  NsWeightedStyle styles[2] = { { style, 1.0 }, { style2, w2 } }, outside = { style2, 1.0 };
  options.styles = styles;
  options.n_styles = 1;
  if (style2 != NULL && mask != NULL)
    {
      options.mask = mask;
      options.outside_styles = &outside;
      options.n_outside_styles = 1;
    }
  else if (style2 != NULL)
    {
      styles[0].weight = 1.0 - w2;
      options.n_styles = 2;
    }
  NsImage *result = ns_adain_stylise_with_options (test_engine (), content, &options, NULL, &error);
  g_assert_no_error (error);
  return result;
}

/* The largest difference between the preview and the result, in 1/255 steps. */
static int
max_difference (GdkPixbuf *pixbuf, const NsImage *image)
{
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, image->width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, image->height);
  int n = gdk_pixbuf_get_n_channels (pixbuf), stride = gdk_pixbuf_get_rowstride (pixbuf), worst = 0;
  const guchar *pixels = gdk_pixbuf_read_pixels (pixbuf);
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      for (int c = 0; c < 3; c++)
        {
          int want = (int) (CLAMP (ns_image_pixel (image, x, y)[c], 0.0f, 1.0f) * 255.0f + 0.5f);
          worst = MAX (worst, ABS (pixels[y * stride + x * n + c] - want));
        }
  return worst;
}

static void
save_screenshot (GtkWidget *dialog, const char *name)
{
  /* Let the window map and paint. */
  for (int i = 0; i < 50; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
  GdkWindow *window = gtk_widget_get_window (dialog);
  g_assert_nonnull (window);
  g_autoptr (GdkPixbuf) shot = gdk_pixbuf_get_from_window (window, 0, 0, gdk_window_get_width (window),
                                                           gdk_window_get_height (window));
  g_assert_nonnull (shot);
  g_autofree char *path = g_build_filename (NS_TEST_BUILD_DIR, name, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (gdk_pixbuf_save (shot, path, "png", &error, NULL));
  g_assert_no_error (error);
  g_test_message ("screenshot: %s (%dx%d)", path, gdk_pixbuf_get_width (shot), gdk_pixbuf_get_height (shot));
  /* Something was drawn: not one flat colour. */
  const guchar *p = gdk_pixbuf_read_pixels (shot);
  int n = gdk_pixbuf_get_n_channels (shot), stride = gdk_pixbuf_get_rowstride (shot);
  gboolean varied = FALSE;
  for (int y = 0; y < gdk_pixbuf_get_height (shot) && !varied; y++)
    for (int x = 0; x < gdk_pixbuf_get_width (shot) && !varied; x++)
      varied = memcmp (p + y * stride + x * n, p, 3) != 0;
  g_assert_true (varied);
  g_assert_cmpint (gdk_pixbuf_get_width (shot), >=, 200);
}

/* The dialog with the test's settings over `content`, shown (the dialog copies both). */
static GtkWidget *
show_test_dialog (const NsImage *content)
{
  NsSettings settings;
  test_settings (&settings);
  NsDialogHost host = { .runtime = ns_test_process_runtime (), .preview = content, .preview_scale = 1.0 };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);
  return dialog;
}

static void
test_preview_follows_alpha (void)
{
  g_autoptr (NsImage) content = test_content ();
  GtkWidget *dialog = show_test_dialog (content);

  wait_for_previews (dialog, 1);
  save_screenshot (dialog, "dialog-screenshot.png");
  g_autoptr (GdkPixbuf) first = gdk_pixbuf_copy (ns_dialog_get_preview_pixbuf (dialog));
  g_autoptr (NsImage) full = engine_result (content, 1.0);
  int diff = max_difference (first, full);
  g_test_message ("preview at alpha 1 vs the engine: largest difference %d/255", diff);
  g_assert_cmpint (diff, <=, 1);

  /* A drag: seven values in quick succession make one new preview, of the last. */
  guint before = ns_dialog_get_preview_count (dialog);
  for (int i = 9; i >= 3; i--)
    gtk_range_set_value (ns_dialog_get_alpha_scale (dialog), i / 10.0);
  wait_for_previews (dialog, before + 1);
  gint64 settle = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < settle)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_assert_cmpuint (ns_dialog_get_preview_count (dialog), ==, before + 1);
  GdkPixbuf *second = ns_dialog_get_preview_pixbuf (dialog);
  g_autoptr (NsImage) weak = engine_result (content, 0.3);
  diff = max_difference (second, weak);
  g_test_message ("preview at alpha 0.3 vs the engine: largest difference %d/255", diff);
  g_assert_cmpint (diff, <=, 1);
  g_assert_cmpint (max_difference (first, weak), >, 8);   /* it really changed */
  gtk_widget_destroy (dialog);
}

static GtkWidget *widget (GtkWidget *dialog, const char *name, GType type);

/* Runs the main loop until the dialog has shown `count` exact 1:1 regions, the last at (x, y). */
static GdkPixbuf *
wait_for_region (GtkWidget *dialog, guint count, int want_x, int want_y)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  int x = -1, y = -1;
  while ((ns_dialog_get_region_count (dialog) < count || ns_dialog_get_preview_region (dialog, &x, &y) == NULL
          || x != want_x || y != want_y)
         && ns_dialog_get_preview_error (dialog) == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (ns_dialog_get_preview_error (dialog));
  g_assert_cmpuint (ns_dialog_get_region_count (dialog), >=, count);
  GdkPixbuf *region = ns_dialog_get_preview_region (dialog, &x, &y);
  g_assert_nonnull (region);
  g_assert_cmpint (x, ==, want_x);
  g_assert_cmpint (y, ==, want_y);
  return region;
}

/* The region the 1:1 view shows against the same region of OK's run: the
 * engine call the plug-in's worker makes, with the dialog's settings. */
static void
assert_region_is_ok_result_masked (GtkWidget *dialog, const NsImage *content, const NsImage *mask, GdkPixbuf *region,
                                   int x, int y)
{
  NsSettings s;
  ns_dialog_get_settings (dialog, &s);
  g_autoptr (NsImage) style = load_style (s.style_file);
  g_autoptr (NsImage) style2 = ns_settings_has_style2 (&s) ? load_style (s.style2_file) : NULL;
  NsWeightedStyle inside[2], outside[1];
  NsAdainOptions options;
  ns_run_options_adain (&options, &s, style, style2, style2 != NULL ? mask : NULL, inside, outside);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) full = ns_adain_stylise_with_options (test_engine (), content, &options, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) same = ns_image_crop (full, x, y, gdk_pixbuf_get_width (region), gdk_pixbuf_get_height (region));
  int diff = max_difference (region, same);
  g_test_message ("1:1 region %d x %d at (%d, %d), alpha %.2f, vs OK's result: largest difference %d/255",
                  gdk_pixbuf_get_width (region), gdk_pixbuf_get_height (region), x, y, s.alpha, diff);
  g_assert_cmpint (diff, <=, 1);
}

static void
assert_region_is_ok_result (GtkWidget *dialog, const NsImage *content, GdkPixbuf *region, int x, int y)
{
  assert_region_is_ok_result_masked (dialog, content, NULL, region, x, y);
}

static void
set_scroll (GtkWidget *dialog, int x, int y)
{
  GtkScrolledWindow *view = GTK_SCROLLED_WINDOW (widget (dialog, "preview-view", GTK_TYPE_SCROLLED_WINDOW));
  gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (view), x);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (view), y);
}

/* The zoom switch and the region: Fit shows the overview; 1:1 shows the
 * region in view, exactly OK's pixels, follows scrolling and alpha; Gatys
 * keeps the overview and says so. */
static void
test_preview_one_to_one (void)
{
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  g_autoptr (NsImage) content = ns_image_resize (photo, 560, 520);   /* larger than the view */
  g_autoptr (NsImage) small = ns_image_resize (content, 140, 130);
  NsSettings settings;
  test_settings (&settings);
  settings.alpha = 0.8;
  NsDialogHost host = { .runtime = ns_test_process_runtime (),
                        .preview = small, .preview_scale = 0.25, .content = content };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);
  wait_for_previews (dialog, 1);

  GtkWidget *zoom = widget (dialog, "preview-zoom", GTK_TYPE_COMBO_BOX);
  g_assert_true (gtk_widget_get_sensitive (zoom));
  g_assert_cmpint (gtk_combo_box_get_active (GTK_COMBO_BOX (zoom)), ==, 0);   /* Fit first */
  g_assert_cmpuint (ns_dialog_get_region_count (dialog), ==, 0);
  gtk_combo_box_set_active (GTK_COMBO_BOX (zoom), 1);
  /* At 1:1 the view opens on the middle of the image. */
  GtkScrolledWindow *view = GTK_SCROLLED_WINDOW (widget (dialog, "preview-view", GTK_TYPE_SCROLLED_WINDOW));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gtk_adjustment_get_value (gtk_scrolled_window_get_hadjustment (view)) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (view), *v = gtk_scrolled_window_get_vadjustment (view);
  int cx = (int) gtk_adjustment_get_value (h), cy = (int) gtk_adjustment_get_value (v);
  g_test_message ("1:1 view: %.0f x %.0f of %.0f x %.0f, at (%d, %d)", gtk_adjustment_get_page_size (h),
                  gtk_adjustment_get_page_size (v), gtk_adjustment_get_upper (h), gtk_adjustment_get_upper (v), cx, cy);
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), ==, 560);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (h), <, 560);
  g_assert_cmpfloat (gtk_adjustment_get_page_size (v), <, 520);
  g_assert_cmpint (cx, >, 0);
  GdkPixbuf *region = wait_for_region (dialog, 1, cx, cy);
  g_assert_cmpint (gdk_pixbuf_get_width (region), ==, (int) gtk_adjustment_get_page_size (h));
  assert_region_is_ok_result (dialog, content, region, cx, cy);

  /* Scrolled to the bottom right corner: that region, and the engine kept its first pass. */
  int ex = (int) (gtk_adjustment_get_upper (h) - gtk_adjustment_get_page_size (h));
  int ey = (int) (gtk_adjustment_get_upper (v) - gtk_adjustment_get_page_size (v));
  guint before = ns_dialog_get_region_count (dialog);
  set_scroll (dialog, ex, ey);
  region = wait_for_region (dialog, before + 1, ex, ey);
  g_assert_cmpint (ex, >, cx);   /* the page may have changed since: the region is what it was asked for */
  g_assert_cmpint (ex + gdk_pixbuf_get_width (region), <=, 560);
  g_assert_cmpint (ey + gdk_pixbuf_get_height (region), <=, 520);
  assert_region_is_ok_result (dialog, content, region, ex, ey);

  /* Alpha moves: the same region again, at the new alpha. */
  before = ns_dialog_get_region_count (dialog);
  gtk_range_set_value (ns_dialog_get_alpha_scale (dialog), 0.4);
  region = wait_for_region (dialog, before + 1, ex, ey);
  assert_region_is_ok_result (dialog, content, region, ex, ey);
  save_screenshot (dialog, "dialog-one-to-one.png");

  /* Dragging the image 40 px right and 30 px down shows what lay left and above. */
  GtkWidget *area = gtk_bin_get_child (GTK_BIN (gtk_bin_get_child (GTK_BIN (view))));
  g_assert_true (GTK_IS_DRAWING_AREA (area));
  GdkEvent *press = gdk_event_new (GDK_BUTTON_PRESS), *motion = gdk_event_new (GDK_MOTION_NOTIFY);
  GdkEvent *release = gdk_event_new (GDK_BUTTON_RELEASE);
  press->button.button = release->button.button = GDK_BUTTON_PRIMARY;
  press->button.x_root = 200, press->button.y_root = 200;
  motion->motion.x_root = 240, motion->motion.y_root = 230;
  motion->motion.state = GDK_BUTTON1_MASK;
  press->any.window = g_object_ref (gtk_widget_get_window (area));   /* freed with the events */
  motion->any.window = g_object_ref (gtk_widget_get_window (area));
  release->any.window = g_object_ref (gtk_widget_get_window (area));
  before = ns_dialog_get_region_count (dialog);
  gtk_widget_event (area, press);
  gtk_widget_event (area, motion);
  gtk_widget_event (area, release);
  gdk_event_free (press), gdk_event_free (motion), gdk_event_free (release);
  /* (clamped at the image's edge: how much of it the view shows depends on the dialog's height) */
  int dx = MAX (0, ex - 40), dy = MAX (0, ey - 30);
  g_assert_cmpint (dx, <, ex);
  g_assert_cmpint ((int) gtk_adjustment_get_value (h), ==, dx);
  g_assert_cmpint ((int) gtk_adjustment_get_value (v), ==, dy);
  region = wait_for_region (dialog, before + 1, dx, dy);
  assert_region_is_ok_result (dialog, content, region, dx, dy);

  /* Gatys: the overview, said to be AdaIN's, and no 1:1. */
  gtk_combo_box_set_active (GTK_COMBO_BOX (widget (dialog, "method", GTK_TYPE_COMBO_BOX)), NS_METHOD_GATYS);
  g_assert_false (gtk_widget_get_sensitive (zoom));
  g_assert_cmpint (gtk_combo_box_get_active (GTK_COMBO_BOX (zoom)), ==, 0);   /* it says Fit, as it shows */
  wait_for_previews (dialog, ns_dialog_get_preview_count (dialog) + 1);
  g_assert_nonnull (strstr (ns_dialog_get_preview_status (dialog), "1:1"));
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_scrolled_window_get_hadjustment (view)), <=, 384);
  /* AdaIN again: 1:1 may be chosen again. */
  gtk_combo_box_set_active (GTK_COMBO_BOX (widget (dialog, "method", GTK_TYPE_COMBO_BOX)), NS_METHOD_ADAIN);
  g_assert_true (gtk_widget_get_sensitive (zoom));
  gtk_widget_destroy (dialog);

  /* Without the full-size content there is no 1:1 to choose. */
  NsDialogHost fit_only = { .runtime = ns_test_process_runtime (), .preview = small, .preview_scale = 0.25 };
  dialog = ns_dialog_new (&settings, &fit_only);
  g_assert_false (gtk_widget_get_sensitive (widget (dialog, "preview-zoom", GTK_TYPE_COMBO_BOX)));
  gtk_widget_destroy (dialog);
}

/* At 1:1 a second style outside the layer mask uses the host's full-size
 * mask, as OK does; an image smaller than the view is one region; outside
 * the selection (OK restyles the whole layer) the view says to choose Fit. */
static void
test_preview_one_to_one_mask (void)
{
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  g_autoptr (NsImage) content = ns_image_resize (photo, 200, 150);
  g_autoptr (NsImage) small = ns_image_resize (content, 100, 75);
  g_autoptr (NsImage) mask = ns_image_new (200, 150, 1), small_mask = ns_image_new (100, 75, 1);
  for (int y = 0; y < 150; y++)
    for (int x = 0; x < 200; x++)
      mask->data[y * 200 + x] = CLAMP ((120.0f - x) / 30.0f, 0.0f, 1.0f);
  NsSettings settings;
  test_settings (&settings);
  g_strlcpy (settings.style2_file, "the-scream", sizeof settings.style2_file);
  settings.style2_mode = NS_STYLE2_OUTSIDE_LAYER_MASK;
  NsDialogHost host = { .runtime = ns_test_process_runtime (),
                        .preview = small, .preview_scale = 0.5, .layer_mask = small_mask, .content = content,
                        .content_layer_mask = mask };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);
  wait_for_previews (dialog, 1);
  gtk_combo_box_set_active (GTK_COMBO_BOX (widget (dialog, "preview-zoom", GTK_TYPE_COMBO_BOX)), 1);
  GdkPixbuf *region = wait_for_region (dialog, 1, 0, 0);
  g_assert_cmpint (gdk_pixbuf_get_width (region), ==, 200);
  g_assert_cmpint (gdk_pixbuf_get_height (region), ==, 150);
  assert_region_is_ok_result_masked (dialog, content, mask, region, 0, 0);

  gtk_combo_box_set_active (GTK_COMBO_BOX (widget (dialog, "style2-mode", GTK_TYPE_COMBO_BOX)),
                            NS_STYLE2_OUTSIDE_SELECTION);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (strstr (ns_dialog_get_preview_status (dialog), "Fit") == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_test_message ("outside the selection at 1:1: %s", ns_dialog_get_preview_status (dialog));
  g_assert_nonnull (strstr (ns_dialog_get_preview_status (dialog), "choose Fit"));
  int x, y;
  g_assert_null (ns_dialog_get_preview_region (dialog, &x, &y));   /* no exact pixels of other options */
  gtk_widget_destroy (dialog);
}

/* The dialog that ns_dialog_run() opened, or NULL while it is not shown yet. */
static GtkWidget *
shown_dialog (void)
{
  g_autoptr (GList) windows = gtk_window_list_toplevels ();
  for (GList *l = windows; l != NULL; l = l->next)
    if (GTK_IS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* Presses the dialog's OK: a timeout's last call. */
static gboolean
press_ok_button (GtkWidget *dialog)
{
  gtk_widget_activate (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK));
  return G_SOURCE_REMOVE;
}

/* Sets alpha in the dialog ns_dialog_run() opened and presses OK. */
static gboolean
press_ok (gpointer data)
{
  GtkWidget *dialog = shown_dialog ();
  if (dialog == NULL)
    return G_SOURCE_CONTINUE;
  gtk_range_set_value (ns_dialog_get_alpha_scale (dialog), 0.45);
  return press_ok_button (dialog);
}

static void
test_ok_returns_settings (void)
{
  NsSettings settings;
  test_settings (&settings);
  g_strlcpy (settings.style_file, "the-scream", sizeof settings.style_file);
  settings.seed = 42;
  NsDialogHost host = { .runtime = ns_test_process_runtime () };   /* no preview: OK straight away */
  g_timeout_add (200, press_ok, NULL);
  g_assert_true (ns_dialog_run (&settings, &host));
  g_assert_cmpfloat_with_epsilon (settings.alpha, 0.45, 1e-9);
  g_assert_cmpstr (settings.style_file, ==, "the-scream");
  g_assert_cmpint (settings.style_drawable, ==, -1);
  g_assert_cmpint (settings.method, ==, NS_METHOD_ADAIN);
  g_assert_cmpint (settings.style_size, ==, 64);
  g_assert_cmpint (settings.seed, ==, 42);
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_settings_validate (&settings, &error));
}

static GtkWidget *
widget (GtkWidget *dialog, const char *name, GType type)
{
  GtkWidget *w = ns_dialog_get_widget (dialog, name);
  g_assert_nonnull (w);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (w, type));
  g_assert_cmpstr (gtk_widget_get_name (w), ==, name);
  return w;
}

/* Every mnemonic key of the widgets under `widget` (labels with one; buttons carry theirs in a label), with the text. */
static void
collect_mnemonics (GtkWidget *widget, GHashTable *seen, GString *clashes)
{
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget))
      && gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      const char *text = gtk_label_get_label (GTK_LABEL (widget));
      const char *other = g_hash_table_lookup (seen, GUINT_TO_POINTER (key));
      if (other != NULL)
        g_string_append_printf (clashes, "“%s” and “%s”; ", other, text);
      else
        g_hash_table_insert (seen, GUINT_TO_POINTER (key), (gpointer) text);
    }
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (widget));
      for (GList *c = children; c != NULL; c = c->next)
        collect_mnemonics (c->data, seen, clashes);
    }
}

/* No two mnemonics of the dialog (its labels and its buttons) share a key. */
static void
check_unique_mnemonics (const char *language)
{
  NsSettings settings;
  test_settings (&settings);
  g_autoptr (NsImage) content = test_content ();   /* with the preview's zoom */
  NsDialogHost host = { .runtime = ns_test_process_runtime (),
                        .preview = content, .preview_scale = 1.0, .content = content };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  g_assert_nonnull (ns_dialog_get_widget (dialog, "preview-zoom"));
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr (GString) clashes = g_string_new (NULL);
  collect_mnemonics (dialog, seen, clashes);
  g_test_message ("%s: %u mnemonics", language, g_hash_table_size (seen));
  if (clashes->len > 0)
    g_error ("%s: mnemonics that share a key: %s", language, clashes->str);
  g_assert_cmpuint (g_hash_table_size (seen), >=, 15);
  gtk_widget_destroy (dialog);
}

/* In English and in Chinese (the build's catalogue; zh_CN.UTF-8 where installed, else C.UTF-8, which
 * Debian 12's gettext does not take for C). */
static void
test_unique_mnemonics (void)
{
  check_unique_mnemonics ("en");
  g_autofree char *po = g_build_filename (NS_TEST_BUILD_DIR, "..", "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, po);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_autofree char *locales = ns_test_make_temp_dir ("ns-locales-XXXXXX");
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      /* A fresh Debian 13 generates no locale: build one here, as tests/zh-locale.sh does. */
      g_autofree char *out = g_build_filename (locales, "zh_CN.UTF-8", NULL);
      const char *argv[] = { "localedef", "-i", "zh_CN", "-f", "UTF-8", out, NULL };
      int status = -1;
      if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                        NULL, NULL, &status, NULL) && g_spawn_check_wait_status (status, NULL))
        g_setenv ("LOCPATH", locales, TRUE);
      if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
        g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));   /* Debian 12's C.UTF-8 lets LANGUAGE work */
    }
  g_assert_cmpstr (_("_Cancel"), !=, "_Cancel");   /* the catalogue is read */
  check_unique_mnemonics ("zh_CN");
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LOCPATH");
  setlocale (LC_ALL, "C");
  ns_test_remove_tree (locales);
}

/* The new controls exist, with their ranges, tooltips and sensitivity. */
static void
test_widgets (void)
{
  NsSettings settings;
  test_settings (&settings);
  NsDialogHost host = { .runtime = ns_test_process_runtime () };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  g_assert_null (ns_dialog_get_widget (dialog, "no-such-control"));
  widget (dialog, "style", GTK_TYPE_COMBO_BOX);
  widget (dialog, "style-file", GTK_TYPE_FILE_CHOOSER_BUTTON);
  widget (dialog, "style2-file", GTK_TYPE_FILE_CHOOSER_BUTTON);
  GtkWidget *method = widget (dialog, "method", GTK_TYPE_COMBO_BOX);
  GtkWidget *iterations = widget (dialog, "iterations", GTK_TYPE_SPIN_BUTTON);
  GtkWidget *seed = widget (dialog, "seed", GTK_TYPE_SPIN_BUTTON);
  GtkWidget *colour = widget (dialog, "colour", GTK_TYPE_COMBO_BOX);
  GtkWidget *size = widget (dialog, "style-size", GTK_TYPE_SPIN_BUTTON);
  GtkWidget *as_given = widget (dialog, "style-size-as-given", GTK_TYPE_TOGGLE_BUTTON);
  GtkWidget *style2 = widget (dialog, "style2", GTK_TYPE_COMBO_BOX);
  GtkWidget *weight = widget (dialog, "style2-weight", GTK_TYPE_RANGE);
  GtkWidget *mode = widget (dialog, "style2-mode", GTK_TYPE_COMBO_BOX);
  g_assert_true (GTK_RANGE (widget (dialog, "alpha", GTK_TYPE_RANGE)) == ns_dialog_get_alpha_scale (dialog));

  /* Three colour modes and three second-style modes, in the enums' order. */
  GtkTreeModel *model = gtk_combo_box_get_model (GTK_COMBO_BOX (colour));
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 3);
  g_assert_cmpint (gtk_tree_model_iter_n_children (gtk_combo_box_get_model (GTK_COMBO_BOX (mode)), NULL), ==, 3);
  g_assert_cmpint (gtk_combo_box_get_active (GTK_COMBO_BOX (colour)), ==, NS_PRESERVE_NONE);
  g_assert_cmpint (gtk_combo_box_get_active (GTK_COMBO_BOX (mode)), ==, NS_STYLE2_BLEND);

  /* The style scale: the table's range of sizes, or the style as given; its tooltip speaks of brush strokes. */
  double lo, hi;
  gtk_spin_button_get_range (GTK_SPIN_BUTTON (size), &lo, &hi);
  g_assert_cmpfloat (lo, ==, ns_param_find ("style-size")->nonzero_min);
  g_assert_cmpfloat (hi, ==, ns_param_find ("style-size")->max);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (size)), ==, 64);
  g_autofree char *tip = gtk_widget_get_tooltip_text (size);
  g_assert_nonnull (tip);
  g_assert_nonnull (strstr (tip, "brush strokes"));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (as_given)));
  g_assert_true (gtk_widget_get_sensitive (size));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (as_given), TRUE);
  g_assert_false (gtk_widget_get_sensitive (size));
  NsSettings chosen;
  ns_dialog_get_settings (dialog, &chosen);
  g_assert_cmpint (chosen.style_size, ==, 0);

  /* Iterations and seed only for Gatys, the style strength only for AdaIN. */
  GtkWidget *alpha = widget (dialog, "alpha", GTK_TYPE_RANGE);
  g_assert_false (gtk_widget_get_sensitive (iterations));
  g_assert_false (gtk_widget_get_sensitive (seed));
  g_assert_true (gtk_widget_get_sensitive (alpha));
  gtk_combo_box_set_active (GTK_COMBO_BOX (method), NS_METHOD_GATYS);
  g_assert_true (gtk_widget_get_sensitive (iterations));
  g_assert_true (gtk_widget_get_sensitive (seed));
  g_assert_false (gtk_widget_get_sensitive (alpha));

  /* The second style: none at first; its mix only for a blend. */
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (style2)), ==, "none");
  g_assert_false (gtk_widget_get_sensitive (weight));
  g_assert_false (gtk_widget_get_sensitive (mode));
  g_assert_cmpfloat (gtk_range_get_value (GTK_RANGE (weight)), ==, 0.5);
  g_assert_true (gtk_combo_box_set_active_id (GTK_COMBO_BOX (style2), "great-wave"));
  g_assert_true (gtk_widget_get_sensitive (weight));
  g_assert_true (gtk_widget_get_sensitive (mode));
  gtk_combo_box_set_active (GTK_COMBO_BOX (mode), NS_STYLE2_OUTSIDE_SELECTION);
  g_assert_false (gtk_widget_get_sensitive (weight));
  ns_dialog_get_settings (dialog, &chosen);
  g_assert_cmpstr (chosen.style2_file, ==, "great-wave");
  g_assert_cmpint (chosen.style2_drawable, ==, -1);
  g_assert_cmpint (chosen.style2_mode, ==, NS_STYLE2_OUTSIDE_SELECTION);
  gtk_widget_destroy (dialog);

  /* Settings from a key file show as they are, even a style size under 64. */
  test_settings (&settings);
  settings.style_size = 32;
  settings.preserve_colour = NS_PRESERVE_MATCH;
  g_strlcpy (settings.style2_file, "udnie", sizeof settings.style2_file);
  settings.style2_weight = 0.25;
  settings.style2_mode = NS_STYLE2_OUTSIDE_LAYER_MASK;
  dialog = ns_dialog_new (&settings, &host);
  ns_dialog_get_settings (dialog, &chosen);
  g_assert_cmpmem (&chosen, sizeof chosen, &settings, sizeof settings);
  gtk_widget_destroy (dialog);
}

/* Sets every new control and presses OK. */
static gboolean
press_ok_new_controls (gpointer data)
{
  GtkWidget *dialog = shown_dialog ();
  if (dialog == NULL)
    return G_SOURCE_CONTINUE;
  gtk_combo_box_set_active (GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "method")), NS_METHOD_GATYS);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ns_dialog_get_widget (dialog, "iterations")), 123);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ns_dialog_get_widget (dialog, "seed")), 99);
  gtk_combo_box_set_active (GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "colour")), NS_PRESERVE_LUMINANCE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (ns_dialog_get_widget (dialog, "style-size")), 256);
  g_assert_true (gtk_combo_box_set_active_id (GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "style2")), "layer:76"));
  gtk_range_set_value (GTK_RANGE (ns_dialog_get_widget (dialog, "style2-weight")), 0.3);
  gtk_combo_box_set_active (GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "style2-mode")),
                            NS_STYLE2_OUTSIDE_LAYER_MASK);
  return press_ok_button (dialog);
}

static void
test_ok_returns_new_settings (void)
{
  NsSettings settings;
  test_settings (&settings);
  NsDialogLayer layers[] = { { 76, (char *) "photo.xcf: Sky" } };
  NsDialogHost host = { .runtime = ns_test_process_runtime (), .layers = layers, .n_layers = 1 };
  g_timeout_add (200, press_ok_new_controls, NULL);
  g_assert_true (ns_dialog_run (&settings, &host));
  g_assert_cmpint (settings.method, ==, NS_METHOD_GATYS);
  g_assert_cmpint (settings.iterations, ==, 123);
  g_assert_cmpint (settings.seed, ==, 99);
  g_assert_cmpint (settings.preserve_colour, ==, NS_PRESERVE_LUMINANCE);
  g_assert_cmpint (settings.style_size, ==, 256);
  g_assert_cmpstr (settings.style_file, ==, "starry-night");
  g_assert_cmpstr (settings.style2_file, ==, "");
  g_assert_cmpint (settings.style2_drawable, ==, 76);
  g_assert_cmpfloat_with_epsilon (settings.style2_weight, 0.3, 1e-9);
  g_assert_cmpint (settings.style2_mode, ==, NS_STYLE2_OUTSIDE_LAYER_MASK);
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_settings_validate (&settings, &error));
}

/* Waits for one more preview than `before`, then lets late ones arrive. */
static GdkPixbuf *
next_preview (GtkWidget *dialog, guint before)
{
  wait_for_previews (dialog, before + 1);
  return gdk_pixbuf_copy (ns_dialog_get_preview_pixbuf (dialog));
}

/* The preview follows colour preservation: each mode gives the engine's result with that mode. */
static void
test_preview_follows_colour (void)
{
  g_autoptr (NsImage) content = test_content ();
  NsSettings settings;
  test_settings (&settings);
  NsDialogHost host = { .runtime = ns_test_process_runtime (), .preview = content, .preview_scale = 1.0 };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);
  g_autoptr (GdkPixbuf) none = next_preview (dialog, 0);
  GtkComboBox *colour = GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "colour"));

  gtk_combo_box_set_active (colour, NS_PRESERVE_LUMINANCE);
  g_autoptr (GdkPixbuf) luminance = next_preview (dialog, ns_dialog_get_preview_count (dialog));
  g_autoptr (NsImage) want_luminance = engine_options_result (content, 1.0, NS_COLOUR_LUMINANCE, NULL, 0, NULL);
  int diff = max_difference (luminance, want_luminance);
  g_test_message ("preview with luminance-only transfer vs the engine: largest difference %d/255", diff);
  g_assert_cmpint (diff, <=, 1);
  g_assert_cmpint (max_difference (none, want_luminance), >, 8);   /* it really changed */

  gtk_combo_box_set_active (colour, NS_PRESERVE_MATCH);
  g_autoptr (GdkPixbuf) match = next_preview (dialog, ns_dialog_get_preview_count (dialog));
  g_autoptr (NsImage) want_match = engine_options_result (content, 1.0, NS_COLOUR_MATCH, NULL, 0, NULL);
  diff = max_difference (match, want_match);
  g_test_message ("preview with colour matching vs the engine: largest difference %d/255", diff);
  g_assert_cmpint (diff, <=, 1);
  g_assert_cmpint (max_difference (luminance, want_match), >, 8);

  /* Alpha alone re-renders with the same colour mode. */
  gtk_range_set_value (ns_dialog_get_alpha_scale (dialog), 0.5);
  g_autoptr (GdkPixbuf) half = next_preview (dialog, ns_dialog_get_preview_count (dialog));
  g_autoptr (NsImage) want_half = engine_options_result (content, 0.5, NS_COLOUR_MATCH, NULL, 0, NULL);
  g_assert_cmpint (max_difference (half, want_half), <=, 1);
  gtk_widget_destroy (dialog);
}

/* A second style: blended, the engine's weighted styles; outside the
 * selection, the host's mask; outside a layer mask the host does not have,
 * the first style only, said under the preview; Gatys previews as AdaIN. */
static void
test_preview_second_style (void)
{
  g_autoptr (NsImage) content = test_content ();
  g_autoptr (NsImage) mask = ns_image_new (content->width, content->height, 1);
  for (int y = 0; y < mask->height; y++)
    for (int x = 0; x < mask->width; x++)
      mask->data[y * mask->width + x] = x < mask->width / 2 ? 1.0f : 0.0f;
  NsSettings settings;
  test_settings (&settings);
  g_strlcpy (settings.style2_file, "the-scream", sizeof settings.style2_file);
  settings.style2_weight = 0.4;
  NsDialogHost host = { .runtime = ns_test_process_runtime (),
                        .preview = content, .preview_scale = 1.0, .selection_mask = mask };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);
  g_autoptr (GdkPixbuf) blend = next_preview (dialog, 0);
  g_autoptr (NsImage) want_blend = engine_options_result (content, 1.0, NS_COLOUR_NONE, "the-scream", 0.4, NULL);
  int diff = max_difference (blend, want_blend);
  g_test_message ("preview of a 0.6/0.4 blend vs the engine: largest difference %d/255", diff);
  g_assert_cmpint (diff, <=, 1);
  g_autoptr (NsImage) first_only = engine_result (content, 1.0);
  g_assert_cmpint (max_difference (blend, first_only), >, 8);

  gtk_combo_box_set_active (GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "style2-mode")), NS_STYLE2_OUTSIDE_SELECTION);
  g_autoptr (GdkPixbuf) outside = next_preview (dialog, ns_dialog_get_preview_count (dialog));
  g_autoptr (NsImage) want_outside = engine_options_result (content, 1.0, NS_COLOUR_NONE, "the-scream", 1.0, mask);
  diff = max_difference (outside, want_outside);
  g_test_message ("preview of the second style outside the selection vs the engine: largest difference %d/255", diff);
  g_assert_cmpint (diff, <=, 1);
  g_assert_cmpstr (ns_dialog_get_preview_status (dialog), ==, "");

  gtk_combo_box_set_active (GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "style2-mode")), NS_STYLE2_OUTSIDE_LAYER_MASK);
  g_autoptr (GdkPixbuf) no_mask = next_preview (dialog, ns_dialog_get_preview_count (dialog));
  g_assert_cmpint (max_difference (no_mask, first_only), <=, 1);
  g_test_message ("without a layer mask: %s", ns_dialog_get_preview_status (dialog));
  g_assert_nonnull (strstr (ns_dialog_get_preview_status (dialog), "first style only"));

  gtk_combo_box_set_active (GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "method")), NS_METHOD_GATYS);
  g_object_unref (next_preview (dialog, ns_dialog_get_preview_count (dialog)));
  g_test_message ("Gatys: %s", ns_dialog_get_preview_status (dialog));
  g_assert_nonnull (strstr (ns_dialog_get_preview_status (dialog), "AdaIN approximation"));
  gtk_widget_destroy (dialog);

  /* Given the whole layer, the second style outside the selection previews
   * the whole layer, as the run restyles it, with the selection over it. */
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  g_autoptr (NsImage) layer = ns_image_resize (photo, 80, 60);
  g_autoptr (NsImage) layer_mask = ns_image_new (80, 60, 1);
  for (int y = 0; y < 60; y++)
    for (int x = 0; x < 80; x++)
      layer_mask->data[y * 80 + x] = (x - 40) * (x - 40) + (y - 30) * (y - 30) < 25 * 25 ? 1.0f : 0.0f;
  settings.style2_mode = NS_STYLE2_OUTSIDE_SELECTION;
  host.layer_preview = layer;
  host.layer_preview_scale = 1.0;
  host.layer_selection_mask = layer_mask;
  dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);
  g_autoptr (GdkPixbuf) whole = next_preview (dialog, 0);
  g_autoptr (NsImage) want_whole = engine_options_result (layer, 1.0, NS_COLOUR_NONE, "the-scream", 1.0, layer_mask);
  diff = max_difference (whole, want_whole);   /* also checks the size: the whole layer's */
  g_test_message ("preview of the whole layer, the second style outside the selection, vs the engine: "
                  "largest difference %d/255", diff);
  g_assert_cmpint (diff, <=, 1);
  gtk_widget_destroy (dialog);
}

static NsImage *
layer_pixels (gint32 id, int max_side, gpointer data)
{
  g_assert_cmpint (id, ==, 77);
  return ns_test_load_shared_image ("goldens", "gatys_a_style.png");
}

/* A layer of an open image as the style: the preview uses the host's pixels
 * and OK returns the layer's ID instead of a file. */
static void
test_layer_style (void)
{
  g_autoptr (NsImage) content = test_content ();
  NsSettings settings;
  test_settings (&settings);
  settings.style_file[0] = '\0';
  settings.style_drawable = 77;
  settings.style_size = 0;
  NsDialogLayer layers[] = { { 76, (char *) "photo.xcf: Sky" }, { 77, (char *) "photo.xcf: Painting" } };
  NsDialogHost host = { .runtime = ns_test_process_runtime (),
                        .preview = content, .preview_scale = 1.0, .layers = layers, .n_layers = 2,
                        .layer_pixels = layer_pixels };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);
  wait_for_previews (dialog, 1);
  NsSettings chosen;
  ns_dialog_get_settings (dialog, &chosen);
  g_assert_cmpint (chosen.style_drawable, ==, 77);
  g_assert_cmpstr (chosen.style_file, ==, "");
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_settings_validate (&chosen, &error));
  gtk_widget_destroy (dialog);
}

/* The progress bar's text: the time left at the pace since the first progress. */
static void
test_progress_text (void)
{
  const char *it = "Iteration 3 of 10";
  struct {
    const char *text;
    double t0, f0, t, f;
    const char *want;
  } cases[] = {
    { it, 0, 0.1, 2, 0.2, "Iteration 3 of 10" },                     /* under 3 s: no pace yet */
    { it, 0, 0.1, 10, 0.5, "Iteration 3 of 10, about 13 s left" },   /* 25 s per unit x 0.5 */
    { it, 0, 0.01, 60, 0.11, "Iteration 3 of 10, about 9 min left" },
    { it, 0, 0.01, 100, 0.02, "Iteration 3 of 10, about 2 h 44 min left" },
    { NULL, 0, 0.1, 10, 0.5, "about 13 s left" },
    { it, 0, 0.2, 10, 0.2, "Iteration 3 of 10" },                    /* has not moved */
    { it, 0, 0.2, 10, 1.0, "Iteration 3 of 10" },                    /* done */
    { NULL, 0, 0.1, 1, 0.5, NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ns_progress_text (cases[i].text, cases[i].t0, cases[i].f0, cases[i].t, cases[i].f);
      g_assert_cmpstr (text, ==, cases[i].want);
    }
}

/* Opens the dialog on a new runtime whose programs go to `cache_dir` (and
 * no system cache), runs it to its first preview and returns every line the
 * preview area showed meanwhile (one each, in order). */
static GPtrArray *
status_lines_until_first_preview (const char *cache_dir)
{
  g_autoptr (NsImage) content = test_content ();
  NsRuntimeOptions options;
  ns_runtime_options_init (&options);
  options.cache_dir = cache_dir;
  options.system_cache_dir = "";
  g_autoptr (NsRuntime) runtime = ns_runtime_new (&options);
  NsSettings settings;
  test_settings (&settings);
  NsDialogHost host = { .runtime = runtime, .preview = content, .preview_scale = 1.0 };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (ns_dialog_get_preview_count (dialog) < 1 && ns_dialog_get_preview_error (dialog) == NULL
         && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, TRUE);
      const char *text = ns_dialog_get_preview_status (dialog);
      if (lines->len == 0 || g_strcmp0 (text, lines->pdata[lines->len - 1]) != 0)
        g_ptr_array_add (lines, g_strdup (text));
    }
  g_assert_null (ns_dialog_get_preview_error (dialog));
  gtk_widget_destroy (dialog);   /* and its worker, which stores the kernels */
  return lines;
}

/* The first preview on a device with an empty program cache says that the
 * kernels compile, how far, and that it happens once; the next does not. */
static void
test_kernel_progress (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ns-dialog-cache-XXXXXX", NULL);
  const char *prefix = "Preparing the OpenCL kernels for this device, first use only: ";
  g_autoptr (GPtrArray) first = status_lines_until_first_preview (dir);
  guint steps = 0, done = 0, total = 0;
  for (guint i = 0; i < first->len; i++)
    {
      g_test_message ("first open: %s", (const char *) first->pdata[i]);
      if (g_str_has_prefix (first->pdata[i], prefix))
        {
          g_assert_cmpint (sscanf ((const char *) first->pdata[i] + strlen (prefix), "%u of %u", &done, &total), ==, 2);
          steps++;
        }
    }
  g_assert_cmpuint (steps, >=, 1);
  g_assert_cmpuint (total, >, 0);
  g_assert_false (g_str_has_prefix (first->pdata[first->len - 1], prefix));   /* then the preview, as usual */

  g_autoptr (GPtrArray) second = status_lines_until_first_preview (dir);
  for (guint i = 0; i < second->len; i++)
    g_assert_false (g_str_has_prefix (second->pdata[i], prefix));
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check (&argc, &argv))
    g_error ("no display: run this test under xvfb-run");
  g_test_add_func ("/dialog/ok-returns-settings", test_ok_returns_settings);
  g_test_add_func ("/dialog/progress-text", test_progress_text);
  g_test_add_func ("/dialog/preview-follows-alpha", test_preview_follows_alpha);
  g_test_add_func ("/dialog/layer-style", test_layer_style);
  g_test_add_func ("/dialog/widgets", test_widgets);
  g_test_add_func ("/dialog/unique-mnemonics", test_unique_mnemonics);
  g_test_add_func ("/dialog/ok-returns-new-settings", test_ok_returns_new_settings);
  g_test_add_func ("/dialog/preview-follows-colour", test_preview_follows_colour);
  g_test_add_func ("/dialog/preview-second-style", test_preview_second_style);
  g_test_add_func ("/dialog/kernel-progress", test_kernel_progress);
  g_test_add_func ("/dialog/preview-one-to-one", test_preview_one_to_one);
  g_test_add_func ("/dialog/preview-one-to-one-mask", test_preview_one_to_one_mask);
  return g_test_run ();
}
