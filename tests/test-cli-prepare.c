/* Kernels compiled ahead of time (issue 22): `neural-style --prepare
 * --system DIR` fills a system-wide cache that a user with an empty cache of
 * their own runs from without compiling anything; a system binary the driver
 * refuses is rebuilt into the user's cache; `-v` says when kernels compile on
 * first use, and `--prepare` does it for the user. */
#include "ns-image-io.h"
#include "ns-test-util.h"
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define PROGRESS "Preparing the OpenCL kernels for this device, first use only: "

typedef struct {
  char *dir, *user, *system, *content, *out;
  char *env_user, *env_system;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = ns_test_make_temp_dir ("ns-prepare-XXXXXX");
  f->user = g_build_filename (f->dir, "user", NULL);
  f->system = g_build_filename (f->dir, "system", NULL);
  f->content = g_build_filename (f->dir, "content.png", NULL);
  f->out = g_build_filename (f->dir, "out.png", NULL);
  f->env_user = g_strconcat ("NEURAL_STYLE_CACHE_DIR=", f->user, NULL);
  f->env_system = g_strconcat ("NEURAL_STYLE_SYSTEM_CACHE_DIR=", f->system, NULL);
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  g_autoptr (NsImage) small = ns_image_resize (photo, 64, 48);
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_image_save (small, f->content, &error));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  ns_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->user);
  g_free (f->system);
  g_free (f->content);
  g_free (f->out);
  g_free (f->env_user);
  g_free (f->env_system);
}

/* A -v run of the CLI on the small content with the fixture's caches. */
static void
run_restyle (Fixture *f, NsTestRun *run)
{
  const char *env[] = { "LC_ALL=C", f->env_user, f->env_system, NULL };
  ns_test_run (run, env, FALSE, NS_CLI_PATH, "-v", "--style", "starry-night", "--style-size", "64", "-o", f->out,
               f->content, NULL);
  g_assert_cmpint (run->status, ==, 0);
  g_assert_true (g_file_test (f->out, G_FILE_TEST_IS_REGULAR));
}

static guint
count_files (const char *dir, const char *suffix)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    n += g_str_has_suffix (name, suffix);
  return n;
}

/* The first run on a device says it compiles and how far it is; the next does not. */
static void
test_first_use_progress (Fixture *f, gconstpointer data)
{
  g_autofree char *no_system = g_strdup ("NEURAL_STYLE_SYSTEM_CACHE_DIR=");
  g_free (f->env_system);
  f->env_system = g_steal_pointer (&no_system);
  g_auto (NsTestRun) first = { 0 };
  run_restyle (f, &first);
  g_test_message ("%s", first.err);
  g_assert_nonnull (strstr (first.err, PROGRESS "0 of "));
  const char *last = g_strrstr (first.err, PROGRESS);
  guint done = 0, total = 0;
  g_assert_cmpint (sscanf (last + strlen (PROGRESS), "%u of %u", &done, &total), ==, 2);
  g_assert_cmpuint (total, >, 0);
  g_assert_cmpuint (done, ==, total);
  g_assert_cmpuint (count_files (f->user, ".bin"), ==, total);   /* stored for the next run */

  g_auto (NsTestRun) second = { 0 };
  run_restyle (f, &second);
  g_assert_null (strstr (second.err, PROGRESS));
}

/* --prepare --system: every user runs from it, compiling nothing, copying nothing. */
static void
test_system_cache (Fixture *f, gconstpointer data)
{
  g_auto (NsTestRun) prepare = { 0 };
  const char *env[] = { "LC_ALL=C", f->env_user, NULL };
  ns_test_run (&prepare, env, TRUE, NS_CLI_PATH, "--prepare", "--system", f->system, NULL);
  g_test_message ("%s%s", prepare.out, prepare.err);
  g_assert_cmpint (prepare.status, ==, 0);
  g_assert_nonnull (strstr (prepare.out, "Compiling the OpenCL kernels for "));
  g_assert_nonnull (strstr (prepare.out, "are ready"));
  g_assert_cmpuint (count_files (f->system, ".bin"), >, 0);
  g_assert_cmpuint (count_files (f->user, ".bin"), ==, 0);
  g_autoptr (GDir) d = g_dir_open (f->system, 0, NULL);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (f->system, name, NULL);
      struct stat st;
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0644);   /* every user reads it */
    }

  g_chmod (f->system, 0555);
  g_auto (NsTestRun) run = { 0 };
  run_restyle (f, &run);
  g_chmod (f->system, 0755);
  g_assert_null (strstr (run.err, PROGRESS));              /* no build */
  g_assert_cmpuint (count_files (f->user, ".bin"), ==, 0);   /* no copy */
}

/* Rewrites every system entry as bytes no driver takes, under a valid checksum. */
static void
plant_refused_binaries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      for (gsize i = 40; i < length; i++)
        contents[i] = (char) (i * 37 + 11);
      GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
      g_checksum_update (sum, (const guchar *) contents + 40, (gssize) (length - 40));
      gsize n = 32;
      g_checksum_get_digest (sum, (guint8 *) contents + 8, &n);
      g_checksum_free (sum);
      g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
    }
}

/* System binaries the driver refuses are rebuilt into the user's cache, not trusted. */
static void
test_system_cache_refused (Fixture *f, gconstpointer data)
{
  g_auto (NsTestRun) prepare = { 0 };
  const char *env[] = { "LC_ALL=C", f->env_user, NULL };
  ns_test_run (&prepare, env, FALSE, NS_CLI_PATH, "--prepare", "--system", f->system, NULL);
  g_assert_cmpint (prepare.status, ==, 0);
  plant_refused_binaries (f->system);

  g_auto (NsTestRun) run = { 0 };
  run_restyle (f, &run);
  g_assert_nonnull (strstr (run.err, PROGRESS));   /* rebuilt */
  g_assert_cmpuint (count_files (f->user, ".bin"), >, 0);
  g_assert_cmpuint (count_files (f->user, ".refused"), >, 0);
  g_auto (NsTestRun) again = { 0 };
  run_restyle (f, &again);
  g_assert_null (strstr (again.err, PROGRESS));    /* from the user's cache now */
}

/* --prepare for this user: the lines as it goes, then the next run compiles nothing. */
static void
test_prepare_user (Fixture *f, gconstpointer data)
{
  g_auto (NsTestRun) prepare = { 0 };
  const char *env[] = { "LC_ALL=C", f->env_user, "NEURAL_STYLE_SYSTEM_CACHE_DIR=", NULL };
  ns_test_run (&prepare, env, TRUE, NS_CLI_PATH, "--prepare", NULL);
  g_assert_cmpint (prepare.status, ==, 0);
  g_assert_nonnull (strstr (prepare.out, PROGRESS "1 of "));
  g_assert_nonnull (strstr (prepare.out, "are ready"));
  g_assert_cmpuint (count_files (f->user, ".bin"), >, 0);

  g_auto (NsTestRun) wrong = { 0 };
  ns_test_run (&wrong, env, FALSE, NS_CLI_PATH, "--system", NULL);
  g_assert_cmpint (wrong.status, ==, 2);
  g_assert_nonnull (strstr (wrong.err, "--prepare"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli-prepare/first-use-progress", Fixture, NULL, fixture_set_up, test_first_use_progress,
              fixture_tear_down);
  g_test_add ("/cli-prepare/system-cache", Fixture, NULL, fixture_set_up, test_system_cache, fixture_tear_down);
  g_test_add ("/cli-prepare/system-cache-refused", Fixture, NULL, fixture_set_up, test_system_cache_refused,
              fixture_tear_down);
  g_test_add ("/cli-prepare/prepare-user", Fixture, NULL, fixture_set_up, test_prepare_user, fixture_tear_down);
  return g_test_run ();
}
