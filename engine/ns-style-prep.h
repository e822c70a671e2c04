/* What AdaIN and the Gatys method share in making their styles ready: the
 * checks of the style controls and the style images as the options ask. */
#pragma once

#include "neural-style.h"

G_BEGIN_DECLS

/* A blend's styles: at least one, each with an image and a weight >= 0, not all 0. */
gboolean ns_style_check_weights (const NsWeightedStyle *styles, guint n, GError **error);
/* style_size 0 or in [min_side, NS_MAX_IMAGE_SIDE]; a mask of the content's
 * size that comes with styles for outside it. */
gboolean ns_style_check_size_and_mask (const NsImage *content, int style_size, int min_side, const NsImage *mask,
                                       const NsWeightedStyle *outside_styles, guint n_outside_styles, GError **error);
/* A style as RGB, its shorter side resized to style_size (0: as given), made
 * grey (luminance) or recoloured to content_rgb (match) as colour asks. */
NsImage *ns_style_prepare_image (const NsImage *style, int style_size, NsColourPreservation colour,
                                 const NsImage *content_rgb);
/* A mask's first channel, clamped to [0, 1]. */
NsImage *ns_style_mask_grey (const NsImage *mask);

G_END_DECLS
