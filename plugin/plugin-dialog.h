/* The interactive run: GIMP's side of the dialog and the progress window
 * (ui/, GTK 3, no GIMP calls). */
#pragma once

#include "ns-settings.h"
#include <glib.h>

G_BEGIN_DECLS

/* Initialises GTK 3; FALSE when there is no display (GIMP run headless).
 * Call once before the others. */
gboolean ns_plugin_ui_init (void);

/* Shows the dialog for restyling `drawable`; TRUE with `settings` updated on
 * OK, FALSE with G_IO_ERROR_CANCELLED when the user cancels. */
gboolean ns_plugin_dialog (NsSettings *settings, gint32 image, gint32 drawable, GError **error);

/* GIMP's image window (an X11 window), for transient windows; 0 if none. */
gulong ns_plugin_parent_window (void);

G_END_DECLS
