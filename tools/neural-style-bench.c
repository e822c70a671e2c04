/* neural-style-bench: per OpenCL device, image size and method (AdaIN, and
 * one Gatys iteration: the objective and its gradient at the pixels, the
 * forward pass to relu5_1 and the backward pass, as torch_baseline.py's
 * "Gatys step"), prints a Markdown table of
 *
 * - the cold first image: opening the device, loading the weights, building
 *   the kernels with an empty program cache (ours and CLBlast's; the
 *   driver's own cache, PoCL's or NVIDIA's, is not ours to empty) and the
 *   first run;
 * - the first image with a warm program cache (the same, kernels cached);
 * - the warm median of R runs and the peak device memory;
 * - for AdaIN, the live preview's step (ns_adain_prepared_render: the blend
 *   and the decoder alone, as when the alpha slider moves).
 *
 * With --compare-conv each device runs once per convolution algorithm
 * (--conv LIST: those), for ratios from one run.
 *
 * With --serve it opens one device once and times warm AdaIN runs on
 * request, for a baseline timed in the same run (tools/onnx-baseline.py):
 * each line of standard input is an image side, each answer a line with the
 * milliseconds of one AdaIN at that side ("SIDE preview": of the preview's
 * render, the blend and the decoder, on a pair prepared once; "SIDE gatys":
 * of one Gatys iteration, the style's targets and the step made on the
 * side's first such line).
 *
 *   neural-style-bench [--device N] [--sizes 256,512,1024] [--methods adain,gatys] [--reps R]
 *                      [--compare-conv | --conv direct,by-width]
 *   neural-style-bench --serve [--device N] */
#include "neural-style.h"
#include "ns-cl-blas.h"
#include "ns-cl-context.h"
#include "ns-gatys-private.h"
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static NsImage *
random_image (GRand *rand, int side)
{
  NsImage *image = ns_image_new (side, side, 3);
  for (gsize i = 0; i < (gsize) side * side * 3; i++)
    image->data[i] = (float) g_rand_double (rand);
  return image;
}

/* A fresh, empty program cache for this process (its folder's name); removed
 * with its files. */
typedef char EmptyCache;

static EmptyCache *
empty_cache_new (GError **error)
{
  char *cache = g_dir_make_tmp ("ns-bench-cache-XXXXXX", error);
  if (cache != NULL)
    g_setenv ("NEURAL_STYLE_CACHE_DIR", cache, TRUE);
  ns_cl_blas_clear_cache ();
  return cache;
}

static void
empty_cache_free (EmptyCache *cache)
{
  g_unsetenv ("NEURAL_STYLE_CACHE_DIR");
  g_autoptr (GDir) dir = g_dir_open (cache, 0, NULL);
  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *path = g_build_filename (cache, name, NULL);
      g_remove (path);
    }
  g_rmdir (cache);
  g_free (cache);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EmptyCache, empty_cache_free)

typedef struct {
  double cold_s;        /* first image, empty program cache */
  double cached_s;      /* first image, warm program cache */
  double median_ms;     /* warm median */
  double preview_ms;    /* AdaIN: preview render median; < 0: none */
  double peak_mib;
  gboolean cache_used;  /* the second start did load cached kernels */
} BenchRow;

/* The one run each method times, on an open model of that method. */
typedef struct {
  gpointer (*open) (int device, GError **error);
  void (*close) (gpointer model);
  gboolean (*run) (gpointer model, const NsImage *content, const NsImage *style, GError **error);
  double (*peak_mib) (gpointer model);
  gboolean (*cached) (gpointer model);
} BenchMethod;

/* --- AdaIN: one ns_adain_stylise ------------------------------------ */

/* Each model has a runtime of its own, since the cold start is what is
 * measured; the environment's options count (NEURAL_STYLE_CONV, which
 * --conv sets). */
typedef struct {
  NsRuntime *runtime;
  NsAdain *adain;
} AdainModel;

static void
adain_close (gpointer data)
{
  AdainModel *model = data;
  ns_adain_free (model->adain);
  ns_runtime_free (model->runtime);
  g_free (model);
}

static gpointer
adain_open (int device, GError **error)
{
  AdainModel *model = g_new0 (AdainModel, 1);
  if ((model->runtime = ns_runtime_new_from_environment (device, error)) == NULL
      || (model->adain = ns_adain_new (model->runtime, error)) == NULL)
    {
      adain_close (model);
      return NULL;
    }
  return model;
}

static gboolean
adain_run (gpointer model, const NsImage *content, const NsImage *style, GError **error)
{
  g_autoptr (NsImage) out = ns_adain_stylise (((AdainModel *) model)->adain, content, style, 1.0, 0, NULL, error);
  return out != NULL;
}

static double
adain_peak_mib (gpointer model)
{
  return ns_runtime_get_peak_memory (((AdainModel *) model)->runtime) / 1048576.0;
}

static gboolean
adain_cached (gpointer model)
{
  return ns_runtime_kernels_were_cached (((AdainModel *) model)->runtime);
}

static const BenchMethod adain_method = { adain_open, adain_close, adain_run, adain_peak_mib, adain_cached };

/* --- Gatys: the style's targets once, the content's per size, then one
 * evaluation (objective + gradient, x on the device) per run ------------- */

typedef struct {
  NsRuntime *runtime;
  NsGatys *gatys;
  NsGatysStyle *style;
  const NsImage *style_image;
  NsGatysStep *step;
  const NsImage *content_image;
} GatysModel;

static gpointer
gatys_open (int device, GError **error)
{
  g_autoptr (NsRuntime) runtime = ns_runtime_new_from_environment (device, error);
  NsGatys *gatys = runtime != NULL ? ns_gatys_new (runtime, error) : NULL;
  if (gatys == NULL)
    return NULL;
  GatysModel *model = g_new0 (GatysModel, 1);
  model->runtime = g_steal_pointer (&runtime);
  model->gatys = gatys;
  return model;
}

/* The style's targets and the step, not the NsGatys (--serve shares one
 * among the sides). */
static void
gatys_model_clear (GatysModel *model)
{
  g_clear_pointer (&model->step, ns_gatys_step_free);
  g_clear_pointer (&model->style, ns_gatys_style_free);
}

static void
gatys_close (gpointer data)
{
  GatysModel *model = data;
  gatys_model_clear (model);
  ns_gatys_free (model->gatys);
  ns_runtime_free (model->runtime);
  g_free (model);
}

static gboolean
gatys_run (gpointer data, const NsImage *content, const NsImage *style, GError **error)
{
  GatysModel *model = data;
  if (model->style_image != style)
    {
      g_clear_pointer (&model->step, ns_gatys_step_free);
      g_clear_pointer (&model->style, ns_gatys_style_free);
      if ((model->style = ns_gatys_style_new (model->gatys, style, NULL, error)) == NULL)
        return FALSE;
      model->style_image = style;
    }
  if (model->step == NULL || model->content_image != content)
    {
      NsGatysOptions defaults;
      ns_gatys_options_init (&defaults);
      g_clear_pointer (&model->step, ns_gatys_step_free);
      if ((model->step = ns_gatys_step_new (model->gatys, content, model->style, defaults.content_weight,
                                            defaults.style_weight, defaults.tv_weight, error)) == NULL)
        return FALSE;
      model->content_image = content;
    }
  NsGatysLosses losses;
  return ns_gatys_step_run (model->step, &losses, error);
}

static double
gatys_peak_mib (gpointer data)
{
  return ns_runtime_get_peak_memory (((GatysModel *) data)->runtime) / 1048576.0;
}

static gboolean
gatys_cached (gpointer data)
{
  return ns_runtime_kernels_were_cached (((GatysModel *) data)->runtime);
}

static const BenchMethod gatys_method = { gatys_open, gatys_close, gatys_run, gatys_peak_mib, gatys_cached };

/* Opens the model and runs it once; the seconds that took. */
static gpointer
open_and_run_once (const BenchMethod *method, int device, const NsImage *content, const NsImage *style,
                   double *seconds, GError **error)
{
  gint64 start = g_get_monotonic_time ();
  gpointer model = method->open (device, error);
  if (model == NULL)
    return NULL;
  if (!method->run (model, content, style, error))
    {
      method->close (model);
      return NULL;
    }
  *seconds = seconds_since (start);
  return model;
}

static double
median_ms (double *times, int n)
{
  qsort (times, n, sizeof (double), compare_doubles);
  return times[n / 2] * 1e3;
}

static gboolean
bench_size (const BenchMethod *method, int device, int side, int reps, BenchRow *row, GError **error)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (NsImage) content = random_image (rand, side);
  g_autoptr (NsImage) style = random_image (rand, side);

  g_autoptr (EmptyCache) cache = empty_cache_new (error);
  if (cache == NULL)
    return FALSE;
  gpointer model = open_and_run_once (method, device, content, style, &row->cold_s, error);
  if (model == NULL)
    return FALSE;
  method->close (model);
  if ((model = open_and_run_once (method, device, content, style, &row->cached_s, error)) == NULL)
    return FALSE;
  row->cache_used = method->cached (model);

  g_autofree double *times = g_new (double, reps);
  gboolean ok = TRUE;
  for (int r = 0; r < reps && ok; r++)
    {
      gint64 start = g_get_monotonic_time ();
      ok = method->run (model, content, style, error);
      times[r] = seconds_since (start);
    }
  if (ok)
    row->median_ms = median_ms (times, reps);

  row->preview_ms = -1;
  if (ok && method == &adain_method)
    {
      g_autoptr (NsAdainPrepared) prepared = ns_adain_prepared_new (((AdainModel *) model)->adain, content, style, 0,
                                                                    NULL, error);
      ok = prepared != NULL;
      for (int r = 0; r < reps && ok; r++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr (NsImage) out = ns_adain_prepared_render (prepared, (double) (r + 1) / reps, NULL, error);
          times[r] = seconds_since (start);
          ok = out != NULL;
        }
      if (ok)
        row->preview_ms = median_ms (times, reps);
    }
  row->peak_mib = method->peak_mib (model);
  method->close (model);
  return ok;
}

static void
served_gatys_free (GatysModel *model)
{
  gatys_model_clear (model);
  g_free (model);
}

/* One Gatys iteration at `side` for --serve: one NsGatys for every side
 * (opened on the first such request), the style's targets and the step made
 * on each side's first request. */
static gboolean
serve_gatys (NsRuntime *runtime, NsGatys **gatys, GHashTable *models, int side, GPtrArray *pair, GError **error)
{
  if (*gatys == NULL && (*gatys = ns_gatys_new (runtime, error)) == NULL)
    return FALSE;
  GatysModel *model = g_hash_table_lookup (models, GINT_TO_POINTER (side));
  if (model == NULL)
    {
      model = g_new0 (GatysModel, 1);
      model->gatys = *gatys;
      g_hash_table_insert (models, GINT_TO_POINTER (side), model);
    }
  return gatys_run (model, pair->pdata[0], pair->pdata[1], error);
}

/* --serve: one engine, the same random pair per side, one AdaIN (or preview
 * render, or Gatys iteration) per line of standard input; "0" or the end of
 * the input stops. */
static gboolean
serve (int device, GError **error)
{
  g_autoptr (NsRuntime) runtime = ns_runtime_new_from_environment (device, error);
  g_autoptr (NsAdain) engine = runtime != NULL ? ns_adain_new (runtime, error) : NULL;
  if (engine == NULL)
    return FALSE;
  AdainModel model = { runtime, engine };
  g_autoptr (NsGatys) gatys = NULL;
  /* Freed before gatys, whose models they are. */
  g_autoptr (GHashTable) gatys_models = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) served_gatys_free);
  g_autoptr (GHashTable) pairs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GHashTable) prepared = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) ns_adain_prepared_free);
  char line[64];
  while (fgets (line, sizeof line, stdin) != NULL)
    {
      int side = atoi (line);
      if (side <= 0)
        break;
      if (side < NS_MIN_IMAGE_SIDE || side > NS_MAX_IMAGE_SIDE)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "bad size %d", side);
          return FALSE;
        }
      GPtrArray *pair = g_hash_table_lookup (pairs, GINT_TO_POINTER (side));
      if (pair == NULL)
        {
          g_autoptr (GRand) rand = g_rand_new_with_seed (7);
          pair = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_image_free);
          g_ptr_array_add (pair, random_image (rand, side));
          g_ptr_array_add (pair, random_image (rand, side));
          g_hash_table_insert (pairs, GINT_TO_POINTER (side), pair);
        }
      gboolean preview = strstr (line, "preview") != NULL;
      NsAdainPrepared *ready = g_hash_table_lookup (prepared, GINT_TO_POINTER (side));
      if (preview && ready == NULL)
        {
          if ((ready = ns_adain_prepared_new (engine, pair->pdata[0], pair->pdata[1], 0, NULL, error)) == NULL)
            return FALSE;
          g_hash_table_insert (prepared, GINT_TO_POINTER (side), ready);
        }
      gint64 start = g_get_monotonic_time ();
      if (strstr (line, "gatys") != NULL)
        {
          if (!serve_gatys (runtime, &gatys, gatys_models, side, pair, error))
            return FALSE;
          g_print ("%.3f\n", seconds_since (start) * 1e3);
          fflush (stdout);
          continue;
        }
      g_autoptr (NsImage) rendered = preview ? ns_adain_prepared_render (ready, 1.0, NULL, error) : NULL;
      if (preview ? rendered == NULL : !adain_run (&model, pair->pdata[0], pair->pdata[1], error))
        return FALSE;
      g_print ("%.3f\n", seconds_since (start) * 1e3);
      fflush (stdout);
    }
  return TRUE;
}

static gboolean
bench_device (int device, const int *sizes, guint n_sizes, gboolean adain, gboolean gatys, int reps,
              GError **error)
{
  g_autoptr (GPtrArray) devices = ns_cl_list_devices (error);
  if (devices == NULL)
    return FALSE;
  const NsClDeviceInfo *info = devices->pdata[device];
  const char *conv = g_getenv ("NEURAL_STYLE_CONV");
  g_print ("\n### %s (%s, %s, %s), convolution: %s\n\n", info->name, ns_cl_device_type_name (info->type),
           info->platform_name, info->driver_version, conv != NULL ? conv : "the device's default");
  g_print ("| method | size | cold first image (s) | first image, warm cache (s) | warm median (ms) | runs "
           "| preview render median (ms) | peak device memory (MiB) |\n");
  g_print ("|---|---|---|---|---|---|---|---|\n");
  const BenchMethod *methods[] = { adain ? &adain_method : NULL, gatys ? &gatys_method : NULL };
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    for (guint s = 0; methods[m] != NULL && s < n_sizes; s++)
      {
        BenchRow row = { 0 };
        if (!bench_size (methods[m], device, sizes[s], reps, &row, error))
          return FALSE;
        g_autofree char *preview = row.preview_ms >= 0 ? g_strdup_printf ("%.1f", row.preview_ms) : g_strdup ("–");
        g_print ("| %s | %d² | %.3f | %.3f%s | %.1f | %d | %s | %.1f |\n",
                 methods[m] == &adain_method ? "AdaIN" : "Gatys iteration", sizes[s], row.cold_s, row.cached_s,
                 row.cache_used ? "" : " (cache not used!)", row.median_ms, reps, preview, row.peak_mib);
      }
  return TRUE;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  int device = -2, reps = 0;
  gboolean compare_conv = FALSE, serve_mode = FALSE;
  g_autofree char *sizes_text = NULL, *methods_text = NULL, *conv_text = NULL;
  GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_INT, &device, "Only this OpenCL device (default: every device)", "N" },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text, "Image sides, comma-separated (default 256,512,1024)", "LIST" },
    { "methods", 'm', 0, G_OPTION_ARG_STRING, &methods_text, "adain, gatys or adain,gatys (the default)", "LIST" },
    { "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Warm runs per size (default 10 on a GPU, 3 elsewhere)", "R" },
    { "compare-conv", 0, 0, G_OPTION_ARG_NONE, &compare_conv, "Run each device with each convolution algorithm", NULL },
    { "conv", 0, 0, G_OPTION_ARG_STRING, &conv_text, "Run each device with these convolution algorithms, "
      "comma-separated (NEURAL_STYLE_CONV's names)", "LIST" },
    { "serve", 0, 0, G_OPTION_ARG_NONE, &serve_mode, "Time one warm AdaIN per image side read from standard "
      "input, printing milliseconds", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("— time AdaIN and Gatys per device and size");
  g_option_context_add_main_entries (options, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("neural-style-bench: %s\n", error->message);
      return 2;
    }
  if (serve_mode)
    {
      if (serve (device, &error))
        return 0;
      g_printerr ("neural-style-bench: %s\n", error->message);
      return 1;
    }
  g_auto (GStrv) parts = g_strsplit (sizes_text != NULL ? sizes_text : "256,512,1024", ",", -1);
  guint n_sizes = g_strv_length (parts);
  g_autofree int *sizes = g_new (int, n_sizes);
  for (guint i = 0; i < n_sizes; i++)
    if ((sizes[i] = atoi (parts[i])) < NS_GATYS_MIN_IMAGE_SIDE)
      {
        g_printerr ("neural-style-bench: bad size “%s” (at least %d)\n", parts[i], NS_GATYS_MIN_IMAGE_SIDE);
        return 2;
      }
  g_auto (GStrv) method_names = g_strsplit (methods_text != NULL ? methods_text : "adain,gatys", ",", -1);
  gboolean adain = g_strv_contains ((const char *const *) method_names, "adain");
  gboolean gatys = g_strv_contains ((const char *const *) method_names, "gatys");
  if (g_strv_length (method_names) != (guint) adain + (guint) gatys || reps < 0)
    {
      g_printerr ("neural-style-bench: --methods takes adain, gatys or both; --reps a positive count\n");
      return 2;
    }

  g_autoptr (GPtrArray) devices = ns_cl_list_devices (&error);
  if (devices == NULL)
    {
      g_printerr ("neural-style-bench: %s\n", error->message);
      return 1;
    }
  if (device >= (int) devices->len)
    {
      g_printerr ("neural-style-bench: there is no device %d (see neural-style --list-devices)\n", device);
      return 2;
    }
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%F %T UTC");
  g_print ("## neural-style-bench, %s\n", date);
  for (guint i = 0; i < devices->len; i++)
    {
      if (device >= 0 && (guint) device != i)
        continue;
      const NsClDeviceInfo *info = devices->pdata[i];
      int r = reps > 0 ? reps : (info->type & CL_DEVICE_TYPE_GPU) ? 10 : 3;
      const char *all[] = { "im2col", "direct", "implicit", "winograd", "by-width", "tuned", NULL };
      g_auto (GStrv) chosen = conv_text != NULL ? g_strsplit (conv_text, ",", -1) : NULL;
      const char *const *algorithms = chosen != NULL ? (const char *const *) chosen : all;
      guint n_runs = chosen != NULL || compare_conv ? g_strv_length ((char **) algorithms) : 1;
      for (guint a = 0; a < n_runs; a++)
        {
          if (chosen != NULL || compare_conv)
            g_setenv ("NEURAL_STYLE_CONV", algorithms[a], TRUE);
          if (!bench_device ((int) i, sizes, n_sizes, adain, gatys, r, &error))
            {
              g_printerr ("neural-style-bench: %s: %s\n", info->name, error->message);
              return 1;
            }
        }
    }
  return 0;
}
