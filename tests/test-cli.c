/* The command-line tool as a user meets it: a golden pair end to end through
 * a PFM, and each mistake a user can make giving a clear sentence, the right
 * exit status (1: the run failed, 2: the command line is wrong) and no output file. */
#define _DEFAULT_SOURCE   /* mknod, S_IFCHR */
#include "neural-style.h"
#include "ns-image-io.h"
#include "ns-safetensors.h"
#include "ns-test-util.h"
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Runs the CLI with extra environment "NAME=value" entries (NULL-terminated). */
static void
run_cli (NsTestRun *run, const char *const *env_extra, ...)
{
  va_list ap;
  va_start (ap, env_extra);
  ns_test_run_valist (run, env_extra, FALSE, NS_CLI_PATH, NULL, ap);
  va_end (ap);
}

static void
test_golden_pair_pfm (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *out = g_build_filename (dir, "x.pfm", NULL);
  g_autofree char *content = ns_test_shared_path ("goldens", "pair02_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "pair02_style.png", NULL);
  g_auto (NsTestRun) run = { 0 };
  run_cli (&run, NULL, "--style", style, "--style-size", "0", "-o", out, content, NULL);
  g_assert_cmpint (run.status, ==, 0);

  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) result = ns_image_load_pfm (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->width, ==, 256);
  g_assert_cmpint (result->height, ==, 256);
  g_autofree char *expected_path = ns_test_shared_path ("goldens", "expected.safetensors", NULL);
  g_autoptr (NsSafetensors) expected = ns_safetensors_open (expected_path, &error);
  g_assert_no_error (error);
  const gint64 shape[] = { 256, 256, 3 };
  g_autofree float *want = ns_safetensors_read_f32 (expected, "pair02_alpha1.0", shape, 3, &error);
  g_assert_no_error (error);
  ns_test_assert_close (result->data, want, 256 * 256 * 3, 1e-3, "CLI pair02 alpha 1.0 (PFM)");
  ns_test_remove_tree (dir);
}

typedef struct {
  const char *name;
  int status;              /* expected exit status */
  const char *message;     /* a part of the message on stderr */
} Mistake;

/* Runs one mistaken command; `content`/`style`/`alpha` default to good values. */
static void
check_mistake (const Mistake *m, const char *const *env, const char *content, const char *style,
               const char *alpha, const char *extra_option, const char *extra_value)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_auto (NsTestRun) run = { 0 };
  g_test_message ("case: %s", m->name);
  if (extra_option != NULL)
    run_cli (&run, env, "--style", style, "--alpha", alpha, "-o", out, extra_option, extra_value, content, NULL);
  else
    run_cli (&run, env, "--style", style, "--alpha", alpha, "-o", out, content, NULL);
  g_assert_cmpint (run.status, ==, m->status);
  g_assert_nonnull (strstr (run.err, m->message));
  g_assert_true (g_str_has_prefix (run.err, "neural-style: "));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_null (g_dir_read_name (d));   /* no temporary file left either */
  ns_test_remove_tree (dir);
}

static void
test_mistakes (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *good = ns_test_shared_path ("goldens", "pair00_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "pair00_style.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-photo.png", NULL);
  g_autofree char *garbage = g_build_filename (dir, "garbage.png", NULL);
  g_autofree char *tiny = g_build_filename (dir, "tiny.png", NULL);
  g_autofree char *no_vendors = g_build_filename (dir, "vendors", NULL);
  g_autofree char *no_weights = g_build_filename (dir, "weights", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_set_contents (garbage, "this is not a PNG file", -1, &error));
  g_autoptr (GRand) rand = g_rand_new_with_seed (10);
  g_autoptr (NsImage) small = ns_test_random_image (rand, 10, 10, 3);
  g_assert_true (ns_image_save_png (small, tiny, &error));
  g_assert_cmpint (g_mkdir (no_vendors, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (no_weights, 0700), ==, 0);
  g_autofree char *vendors_env = g_strconcat ("OCL_ICD_VENDORS=", no_vendors, NULL);
  g_autofree char *weights_env = g_strconcat ("NEURAL_STYLE_WEIGHTS=", no_weights, NULL);
  const char *no_device_env[] = { vendors_env, NULL };
  const char *no_weights_env[] = { weights_env, NULL };

  check_mistake (&(Mistake) { "missing content file", 1, "no-such-photo.png" }, NULL, missing, style, "1", NULL, NULL);
  check_mistake (&(Mistake) { "missing style file", 1, "no-such-photo.png" }, NULL, good, missing, "1", NULL, NULL);
  check_mistake (&(Mistake) { "unreadable image", 1, "garbage.png" }, NULL, garbage, style, "1", NULL, NULL);
  check_mistake (&(Mistake) { "10x10 image", 1, "at least 16" }, NULL, tiny, style, "1", NULL, NULL);
  check_mistake (&(Mistake) { "alpha 1.5", 2, "--alpha is 1.5" }, NULL, good, style, "1.5", NULL, NULL);
  check_mistake (&(Mistake) { "alpha not a number", 2, "alpha" }, NULL, good, style, "strong", NULL, NULL);
  check_mistake (&(Mistake) { "negative style size", 2, "--style-size" }, NULL, good, style, "1", "--style-size", "-3");
  check_mistake (&(Mistake) { "no OpenCL device", 1, "No OpenCL driver was found" }, no_device_env, good, style, "1",
                 NULL, NULL);
  check_mistake (&(Mistake) { "device out of range", 1, "no OpenCL device number 99" }, NULL, good, style, "1",
                 "--device", "99");
  check_mistake (&(Mistake) { "no weights", 1, "NEURAL_STYLE_WEIGHTS" }, no_weights_env, good, style, "1", NULL, NULL);
  /* Every invalid option value is a wrong command line (issue 16, item 10): status 2 and a sentence. */
  check_mistake (&(Mistake) { "style size 5", 2, "--style-size is 5" }, NULL, good, style, "1", "--style-size", "5");
  check_mistake (&(Mistake) { "style size 100000", 2, "--style-size is 100000" }, NULL, good, style, "1",
                 "--style-size", "100000");
  check_mistake (&(Mistake) { "negative device", 2, "--device is -5" }, NULL, good, style, "1", "--device", "-5");
  g_autofree char *bad_weight = g_strconcat (style, ":abc", NULL);
  check_mistake (&(Mistake) { "weight not a number", 2, "is “abc”, which is not a number" }, NULL, good, bad_weight,
                 "1", NULL, NULL);
  g_autofree char *negative_weight = g_strconcat (style, ":-1", NULL);
  check_mistake (&(Mistake) { "negative weight", 2, "must be a number of 0 or more" }, NULL, good, negative_weight,
                 "1", NULL, NULL);
  check_mistake (&(Mistake) { "unknown method", 2, "--method is “fast”" }, NULL, good, style, "1", "--method", "fast");
  check_mistake (&(Mistake) { "too many iterations", 2, "--iterations is 2147483647" }, NULL, good, style, "1",
                 "--iterations", "2147483647");
  ns_test_remove_tree (dir);
}

static void
test_output_in_missing_folder (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *out = g_build_filename (dir, "not-there", "out.png", NULL);
  g_autofree char *content = ns_test_shared_path ("goldens", "pair00_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "pair00_style.png", NULL);
  g_auto (NsTestRun) run = { 0 };
  /* A small style keeps this quick; the failure comes at the very end. */
  run_cli (&run, NULL, "--style", style, "--style-size", "16", "-o", out, content, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "out.png"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  ns_test_remove_tree (dir);
}

static NsImage *
load_pfm (const char *path)
{
  g_autoptr (GError) error = NULL;
  NsImage *image = ns_image_load_pfm (path, &error);
  g_assert_no_error (error);
  return image;
}

/* The AdaIN controls and the metrics subcommand, end to end. */
static void
test_controls_and_metrics (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *content = ns_test_shared_path ("goldens", "pair01_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "pair01_style.png", NULL);
  g_autofree char *other = ns_test_shared_path ("goldens", "pair02_style.png", NULL);
  g_autofree char *single = g_build_filename (dir, "single.pfm", NULL);
  g_autofree char *blend = g_build_filename (dir, "blend.pfm", NULL);
  g_autofree char *luma = g_build_filename (dir, "luma.png", NULL);
  g_autofree char *weighted_a = g_strconcat (style, ":1", NULL);
  g_autofree char *weighted_b = g_strconcat (other, ":0", NULL);
  g_auto (NsTestRun) run = { 0 };
  run_cli (&run, NULL, "--style", style, "--style-size", "64", "-o", single, content, NULL);
  g_assert_cmpint (run.status, ==, 0);
  ns_test_run_clear (&run);
  run_cli (&run, NULL, "--style", weighted_a, "--style", weighted_b, "--style-size", "64", "-o", blend, content, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_autoptr (NsImage) a = load_pfm (single);
  g_autoptr (NsImage) b = load_pfm (blend);
  ns_test_assert_close (b->data, a->data, (gsize) a->width * a->height * 3, 1e-4, "CLI blend (1, 0) vs one style");
  ns_test_run_clear (&run);
  ns_test_run (&run, NULL, TRUE, NS_CLI_PATH, "-v", "--style", style, "--style-size", "64", "--preserve-color",
               "luminance", "--tile", "64", "-o", luma, content, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (luma, G_FILE_TEST_IS_REGULAR));
  /* Verbose, a tiled run says how far it has come. */
  g_assert_nonnull (strstr (run.out, "50 % done\n"));
  g_assert_true (g_str_has_suffix (run.out, "100 % done\n"));
  ns_test_run_clear (&run);
  run_cli (&run, NULL, "--style", style, "--preserve-color", "sepia", "-o", luma, content, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "sepia"));

  /* metrics prints E, C, L8 and L8's ratio to the content's; C and the ratio of the content against itself are 1. */
  g_auto (NsTestRun) metrics = { 0 };
  ns_test_run (&metrics, NULL, TRUE, NS_CLI_PATH, "metrics", "--content", content, "--style", style, content, NULL);
  g_assert_cmpint (metrics.status, ==, 0);
  double e = 0, c = 0, l8 = -1, ratio = 0;
  g_assert_cmpint (sscanf (metrics.out, "E=%lf C=%lf L8=%lf L8_ratio=%lf", &e, &c, &l8, &ratio), ==, 4);
  g_assert_cmpfloat_with_epsilon (c, 1.0, 1e-9);
  g_assert_true (isfinite (e));
  g_assert_cmpfloat (l8, >, 0.0);
  g_assert_cmpfloat (l8, <, 1.0);
  g_assert_cmpfloat_with_epsilon (ratio, 1.0, 1e-9);
  ns_test_remove_tree (dir);
}

/* A photo with transparency: the PNG result keeps its alpha, byte for byte,
 * and its colours are those of the same photo without alpha. */
static void
test_keeps_transparency (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *style = ns_test_shared_path ("goldens", "pair01_style.png", NULL);
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair01_content.png");
  g_autoptr (NsImage) small = ns_image_resize (photo, 48, 40);
  g_autoptr (GRand) rand = g_rand_new_with_seed (12);
  g_autoptr (NsImage) alpha = ns_test_random_image (rand, 48, 40, 4);
  for (gsize i = 0; i < 48 * 40; i++)   /* 8-bit values, so that the PNG keeps them exactly */
    alpha->data[i * 4 + 3] = (float) g_rand_int_range (rand, 0, 256) / 255.0f;
  g_autoptr (NsImage) cut_out = ns_image_with_alpha (small, alpha);
  g_autofree char *rgba_path = g_build_filename (dir, "cut-out.png", NULL);
  g_autofree char *rgb_path = g_build_filename (dir, "opaque.png", NULL);
  g_autofree char *rgba_out = g_build_filename (dir, "cut-out-styled.png", NULL);
  g_autofree char *rgb_out = g_build_filename (dir, "opaque-styled.png", NULL);
  g_assert_true (ns_image_save_png (cut_out, rgba_path, NULL));
  g_assert_true (ns_image_save_png (small, rgb_path, NULL));

  g_auto (NsTestRun) run = { 0 };
  run_cli (&run, NULL, "--style", style, "--style-size", "64", "-o", rgba_out, rgba_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  ns_test_run_clear (&run);
  run_cli (&run, NULL, "--style", style, "--style-size", "64", "-o", rgb_out, rgb_path, NULL);
  g_assert_cmpint (run.status, ==, 0);

  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) styled = ns_image_load_with_alpha (rgba_out, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) styled_opaque = ns_image_load_with_alpha (rgb_out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (styled->channels, ==, 4);
  g_assert_cmpint (styled_opaque->channels, ==, 3);
  g_autoptr (NsImage) input = ns_image_load_with_alpha (rgba_path, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < 48 * 40; i++)
    {
      g_assert_cmpfloat (styled->data[i * 4 + 3], ==, input->data[i * 4 + 3]);
      for (int c = 0; c < 3; c++)
        g_assert_cmpfloat (styled->data[i * 4 + c], ==, styled_opaque->data[i * 3 + c]);
    }
  ns_test_remove_tree (dir);
}

/* Ctrl+C during an AdaIN run (in tiles, so that it says how far it has
 * come): no image before the end, so no file, and exit status 130. */
static void
test_interrupt (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  g_autoptr (NsImage) small = ns_image_resize (photo, 256, 256);
  g_autofree char *content = g_build_filename (dir, "photo.png", NULL);
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_assert_true (ns_image_save_png (small, content, NULL));
  g_autoptr (GSubprocess) run = ns_test_spawn (NS_CLI_PATH, "-v", "--tile", "64", "--style", "starry-night",
                                               "--style-size", "64", "-o", out, content, NULL);
  g_autoptr (GDataInputStream) stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run));
  g_autoptr (GDataInputStream) stderr_lines = g_data_input_stream_new (g_subprocess_get_stderr_pipe (run));
  g_autofree char *tenth = ns_test_read_until (stdout_lines, "10 % done");   /* 16 tiles: 3 of 32 steps */
  g_assert_nonnull (tenth);
  g_subprocess_send_signal (run, SIGINT);
  g_free (ns_test_read_until (stdout_lines, "no such line"));
  g_autofree char *said = ns_test_read_until (stderr_lines, "Interrupted");
  g_assert_nonnull (said);
  /* The project's sentence only: not GLib's "Operation was cancelled" after it. */
  g_autofree char *more = ns_test_read_until (stderr_lines, "ancel");
  g_assert_null (more);
  g_assert_true (g_subprocess_wait (run, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (run));
  g_assert_cmpint (g_subprocess_get_exit_status (run), ==, 130);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  ns_test_remove_tree (dir);
}

/* Issue 16: every defect of the output path is found before any work. */
static void
test_output_checked_first (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *content = ns_test_shared_path ("goldens", "pair00_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "pair00_style.png", NULL);
  g_autofree char *fifo = g_build_filename (dir, "fifo.png", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_autofree char *unknown = g_build_filename (dir, "out.xyz", NULL);
  const struct { const char *out; int status; const char *says; } cases[] = {
    { "/nonexistent-folder/x.png", 1, "the folder does not exist" },
    { "/proc/x.png", 1, "no file can be created in the folder “/proc”" },
    { fifo, 1, "named pipe (FIFO)" },
    { unknown, 2, "its extension names no format" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* 30 Gatys iterations would print 30 lines: none may come. */
      g_auto (NsTestRun) run = { 0 };
      ns_test_run (&run, NULL, TRUE, NS_CLI_PATH, "--method", "gatys", "--iterations", "30", "--style", style,
                   "-o", cases[i].out, content, NULL);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_true (g_str_has_prefix (run.err, "neural-style: "));
      g_assert_nonnull (strstr (run.err, cases[i].says));
      g_assert_null (strstr (run.out, "iteration"));
    }
  GStatBuf st;
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_assert_false (g_file_test (unknown, G_FILE_TEST_EXISTS));
  ns_test_remove_tree (dir);
}

static gboolean
file_starts_with (const char *path, const char *magic, gsize length)
{
  g_autofree char *bytes = NULL;
  gsize size = 0;
  return g_file_get_contents (path, &bytes, &size, NULL) && size > length && memcmp (bytes, magic, length) == 0;
}

/* -o through a symbolic link (to a file, to /dev/null), into a character
 * device node (where this runs as root), and .jpg as JPEG. */
static void
test_output_kinds (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *content = ns_test_shared_path ("goldens", "pair00_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "pair00_style.png", NULL);
  g_autofree char *link = g_build_filename (dir, "link.png", NULL);
  g_autofree char *target = g_build_filename (dir, "target.png", NULL);
  g_autofree char *null_link = g_build_filename (dir, "null", NULL);
  g_autofree char *device = g_build_filename (dir, "device", NULL);
  g_autofree char *jpeg = g_build_filename (dir, "out.jpg", NULL);
  g_assert_cmpint (symlink ("target.png", link), ==, 0);
  g_assert_cmpint (symlink ("/dev/null", null_link), ==, 0);
  const gboolean have_device = mknod (device, S_IFCHR | 0666, makedev (1, 3)) == 0;
  const char *outs[] = { link, null_link, jpeg, have_device ? device : NULL };
  for (gsize i = 0; i < G_N_ELEMENTS (outs) && outs[i] != NULL; i++)
    {
      g_auto (NsTestRun) run = { 0 };
      run_cli (&run, NULL, "--style", style, "--style-size", "32", "-o", outs[i], content, NULL);
      g_assert_cmpint (run.status, ==, 0);
    }
  GStatBuf st;
  g_assert_cmpint (g_lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_true (file_starts_with (target, "\x89PNG", 4));
  g_assert_cmpint (g_lstat (null_link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_true (file_starts_with (jpeg, "\xff\xd8\xff", 3));
  if (have_device)
    {
      g_assert_cmpint (g_lstat (device, &st), ==, 0);
      g_assert_true (S_ISCHR (st.st_mode));
    }
  else
    g_test_message ("mknod: %s (the link to /dev/null wrote into a device)", g_strerror (errno));
  ns_test_remove_tree (dir);
}

/* Contents that must not pass: cut short, too large (refused from its header,
 * at once), NaN pixels.  Each is exit 1 and a sentence naming the file. */
static void
test_hostile_contents (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *style = ns_test_shared_path ("goldens", "pair00_style.png", NULL);
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_autofree char *jpeg = NULL;
  gsize size = 0;
  g_autofree char *sample = ns_test_shared_path ("samples", "tubingen.jpg", NULL);
  g_assert_true (g_file_get_contents (sample, &jpeg, &size, NULL));
  g_autofree char *cut = g_build_filename (dir, "cut.jpg", NULL);
  g_assert_true (g_file_set_contents (cut, jpeg, (gssize) size / 2, NULL));
  g_autofree char *huge = g_build_filename (dir, "huge.png", NULL);
  ns_test_write_png_header_only (huge, 20000, 20000);
  g_autofree char *nan = g_build_filename (dir, "nan.pfm", NULL);
  GString *pfm = g_string_new ("PF\n16 16\n-1.0\n");
  for (int i = 0; i < 16 * 16 * 3; i++)
    {
      const float v = i == 100 ? NAN : 0.5f;
      g_string_append_len (pfm, (const char *) &v, sizeof v);   /* little-endian machines only, as the PFM says -1 */
    }
  g_assert_true (g_file_set_contents (nan, pfm->str, (gssize) pfm->len, NULL));
  g_string_free (pfm, TRUE);
  const struct { const char *content; const char *says; } cases[] = {
    { cut, "cut short" },
    { huge, "at most 16384 pixels" },
    { nan, "not a finite number" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (NsTestRun) run = { 0 };
      run_cli (&run, NULL, "--style", style, "-o", out, cases[i].content, NULL);
      g_assert_cmpint (run.status, ==, 1);
      g_autofree char *name = g_path_get_basename (cases[i].content);
      g_assert_nonnull (strstr (run.err, name));
      g_assert_nonnull (strstr (run.err, cases[i].says));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
  ns_test_remove_tree (dir);
}

/* Finite but saturated decoder weights (every one 65504, the largest half)
 * overflow to Inf and NaN: a sentence, exit 1, no white image. */
static void
test_non_finite_result (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *weights = g_build_filename (dir, "weights", NULL);
  g_assert_cmpint (g_mkdir (weights, 0700), ==, 0);
  g_autofree char *vgg = ns_test_shared_path ("weights", "vgg19-conv.safetensors", NULL);
  g_autofree char *vgg_link = g_build_filename (weights, "vgg19-conv.safetensors", NULL);
  g_assert_cmpint (symlink (vgg, vgg_link), ==, 0);
  g_autofree char *decoder_path = ns_test_shared_path ("weights", "adain-decoder.safetensors", NULL);
  g_autofree char *decoder = NULL;
  gsize size = 0;
  g_assert_true (g_file_get_contents (decoder_path, &decoder, &size, NULL));
  guint64 header;
  memcpy (&header, decoder, sizeof header);
  header = GUINT64_FROM_LE (header);
  for (gsize i = 8 + header; i + 1 < size; i += 2)   /* every tensor is F16 */
    {
      decoder[i] = (char) 0xff;
      decoder[i + 1] = 0x7b;
    }
  g_autofree char *saturated = g_build_filename (weights, "adain-decoder.safetensors", NULL);
  g_assert_true (g_file_set_contents (saturated, decoder, (gssize) size, NULL));
  g_autofree char *env_weights = g_strconcat ("NEURAL_STYLE_WEIGHTS=", weights, NULL);
  const char *env[] = { env_weights, NULL };
  g_autofree char *content = ns_test_shared_path ("goldens", "pair00_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "pair00_style.png", NULL);
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_auto (NsTestRun) run = { 0 };
  run_cli (&run, env, "--style", style, "--style-size", "32", "-o", out, content, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "not finite numbers"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  ns_test_remove_tree (dir);
}

/* Two Ctrl+C while the result is being renamed into place: the file is
 * completed first, then the process ends as the second signal says; no
 * temporary "out.png.XXXXXX" is left beside it. */
static void
test_second_interrupt_while_saving (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-XXXXXX");
  g_autofree char *content = ns_test_shared_path ("goldens", "pair00_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "pair00_style.png", NULL);
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", NS_SIGNAL_AT_RENAME, TRUE);
  g_subprocess_launcher_setenv (launcher, "NS_TEST_SIGNAL_AT_RENAME", out, TRUE);
  /* Under AddressSanitizer the shim comes before its runtime: allowed here. */
  const char *asan = g_getenv ("ASAN_OPTIONS");
  g_autofree char *asan_options = g_strconcat (asan != NULL ? asan : "", asan != NULL ? ":" : "",
                                               "verify_asan_link_order=0", NULL);
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan_options, TRUE);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) run = g_subprocess_launcher_spawn (launcher, &error, NS_CLI_PATH, "--style", style,
                                                             "--style-size", "32", "-o", out, content, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (run, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (run));
  g_assert_cmpint (g_subprocess_get_term_sig (run), ==, SIGINT);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    g_assert_cmpstr (name, ==, "out.png");
  g_autoptr (NsImage) saved = ns_image_load (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (saved->width, ==, 256);
  ns_test_remove_tree (dir);
}

static void
test_list_devices (void)
{
  g_auto (NsTestRun) run = { 0 };
  run_cli (&run, NULL, "--list-devices", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/mistakes", test_mistakes);
  g_test_add_func ("/cli/list-devices", test_list_devices);
  g_test_add_func ("/cli/keeps-transparency", test_keeps_transparency);
  g_test_add_func ("/cli/interrupt", test_interrupt);
  g_test_add_func ("/cli/output-in-missing-folder", test_output_in_missing_folder);
  g_test_add_func ("/cli/golden-pair-pfm", test_golden_pair_pfm);
  g_test_add_func ("/cli/controls-and-metrics", test_controls_and_metrics);
  g_test_add_func ("/cli/output-checked-first", test_output_checked_first);
  g_test_add_func ("/cli/output-kinds", test_output_kinds);
  g_test_add_func ("/cli/hostile-contents", test_hostile_contents);
  g_test_add_func ("/cli/non-finite-result", test_non_finite_result);
  g_test_add_func ("/cli/second-interrupt-while-saving", test_second_interrupt_while_saving);
  return g_test_run ();
}
