#include "eval-results.h"

#include "ns-i18n.h"
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- results.csv ---- */


void
eval_row_free (gpointer data)
{
  EvalRow *row = data;
  g_free (row->content);
  g_free (row->style);
  g_free (row->method);
  g_free (row->setting);
  g_free (row);
}

char *
eval_row_key (const char *content, const char *style, const char *method, const char *setting)
{
  return g_strjoin ("\n", content, style, method, setting, NULL);
}

static EvalRow *
parse_row (const char *line)
{
  g_auto (GStrv) fields = g_strsplit (line, ",", -1);
  if (g_strv_length (fields) != EVAL_CSV_FIELDS)
    return NULL;
  for (int i = 0; i < 4; i++)
    if (*fields[i] == '\0')
      return NULL;
  EvalRow row = { 0 };
  for (int i = 0; i < EVAL_N_VALUES; i++)
    {
      char *end = NULL;
      row.values[i] = g_ascii_strtod (fields[4 + i], &end);
      if (*fields[4 + i] == '\0' || *end != '\0')
        return NULL;
    }
  EvalRow *out = g_memdup2 (&row, sizeof row);
  out->content = g_strdup (fields[0]);
  out->style = g_strdup (fields[1]);
  out->method = g_strdup (fields[2]);
  out->setting = g_strdup (fields[3]);
  return out;
}

/* The rows of an existing results.csv.  A damaged line (a run killed while
 * writing it) is dropped and the file rewritten without it. */
GPtrArray *
eval_read_results (const char *path, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (eval_row_free);
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  if (lines[0] != NULL && strcmp (g_strchomp (lines[0]), NS_EVAL_CSV_HEADER_WITHOUT_L8) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s was written before the evaluation measured L8 and cannot be resumed; evaluate into a new "
                     "folder."), path);
      return NULL;
    }
  if (lines[0] == NULL || strcmp (lines[0], NS_EVAL_CSV_HEADER) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s does not begin with the header of the results of neural-style eval."), path);
      return NULL;
    }
  g_autoptr (GString) kept = g_string_new (NS_EVAL_CSV_HEADER "\n");
  int dropped = 0;
  for (gsize i = 1; lines[i] != NULL; i++)
    {
      if (*g_strchomp (lines[i]) == '\0')
        continue;
      EvalRow *row = parse_row (lines[i]);
      if (row == NULL)
        {
          dropped++;
          continue;
        }
      g_ptr_array_add (rows, row);
      g_string_append_printf (kept, "%s\n", lines[i]);
    }
  gboolean ends_cleanly = *text == '\0' || text[strlen (text) - 1] == '\n';
  if (dropped > 0 || !ends_cleanly)
    {
      if (dropped > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE, "neural-style eval: dropping %d damaged line of %s\n",
                                 "neural-style eval: dropping %d damaged lines of %s\n", dropped),
                    dropped, path);
      if (!g_file_set_contents (path, kept->str, kept->len, error))
        return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
eval_append_row (FILE *csv, const char *path, const EvalRow *row, GError **error)
{
  static const char *const formats[EVAL_N_VALUES] = { "%.6f", "%.6f", "%.6g", "%.6g", "%.6g", "%.3f", "%.1f",
                                                      "%.6g", "%.6g" };
  g_autoptr (GString) line = g_string_new (NULL);
  g_string_append_printf (line, "%s,%s,%s,%s", row->content, row->style, row->method, row->setting);
  for (int i = 0; i < EVAL_N_VALUES; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (line, ",%s", g_ascii_formatd (buf, sizeof buf, formats[i], row->values[i]));
    }
  g_string_append_c (line, '\n');
  if (fputs (line->str, csv) == EOF || fflush (csv) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write %s: %s."), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* ---- summary.md ---- */


static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const EvalGroup *ga = a, *gb = b;
  int c = strcmp (ga->method, gb->method);
  if (c != 0)
    return c;
  double sa = g_ascii_strtod (ga->setting, NULL), sb = g_ascii_strtod (gb->setting, NULL);
  return sa < sb ? -1 : sa > sb ? 1 : strcmp (ga->setting, gb->setting);
}

static void
group_clear (gpointer data)
{
  g_ptr_array_unref (((EvalGroup *) data)->rows);
}

/* The rows by method and setting, ordered by method, then setting as a number. */
GArray *
eval_group_rows (GPtrArray *rows)
{
  GArray *groups = g_array_new (FALSE, TRUE, sizeof (EvalGroup));
  g_array_set_clear_func (groups, group_clear);
  for (guint i = 0; i < rows->len; i++)
    {
      EvalRow *row = rows->pdata[i];
      guint g = 0;
      while (g < groups->len && (strcmp (g_array_index (groups, EvalGroup, g).method, row->method) != 0
                                 || strcmp (g_array_index (groups, EvalGroup, g).setting, row->setting) != 0))
        g++;
      if (g == groups->len)
        {
          EvalGroup group = { row->method, row->setting, g_ptr_array_new () };
          g_array_append_val (groups, group);
        }
      g_ptr_array_add (g_array_index (groups, EvalGroup, g).rows, row);
    }
  g_array_sort (groups, compare_groups);
  return groups;
}

/* Mean and sample standard deviation (0 for one value) of values[k] over the group. */
void
eval_group_stats (const EvalGroup *group, int k, double *mean, double *sd)
{
  double s = 0, ss = 0;
  guint n = group->rows->len;
  for (guint i = 0; i < n; i++)
    s += ((EvalRow *) group->rows->pdata[i])->values[k];
  *mean = s / n;
  for (guint i = 0; i < n; i++)
    {
      double d = ((EvalRow *) group->rows->pdata[i])->values[k] - *mean;
      ss += d * d;
    }
  *sd = n > 1 ? sqrt (ss / (n - 1)) : 0.0;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

double
eval_group_median (const EvalGroup *group, int k)
{
  g_autofree double *v = g_new (double, group->rows->len + 1);
  guint n = 0;
  for (guint i = 0; i < group->rows->len; i++)
    if (isfinite (((EvalRow *) group->rows->pdata[i])->values[k]))
      v[n++] = ((EvalRow *) group->rows->pdata[i])->values[k];
  if (n == 0)
    return NAN;
  qsort (v, n, sizeof *v, compare_doubles);
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

gboolean
eval_write_summary (const char *path, GPtrArray *rows, GArray *groups, GError **error)
{
  g_autoptr (GHashTable) contents = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) styles = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < rows->len; i++)
    {
      g_hash_table_add (contents, ((EvalRow *) rows->pdata[i])->content);
      g_hash_table_add (styles, ((EvalRow *) rows->pdata[i])->style);
    }
  g_autoptr (GString) md = g_string_new ("# Evaluation summary\n\n");
  g_string_append_printf (md,
                          "%u results: %u contents x %u styles. Per method and setting, the mean ± the sample "
                          "standard deviation over its results (see results.csv); seconds: the mean wall time "
                          "of a stylisation; peak MiB: the largest peak device memory. E: effectiveness "
                          "(higher: closer to the style); C: coherence, SSIM with the content (higher: more of "
                          "the content kept); the losses: lower is closer; L8: the share of the luminance's "
                          "power on an 8-pixel lattice, and its ratio to the content's (the median over the "
                          "results; 1: no more lattice than the photo).\n\n",
                          rows->len, g_hash_table_size (contents), g_hash_table_size (styles));
  g_string_append (md, "| method | setting | results | E | C | content loss | Gram style loss | AdaIN style loss "
                       "| seconds | peak MiB | L8 | L8 ratio (median) |\n"
                       "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (guint g = 0; g < groups->len; g++)
    {
      const EvalGroup *group = &g_array_index (groups, EvalGroup, g);
      g_string_append_printf (md, "| %s | %s | %u", group->method, group->setting, group->rows->len);
      for (int k = 0; k < 5; k++)
        {
          double mean, sd;
          char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
          const char *format = k < 2 ? "%.3f" : "%.4g";
          eval_group_stats (group, k, &mean, &sd);
          g_string_append_printf (md, " | %s ± %s", g_ascii_formatd (a, sizeof a, format, mean),
                                  g_ascii_formatd (b, sizeof b, format, sd));
        }
      double seconds, sd, peak = 0;
      eval_group_stats (group, 5, &seconds, &sd);
      for (guint i = 0; i < group->rows->len; i++)
        peak = fmax (peak, ((EvalRow *) group->rows->pdata[i])->values[6]);
      char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (md, " | %s | %s", g_ascii_formatd (a, sizeof a, "%.2f", seconds),
                              g_ascii_formatd (b, sizeof b, "%.1f", peak));
      double l8, l8_sd;
      eval_group_stats (group, EVAL_L8, &l8, &l8_sd);
      g_string_append_printf (md, " | %s ± %s", g_ascii_formatd (a, sizeof a, "%.3g", l8),
                              g_ascii_formatd (b, sizeof b, "%.2g", l8_sd));
      g_string_append_printf (md, " | %s |\n",
                              g_ascii_formatd (a, sizeof a, "%.3g", eval_group_median (group, EVAL_L8_RATIO)));
    }
  return g_file_set_contents (path, md->str, md->len, error);
}
