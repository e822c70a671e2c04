/* The interactive run: GIMP's side of the dialog and the progress window
 * (ui/, GTK 3, no GIMP calls). */
#pragma once

#include "neural-style.h"
#include "ns-settings.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Initialises GTK 3; FALSE when there is no display (GIMP run headless).
 * Call once before the others. */
gboolean ns_plugin_ui_init (void);

/* Shows the dialog for restyling `drawable`, its preview on `runtime`; TRUE
 * with `settings` updated on OK, FALSE with G_IO_ERROR_CANCELLED when the
 * user cancels. */
gboolean ns_plugin_dialog (NsRuntime *runtime, NsSettings *settings, gint32 image, gint32 drawable, GError **error);

/* An NsParentFunc: makes `window` (not yet shown) transient for GIMP's image window. */
void ns_plugin_set_parent (GtkWindow *window, gpointer data);

G_END_DECLS
