/* The dialog's live preview: AdaIN on a downscaled content image in a worker
 * thread.  The content and style are encoded once (ns_adain_prepared_new) and
 * each alpha costs one decode, so the preview follows a slider; requests made
 * while the worker is busy collapse into the newest one. */
#pragma once

#include "ns-image.h"
#include <glib.h>

G_BEGIN_DECLS

typedef struct _NsPreview NsPreview;

/* Called on the thread-default main context of ns_preview_new()'s caller
 * with the newest result (RGB, clamped to [0, 1]; owned by the callee) or an
 * error (a sentence for the user). */
typedef void (*NsPreviewFunc) (NsImage *result, const GError *error, gpointer data);

/* `content` is copied. */
NsPreview *ns_preview_new (const NsImage *content, NsPreviewFunc func, gpointer data);
/* Stops the worker (cancelling its job) and waits for it; no callback runs afterwards. */
void ns_preview_free (NsPreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsPreview, ns_preview_free)

/* Asks for the content restyled after `style` (copied; `style_key` names it:
 * the same key reuses the encoded pair) with this alpha and style size. */
void ns_preview_request (NsPreview *preview, const NsImage *style, const char *style_key, int style_size,
                         double alpha);

G_END_DECLS
