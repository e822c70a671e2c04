/* The plug-in's work, with every GIMP call on the calling thread and the
 * engine in a worker (plugin-worker.c).  Nothing touches the image until the
 * result is ready, so an error or a cancel leaves it as it was. */
#include "plugin-run.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include "ns-image-io.h"
#include "plugin-pixels.h"
#include "plugin-worker.h"

static gboolean
calling_error (GError **error, const char *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

gboolean
ns_plugin_check (const NsSettings *s, gint32 image, gint32 drawable, GError **error)
{
  if (!gimp_image_is_valid (image))
    return calling_error (error, _("The image does not exist."));
  if (!gimp_item_is_valid (drawable) || !gimp_item_is_layer (drawable) || gimp_item_get_image (drawable) != image)
    return calling_error (error, _("The drawable must be a layer of the image."));
  if (!ns_settings_validate (s, error))
    return FALSE;
  if (s->style_drawable >= 0 && !(gimp_item_is_valid (s->style_drawable) && gimp_item_is_drawable (s->style_drawable)))
    {
      g_autofree char *m = g_strdup_printf (_("The style drawable %d does not exist."), s->style_drawable);
      return calling_error (error, m);
    }
  if (s->style_file[0] != '\0')
    {
      g_autofree char *path = ns_settings_resolve_style (s->style_file);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *m = g_strdup_printf (
            _("The style file \"%s\" does not exist and is not the name of a bundled style."), s->style_file);
          return calling_error (error, m);
        }
    }
  return TRUE;
}

/* The style as an RGB image, and a short name for it. */
static NsImage *
load_style (const NsSettings *s, char **label, GError **error)
{
  if (s->style_drawable >= 0)
    {
      *label = gimp_item_get_name (s->style_drawable);
      g_autoptr (NsImage) rgba = ns_plugin_read_rgba (s->style_drawable, 0, 0, gimp_drawable_width (s->style_drawable),
                                                      gimp_drawable_height (s->style_drawable));
      return ns_image_to_rgb (rgba);
    }
  g_autofree char *path = ns_settings_resolve_style (s->style_file);
  *label = ns_settings_style_label (path);
  return ns_image_load (path, error);
}

gint32
ns_plugin_restyle (const NsSettings *s, gint32 image, gint32 drawable, GCancellable *cancellable,
                   void (*tick) (gpointer data), gpointer tick_data, GError **error)
{
  if (s->method == NS_METHOD_GATYS)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The Gatys method is not available yet; use AdaIN (method 0)."));
      return -1;
    }
  int x, y, width, height, ox, oy;
  if (!gimp_drawable_mask_intersect (drawable, &x, &y, &width, &height) || width <= 0 || height <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The selection does not touch the layer: there is nothing to restyle."));
      return -1;
    }
  gimp_drawable_offsets (drawable, &ox, &oy);

  g_autofree char *label = NULL;
  g_autoptr (NsImage) style = load_style (s, &label, error);
  if (style == NULL)
    return -1;
  g_autoptr (NsImage) content = ns_plugin_read_rgba (drawable, x, y, width, height);
  g_autoptr (NsImage) result = ns_plugin_stylise (content, style, s, cancellable, tick, tick_data, error);
  if (result == NULL)
    return -1;

  gboolean add_mask = !gimp_selection_is_empty (image)
    && !ns_plugin_selection_is_full (image, ox + x, oy + y, width, height);
  g_autofree char *name = g_strdup_printf (_("%s (AdaIN, alpha %.2f)"), label, s->alpha);
  gint32 layer = ns_plugin_insert_layer (image, drawable, name, ox + x, oy + y, result, content, add_mask);
  if (layer == -1)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("GIMP could not add the new layer to the image."));
  return layer;
}
