/* One restyling of a drawable inside GIMP: check, read, stylise, insert. */
#pragma once

#include "ns-settings.h"
#include "plugin-worker.h"
#include "plugin-gimp.h"

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
gint32 ns_plugin_restyle (NsRuntime *runtime, const NsSettings *settings, gint32 image, gint32 drawable,
                          const NsPluginProgress *progress, GError **error);

/* Where the translations are: $NEURAL_STYLE_LOCALEDIR, else the installed ones. */
const char *ns_plugin_localedir (void);

/* The process's one runtime, with the options the environment sets: the
 * dialog's preview and the run share it, so that the device is opened, the
 * kernels built and the networks loaded once.  NULL and an error when the
 * environment is wrong. */
NsRuntime *ns_plugin_runtime_new (GError **error);

/* An interactive run's settings from the dialog (when `interactive`;
 * otherwise they stay as given); *have_ui: whether there is a display for
 * the progress window.  G_IO_ERROR_CANCELLED when the user cancels. */
gboolean ns_plugin_ask (NsRuntime *runtime, NsSettings *settings, gint32 image, gint32 drawable, gboolean interactive,
                        gboolean *have_ui, GError **error);

/* The whole run: the checks, GIMP's progress (and with a display the
 * plug-in's window with Cancel, and Stop for Gatys), the engine and the new
 * layer.  Returns the layer, or -1 with the image as it was. */
gint32 ns_plugin_run (NsRuntime *runtime, const NsSettings *settings, gint32 image, gint32 drawable, gboolean have_ui,
                      GError **error);

/* The procedure's help, the same in both GIMPs (untranslated, as GIMP's own). */
const char *ns_plugin_help (void);

G_END_DECLS
