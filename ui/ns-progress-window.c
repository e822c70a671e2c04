/* The progress window: Cancel, and for an optimisation the image so far, a
 * bar and Stop.  Either button says at once that it was heard. */
#include "ns-progress-window.h"
#include "ns-i18n.h"
#include "ns-progress-text.h"

#define PREVIEW_SIDE 256

/* The user has asked to end the run: say so at once and take the buttons
 * away (the engine stops within a layer's work; the plug-in closes the
 * window when it has). */
static void
ending (GtkWidget *window, const char *what, GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
  GtkWidget *stop = g_object_get_data (G_OBJECT (window), "ns-stop");
  gtk_widget_set_sensitive (g_object_get_data (G_OBJECT (window), "ns-cancel"), FALSE);
  if (stop != NULL)
    gtk_widget_set_sensitive (stop, FALSE);
  gtk_label_set_text (g_object_get_data (G_OBJECT (window), "ns-label"), what);
}

static void
on_cancel (GtkWidget *button, gpointer window)
{
  ending (window, _("Cancelling…"), g_object_get_data (G_OBJECT (window), "ns-cancellable"));
}

static void
on_stop (GtkWidget *button, gpointer window)
{
  /* A cancel already under way is not turned into a stop. */
  if (!g_cancellable_is_cancelled (g_object_get_data (G_OBJECT (window), "ns-cancellable")))
    ending (window, _("Stopping…"), g_object_get_data (G_OBJECT (window), "ns-stop-cancellable"));
}

static gboolean
on_delete (GtkWidget *window, GdkEvent *event, gpointer data)
{
  on_cancel (NULL, window);
  return TRUE;   /* the plug-in closes it when the engine has stopped */
}

static void
handle_events (void)
{
  while (gtk_events_pending ())
    gtk_main_iteration ();
}

/* with_preview: an optimisation's window (the image so far, a bar that counts
 * its iterations, and Stop when `stop` is given); else Cancel alone, the
 * progress being the host's own bar. */
static GtkWidget *
progress_window_new (const char *text, GCancellable *cancellable, gboolean with_preview, GCancellable *stop,
                     NsParentFunc set_parent, gpointer parent_data)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (window), text);
  gtk_window_set_resizable (GTK_WINDOW (window), FALSE);
  gtk_container_set_border_width (GTK_CONTAINER (window), 12);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *buttons = gtk_button_box_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_button_box_set_layout (GTK_BUTTON_BOX (buttons), GTK_BUTTONBOX_END);
  gtk_box_set_spacing (GTK_BOX (buttons), 6);
  gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
  g_object_set_data (G_OBJECT (window), "ns-label", label);
  g_object_set_data_full (G_OBJECT (window), "ns-cancellable", g_object_ref (cancellable), g_object_unref);
  if (with_preview)
    {
      GtkWidget *frame = gtk_frame_new (NULL);
      GtkWidget *image = gtk_image_new ();
      GtkWidget *bar = gtk_progress_bar_new ();
      gtk_widget_set_size_request (image, PREVIEW_SIDE, PREVIEW_SIDE);
      gtk_container_add (GTK_CONTAINER (frame), image);
      gtk_widget_set_halign (frame, GTK_ALIGN_CENTER);
      gtk_box_pack_start (GTK_BOX (box), frame, FALSE, FALSE, 0);
      g_object_set_data (G_OBJECT (window), "ns-preview", image);
      gtk_widget_set_size_request (bar, 300, -1);
      gtk_box_pack_start (GTK_BOX (box), bar, FALSE, FALSE, 0);
      g_object_set_data (G_OBJECT (window), "ns-bar", bar);
    }
  if (stop != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Stop"));
      gtk_widget_set_tooltip_text (button, _("Stop now and keep the best image so far as the new layer"));
      gtk_container_add (GTK_CONTAINER (buttons), button);
      g_object_set_data (G_OBJECT (window), "ns-stop", button);
      g_object_set_data_full (G_OBJECT (window), "ns-stop-cancellable", g_object_ref (stop), g_object_unref);
      g_signal_connect (button, "clicked", G_CALLBACK (on_stop), window);
      gtk_widget_set_tooltip_text (cancel, _("Stop and leave the image as it was"));
    }
  gtk_container_add (GTK_CONTAINER (buttons), cancel);
  gtk_box_pack_start (GTK_BOX (box), buttons, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (window), box);
  g_object_set_data (G_OBJECT (window), "ns-cancel", cancel);
  g_signal_connect (cancel, "clicked", G_CALLBACK (on_cancel), window);
  g_signal_connect (window, "delete-event", G_CALLBACK (on_delete), NULL);
  if (set_parent != NULL)
    set_parent (GTK_WINDOW (window), parent_data);
  gtk_widget_show_all (window);
  return window;
}

GtkWidget *
ns_progress_window_new (const char *text, GCancellable *cancellable, NsParentFunc set_parent, gpointer parent_data)
{
  return progress_window_new (text, cancellable, FALSE, NULL, set_parent, parent_data);
}

GtkWidget *
ns_progress_window_new_with_stop (const char *text, GCancellable *cancellable, GCancellable *stop,
                                  NsParentFunc set_parent, gpointer parent_data)
{
  return progress_window_new (text, cancellable, TRUE, stop, set_parent, parent_data);
}

/* The first progress and when it came are kept on the window, for the pace. */
typedef struct {
  double t0, f0;
} FirstProgress;

void
ns_progress_window_set_fraction (GtkWidget *window, double fraction, const char *bar_text)
{
  GtkProgressBar *bar = g_object_get_data (G_OBJECT (window), "ns-bar");
  if (bar == NULL || fraction < 0)
    {
      handle_events ();
      return;
    }
  double now = g_get_monotonic_time () / 1e6;
  FirstProgress *first = g_object_get_data (G_OBJECT (window), "ns-first-progress");
  if (first == NULL && fraction > 0)
    {
      first = g_new (FirstProgress, 1);
      *first = (FirstProgress) { now, fraction };
      g_object_set_data_full (G_OBJECT (window), "ns-first-progress", first, g_free);
    }
  g_autofree char *text = first != NULL ? ns_progress_text (bar_text, first->t0, first->f0, now, fraction)
                                        : g_strdup (bar_text);
  gtk_progress_bar_set_fraction (bar, CLAMP (fraction, 0.0, 1.0));
  gtk_progress_bar_set_show_text (bar, text != NULL);
  gtk_progress_bar_set_text (bar, text);
  handle_events ();
}

static void
free_pixels (guchar *pixels, gpointer data)
{
  g_free (pixels);
}

void
ns_progress_window_set_preview (GtkWidget *window, const NsImage *image)
{
  GtkWidget *widget = g_object_get_data (G_OBJECT (window), "ns-preview");
  if (widget == NULL || image == NULL || image->width < 1 || image->height < 1)
    return;
  int width = image->width, height = image->height, n = image->channels;
  guchar *pixels = g_malloc ((gsize) width * height * 3);
  for (gsize i = 0; i < (gsize) width * height; i++)
    for (int c = 0; c < 3; c++)
      {
        float v = image->data[i * n + (n >= 3 ? c : 0)];
        pixels[i * 3 + c] = (guchar) (CLAMP (v, 0.0f, 1.0f) * 255.0f + 0.5f);
      }
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new_from_data (pixels, GDK_COLORSPACE_RGB, FALSE, 8, width, height,
                                                          width * 3, free_pixels, NULL);
  double scale = MIN ((double) PREVIEW_SIDE / width, (double) PREVIEW_SIDE / height);
  int w = MAX (1, (int) (width * scale + 0.5)), h = MAX (1, (int) (height * scale + 0.5));
  g_autoptr (GdkPixbuf) scaled = gdk_pixbuf_scale_simple (pixbuf, w, h, GDK_INTERP_BILINEAR);
  gtk_image_set_from_pixbuf (GTK_IMAGE (widget), scaled);
  handle_events ();
}
