#include "ns-cl-program-guard.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define DIGEST_HEX 64
/* A list longer than this is not ours: it is read no further. */
#define MAX_REFUSED_BYTES ((gsize) 64 * (DIGEST_HEX + 1))

guchar *
ns_cl_cache_read_file (const char *path, gsize min, gsize max, gsize *length)
{
  /* O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: a
   * link (to /dev/zero, say) is not an entry. */
  int fd = open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  struct stat st;
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size < 0 || (guint64) st.st_size < min
      || (guint64) st.st_size > max)
    {
      close (fd);
      return NULL;
    }
  gsize size = (gsize) st.st_size, done = 0;
  g_autofree guchar *data = g_malloc (size + 1);
  while (done < size)
    {
      ssize_t n = read (fd, data + done, size - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += (gsize) n;
    }
  close (fd);
  if (done != size)   /* shrunk under us: torn */
    return NULL;
  data[size] = '\0';
  *length = size;
  return g_steal_pointer (&data);
}

struct _NsClLoadGuard {
  char *marker;    /* DIR/KEY.loading: "PID DIGEST\n" while a run loads the binary DIGEST */
  char *refused;   /* DIR/KEY.refused: one digest a line */
  char *dir;
  gboolean busy;   /* another live run is loading this entry now */
};

static gboolean
process_alive (long pid)
{
  return pid > 0 && (pid == (long) getpid () || kill ((pid_t) pid, 0) == 0 || errno == EPERM);
}

static void
append_refused (NsClLoadGuard *guard, const char *digest)
{
  if (strlen (digest) != DIGEST_HEX || ns_cl_load_guard_refuses (guard, digest))
    return;
  if (g_mkdir_with_parents (guard->dir, 0700) != 0)
    return;
  int fd = open (guard->refused, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
  if (fd < 0)
    return;
  g_autofree char *line = g_strconcat (digest, "\n", NULL);
  if (write (fd, line, strlen (line)) != (ssize_t) strlen (line))
    g_debug ("Could not list %s in %s", digest, guard->refused);
  close (fd);
}

/* A marker whose run is gone: that run died in the driver, loading the
 * binary the marker names. */
static void
learn_from_marker (NsClLoadGuard *guard)
{
  gsize length = 0;
  g_autofree char *text = (char *) ns_cl_cache_read_file (guard->marker, 0, 256, &length);
  if (text == NULL)
    {
      /* Absent, or not a file we wrote (then it blocks every marker: remove it). */
      if (g_file_test (guard->marker, G_FILE_TEST_IS_SYMLINK) || g_file_test (guard->marker, G_FILE_TEST_EXISTS))
        g_remove (guard->marker);
      return;
    }
  long pid = 0;
  char digest[DIGEST_HEX + 1] = "";
  int fields = sscanf (text, "%ld %64[0-9a-f]", &pid, digest);
  if (fields >= 1 && process_alive (pid))
    {
      guard->busy = TRUE;
      return;
    }
  if (fields == 2)
    {
      g_debug ("A run died while the OpenCL driver loaded a cached program (%s); "
               "that binary will not be loaded again.", guard->marker);
      append_refused (guard, digest);
    }
  g_remove (guard->marker);
}

NsClLoadGuard *
ns_cl_load_guard_new (const char *dir, const char *key)
{
  NsClLoadGuard *guard = g_new0 (NsClLoadGuard, 1);
  guard->dir = g_strdup (dir);
  g_autofree char *marker = g_strconcat (key, ".loading", NULL);
  g_autofree char *refused = g_strconcat (key, ".refused", NULL);
  guard->marker = g_build_filename (dir, marker, NULL);
  guard->refused = g_build_filename (dir, refused, NULL);
  learn_from_marker (guard);
  return guard;
}

void
ns_cl_load_guard_free (NsClLoadGuard *guard)
{
  if (guard == NULL)
    return;
  g_free (guard->marker);
  g_free (guard->refused);
  g_free (guard->dir);
  g_free (guard);
}

gboolean
ns_cl_load_guard_refuses (NsClLoadGuard *guard, const char *digest)
{
  gsize length = 0;
  g_autofree char *list = (char *) ns_cl_cache_read_file (guard->refused, 0, MAX_REFUSED_BYTES, &length);
  if (list == NULL)   /* none; or one too long, or not a file: then trust nothing */
    return g_file_test (guard->refused, G_FILE_TEST_EXISTS) || g_file_test (guard->refused, G_FILE_TEST_IS_SYMLINK);
  g_auto (GStrv) lines = g_strsplit (list, "\n", -1);
  return g_strv_contains ((const char *const *) lines, digest);
}

gboolean
ns_cl_load_guard_begin (NsClLoadGuard *guard, const char *digest)
{
  if (guard->busy || g_mkdir_with_parents (guard->dir, 0700) != 0)
    return FALSE;
  int fd = open (guard->marker, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return FALSE;
  g_autofree char *text = g_strdup_printf ("%ld %s\n", (long) getpid (), digest);
  gboolean written = write (fd, text, strlen (text)) == (ssize_t) strlen (text);
  close (fd);
  if (!written)
    g_remove (guard->marker);
  return written;
}

void
ns_cl_load_guard_end (NsClLoadGuard *guard, const char *digest, gboolean refused)
{
  g_remove (guard->marker);
  if (refused)
    append_refused (guard, digest);
}
