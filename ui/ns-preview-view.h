/* The preview's view: the fitted overview, or the result at 1:1 in a
 * scrolled window that the user scrolls or drags to choose the region.  At
 * 1:1 the overview, scaled up, fills what the exact region does not cover
 * yet.  GTK 3 only; the dialog computes what it shows. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  NS_PREVIEW_ZOOM_FIT,
  NS_PREVIEW_ZOOM_ONE_TO_ONE,
} NsPreviewZoom;

/* Called when the region in view changes (zoom, scrolling, dragging, resizing). */
typedef void (*NsPreviewViewFunc) (GtkWidget *view, gpointer data);

/* A view of a full_width x full_height image and its overview `fit` (the
 * same area, scaled down); full sizes <= 0: the overview only (no 1:1).  The
 * zoom combo is the widget returned by ns_preview_view_get_zoom_combo(), for
 * the caller to place with a label. */
GtkWidget *ns_preview_view_new (GdkPixbuf *fit, int full_width, int full_height, NsPreviewViewFunc changed,
                                gpointer data);
GtkWidget *ns_preview_view_get_zoom_combo (GtkWidget *view);
GtkWidget *ns_preview_view_get_scrolled (GtkWidget *view);

NsPreviewZoom ns_preview_view_get_zoom (GtkWidget *view);
void ns_preview_view_set_fit (GtkWidget *view, GdkPixbuf *fit);
GdkPixbuf *ns_preview_view_get_fit (GtkWidget *view);
/* The exact pixels of the region at (x, y) of the full image. */
void ns_preview_view_set_region (GtkWidget *view, GdkPixbuf *region, int x, int y);
GdkPixbuf *ns_preview_view_get_region (GtkWidget *view, int *x, int *y);
/* The part of the full image in view at 1:1, inside the image; FALSE when not at 1:1. */
gboolean ns_preview_view_get_visible (GtkWidget *view, int *x, int *y, int *width, int *height);
/* Scrolls the 1:1 view so that (x, y) of the full image is its top left corner. */
void ns_preview_view_scroll_to (GtkWidget *view, int x, int y);

G_END_DECLS
