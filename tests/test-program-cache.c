/* The program cache against hostile contents (issue 16, item 2) and the
 * system's cache read before the user's (issue 22): a binary that crashes
 * the driver crashes one run at most, entries that are not regular files
 * are never read, a system binary the driver refuses is rebuilt into the
 * user's cache, a good one is used without building. */
#include "ns-cl-context.h"
#include "ns-cl-program.h"
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char source[] = "__kernel void add_one (__global float *x) { x[get_global_id (0)] += 1.0f; }\n";

#define HEADER_LEN 40   /* "NSCLBIN1" and the binary's SHA-256 */

/* A context whose caches are `user` and `system` (NULL: none), as a run
 * given them in its options would have.  The names stay in the environment
 * for the child processes (test_load_child). */
static NsClContext *
context_with (const char *user, const char *system)
{
  g_setenv ("NS_TEST_CACHE_DIR", user, TRUE);
  g_setenv ("NS_TEST_SYSTEM_CACHE_DIR", system != NULL ? system : "", TRUE);
  const NsClContextOptions options = { .cache_dir = user, .system_cache_dir = system != NULL ? system : "" };
  g_autoptr (GError) error = NULL;
  NsClContext *ctx = ns_cl_context_new_with_options (-1, &options, &error);
  g_assert_no_error (error);
  return ctx;
}

static char *
sha256_hex (const char *data, gsize length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
}

/* Rewrites the entry's binary with `edit` applied and the checksum made to
 * match again: wrong, but not torn. */
static char *
plant_wrong_binary (const char *path, void (*edit) (char *binary, gsize size))
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, HEADER_LEN + 32);
  edit (contents + HEADER_LEN, length - HEADER_LEN);
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (sum, (const guchar *) contents + HEADER_LEN, (gssize) (length - HEADER_LEN));
  gsize digest_len = 32;
  g_checksum_get_digest (sum, (guint8 *) contents + 8, &digest_len);
  char *hex = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  return hex;
}

/* PoCL reads a kernel count here and walks that many records: a SIGSEGV,
 * the audit's crash.  Another driver may refuse it instead. */
static void
huge_kernel_count (char *binary, gsize size)
{
  memset (binary + 20, 0x7f, 4);
}

/* Not any driver's format: refused, without a crash. */
static void
garbage (char *binary, gsize size)
{
  for (gsize i = 0; i < size; i++)
    binary[i] = (char) (i * 37 + 11);
}

static gboolean
list_has (const char *path, const char *digest)
{
  g_autofree char *text = NULL;
  return g_file_get_contents (path, &text, NULL, NULL) && strstr (text, digest) != NULL;
}

/* Run in a subprocess: opens the program through the cache the parent named
 * (context_with) and prints whether it came from there. */
static void
test_load_child (void)
{
  if (!g_test_subprocess ())
    return;   /* only the other tests' child */
  g_autoptr (GError) error = NULL;
  g_autoptr (NsClContext) ctx = context_with (g_getenv ("NS_TEST_CACHE_DIR"), g_getenv ("NS_TEST_SYSTEM_CACHE_DIR"));
  g_autoptr (NsClProgram) p = ns_cl_program_new (ctx, source, "", &error);
  g_assert_no_error (error);
  g_print ("from_cache=%d\n", p->from_cache);
}

static void
run_child (void)
{
  g_test_trap_subprocess ("/program-cache/load-child", 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
}

/* A wrong binary with a valid checksum: the run that loads it may die (the
 * audit's SIGSEGV inside clCreateProgramWithBinary); the next one must not,
 * and rebuilds from source, and the one after uses the rebuilt binary. */
static void
test_crash_once (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ns-crash-XXXXXX", NULL);
  g_autoptr (NsClContext) ctx = context_with (dir, NULL);
  g_autofree char *path = ns_cl_program_cache_path (ctx, source, "");
  g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".bin"));
  g_autofree char *marker = g_strconcat (stem, ".loading", NULL);
  g_autofree char *refused = g_strconcat (stem, ".refused", NULL);
  ns_cl_program_free (ns_cl_program_new (ctx, source, "", NULL));
  g_autofree char *wrong = plant_wrong_binary (path, huge_kernel_count);

  run_child ();
  if (g_test_trap_has_passed ())
    g_test_message ("this driver refused the wrong binary without crashing");
  else
    g_assert_true (g_file_test (marker, G_FILE_TEST_IS_REGULAR));   /* died while loading: the marker stayed */

  run_child ();   /* the repeat: no crash, a rebuild */
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*from_cache=0*");
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_true (list_has (refused, wrong));

  run_child ();   /* the rebuilt binary is good and used */
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*from_cache=1*");
}

/* A marker planted by hand, naming a run that is gone: the binary it names
 * is not loaded again, whatever it is. */
static void
test_marker_left_behind (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ns-marker-XXXXXX", NULL);
  g_autoptr (NsClContext) ctx = context_with (dir, NULL);
  g_autofree char *path = ns_cl_program_cache_path (ctx, source, "");
  ns_cl_program_free (ns_cl_program_new (ctx, source, "", NULL));
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_autofree char *digest = sha256_hex (contents + HEADER_LEN, length - HEADER_LEN);

  pid_t child = fork ();
  if (child == 0)
    _exit (0);
  waitpid (child, NULL, 0);   /* a run that is gone */
  g_autofree char *stem = g_strndup (path, strlen (path) - strlen (".bin"));
  g_autofree char *marker = g_strconcat (stem, ".loading", NULL);
  g_autofree char *text = g_strdup_printf ("%ld %s\n", (long) child, digest);
  g_assert_true (g_file_set_contents (marker, text, -1, NULL));

  g_autoptr (GError) error = NULL;
  g_autoptr (NsClProgram) p = ns_cl_program_new (ctx, source, "", &error);
  g_assert_no_error (error);
  g_assert_false (p->from_cache);
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_autofree char *refused = g_strconcat (stem, ".refused", NULL);
  g_assert_true (list_has (refused, digest));

  /* A marker of a run still alive (this one) means a load in progress: not
   * a crash, nothing refused, but not safe to load meanwhile either. */
  g_autofree char *live = g_strdup_printf ("%ld %s\n", (long) getpid (), "00");
  g_assert_true (g_file_set_contents (marker, live, -1, NULL));
  g_autoptr (NsClProgram) q = ns_cl_program_load (ctx, source, "");
  g_assert_null (q);
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_remove (marker);
}

/* Entries that are not regular files are never read: a FIFO would wait
 * for a writer for ever, a link to /dev/zero would grow memory until killed,
 * a file larger than any program is not one. */
static void
test_not_regular_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("ns-special-XXXXXX", NULL);
  g_autoptr (NsClContext) ctx = context_with (dir, NULL);
  g_autofree char *path = ns_cl_program_cache_path (ctx, source, "");
  for (int kind = 0; kind < 4; kind++)
    {
      g_remove (path);
      g_rmdir (path);
      switch (kind)
        {
        case 0:
          g_assert_cmpint (mkfifo (path, 0600), ==, 0);
          break;
        case 1:
          g_assert_cmpint (symlink ("/dev/zero", path), ==, 0);
          break;
        case 2:
          g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
          break;
        default:
          {
            FILE *f = fopen (path, "w");   /* sparse: costs no disk */
            g_assert_nonnull (f);
            g_assert_cmpint (ftruncate (fileno (f), (off_t) NS_CL_PROGRAM_MAX_ENTRY + 1), ==, 0);
            fclose (f);
          }
        }
      gint64 start = g_get_monotonic_time ();
      g_autoptr (GError) error = NULL;
      g_autoptr (NsClProgram) p = ns_cl_program_new (ctx, source, "", &error);
      g_assert_no_error (error);
      g_assert_false (p->from_cache);
      g_test_message ("kind %d: %.2f s", kind, (g_get_monotonic_time () - start) / 1e6);
      /* Replaced by a good entry, except a folder, which is left alone. */
      g_assert_true (g_file_test (path, kind == 2 ? G_FILE_TEST_IS_DIR : G_FILE_TEST_IS_REGULAR));
      g_assert_false (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
    }
  g_rmdir (path);
}

/* Programs compiled ahead of time into the system's cache are used by a
 * user whose own cache is empty, without a build and without a copy. */
static void
test_system_cache_used (void)
{
  g_autofree char *system = g_dir_make_tmp ("ns-system-XXXXXX", NULL);
  g_autofree char *user = g_dir_make_tmp ("ns-user-XXXXXX", NULL);
  g_autoptr (NsClContext) prepare = context_with (system, NULL);
  ns_cl_program_free (ns_cl_program_new (prepare, source, "", NULL));
  g_chmod (system, 0555);   /* as read-only as /var/cache is to a user */

  g_autoptr (NsClContext) ctx = context_with (user, system);
  g_autoptr (NsClProgram) p = ns_cl_program_load (ctx, source, "");
  g_assert_nonnull (p);
  g_assert_true (p->from_cache);
  g_autoptr (GDir) d = g_dir_open (user, 0, NULL);
  g_assert_null (g_dir_read_name (d));   /* nothing written: no marker left, no copy */
  g_chmod (system, 0755);
}

/* A system binary the driver refuses is not trusted: the program is rebuilt
 * into the user's cache, and the refused binary is not offered to the driver again. */
static void
test_system_cache_refused (void)
{
  g_autofree char *system = g_dir_make_tmp ("ns-system-XXXXXX", NULL);
  g_autofree char *user = g_dir_make_tmp ("ns-user-XXXXXX", NULL);
  g_autoptr (NsClContext) prepare = context_with (system, NULL);
  g_autofree char *system_path = ns_cl_program_cache_path (prepare, source, "");
  ns_cl_program_free (ns_cl_program_new (prepare, source, "", NULL));
  g_autofree char *wrong = plant_wrong_binary (system_path, garbage);

  g_autoptr (NsClContext) ctx = context_with (user, system);
  g_autofree char *user_path = ns_cl_program_cache_path (ctx, source, "");
  g_autoptr (GError) error = NULL;
  g_autoptr (NsClProgram) p = ns_cl_program_new (ctx, source, "", &error);
  g_assert_no_error (error);
  g_assert_false (p->from_cache);
  g_assert_true (g_file_test (user_path, G_FILE_TEST_IS_REGULAR));
  g_autofree char *stem = g_strndup (user_path, strlen (user_path) - strlen (".bin"));
  g_autofree char *refused = g_strconcat (stem, ".refused", NULL);
  g_assert_true (list_has (refused, wrong));

  g_autoptr (NsClProgram) again = ns_cl_program_new (ctx, source, "", &error);
  g_assert_no_error (error);
  g_assert_true (again->from_cache);   /* the user's rebuilt one */
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/program-cache/load-child", test_load_child);
  g_test_add_func ("/program-cache/crash-once", test_crash_once);
  g_test_add_func ("/program-cache/marker-left-behind", test_marker_left_behind);
  g_test_add_func ("/program-cache/not-regular-files", test_not_regular_files);
  g_test_add_func ("/program-cache/system-cache-used", test_system_cache_used);
  g_test_add_func ("/program-cache/system-cache-refused", test_system_cache_refused);
  return g_test_run ();
}
