/* neural-style eval end to end on a 2 x 2 set at 64 pixels (3 Gatys
 * iterations, two alphas, two style weights): results.csv well formed and
 * complete, the images, summary.md and ec.png; --resume adding nothing to a
 * finished folder and completing a damaged one; the command-line mistakes. */
#include "cli-eval.h"
#include "ns-image-io.h"
#include "ns-lattice.h"
#include "ns-test-util.h"
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static void
run_cli (NsTestRun *run, ...)
{
  va_list ap;
  va_start (ap, run);
  ns_test_run_valist (run, NULL, FALSE, NS_CLI_PATH, "eval", ap);
  va_end (ap);
}

/* A golden image resized to width x height, saved as dir/name. */
static void
make_input (const char *dir, const char *name, const char *golden, int width, int height)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) image = ns_test_load_shared_image ("goldens", golden);
  g_autoptr (NsImage) resized = ns_image_resize (image, width, height);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (ns_image_save_png (resized, path, &error));
  g_assert_no_error (error);
}

typedef struct {
  char *dir, *contents, *styles, *out;
} Set;

/* contents/a.png (80 x 60: 64 x 48 as used), contents/b.png (70 x 90: 50 x 64),
 * styles/x.png and styles/y.jpg's stand-in y.png, and a file that is no image. */
static void
make_set (Set *set)
{
  g_autoptr (GError) error = NULL;
  set->dir = g_dir_make_tmp ("ns-cli-eval-XXXXXX", &error);
  g_assert_no_error (error);
  set->contents = g_build_filename (set->dir, "contents", NULL);
  set->styles = g_build_filename (set->dir, "styles", NULL);
  set->out = g_build_filename (set->dir, "out", NULL);
  g_assert_cmpint (g_mkdir (set->contents, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (set->styles, 0700), ==, 0);
  make_input (set->contents, "b.png", "pair01_content.png", 70, 90);
  make_input (set->contents, "a.png", "pair00_content.png", 80, 60);
  make_input (set->styles, "x.png", "pair00_style.png", 96, 80);
  make_input (set->styles, "y.png", "pair01_style.png", 72, 72);
  g_autofree char *notes = g_build_filename (set->styles, "STYLES.tsv", NULL);
  g_assert_true (g_file_set_contents (notes, "x\tnot an image\n", -1, &error));
}

static void
set_clear (Set *set)
{
  if (set->dir != NULL)
    ns_test_remove_tree (set->dir);
  g_free (set->dir);
  g_free (set->contents);
  g_free (set->styles);
  g_free (set->out);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Set, set_clear)

static void
run_eval (NsTestRun *run, const Set *set, const char *extra)
{
  run_cli (run, "--contents", set->contents, "--styles", set->styles, "--out", set->out, "--size", "64",
           "--iterations", "3", "--alphas", "0.5,1", "--style-weights", "300,3000", extra, NULL);
}

static char *
read_text (const char *dir, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

static const char *const CONTENTS[] = { "a", "b" }, *const STYLES[] = { "x", "y" };
static const char *const METHODS[] = { "adain", "adain", "gatys", "gatys" }, *const SETTINGS[] = { "0.5", "1", "300", "3000" };

/* Every expected row once, in the order of the run, every number finite and plausible. */
static void
check_results (const Set *set)
{
  g_autofree char *csv = read_text (set->out, "results.csv");
  g_assert_true (g_str_has_suffix (csv, "\n"));
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "content,style,method,setting,E,C,content_loss,gram_style_loss,adain_style_loss,"
                                 "seconds,peak_mib,L8,L8_ratio");
  g_assert_cmpstr (lines[0], ==, NS_EVAL_CSV_HEADER);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 * 2 * (2 + 2) + 1);   /* header, rows, "" after the last \n */
  g_assert_cmpstr (lines[17], ==, "");
  int row = 1;
  for (int c = 0; c < 2; c++)
    for (int s = 0; s < 2; s++)
      for (int k = 0; k < 4; k++, row++)
        {
          g_auto (GStrv) f = g_strsplit (lines[row], ",", -1);
          g_assert_cmpuint (g_strv_length (f), ==, 13);
          g_assert_cmpstr (f[0], ==, CONTENTS[c]);
          g_assert_cmpstr (f[1], ==, STYLES[s]);
          g_assert_cmpstr (f[2], ==, METHODS[k]);
          g_assert_cmpstr (f[3], ==, SETTINGS[k]);
          double v[9];
          for (int i = 0; i < 9; i++)
            {
              char *end = NULL;
              v[i] = g_ascii_strtod (f[4 + i], &end);
              g_assert_true (*f[4 + i] != '\0' && *end == '\0');
              g_assert_true (isfinite (v[i]));
            }
          g_assert_cmpfloat (v[0], >, -5.0);    /* E: about 2 to 5 on these */
          g_assert_cmpfloat (v[0], <, 20.0);
          g_assert_cmpfloat (v[1], >, -0.2);    /* C: an SSIM */
          g_assert_cmpfloat (v[1], <=, 1.0);
          g_assert_cmpfloat (v[2], >=, 0.0);    /* the losses */
          g_assert_cmpfloat (v[3], >, 0.0);
          g_assert_cmpfloat (v[4], >, 0.0);
          g_assert_cmpfloat (v[5], >, 0.0);     /* seconds */
          g_assert_cmpfloat (v[6], >, 1.0);     /* peak MiB: the weights at least */
          g_assert_cmpfloat (v[7], >, 0.0);     /* L8: a share of the power */
          g_assert_cmpfloat (v[7], <, 1.0);
          g_assert_cmpfloat (v[8], >, 0.0);     /* its ratio to the content's */
          g_autofree char *name = g_strdup_printf ("%s__%s__%s-%s.png", CONTENTS[c], STYLES[s], METHODS[k], SETTINGS[k]);
          g_autofree char *path = g_build_filename (set->out, "images", name, NULL);
          g_autoptr (GError) error = NULL;
          g_autoptr (NsImage) image = ns_image_load (path, &error);
          g_assert_no_error (error);
          g_assert_cmpint (image->width, ==, c == 0 ? 64 : 50);   /* the content's longer side is --size */
          g_assert_cmpint (image->height, ==, c == 0 ? 48 : 64);
          /* L8 is the saved image's (to its 8-bit rounding), the ratio over the content's as used. */
          double saved_l8 = 0, content_l8 = 0;
          g_assert_true (ns_lattice_energy (image, &saved_l8, &error));
          g_assert_cmpfloat (fabs (saved_l8 - v[7]), <, 0.02 * v[7] + 1e-4);
          g_autofree char *content_name = g_strdup_printf ("%s.png", CONTENTS[c]);
          g_autofree char *content_path = g_build_filename (set->contents, content_name, NULL);
          g_autoptr (NsImage) content_file = ns_image_load (content_path, &error);
          g_assert_no_error (error);
          g_autoptr (NsImage) content = ns_image_resize (content_file, image->width, image->height);
          g_assert_true (ns_lattice_energy (content, &content_l8, &error));
          g_assert_cmpfloat (fabs (v[8] - v[7] / content_l8), <, 1e-4 * v[8]);
        }
}

static void
test_run_and_resume (void)
{
  g_auto (Set) set = { 0 };
  make_set (&set);
  g_auto (NsTestRun) run = { 0 };
  run_eval (&run, &set, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "16 results, 16 to run"));
  g_assert_nonnull (strstr (run.err, "[16/16] b × y, gatys 3000: E "));
  check_results (&set);

  g_autoptr (GError) error = NULL;
  g_autofree char *plot_path = g_build_filename (set.out, "ec.png", NULL);
  g_autoptr (NsImage) plot = ns_image_load (plot_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (plot->width, ==, NS_EVAL_PLOT_WIDTH);
  g_assert_cmpint (plot->height, ==, NS_EVAL_PLOT_HEIGHT);
  double lo = 1, hi = 0;   /* not blank */
  for (gsize i = 0; i < (gsize) plot->width * plot->height * 3; i++)
    lo = fmin (lo, plot->data[i]), hi = fmax (hi, plot->data[i]);
  g_assert_cmpfloat (hi - lo, >, 0.5);

  g_autofree char *summary = read_text (set.out, "summary.md");
  g_assert_true (g_str_has_prefix (summary, "# Evaluation summary"));
  g_assert_nonnull (strstr (summary, "| method | setting | results | E | C |"));
  g_assert_nonnull (strstr (summary, "| L8 | L8 ratio (median) |\n"));
  g_assert_nonnull (strstr (summary, "| adain | 0.5 | 4 | "));
  g_assert_nonnull (strstr (summary, "| adain | 1 | 4 | "));
  g_assert_nonnull (strstr (summary, "| gatys | 300 | 4 | "));
  g_assert_nonnull (strstr (summary, "| gatys | 3000 | 4 | "));
  g_assert_true (strstr (summary, "| adain | 0.5") < strstr (summary, "| adain | 1 |"));
  g_assert_true (strstr (summary, "| gatys | 300 |") < strstr (summary, "| gatys | 3000 |"));
  g_auto (GStrv) summary_lines = g_strsplit (summary, "\n", -1);
  int table_rows = 0;
  for (gsize i = 0; summary_lines[i] != NULL; i++)
    table_rows += g_str_has_prefix (summary_lines[i], "| adain |") || g_str_has_prefix (summary_lines[i], "| gatys |");
  g_assert_cmpint (table_rows, ==, 4);

  /* --resume on the finished folder runs nothing and adds no row. */
  g_autofree char *before = read_text (set.out, "results.csv");
  g_auto (NsTestRun) again = { 0 };
  run_eval (&again, &set, "--resume");
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.err, "16 results, 0 to run"));
  g_autofree char *after = read_text (set.out, "results.csv");
  g_assert_cmpstr (after, ==, before);

  /* Without --resume it refuses to touch the results. */
  g_auto (NsTestRun) refused = { 0 };
  run_eval (&refused, &set, NULL);
  g_assert_cmpint (refused.status, ==, 2);
  g_assert_nonnull (strstr (refused.err, "--resume"));
  g_autofree char *untouched = read_text (set.out, "results.csv");
  g_assert_cmpstr (untouched, ==, before);

  /* A run killed while writing: one row missing, a half line at the end.
   * --resume drops the half line and runs only the missing result. */
  g_auto (GStrv) lines = g_strsplit (before, "\n", -1);
  g_autoptr (GString) damaged = g_string_new (NULL);
  for (gsize i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    if (i != 5)   /* a,y,adain,0.5 */
      g_string_append_printf (damaged, "%s\n", lines[i]);
  g_string_append (damaged, "a,y,adain,0.5,3.2");
  g_autofree char *csv_path = g_build_filename (set.out, "results.csv", NULL);
  g_assert_true (g_file_set_contents (csv_path, damaged->str, -1, &error));
  g_auto (NsTestRun) completed = { 0 };
  run_eval (&completed, &set, "--resume");
  g_assert_cmpint (completed.status, ==, 0);
  g_assert_nonnull (strstr (completed.err, "16 results, 1 to run"));
  g_assert_nonnull (strstr (completed.err, "[5/16] a × y, adain 0.5: E "));
  g_autofree char *repaired = read_text (set.out, "results.csv");
  g_auto (GStrv) repaired_lines = g_strsplit (repaired, "\n", -1);
  g_assert_cmpuint (g_strv_length (repaired_lines), ==, 18);
  g_assert_true (g_str_has_prefix (repaired_lines[16], "a,y,adain,0.5,"));
  /* AdaIN and the measures repeat (the time and memory may not). */
  g_auto (GStrv) was = g_strsplit (lines[5], ",", -1);
  g_auto (GStrv) now = g_strsplit (repaired_lines[16], ",", -1);
  for (int i = 4; i < 9; i++)
    {
      double a = g_ascii_strtod (was[i], NULL), b = g_ascii_strtod (now[i], NULL);
      g_assert_cmpfloat (fabs (a - b), <=, 1e-4 * fmax (1, fabs (a)));
    }

  /* A results.csv from before L8 cannot be resumed (its rows lack it); it is left as it was. */
  const char *old = "content,style,method,setting,E,C,content_loss,gram_style_loss,adain_style_loss,seconds,peak_mib\n"
                    "a,x,adain,0.5,3.1,0.4,1,1,1,0.5,100.0\n";
  g_assert_true (g_file_set_contents (csv_path, old, -1, &error));
  g_auto (NsTestRun) outdated = { 0 };
  run_eval (&outdated, &set, "--resume");
  g_assert_cmpint (outdated.status, ==, 1);
  g_assert_nonnull (strstr (outdated.err, "was written before the evaluation measured L8"));
  g_autofree char *kept = read_text (set.out, "results.csv");
  g_assert_cmpstr (kept, ==, old);
}

static void
test_mistakes (void)
{
  g_auto (Set) set = { 0 };
  make_set (&set);
  g_autofree char *empty = g_build_filename (set.dir, "empty", NULL);
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  g_autofree char *missing = g_build_filename (set.dir, "missing", NULL);
  const struct {
    const char *name, *contents, *styles, *out, *option, *value;
    const char *message;
  } cases[] = {
    { "no --out", set.contents, set.styles, NULL, NULL, NULL, "Give --contents, --styles and --out." },
    { "alpha above 1", set.contents, set.styles, set.out, "--alphas", "0.5,2", "--alphas: “2” is not a number from 0 to 1." },
    { "negative weight", set.contents, set.styles, set.out, "--style-weights", "1e3,-2", "“-2” is not a positive number" },
    { "a weight twice", set.contents, set.styles, set.out, "--style-weights", "300,3e2", "appears twice" },
    { "nothing to run", set.contents, set.styles, set.out, "--alphas", "", "Give at least one alpha or style weight." },
    { "tiny size", set.contents, set.styles, set.out, "--size", "16", "--size must be from 32" },
    { "no iterations", set.contents, set.styles, set.out, "--iterations", "0", "--iterations must be at least 1." },
    { "no images", empty, set.styles, set.out, NULL, NULL, "holds no images" },
    { "no folder", set.contents, missing, set.out, NULL, NULL, "missing" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case: %s", cases[i].name);
      g_auto (NsTestRun) run = { 0 };
      const char *weights = strcmp (cases[i].name, "nothing to run") == 0 ? "--style-weights" : NULL;
      if (cases[i].out == NULL)
        run_cli (&run, "--contents", cases[i].contents, "--styles", cases[i].styles, NULL);
      else
        run_cli (&run, "--contents", cases[i].contents, "--styles", cases[i].styles, "--out", cases[i].out,
                 cases[i].option, cases[i].value, weights, "", NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (g_str_has_prefix (run.err, "neural-style eval: "));
      g_assert_nonnull (strstr (run.err, cases[i].message));
      g_assert_false (g_file_test (set.out, G_FILE_TEST_EXISTS));   /* nothing written */
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-eval/mistakes", test_mistakes);
  g_test_add_func ("/cli-eval/run-and-resume", test_run_and_resume);
  return g_test_run ();
}
