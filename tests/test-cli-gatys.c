/* The command-line tool's Gatys side: the gatys-objective subcommand against
 * the gatys_a golden (losses on stdout, the gradient as a PFM), a short run
 * printing its losses, and the mistakes a user can make. */
#include "ns-image-io.h"
#include "ns-safetensors.h"
#include "ns-test-util.h"
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

typedef struct {
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run *run, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) NS_CLI_PATH);
  va_list ap;
  va_start (ap, run);
  for (const char *arg; (arg = va_arg (ap, const char *)) != NULL;)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &run->out, &run->err,
                               &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

static char *
temp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("ns-cli-gatys-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

static void
test_objective_golden (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *grad_path = g_build_filename (dir, "grad.pfm", NULL);
  g_autofree char *x = ns_test_shared_path ("goldens", "gatys_a_x.png", NULL);
  g_autofree char *content = ns_test_shared_path ("goldens", "gatys_a_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "gatys_a_style.png", NULL);
  g_auto (Run) run = { 0 };
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
  remove_dir (dir);
}

static void
test_short_run (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_autofree char *content = ns_test_shared_path ("goldens", "gatys_a_content.png", NULL);
  g_autofree char *style = ns_test_shared_path ("goldens", "gatys_a_style.png", NULL);
  g_auto (Run) run = { 0 };
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
  remove_dir (dir);
}

static void
check_mistake (const char *name, int status, const char *message, ...)
{
  g_test_message ("case: %s", name);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) NS_CLI_PATH);
  va_list ap;
  va_start (ap, message);
  for (const char *arg; (arg = va_arg (ap, const char *)) != NULL;)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "LC_ALL", "C", TRUE);
  g_autofree char *out = NULL, *err = NULL;
  int wait_status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &wait_status, &error));
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, status);
  g_assert_nonnull (strstr (err, message));
  g_assert_true (g_str_has_prefix (err, "neural-style: "));
}

static void
test_mistakes (void)
{
  g_autofree char *dir = temp_dir ();
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
  remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-gatys/objective-golden", test_objective_golden);
  g_test_add_func ("/cli-gatys/short-run", test_short_run);
  g_test_add_func ("/cli-gatys/mistakes", test_mistakes);
  return g_test_run ();
}
