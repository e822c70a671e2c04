/* x-screenshot OUT.png: the whole X screen ($DISPLAY) as a PNG, for the
 * GIMP-under-Xvfb test's artefact (no ImageMagick or x11-apps needed). */
#include <gtk/gtk.h>

int
main (int argc, char **argv)
{
  if (argc != 2 || !gtk_init_check (&argc, &argv))
    {
      g_printerr ("usage: x-screenshot OUT.png (with a $DISPLAY)\n");
      return 2;
    }
  GdkWindow *root = gdk_get_default_root_window ();
  g_autoptr (GdkPixbuf) shot = gdk_pixbuf_get_from_window (root, 0, 0, gdk_window_get_width (root),
                                                           gdk_window_get_height (root));
  g_autoptr (GError) error = NULL;
  if (shot == NULL || !gdk_pixbuf_save (shot, argv[1], "png", &error, NULL))
    {
      g_printerr ("x-screenshot: %s\n", error != NULL ? error->message : "the screen could not be read");
      return 1;
    }
  return 0;
}
