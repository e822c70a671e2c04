/* One restyling of a drawable inside GIMP: check, read, stylise, insert. */
#pragma once

#include "ns-settings.h"
#include <libgimp/gimp.h>

G_BEGIN_DECLS

/* Errors in G_OPTION_ERROR (G_OPTION_ERROR_BAD_VALUE) are the caller's
 * mistakes (GIMP_PDB_CALLING_ERROR); any other error is a failed run. */
gboolean ns_plugin_check (const NsSettings *settings, gint32 image, gint32 drawable, GError **error);

/* Restyles the part of `drawable` inside the selection's bounds into a new
 * layer above it; returns the layer, or -1 with the image unchanged.
 * `cancellable` may stop it; `tick` is called while the engine works. */
gint32 ns_plugin_restyle (const NsSettings *settings, gint32 image, gint32 drawable, GCancellable *cancellable,
                          void (*tick) (gpointer data), gpointer tick_data, GError **error);

G_END_DECLS
