#include "ns-preview-view.h"
#include "ns-i18n.h"

/* The scrolled window's least size: the 1:1 region the user sees at once. */
#define VIEW_WIDTH 384
#define VIEW_HEIGHT 288

typedef struct {
  GtkWidget *box, *zoom_combo, *scrolled, *area;
  GdkPixbuf *fit, *region;
  int region_x, region_y;
  int full_width, full_height;
  double drag_x, drag_y;        /* the pointer where the drag began (root coordinates) */
  double drag_h, drag_v;        /* the scroll position then */
  gboolean dragging;
  gboolean center_pending;      /* at 1:1, once laid out: show the middle of the image */
  NsPreviewViewFunc changed;
  gpointer data;
} View;

static View *
get (GtkWidget *view)
{
  return g_object_get_data (G_OBJECT (view), "ns-preview-view");
}

static void
view_free (gpointer p)
{
  View *v = p;
  g_clear_object (&v->fit);
  g_clear_object (&v->region);
  g_free (v);
}

NsPreviewZoom
ns_preview_view_get_zoom (GtkWidget *view)
{
  View *v = get (view);
  return v->full_width > 0 && gtk_widget_get_sensitive (v->zoom_combo)
             && gtk_combo_box_get_active (GTK_COMBO_BOX (v->zoom_combo)) == NS_PREVIEW_ZOOM_ONE_TO_ONE
           ? NS_PREVIEW_ZOOM_ONE_TO_ONE : NS_PREVIEW_ZOOM_FIT;
}

/* The area's size: the overview's, or the full image's at 1:1. */
static void
update_size (View *v)
{
  gboolean one = ns_preview_view_get_zoom (v->box) == NS_PREVIEW_ZOOM_ONE_TO_ONE;
  int w = one ? v->full_width : (v->fit != NULL ? gdk_pixbuf_get_width (v->fit) : 1);
  int h = one ? v->full_height : (v->fit != NULL ? gdk_pixbuf_get_height (v->fit) : 1);
  gtk_widget_set_size_request (v->area, w, h);
  gtk_widget_queue_draw (v->area);
}

static gboolean
draw (GtkWidget *area, cairo_t *cr, gpointer data)
{
  View *v = data;
  if (v->fit == NULL)
    return TRUE;
  if (ns_preview_view_get_zoom (v->box) != NS_PREVIEW_ZOOM_ONE_TO_ONE)
    {
      gdk_cairo_set_source_pixbuf (cr, v->fit, 0, 0);
      cairo_paint (cr);
      return TRUE;
    }
  /* The overview scaled up where the exact region is not (yet) there. */
  cairo_save (cr);
  cairo_scale (cr, (double) v->full_width / gdk_pixbuf_get_width (v->fit),
               (double) v->full_height / gdk_pixbuf_get_height (v->fit));
  gdk_cairo_set_source_pixbuf (cr, v->fit, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
  if (v->region != NULL)
    {
      gdk_cairo_set_source_pixbuf (cr, v->region, v->region_x, v->region_y);
      cairo_paint (cr);
    }
  return TRUE;
}

static void
notify_changed (View *v)
{
  if (v->changed != NULL)
    v->changed (v->box, v->data);
}

static void
on_scrolled (GtkAdjustment *adjustment, gpointer data)
{
  notify_changed (data);
}

/* The adjustments' bounds changed (a new zoom laid out, a resize). */
static void
on_laid_out (GtkAdjustment *adjustment, gpointer data)
{
  View *v = data;
  GtkScrolledWindow *s = GTK_SCROLLED_WINDOW (v->scrolled);
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (s), *vv = gtk_scrolled_window_get_vadjustment (s);
  if (v->center_pending && gtk_adjustment_get_upper (h) >= v->full_width
      && gtk_adjustment_get_upper (vv) >= v->full_height)
    {
      v->center_pending = FALSE;
      gtk_adjustment_set_value (h, (gtk_adjustment_get_upper (h) - gtk_adjustment_get_page_size (h)) / 2);
      gtk_adjustment_set_value (vv, (gtk_adjustment_get_upper (vv) - gtk_adjustment_get_page_size (vv)) / 2);
    }
  notify_changed (v);
}

static void
on_zoom (GtkComboBox *combo, gpointer data)
{
  View *v = data;
  update_size (v);
  /* The middle of the image first, once the scrolled window knows its new size. */
  v->center_pending = ns_preview_view_get_zoom (v->box) == NS_PREVIEW_ZOOM_ONE_TO_ONE;
  notify_changed (v);
}

/* An insensitive zoom (the Gatys method) is the fitted view. */
static void
on_zoom_sensitive (GObject *combo, GParamSpec *pspec, gpointer data)
{
  View *v = data;
  update_size (v);
  notify_changed (v);
}

/* Dragging the image moves the view, as in GIMP's navigation. */
static gboolean
on_press (GtkWidget *area, GdkEventButton *event, gpointer data)
{
  View *v = data;
  if (event->button != GDK_BUTTON_PRIMARY || ns_preview_view_get_zoom (v->box) != NS_PREVIEW_ZOOM_ONE_TO_ONE)
    return FALSE;
  v->dragging = TRUE;
  v->drag_x = event->x_root;
  v->drag_y = event->y_root;
  v->drag_h = gtk_adjustment_get_value (gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (v->scrolled)));
  v->drag_v = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (v->scrolled)));
  return TRUE;
}

static gboolean
on_motion (GtkWidget *area, GdkEventMotion *event, gpointer data)
{
  View *v = data;
  if (!v->dragging)
    return FALSE;
  GtkScrolledWindow *s = GTK_SCROLLED_WINDOW (v->scrolled);
  gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (s), v->drag_h - (event->x_root - v->drag_x));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (s), v->drag_v - (event->y_root - v->drag_y));
  return TRUE;
}

static gboolean
on_release (GtkWidget *area, GdkEventButton *event, gpointer data)
{
  View *v = data;
  v->dragging = FALSE;
  return FALSE;
}

GtkWidget *
ns_preview_view_new (GdkPixbuf *fit, int full_width, int full_height, NsPreviewViewFunc changed, gpointer data)
{
  View *v = g_new0 (View, 1);
  v->full_width = MAX (full_width, 0);
  v->full_height = full_width > 0 ? MAX (full_height, 0) : 0;
  v->fit = fit != NULL ? g_object_ref (fit) : NULL;
  v->changed = changed;
  v->data = data;
  v->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  g_object_set_data_full (G_OBJECT (v->box), "ns-preview-view", v, view_free);

  v->zoom_combo = gtk_combo_box_text_new ();
  /* TRANSLATORS: the preview's zoom: the whole image scaled to the view. */
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (v->zoom_combo), _("Fit"));
  /* TRANSLATORS: the preview's zoom: one pixel of the result per screen pixel. */
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (v->zoom_combo), _("1:1"));
  gtk_combo_box_set_active (GTK_COMBO_BOX (v->zoom_combo), NS_PREVIEW_ZOOM_FIT);
  gtk_widget_set_tooltip_text (v->zoom_combo,
                               _("Fit shows the whole area, scaled down. 1:1 shows the result's own pixels, computed "
                                 "as OK computes them: scroll or drag the image to choose the region."));
  gtk_widget_set_sensitive (v->zoom_combo, v->full_width > 0);

  v->area = gtk_drawing_area_new ();
  gtk_widget_set_halign (v->area, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (v->area, GTK_ALIGN_CENTER);
  gtk_widget_add_events (v->area, GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK | GDK_BUTTON1_MOTION_MASK);
  v->scrolled = gtk_scrolled_window_new (NULL, NULL);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (v->scrolled), VIEW_WIDTH);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (v->scrolled), VIEW_HEIGHT);
  gtk_container_add (GTK_CONTAINER (v->scrolled), v->area);
  gtk_box_pack_start (GTK_BOX (v->box), v->scrolled, TRUE, TRUE, 0);
  update_size (v);

  g_signal_connect (v->area, "draw", G_CALLBACK (draw), v);
  g_signal_connect (v->area, "button-press-event", G_CALLBACK (on_press), v);
  g_signal_connect (v->area, "motion-notify-event", G_CALLBACK (on_motion), v);
  g_signal_connect (v->area, "button-release-event", G_CALLBACK (on_release), v);
  g_signal_connect (v->zoom_combo, "changed", G_CALLBACK (on_zoom), v);
  g_signal_connect (v->zoom_combo, "notify::sensitive", G_CALLBACK (on_zoom_sensitive), v);
  GtkScrolledWindow *s = GTK_SCROLLED_WINDOW (v->scrolled);
  g_signal_connect (gtk_scrolled_window_get_hadjustment (s), "value-changed", G_CALLBACK (on_scrolled), v);
  g_signal_connect (gtk_scrolled_window_get_vadjustment (s), "value-changed", G_CALLBACK (on_scrolled), v);
  g_signal_connect (gtk_scrolled_window_get_hadjustment (s), "changed", G_CALLBACK (on_laid_out), v);
  g_signal_connect (gtk_scrolled_window_get_vadjustment (s), "changed", G_CALLBACK (on_laid_out), v);
  return v->box;
}

GtkWidget *
ns_preview_view_get_zoom_combo (GtkWidget *view)
{
  return get (view)->zoom_combo;
}

GtkWidget *
ns_preview_view_get_scrolled (GtkWidget *view)
{
  return get (view)->scrolled;
}

void
ns_preview_view_set_fit (GtkWidget *view, GdkPixbuf *fit)
{
  View *v = get (view);
  g_set_object (&v->fit, fit);
  update_size (v);
}

GdkPixbuf *
ns_preview_view_get_fit (GtkWidget *view)
{
  return get (view)->fit;
}

void
ns_preview_view_set_region (GtkWidget *view, GdkPixbuf *region, int x, int y)
{
  View *v = get (view);
  g_set_object (&v->region, region);
  v->region_x = x;
  v->region_y = y;
  gtk_widget_queue_draw (v->area);
}

GdkPixbuf *
ns_preview_view_get_region (GtkWidget *view, int *x, int *y)
{
  View *v = get (view);
  *x = v->region_x;
  *y = v->region_y;
  return v->region;
}

gboolean
ns_preview_view_get_visible (GtkWidget *view, int *x, int *y, int *width, int *height)
{
  View *v = get (view);
  if (ns_preview_view_get_zoom (view) != NS_PREVIEW_ZOOM_ONE_TO_ONE)
    return FALSE;
  GtkScrolledWindow *s = GTK_SCROLLED_WINDOW (v->scrolled);
  GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (s), *vv = gtk_scrolled_window_get_vadjustment (s);
  /* Before the window is laid out the page is 0: the view's least size then. */
  int page_w = gtk_adjustment_get_page_size (h) > 0 ? (int) gtk_adjustment_get_page_size (h) : VIEW_WIDTH;
  int page_h = gtk_adjustment_get_page_size (vv) > 0 ? (int) gtk_adjustment_get_page_size (vv) : VIEW_HEIGHT;
  *x = CLAMP ((int) gtk_adjustment_get_value (h), 0, v->full_width - 1);
  *y = CLAMP ((int) gtk_adjustment_get_value (vv), 0, v->full_height - 1);
  *width = MIN (page_w, v->full_width - *x);
  *height = MIN (page_h, v->full_height - *y);
  return TRUE;
}

void
ns_preview_view_scroll_to (GtkWidget *view, int x, int y)
{
  View *v = get (view);
  GtkScrolledWindow *s = GTK_SCROLLED_WINDOW (v->scrolled);
  v->center_pending = FALSE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (s), MAX (x, 0));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (s), MAX (y, 0));
}
