/* Reading and writing drawables with gegl_buffer_get/set in the drawable's own
 * colour space (no colour management, like the command-line tool reading a
 * PNG), so the plug-in and the CLI give the same pixels. */
#include "plugin-pixels.h"

static const Babl *
rgba_format (gint32 drawable)
{
  return babl_format_with_space ("R'G'B'A float", ns_gimp_drawable_get_format (drawable));
}

/* The channel's own encoding as floats, so the values are those stored. */
static const Babl *
mask_format (GeglBuffer *buffer)
{
  const char *name = babl_get_name (gegl_buffer_get_format (buffer));
  if (g_str_has_prefix (name, "Y'"))
    return babl_format ("Y' float");
  if (g_str_has_prefix (name, "Y~"))
    return babl_format ("Y~ float");
  return babl_format ("Y float");
}

/* A rectangle of the drawable as floats in `format` (NULL: the channel's own encoding). */
static void
read_floats (gint32 drawable, int x, int y, int width, int height, const Babl *format, float *dest)
{
  GeglBuffer *buffer = ns_gimp_drawable_get_buffer (drawable);
  gegl_buffer_get (buffer, GEGL_RECTANGLE (x, y, width, height), 1.0, format != NULL ? format : mask_format (buffer),
                   dest, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  g_object_unref (buffer);
}

NsImage *
ns_plugin_read_rgba (gint32 drawable, int x, int y, int width, int height)
{
  NsImage *image = ns_image_new (width, height, 4);
  read_floats (drawable, x, y, width, height, rgba_format (drawable), image->data);
  return image;
}

gboolean
ns_plugin_selection_is_full (gint32 image, int x, int y, int width, int height)
{
  g_autofree float *mask = g_new (float, (gsize) width * height);
  read_floats (ns_gimp_image_get_selection (image), x, y, width, height, babl_format ("Y float"), mask);
  for (gsize i = 0; i < (gsize) width * height; i++)
    if (mask[i] < 1.0f)
      return FALSE;
  return TRUE;
}

NsImage *
ns_plugin_read_mask (gint32 channel, int x, int y, int width, int height)
{
  NsImage *mask = ns_image_new (width, height, 1);
  read_floats (channel, x, y, width, height, NULL, mask->data);
  for (gsize i = 0; i < (gsize) width * height; i++)
    mask->data[i] = CLAMP (mask->data[i], 0.0f, 1.0f);
  return mask;
}

NsImage *
ns_plugin_mask_all (int width, int height)
{
  NsImage *mask = ns_image_new (width, height, 1);
  for (gsize i = 0; i < (gsize) width * height; i++)
    mask->data[i] = 1.0f;
  return mask;
}

gint32
ns_plugin_insert_layer (gint32 image, gint32 source, const char *name, int x, int y, const NsImage *rgb,
                        const NsImage *alpha_from, gboolean add_mask)
{
  int width = rgb->width, height = rgb->height;
  g_autoptr (NsImage) rgba = ns_image_new (width, height, 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      for (int c = 0; c < 3; c++)   /* the engine does not clamp; a picture does */
        rgba->data[i * 4 + c] = CLAMP (rgb->data[i * 3 + c], 0.0f, 1.0f);
      rgba->data[i * 4 + 3] = alpha_from->data[i * 4 + 3];
    }

  /* A layer that cannot be made leaves the image untouched, not even dirty. */
  gint32 layer = ns_gimp_layer_new (image, name, width, height);
  if (layer == -1)
    return -1;
  ns_gimp_image_undo_group_start (image);
  gboolean inserted = ns_gimp_insert_layer_above (image, layer, source);
  gboolean ok = inserted;
  if (ok)
    {
      ns_gimp_layer_set_offsets (layer, x, y);
      GeglBuffer *buffer = ns_gimp_drawable_get_buffer (layer);
      gegl_buffer_set (buffer, GEGL_RECTANGLE (0, 0, width, height), 0, rgba_format (layer), rgba->data,
                       GEGL_AUTO_ROWSTRIDE);
      gegl_buffer_flush (buffer);
      g_object_unref (buffer);
      ns_gimp_drawable_update (layer, 0, 0, width, height);
      if (add_mask)
        ok = ns_gimp_layer_add_selection_mask (layer);
    }
  if (!ok && inserted)   /* a failure leaves the image as it was */
    ns_gimp_image_remove_layer (image, layer);
  else if (!ok)
    ns_gimp_item_delete (layer);
  ns_gimp_image_undo_group_end (image);
  return ok ? layer : -1;
}

NsImage *
ns_plugin_read_rgba_scaled (gint32 drawable, int x, int y, int width, int height, int max_side, double *scale)
{
  double s = MIN (1.0, (double) max_side / MAX (width, height));
  int w = MAX (1, (int) (width * s + 0.5)), h = MAX (1, (int) (height * s + 0.5));
  *scale = s;
  if (s >= 1.0)
    return ns_plugin_read_rgba (drawable, x, y, width, height);
  g_autoptr (NsImage) image = ns_image_new (w, h, 4);
  GeglBuffer *buffer = ns_gimp_drawable_get_buffer (drawable);
  /* With a scale, gegl_buffer_get takes the rectangle in scaled coordinates. */
  gegl_buffer_get (buffer, GEGL_RECTANGLE ((int) (x * s), (int) (y * s), w, h), s, rgba_format (drawable),
                   image->data, GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_CLAMP);
  g_object_unref (buffer);
  return g_steal_pointer (&image);
}
