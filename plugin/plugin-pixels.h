/* Pixels between GIMP drawables and the engine's host images, through GEGL
 * at whatever precision the image has. */
#pragma once

#include "neural-style.h"
#include "plugin-gimp.h"

G_BEGIN_DECLS

/* The drawable's pixels in the rectangle (x, y, width, height) of its own
 * coordinates, as non-linear (sRGB-curve) RGBA floats: grey is expanded, a
 * missing alpha reads as 1. */
NsImage *ns_plugin_read_rgba (gint32 drawable, int x, int y, int width, int height);

/* TRUE when every pixel of the rectangle (image coordinates) is fully
 * selected, so a rectangular, unfeathered selection needs no mask. */
gboolean ns_plugin_selection_is_full (gint32 image, int x, int y, int width, int height);

/* A channel's values (the selection, a layer mask) in the rectangle
 * (x, y, width, height) of its own coordinates, as stored (0 unselected, 1
 * selected; soft edges in between), as a one-channel image; 0 outside it. */
NsImage *ns_plugin_read_mask (gint32 channel, int x, int y, int width, int height);
/* A one-channel image of ones. */
NsImage *ns_plugin_mask_all (int width, int height);

/* Inserts `rgb` as a new layer named `name` above `source`, at image offsets
 * (x, y), with alpha taken from `alpha_from` (RGBA, same size), and the
 * selection as its mask when `add_mask`.  One undo step.  Returns the layer,
 * or -1 with the image as it was. */
gint32 ns_plugin_insert_layer (gint32 image, gint32 source, const char *name, int x, int y,
                               const NsImage *rgb, const NsImage *alpha_from, gboolean add_mask);

/* Like ns_plugin_read_rgba(), downscaled by GEGL so the longer side has at
 * most max_side pixels; *scale receives the factor (1 when not reduced). */
NsImage *ns_plugin_read_rgba_scaled (gint32 drawable, int x, int y, int width, int height, int max_side,
                                     double *scale);

G_END_DECLS
