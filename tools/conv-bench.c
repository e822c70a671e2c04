/* conv-bench: the network's 3x3 convolutions at one image size, timed with
 * each convolution algorithm of the engine and, as the hardware's baseline,
 * OpenBLAS SGEMM on the equivalent GEMM shapes (M = out channels, N = pixels,
 * K = 9 * in channels) in the same run.  Prints Markdown with GFLOP/s, the
 * fastest variant of each layer and its ratio to OpenBLAS; the last row sums
 * the layers, and its "fastest" is what a per-layer choice would give.
 *
 *   conv-bench [--device N] [--size 512] [--reps 3] [--layers conv1_2,dec4_1]
 *              [--variants im2col,direct,implicit,winograd-registers,winograd-tiled,winograd-clblast] */
#include "ns-ops.h"
#include <cblas.h>
#include <locale.h>
#include <stdlib.h>

typedef struct {
  const char *name;
  int in, out, scale;   /* the layer runs at size / scale */
} Layer;

/* VGG-19 to relu4_1 and the AdaIN decoder: every convolution of one AdaIN
 * run except that the encoder runs twice. */
static const Layer layers[] = {
  { "conv1_1", 3, 64, 1 },    { "conv1_2", 64, 64, 1 },   { "conv2_1", 64, 128, 2 },
  { "conv2_2", 128, 128, 2 }, { "conv3_1", 128, 256, 4 }, { "conv3_2", 256, 256, 4 },
  { "conv3_3", 256, 256, 4 }, { "conv3_4", 256, 256, 4 }, { "conv4_1", 256, 512, 8 },
  { "dec4_1", 512, 256, 8 },  { "dec3_4", 256, 256, 4 },  { "dec3_3", 256, 256, 4 },
  { "dec3_2", 256, 256, 4 },  { "dec3_1", 256, 128, 4 },  { "dec2_2", 128, 128, 2 },
  { "dec2_1", 128, 64, 2 },   { "dec1_2", 64, 64, 1 },    { "dec1_1", 64, 3, 1 },
};

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *t, int n)
{
  qsort (t, n, sizeof (double), compare_doubles);
  return t[n / 2];
}

static double
time_engine (NsOps *ops, NsConvChoice choice, const NsTensor *x, const NsConv3x3 *conv, int reps, GError **error)
{
  g_autofree double *t = g_new (double, reps);
  for (int r = -1; r < reps; r++)   /* one untimed run: kernel compilation, allocation */
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (NsTensor) y = ns_op_conv3x3_by (ops, x, conv, choice, TRUE, error);
      if (y == NULL || !ns_cl_context_finish (ns_ops_get_context (ops), error))
        return -1;
      if (r >= 0)
        t[r] = (g_get_monotonic_time () - start) / 1e6;
    }
  return median (t, reps);
}

static double
time_openblas (int m, int n, int k, int reps)
{
  g_autofree float *a = g_new (float, (gsize) m * k), *b = g_new (float, (gsize) k * n),
                   *c = g_new (float, (gsize) m * n);
  for (gsize i = 0; i < (gsize) m * k; i++)
    a[i] = (float) (i % 7) * 0.1f;
  for (gsize i = 0; i < (gsize) k * n; i++)
    b[i] = (float) (i % 5) * 0.1f;
  g_autofree double *t = g_new (double, reps);
  for (int r = -1; r < reps; r++)
    {
      gint64 start = g_get_monotonic_time ();
      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
      if (r >= 0)
        t[r] = (g_get_monotonic_time () - start) / 1e6;
    }
  return median (t, reps);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");   /* the ² in the heading */
  int device = -1, size = 512, reps = 3;
  g_autofree char *only = NULL, *chosen = NULL;
  GOptionEntry entries[] = {
    { "device", 'd', 0, G_OPTION_ARG_INT, &device, "OpenCL device number", "N" },
    { "size", 's', 0, G_OPTION_ARG_INT, &size, "Image side (default 512)", "S" },
    { "reps", 'r', 0, G_OPTION_ARG_INT, &reps, "Timed runs per layer (default 3)", "R" },
    { "layers", 'l', 0, G_OPTION_ARG_STRING, &only, "Only these layers, comma-separated", "LIST" },
    { "variants", 'v', 0, G_OPTION_ARG_STRING, &chosen, "Only these variants, comma-separated (default: all)", "LIST" },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("— time the convolutions against OpenBLAS");
  g_option_context_add_main_entries (options, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error) || size < 16 || reps < 1)
    {
      g_printerr ("conv-bench: %s\n", error != NULL ? error->message : "bad size or reps");
      return 2;
    }
  g_autoptr (NsClContext) ctx = ns_cl_context_new (device, &error);
  g_autoptr (NsOps) ops = ctx != NULL ? ns_ops_new (ctx, &error) : NULL;
  if (ops == NULL)
    {
      g_printerr ("conv-bench: %s\n", error->message);
      return 1;
    }
  g_print ("## Convolutions at %d², %s, median of %d (OpenBLAS %s, %d threads)\n\n", size, ctx->info->name, reps,
           openblas_get_config (), openblas_get_num_threads ());
  /* The variants to time: every way the engine has (ns_conv_choices), or those named. */
  g_auto (GStrv) chosen_names = chosen != NULL ? g_strsplit (chosen, ",", -1) : NULL;
  gsize n_choices;
  const NsConvChoice *choices = ns_conv_choices (&n_choices);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree NsConvChoice *run = g_new (NsConvChoice, n_choices);
  int n_run = 0;
  for (gsize v = 0; v < n_choices; v++)
    {
      char *name = ns_conv_choice_name (choices[v]);
      if (chosen_names == NULL || g_strv_contains ((const char *const *) chosen_names, name))
        {
          run[n_run++] = choices[v];
          g_ptr_array_add (names, name);
        }
      else
        g_free (name);
    }
  if (n_run == 0)
    {
      g_printerr ("conv-bench: no such variant: %s\n", chosen);
      return 2;
    }
  g_autoptr (GString) head = g_string_new ("| layer | GEMM M x N x K | GFLOP |");
  for (int v = 0; v < n_run; v++)
    g_string_append_printf (head, " %s GFLOP/s |", (const char *) names->pdata[v]);
  g_string_append (head, " OpenBLAS GFLOP/s | fastest | fastest / OpenBLAS |\n|---|---|---|");
  for (int v = 0; v < n_run + 3; v++)
    g_string_append (head, "---|");
  g_print ("%s\n", head->str);
  /* Winograd's GFLOP/s count the direct convolution's operations (effective rate). */
  g_auto (GStrv) wanted = only != NULL ? g_strsplit (only, ",", -1) : NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  double total_flop = 0, total_blas = 0, total_fastest = 0;
  g_autofree double *total = g_new0 (double, n_run), *t = g_new (double, n_run);
  for (gsize i = 0; i < G_N_ELEMENTS (layers); i++)
    {
      const Layer *l = &layers[i];
      if (wanted != NULL && !g_strv_contains ((const char *const *) wanted, l->name))
        continue;
      int side = size / l->scale;
      gsize n_in = (gsize) l->in * side * side, n_w = (gsize) l->out * l->in * 9;
      g_autofree float *host = g_new (float, MAX (n_in, n_w));
      g_autofree float *bias = g_new0 (float, l->out);
      for (gsize j = 0; j < MAX (n_in, n_w); j++)
        host[j] = (float) g_rand_double_range (rand, -1, 1);
      g_autoptr (NsConv3x3) conv = ns_conv3x3_new (ctx, l->in, l->out, host, bias, &error);
      g_autoptr (NsTensor) x = conv != NULL ? ns_tensor_new (ctx, l->in, side, side, &error) : NULL;
      if (x == NULL || !ns_tensor_write (x, host, &error))
        {
          g_printerr ("conv-bench: %s\n", error->message);
          return 1;
        }
      double flop = 2.0 * l->out * (double) side * side * l->in * 9;
      int fastest = 0;
      for (int v = 0; v < n_run; v++)
        {
          if ((t[v] = time_engine (ops, run[v], x, conv, reps, &error)) < 0)
            {
              g_printerr ("conv-bench: %s: %s\n", (const char *) names->pdata[v], error->message);
              return 1;
            }
          total[v] += t[v];
          fastest = t[v] < t[fastest] ? v : fastest;
        }
      double blas = time_openblas (l->out, side * side, 9 * l->in, reps);
      total_flop += flop;
      total_blas += blas;
      total_fastest += t[fastest];
      g_autoptr (GString) row = g_string_new (NULL);
      g_string_printf (row, "| %s | %d x %d x %d | %.2f |", l->name, l->out, side * side, 9 * l->in, flop / 1e9);
      for (int v = 0; v < n_run; v++)
        g_string_append_printf (row, " %.1f |", flop / t[v] / 1e9);
      g_print ("%s %.1f | %s | %.2f |\n", row->str, flop / blas / 1e9, (const char *) names->pdata[fastest],
               blas / t[fastest]);
    }
  g_autoptr (GString) row = g_string_new (NULL);
  g_string_printf (row, "| **all** | | %.1f |", total_flop / 1e9);
  for (int v = 0; v < n_run; v++)
    g_string_append_printf (row, " %.1f |", total_flop / total[v] / 1e9);
  g_print ("%s %.1f | per layer: %.1f GFLOP/s | %.2f |\n", row->str, total_flop / total_blas / 1e9,
           total_flop / total_fastest / 1e9, total_blas / total_fastest);
  return 0;
}
