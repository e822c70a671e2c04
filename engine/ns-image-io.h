/* Image files: PNG and JPEG in (through gdk-pixbuf, 8-bit values / 255, no
 * colour management), PNG and PFM out.  Writes are atomic: a failed write
 * leaves no file behind and never a half-written one. */
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

/* Chooses by the file name's extension: ".pfm" (any case) writes PFM, anything else PNG. */
gboolean ns_image_save (const NsImage *image, const char *path, GError **error);

G_END_DECLS
