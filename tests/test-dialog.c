/* The GTK 3 dialog (ui/) without GIMP, under Xvfb: it opens with the bundled
 * styles, its first preview equals the engine's result for the same images,
 * a screenshot is saved as a test artefact (dialog-screenshot.png in the
 * build's tests folder), dragging the alpha slider updates the preview once
 * (debounced) to the engine's result for the last alpha, a layer of an open
 * image can be the style, and OK returns the chosen settings. */
#include "neural-style.h"
#include "ns-dialog.h"
#include "ns-image-io.h"
#include "ns-test-util.h"

#define WAIT_SECONDS 600

static NsImage *
test_content (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = ns_test_shared_path ("samples", "tubingen.jpg", NULL);
  g_autoptr (NsImage) photo = ns_image_load (path, &error);
  g_assert_no_error (error);
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

/* The engine's answer for the whole 64x48 content, as the plug-in would get it. */
static NsImage *
engine_result (const NsImage *content, double alpha)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsEngine) engine = ns_engine_new (-1, &error);
  g_assert_no_error (error);
  g_autofree char *path = ns_settings_resolve_style ("starry-night");
  g_autoptr (NsImage) style = ns_image_load (path, &error);
  g_assert_no_error (error);
  NsImage *result = ns_engine_stylise (engine, content, style, alpha, 64, NULL, &error);
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
save_screenshot (GtkWidget *dialog)
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
  g_autofree char *path = g_build_filename (NS_TEST_BUILD_DIR, "dialog-screenshot.png", NULL);
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

static void
test_preview_follows_alpha (void)
{
  g_autoptr (NsImage) content = test_content ();
  NsSettings settings;
  test_settings (&settings);
  NsDialogHost host = { .preview = content, .preview_scale = 1.0 };
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);

  wait_for_previews (dialog, 1);
  save_screenshot (dialog);
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

/* Finds the dialog that ns_dialog_run() opened, sets alpha and the method, and presses OK. */
static gboolean
press_ok (gpointer data)
{
  g_autoptr (GList) windows = gtk_window_list_toplevels ();
  for (GList *l = windows; l != NULL; l = l->next)
    if (GTK_IS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        GtkWidget *dialog = l->data;
        gtk_range_set_value (ns_dialog_get_alpha_scale (dialog), 0.45);
        gtk_widget_activate (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK));
        return G_SOURCE_REMOVE;
      }
  return G_SOURCE_CONTINUE;   /* not shown yet */
}

static void
test_ok_returns_settings (void)
{
  NsSettings settings;
  test_settings (&settings);
  g_strlcpy (settings.style_file, "the-scream", sizeof settings.style_file);
  settings.seed = 42;
  NsDialogHost host = { 0 };   /* no preview: OK straight away */
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

static NsImage *
layer_pixels (gint32 id, int max_side, gpointer data)
{
  g_assert_cmpint (id, ==, 77);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = ns_test_shared_path ("goldens", "gatys_a_style.png", NULL);
  NsImage *image = ns_image_load (path, &error);
  g_assert_no_error (error);
  return image;
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
  NsDialogHost host = { .preview = content, .preview_scale = 1.0, .layers = layers, .n_layers = 2,
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check (&argc, &argv))
    g_error ("no display: run this test under xvfb-run");
  g_test_add_func ("/dialog/ok-returns-settings", test_ok_returns_settings);
  g_test_add_func ("/dialog/preview-follows-alpha", test_preview_follows_alpha);
  g_test_add_func ("/dialog/layer-style", test_layer_style);
  return g_test_run ();
}
