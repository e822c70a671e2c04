/* first-preview-bench: the seconds from opening the dialog to its first
 * styled preview, as a user meets them in the plug-in (the photo downscaled
 * to the plug-in's 256-pixel preview, the default settings: starry-night at
 * style size 512).  A benchmark, not a test: tools/bench-first-preview.sh
 * runs it with empty and prepared program caches (docs/BENCHMARKS.md).
 *
 *   first-preview-bench PHOTO    (under X, e.g. xvfb-run)
 *
 * Prints "first preview S s (cpu C s)": wall time, and the process's CPU
 * time, steadier on a shared machine. */
#include "neural-style.h"
#include "ns-dialog.h"
#include <stdio.h>
#include <sys/resource.h>

#define PREVIEW_SIDE 256   /* as plugin/plugin-dialog.c */

static double
cpu_seconds (void)
{
  struct rusage usage;
  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int
main (int argc, char **argv)
{
  if (!gtk_init_check (&argc, &argv) || argc != 2)
    {
      g_printerr ("usage (under X): first-preview-bench PHOTO\n");
      return 2;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) photo = ns_image_load (argv[1], &error);
  if (photo == NULL)
    {
      g_printerr ("first-preview-bench: %s\n", error->message);
      return 1;
    }
  double scale = MIN (1.0, (double) PREVIEW_SIDE / MAX (photo->width, photo->height));
  g_autoptr (NsImage) preview = ns_image_resize (photo, MAX (1, (int) (photo->width * scale + 0.5)),
                                                 MAX (1, (int) (photo->height * scale + 0.5)));
  NsSettings settings;
  ns_settings_init_defaults (&settings);
  g_autoptr (NsRuntime) runtime = ns_runtime_new_from_environment (NS_DEVICE_BEST, &error);
  if (runtime == NULL)
    {
      g_printerr ("first-preview-bench: %s\n", error->message);
      return 1;
    }
  NsDialogHost host = { .runtime = runtime, .preview = preview, .preview_scale = scale };

  double cpu0 = cpu_seconds ();
  gint64 start = g_get_monotonic_time ();
  GtkWidget *dialog = ns_dialog_new (&settings, &host);
  gtk_widget_show (dialog);
  while (ns_dialog_get_preview_count (dialog) < 1 && ns_dialog_get_preview_error (dialog) == NULL)
    g_main_context_iteration (NULL, TRUE);
  double seconds = (g_get_monotonic_time () - start) / 1e6, cpu = cpu_seconds () - cpu0;
  if (ns_dialog_get_preview_error (dialog) != NULL)
    {
      g_printerr ("first-preview-bench: %s\n", ns_dialog_get_preview_error (dialog));
      return 1;
    }
  printf ("first preview %.2f s (cpu %.2f s)\n", seconds, cpu);
  gtk_widget_destroy (dialog);
  return 0;
}
