/* The engine runs in a worker thread so the plug-in's main thread stays free
 * to talk to GIMP (progress) and to the Stop and Cancel buttons. */
#pragma once

#include "ns-image.h"
#include "ns-settings.h"
#include <gio/gio.h>

G_BEGIN_DECLS

/* A run's progress as the calling thread sees it about ten times a second. */
typedef struct {
  double fraction;          /* the part of the work done (0 .. 1; for Gatys weighed by the pixels of each
                             * iteration's scale), or < 0 when unknown (AdaIN untiled, or before its first tile) */
  int iteration;            /* Gatys: the iteration reached (0 for AdaIN) */
  int iterations;           /* Gatys: the run's total over all scales (0 for AdaIN) */
  int scale, scales;        /* Gatys: the scale of that iteration, 1 (the coarsest) .. scales */
  const NsImage *preview;   /* NULL, or a new image so far (RGB, borrowed for the call) */
} NsTick;

typedef void (*NsTickFunc) (gpointer data, const NsTick *tick);

/* What one run restyles: the content (RGBA), the first style and an optional
 * second one (RGB), and with a mask (one channel, the content's size) the
 * first style applies where it is 1 and the second where it is 0; without a
 * mask a second style is blended in with the settings' style2_weight. */
typedef struct {
  const NsImage *content;
  const NsImage *style;
  const NsImage *style2;
  const NsImage *mask;
  gboolean previews;   /* Gatys: hand the image so far to the tick every few iterations */
} NsPluginInput;

/* Restyles with the settings' method (AdaIN, or Gatys with its iterations
 * and seed), alpha, style size and colour preservation in a worker thread;
 * returns when it is done, failed or was cancelled.  `cancellable` throws
 * the run away (G_IO_ERROR_CANCELLED); `stop` (Gatys, may be NULL) ends it
 * early with the best image so far, and *stopped_at then receives the last
 * iteration done (-1 when the run was not stopped early). */
NsImage *ns_plugin_stylise (const NsPluginInput *input, const NsSettings *settings, GCancellable *cancellable,
                            GCancellable *stop, int *stopped_at, NsTickFunc tick, gpointer tick_data,
                            GError **error);

G_END_DECLS
