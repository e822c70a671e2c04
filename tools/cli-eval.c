/* neural-style eval --contents DIR --styles DIR --out DIR [--size N] [--alphas LIST]
 *                   [--style-weights LIST] [--iterations N] [--resume] [--no-images] [--device N]
 *
 * Runs every content (the image files of --contents, sorted by name) with
 * every style (likewise) through AdaIN at each alpha and Gatys at each style
 * weight (the same iteration budget, the default content weight, from the
 * content), and measures each result:
 *
 *   E                 effectiveness against the style as used (ns_metrics_effectiveness,
 *                     128 projections, seed 0; higher: closer to the style)
 *   C                 coherence: SSIM with the content as used (ns_metrics_ssim)
 *   content_loss      Gatys's Lc and
 *   gram_style_loss   Gatys's Ls (ns_gatys_objective, unweighted: both weights 1)
 *   adain_style_loss  Huang & Belongie's mean/std style loss (ns_metrics_mean_std_style_loss)
 *   seconds           wall time of the stylisation alone (not loading, resizing or measuring)
 *   peak_mib          peak device memory of the stylisation, MiB (see the comment on mib () below)
 *   L8                the share of the result's luminance power on an 8-pixel lattice (ns_lattice_energy)
 *   L8_ratio          L8 over the content's (as used): how many times the photo's lattice the result has
 *
 * Images as used: the content resized so that its longer side is --size
 * pixels (default 256), each style so that its shorter side is --size.  The
 * result is measured as saved, clamped to [0, 1].  Each engine object is
 * made once for the whole run from one runtime (one device context, VGG-19
 * loaded once: an NsAdain, an NsGatys and an NsMetrics share it) and
 * each style's Gram targets and its side of E and adain_style_loss are
 * computed once.  Before the first timed run an untimed warm-up runs each
 * method once, so that no result's time holds the one-off compilation of
 * GEMM kernels for new sizes.
 *
 * Writes, into --out: results.csv (one row per result, flushed as each ends,
 * so a long run can be watched; --resume keeps the rows already there and
 * runs only the missing ones), images/<content>__<style>__<method>-<setting>.png
 * (unless --no-images), summary.md (per method and setting, the mean and
 * standard deviation of each measure, the median L8 ratio) and ec.png (an
 * E-C scatter plot after Yeh et al., with the L8 ratios in a strip below).
 * Progress goes to stderr.  Exit status 1 when the run fails, 2 for a wrong
 * command line. */
#include "cli-eval.h"

#include "cli-image-list.h"
#include "eval-plot.h"
#include "eval-results.h"

#include "neural-style.h"
#include "cli-options.h"
#include "ns-i18n.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { EXIT_RUN_FAILED = 1, EXIT_USAGE = 2 };

#define DEFAULT_SIZE 256
#define DEFAULT_ITERATIONS 100

/* ---- inputs ---- */

typedef NsCliImageFile Input;

/* The image files of `dir`, sorted by name, with names results.csv can hold. */
static GPtrArray *
list_images (const char *dir, GError **error)
{
  g_autoptr (GPtrArray) inputs = ns_cli_list_images (dir, error);
  if (inputs == NULL)
    return NULL;
  for (guint i = 0; i < inputs->len; i++)
    {
      const Input *input = inputs->pdata[i];
      g_autofree char *name = g_path_get_basename (input->path);
      if (strpbrk (name, ",\"\n\r") != NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                       _("The file name “%s” holds a comma, a quote or a line break, which results.csv cannot "
                         "hold; rename the file."), name);
          return NULL;
        }
      if (i > 0 && strcmp (((Input *) inputs->pdata[i - 1])->name, input->name) == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       _("Two images in %s are named “%s”; rename one (the results name images without their "
                         "extensions)."), dir, input->name);
          return NULL;
        }
    }
  return g_steal_pointer (&inputs);
}

/* "0.25,0.5" into numbers, each in [lo, hi] (lo excluded when lo_open);
 * an empty list is allowed (that method does not run). */
static GArray *
parse_list (const char *option, const char *text, double lo, gboolean lo_open, double hi, GError **error)
{
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  for (gsize i = 0; parts[i] != NULL; i++)
    {
      char *item = g_strstrip (parts[i]), *end = NULL;
      if (*item == '\0' && parts[1] == NULL)
        break;
      double v = g_ascii_strtod (item, &end);
      if (*item == '\0' || *end != '\0' || !isfinite (v) || v < lo || (lo_open && v == lo) || v > hi)
        {
          if (isinf (hi))
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("%s: “%s” is not a positive number."), option, item);
          else
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("%s: “%s” is not a number from %g to %g."), option, item, lo, hi);
          return NULL;
        }
      for (guint j = 0; j < values->len; j++)
        if (g_array_index (values, double, j) == v)
          {
            g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                         _("%s: “%s” appears twice."), option, item);
            return NULL;
          }
      g_array_append_val (values, v);
    }
  return g_steal_pointer (&values);
}

/* A setting as results.csv and the file names spell it: "0.25", "3000". */
static char *
format_setting (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", v));
}

/* ---- the runs ---- */

typedef struct {
  NsRuntime *runtime;
  NsAdain *engine;
  NsGatys *gatys;
  NsMetrics *metrics;
  NsGatysStyle **targets;     /* per style, made when first needed */
  NsMetricsStyle **measured;  /* per style, for E and adain_style_loss; made when first needed */
  NsImage **styles;           /* per style, as used; loaded when first needed */
  GPtrArray *style_inputs;
  int size;
} Eval;

static const NsImage *
style_as_used (Eval *ev, guint s, GError **error)
{
  if (ev->styles[s] == NULL)
    {
      const Input *input = ev->style_inputs->pdata[s];
      g_autoptr (NsImage) image = ns_image_load (input->path, error);
      if (image == NULL)
        return NULL;
      ev->styles[s] = ns_image_resize_short_side (image, ev->size);
    }
  return ev->styles[s];
}

static const NsGatysStyle *
style_targets (Eval *ev, guint s, GError **error)
{
  const NsImage *style = style_as_used (ev, s, error);
  if (style != NULL && ev->targets[s] == NULL)
    ev->targets[s] = ns_gatys_style_new (ev->gatys, style, NULL, error);
  return style != NULL ? ev->targets[s] : NULL;
}

static const NsMetricsStyle *
style_statistics (Eval *ev, guint s, GError **error)
{
  const NsImage *style = style_as_used (ev, s, error);
  if (style != NULL && ev->measured[s] == NULL)
    ev->measured[s] = ns_metrics_style_new (ev->metrics, style, error);
  return style != NULL ? ev->measured[s] : NULL;
}

/* The content resized so its longer side is `size` pixels. */
static NsImage *
content_as_used (const Input *input, int size, GError **error)
{
  g_autoptr (NsImage) image = ns_image_load (input->path, error);
  if (image == NULL)
    return NULL;
  int longer = MAX (image->width, image->height);
  int w = MAX (1, (int) lround ((double) image->width * size / longer));
  int h = MAX (1, (int) lround ((double) image->height * size / longer));
  if (w < NS_GATYS_MIN_IMAGE_SIDE || h < NS_GATYS_MIN_IMAGE_SIDE)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL,
                   _("At --size %d the content %s is %d × %d pixels; the evaluation needs at least %d on each "
                     "side."), size, input->path, w, h, NS_GATYS_MIN_IMAGE_SIDE);
      return NULL;
    }
  return w == image->width && h == image->height ? g_steal_pointer (&image) : ns_image_resize (image, w, h);
}

static NsImage *
clamped (const NsImage *image)
{
  NsImage *out = ns_image_copy (image);
  gsize n = (gsize) out->width * out->height * out->channels;
  for (gsize i = 0; i < n; i++)
    out->data[i] = isnan (out->data[i]) ? 0.0f : CLAMP (out->data[i], 0.0f, 1.0f);
  return out;
}

/* Every measure but the time and memory, of the result as saved (clamped). */
static gboolean
measure (Eval *ev, const NsImage *raw, const NsImage *content, guint s, EvalRow *row, GError **error)
{
  g_autoptr (NsImage) result = clamped (raw);
  const NsGatysStyle *targets = style_targets (ev, s, error);
  const NsMetricsStyle *statistics = targets != NULL ? style_statistics (ev, s, error) : NULL;
  NsGatysLosses losses = { 0 };
  double content_l8 = 0;
  if (statistics == NULL || !ns_metrics_ssim (result, content, &row->values[EVAL_C], error)
      || !ns_metrics_style_measures_prepared (ev->metrics, result, statistics, NS_METRICS_DEFAULT_TRIALS, 0,
                                              &row->values[EVAL_E], &row->values[EVAL_ADAIN_STYLE_LOSS], error)
      || !ns_gatys_objective (ev->gatys, result, content, targets, 1.0, 1.0, 0.0, &losses, NULL, error)
      || !ns_lattice_energy (result, &row->values[EVAL_L8], error) || !ns_lattice_energy (content, &content_l8, error))
    return FALSE;
  row->values[EVAL_CONTENT_LOSS] = losses.content;
  row->values[EVAL_GRAM_STYLE_LOSS] = losses.style;
  row->values[EVAL_L8_RATIO] = ns_lattice_ratio (row->values[EVAL_L8], content_l8);
  return TRUE;
}

static gboolean
save_result (const char *images_dir, const EvalRow *row, const NsImage *result, GError **error)
{
  if (images_dir == NULL)
    return TRUE;
  g_autofree char *name = g_strdup_printf ("%s__%s__%s-%s.png", row->content, row->style, row->method, row->setting);
  g_autofree char *path = g_build_filename (images_dir, name, NULL);
  return ns_image_save_png (result, path, error);
}

/* An untimed AdaIN run and a short Gatys run at the evaluation's size, so
 * that the first timed result does not pay for compiling kernels. */
static gboolean
warm_up (Eval *ev, const NsImage *content, guint s, GError **error)
{
  const NsImage *style = style_as_used (ev, s, error);
  const NsGatysStyle *targets = style != NULL ? style_targets (ev, s, error) : NULL;
  if (targets == NULL)
    return FALSE;
  NsWeightedStyle weighted;
  NsAdainOptions adain;
  ns_adain_options_init_single (&adain, &weighted, style, 0);
  g_autoptr (NsImage) a = ns_adain_stylise_with_options (ev->engine, content, &adain, NULL, error);
  if (a == NULL)
    return FALSE;
  NsGatysOptions gatys;
  ns_gatys_options_init (&gatys);
  gatys.iterations = 2;
  g_autoptr (NsImage) g = ns_gatys_run (ev->gatys, content, targets, &gatys, NULL, NULL, NULL, error);
  return g != NULL;
}

/* peak_mib: the most device memory held at once by the runtime's OpenCL
 * context (every buffer of AdaIN, Gatys and the metrics, which share it:
 * the network weights, the style targets, the activations, scratch) during
 * the stylisation, in MiB of 2^20 bytes.  AdaIN: the peak is reset before
 * the preparation (content and style encoded once per pair) and before each
 * alpha's render, and a row reports the larger of the two, i.e. what one
 * ns_adain_stylise() at that size needs.  Gatys: reset before each run. */
static double
mib (gsize bytes)
{
  return bytes / 1048576.0;
}

int
ns_cli_eval (int argc, char **argv)
{
  g_autofree char *contents_dir = NULL, *styles_dir = NULL, *out_dir = NULL, *alphas_text = NULL,
                  *weights_text = NULL;
  int size = DEFAULT_SIZE, iterations = DEFAULT_ITERATIONS, device = NS_CLI_DEVICE_UNSET;
  gboolean resume = FALSE, no_images = FALSE;
  NsGatysOptions defaults;
  ns_gatys_options_init (&defaults);
  GOptionEntry entries[] = {
    { "contents", 0, 0, G_OPTION_ARG_FILENAME, &contents_dir, N_("The folder of content images (photographs)"), N_("DIR") },
    { "styles", 0, 0, G_OPTION_ARG_FILENAME, &styles_dir, N_("The folder of style images (paintings)"), N_("DIR") },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, N_("The folder for results.csv, summary.md, ec.png and images/"), N_("DIR") },
    { "size", 0, 0, G_OPTION_ARG_INT, &size,
      N_("The content's longer side and the style's shorter side, in pixels (default 256)"), N_("N") },
    { "alphas", 0, 0, G_OPTION_ARG_STRING, &alphas_text,
      N_("AdaIN style strengths, comma-separated (default 0.25,0.5,0.75,1; empty: no AdaIN)"), N_("LIST") },
    { "style-weights", 0, 0, G_OPTION_ARG_STRING, &weights_text,
      N_("Gatys style weights, comma-separated (default the default weight /10, x1 and x10; empty: no Gatys)"),
      N_("LIST") },
    { "iterations", 0, 0, G_OPTION_ARG_INT, &iterations, N_("Gatys iterations per result (default 100)"), N_("N") },
    { "resume", 0, 0, G_OPTION_ARG_NONE, &resume, N_("Continue an evaluation in --out: run only the missing results"), NULL },
    { "no-images", 0, 0, G_OPTION_ARG_NONE, &no_images, N_("Do not save the result images"), NULL },
    { "device", 'd', 0, G_OPTION_ARG_INT, &device, N_("OpenCL device number (see --list-devices)"), N_("N") },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new (_("— evaluate AdaIN and Gatys on every content and style"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error) || !ns_cli_check_device (&device, &error))
    {
      g_printerr ("neural-style eval: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc > 1)
    {
      g_printerr ("neural-style eval: %s\n", _("Give no image arguments: the images come from --contents and --styles."));
      return EXIT_USAGE;
    }
  if (contents_dir == NULL || styles_dir == NULL || out_dir == NULL)
    {
      g_printerr ("neural-style eval: %s\n", _("Give --contents, --styles and --out."));
      return EXIT_USAGE;
    }
  if (size < NS_GATYS_MIN_IMAGE_SIDE || size > NS_MAX_IMAGE_SIDE)
    {
      g_printerr ("neural-style eval: ");
      g_printerr (_("--size must be from %d to %d."), NS_GATYS_MIN_IMAGE_SIDE, NS_MAX_IMAGE_SIDE);
      g_printerr ("\n");
      return EXIT_USAGE;
    }
  if (iterations < 1)
    {
      g_printerr ("neural-style eval: %s\n", _("--iterations must be at least 1."));
      return EXIT_USAGE;
    }
  g_autofree char *default_weights = NULL;
  if (weights_text == NULL)
    {
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE], c[G_ASCII_DTOSTR_BUF_SIZE];
      default_weights = g_strjoin (",", g_ascii_formatd (a, sizeof a, "%g", defaults.style_weight / 10),
                                   g_ascii_formatd (b, sizeof b, "%g", defaults.style_weight),
                                   g_ascii_formatd (c, sizeof c, "%g", defaults.style_weight * 10), NULL);
    }
  g_autoptr (GArray) alphas = parse_list ("--alphas", alphas_text != NULL ? alphas_text : "0.25,0.5,0.75,1", 0, FALSE,
                                          1, &error);
  g_autoptr (GArray) weights = alphas != NULL ? parse_list ("--style-weights", weights_text != NULL ? weights_text
                                                                                                    : default_weights,
                                                            0, TRUE, INFINITY, &error)
                                              : NULL;
  if (weights == NULL)
    {
      g_printerr ("neural-style eval: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (alphas->len + weights->len == 0)
    {
      g_printerr ("neural-style eval: %s\n", _("Give at least one alpha or style weight."));
      return EXIT_USAGE;
    }
  g_autoptr (GPtrArray) contents = list_images (contents_dir, &error);
  g_autoptr (GPtrArray) style_inputs = contents != NULL ? list_images (styles_dir, &error) : NULL;
  if (style_inputs == NULL)
    {
      g_printerr ("neural-style eval: %s\n", error->message);
      return EXIT_USAGE;
    }

  /* The output folder and what it already holds. */
  g_autofree char *images_dir = no_images ? NULL : g_build_filename (out_dir, "images", NULL);
  g_autofree char *csv_path = g_build_filename (out_dir, "results.csv", NULL);
  g_autofree char *summary_path = g_build_filename (out_dir, "summary.md", NULL);
  g_autofree char *plot_path = g_build_filename (out_dir, "ec.png", NULL);
  if (g_mkdir_with_parents (images_dir != NULL ? images_dir : out_dir, 0755) != 0)
    {
      int saved = errno;
      g_printerr ("neural-style eval: ");
      g_printerr (_("Could not make the folder %s: %s."), images_dir != NULL ? images_dir : out_dir,
                  g_strerror (saved));
      g_printerr ("\n");
      return EXIT_RUN_FAILED;
    }
  gboolean have_csv = g_file_test (csv_path, G_FILE_TEST_EXISTS);
  if (have_csv && !resume)
    {
      g_printerr ("neural-style eval: ");
      g_printerr (_("%s already holds results.csv: pass --resume to continue that evaluation, or choose another "
                    "folder."), out_dir);
      g_printerr ("\n");
      return EXIT_USAGE;
    }
  g_autoptr (GPtrArray) rows = have_csv ? eval_read_results (csv_path, &error)
                                        : g_ptr_array_new_with_free_func (eval_row_free);
  if (rows == NULL)
    {
      g_printerr ("neural-style eval: %s\n", error->message);
      return EXIT_RUN_FAILED;
    }
  g_autoptr (GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      const EvalRow *row = rows->pdata[i];
      g_hash_table_add (done, eval_row_key (row->content, row->style, row->method, row->setting));
    }
  if (!have_csv && !g_file_set_contents (csv_path, NS_EVAL_CSV_HEADER "\n", -1, &error))
    {
      g_printerr ("neural-style eval: %s\n", error->message);
      return EXIT_RUN_FAILED;
    }

  /* What to run: each content x style, AdaIN's alphas then Gatys's weights. */
  const guint n_settings = alphas->len + weights->len;
  const guint total = contents->len * style_inputs->len * n_settings;
  g_auto (GStrv) owned_settings = g_new0 (char *, n_settings + 1);
  for (guint k = 0; k < n_settings; k++)
    owned_settings[k] = format_setting (k < alphas->len ? g_array_index (alphas, double, k)
                                                        : g_array_index (weights, double, k - alphas->len));
#define METHOD(k) ((k) < alphas->len ? "adain" : "gatys")
  guint pending = 0;
  for (guint c = 0; c < contents->len; c++)
    for (guint s = 0; s < style_inputs->len; s++)
      for (guint k = 0; k < n_settings; k++)
        {
          g_autofree char *key = eval_row_key (((Input *) contents->pdata[c])->name, ((Input *) style_inputs->pdata[s])->name,
                                          METHOD (k), owned_settings[k]);
          pending += !g_hash_table_contains (done, key);
        }
  g_printerr (_("neural-style eval: %u contents × %u styles × %u settings: %u results, %u to run.\n"),
              contents->len, style_inputs->len, n_settings, total, pending);

  Eval ev = { 0 };
  ev.style_inputs = style_inputs;
  ev.size = size;
  ev.targets = g_new0 (NsGatysStyle *, style_inputs->len);
  ev.measured = g_new0 (NsMetricsStyle *, style_inputs->len);
  ev.styles = g_new0 (NsImage *, style_inputs->len);
  int status = EXIT_SUCCESS;
  FILE *csv = NULL;
  if (pending > 0)
    {
      gint64 start = g_get_monotonic_time ();
      if ((ev.runtime = ns_cli_runtime_new (device, NULL, &error)) == NULL
          || (ev.engine = ns_adain_new (ev.runtime, &error)) == NULL
          || (ev.gatys = ns_gatys_new (ev.runtime, &error)) == NULL
          || (ev.metrics = ns_metrics_new (ev.runtime, &error)) == NULL)
        goto failed;
      g_printerr (_("neural-style eval: %s ready in %.1f s; warming up (untimed)…\n"),
                  ns_runtime_get_device (ev.runtime)->name, (g_get_monotonic_time () - start) / 1e6);
      if ((csv = g_fopen (csv_path, "a")) == NULL)
        {
          int saved = errno;
          g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write %s: %s."), csv_path,
                       g_strerror (saved));
          goto failed;
        }
    }
  gboolean warm = FALSE;
  guint index = 0;
  for (guint c = 0; c < contents->len && pending > 0; c++)
    {
      const Input *cin = contents->pdata[c];
      g_autoptr (NsImage) content = NULL;
      for (guint s = 0; s < style_inputs->len; s++)
        {
          const Input *sin = style_inputs->pdata[s];
          g_autoptr (NsAdainPrepared) prepared = NULL;
          double prepare_seconds = 0;
          gsize prepare_peak = 0;
          for (guint k = 0; k < n_settings; k++, index++)
            {
              const char *method = METHOD (k);
              g_autofree char *key = eval_row_key (cin->name, sin->name, method, owned_settings[k]);
              if (g_hash_table_contains (done, key))
                continue;
              if (content == NULL && (content = content_as_used (cin, size, &error)) == NULL)
                goto failed;
              const NsImage *style = style_as_used (&ev, s, &error);
              if (style == NULL)
                goto failed;
              if (!warm)
                {
                  if (!warm_up (&ev, content, s, &error))
                    goto failed;
                  warm = TRUE;
                }
              g_printerr (_("[%u/%u] %s × %s, %s %s…\n"), index + 1, total, cin->name, sin->name, method,
                          owned_settings[k]);
              g_autoptr (NsImage) result = NULL;
              EvalRow row = { cin->name, sin->name, (char *) method, owned_settings[k], { 0 } };
              gint64 t0;
              if (k < alphas->len)
                {
                  if (prepared == NULL)
                    {
                      NsWeightedStyle weighted;
                      NsAdainOptions adain;
                      ns_adain_options_init_single (&adain, &weighted, style, 0);   /* already resized */
                      ns_runtime_reset_peak_memory (ev.runtime);
                      t0 = g_get_monotonic_time ();
                      if ((prepared = ns_adain_prepared_new_with_options (ev.engine, content, &adain, NULL, &error))
                          == NULL)
                        goto failed;
                      prepare_seconds = (g_get_monotonic_time () - t0) / 1e6;
                      prepare_peak = ns_runtime_get_peak_memory (ev.runtime);
                    }
                  ns_runtime_reset_peak_memory (ev.runtime);
                  t0 = g_get_monotonic_time ();
                  result = ns_adain_prepared_render (prepared, g_array_index (alphas, double, k), NULL, &error);
                  /* A row's time is what the result costs alone: the pair's encoding plus this decode. */
                  row.values[EVAL_SECONDS] = prepare_seconds + (g_get_monotonic_time () - t0) / 1e6;
                  row.values[EVAL_PEAK_MIB] = mib (MAX (prepare_peak, ns_runtime_get_peak_memory (ev.runtime)));
                }
              else
                {
                  const NsGatysStyle *targets = style_targets (&ev, s, &error);
                  if (targets == NULL)
                    goto failed;
                  g_clear_pointer (&prepared, ns_adain_prepared_free);
                  NsGatysOptions gatys = defaults;
                  gatys.iterations = iterations;
                  gatys.style_weight = g_array_index (weights, double, k - alphas->len);
                  ns_runtime_reset_peak_memory (ev.runtime);
                  t0 = g_get_monotonic_time ();
                  result = ns_gatys_run (ev.gatys, content, targets, &gatys, NULL, NULL, NULL, &error);
                  row.values[EVAL_SECONDS] = (g_get_monotonic_time () - t0) / 1e6;
                  row.values[EVAL_PEAK_MIB] = mib (ns_runtime_get_peak_memory (ev.runtime));
                }
              if (result == NULL || !measure (&ev, result, content, s, &row, &error)
                  || !save_result (images_dir, &row, result, &error) || !eval_append_row (csv, csv_path, &row, &error))
                goto failed;
              g_printerr (_("[%u/%u] %s × %s, %s %s: E %.3f, C %.3f, L8 %.3g times the photo's, %.2f s, %.0f MiB\n"),
                          index + 1, total, cin->name, sin->name, method, owned_settings[k], row.values[EVAL_E],
                          row.values[EVAL_C], row.values[EVAL_L8_RATIO], row.values[EVAL_SECONDS],
                          row.values[EVAL_PEAK_MIB]);
              EvalRow *kept = g_memdup2 (&row, sizeof row);
              kept->content = g_strdup (row.content);
              kept->style = g_strdup (row.style);
              kept->method = g_strdup (row.method);
              kept->setting = g_strdup (row.setting);
              g_ptr_array_add (rows, kept);
            }
        }
    }
#undef METHOD
  {
    g_autoptr (GArray) groups = eval_group_rows (rows);
    if (!eval_write_summary (summary_path, rows, groups, &error) || !eval_draw_ec_plot (plot_path, rows, groups, &error))
      goto failed;
  }
  g_printerr (_("neural-style eval: wrote %s, %s and %s.\n"), csv_path, summary_path, plot_path);
  goto done;

failed:
  g_printerr ("neural-style eval: %s\n", error->message);
  status = EXIT_RUN_FAILED;
done:
  if (csv != NULL)
    fclose (csv);
  for (guint s = 0; s < style_inputs->len; s++)
    {
      ns_gatys_style_free (ev.targets[s]);
      ns_metrics_style_free (ev.measured[s]);
      ns_image_free (ev.styles[s]);
    }
  g_free (ev.targets);
  g_free (ev.measured);
  g_free (ev.styles);
  ns_metrics_free (ev.metrics);
  ns_gatys_free (ev.gatys);
  ns_adain_free (ev.engine);
  ns_runtime_free (ev.runtime);
  return status;
}
