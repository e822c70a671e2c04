/* neural-style metrics --content C --style S [--trials K] [--seed N] [--device N] RESULT
 * prints "E=<e> C=<c> L8=<l> L8_ratio=<r>": the result's effectiveness
 * against the style, its coherence (SSIM) with the content (resized to the
 * result's size if needed), its lattice energy and that over the content's
 * (the content as compared, at the result's size). */
#include "cli-metrics.h"

#include "cli-options.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include <stdlib.h>

int
ns_cli_metrics (int argc, char **argv)
{
  g_autofree char *content_path = NULL, *style_path = NULL;
  g_auto (GStrv) rest = NULL;
  int trials = NS_METRICS_DEFAULT_TRIALS, device = NS_CLI_DEVICE_UNSET;
  gint64 seed = 0;
  GOptionEntry entries[] = {
    { "content", 'c', 0, G_OPTION_ARG_FILENAME, &content_path, N_("The content image"), N_("FILE") },
    { "style", 's', 0, G_OPTION_ARG_FILENAME, &style_path, N_("The style image"), N_("FILE") },
    { "trials", 0, 0, G_OPTION_ARG_INT, &trials, N_("Random projections for E (default 128)"), N_("K") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the projections (default 0)"), N_("N") },
    { "device", 'd', 0, G_OPTION_ARG_INT, &device, N_("OpenCL device number (see --list-devices)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("RESULT") },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new (_("RESULT — effectiveness (E), coherence (C) and lattice energy (L8) of a result"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error) || !ns_cli_check_device (&device, &error))
    {
      g_printerr ("neural-style metrics: %s\n", error->message);
      return 2;
    }
  if (content_path == NULL || style_path == NULL || rest == NULL || g_strv_length (rest) != 1 || trials < 1)
    {
      g_printerr ("neural-style metrics: %s\n", _("Give one result image, --content and --style (and --trials of at least 1)."));
      return 2;
    }
  g_autoptr (NsImage) result = ns_image_load (rest[0], &error);
  g_autoptr (NsImage) content = result != NULL ? ns_image_load (content_path, &error) : NULL;
  g_autoptr (NsImage) style = content != NULL ? ns_image_load (style_path, &error) : NULL;
  if (style == NULL)
    {
      g_printerr ("neural-style metrics: %s\n", error->message);
      return 1;
    }
  if (content->width != result->width || content->height != result->height)
    {
      NsImage *resized = ns_image_resize (content, result->width, result->height);
      ns_image_free (content);
      content = resized;
    }
  double e = 0, c = 0, l8 = 0, content_l8 = 0;
  g_autoptr (NsRuntime) runtime = NULL;
  g_autoptr (NsMetrics) metrics = NULL;
  if (!ns_lattice_energy (result, &l8, &error) || !ns_lattice_energy (content, &content_l8, &error)
      || (runtime = ns_cli_runtime_new (device, NULL, &error)) == NULL
      || (metrics = ns_metrics_new (runtime, &error)) == NULL || !ns_metrics_ssim (result, content, &c, &error)
      || !ns_metrics_effectiveness (metrics, result, style, trials, (guint32) seed, &e, &error))
    {
      g_printerr ("neural-style metrics: %s\n", error->message);
      return 1;
    }
  g_print ("E=%.6f C=%.6f L8=%.6g L8_ratio=%.4g\n", e, c, l8, ns_lattice_ratio (l8, content_l8));
  return 0;
}
