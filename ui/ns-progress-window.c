/* The progress window: a pulsing bar (the engine reports no fractions) and Cancel. */
#include "ns-progress-window.h"
#include "ns-i18n.h"
#include <gdk/gdkx.h>

static void
on_cancel (GtkWidget *widget, gpointer data)
{
  g_cancellable_cancel (data);
}

static gboolean
on_delete (GtkWidget *widget, GdkEvent *event, gpointer data)
{
  g_cancellable_cancel (data);
  return TRUE;   /* the plug-in closes it when the engine has stopped */
}

GtkWidget *
ns_progress_window_new (const char *text, GCancellable *cancellable, gulong transient_for_xid)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gtk_window_set_title (GTK_WINDOW (window), text);
  gtk_window_set_resizable (GTK_WINDOW (window), FALSE);
  gtk_container_set_border_width (GTK_CONTAINER (window), 12);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_halign (cancel, GTK_ALIGN_END);
  gtk_widget_set_size_request (bar, 300, -1);
  gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), bar, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), cancel, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (window), box);
  g_object_set_data (G_OBJECT (window), "ns-bar", bar);
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (on_cancel), cancellable, 0);
  g_signal_connect_object (window, "delete-event", G_CALLBACK (on_delete), cancellable, 0);
  gtk_widget_show_all (window);
  GdkDisplay *display = gtk_widget_get_display (window);
  if (transient_for_xid != 0 && GDK_IS_X11_DISPLAY (display))
    {
      GdkWindow *parent = gdk_x11_window_foreign_new_for_display (display, transient_for_xid);
      if (parent != NULL)
        {
          gdk_window_set_transient_for (gtk_widget_get_window (window), parent);
          g_object_unref (parent);
        }
    }
  return window;
}

void
ns_progress_window_pulse (GtkWidget *window)
{
  gtk_progress_bar_pulse (g_object_get_data (G_OBJECT (window), "ns-bar"));
  while (gtk_events_pending ())
    gtk_main_iteration ();
}
