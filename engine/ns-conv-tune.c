#include "ns-conv-tune.h"

#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>

/* Larger layers are measured on their first rows, about this many pixels:
 * enough to fill a large GPU, and it bounds the measurement's cost on a
 * small one; all such layers of a shape share the choice. */
#define MEASURED_PIXELS (1 << 17)

struct _NsConvTuner {
  char *path;
  GHashTable *choices;   /* "C O bucket any|exact" -> NsConvChoice */
};

/* The table's keys, as the file writes them: "C O bucket any|exact". */
static char *
format_key (int C, int O, int bucket, gboolean exact)
{
  return g_strdup_printf ("%d %d %d %s", C, O, bucket, exact ? "exact" : "any");
}

static char *
shape_key (int C, int O, int H, int W, gboolean exact)
{
  /* Half octaves of the pixel count (as measured). */
  int bucket = (int) floor (2.0 * log2 (MIN ((double) H * W, MEASURED_PIXELS)));
  return format_key (C, O, bucket, exact);
}

/* "C O bucket any|exact algorithm gemm": the candidate with those names, if
 * any (and no Winograd in the exact set). */
static gboolean
parse_line (const char *line, char **key, NsConvChoice *choice)
{
  int C, O, bucket;
  char set[8], algorithm[32], gemm[32];
  if (sscanf (line, "%d %d %d %7s %31s %31s", &C, &O, &bucket, set, algorithm, gemm) != 6 || C < 1 || O < 1)
    return FALSE;
  gboolean exact = g_strcmp0 (set, "exact") == 0;
  if (!exact && g_strcmp0 (set, "any") != 0)
    return FALSE;
  gsize n;
  const NsConvChoice *candidates = ns_conv_choices (&n);
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (algorithm, ns_conv_algorithm_name (candidates[i].algorithm)) == 0
        && g_strcmp0 (gemm, ns_winograd_gemm_name (candidates[i].gemm)) == 0
        && !(exact && ns_conv_is_winograd (candidates[i].algorithm)))
      {
        *key = format_key (C, O, bucket, exact);
        *choice = candidates[i];
        return TRUE;
      }
  return FALSE;
}

/* Adds the file's choices to `choices`, keeping those already there. */
static void
read_choices (const char *path, GHashTable *choices)
{
  g_autofree char *contents = NULL;
  if (path == NULL || !g_file_get_contents (path, &contents, NULL, NULL))
    return;
  g_auto (GStrv) lines = g_strsplit (contents, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    {
      char *key;
      NsConvChoice choice;
      if (!parse_line (*line, &key, &choice))
        continue;
      if (g_hash_table_contains (choices, key))
        g_free (key);
      else
        g_hash_table_insert (choices, key, g_memdup2 (&choice, sizeof choice));
    }
}

NsConvTuner *
ns_conv_tuner_new (const char *path)
{
  NsConvTuner *tuner = g_new0 (NsConvTuner, 1);
  tuner->path = g_strdup (path);
  tuner->choices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  read_choices (path, tuner->choices);
  return tuner;
}

void
ns_conv_tuner_free (NsConvTuner *tuner)
{
  if (tuner == NULL)
    return;
  g_hash_table_unref (tuner->choices);
  g_free (tuner->path);
  g_free (tuner);
}

gboolean
ns_conv_tuner_lookup (NsConvTuner *tuner, int C, int O, int H, int W, gboolean exact, NsConvChoice *choice)
{
  g_autofree char *key = shape_key (C, O, H, W, exact);
  const NsConvChoice *found = g_hash_table_lookup (tuner->choices, key);
  if (found != NULL)
    *choice = *found;
  return found != NULL;
}

/* Best effort, as the program cache: the whole table, written atomically,
 * with what other processes (or contexts of this one) saved since we read
 * it, so that no one's measurements are lost. */
static void
save (NsConvTuner *tuner)
{
  if (tuner->path == NULL)
    return;
  read_choices (tuner->path, tuner->choices);
  g_autoptr (GString) text = g_string_new ("# gimp-neural-style: fastest convolution by layer shape "
                                           "(in, out channels, 2 log2 pixels, any or exact = no Winograd)\n");
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init (&iter, tuner->choices);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const NsConvChoice *choice = value;
      g_string_append_printf (text, "%s %s %s\n", (const char *) key, ns_conv_algorithm_name (choice->algorithm),
                              ns_winograd_gemm_name (choice->gemm));
    }
  g_autofree char *dir = g_path_get_dirname (tuner->path);
  g_autoptr (GError) error = NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents (tuner->path, text->str, (gssize) text->len, &error))
    g_debug ("Not saving the convolution choices in %s: %s", tuner->path,
             error != NULL ? error->message : g_strerror (errno));
}

/* What to measure on: `in`, or its first rows when it is larger than
 * MEASURED_PIXELS (a device-side copy); *owned holds the copy. */
const NsTensor *
ns_conv_tuner_measured_input (const NsTensor *in, NsTensor **owned, GError **error)
{
  *owned = NULL;
  if ((double) in->height * in->width <= MEASURED_PIXELS)
    return in;
  const int rows = MAX (2, MEASURED_PIXELS / in->width);
  NsClContext *ctx = in->buffer->ctx;
  NsTensor *top = ns_tensor_new (ctx, in->channels, rows, in->width, error);
  if (top == NULL)
    return NULL;
  /* One region: a "row" per channel, rows * W floats of the channel's plane. */
  const size_t origin[3] = { 0, 0, 0 };
  const size_t region[3] = { (size_t) rows * in->width * sizeof (float), (size_t) in->channels, 1 };
  const size_t src_pitch = (size_t) in->height * in->width * sizeof (float), dst_pitch = region[0];
  if (!ns_cl_check (clEnqueueCopyBufferRect (ctx->queue, in->buffer->mem, top->buffer->mem, origin, origin, region,
                                             src_pitch, 0, dst_pitch, 0, 0, NULL, NULL),
                    _("running a convolution"), error))
    {
      ns_tensor_free (top);
      return NULL;
    }
  return *owned = top;
}

void
ns_conv_tuner_record (NsConvTuner *tuner, int C, int O, int H, int W, gboolean exact, NsConvChoice choice)
{
  char *key = shape_key (C, O, H, W, exact);
  g_hash_table_replace (tuner->choices, key, g_memdup2 (&choice, sizeof choice));
  save (tuner);
}
