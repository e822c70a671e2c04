/* What the plug-in does in one process: the dialog's preview (prepare and
 * render on the downscaled layer, ui/ns-preview.c), then the run on the
 * whole layer (plugin/plugin-worker.c), both on the process's runtime.  The
 * device is opened, the kernels built and the networks loaded once: one
 * context (one table of NEURAL_STYLE_PROFILE), VGG-19's layers to relu4_1
 * read once, one decoder.
 *
 *   test-plugin-sequence --bench CONTENT STYLE   times the sequence instead
 *   (docs/BENCHMARKS.md, issue 19). */
#include "neural-style.h"
#include "ns-preview.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include "plugin-worker.h"
#include <stdio.h>
#include <string.h>

#define PREVIEW_SIDE 256   /* as plugin/plugin-dialog.c */

typedef struct {
  GMainLoop *loop;
  gboolean ok;
} Wait;

static void
preview_ready (NsImage *result, const GError *error, gpointer data)
{
  Wait *wait = data;
  if (error != NULL)
    g_printerr ("preview: %s\n", error->message);
  wait->ok = result != NULL;
  g_clear_pointer (&result, ns_image_free);
  g_main_loop_quit (wait->loop);
}

/* The preview, then the run, the style at style_size (0: as given); the
 * seconds of each into the two (may be NULL). */
static NsImage *
preview_then_run (NsRuntime *runtime, const NsImage *content, const NsImage *style, int style_size,
                  double *preview_s, double *run_s)
{
  double scale = MIN (1.0, (double) PREVIEW_SIDE / MAX (content->width, content->height));
  g_autoptr (NsImage) small = ns_image_resize (content, MAX (1, (int) (content->width * scale + 0.5)),
                                               MAX (1, (int) (content->height * scale + 0.5)));
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, FALSE };
  gint64 t0 = g_get_monotonic_time ();
  NsPreview *preview = ns_preview_new (runtime, small, preview_ready, &wait);
  ns_preview_request (preview, style, "style", style_size, 1.0);
  g_main_loop_run (loop);
  ns_preview_free (preview);
  g_assert_true (wait.ok);
  gint64 t1 = g_get_monotonic_time ();

  NsSettings settings;
  ns_settings_init_defaults (&settings);
  g_assert_cmpint (settings.method, ==, NS_METHOD_ADAIN);
  settings.style_size = style_size;
  NsPluginInput input = { content, style, NULL, NULL, FALSE };
  g_autoptr (GError) error = NULL;
  NsImage *result = ns_plugin_stylise (runtime, &input, &settings, NULL, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  if (preview_s != NULL)
    *preview_s = (t1 - t0) / 1e6;
  if (run_s != NULL)
    *run_s = (g_get_monotonic_time () - t1) / 1e6;
  return result;
}

static void
sequence (void)
{
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair00_content.png");
  g_autoptr (NsImage) painting = ns_test_load_shared_image ("goldens", "pair00_style.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, 96, 72);
  g_autoptr (NsImage) style = ns_image_resize (painting, 64, 64);
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();
  g_autoptr (NsImage) result = preview_then_run (runtime, content, style, 0, NULL, NULL);
  g_assert_cmpint (result->width, ==, content->width);
  NsRuntimeCounts counts;
  ns_runtime_get_counts (runtime, &counts);
  g_assert_cmpuint (counts.contexts, ==, 1);
  g_assert_cmpuint (counts.vgg_layers_read, ==, 9);   /* VGG-19 to relu4_1, each layer once */
  g_assert_cmpuint (counts.decoder_loads, ==, 1);
}

static void
test_counts (void)
{
  sequence ();
}

/* The same in a child with NEURAL_STYLE_PROFILE set: exactly one table. */
static void
test_one_context (void)
{
  if (g_test_subprocess ())
    {
      sequence ();
      return;
    }
  g_setenv ("NEURAL_STYLE_PROFILE", "1", TRUE);
  g_test_trap_subprocess (NULL, 300 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("NEURAL_STYLE_PROFILE");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*| kernel | launches |*");
  g_test_trap_assert_stderr_unmatched ("*| kernel | launches |*| kernel | launches |*");
}

static int
bench (const char *content_path, const char *style_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) content = ns_image_load (content_path, &error);
  g_autoptr (NsImage) style = content != NULL ? ns_image_load (style_path, &error) : NULL;
  g_autoptr (NsRuntime) runtime = style != NULL ? ns_runtime_new_from_environment (NS_DEVICE_BEST, &error) : NULL;
  if (runtime == NULL)
    {
      g_printerr ("test-plugin-sequence: %s\n", error->message);
      return 1;
    }
  double preview_s = 0, run_s = 0;
  NsSettings defaults;   /* the plug-in's style size */
  ns_settings_init_defaults (&defaults);
  g_autoptr (NsImage) result = preview_then_run (runtime, content, style, defaults.style_size, &preview_s, &run_s);
  printf ("first preview %.2f s, run %.2f s\n", preview_s, run_s);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc == 4 && strcmp (argv[1], "--bench") == 0)
    return bench (argv[2], argv[3]);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/plugin-sequence/counts", test_counts);
  g_test_add_func ("/plugin-sequence/one-context", test_one_context);
  return g_test_run ();
}
