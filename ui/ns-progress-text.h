/* The words of a long run's progress, GLib only: the plug-in's progress
 * window and the command-line tool say the time left the same way. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `text` (may be NULL) and, once at least 3 s have passed since the first
 * progress (fraction f0 at t0 seconds) and the fraction has moved, the time
 * left at that pace: "Iteration 3 of 10, about 4 min left".  NULL when there
 * is nothing to say. */
char *ns_progress_text (const char *text, double t0, double f0, double t, double f);

/* While a device's kernels compile on first use: "Preparing the OpenCL
 * kernels for this device, first use only: 3 of 5" (the engine's NsKernelProgress). */
char *ns_progress_text_kernels (guint done, guint total);

G_END_DECLS
