/* AdaIN (Huang & Belongie 2017): T(c, s, a) = g((1 - a) f(c) + a AdaIN(f(c), f(s))),
 * with style blends (a weighted sum of AdaIN targets, which is AdaIN with the
 * weighted sums of the styles' means and deviations), two styles by region
 * (targets mixed by a mask at feature resolution), and colour preservation. */
#include "ns-adain-private.h"

#include "ns-cl-error.h"
#include "ns-colour.h"
#include "ns-i18n.h"
#include "ns-style-prep.h"
#include <math.h>

struct _NsAdainPrepared {
  NsEngine *engine;
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
ns_adain_options_init (NsAdainOptions *options)
{
  *options = (NsAdainOptions) { .alpha = 1.0, .style_size = 512, .colour = NS_COLOUR_NONE };
}

void
ns_adain_options_init_single (NsAdainOptions *options, NsWeightedStyle *one, const NsImage *style, int style_size)
{
  *one = (NsWeightedStyle) { style, 1.0 };
  ns_adain_options_init (options);
  options->style_size = style_size;
  options->styles = one;
  options->n_styles = 1;
}

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

/* The statistics of one style image, made ready as the options say. */
static gboolean
style_stats (NsEngine *engine, const NsImage *style, const NsImage *content_rgb, const NsAdainOptions *options,
             NsFeatureStats *stats, GCancellable *cancellable, GError **error)
{
  if (!ns_engine_check_image (style, _("style"), error))
    return FALSE;
  g_autoptr (NsImage) image = ns_style_prepare_image (style, options->style_size, options->colour, content_rgb);
  if (options->style_size > 0 && !ns_engine_check_image (image, _("resized style"), error))
    return FALSE;
  g_autoptr (NsTensor) features = ns_engine_encode (engine, image, cancellable, error);
  return features != NULL && ns_feature_stats_compute (engine, features, stats, error);
}

/* A blend's statistics: mean = sum w_i mean_i, sigma = sum w_i sigma_i, the
 * variance stored as sigma^2 - eps so the blend kernel's sqrt(var + eps) is
 * sigma.  A single style keeps its own statistics untouched. */
gboolean
ns_adain_blend_stats (NsEngine *engine, const NsWeightedStyle *styles, guint n, const NsImage *content_rgb,
             const NsAdainOptions *options, NsFeatureStats *out, GCancellable *cancellable, GError **error)
{
  if (!ns_style_check_weights (styles, n, error))
    return FALSE;
  double total = 0;
  for (guint i = 0; i < n; i++)
    total += styles[i].weight;
  if (n == 1)
    return style_stats (engine, styles[0].image, content_rgb, options, out, cancellable, error);

  const gsize C = NS_RELU4_1_CHANNELS, bytes = C * sizeof (float);
  g_autofree double *mean = g_new0 (double, C), *sigma = g_new0 (double, C);
  g_autofree float *m = g_new (float, C), *v = g_new (float, C);
  for (guint i = 0; i < n; i++)
    {
      if (styles[i].weight == 0)
        continue;
      g_auto (NsFeatureStats) one = { 0 };
      if (!style_stats (engine, styles[i].image, content_rgb, options, &one, cancellable, error)
          || !ns_cl_buffer_read (one.mean, 0, m, bytes, error) || !ns_cl_buffer_read (one.var, 0, v, bytes, error))
        return FALSE;
      double w = styles[i].weight / total;
      for (gsize c = 0; c < C; c++)
        {
          mean[c] += w * m[c];
          sigma[c] += w * sqrt ((double) v[c] + NS_ADAIN_EPS);
        }
    }
  for (gsize c = 0; c < C; c++)
    {
      m[c] = (float) mean[c];
      v[c] = (float) fmax (sigma[c] * sigma[c] - NS_ADAIN_EPS, 0.0);
    }
  return (out->mean = ns_cl_buffer_new (engine->ctx, bytes, error)) != NULL
      && (out->var = ns_cl_buffer_new (engine->ctx, bytes, error)) != NULL
      && ns_cl_buffer_write (out->mean, 0, m, bytes, error) && ns_cl_buffer_write (out->var, 0, v, bytes, error);
}

NsClBuffer *
ns_adain_mask_buffer (NsEngine *engine, const NsImage *grey, GError **error)
{
  g_autoptr (NsImage) small = ns_image_resize (grey, grey->width / NS_ENCODER_STRIDE, grey->height / NS_ENCODER_STRIDE);
  gsize bytes = (gsize) small->width * small->height * sizeof (float);
  NsClBuffer *buffer = ns_cl_buffer_new (engine->ctx, bytes, error);
  if (buffer != NULL && !ns_cl_buffer_write (buffer, 0, small->data, bytes, error))
    g_clear_pointer (&buffer, ns_cl_buffer_free);
  return buffer;
}

gboolean
ns_adain_check_options (const NsImage *content, const NsAdainOptions *options, GError **error)
{
  if (!ns_engine_check_image (content, _("content"), error)
      || !ns_style_check_weights (options->styles, options->n_styles, error))
    return FALSE;
  return ns_style_check_size_and_mask (content, options->style_size, NS_MIN_IMAGE_SIDE, options->mask,
                                       options->outside_styles, options->n_outside_styles, error);
}

void
ns_adain_padding (const NsImage *content, int *left, int *top, int *right, int *bottom)
{
  int pad_x = (NS_ENCODER_STRIDE - content->width % NS_ENCODER_STRIDE) % NS_ENCODER_STRIDE;
  int pad_y = (NS_ENCODER_STRIDE - content->height % NS_ENCODER_STRIDE) % NS_ENCODER_STRIDE;
  *left = pad_x / 2;
  *top = pad_y / 2;
  *right = pad_x - *left;
  *bottom = pad_y - *top;
}

/* Everything of a run but alpha.  pad: mirror-pad the content to a multiple
 * of the encoder's stride (and crop it off when rendering); without it the
 * result is (H / 8) * 8 x (W / 8) * 8, the network's own output. */
NsAdainPrepared *
ns_adain_prepare (NsEngine *engine, const NsImage *content, const NsAdainOptions *options, gboolean pad,
                  GCancellable *cancellable, GError **error)
{
  if (!ns_adain_check_options (content, options, error))
    return NULL;

  g_autoptr (NsAdainPrepared) prepared = g_new0 (NsAdainPrepared, 1);
  prepared->engine = engine;
  g_autoptr (NsImage) rgb = ns_image_to_rgb (content);
  if (!ns_adain_blend_stats (engine, options->styles, options->n_styles, rgb, options, &prepared->inside_stats,
                    cancellable, error)
      || (options->mask != NULL
          && !ns_adain_blend_stats (engine, options->outside_styles, options->n_outside_styles, rgb, options,
                           &prepared->outside_stats, cancellable, error)))
    return NULL;

  int left = 0, top = 0, right = 0, bottom = 0;
  if (pad)
    ns_adain_padding (content, &left, &top, &right, &bottom);
  g_autoptr (NsImage) padded = ns_image_pad_reflect (rgb, left, top, right, bottom);
  g_autoptr (NsImage) encoded_input = options->colour == NS_COLOUR_LUMINANCE ? ns_colour_grey_rgb (padded)
                                                                            : ns_image_copy (padded);
  prepared->content_features = ns_engine_encode (engine, encoded_input, cancellable, error);
  if (prepared->content_features == NULL
      || !ns_feature_stats_compute (engine, prepared->content_features, &prepared->content_stats, error))
    return NULL;
  if (options->mask != NULL)
    {
      g_autoptr (NsImage) grey = ns_style_mask_grey (options->mask);
      g_autoptr (NsImage) padded_mask = ns_image_pad_reflect (grey, left, top, right, bottom);
      if ((prepared->mask = ns_adain_mask_buffer (engine, padded_mask, error)) == NULL)
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
  NsEngine *engine = prepared->engine;
  if (!ns_engine_check_alpha (alpha, error))
    return NULL;
  const NsFeatureStats *c = &prepared->content_stats;
  g_autoptr (NsTensor) target = ns_op_adain_blend (engine->ops, prepared->content_features, c->mean, c->var,
                                                   prepared->inside_stats.mean, prepared->inside_stats.var,
                                                   (float) alpha, NS_ADAIN_EPS, error);
  if (target == NULL)
    return NULL;
  if (prepared->mask != NULL)
    {
      g_autoptr (NsTensor) outside = ns_op_adain_blend (engine->ops, prepared->content_features, c->mean, c->var,
                                                        prepared->outside_stats.mean, prepared->outside_stats.var,
                                                        (float) alpha, NS_ADAIN_EPS, error);
      NsTensor *mixed = outside != NULL ? ns_op_mask_mix (engine->ops, target, outside, prepared->mask, error) : NULL;
      if (mixed == NULL)
        return NULL;
      ns_tensor_free (target);
      target = mixed;
    }
  g_autoptr (NsTensor) output = ns_network_run (engine->decoder, engine->ops, target, cancellable, error);
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
ns_adain_prepared_new_with_options (NsEngine *engine, const NsImage *content, const NsAdainOptions *options,
                                    GCancellable *cancellable, GError **error)
{
  return ns_adain_prepare (engine, content, options, TRUE, cancellable, error);
}

NsAdainPrepared *
ns_adain_prepared_new (NsEngine *engine, const NsImage *content, const NsImage *style,
                       int style_size, GCancellable *cancellable, GError **error)
{
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, style, style_size);
  return ns_adain_prepare (engine, content, &options, TRUE, cancellable, error);
}

/* The budget the options give, or 1 GiB, or half the device when that is less. */
static gsize
memory_budget (NsEngine *engine, const NsAdainOptions *options)
{
  if (options->memory_budget > 0)
    return options->memory_budget;
  return MIN ((gsize) 1 << 30, engine->ctx->info->global_mem / 2);
}

/* The largest tile whose run fits the budget, or 0 when none does. */
static int
tile_for_budget (NsEngine *engine, gsize budget)
{
  gsize held = ns_engine_get_memory_in_use (engine);
  int tile = 0;
  for (int side = 64; side <= NS_MAX_IMAGE_SIDE; side += 64)
    if (held + ns_adain_memory_estimate (engine, side + 2 * NS_TILE_MARGIN, side + 2 * NS_TILE_MARGIN) <= budget)
      tile = side;
  return tile;
}

static gboolean
out_of_memory (const GError *error)
{
  return g_error_matches (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY);
}

gboolean
ns_adain_plan (NsEngine *engine, const NsImage *content, const NsAdainOptions *options, int *tile, gsize *budget,
               GError **error)
{
  *budget = memory_budget (engine, options);
  *tile = options->tile_size;
  if (*tile == 0 && ns_engine_get_memory_in_use (engine)
                      + ns_adain_memory_estimate (engine, content->width + 8, content->height + 8) > *budget
      && (*tile = tile_for_budget (engine, *budget)) == 0)
    {
      g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY,
                   _("A device memory budget of %zu MiB is too small even for the smallest tiles."), *budget >> 20);
      return FALSE;
    }
  return TRUE;
}

NsImage *
ns_engine_stylise_with_options (NsEngine *engine, const NsImage *content, const NsAdainOptions *options,
                                GCancellable *cancellable, GError **error)
{
  gsize budget;
  int tile;
  if (!ns_engine_check_alpha (options->alpha, error) || !ns_adain_check_options (content, options, error)
      || !ns_adain_plan (engine, content, options, &tile, &budget, error))
    return NULL;

  GError *local = NULL;
  NsImage *result = NULL;
  if (tile == 0)
    {
      g_autoptr (NsAdainPrepared) prepared = ns_adain_prepare (engine, content, options, TRUE, cancellable, &local);
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
      result = ns_adain_tiled_run (engine, content, options, tile, budget / 2, NULL, cancellable, &local);
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
ns_engine_stylise (NsEngine *engine, const NsImage *content, const NsImage *style,
                   double alpha, int style_size, GCancellable *cancellable, GError **error)
{
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, style, style_size);
  options.alpha = alpha;
  return ns_engine_stylise_with_options (engine, content, &options, cancellable, error);
}

NsImage *
ns_engine_adain_network (NsEngine *engine, const NsImage *content, const NsImage *style,
                         double alpha, GCancellable *cancellable, GError **error)
{
  if (!ns_engine_check_alpha (alpha, error))
    return NULL;
  NsWeightedStyle one;
  NsAdainOptions options;
  ns_adain_options_init_single (&options, &one, style, 0);
  g_autoptr (NsAdainPrepared) prepared = ns_adain_prepare (engine, content, &options, FALSE, cancellable, error);
  if (prepared == NULL)
    return NULL;
  return ns_adain_prepared_render (prepared, alpha, cancellable, error);
}
