/* A small window with Cancel for long runs: GIMP 2.10 kills a plug-in whose
 * own progress bar is cancelled, so the plug-in offers this one, which
 * cancels the engine cleanly instead; the progress itself is the host's bar
 * (GIMP's), one indication only.  For an optimisation (Gatys) it also shows
 * the image so far, a bar that counts the iterations and a Stop button that
 * ends the run early but keeps that image.  Cancel and Stop (and closing the
 * window, a Cancel) make both buttons insensitive and the label say
 * "Cancelling…" or "Stopping…" as soon as they are handled. */
#pragma once

#include "ns-image.h"
#include <gio/gio.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Makes `window` transient for the host's window (GIMP's image window),
 * before it is shown, by whatever the host's windowing allows (X11, Wayland). */
typedef void (*NsParentFunc) (GtkWindow *window, gpointer data);

/* Shown at once; Cancel (or closing it) cancels `cancellable`.  No bar: the
 * host shows the progress.  `set_parent` may be NULL. */
GtkWidget *ns_progress_window_new (const char *text, GCancellable *cancellable, NsParentFunc set_parent,
                                   gpointer parent_data);
/* The same with a preview image (see ns_progress_window_set_preview()), a
 * bar, and, when `stop` is not NULL, a Stop button that cancels `stop`. */
GtkWidget *ns_progress_window_new_with_stop (const char *text, GCancellable *cancellable, GCancellable *stop,
                                             NsParentFunc set_parent, gpointer parent_data);
/* Sets the bar to `fraction` (0 .. 1) with `bar_text` on it (NULL: none),
 * followed by the time left at the pace since the first fraction
 * (ns_progress_text()), and handles pending events; without a bar or a
 * fraction (< 0), only handles them.  Call it often. */
void ns_progress_window_set_fraction (GtkWidget *window, double fraction, const char *bar_text);
/* Shows `image` (grey, RGB or RGBA floats in [0, 1], any size; alpha is
 * ignored) scaled to fit the preview area; a window made without a preview
 * ignores it. */
void ns_progress_window_set_preview (GtkWidget *window, const NsImage *image);

G_END_DECLS
