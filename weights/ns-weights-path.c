/* Weights lookup; see ns-weights-path.h. */
#include "ns-weights-path.h"

#include "ns-i18n.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

/* Absolute form of dir/basename if that is a regular file, else NULL; an
 * error too when it is there but something else (a folder, a FIFO). */
static char *
try_dir (const char *dir, const char *basename, GError **error)
{
  g_autofree char *path = g_build_filename (dir, basename, NULL);
  GStatBuf st;
  if (g_stat (path, &st) != 0)
    return NULL;
  if (S_ISREG (st.st_mode))
    return g_canonicalize_filename (path, NULL);
  g_autofree char *disp = g_filename_display_name (dir);
  g_set_error (error, G_FILE_ERROR, S_ISDIR (st.st_mode) ? G_FILE_ERROR_ISDIR : G_FILE_ERROR_INVAL,
               S_ISDIR (st.st_mode)    ? _("The weights file “%s” in “%s” is a folder, not a file.")
               : S_ISFIFO (st.st_mode) ? _("The weights file “%s” in “%s” is a named pipe (FIFO), not a regular file.")
                                       : _("The weights file “%s” in “%s” is not a regular file."),
               basename, disp);
  return NULL;
}

char *
ns_weights_find_file (const char *basename, GError **error)
{
  g_return_val_if_fail (basename != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* An explicit directory is the user's choice: never fall back silently to
   * other weights that might not be the ones they meant. */
  const char *env = g_getenv ("NEURAL_STYLE_WEIGHTS");
  if (env != NULL && *env != '\0')
    {
      GError *local = NULL;
      char *found = try_dir (env, basename, &local);
      if (local != NULL)
        g_propagate_error (error, local);
      else if (found == NULL)
        {
          g_autofree char *disp = g_filename_display_name (env);
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                       _("The weights file “%s” is not in “%s”, the directory named by NEURAL_STYLE_WEIGHTS. "
                         "Set NEURAL_STYLE_WEIGHTS to the directory holding the file, or unset it to use the installed weights."),
                       basename, disp);
        }
      return found;
    }

  const char *const dirs[] = { NS_WEIGHTS_INSTALL_DIR, NS_WEIGHTS_SOURCE_DIR };
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      char *found = try_dir (dirs[i], basename, error);
      if (found != NULL || (error != NULL && *error != NULL))
        return found;
    }

  g_autofree char *install = g_filename_display_name (dirs[0]);
  g_autofree char *source = g_filename_display_name (dirs[1]);
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
               _("The weights file “%s” was found neither in “%s” nor in “%s”. "
                 "Install the weights, or set NEURAL_STYLE_WEIGHTS to the directory holding the file."),
               basename, install, source);
  return NULL;
}
