#include "neural-style.h"

#include "ns-i18n.h"
#include "ns-network.h"
#include "ns-weights-path.h"
#include <math.h>

G_DEFINE_QUARK (ns-engine-error-quark, ns_engine_error)

#define RELU4_1_CHANNELS 512
#define ADAIN_EPS 1e-5f
/* Three max-pools: sizes that are multiples of this survive the round trip. */
#define ENCODER_STRIDE 8

struct _NsEngine {
  NsClContext *ctx;
  NsOps *ops;
  NsNetwork *encoder;   /* VGG-19 to relu4_1 */
  NsNetwork *decoder;
};

NsEngine *
ns_engine_new (int device_index, GError **error)
{
  g_autoptr (NsEngine) engine = g_new0 (NsEngine, 1);
  /* Weights first: a missing file is the likelier mistake and cheaper to report. */
  g_autofree char *vgg_path = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, error);
  if (vgg_path == NULL)
    return NULL;
  g_autofree char *decoder_path = ns_weights_find_file (NS_WEIGHTS_DECODER_FILE, error);
  if (decoder_path == NULL)
    return NULL;
  if ((engine->ctx = ns_cl_context_new (device_index, error)) == NULL
      || (engine->ops = ns_ops_new (engine->ctx, error)) == NULL
      || (engine->encoder = ns_network_new_vgg19 (engine->ctx, vgg_path, "conv4_1", error)) == NULL
      || (engine->decoder = ns_network_new_adain_decoder (engine->ctx, decoder_path, error)) == NULL)
    return NULL;
  return g_steal_pointer (&engine);
}

void
ns_engine_free (NsEngine *engine)
{
  if (engine == NULL)
    return;
  ns_network_free (engine->encoder);
  ns_network_free (engine->decoder);
  ns_ops_free (engine->ops);
  ns_cl_context_free (engine->ctx);
  g_free (engine);
}

const NsClDeviceInfo *
ns_engine_get_device (NsEngine *engine)
{
  return engine->ctx->info;
}

gsize
ns_engine_get_memory_in_use (NsEngine *engine)
{
  return engine->ctx->mem_current;
}

gsize
ns_engine_get_peak_memory (NsEngine *engine)
{
  return engine->ctx->mem_peak;
}

void
ns_engine_reset_peak_memory (NsEngine *engine)
{
  ns_cl_context_reset_peak (engine->ctx);
}

gboolean
ns_engine_kernels_were_cached (NsEngine *engine)
{
  return ns_ops_program_was_cached (engine->ops);
}

static gboolean
check_image (const NsImage *image, const char *role, GError **error)
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

static gboolean
check_alpha (double alpha, GError **error)
{
  if (!(alpha >= 0.0 && alpha <= 1.0))   /* also rejects NaN */
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The style strength (alpha) is %g; it must lie between 0 and 1."), alpha);
      return FALSE;
    }
  return TRUE;
}

/* relu4_1 features of an RGB image. */
static NsTensor *
encode (NsEngine *engine, const NsImage *image, GCancellable *cancellable, GError **error)
{
  g_autoptr (NsImage) rgb = ns_image_to_rgb (image);
  g_autoptr (NsTensor) input = ns_tensor_new_from_image (engine->ctx, rgb, error);
  if (input == NULL)
    return NULL;
  return ns_network_run (engine->encoder, engine->ops, input, cancellable, error);
}

typedef struct {
  NsClBuffer *mean;
  NsClBuffer *var;
} Stats;

static void
stats_clear (Stats *s)
{
  g_clear_pointer (&s->mean, ns_cl_buffer_free);
  g_clear_pointer (&s->var, ns_cl_buffer_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Stats, stats_clear)

static gboolean
stats_compute (NsEngine *engine, const NsTensor *features, Stats *s, GError **error)
{
  gsize bytes = features->channels * sizeof (float);
  return (s->mean = ns_cl_buffer_new (engine->ctx, bytes, error)) != NULL
      && (s->var = ns_cl_buffer_new (engine->ctx, bytes, error)) != NULL
      && ns_op_channel_mean_var (engine->ops, features, s->mean, s->var, error);
}

struct _NsAdainPrepared {
  NsEngine *engine;
  NsTensor *content_features;   /* relu4_1 of the (padded) content */
  Stats content_stats;
  Stats style_stats;
  int crop_x, crop_y;           /* where the content sits in the padded image */
  int width, height;            /* the result's size */
};

void
ns_adain_prepared_free (NsAdainPrepared *prepared)
{
  if (prepared == NULL)
    return;
  ns_tensor_free (prepared->content_features);
  stats_clear (&prepared->content_stats);
  stats_clear (&prepared->style_stats);
  g_free (prepared);
}

/* Encodes both images (no padding, no resizing: callers do that) and keeps
 * what every alpha needs. */
static NsAdainPrepared *
prepare (NsEngine *engine, const NsImage *content, const NsImage *style, GCancellable *cancellable, GError **error)
{
  g_autoptr (NsAdainPrepared) prepared = g_new0 (NsAdainPrepared, 1);
  prepared->engine = engine;
  {
    /* The style's features are only needed for their statistics: free them early. */
    g_autoptr (NsTensor) style_features = encode (engine, style, cancellable, error);
    if (style_features == NULL || !stats_compute (engine, style_features, &prepared->style_stats, error))
      return NULL;
  }
  prepared->content_features = encode (engine, content, cancellable, error);
  if (prepared->content_features == NULL
      || !stats_compute (engine, prepared->content_features, &prepared->content_stats, error))
    return NULL;
  prepared->width = prepared->content_features->width * ENCODER_STRIDE;
  prepared->height = prepared->content_features->height * ENCODER_STRIDE;
  return g_steal_pointer (&prepared);
}

NsImage *
ns_adain_prepared_render (NsAdainPrepared *prepared, double alpha, GCancellable *cancellable, GError **error)
{
  NsEngine *engine = prepared->engine;
  if (!check_alpha (alpha, error))
    return NULL;
  g_autoptr (NsTensor) target = ns_op_adain_blend (engine->ops, prepared->content_features,
                                                   prepared->content_stats.mean, prepared->content_stats.var,
                                                   prepared->style_stats.mean, prepared->style_stats.var,
                                                   (float) alpha, ADAIN_EPS, error);
  if (target == NULL)
    return NULL;
  g_autoptr (NsTensor) output = ns_network_run (engine->decoder, engine->ops, target, cancellable, error);
  if (output == NULL)
    return NULL;
  g_autoptr (NsImage) image = ns_tensor_to_image (output, error);
  if (image == NULL)
    return NULL;
  if (prepared->crop_x == 0 && prepared->crop_y == 0 && image->width == prepared->width
      && image->height == prepared->height)
    return g_steal_pointer (&image);
  return ns_image_crop (image, prepared->crop_x, prepared->crop_y, prepared->width, prepared->height);
}

NsImage *
ns_engine_adain_network (NsEngine *engine, const NsImage *content, const NsImage *style,
                         double alpha, GCancellable *cancellable, GError **error)
{
  if (!check_alpha (alpha, error) || !check_image (content, _("content"), error)
      || !check_image (style, _("style"), error))
    return NULL;
  g_autoptr (NsAdainPrepared) prepared = prepare (engine, content, style, cancellable, error);
  if (prepared == NULL)
    return NULL;
  return ns_adain_prepared_render (prepared, alpha, cancellable, error);
}

NsAdainPrepared *
ns_adain_prepared_new (NsEngine *engine, const NsImage *content, const NsImage *style,
                       int style_size, GCancellable *cancellable, GError **error)
{
  if (!check_image (content, _("content"), error) || !check_image (style, _("style"), error))
    return NULL;
  if (style_size != 0 && (style_size < NS_MIN_IMAGE_SIDE || style_size > NS_MAX_IMAGE_SIDE))
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The style size is %d pixels; it must be 0 (the style as given) or between %d and %d."),
                   style_size, NS_MIN_IMAGE_SIDE, NS_MAX_IMAGE_SIDE);
      return NULL;
    }

  g_autoptr (NsImage) resized_style = NULL;
  if (style_size > 0)
    {
      resized_style = ns_image_resize_short_side (style, style_size);
      if (!check_image (resized_style, _("resized style"), error))
        return NULL;
    }

  /* Mirror-pad the content to a multiple of the encoder's stride, so every
   * pixel survives the pools; rendering crops the padding off again. */
  int pad_x = (ENCODER_STRIDE - content->width % ENCODER_STRIDE) % ENCODER_STRIDE;
  int pad_y = (ENCODER_STRIDE - content->height % ENCODER_STRIDE) % ENCODER_STRIDE;
  int left = pad_x / 2, top = pad_y / 2;
  g_autoptr (NsImage) padded = ns_image_pad_reflect (content, left, top, pad_x - left, pad_y - top);
  NsAdainPrepared *prepared = prepare (engine, padded, resized_style != NULL ? resized_style : style,
                                       cancellable, error);
  if (prepared == NULL)
    return NULL;
  prepared->crop_x = left;
  prepared->crop_y = top;
  prepared->width = content->width;
  prepared->height = content->height;
  return prepared;
}

NsImage *
ns_engine_stylise (NsEngine *engine, const NsImage *content, const NsImage *style,
                   double alpha, int style_size, GCancellable *cancellable, GError **error)
{
  if (!check_alpha (alpha, error))
    return NULL;
  g_autoptr (NsAdainPrepared) prepared = ns_adain_prepared_new (engine, content, style, style_size,
                                                                cancellable, error);
  if (prepared == NULL)
    return NULL;
  return ns_adain_prepared_render (prepared, alpha, cancellable, error);
}

gboolean
ns_engine_relu4_1_stats (NsEngine *engine, const NsImage *image, float *mean, float *std, GError **error)
{
  if (!check_image (image, _("input"), error))
    return FALSE;
  g_autoptr (NsTensor) features = encode (engine, image, NULL, error);
  g_auto (Stats) stats = { 0 };
  if (features == NULL || !stats_compute (engine, features, &stats, error))
    return FALSE;
  g_autofree float *var = g_new (float, RELU4_1_CHANNELS);
  if (!ns_cl_buffer_read (stats.mean, 0, mean, RELU4_1_CHANNELS * sizeof (float), error)
      || !ns_cl_buffer_read (stats.var, 0, var, RELU4_1_CHANNELS * sizeof (float), error))
    return FALSE;
  for (int c = 0; c < RELU4_1_CHANNELS; c++)
    std[c] = sqrtf (var[c]);
  return TRUE;
}
