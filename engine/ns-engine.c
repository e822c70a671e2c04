/* What belongs to the whole engine rather than to one method: its error
 * domain and the size limits of any image. */
#include "ns-engine-private.h"

#include "ns-i18n.h"

G_DEFINE_QUARK (ns-engine-error-quark, ns_engine_error)

gboolean
ns_engine_check_image (const NsImage *image, const char *role, GError **error)
{
  if (image->width < NS_MIN_IMAGE_SIDE || image->height < NS_MIN_IMAGE_SIDE)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL,
                   _("The %s image is %d × %d pixels; it must be at least %d × %d."),
                   role, image->width, image->height, NS_MIN_IMAGE_SIDE, NS_MIN_IMAGE_SIDE);
      return FALSE;
    }
  if (image->width > NS_MAX_IMAGE_SIDE || image->height > NS_MAX_IMAGE_SIDE)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_LARGE,
                   _("The %s image is %d × %d pixels; it may be at most %d pixels on a side."),
                   role, image->width, image->height, NS_MAX_IMAGE_SIDE);
      return FALSE;
    }
  return TRUE;
}
