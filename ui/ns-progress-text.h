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

/* An optimisation's count: "Iteration 12 of 300", and when the run goes
 * coarse to fine over several scales, which one: "Iteration 212 of 300
 * (scale 2 of 2)" (the iterations are the run's total over its scales). */
char *ns_progress_text_iteration (int iteration, int iterations, int scale, int scales);

/* What the host's bar says of an AdaIN run: one pass through the networks
 * while no fraction is known (fraction < 0), else in tiles. */
const char *ns_progress_text_adain (double fraction);

G_END_DECLS
