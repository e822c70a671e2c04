/* The engine runs in a worker thread so the plug-in's main thread stays free
 * to talk to GIMP (progress) and to a Cancel button. */
#pragma once

#include "ns-image.h"
#include "ns-settings.h"
#include <gio/gio.h>

G_BEGIN_DECLS

/* Called on the calling thread about ten times a second while the worker runs. */
typedef void (*NsTickFunc) (gpointer data);

/* Opens the engine and restyles `content` after `style` with the settings'
 * method, alpha and style size, in a worker thread; returns when it is done,
 * failed or was cancelled (the engine checks between layers). */
NsImage *ns_plugin_stylise (const NsImage *content, const NsImage *style, const NsSettings *settings,
                            GCancellable *cancellable, NsTickFunc tick, gpointer tick_data, GError **error);

G_END_DECLS
