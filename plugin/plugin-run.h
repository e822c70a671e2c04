/* One restyling of a drawable inside GIMP: check, read, stylise, insert. */
#pragma once

#include "ns-settings.h"
#include "plugin-worker.h"
#include <libgimp/gimp.h>

G_BEGIN_DECLS

/* How a run reports and is ended: `cancellable` throws it away, `stop` (may
 * be NULL) ends a Gatys run early keeping the image so far, `tick` (may be
 * NULL) is called on this thread about ten times a second, with previews of
 * a Gatys run when `previews`. */
typedef struct {
  GCancellable *cancellable;
  GCancellable *stop;
  NsTickFunc tick;
  gpointer tick_data;
  gboolean previews;
} NsPluginProgress;

/* Errors in G_OPTION_ERROR (G_OPTION_ERROR_BAD_VALUE) are the caller's
 * mistakes (GIMP_PDB_CALLING_ERROR); any other error is a failed run. */
gboolean ns_plugin_check (const NsSettings *settings, gint32 image, gint32 drawable, GError **error);

/* Restyles the part of `drawable` inside the selection's bounds (the whole
 * layer when the second style goes outside the selection) into a new layer
 * above it; returns the layer, or -1 with the image unchanged. */
gint32 ns_plugin_restyle (const NsSettings *settings, gint32 image, gint32 drawable,
                          const NsPluginProgress *progress, GError **error);

G_END_DECLS
