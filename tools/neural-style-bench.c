/* neural-style-bench: per OpenCL device and image size, the cold start
 * (weights load + kernel build with an empty program cache), the warm start
 * (kernels from the cache), the first AdaIN run (CLBlast compiles its kernels
 * in it), the warm median, and the peak device memory.  Prints Markdown.
 *
 * It also times the live preview's step (ns_adain_prepared_render: the blend
 * and the decoder alone, as when the alpha slider moves).  With --compare-conv
 * each device runs twice, once per convolution algorithm, for ratios from one run.
 *
 *   neural-style-bench [--device N] [--sizes 256,512,1024] [--reps R] [--compare-conv] */
#include "neural-style.h"
#include "ns-cl-context.h"
#include "ns-i18n.h"
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>

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

/* Engine creation with an empty program cache, then with the cache filled. */
static NsEngine *
open_engine (int device, double *cold_s, double *warm_s, GError **error)
{
  g_autofree char *cache = g_dir_make_tmp ("ns-bench-cache-XXXXXX", error);
  if (cache == NULL)
    return NULL;
  g_setenv ("NEURAL_STYLE_CACHE_DIR", cache, TRUE);
  gint64 start = g_get_monotonic_time ();
  NsEngine *engine = ns_engine_new (device, error);
  *cold_s = seconds_since (start);
  if (engine == NULL)
    return NULL;
  ns_engine_free (engine);
  start = g_get_monotonic_time ();
  engine = ns_engine_new (device, error);
  *warm_s = seconds_since (start);
  g_unsetenv ("NEURAL_STYLE_CACHE_DIR");
  /* The cache held one file per program; leave no litter. */
  g_autoptr (GDir) dir = g_dir_open (cache, 0, NULL);
  for (const char *name; dir != NULL && (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *path = g_build_filename (cache, name, NULL);
      g_remove (path);
    }
  g_rmdir (cache);
  if (engine != NULL && !ns_engine_kernels_were_cached (engine))
    g_printerr ("warning: the second start did not use the program cache\n");
  return engine;
}

static gboolean
bench_device (int device, const int *sizes, guint n_sizes, int reps, GError **error)
{
  double cold = 0, warm = 0;
  g_autoptr (NsEngine) engine = open_engine (device, &cold, &warm, error);
  if (engine == NULL)
    return FALSE;
  const NsClDeviceInfo *info = ns_engine_get_device (engine);
  const char *conv = g_getenv ("NEURAL_STYLE_CONV");
  g_print ("\n### %s (%s, %s, %s), convolution: %s\n\n", info->name, ns_cl_device_type_name (info->type),
           info->platform_name, info->driver_version, conv != NULL ? conv : "the device's default");
  g_print ("cold start (weights + kernel build, empty cache): %.3f s; warm start (cached kernels): %.3f s; "
           "weights on the device: %.1f MiB\n\n",
           cold, warm, ns_engine_get_memory_in_use (engine) / 1048576.0);
  g_print ("| size | first AdaIN (s) | warm median (ms) | runs | preview render median (ms) | peak device memory (MiB) |\n");
  g_print ("|---|---|---|---|---|---|\n");
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  for (guint s = 0; s < n_sizes; s++)
    {
      g_autoptr (NsImage) content = random_image (rand, sizes[s]);
      g_autoptr (NsImage) style = random_image (rand, sizes[s]);
      ns_engine_reset_peak_memory (engine);
      gint64 start = g_get_monotonic_time ();
      g_autoptr (NsImage) first = ns_engine_stylise (engine, content, style, 1.0, 0, NULL, error);
      double first_s = seconds_since (start);
      if (first == NULL)
        return FALSE;
      g_autofree double *times = g_new (double, reps);
      for (int r = 0; r < reps; r++)
        {
          start = g_get_monotonic_time ();
          g_autoptr (NsImage) out = ns_engine_stylise (engine, content, style, 1.0, 0, NULL, error);
          times[r] = seconds_since (start);
          if (out == NULL)
            return FALSE;
        }
      qsort (times, reps, sizeof (double), compare_doubles);
      double warm_ms = times[reps / 2] * 1e3;

      g_autoptr (NsAdainPrepared) prepared = ns_adain_prepared_new (engine, content, style, 0, NULL, error);
      if (prepared == NULL)
        return FALSE;
      for (int r = 0; r < reps; r++)
        {
          start = g_get_monotonic_time ();
          g_autoptr (NsImage) out = ns_adain_prepared_render (prepared, (double) (r + 1) / reps, NULL, error);
          times[r] = seconds_since (start);
          if (out == NULL)
            return FALSE;
        }
      qsort (times, reps, sizeof (double), compare_doubles);
      g_print ("| %d² | %.3f | %.1f | %d | %.1f | %.1f |\n", sizes[s], first_s, warm_ms, reps, times[reps / 2] * 1e3,
               ns_engine_get_peak_memory (engine) / 1048576.0);
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  int device = -2, reps = 0;
  gboolean compare_conv = FALSE;
  g_autofree char *sizes_text = NULL;
  GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_INT, &device, "Only this OpenCL device (default: every device)", "N" },
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_text, "Image sides, comma-separated (default 256,512,1024)", "LIST" },
    { "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Warm runs per size (default 10 on a GPU, 3 elsewhere)", "R" },
    { "compare-conv", 0, 0, G_OPTION_ARG_NONE, &compare_conv, "Run each device with both convolution algorithms", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("— time AdaIN per device and size");
  g_option_context_add_main_entries (options, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("neural-style-bench: %s\n", error->message);
      return 2;
    }
  g_auto (GStrv) parts = g_strsplit (sizes_text != NULL ? sizes_text : "256,512,1024", ",", -1);
  guint n_sizes = g_strv_length (parts);
  g_autofree int *sizes = g_new (int, n_sizes);
  for (guint i = 0; i < n_sizes; i++)
    if ((sizes[i] = atoi (parts[i])) < NS_MIN_IMAGE_SIDE)
      {
        g_printerr ("neural-style-bench: bad size “%s”\n", parts[i]);
        return 2;
      }

  g_autoptr (GPtrArray) devices = ns_cl_list_devices (&error);
  if (devices == NULL)
    {
      g_printerr ("neural-style-bench: %s\n", error->message);
      return 1;
    }
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format (now, "%F %T UTC");
  g_print ("## AdaIN benchmark, %s\n", date);
  for (guint i = 0; i < devices->len; i++)
    {
      if (device >= 0 && (guint) device != i)
        continue;
      const NsClDeviceInfo *info = devices->pdata[i];
      int r = reps > 0 ? reps : (info->type & CL_DEVICE_TYPE_GPU) ? 10 : 3;
      const char *algorithms[] = { "im2col", "direct" };
      for (guint a = 0; a < (compare_conv ? G_N_ELEMENTS (algorithms) : 1); a++)
        {
          if (compare_conv)
            g_setenv ("NEURAL_STYLE_CONV", algorithms[a], TRUE);
          if (!bench_device ((int) i, sizes, n_sizes, r, &error))
            {
              g_printerr ("neural-style-bench: %s: %s\n", info->name, error->message);
              return 1;
            }
        }
    }
  return 0;
}
