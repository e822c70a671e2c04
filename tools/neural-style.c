/* neural-style: the command-line front end of the engine.
 *
 *   neural-style --style S [--alpha A] [--style-size N] [--device N] -o OUT CONTENT
 *   neural-style --list-devices
 *
 * Exit status: 0 on success, 1 when the run fails, 2 for a wrong command line.
 * The output file appears only when the run succeeds (written atomically). */
#include "neural-style.h"
#include "ns-cl-context.h"
#include "ns-i18n.h"
#include "ns-image-io.h"
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_RUN_FAILED = 1, EXIT_USAGE = 2 };

static int
fail (int status, const GError *error)
{
  g_printerr ("neural-style: %s\n", error->message);
  return status;
}

/* A --style that names no file but a bundled painting ("starry-night") is
 * taken from the installed presets, or from ../shared/styles when uninstalled. */
static char *
resolve_style (const char *style)
{
  if (g_file_test (style, G_FILE_TEST_EXISTS) || strchr (style, G_DIR_SEPARATOR) != NULL)
    return g_strdup (style);
  const char *dirs[] = { NS_STYLES_INSTALL_DIR, NS_STYLES_SOURCE_DIR };
  g_autofree char *file = g_str_has_suffix (style, ".jpg") ? g_strdup (style) : g_strconcat (style, ".jpg", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], file, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return g_strdup (style);   /* loading it reports the missing file */
}

static int
list_devices (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = ns_cl_list_devices (&error);
  if (devices == NULL)
    return fail (EXIT_RUN_FAILED, error);
  if (devices->len == 0)
    {
      g_printerr ("neural-style: %s\n", _("An OpenCL driver is installed but offers no device."));
      return EXIT_RUN_FAILED;
    }
  for (guint i = 0; i < devices->len; i++)
    {
      const NsClDeviceInfo *d = devices->pdata[i];
      g_print ("%u: %s (%s, %s, %" G_GUINT64_FORMAT " MiB, %u compute units)\n", d->index, d->name,
               ns_cl_device_type_name (d->type), d->platform_name, (guint64) (d->global_mem >> 20),
               d->compute_units);
    }
  return EXIT_SUCCESS;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  /* $NEURAL_STYLE_LOCALEDIR lets an uninstalled build (and its tests) find its translations. */
  const char *localedir = g_getenv ("NEURAL_STYLE_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : NS_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_autofree char *style_path = NULL, *output_path = NULL;
  g_auto (GStrv) rest = NULL;
  double alpha = 1.0;
  int style_size = 512, device = -1;
  gboolean show_devices = FALSE, verbose = FALSE;
  GOptionEntry entries[] = {
    { "style", 's', 0, G_OPTION_ARG_FILENAME, &style_path, N_("The painting whose style to take: an image file or a bundled style such as starry-night"), N_("FILE") },
    { "alpha", 'a', 0, G_OPTION_ARG_DOUBLE, &alpha, N_("Style strength, from 0 (the photo) to 1 (default)"), N_("A") },
    { "style-size", 0, 0, G_OPTION_ARG_INT, &style_size,
      N_("Resize the style so its shorter side has N pixels (default 512; 0 keeps it as it is)"), N_("N") },
    { "device", 'd', 0, G_OPTION_ARG_INT, &device,
      N_("OpenCL device number (see --list-devices; default: $NEURAL_STYLE_DEVICE, else the first GPU)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path,
      N_("Where to write the result: PNG, or raw float32 PFM when the name ends in .pfm"), N_("OUT") },
    { "list-devices", 0, 0, G_OPTION_ARG_NONE, &show_devices, N_("List the OpenCL devices and exit"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Say which device ran and how long it took"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("CONTENT") },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new (_("— restyle a photo after a painting"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error))
    return fail (EXIT_USAGE, error);

  if (show_devices)
    return list_devices ();
  if (style_path == NULL || output_path == NULL || rest == NULL || g_strv_length (rest) != 1)
    {
      g_printerr ("neural-style: %s\n", _("Give one content image, a style (--style) and an output file (-o)."));
      g_printerr ("%s", g_option_context_get_help (options, TRUE, NULL));
      return EXIT_USAGE;
    }
  if (!(alpha >= 0.0 && alpha <= 1.0))
    {
      g_printerr ("neural-style: ");
      g_printerr (_("--alpha is %g; it must lie between 0 and 1.\n"), alpha);
      return EXIT_USAGE;
    }
  if (style_size < 0)
    {
      g_printerr ("neural-style: ");
      g_printerr (_("--style-size is %d; it must be 0 or a number of pixels.\n"), style_size);
      return EXIT_USAGE;
    }

  g_autoptr (NsImage) content = ns_image_load (rest[0], &error);
  if (content == NULL)
    return fail (EXIT_RUN_FAILED, error);
  g_autofree char *style_file = resolve_style (style_path);
  g_autoptr (NsImage) style = ns_image_load (style_file, &error);
  if (style == NULL)
    return fail (EXIT_RUN_FAILED, error);

  gint64 start = g_get_monotonic_time ();
  g_autoptr (NsEngine) engine = ns_engine_new (device, &error);
  if (engine == NULL)
    return fail (EXIT_RUN_FAILED, error);
  gint64 ready = g_get_monotonic_time ();
  g_autoptr (NsImage) result = ns_engine_stylise (engine, content, style, alpha, style_size, NULL, &error);
  if (result == NULL || !ns_image_save (result, output_path, &error))
    return fail (EXIT_RUN_FAILED, error);
  if (verbose)
    g_printerr (_("%s: set-up %.2f s, style transfer %.2f s, peak device memory %.1f MiB\n"),
                ns_engine_get_device (engine)->name, (ready - start) / 1e6,
                (g_get_monotonic_time () - ready) / 1e6, ns_engine_get_peak_memory (engine) / 1048576.0);
  return EXIT_SUCCESS;
}
