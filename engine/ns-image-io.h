/* Image files: PNG and JPEG in (through gdk-pixbuf, 8-bit values / 255, no
 * colour management), PNG, JPEG and PFM out.  Reading refuses an image over
 * NS_IMAGE_MAX_SIDE pixels a side before decoding it, a PNG or JPEG cut
 * short, and a PFM holding NaN or infinity.  Writes go through
 * ns_file_write (ns-file-write.h): atomic (a failed write leaves no file
 * behind and never a half-written one), through symbolic links, into a
 * character device, never over a folder, a FIFO or another special file. */
#pragma once

#include "ns-image.h"

G_BEGIN_DECLS

/* An RGB image (3 channels, alpha dropped, grey expanded) from a PNG, JPEG or
 * any format gdk-pixbuf reads, or from a PFM.  Errors name the file and say
 * why in a sentence. */
NsImage *ns_image_load (const char *path, GError **error);
/* The same, but an image with an alpha channel keeps it: 3 or 4 channels. */
NsImage *ns_image_load_with_alpha (const char *path, GError **error);

/* 8-bit PNG, values clamped to [0, 1] and rounded.  1, 3 or 4 channels. */
gboolean ns_image_save_png (const NsImage *image, const char *path, GError **error);

/* Portable Float Map: "PF" (3 channels) or "Pf" (1 channel), little-endian
 * (scale -1.0), rows from bottom to top as the format says, values unclamped. */
gboolean ns_image_save_pfm (const NsImage *image, const char *path, GError **error);
NsImage *ns_image_load_pfm (const char *path, GError **error);

/* Baseline JPEG, quality 95; alpha is dropped, grey written as RGB. */
gboolean ns_image_save_jpeg (const NsImage *image, const char *path, GError **error);

typedef enum {
  NS_IMAGE_FORMAT_PNG,
  NS_IMAGE_FORMAT_JPEG,
  NS_IMAGE_FORMAT_PFM,
  NS_IMAGE_FORMAT_UNKNOWN,
} NsImageFormat;
/* By the file name's extension, in any case: .png (or none) PNG, .jpg and
 * .jpeg JPEG, .pfm PFM; any other is unknown. */
NsImageFormat ns_image_format_for_path (const char *path);

/* Writes in the format of the name's extension; an unknown one is a
 * GDK_PIXBUF_ERROR_UNKNOWN_TYPE error. */
gboolean ns_image_save (const NsImage *image, const char *path, GError **error);
/* Whether ns_image_save (path) could write there, before any work: the
 * extension is known and ns_file_check_writable passes. */
gboolean ns_image_check_writable (const char *path, GError **error);

G_END_DECLS
