/* Safe whole-file writes; see ns-file-write.h. */
#include "ns-file-write.h"

#include "ns-i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Links are followed at most this many times (as the kernel does). */
#define MAX_LINK_HOPS 40

const char *
ns_file_error_reason (const GError *error, gboolean writing)
{
  if (error->domain != G_FILE_ERROR)
    return NULL;
  switch (error->code)
    {
    case G_FILE_ERROR_NOENT:
      return writing ? _("the folder does not exist") : _("the file does not exist");
    case G_FILE_ERROR_ACCES:
    case G_FILE_ERROR_PERM:
      return _("permission denied");
    case G_FILE_ERROR_ISDIR:
      return _("it is a folder, not a file");
    case G_FILE_ERROR_NOTDIR:
      return _("a part of the path is not a folder");
    case G_FILE_ERROR_NAMETOOLONG:
      return _("the file name is too long");
    case G_FILE_ERROR_NOSPC:
      return _("there is no space left on the disk");
    case G_FILE_ERROR_ROFS:
      return _("the file system is read-only");
    case G_FILE_ERROR_NOMEM:
      return _("there is not enough memory");
    case G_FILE_ERROR_LOOP:
      return _("its symbolic links lead round in a circle");
    default:
      return NULL;
    }
}

/* An error of errno `saved`, in our words where we have some. */
static void
set_errno_error (GError **error, int saved, gboolean writing)
{
  GError probe = { G_FILE_ERROR, g_file_error_from_errno (saved), NULL };
  const char *own = ns_file_error_reason (&probe, writing);
  g_set_error_literal (error, G_FILE_ERROR, probe.code, own != NULL ? own : g_strerror (saved));
}

/* The path that writing `path` reaches: its symbolic links followed (a
 * link to a file not there yet gives that file's path). */
static char *
resolve_links (const char *path, GError **error)
{
  g_autofree char *current = g_strdup (path);
  for (int hops = 0; hops <= MAX_LINK_HOPS; hops++)
    {
      GStatBuf st;
      if (g_lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);
      g_autofree char *target = g_file_read_link (current, NULL);
      if (target == NULL)
        {
          set_errno_error (error, errno, TRUE);
          return NULL;
        }
      if (!g_path_is_absolute (target))
        {
          g_autofree char *dir = g_path_get_dirname (current);
          g_free (g_steal_pointer (&current));
          current = g_build_filename (dir, target, NULL);
        }
      else
        {
          g_free (current);
          current = g_steal_pointer (&target);
        }
    }
  set_errno_error (error, ELOOP, TRUE);
  return NULL;
}

typedef enum {
  TARGET_FILE,     /* a regular file, or nothing yet */
  TARGET_DEVICE,   /* a character device: written into */
} Target;

/* What `path` leads to (its links followed), or FALSE when it may not be
 * replaced.  Nothing there (a dangling link too) is a file to create. */
static gboolean
classify (const char *path, Target *kind, GError **error)
{
  GStatBuf st;
  if (*path == '\0')
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("the file name is empty"));
      return FALSE;
    }
  if (g_stat (path, &st) != 0)
    {
      if (errno == ENOENT)
        {
          *kind = TARGET_FILE;
          return TRUE;
        }
      set_errno_error (error, errno, TRUE);
      return FALSE;
    }
  if (S_ISREG (st.st_mode))
    *kind = TARGET_FILE;
  else if (S_ISCHR (st.st_mode))
    *kind = TARGET_DEVICE;
  else
    {
      const char *what = S_ISDIR (st.st_mode)    ? _("it is a folder, not a file")
                         : S_ISFIFO (st.st_mode) ? _("it is a named pipe (FIFO), not a regular file; it was left as it is")
                         : S_ISBLK (st.st_mode)  ? _("it is a block device, not a regular file; it was left as it is")
                         : S_ISSOCK (st.st_mode) ? _("it is a socket, not a regular file; it was left as it is")
                                                 : _("it is not a regular file; it was left as it is");
      g_set_error_literal (error, G_FILE_ERROR, S_ISDIR (st.st_mode) ? G_FILE_ERROR_ISDIR : G_FILE_ERROR_INVAL, what);
      return FALSE;
    }
  return TRUE;
}

static int
open_device (const char *target, GError **error)
{
  int fd = g_open (target, O_WRONLY | O_NOCTTY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("it is a character device that cannot be opened for writing (%s)"), g_strerror (saved));
    }
  return fd;
}

/* A new temporary file beside `target` (its name plus ".XXXXXX", as GLib
 * names them); *tmp_path gets its name. */
static int
create_temporary (const char *target, char **tmp_path, GError **error)
{
  g_autofree char *tmpl = g_strconcat (target, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (tmpl, O_RDWR | O_CLOEXEC, 0666);
  if (fd >= 0)
    {
      *tmp_path = g_steal_pointer (&tmpl);
      return fd;
    }
  int saved = errno;
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *dir_name = g_filename_display_name (dir);
  GStatBuf st;
  /* The folder is there but takes no file (/proc, say): not "does not exist". */
  if (saved == ENOENT && g_stat (dir, &st) == 0 && S_ISDIR (st.st_mode))
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 _("no file can be created in the folder “%s”"), dir_name);
  else if (saved == ENOENT || saved == ENOTDIR || saved == EACCES || saved == EPERM || saved == EROFS
           || saved == ENOSPC || saved == ENAMETOOLONG)
    set_errno_error (error, saved, TRUE);
  else
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                 _("no file can be created in the folder “%s” (%s)"), dir_name, g_strerror (saved));
  return -1;
}

static gboolean
write_all (int fd, const void *contents, gsize length, GError **error)
{
  const char *p = contents;
  while (length > 0)
    {
      gssize n = write (fd, p, MIN (length, (gsize) G_MAXSSIZE));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          set_errno_error (error, n < 0 ? errno : ENOSPC, TRUE);
          return FALSE;
        }
      p += n;
      length -= (gsize) n;
    }
  return TRUE;
}

gboolean
ns_file_check_writable (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  Target kind;
  if (!classify (path, &kind, error))
    return FALSE;
  int fd;
  g_autofree char *target = NULL, *tmp_path = NULL;
  if (kind == TARGET_DEVICE)
    fd = open_device (path, error);
  else if ((target = resolve_links (path, error)) == NULL)
    return FALSE;
  else
    fd = create_temporary (target, &tmp_path, error);
  if (fd < 0)
    return FALSE;
  if (tmp_path != NULL)
    g_unlink (tmp_path);
  close (fd);
  return TRUE;
}

gboolean
ns_file_write (const char *path, const void *contents, gsize length, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  Target kind;
  if (!classify (path, &kind, error))
    return FALSE;

  if (kind == TARGET_DEVICE)
    {
      int fd = open_device (path, error);
      if (fd < 0)
        return FALSE;
      gboolean ok = write_all (fd, contents, length, error);
      close (fd);
      return ok;
    }

  g_autofree char *target = resolve_links (path, error);
  if (target == NULL)
    return FALSE;
  g_autofree char *tmp_path = NULL;
  int fd = create_temporary (target, &tmp_path, error);
  if (fd < 0)
    return FALSE;
  /* On disk before it replaces a file, as GLib does: a crash leaves the old
   * file or the new one. */
  gboolean ok = write_all (fd, contents, length, error);
  if (ok && g_file_test (target, G_FILE_TEST_EXISTS) && fsync (fd) != 0)
    {
      set_errno_error (error, errno, TRUE);
      ok = FALSE;
    }
  if (close (fd) != 0 && ok)
    {
      set_errno_error (error, errno, TRUE);
      ok = FALSE;
    }
  if (ok && g_rename (tmp_path, target) != 0)
    {
      set_errno_error (error, errno, TRUE);
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp_path);
  return ok;
}
