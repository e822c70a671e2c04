/* The dialog's live preview: AdaIN on a downscaled content image in a worker
 * thread (the fitted overview), and a region of the full-size result at 1:1,
 * computed as OK's run computes it (NsAdainRegions: the same tiles and
 * statistics, so the same pixels).  The content and styles are encoded once with the run's options
 * (colour preservation, a blend of two styles or a mask between them,
 * ns_adain_prepared_new_with_options) and each alpha costs one decode, so the preview follows a slider; requests made
 * while the worker is busy collapse into the newest one. */
#pragma once

#include "neural-style.h"
#include "ns-image.h"
#include <glib.h>

G_BEGIN_DECLS

typedef struct _NsPreview NsPreview;

/* Called on the thread-default main context of ns_preview_new()'s caller
 * with the newest result (RGB, clamped to [0, 1]; owned by the callee) or an
 * error (a sentence for the user). */
typedef void (*NsPreviewFunc) (NsImage *result, const GError *error, gpointer data);

/* Called likewise with a line to show while the preview is not ready, such
 * as how far the first use of a device has come in compiling its kernels. */
typedef void (*NsPreviewStatusFunc) (const char *text, gpointer data);

/* `content` is copied. */
NsPreview *ns_preview_new (const NsImage *content, NsPreviewFunc func, gpointer data);
/* Who is told the status lines (none by default). */
void ns_preview_set_status_func (NsPreview *preview, NsPreviewStatusFunc func, gpointer data);
/* Stops the worker (cancelling its job) and waits for it; no callback runs afterwards. */
void ns_preview_free (NsPreview *preview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsPreview, ns_preview_free)

/* What a preview is made of, but alpha: the AdaIN options of the run
 * (ns_adain_prepared_new_with_options).  `key` names all of it: a request
 * with the key of the prepared pair only re-renders (one decode), any other
 * key prepares anew and cancels the job in progress. */
typedef struct {
  const char *key;
  NsColourPreservation colour;
  const NsImage *style;        /* the first style (inside the mask) */
  const NsImage *style2;       /* a second style, or NULL */
  double style2_weight;        /* without a mask: the second style's share of the blend, 0 .. 1 */
  const NsImage *mask;         /* the content's size, grey: the first style where 1, the second where 0; or NULL */
  int style_size;              /* as NsAdainOptions.style_size (0: the styles as given) */
  const NsImage *content;      /* another content than ns_preview_new()'s (RGB or RGBA), or NULL */
} NsPreviewJob;

/* Asks for the content restyled as `job` says (its images are copied) with this alpha. */
void ns_preview_request_job (NsPreview *preview, const NsPreviewJob *job, double alpha);

/* Called like NsPreviewFunc with a region of the full-size result, at (x, y) of the content. */
typedef void (*NsPreviewRegionFunc) (NsImage *result, int x, int y, const GError *error, gpointer data);
void ns_preview_set_region_func (NsPreview *preview, NsPreviewRegionFunc func, gpointer data);

/* The full-size content the regions come from (RGB or RGBA; copied): the
 * pixels OK restyles. */
void ns_preview_set_full_content (NsPreview *preview, const NsImage *content);

/* Asks for the region (x, y, width, height) of the full-size content restyled
 * as OK restyles it: `job` as for ns_preview_request_job() but with the
 * styles as the run takes them (not scaled for the preview) and a full-size
 * mask; its `content` is not used.  Region requests collapse among
 * themselves, apart from the fitted ones, which go first.  The key's work
 * (the run's first pass) is kept across regions and alphas. */
void ns_preview_request_region (NsPreview *preview, const NsPreviewJob *job, double alpha, int x, int y, int width,
                                int height);

/* The same with one style and no other option. */
void ns_preview_request (NsPreview *preview, const NsImage *style, const char *style_key, int style_size,
                         double alpha);

G_END_DECLS
