/* See cli-output.h. */
#include "cli-output.h"

#include "ns-i18n.h"
#include "neural-style.h"
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sys/stat.h>

int
ns_cli_output_check (NsCliInterrupt *interrupt, const char *path)
{
  g_autoptr (GError) error = NULL;
  /* The check creates a temporary file and removes it at once. */
  ns_cli_interrupt_hold (interrupt);
  const gboolean ok = ns_image_check_writable (path, &error);
  ns_cli_interrupt_release (interrupt);
  if (ok)
    return 0;
  g_printerr ("neural-style: %s\n", error->message);
  return g_error_matches (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE) ? 2 : 1;
}

static gboolean
all_finite (const NsImage *image)
{
  const gsize n = (gsize) image->width * image->height * image->channels;
  for (gsize i = 0; i < n; i++)
    if (!isfinite (image->data[i]))
      return FALSE;
  return TRUE;
}

gboolean
ns_cli_output_write (NsCliInterrupt *interrupt, const NsImage *result, const NsImage *content, const char *path,
                     GError **error)
{
  if (!all_finite (result))
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The result has values that are not finite numbers (NaN or infinity), "
                     "so nothing was written to “%s”."), name);
      return FALSE;
    }
  g_autoptr (NsImage) with_alpha = content->channels == 4 ? ns_image_with_alpha (result, content) : NULL;
  /* A regular file is written beside itself and renamed: a second Ctrl+C
   * waits for that.  A device has no temporary file, and may block: it need not. */
  GStatBuf st;
  const gboolean hold = !(g_stat (path, &st) == 0 && S_ISCHR (st.st_mode));
  if (hold)
    ns_cli_interrupt_hold (interrupt);
  const gboolean ok = ns_image_save (with_alpha != NULL ? with_alpha : result, path, error);
  if (hold)
    ns_cli_interrupt_release (interrupt);
  return ok;
}
