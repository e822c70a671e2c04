#include "ns-style-prep.h"

#include "ns-colour.h"
#include "ns-i18n.h"
#include <math.h>

gboolean
ns_style_check_weights (const NsWeightedStyle *styles, guint n, GError **error)
{
  if (n == 0 || styles == NULL)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT, _("No style image was given."));
      return FALSE;
    }
  double total = 0;
  for (guint i = 0; i < n; i++)
    {
      if (styles[i].image == NULL || !(styles[i].weight >= 0 && isfinite (styles[i].weight)))
        {
          g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                       _("Style %u of the blend has the weight %g; every style needs an image and a weight of 0 or more."),
                       i + 1, styles[i].weight);
          return FALSE;
        }
      total += styles[i].weight;
    }
  if (!(total > 0 && isfinite (total)))
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The weights of the styles add up to 0; at least one must be above 0."));
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_style_check_size_and_mask (const NsImage *content, int style_size, int min_side, const NsImage *mask,
                              const NsWeightedStyle *outside_styles, guint n_outside_styles, GError **error)
{
  if (style_size != 0 && (style_size < min_side || style_size > NS_MAX_IMAGE_SIDE))
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The style size is %d pixels; it must be 0 (the style as given) or between %d and %d."),
                   style_size, min_side, NS_MAX_IMAGE_SIDE);
      return FALSE;
    }
  if (mask != NULL
      && (mask->width != content->width || mask->height != content->height || n_outside_styles == 0
          || outside_styles == NULL))
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("A mask must have the content's size (%d × %d) and come with a style for outside it."),
                   content->width, content->height);
      return FALSE;
    }
  return TRUE;
}

NsImage *
ns_style_prepare_image (const NsImage *style, int style_size, NsColourPreservation colour, const NsImage *content_rgb)
{
  g_autoptr (NsImage) image = ns_image_to_rgb (style);
  if (style_size > 0)
    {
      NsImage *resized = ns_image_resize_short_side (image, style_size);
      ns_image_free (image);
      image = resized;
    }
  if (colour == NS_COLOUR_LUMINANCE)
    return ns_colour_grey_rgb (image);
  if (colour == NS_COLOUR_MATCH)
    return ns_colour_match (image, content_rgb);
  return g_steal_pointer (&image);
}

NsImage *
ns_style_mask_grey (const NsImage *mask)
{
  NsImage *grey = ns_image_new (mask->width, mask->height, 1);
  for (gsize i = 0; i < (gsize) mask->width * mask->height; i++)
    grey->data[i] = CLAMP (mask->data[i * mask->channels], 0.0f, 1.0f);
  return grey;
}
