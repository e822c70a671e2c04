/* The command-line tool's Gatys side: the gatys-objective subcommand against
 * the gatys_a golden (losses on stdout, the gradient as a PFM), a short run
 * printing its losses, the style controls (blend, mask, colour, style scale),
 * tiles and the memory budget, and the mistakes a user can make. */
#include "ns-image-io.h"
#include "ns-safetensors.h"
#include "ns-test-util.h"
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>

static const char *const c_locale[] = { "LC_ALL=C", NULL };

static void
run_cli (NsTestRun *run, ...)
{
  va_list ap;
  va_start (ap, run);
  ns_test_run_valist (run, c_locale, TRUE, NS_CLI_PATH, NULL, ap);
  va_end (ap);
}

static void
test_objective_golden (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-gatys-XXXXXX");
  g_autofree char *grad_path = g_build_filename (dir, "grad.pfm", NULL);
  g_autofree char *x = ns_test_shared_path ("goldens", "gatys_a_x.png", NULL);
  g_autofree char *content = ns_test_shared_path ("goldens", "gatys_a_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "gatys_a_style.png", NULL);
  g_auto (NsTestRun) run = { 0 };
  run_cli (&run, "gatys-objective", "--x", x, "--content", content, "--style", style, "--content-weight", "1",
           "--style-weight", "1000", "-o", grad_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  double got[3];
  g_assert_cmpint (sscanf (run.out, "content=%lf style=%lf total=%lf", &got[0], &got[1], &got[2]), ==, 3);

  g_autoptr (GError) error = NULL;
  g_autofree char *path = ns_test_shared_path ("goldens", "expected.safetensors", NULL);
  g_autoptr (NsSafetensors) expected = ns_safetensors_open (path, &error);
  g_assert_no_error (error);
  const gint64 loss_shape[] = { 3 }, grad_shape[] = { 64, 64, 3 };
  g_autofree float *want_loss = ns_safetensors_read_f32 (expected, "gatys_a_loss", loss_shape, 1, &error);
  g_autofree float *want_grad = ns_safetensors_read_f32 (expected, "gatys_a_grad", grad_shape, 3, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 3; i++)
    {
      double rel = fabs (got[i] - want_loss[i]) / fabs (want_loss[i]);
      g_test_message ("loss %d: %.9g, golden %.9g, relative error %.3g", i, got[i], want_loss[i], rel);
      g_assert_cmpfloat (rel, <, 1e-4);
    }
  g_autoptr (NsImage) grad = ns_image_load_pfm (grad_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (grad->width, ==, 64);
  g_assert_cmpint (grad->height, ==, 64);
  g_assert_cmpint (grad->channels, ==, 3);
  ns_test_assert_close (grad->data, want_grad, 64 * 64 * 3, 1e-3, "CLI gatys_a gradient (PFM)");
  ns_test_remove_tree (dir);
}

static void
test_short_run (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-gatys-XXXXXX");
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_autofree char *content = ns_test_shared_path ("goldens", "gatys_a_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "gatys_a_style.png", NULL);
  g_auto (NsTestRun) run = { 0 };
  run_cli (&run, "--method", "gatys", "--iterations", "3", "--init", "noise", "--seed", "5", "--style", style,
           "--style-size", "0", "--tv-weight", "10", "-o", out, content, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) result = ns_image_load (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->width, ==, 64);
  /* One line of losses per iteration, the total falling. */
  g_auto (GStrv) lines = g_strsplit (g_strstrip (run.out), "\n", -1);
  g_assert_cmpint (g_strv_length (lines), ==, 3);
  double previous = INFINITY;
  for (int i = 0; i < 3; i++)
    {
      int it, n;
      double lc, ls, ltv, l;
      g_assert_cmpint (sscanf (lines[i], "iteration %d/%d: content %lf, style %lf, total variation %lf, total %lf",
                               &it, &n, &lc, &ls, &ltv, &l), ==, 6);
      g_assert_cmpint (it, ==, i + 1);
      g_assert_cmpfloat (ltv, >, 0);
      g_assert_cmpfloat (l, <, previous);
      previous = l;
    }

  /* Issue 18: --iterations is the run's total over the coarse-to-fine
   * scales, and each line says which scale: 5 on two scales are 3 at
   * 32 x 32 and 2 at 64 x 64. */
  g_auto (NsTestRun) scaled = { 0 };
  run_cli (&scaled, "--method", "gatys", "--iterations", "5", "--scales", "2", "--style", style, "--style-size", "0",
           "-o", out, content, NULL);
  g_assert_cmpint (scaled.status, ==, 0);
  g_auto (GStrv) scaled_lines = g_strsplit (g_strstrip (scaled.out), "\n", -1);
  g_assert_cmpint (g_strv_length (scaled_lines), ==, 5);
  for (int i = 0; i < 5; i++)
    {
      int it, n, scale, scales;
      g_assert_cmpint (sscanf (scaled_lines[i], "iteration %d/%d (scale %d/%d): content", &it, &n, &scale, &scales),
                       ==, 4);
      g_assert_cmpint (it, ==, i + 1);
      g_assert_cmpint (n, ==, 5);
      g_assert_cmpint (scale, ==, i < 3 ? 1 : 2);
      g_assert_cmpint (scales, ==, 2);
    }
  ns_test_remove_tree (dir);
}

static void
test_controls (void)
{
  /* Gatys with a blend, a mask with a style outside it, the style scale and
   * luminance-only transfer: the result (float PFM, not clamped) keeps the
   * content's chroma. */
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-gatys-XXXXXX");
  g_autofree char *out = g_build_filename (dir, "out.pfm", NULL);
  g_autofree char *mask_path = g_build_filename (dir, "mask.png", NULL);
  g_autofree char *content_path = ns_test_shared_path ("goldens", "gatys_a_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "gatys_a_style.png", NULL);
  g_autofree char *other = ns_test_shared_path ("goldens", "pair01_style.png", NULL);
  g_autofree char *style_spec = g_strconcat (style, ":2", NULL);
  g_autofree char *other_spec = g_strconcat (other, ":1", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) mask = ns_image_new (64, 64, 1);
  for (int y = 0; y < 64; y++)
    for (int x = 32; x < 64; x++)
      ns_image_pixel (mask, x, y)[0] = 1.0f;
  g_assert_true (ns_image_save_png (mask, mask_path, &error));
  g_assert_no_error (error);
  g_auto (NsTestRun) run = { 0 };
  run_cli (&run, "--method", "gatys", "--iterations", "2", "--style", style_spec, "--style", other_spec,
           "--mask", mask_path, "--outside-style", content_path, "--style-size", "48",
           "--preserve-color", "luminance", "-o", out, content_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_autoptr (NsImage) result = ns_image_load (out, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) content = ns_image_load (content_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->width, ==, 64);
  g_assert_cmpint (result->height, ==, 64);
  g_assert_cmpint (result->channels, ==, 3);
  double worst = 0, moved = 0;
  for (gsize i = 0; i < 64 * 64; i++)
    {
      const float *p = result->data + 3 * i, *q = content->data + 3 * i;
      double yp = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2], yq = 0.299 * q[0] + 0.587 * q[1] + 0.114 * q[2];
      worst = fmax (worst, fabs ((p[2] - yp) - (q[2] - yq)));
      worst = fmax (worst, fabs ((p[0] - yp) - (q[0] - yq)));
      moved = fmax (moved, fabs (yp - yq));
    }
  g_test_message ("chroma off by %.3g, luma moved by %.3g", worst, moved);
  g_assert_cmpfloat (worst, <, 1e-4);
  g_assert_cmpfloat (moved, >, 1e-3);

  /* A mask of another size: a clear error, no output. */
  g_autofree char *out2 = g_build_filename (dir, "out2.png", NULL);
  g_autoptr (NsImage) small_mask = ns_image_new (48, 64, 1);
  g_assert_true (ns_image_save_png (small_mask, mask_path, &error));
  g_auto (NsTestRun) wrong = { 0 };
  run_cli (&wrong, "--method", "gatys", "--iterations", "1", "--style", style, "--mask", mask_path,
           "--outside-style", style, "-o", out2, content_path, NULL);
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_nonnull (strstr (wrong.err, "content's size"));
  g_assert_false (g_file_test (out2, G_FILE_TEST_EXISTS));
  ns_test_remove_tree (dir);
}

/* --tile and --memory-budget reach the Gatys method: tiles give the untiled
 * result (the tiled objective is exact), a budget below one tile a clear error. */
static void
test_tiles (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-gatys-XXXXXX");
  g_autofree char *content_path = g_build_filename (dir, "content.png", NULL);
  g_autofree char *untiled_path = g_build_filename (dir, "untiled.pfm", NULL);
  g_autofree char *tiled_path = g_build_filename (dir, "tiled.pfm", NULL);
  g_autofree char *refused_path = g_build_filename (dir, "refused.png", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  g_autoptr (NsImage) content = ns_image_resize (photo, 256, 192);
  g_assert_true (ns_image_save_png (content, content_path, &error));
  g_assert_no_error (error);
  const char *paths[] = { untiled_path, tiled_path };
  for (int tiled = 0; tiled < 2; tiled++)
    {
      g_auto (NsTestRun) run = { 0 };
      run_cli (&run, "--method", "gatys", "--iterations", "1", "--scales", "1", "--style", "udnie",
               "--style-size", "64", "--tile", tiled ? "128" : "0", "-o", paths[tiled], content_path, NULL);
      g_assert_cmpint (run.status, ==, 0);
    }
  g_autoptr (NsImage) untiled = ns_image_load (untiled_path, &error);
  g_autoptr (NsImage) tiled = ns_image_load (tiled_path, &error);
  g_assert_no_error (error);
  gsize n = (gsize) 256 * 192 * 3;
  g_autoptr (NsImage) content_rgb = ns_image_to_rgb (content);
  g_assert_cmpfloat (ns_test_relative_l2 (untiled->data, content_rgb->data, n), >, 1e-3);
  ns_test_assert_close (tiled->data, untiled->data, n, 1e-3, "--tile 128 against untiled");

  g_auto (NsTestRun) refused = { 0 };
  run_cli (&refused, "--method", "gatys", "--iterations", "1", "--style", "udnie", "--memory-budget", "1", "-o",
           refused_path, content_path, NULL);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "too small even for the smallest tiles"));
  g_assert_false (g_file_test (refused_path, G_FILE_TEST_EXISTS));
  ns_test_remove_tree (dir);
}

static void
check_mistake (const char *name, int status, const char *message, ...)
{
  g_test_message ("case: %s", name);
  g_auto (NsTestRun) run = { 0 };
  va_list ap;
  va_start (ap, message);
  ns_test_run_valist (&run, c_locale, TRUE, NS_CLI_PATH, NULL, ap);
  va_end (ap);
  g_assert_cmpint (run.status, ==, status);
  g_assert_nonnull (strstr (run.err, message));
  g_assert_true (g_str_has_prefix (run.err, "neural-style: "));
}

static void
test_mistakes (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-gatys-XXXXXX");
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_autofree char *tiny = g_build_filename (dir, "tiny.png", NULL);
  g_autofree char *other = g_build_filename (dir, "other.png", NULL);
  g_autofree char *content = ns_test_shared_path ("goldens", "gatys_a_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "gatys_a_style.png", NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (NsImage) small = ns_test_random_image (rand, 24, 40, 3);
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_image_save_png (small, tiny, &error));
  g_autoptr (NsImage) wide = ns_test_random_image (rand, 48, 40, 3);
  g_assert_true (ns_image_save_png (wide, other, &error));

  check_mistake ("unknown method", 2, "--method", "--method", "magic", "--style", style, "-o", out, content, NULL);
  check_mistake ("unknown optimizer", 2, "--optimizer", "--method", "gatys", "--optimizer", "sgd", "--style", style,
                 "-o", out, content, NULL);
  check_mistake ("negative weight", 2, "must not be negative", "--method", "gatys", "--style-weight", "-1",
                 "--style", style, "-o", out, content, NULL);
  check_mistake ("too small for Gatys", 1, "at least 32", "--method", "gatys", "--style", style, "-o", out, tiny,
                 NULL);
  check_mistake ("objective without a style", 2, "--style", "gatys-objective", "--x", content, "--content",
                 content, NULL);
  check_mistake ("objective with different sizes", 1, "same size", "gatys-objective", "--x", other, "--content",
                 content, "--style", style, NULL);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  ns_test_remove_tree (dir);
}

/* A photo of the given size in dir, as a PNG path. */
static char *
photo_png (const char *dir, int width, int height)
{
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  g_autoptr (NsImage) small = ns_image_resize (photo, width, height);
  g_autofree char *name = g_strdup_printf ("photo-%dx%d.png", width, height);
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (ns_image_save_png (small, path, NULL));
  return path;
}

/* A Gatys run that would go on for hours, its stdout and stderr read by lines. */
typedef struct {
  GSubprocess *process;
  GDataInputStream *out, *err;
} LongRun;

static void
long_run_start (LongRun *run, const char *content, const char *output)
{
  run->process = ns_test_spawn (NS_CLI_PATH, "--method", "gatys", "--iterations", "10000", "--style", "starry-night",
                                "--style-size", "64", "-o", output, content, NULL);
  run->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (run->process));
  run->err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (run->process));
}

static void
long_run_clear (LongRun *run)
{
  g_clear_object (&run->out);
  g_clear_object (&run->err);
  g_clear_object (&run->process);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LongRun, long_run_clear)

/* Ctrl+C during a run: it stops within a layer's work, writes the best image
 * so far and exits with 130.  (A second Ctrl+C while the file is written:
 * test-cli's /cli/second-interrupt-while-saving.) */
static void
test_interrupt (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-cli-gatys-XXXXXX");
  g_autofree char *small = photo_png (dir, 64, 48);
  g_autofree char *kept = g_build_filename (dir, "kept.png", NULL);
  g_auto (LongRun) once = { 0 };
  long_run_start (&once, small, kept);
  /* After a few seconds each line says how long the rest will take. */
  g_autofree char *paced = ns_test_read_until (once.out, " left");
  g_assert_nonnull (paced);
  g_test_message ("%s", paced);
  g_assert_true (g_regex_match_simple ("^iteration [0-9]+/10000: content .*, total [^,]+, about [0-9]+ (s|min|h [0-9]+ min) left$",
                                       paced, 0, 0));
  g_subprocess_send_signal (once.process, SIGINT);
  g_free (ns_test_read_until (once.out, "no such line"));   /* to its end */
  g_autofree char *said = ns_test_read_until (once.err, "Stopped at iteration");
  g_assert_nonnull (said);
  g_test_message ("%s", said);
  g_assert_true (g_subprocess_wait (once.process, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (once.process));
  g_assert_cmpint (g_subprocess_get_exit_status (once.process), ==, 130);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) best = ns_image_load (kept, &error);
  g_assert_no_error (error);
  g_assert_cmpint (best->width, ==, 64);
  g_assert_cmpint (best->height, ==, 48);

  /* Issue 18: at 512 x 512, where an iteration takes seconds on a processor,
   * Ctrl+C halfway through one stops the run within a layer's work (not at
   * the end of the iteration): it writes the best image of the iterations
   * done and exits well within an iteration's time, even with the PNG to
   * write. */
  g_autofree char *large = photo_png (dir, 512, 512);
  g_autofree char *soon = g_build_filename (dir, "soon.png", NULL);
  g_auto (LongRun) quick = { 0 };
  long_run_start (&quick, large, soon);
  g_free (ns_test_read_until (quick.out, "iteration 1/"));
  gint64 first = g_get_monotonic_time ();
  g_autofree char *second = ns_test_read_until (quick.out, "iteration 2/");
  g_assert_nonnull (second);
  gint64 iteration_us = g_get_monotonic_time () - first;
  g_usleep (iteration_us / 2);
  gint64 signalled = g_get_monotonic_time ();
  g_subprocess_send_signal (quick.process, SIGINT);
  g_free (ns_test_read_until (quick.out, "no such line"));   /* to its end */
  g_assert_true (g_subprocess_wait (quick.process, NULL, NULL));
  double latency = (g_get_monotonic_time () - signalled) / 1e6, iteration_s = iteration_us / 1e6;
  g_test_message ("one iteration %.2f s; Ctrl+C halfway through the third: the process ended %.2f s later",
                  iteration_s, latency);
  g_assert_true (g_subprocess_get_if_exited (quick.process));
  g_assert_cmpint (g_subprocess_get_exit_status (quick.process), ==, 130);
  g_assert_cmpfloat (latency, <, iteration_s / 2);
  g_autofree char *stopped = ns_test_read_until (quick.err, "Stopped at iteration");
  g_assert_nonnull (stopped);
  g_assert_true (strstr (stopped, "Stopped at iteration 2 of 10000") != NULL   /* the third was under way */
                 || strstr (stopped, "Stopped at iteration 3 of 10000") != NULL);   /* or done quickly */
  g_autoptr (NsImage) written = ns_image_load (soon, &error);
  g_assert_no_error (error);
  g_assert_cmpint (written->width, ==, 512);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)   /* no temporary file left */
    g_assert_true (g_str_has_prefix (name, "photo-") || strcmp (name, "kept.png") == 0
                   || strcmp (name, "soon.png") == 0);
  ns_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-gatys/objective-golden", test_objective_golden);
  g_test_add_func ("/cli-gatys/short-run", test_short_run);
  g_test_add_func ("/cli-gatys/mistakes", test_mistakes);
  g_test_add_func ("/cli-gatys/controls", test_controls);
  g_test_add_func ("/cli-gatys/tiles", test_tiles);
  g_test_add_func ("/cli-gatys/interrupt", test_interrupt);
  return g_test_run ();
}
