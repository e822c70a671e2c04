/* The evaluation's results: rows of results.csv, read back and appended
 * as each result ends, grouped by method and setting, and summary.md. */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

#define EVAL_CSV_FIELDS 13
/* E, C, content_loss, gram_style_loss, adain_style_loss, seconds, peak_mib, L8, L8_ratio */
#define EVAL_N_VALUES 9
enum { EVAL_E, EVAL_C, EVAL_CONTENT_LOSS, EVAL_GRAM_STYLE_LOSS, EVAL_ADAIN_STYLE_LOSS, EVAL_SECONDS, EVAL_PEAK_MIB,
       EVAL_L8, EVAL_L8_RATIO };
/* The first line of results.csv. */
#define NS_EVAL_CSV_HEADER \
  "content,style,method,setting,E,C,content_loss,gram_style_loss,adain_style_loss,seconds,peak_mib,L8,L8_ratio"
/* The header before L8 was measured: such a file cannot be resumed. */
#define NS_EVAL_CSV_HEADER_WITHOUT_L8 \
  "content,style,method,setting,E,C,content_loss,gram_style_loss,adain_style_loss,seconds,peak_mib"

typedef struct {
  char *content, *style, *method, *setting;
  double values[EVAL_N_VALUES];
} EvalRow;

void eval_row_free (gpointer data);
/* A row's identity in a hash table: content, style, method and setting. */
char *eval_row_key (const char *content, const char *style, const char *method, const char *setting);
/* The rows of results.csv; a half-written last line is dropped (and the file rewritten without it). */
GPtrArray *eval_read_results (const char *path, GError **error);
/* Appends one row to the open results.csv at `path` and flushes it. */
gboolean eval_append_row (FILE *csv, const char *path, const EvalRow *row, GError **error);

typedef struct {
  const char *method, *setting;
  GPtrArray *rows;   /* borrowed EvalRow pointers */
} EvalGroup;

/* The rows by method and setting, ordered by method, then setting as a number. */
GArray *eval_group_rows (GPtrArray *rows);
/* Mean and sample standard deviation (0 for one value) of values[k] over the group. */
void eval_group_stats (const EvalGroup *group, int k, double *mean, double *sd);
/* The median of values[k] over the group's rows where it is finite (NAN if none is). */
double eval_group_median (const EvalGroup *group, int k);
gboolean eval_write_summary (const char *path, GPtrArray *rows, GArray *groups, GError **error);

G_END_DECLS
