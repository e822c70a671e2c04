/* A small window with a progress bar and a Cancel button for long runs:
 * GIMP 2.10 kills a plug-in whose own progress bar is cancelled, so the
 * plug-in offers this one, which cancels the engine cleanly instead. */
#pragma once

#include <gio/gio.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shown at once; Cancel (or closing it) cancels `cancellable`. */
GtkWidget *ns_progress_window_new (const char *text, GCancellable *cancellable, gulong transient_for_xid);
/* Moves the bar and handles pending events; call it often. */
void ns_progress_window_pulse (GtkWidget *window);

G_END_DECLS
