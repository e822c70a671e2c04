/* Host images: float32, interleaved (HWC), values nominally in [0, 1].  The
 * engine's callers own these; nothing here touches a device. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest side of an image read from a file (and of any the engine takes). */
#define NS_IMAGE_MAX_SIDE 16384

typedef struct {
  int width;
  int height;
  int channels;   /* 1 (grey), 3 (RGB) or 4 (RGBA) */
  float *data;    /* width * height * channels floats, row-major, owned */
} NsImage;

/* Zero-filled image; aborts only on absurd sizes (callers check limits first). */
NsImage *ns_image_new (int width, int height, int channels);
void ns_image_free (NsImage *image);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsImage, ns_image_free)

NsImage *ns_image_copy (const NsImage *image);
static inline float *
ns_image_pixel (const NsImage *image, int x, int y)
{
  return image->data + ((gsize) y * image->width + x) * image->channels;
}

/* Resampled to width x height: area averaging where it shrinks (no aliasing),
 * bilinear where it grows.  Same number of channels. */
NsImage *ns_image_resize (const NsImage *image, int width, int height);
/* Resized, keeping the aspect ratio, so the shorter side is short_side pixels. */
NsImage *ns_image_resize_short_side (const NsImage *image, int short_side);

/* Padded by mirroring (index -1 reads index 1, not the edge pixel again).
 * Each pad must be smaller than the image's size along its axis. */
NsImage *ns_image_pad_reflect (const NsImage *image, int left, int top, int right, int bottom);
/* The width x height rectangle whose top-left corner is (x, y); it must lie inside. */
NsImage *ns_image_crop (const NsImage *image, int x, int y, int width, int height);

/* The same image with 3 channels: grey is replicated, alpha is dropped. */
NsImage *ns_image_to_rgb (const NsImage *image);
/* rgb's colours (3 channels, as they are) with alpha_from's alpha channel
 * (opaque when it has none): 4 channels, the same size as both. */
NsImage *ns_image_with_alpha (const NsImage *rgb, const NsImage *alpha_from);

G_END_DECLS
