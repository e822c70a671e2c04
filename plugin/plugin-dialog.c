/* Feeds the dialog what only GIMP knows: a downscaled preview of the
 * drawable inside the selection, the layers of the open images as styles,
 * the image window to stay above and the theme's darkness. */
#include "plugin-dialog.h"
#include "neural-style.h"
#include "ns-dialog.h"
#include "ns-i18n.h"
#include "plugin-pixels.h"
#include "plugin-gimp.h"

#define PREVIEW_SIDE 256

#if GIMP_MAJOR_VERSION >= 3
#include <libgimp/gimpui.h>

/* GIMP 3 gives its plug-ins its theme through gimp_ui_init(). */
static gboolean
theme_is_dark (void)
{
  return FALSE;
}

gboolean
ns_plugin_ui_init (void)
{
  if (!gtk_init_check (NULL, NULL))
    return FALSE;
  gimp_ui_init ("gimp-neural-style");
  return TRUE;
}

/* GIMP's own way: under X11 and Wayland alike. */
void
ns_plugin_set_parent (GtkWindow *window, gpointer data)
{
  gimp_window_set_transient (window);
}

#else
#include <gdk/gdkx.h>

/* GIMP 2.10's themes: Dark and Gray are dark, Light and System are not. */
static gboolean
theme_is_dark (void)
{
  g_autofree char *theme = gimp_gimprc_query ("theme");
  g_autofree char *name = theme != NULL ? g_ascii_strdown (theme, -1) : NULL;
  return name != NULL && (g_str_has_prefix (name, "dark") || g_str_has_prefix (name, "gray"));
}

gboolean
ns_plugin_ui_init (void)
{
  if (!gtk_init_check (NULL, NULL))
    return FALSE;
  /* Every window of ours (the dialog, the progress window) follows GIMP's theme. */
  if (theme_is_dark ())
    g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);
  return TRUE;
}

/* GIMP 2.10 runs under X11 only (GTK 2): its image window is an X11 window,
 * whose ID libgimp gives; the window is its transient once realised. */
static void
on_realize (GtkWidget *widget, gpointer data)
{
  GdkDisplay *display = gtk_widget_get_display (widget);
  gint32 gimp_display = gimp_default_display ();
  gulong xid = gimp_display > 0 ? (gulong) gimp_display_get_window_handle (gimp_display) : 0;
  if (xid == 0 || !GDK_IS_X11_DISPLAY (display))
    return;
  GdkWindow *parent = gdk_x11_window_foreign_new_for_display (display, xid);
  if (parent != NULL)
    {
      gdk_window_set_transient_for (gtk_widget_get_window (widget), parent);
      g_object_unref (parent);
    }
}

void
ns_plugin_set_parent (GtkWindow *window, gpointer data)
{
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
}
#endif

static NsImage *
layer_pixels (gint32 id, int max_side, gpointer data)
{
  if (!ns_gimp_item_is_valid (id) || !ns_gimp_item_is_drawable (id))
    return NULL;
  int width = ns_gimp_drawable_width (id), height = ns_gimp_drawable_height (id);
  /* max_side bounds the shorter side; read so the longer one follows. */
  int longer = (int) ((double) max_side * MAX (width, height) / MAX (1, MIN (width, height)) + 0.5);
  double scale;
  g_autoptr (NsImage) rgba = ns_plugin_read_rgba_scaled (id, 0, 0, width, height, longer, &scale);
  return ns_image_to_rgb (rgba);
}

/* A channel (the selection, a layer mask) in the rectangle (x, y, width,
 * height) of its own coordinates, scaled as ns_plugin_read_rgba_scaled()
 * scales the preview, as a grey image of the preview's size. */
static NsImage *
read_mask_scaled (gint32 channel, int x, int y, int width, int height, double scale)
{
  gboolean scaled = scale < 1.0;
  int w = scaled ? MAX (1, (int) (width * scale + 0.5)) : width;
  int h = scaled ? MAX (1, (int) (height * scale + 0.5)) : height;
  NsImage *mask = ns_image_new (w, h, 1);
  GeglBuffer *buffer = ns_gimp_drawable_get_buffer (channel);
  gegl_buffer_get (buffer,
                   scaled ? GEGL_RECTANGLE ((int) (x * scale), (int) (y * scale), w, h) : GEGL_RECTANGLE (x, y, w, h),
                   scaled ? scale : 1.0, babl_format ("Y float"), mask->data, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  g_object_unref (buffer);
  return mask;
}

/* The top-level layers of every open image, as "image: layer". */
static GArray *
list_layers (void)
{
  GArray *layers = g_array_new (FALSE, TRUE, sizeof (NsDialogLayer));
  int n_images;
  g_autofree gint *images = ns_gimp_image_list (&n_images);
  for (int i = 0; i < n_images; i++)
    {
      g_autofree char *image_name = ns_gimp_image_get_name (images[i]);
      int n_layers;
      g_autofree gint *ids = ns_gimp_image_get_layers (images[i], &n_layers);
      for (int j = 0; j < n_layers; j++)
        {
          g_autofree char *layer_name = ns_gimp_item_get_name (ids[j]);
          NsDialogLayer layer = { ids[j], g_strdup_printf ("%s: %s", image_name, layer_name) };
          g_array_append_val (layers, layer);
        }
    }
  return layers;
}

gboolean
ns_plugin_dialog (NsSettings *settings, gint32 image, gint32 drawable, GError **error)
{
  int x, y, width, height;
  g_autoptr (NsImage) preview = NULL, selection_mask = NULL, layer_mask = NULL;
  g_autoptr (NsImage) layer_preview = NULL, layer_selection_mask = NULL;
  g_autoptr (NsImage) content = NULL, content_layer_mask = NULL;
  double scale = 1.0, layer_scale = 1.0;
  if (ns_gimp_drawable_mask_intersect (drawable, &x, &y, &width, &height) && width > 0 && height > 0)
    {
      preview = ns_plugin_read_rgba_scaled (drawable, x, y, width, height, PREVIEW_SIDE, &scale);
      /* The 1:1 view's pixels: what OK restyles (plugin-run.c reads the same). */
      content = ns_plugin_read_rgba (drawable, x, y, width, height);
      /* For the preview of a second style outside the selection or the layer mask. */
      int ox, oy;
      ns_gimp_drawable_offsets (drawable, &ox, &oy);
      if (!ns_gimp_selection_is_empty (image))
        {
          gint32 selection = ns_gimp_image_get_selection (image);
          int lw = ns_gimp_drawable_width (drawable), lh = ns_gimp_drawable_height (drawable);
          selection_mask = read_mask_scaled (selection, ox + x, oy + y, width, height, scale);
          /* A second style outside the selection restyles the whole layer. */
          layer_preview = ns_plugin_read_rgba_scaled (drawable, 0, 0, lw, lh, PREVIEW_SIDE, &layer_scale);
          layer_selection_mask = read_mask_scaled (selection, ox, oy, lw, lh, layer_scale);
        }
      gint32 mask = ns_gimp_item_is_layer (drawable) ? ns_gimp_layer_get_mask (drawable) : -1;
      if (mask > 0)
        {
          layer_mask = read_mask_scaled (mask, x, y, width, height, scale);
          content_layer_mask = ns_plugin_read_mask (mask, x, y, width, height);
        }
    }
  g_autoptr (GArray) layers = list_layers ();
  NsDialogHost host = {
    .preview = preview,
    .preview_scale = scale,
    .layers = (const NsDialogLayer *) layers->data,
    .n_layers = layers->len,
    .layer_pixels = layer_pixels,
    .set_parent = ns_plugin_set_parent,
    .prefer_dark = theme_is_dark (),
    .selection_mask = selection_mask,
    .layer_mask = layer_mask,
    .layer_preview = layer_preview,
    .layer_preview_scale = layer_scale,
    .layer_selection_mask = layer_selection_mask,
    .content = content,
    .content_layer_mask = content_layer_mask,
  };
  gboolean ok = ns_dialog_run (settings, &host);
  for (guint i = 0; i < layers->len; i++)
    g_free (g_array_index (layers, NsDialogLayer, i).name);
  if (!ok)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled."));
  return ok;
}
