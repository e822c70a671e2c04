/* Decoding an image file through gdk-pixbuf, with two checks gdk-pixbuf
 * lacks: the image's size is known, and refused beyond a bound, before any
 * pixel is allocated (a small PNG can claim 20000 x 20000 pixels), and a PNG
 * or JPEG that ends before its image does is an error, not a picture with
 * a grey lower half. */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

#define NS_IMAGE_DECODE_ERROR (ns_image_decode_error_quark ())
GQuark ns_image_decode_error_quark (void);

typedef enum {
  NS_IMAGE_DECODE_ERROR_TOO_LARGE,    /* wider or taller than max_side */
  NS_IMAGE_DECODE_ERROR_INCOMPLETE,   /* the file ends before its image does */
} NsImageDecodeError;

/* The file's pixels as gdk-pixbuf gives them (the EXIF orientation not yet
 * applied), or NULL and an error: G_FILE_ERROR (reading), GDK_PIXBUF_ERROR
 * (no known format, corrupt data) or NS_IMAGE_DECODE_ERROR, whose message is
 * a reason (no file name, no full stop, translated). */
GdkPixbuf *ns_image_decode (const char *path, int max_side, GError **error);

G_END_DECLS
