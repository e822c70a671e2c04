/* neural-style: the command-line front end of the engine.
 *
 *   neural-style --style S [--alpha A] [--style-size N] [--device N] -o OUT CONTENT
 *   neural-style --style S[:W] [--style S2:W2 ...] [--preserve-color none|luminance|match]
 *                [--mask M --outside-style S3] [--tile N] [--memory-budget MIB] ... -o OUT CONTENT
 *   neural-style --method gatys --style S [--iterations N] [--content-weight A] [--style-weight B]
 *                [--tv-weight T] [--init content|noise|FILE] [--seed S] [--optimizer lbfgs|adam]
 *                [--scales N] (and the style controls above) -o OUT CONTENT
 *   neural-style gatys-objective --x X --content C --style S [--content-weight A] [--style-weight B] -o GRAD.pfm
 *   neural-style --list-devices | --list-styles
 *   neural-style --prepare [--device N] | --prepare --system [DIR]
 *
 * Exit status: 0 on success, 1 when the run fails, 2 for a wrong command line,
 * 130 when Ctrl+C ended it (Gatys still writes its best image so far).  The
 * output file appears only when the run succeeds (written atomically). */
#include "neural-style.h"
#include "ns-gatys.h"
#include "ns-cl-context.h"
#include "cli-eval.h"
#include "cli-interrupt.h"
#include "cli-metrics.h"
#include "cli-train.h"
#include "cli-options.h"
#include "cli-output.h"
#include "cli-prepare.h"
#include "ns-run-options.h"
#include "ns-i18n.h"
#include "ns-image-io.h"
#include "ns-progress-text.h"
#include "ns-bundled-styles.h"
#include "ns-styles.h"
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

/* A device passed over for another is worth a line: the run may be slower than expected. */
static void
say_device_note (const char *note)
{
  if (note != NULL)
    g_printerr ("neural-style: %s\n", note);
}

/* The styles of FILE[:WEIGHT] specifications; the images go into `keep`. */
static GArray *
load_styles (char **specs, GPtrArray *keep, GError **error)
{
  g_autoptr (GArray) styles = g_array_new (FALSE, FALSE, sizeof (NsWeightedStyle));
  for (guint i = 0; specs[i] != NULL; i++)
    {
      g_autofree char *file = NULL;
      NsWeightedStyle style = { NULL, 1.0 };
      if (!ns_cli_parse_weighted_style (specs[i], &file, &style.weight, error))
        return NULL;
      g_autofree char *path = ns_bundled_style_resolve (file);
      if ((style.image = ns_image_load (path, error)) == NULL)
        return NULL;
      g_ptr_array_add (keep, (gpointer) style.image);
      g_array_append_val (styles, style);
    }
  return g_steal_pointer (&styles);
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

/* The bundled paintings: the name --style takes, the title and the artist (translated). */
static int
list_styles (void)
{
  g_autoptr (GPtrArray) styles = ns_style_presets_load ();
  if (styles->len == 0)
    {
      g_printerr ("neural-style: %s\n", _("No bundled painting is installed."));
      return EXIT_RUN_FAILED;
    }
  for (guint i = 0; i < styles->len; i++)
    {
      const NsStylePreset *p = styles->pdata[i];
      g_print ("%-28s %s — %s\n", p->name, p->title, p->artist);
    }
  return EXIT_SUCCESS;
}

static int
usage_error (const char *message)
{
  g_printerr ("neural-style: %s\n", message);
  return EXIT_USAGE;
}

/* The diagnostic subcommand: the Gatys objective and its gradient at X, the
 * images taken as they are.  Prints "content=<Lc> style=<Ls> total=<L>". */
static int
gatys_objective_command (int argc, char **argv)
{
  g_autofree char *x_path = NULL, *content_path = NULL, *style_path = NULL, *output_path = NULL;
  double content_weight = 1.0, style_weight = 1e3;
  int device = NS_CLI_DEVICE_UNSET;
  GOptionEntry entries[] = {
    { "x", 0, 0, G_OPTION_ARG_FILENAME, &x_path, N_("The image at which to evaluate the objective"), N_("FILE") },
    { "content", 'c', 0, G_OPTION_ARG_FILENAME, &content_path, N_("The content image"), N_("FILE") },
    { "style", 's', 0, G_OPTION_ARG_FILENAME, &style_path, N_("The style image"), N_("FILE") },
    { "content-weight", 0, 0, G_OPTION_ARG_DOUBLE, &content_weight, N_("Weight of the content loss (default 1)"), N_("A") },
    { "style-weight", 0, 0, G_OPTION_ARG_DOUBLE, &style_weight, N_("Weight of the style loss (default 1000)"), N_("B") },
    { "device", 'd', 0, G_OPTION_ARG_INT, &device, N_("OpenCL device number (see --list-devices)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path, N_("Where to write the gradient dL/dx (PFM)"), N_("GRAD.pfm") },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new (_("— the Gatys objective and its gradient at an image"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error) || !ns_cli_check_device (&device, &error))
    return fail (EXIT_USAGE, error);
  if (x_path == NULL || content_path == NULL || style_path == NULL || argc > 1)
    {
      g_printerr ("neural-style: %s\n", _("Give the image (--x), the content (--content) and the style (--style)."));
      return EXIT_USAGE;
    }
  g_autoptr (NsImage) x = ns_image_load (x_path, &error);
  if (x == NULL)
    return fail (EXIT_RUN_FAILED, error);
  g_autoptr (NsImage) content = ns_image_load (content_path, &error);
  if (content == NULL)
    return fail (EXIT_RUN_FAILED, error);
  g_autofree char *style_file = ns_bundled_style_resolve (style_path);
  g_autoptr (NsImage) style_image = ns_image_load (style_file, &error);
  if (style_image == NULL)
    return fail (EXIT_RUN_FAILED, error);
  g_autoptr (NsGatys) gatys = ns_gatys_new (device, &error);
  if (gatys == NULL)
    return fail (EXIT_RUN_FAILED, error);
  g_autoptr (NsGatysStyle) style = ns_gatys_style_new (gatys, style_image, NULL, &error);
  if (style == NULL)
    return fail (EXIT_RUN_FAILED, error);
  NsGatysLosses losses;
  g_autoptr (NsImage) gradient = NULL;
  if (!ns_gatys_objective (gatys, x, content, style, content_weight, style_weight, 0.0, &losses,
                           output_path != NULL ? &gradient : NULL, &error)
      || (output_path != NULL && !ns_image_save_pfm (gradient, output_path, &error)))
    return fail (EXIT_RUN_FAILED, error);
  /* Machine-readable: not translated, C-locale numbers. */
  char lc[G_ASCII_DTOSTR_BUF_SIZE], ls[G_ASCII_DTOSTR_BUF_SIZE], l[G_ASCII_DTOSTR_BUF_SIZE];
  g_print ("content=%s style=%s total=%s\n", g_ascii_formatd (lc, sizeof lc, "%.9g", losses.content),
           g_ascii_formatd (ls, sizeof ls, "%.9g", losses.style), g_ascii_formatd (l, sizeof l, "%.9g", losses.total));
  return EXIT_SUCCESS;
}

typedef struct {
  const NsGatysOptions *options;
  int width, height;   /* the content's */
  int total;           /* iterations over all scales: the --iterations given */
  int reached;         /* the last one reported */
  double t0, f0;       /* when the first came (seconds), and the part of the work then done */
} GatysProgress;

/* A line per iteration: the losses, and once the pace is known, the time left. */
static void
print_progress (int iteration, const NsGatysLosses *losses, const NsImage *preview, gpointer user_data)
{
  GatysProgress *progress = user_data;
  double now = g_get_monotonic_time () / 1e6;
  double done = ns_gatys_work_fraction (progress->options, progress->width, progress->height, iteration);
  if (progress->reached == 0)
    {
      progress->t0 = now;
      progress->f0 = done;
    }
  progress->reached = iteration;
  int scale, scales;
  ns_gatys_locate_iteration (progress->options, progress->width, progress->height, iteration, &scale, &scales);
  g_autofree char *losses_text = scales > 1
    ? g_strdup_printf (_("iteration %d/%d (scale %d/%d): content %.6g, style %.6g, total variation %.6g, total %.6g"),
                       iteration, progress->total, scale, scales, losses->content, losses->style, losses->tv,
                       losses->total)
    : g_strdup_printf (_("iteration %d/%d: content %.6g, style %.6g, total variation %.6g, total %.6g"), iteration,
                       progress->total, losses->content, losses->style, losses->tv, losses->total);
  g_autofree char *line = ns_progress_text (losses_text, progress->t0, progress->f0, now, done);
  g_print ("%s\n", line);
}

/* A run that Ctrl+C ended: what was kept, and the status of an interrupted run.
 * GLib's "Operation was cancelled" adds nothing to the sentence already said. */
static int
interrupted (const GError *error, const char *kept)
{
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("neural-style: %s\n", error->message);
  if (kept != NULL)
    g_printerr ("neural-style: %s\n", kept);
  return NS_CLI_EXIT_INTERRUPTED;
}

/* A tiled AdaIN run's progress, as a line per tenth. */
static void
print_fraction (double fraction, gpointer user_data)
{
  int *tenths = user_data;
  if ((int) (fraction * 10) > *tenths)
    {
      *tenths = (int) (fraction * 10);
      g_print (_("%d %% done\n"), *tenths * 10);
    }
}

/* The Gatys options only the CLI has (the shared ones are in NsSettings). */
typedef struct {
  char *init, *optimizer;
  double content_weight, style_weight, tv_weight, learning_rate;
  int scales;
} GatysArgs;

/* GOption allocates the strings. */
static void
gatys_args_clear (GatysArgs *args)
{
  g_clear_pointer (&args->init, g_free);
  g_clear_pointer (&args->optimizer, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GatysArgs, gatys_args_clear)

/* The style controls (style size, colour, styles, mask) come as AdaIN options. */
static int
run_gatys (const GatysArgs *args, const NsSettings *settings, const NsImage *content, const NsAdainOptions *controls, int device,
           const char *output_path, gboolean verbose, NsCliInterrupt *interrupt, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  NsGatysTransferOptions transfer;
  ns_run_options_gatys (&transfer, settings, controls);
  NsGatysOptions options = transfer.optim;
  options.content_weight = args->content_weight;
  options.style_weight = args->style_weight;
  options.tv_weight = args->tv_weight;
  options.scales = args->scales;
  options.optimizer = g_strcmp0 (args->optimizer, "adam") == 0 ? NS_GATYS_OPTIMIZER_ADAM : NS_GATYS_OPTIMIZER_LBFGS;
  if (args->learning_rate > 0)
    options.learning_rate = args->learning_rate;
  g_autoptr (NsImage) init_image = NULL;
  if (args->init == NULL || strcmp (args->init, "content") == 0)
    options.init = NS_GATYS_INIT_CONTENT;
  else if (strcmp (args->init, "noise") == 0)
    options.init = NS_GATYS_INIT_NOISE;
  else
    {
      if ((init_image = ns_image_load (args->init, &error)) == NULL)
        return fail (EXIT_RUN_FAILED, error);
      options.init = NS_GATYS_INIT_IMAGE;
      options.init_image = init_image;
    }
  transfer.optim = options;

  gint64 start = g_get_monotonic_time ();
  NsEngineOptions engine_options = { .device_index = device, .progress = verbose ? ns_cli_print_kernel_progress : NULL };
  g_autoptr (NsGatys) gatys = ns_gatys_new_with_options (&engine_options, &error);
  if (gatys == NULL)
    return fail (EXIT_RUN_FAILED, error);
  say_device_note (ns_gatys_get_device_note (gatys));
  gint64 ready = g_get_monotonic_time ();
  GatysProgress progress = { &options, content->width, content->height,
                             ns_gatys_total_iterations (&options, content->width, content->height) };
  g_autoptr (NsImage) result = ns_gatys_transfer (gatys, content, &transfer, print_progress, &progress, cancellable,
                                                  &error);
  const gboolean stopped = g_cancellable_is_cancelled (cancellable);
  /* Interrupted: the best image so far is still a result, once there is one. */
  if (stopped && (result == NULL || progress.reached == 0))
    return interrupted (error, NULL);
  if (result == NULL || !ns_cli_output_write (interrupt, result, content, output_path, &error))
    return fail (EXIT_RUN_FAILED, error);
  if (stopped)
    {
      g_autofree char *name = g_filename_display_name (output_path);
      g_autofree char *kept = g_strdup_printf (_("Stopped at iteration %d of %d; the best image so far is in “%s”."),
                                               progress.reached, progress.total, name);
      return interrupted (NULL, kept);
    }
  if (verbose)
    g_printerr (_("%s: set-up %.2f s, %d iterations %.2f s, peak device memory %.1f MiB\n"),
                ns_gatys_get_device (gatys)->name, (ready - start) / 1e6, progress.total,
                (g_get_monotonic_time () - ready) / 1e6, ns_gatys_get_peak_memory (gatys) / 1048576.0);
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
  if (argc > 1 && strcmp (argv[1], "gatys-objective") == 0)
    return gatys_objective_command (argc - 1, argv + 1);
  if (argc > 1 && strcmp (argv[1], "metrics") == 0)
    return ns_cli_metrics (argc - 1, argv + 1);
  if (argc > 1 && strcmp (argv[1], "eval") == 0)
    return ns_cli_eval (argc - 1, argv + 1);
  if (argc > 1 && strcmp (argv[1], "train") == 0)
    return ns_cli_train (argc - 1, argv + 1);

  g_autofree char *output_path = NULL, *mask_path = NULL;
  g_auto (GStrv) rest = NULL, style_specs = NULL, outside_specs = NULL;
  int tile = 0, budget_mib = 0;
  int device = NS_CLI_DEVICE_UNSET;
  gboolean show_devices = FALSE, show_styles = FALSE, verbose = FALSE, prepare = FALSE, prepare_system = FALSE;
  NsGatysOptions defaults;
  ns_gatys_options_init (&defaults);
  g_auto (GatysArgs) gatys = { NULL, NULL, defaults.content_weight, defaults.style_weight, defaults.tv_weight, 0.0,
                               defaults.scales };
  NsSettings settings;   /* the parameters the plug-ins share (ns-params.h) */
  GOptionGroup *shared = ns_cli_param_group (&settings);
  GOptionEntry entries[] = {
    { "style", 's', 0, G_OPTION_ARG_FILENAME_ARRAY, &style_specs,
      N_("The painting whose style to take: an image file or a bundled style such as starry-night; "
         "repeat it as FILE:WEIGHT to blend styles"), N_("FILE[:W]") },
    { "mask", 0, 0, G_OPTION_ARG_FILENAME, &mask_path,
      N_("A grey image of the content's size: --style applies where it is white, --outside-style where it is black"),
      N_("MASK") },
    { "outside-style", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &outside_specs,
      N_("With --mask: the style outside the mask (repeatable as FILE:WEIGHT)"), N_("FILE[:W]") },
    { "tile", 0, 0, G_OPTION_ARG_INT, &tile,
      N_("Process in tiles of N pixels a side (0: only when the image does not fit the memory budget)"), N_("N") },
    { "memory-budget", 0, 0, G_OPTION_ARG_INT, &budget_mib,
      N_("The most device memory to use, in MiB (default: AdaIN 1024, or half the device's when less; "
         "Gatys half the device's)"), N_("MIB") },
    { "device", 'd', 0, G_OPTION_ARG_INT, &device,
      N_("OpenCL device number (see --list-devices; default: $NEURAL_STYLE_DEVICE, else the first device that works, GPUs first)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output_path,
      N_("Where to write the result: PNG (with the photo’s transparency, if it has any), or raw float32 PFM when the name ends in .pfm"), N_("OUT") },
    { "content-weight", 0, 0, G_OPTION_ARG_DOUBLE, &gatys.content_weight,
      N_("Gatys: weight of the content loss (default 1)"), N_("A") },
    { "style-weight", 0, 0, G_OPTION_ARG_DOUBLE, &gatys.style_weight,
      N_("Gatys: weight of the style loss"), N_("B") },
    { "tv-weight", 0, 0, G_OPTION_ARG_DOUBLE, &gatys.tv_weight,
      N_("Gatys: weight of the total-variation (smoothness) loss"), N_("T") },
    { "init", 0, 0, G_OPTION_ARG_FILENAME, &gatys.init,
      N_("Gatys: start from the content (default), noise, or an image file"), N_("content|noise|FILE") },
    { "optimizer", 0, 0, G_OPTION_ARG_STRING, &gatys.optimizer,
      N_("Gatys: lbfgs (default) or adam"), N_("NAME") },
    { "learning-rate", 0, 0, G_OPTION_ARG_DOUBLE, &gatys.learning_rate,
      N_("Gatys with Adam: the step size (default 0.01)"), N_("R") },
    { "scales", 0, 0, G_OPTION_ARG_INT, &gatys.scales,
      N_("Gatys: coarse to fine over N sizes, each twice the last (default 0: as many as keep the first at most 512 pixels)"),
      N_("N") },
    { "list-devices", 0, 0, G_OPTION_ARG_NONE, &show_devices, N_("List the OpenCL devices and exit"), NULL },
    { "list-styles", 0, 0, G_OPTION_ARG_NONE, &show_styles,
      N_("List the bundled paintings (the names --style takes, their titles and artists) and exit"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Say which device ran and how long it took"), NULL },
    { "prepare", 0, 0, G_OPTION_ARG_NONE, &prepare,
      N_("Compile the OpenCL kernels now for this user and device (they are otherwise compiled on first use), and exit"),
      NULL },
    { "system", 0, 0, G_OPTION_ARG_NONE, &prepare_system,
      N_("With --prepare: for every OpenCL device, into the system-wide cache every user reads (the folder DIR, "
         "by default the installed one; run as root)"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, N_("CONTENT") },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new (_("— restyle a photo after a painting"));
  g_option_group_add_entries (shared, entries);
  g_option_context_set_main_group (options, shared);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error) || !ns_cli_check_device (&device, &error))
    return fail (EXIT_USAGE, error);

  if (show_devices)
    return list_devices ();
  if (show_styles)
    return list_styles ();
  if (prepare || prepare_system)
    {
      if (!prepare || (rest != NULL && (!prepare_system || g_strv_length (rest) > 1)))
        return usage_error (_("--prepare takes no other argument, and --prepare --system at most a folder."));
      return ns_cli_prepare (device, prepare_system, rest != NULL ? rest[0] : NULL);
    }
  if (style_specs == NULL || output_path == NULL || rest == NULL || g_strv_length (rest) != 1)
    {
      g_printerr ("neural-style: %s\n", _("Give one content image, a style (--style) and an output file (-o)."));
      g_printerr ("%s", g_option_context_get_help (options, TRUE, NULL));
      return EXIT_USAGE;
    }
  gboolean use_gatys = settings.method == NS_METHOD_GATYS;
  if (gatys.optimizer != NULL && strcmp (gatys.optimizer, "lbfgs") != 0 && strcmp (gatys.optimizer, "adam") != 0)
    {
      g_printerr ("neural-style: ");
      g_printerr (_("--optimizer is “%s”; it must be lbfgs or adam.\n"), gatys.optimizer);
      return EXIT_USAGE;
    }
  if (!(gatys.content_weight >= 0) || !(gatys.style_weight >= 0) || !(gatys.tv_weight >= 0)
      || !(gatys.learning_rate >= 0) || gatys.scales < 0)
    return usage_error (_("--content-weight, --style-weight, --tv-weight, --learning-rate and --scales must not be negative."));

  NsAdainOptions adain;
  ns_adain_options_init (&adain);
  adain.colour = ns_settings_colour (&settings);
  if (tile < 0 || budget_mib < 0)
    return usage_error (_("--tile and --memory-budget must not be negative."));
  if ((mask_path == NULL) != (outside_specs == NULL))
    return usage_error (_("--mask and --outside-style go together."));

  /* Ctrl+C is watched from here on; the output is checked before any work. */
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (NsCliInterrupt) interrupt = ns_cli_interrupt_new (cancellable);
  int output_status = ns_cli_output_check (interrupt, output_path);
  if (output_status != 0)
    return output_status;
  g_autoptr (NsImage) content = ns_image_load_with_alpha (rest[0], &error);
  if (content == NULL)
    return fail (EXIT_RUN_FAILED, error);
  g_autoptr (GPtrArray) images = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_image_free);
  g_autoptr (GArray) styles = load_styles (style_specs, images, &error);
  g_autoptr (GArray) outside = styles != NULL && outside_specs != NULL ? load_styles (outside_specs, images, &error) : NULL;
  if (styles == NULL || (outside_specs != NULL && outside == NULL))
    return fail (error->domain == G_OPTION_ERROR ? EXIT_USAGE : EXIT_RUN_FAILED, error);
  g_autoptr (NsImage) mask = mask_path != NULL ? ns_image_load (mask_path, &error) : NULL;
  if (mask_path != NULL && mask == NULL)
    return fail (EXIT_RUN_FAILED, error);

  /* The style controls, the same for both methods. */
  adain.style_size = settings.style_size;
  adain.styles = (const NsWeightedStyle *) styles->data;
  adain.n_styles = styles->len;
  adain.mask = mask;
  adain.outside_styles = outside != NULL ? (const NsWeightedStyle *) outside->data : NULL;
  adain.n_outside_styles = outside != NULL ? outside->len : 0;
  adain.tile_size = tile;
  adain.memory_budget = (gsize) budget_mib << 20;
  if (use_gatys)
    return run_gatys (&gatys, &settings, content, &adain, device, output_path, verbose, interrupt, cancellable);

  gint64 start = g_get_monotonic_time ();
  NsEngineOptions engine_options = { .device_index = device, .progress = verbose ? ns_cli_print_kernel_progress : NULL };
  g_autoptr (NsEngine) engine = ns_engine_new_with_options (&engine_options, &error);
  if (engine == NULL)
    return fail (EXIT_RUN_FAILED, error);
  say_device_note (ns_engine_get_device_note (engine));
  gint64 ready = g_get_monotonic_time ();
  adain.alpha = settings.alpha;
  int tenths = 0;
  adain.progress = verbose ? print_fraction : NULL;
  adain.progress_data = &tenths;
  g_autoptr (NsImage) result = ns_engine_stylise_with_options (engine, content, &adain, cancellable, &error);
  if (result == NULL && g_cancellable_is_cancelled (cancellable))   /* AdaIN has no image before its end */
    return interrupted (error, NULL);
  if (result == NULL || !ns_cli_output_write (interrupt, result, content, output_path, &error))
    return fail (EXIT_RUN_FAILED, error);
  if (verbose)
    g_printerr (_("%s: set-up %.2f s, style transfer %.2f s, peak device memory %.1f MiB\n"),
                ns_engine_get_device (engine)->name, (ready - start) / 1e6,
                (g_get_monotonic_time () - ready) / 1e6, ns_engine_get_peak_memory (engine) / 1048576.0);
  return EXIT_SUCCESS;
}
