/* The AdaIN object and what its runs (untiled and tiled) share: relu4_1
 * features and their statistics, the statistics of a blend of styles, the
 * mask at feature resolution, the checks of the options.  The lowest layer
 * of the AdaIN files: it calls neither of the others. */
#include "ns-adain-private.h"

#include "ns-i18n.h"
#include "ns-style-prep.h"
#include <math.h>

NsAdain *
ns_adain_new (NsRuntime *runtime, GError **error)
{
  if (!ns_runtime_open (runtime, error))
    return NULL;
  NsNetwork *vgg = ns_runtime_get_vgg (runtime, "conv4_1", error);
  guint encoder_steps = vgg != NULL ? ns_network_steps_through (vgg, "conv4_1") : 0;
  /* Prepared as far as the encoder reads (what the preview needs). */
  NsNetwork *decoder = vgg != NULL && ns_network_prepare_steps (vgg, ns_runtime_get_ops (runtime), encoder_steps, error)
                         ? ns_runtime_get_decoder (runtime, error) : NULL;
  if (decoder == NULL)
    return NULL;
  NsAdain *adain = g_new0 (NsAdain, 1);
  adain->runtime = runtime;
  adain->ctx = ns_runtime_get_context (runtime);
  adain->ops = ns_runtime_get_ops (runtime);
  adain->vgg = vgg;
  adain->encoder_steps = encoder_steps;
  adain->decoder = decoder;
  return adain;
}

void
ns_adain_free (NsAdain *adain)
{
  g_free (adain);
}

NsRuntime *
ns_adain_get_runtime (NsAdain *adain)
{
  return adain->runtime;
}

gboolean
ns_adain_check_alpha (double alpha, GError **error)
{
  if (!(alpha >= 0.0 && alpha <= 1.0))   /* also rejects NaN */
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The style strength (alpha) is %g; it must lie between 0 and 1."), alpha);
      return FALSE;
    }
  return TRUE;
}

NsTensor *
ns_adain_encode (NsAdain *adain, const NsImage *image, GCancellable *cancellable, GError **error)
{
  g_autoptr (NsImage) rgb = ns_image_to_rgb (image);
  g_autoptr (NsTensor) input = ns_tensor_new_from_image (adain->ctx, rgb, error);
  if (input == NULL)
    return NULL;
  return ns_network_run_steps (adain->vgg, adain->ops, input, adain->encoder_steps, cancellable, error);
}

void
ns_feature_stats_clear (NsFeatureStats *s)
{
  g_clear_pointer (&s->mean, ns_cl_buffer_free);
  g_clear_pointer (&s->var, ns_cl_buffer_free);
}

gboolean
ns_feature_stats_compute (NsAdain *adain, const NsTensor *features, NsFeatureStats *s, GError **error)
{
  gsize bytes = features->channels * sizeof (float);
  return (s->mean = ns_cl_buffer_new (adain->ctx, bytes, error)) != NULL
      && (s->var = ns_cl_buffer_new (adain->ctx, bytes, error)) != NULL
      && ns_op_channel_mean_var (adain->ops, features, s->mean, s->var, error);
}

gboolean
ns_adain_relu4_1_stats (NsAdain *adain, const NsImage *image, float *mean, float *std, GError **error)
{
  if (!ns_engine_check_image (image, _("input"), error))
    return FALSE;
  g_autoptr (NsTensor) features = ns_adain_encode (adain, image, NULL, error);
  g_auto (NsFeatureStats) stats = { 0 };
  if (features == NULL || !ns_feature_stats_compute (adain, features, &stats, error))
    return FALSE;
  g_autofree float *var = g_new (float, NS_RELU4_1_CHANNELS);
  if (!ns_cl_buffer_read (stats.mean, 0, mean, NS_RELU4_1_CHANNELS * sizeof (float), error)
      || !ns_cl_buffer_read (stats.var, 0, var, NS_RELU4_1_CHANNELS * sizeof (float), error))
    return FALSE;
  for (int c = 0; c < NS_RELU4_1_CHANNELS; c++)
    std[c] = sqrtf (var[c]);
  return TRUE;
}

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

/* The statistics of one style image, made ready as the options say. */
static gboolean
style_stats (NsAdain *adain, const NsImage *style, const NsImage *content_rgb, const NsAdainOptions *options,
             NsFeatureStats *stats, GCancellable *cancellable, GError **error)
{
  if (!ns_engine_check_image (style, _("style"), error))
    return FALSE;
  g_autoptr (NsImage) image = ns_style_prepare_image (style, options->style_size, options->colour, content_rgb);
  if (options->style_size > 0 && !ns_engine_check_image (image, _("resized style"), error))
    return FALSE;
  g_autoptr (NsTensor) features = ns_adain_encode (adain, image, cancellable, error);
  return features != NULL && ns_feature_stats_compute (adain, features, stats, error);
}

/* A blend's statistics: mean = sum w_i mean_i, sigma = sum w_i sigma_i, the
 * variance stored as sigma^2 - eps so the blend kernel's sqrt(var + eps) is
 * sigma.  A single style keeps its own statistics untouched. */
gboolean
ns_adain_blend_stats (NsAdain *adain, const NsWeightedStyle *styles, guint n, const NsImage *content_rgb,
             const NsAdainOptions *options, NsFeatureStats *out, GCancellable *cancellable, GError **error)
{
  if (!ns_style_check_weights (styles, n, error))
    return FALSE;
  double total = 0;
  for (guint i = 0; i < n; i++)
    total += styles[i].weight;
  if (n == 1)
    return style_stats (adain, styles[0].image, content_rgb, options, out, cancellable, error);

  const gsize C = NS_RELU4_1_CHANNELS, bytes = C * sizeof (float);
  g_autofree double *mean = g_new0 (double, C), *sigma = g_new0 (double, C);
  g_autofree float *m = g_new (float, C), *v = g_new (float, C);
  for (guint i = 0; i < n; i++)
    {
      if (styles[i].weight == 0)
        continue;
      g_auto (NsFeatureStats) one = { 0 };
      if (!style_stats (adain, styles[i].image, content_rgb, options, &one, cancellable, error)
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
  return (out->mean = ns_cl_buffer_new (adain->ctx, bytes, error)) != NULL
      && (out->var = ns_cl_buffer_new (adain->ctx, bytes, error)) != NULL
      && ns_cl_buffer_write (out->mean, 0, m, bytes, error) && ns_cl_buffer_write (out->var, 0, v, bytes, error);
}

NsClBuffer *
ns_adain_mask_buffer (NsAdain *adain, const NsImage *grey, GError **error)
{
  g_autoptr (NsImage) small = ns_image_resize (grey, grey->width / NS_ENCODER_STRIDE, grey->height / NS_ENCODER_STRIDE);
  gsize bytes = (gsize) small->width * small->height * sizeof (float);
  NsClBuffer *buffer = ns_cl_buffer_new (adain->ctx, bytes, error);
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
