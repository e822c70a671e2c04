/* AdaIN (Huang & Belongie 2017): T(c, s, a) = g((1 - a) f(c) + a AdaIN(f(c), f(s))),
 * with style blends (a weighted sum of AdaIN targets, which is AdaIN with the
 * weighted sums of the styles' means and deviations), two styles by region
 * (targets mixed by a mask at feature resolution), and colour preservation. */
#include "ns-adain-private.h"

#include "ns-cl-error.h"
#include "ns-colour.h"
#include "ns-style-prep.h"
#include <math.h>

struct _NsAdainPrepared {
  NsAdain *adain;
  NsTensor *content_features;   /* relu4_1 of the (padded) content */
  NsFeatureStats content_stats;
  NsFeatureStats inside_stats;  /* the (blended) style, or the style inside the mask */
  NsFeatureStats outside_stats; /* with a mask: the style outside it */
  NsClBuffer *mask;             /* with a mask: its values at feature resolution */
  NsImage *chroma;              /* luminance mode: the content, whose chroma the result takes */
  int crop_x, crop_y;           /* where the content sits in the padded image */
  int width, height;            /* the result's size */
};

void
ns_adain_prepared_free (NsAdainPrepared *prepared)
{
  if (prepared == NULL)
    return;
  ns_tensor_free (prepared->content_features);
  ns_feature_stats_clear (&prepared->content_stats);
  ns_feature_stats_clear (&prepared->inside_stats);
  ns_feature_stats_clear (&prepared->outside_stats);
  ns_cl_buffer_free (prepared->mask);
  if (prepared->chroma != NULL)
    ns_image_free (prepared->chroma);
  g_free (prepared);
}






/* Everything of a run but alpha.  pad: mirror-pad the content to a multiple
 * of the encoder's stride (and crop it off when rendering); without it the
 * result is (H / 8) * 8 x (W / 8) * 8, the network's own output. */
NsAdainPrepared *
ns_adain_prepare (NsAdain *adain, const NsImage *content, const NsAdainOptions *options, gboolean pad,
                  GCancellable *cancellable, GError **error)
{
  if (!ns_adain_check_options (content, options, error))
    return NULL;

  g_autoptr (NsAdainPrepared) prepared = g_new0 (NsAdainPrepared, 1);
  prepared->adain = adain;
  g_autoptr (NsImage) rgb = ns_image_to_rgb (content);
  if (!ns_adain_blend_stats (adain, options->styles, options->n_styles, rgb, options, &prepared->inside_stats,
                    cancellable, error)
      || (options->mask != NULL
          && !ns_adain_blend_stats (adain, options->outside_styles, options->n_outside_styles, rgb, options,
                           &prepared->outside_stats, cancellable, error)))
    return NULL;

  int left = 0, top = 0, right = 0, bottom = 0;
  if (pad)
    ns_adain_padding (content, &left, &top, &right, &bottom);
  g_autoptr (NsImage) padded = ns_image_pad_reflect (rgb, left, top, right, bottom);
  g_autoptr (NsImage) encoded_input = options->colour == NS_COLOUR_LUMINANCE ? ns_colour_grey_rgb (padded)
                                                                            : ns_image_copy (padded);
  prepared->content_features = ns_adain_encode (adain, encoded_input, cancellable, error);
  if (prepared->content_features == NULL
      || !ns_feature_stats_compute (adain, prepared->content_features, &prepared->content_stats, error))
    return NULL;
  if (options->mask != NULL)
    {
      g_autoptr (NsImage) grey = ns_style_mask_grey (options->mask);
      g_autoptr (NsImage) padded_mask = ns_image_pad_reflect (grey, left, top, right, bottom);
      if ((prepared->mask = ns_adain_mask_buffer (adain, padded_mask, error)) == NULL)
        return NULL;
    }
  if (options->colour == NS_COLOUR_LUMINANCE)
    prepared->chroma = g_steal_pointer (&rgb);

  prepared->crop_x = left;
  prepared->crop_y = top;
  prepared->width = pad ? content->width : content->width / NS_ENCODER_STRIDE * NS_ENCODER_STRIDE;
  prepared->height = pad ? content->height : content->height / NS_ENCODER_STRIDE * NS_ENCODER_STRIDE;
  return g_steal_pointer (&prepared);
}

NsImage *
ns_adain_prepared_render (NsAdainPrepared *prepared, double alpha, GCancellable *cancellable, GError **error)
{
  NsAdain *adain = prepared->adain;
  if (!ns_adain_check_alpha (alpha, error))
    return NULL;
  const NsFeatureStats *c = &prepared->content_stats;
  g_autoptr (NsTensor) target = ns_op_adain_blend (adain->ops, prepared->content_features, c->mean, c->var,
                                                   prepared->inside_stats.mean, prepared->inside_stats.var,
                                                   (float) alpha, NS_ADAIN_EPS, error);
  if (target == NULL)
    return NULL;
  if (prepared->mask != NULL)
    {
      g_autoptr (NsTensor) outside = ns_op_adain_blend (adain->ops, prepared->content_features, c->mean, c->var,
                                                        prepared->outside_stats.mean, prepared->outside_stats.var,
                                                        (float) alpha, NS_ADAIN_EPS, error);
      NsTensor *mixed = outside != NULL ? ns_op_mask_mix (adain->ops, target, outside, prepared->mask, error) : NULL;
      if (mixed == NULL)
        return NULL;
      ns_tensor_free (target);
      target = mixed;
    }
  g_autoptr (NsTensor) output = ns_network_run (adain->decoder, adain->ops, target, cancellable, error);
  if (output == NULL)
    return NULL;
  g_autoptr (NsImage) image = ns_tensor_to_image (output, error);
  if (image == NULL)
    return NULL;
  if (prepared->crop_x != 0 || prepared->crop_y != 0 || image->width != prepared->width
      || image->height != prepared->height)
    {
      NsImage *cropped = ns_image_crop (image, prepared->crop_x, prepared->crop_y, prepared->width, prepared->height);
      ns_image_free (image);
      image = cropped;
    }
  if (prepared->chroma != NULL)
    return ns_colour_combine_luma_chroma (image, prepared->chroma);
  return g_steal_pointer (&image);
}

NsAdainPrepared *
ns_adain_prepared_new_with_options (NsAdain *adain, const NsImage *content, const NsAdainOptions *options,
                                    GCancellable *cancellable, GError **error)
{
  return ns_adain_prepare (adain, content, options, TRUE, cancellable, error);
}

NsAdainPrepared *
ns_adain_prepared_new (NsAdain *adain, const NsImage *content, const NsImage *style,
                       int style_size, GCancellable *cancellable, GError **error)
{
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, style, style_size);
  return ns_adain_prepare (adain, content, &options, TRUE, cancellable, error);
}


/* An NsTileForMemory: the largest tile whose run fits `available` bytes, or 0. */
static int
tile_for_memory (gsize available, gpointer user_data)
{
  NsAdain *adain = user_data;
  int tile = 0;
  for (int side = 64; side <= NS_MAX_IMAGE_SIDE; side += 64)
    if (ns_adain_memory_estimate (adain, side + 2 * NS_TILE_MARGIN, side + 2 * NS_TILE_MARGIN) <= available)
      tile = side;
  return tile;
}

static gboolean
out_of_memory (const GError *error)
{
  return g_error_matches (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY);
}

gboolean
ns_adain_plan (NsAdain *adain, const NsImage *content, const NsAdainOptions *options, int *tile, gsize *budget,
               GError **error)
{
  *budget = ns_runtime_memory_budget (adain->runtime, options->memory_budget);
  *tile = options->tile_size;
  return *tile > 0
      || (*tile = ns_runtime_choose_tile (adain->runtime, *budget,
                                          ns_adain_memory_estimate (adain, content->width + 8, content->height + 8),
                                          tile_for_memory, adain, error)) >= 0;
}

NsImage *
ns_adain_stylise_with_options (NsAdain *adain, const NsImage *content, const NsAdainOptions *options,
                                GCancellable *cancellable, GError **error)
{
  gsize budget;
  int tile;
  if (!ns_adain_check_alpha (options->alpha, error) || !ns_adain_check_options (content, options, error)
      || !ns_adain_plan (adain, content, options, &tile, &budget, error))
    return NULL;

  GError *local = NULL;
  NsImage *result = NULL;
  if (tile == 0)
    {
      g_autoptr (NsAdainPrepared) prepared = ns_adain_prepare (adain, content, options, TRUE, cancellable, &local);
      if (prepared != NULL)
        result = ns_adain_prepared_render (prepared, options->alpha, cancellable, &local);
      if (result == NULL && out_of_memory (local))
        tile = MAX (content->width, content->height) / 2;
    }
  /* Out of device memory (the device's own count may disagree with ours):
   * smaller tiles, down to the smallest. */
  while (result == NULL && tile > 0 && (local == NULL || out_of_memory (local)))
    {
      g_clear_error (&local);
      /* Pass 1's features kept on the host, within half the budget: on a
       * processor the device's memory is the host's. */
      result = ns_adain_tiled_run (adain, content, options, tile, budget / 2, NULL, cancellable, &local);
      if (result == NULL && out_of_memory (local) && tile > 64)
        tile = MAX (64, tile / 2);
      else
        break;
    }
  if (result == NULL)
    g_propagate_error (error, local);
  return result;
}

NsImage *
ns_adain_stylise (NsAdain *adain, const NsImage *content, const NsImage *style,
                   double alpha, int style_size, GCancellable *cancellable, GError **error)
{
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, style, style_size);
  options.alpha = alpha;
  return ns_adain_stylise_with_options (adain, content, &options, cancellable, error);
}

NsImage *
ns_adain_network (NsAdain *adain, const NsImage *content, const NsImage *style,
                         double alpha, GCancellable *cancellable, GError **error)
{
  if (!ns_adain_check_alpha (alpha, error))
    return NULL;
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, style, 0);
  g_autoptr (NsAdainPrepared) prepared = ns_adain_prepare (adain, content, &options, FALSE, cancellable, error);
  if (prepared == NULL)
    return NULL;
  return ns_adain_prepared_render (prepared, alpha, cancellable, error);
}

/* Textures rather than flat colours, so that nothing the kernels do is trivial. */
static NsImage *
warm_up_image (int width, int height, int seed)
{
  NsImage *image = ns_image_new (width, height, 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++)
        image->data[((gsize) y * width + x) * 3 + c] = 0.5f + 0.4f * sinf (0.05f * (x * (c + 1) + y * (seed + 2)));
  return image;
}

gboolean
ns_adain_prepare_kernels (NsAdain *adain, GError **error)
{
  if (!ns_ops_prepare_all_programs (adain->ops, error))
    return FALSE;
  /* Drivers that finish compiling a kernel on its first launch, per
   * work-group shape (PoCL), put that work into the binaries too: one
   * preview-sized run makes every shape the preview uses (they do not
   * depend on the image's size). */
  g_autoptr (NsImage) content = warm_up_image (256, 192, 1);
  g_autoptr (NsImage) style = warm_up_image (128, 160, 2);
  g_autoptr (NsImage) result = ns_adain_stylise (adain, content, style, 1.0, 0, NULL, error);
  if (result == NULL)
    return FALSE;
  ns_runtime_save_kernels (adain->runtime);
  return TRUE;
}
