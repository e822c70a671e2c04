#include "ns-test-util.h"
#include <string.h>

#include "ns-image-io.h"
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

const char *
ns_test_shared_dir (void)
{
  const char *env = g_getenv ("NEURAL_STYLE_SHARED_DIR");
  return env != NULL && *env != '\0' ? env : NS_SHARED_DIR;
}

char *
ns_test_shared_path (const char *first, ...)
{
  va_list ap;
  va_start (ap, first);
  g_autofree char *rest = g_build_filename_valist (first, &ap);
  va_end (ap);
  return g_build_filename (ns_test_shared_dir (), rest, NULL);
}

NsImage *
ns_test_load_shared_image (const char *dir, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = ns_test_shared_path (dir, name, NULL);
  NsImage *image = ns_image_load (path, &error);
  g_assert_no_error (error);
  return image;
}

char *
ns_test_make_temp_dir (const char *tmpl)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  return dir;
}

void
ns_test_remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        ns_test_remove_tree (path);
      else
        g_remove (path);
    }
  g_rmdir (dir);
}

void
ns_test_run_clear (NsTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
ns_test_run_valist (NsTestRun *run, const char *const *env_extra, gboolean keep_stdout, const char *program,
                    const char *first_arg, va_list args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) program);
  if (first_arg != NULL)
    g_ptr_array_add (argv, (gpointer) first_arg);
  for (const char *arg; (arg = va_arg (args, const char *)) != NULL;)
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  g_auto (GStrv) env = g_get_environ ();
  for (gsize i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (env_extra[i], "=", 2);
      env = g_environ_setenv (env, kv[0], kv[1], TRUE);
    }
  g_autoptr (GError) error = NULL;
  int wait_status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, keep_stdout ? G_SPAWN_DEFAULT : G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, keep_stdout ? &run->out : NULL, &run->err, &wait_status, &error));
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status))   /* a crash, or a sanitizer's report: say what it said */
    g_test_message ("killed by signal %d; stderr: %s", WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0,
                    run->err);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  if (keep_stdout)
    g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
  else
    g_test_message ("exit %d: %s", run->status, run->err);
}

void
ns_test_run (NsTestRun *run, const char *const *env_extra, gboolean keep_stdout, const char *program, ...)
{
  va_list ap;
  va_start (ap, program);
  ns_test_run_valist (run, env_extra, keep_stdout, program, NULL, ap);
  va_end (ap);
}

/* A test that fails aborts: its children must not run on (for hours, for a
 * long Gatys run) after it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocess *
ns_test_spawn (const char *program, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) program);
  va_list ap;
  va_start (ap, program);
  for (const char *arg; (arg = va_arg (ap, const char *)) != NULL;)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_autoptr (GError) error = NULL;
  GSubprocess *process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

char *
ns_test_read_until (GDataInputStream *stream, const char *text)
{
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);
      g_assert_no_error (error);
      if (line == NULL || strstr (line, text) != NULL)
        return line;
      g_test_message ("%s", line);
      g_free (line);
    }
}

void
ns_test_fill_random (GRand *rand, float *data, gsize n, float lo, float hi)
{
  for (gsize i = 0; i < n; i++)
    data[i] = (float) g_rand_double_range (rand, lo, hi);
}

NsImage *
ns_test_random_image (GRand *rand, int width, int height, int channels)
{
  NsImage *image = ns_image_new (width, height, channels);
  ns_test_fill_random (rand, image->data, (gsize) width * height * channels, 0.0f, 1.0f);
  return image;
}

double
ns_test_relative_l2 (const float *a, const float *b, gsize n)
{
  double num = 0, den = 0;
  for (gsize i = 0; i < n; i++)
    {
      double d = (double) a[i] - b[i];
      num += d * d;
      den += (double) b[i] * b[i];
    }
  return den > 0 ? sqrt (num / den) : sqrt (num);
}

double
ns_test_max_relative_error (const float *a, const float *b, gsize n)
{
  double worst = 0, scale = 1e-30;
  for (gsize i = 0; i < n; i++)
    {
      worst = fmax (worst, fabs ((double) a[i] - b[i]));
      scale = fmax (scale, fabs ((double) b[i]));
    }
  return worst / scale;
}

/* CRC-32 as PNG computes it (ISO 3309), bit by bit: a few bytes only. */
static guint32
png_crc (const guint8 *data, gsize length)
{
  guint32 crc = 0xffffffffu;
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
    }
  return crc ^ 0xffffffffu;
}

static void
append_be32 (GByteArray *bytes, guint32 value)
{
  const guint8 be[4] = { value >> 24, value >> 16, value >> 8, value };
  g_byte_array_append (bytes, be, 4);
}

void
ns_test_write_png_header_only (const char *path, guint32 width, guint32 height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr (GByteArray) png = g_byte_array_new ();
  g_byte_array_append (png, signature, sizeof signature);
  append_be32 (png, 13);
  const guint start = png->len;
  g_byte_array_append (png, (const guint8 *) "IHDR", 4);
  append_be32 (png, width);
  append_be32 (png, height);
  static const guint8 rgb8[] = { 8, 2, 0, 0, 0 };   /* 8 bits, RGB, deflate, no filter, no interlace */
  g_byte_array_append (png, rgb8, sizeof rgb8);
  append_be32 (png, png_crc (png->data + start, png->len - start));
  /* An empty IDAT: libpng tells the size when the first one comes. */
  static const guint8 idat[] = { 0, 0, 0, 0, 'I', 'D', 'A', 'T' };
  g_byte_array_append (png, idat, sizeof idat);
  append_be32 (png, png_crc (idat + 4, 4));
  static const guint8 iend[] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82 };
  g_byte_array_append (png, iend, sizeof iend);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, (const char *) png->data, png->len, &error);
  g_assert_no_error (error);
}
