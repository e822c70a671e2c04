#include "ns-engine-private.h"

#include "ns-cl-fallback.h"
#include "ns-i18n.h"
#include "ns-weights-path.h"
#include <math.h>

G_DEFINE_QUARK (ns-engine-error-quark, ns_engine_error)

NsClContext *
ns_engine_options_context_new (const NsEngineOptions *options, int device_index, GError **error)
{
  NsClContext *ctx = ns_cl_context_new (device_index, error);
  if (ctx == NULL)
    return NULL;
  ctx->build_progress = options->progress;
  ctx->build_progress_data = options->progress_data;
  if (options->cache_dir != NULL)
    ns_cl_context_set_cache_dir (ctx, options->cache_dir);
  if (options->no_system_cache)
    ns_cl_context_set_system_cache_dir (ctx, NULL);
  return ctx;
}

static gpointer
engine_open (int device_index, gpointer user_data, GError **error)
{
  const NsEngineOptions *options = user_data;
  g_autoptr (NsEngine) engine = g_new0 (NsEngine, 1);
  /* Weights first: a missing file is the likelier mistake and cheaper to report. */
  g_autofree char *vgg_path = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, error);
  if (vgg_path == NULL)
    return NULL;
  g_autofree char *decoder_path = ns_weights_find_file (NS_WEIGHTS_DECODER_FILE, error);
  if (decoder_path == NULL)
    return NULL;
  if ((engine->ctx = ns_engine_options_context_new (options, device_index, error)) == NULL
      || (engine->ops = ns_ops_new (engine->ctx, error)) == NULL
      || (engine->encoder = ns_network_new_vgg19 (engine->ctx, vgg_path, "conv4_1", error)) == NULL
      || (engine->decoder = ns_network_new_adain_decoder (engine->ctx, decoder_path, error)) == NULL
      || !ns_network_prepare (engine->encoder, engine->ops, error)
      || !ns_network_prepare (engine->decoder, engine->ops, error))
    return NULL;
  return g_steal_pointer (&engine);
}

NsEngine *
ns_engine_new (int device_index, GError **error)
{
  NsEngineOptions options = { .device_index = device_index };
  return ns_engine_new_with_options (&options, error);
}

NsEngine *
ns_engine_new_with_options (const NsEngineOptions *options, GError **error)
{
  g_autofree char *note = NULL;
  NsEngine *engine = ns_cl_open_on_best_device (options->device_index, engine_open, (gpointer) options, &note,
                                                error);
  if (engine != NULL)
    engine->device_note = g_steal_pointer (&note);
  return engine;
}

void
ns_engine_save_kernels (NsEngine *engine)
{
  ns_ops_save_programs (engine->ops);
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
ns_engine_prepare_kernels (NsEngine *engine, GError **error)
{
  if (!ns_ops_prepare_all_programs (engine->ops, error))
    return FALSE;
  /* Drivers that finish compiling a kernel on its first launch, per
   * work-group shape (PoCL), put that work into the binaries too: one
   * preview-sized run makes every shape the preview uses (they do not
   * depend on the image's size). */
  g_autoptr (NsImage) content = warm_up_image (256, 192, 1);
  g_autoptr (NsImage) style = warm_up_image (128, 160, 2);
  g_autoptr (NsImage) result = ns_engine_stylise (engine, content, style, 1.0, 0, NULL, error);
  if (result == NULL)
    return FALSE;
  ns_engine_save_kernels (engine);
  return TRUE;
}

const char *
ns_engine_get_device_note (NsEngine *engine)
{
  return engine->device_note;
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
  g_free (engine->device_note);
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

gboolean
ns_engine_check_image (const NsImage *image, const char *role, GError **error)
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

gboolean
ns_engine_check_alpha (double alpha, GError **error)
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
ns_engine_encode (NsEngine *engine, const NsImage *image, GCancellable *cancellable, GError **error)
{
  g_autoptr (NsImage) rgb = ns_image_to_rgb (image);
  g_autoptr (NsTensor) input = ns_tensor_new_from_image (engine->ctx, rgb, error);
  if (input == NULL)
    return NULL;
  return ns_network_run (engine->encoder, engine->ops, input, cancellable, error);
}

void
ns_feature_stats_clear (NsFeatureStats *s)
{
  g_clear_pointer (&s->mean, ns_cl_buffer_free);
  g_clear_pointer (&s->var, ns_cl_buffer_free);
}

gboolean
ns_feature_stats_compute (NsEngine *engine, const NsTensor *features, NsFeatureStats *s, GError **error)
{
  gsize bytes = features->channels * sizeof (float);
  return (s->mean = ns_cl_buffer_new (engine->ctx, bytes, error)) != NULL
      && (s->var = ns_cl_buffer_new (engine->ctx, bytes, error)) != NULL
      && ns_op_channel_mean_var (engine->ops, features, s->mean, s->var, error);
}

gboolean
ns_engine_relu4_1_stats (NsEngine *engine, const NsImage *image, float *mean, float *std, GError **error)
{
  if (!ns_engine_check_image (image, _("input"), error))
    return FALSE;
  g_autoptr (NsTensor) features = ns_engine_encode (engine, image, NULL, error);
  g_auto (NsFeatureStats) stats = { 0 };
  if (features == NULL || !ns_feature_stats_compute (engine, features, &stats, error))
    return FALSE;
  g_autofree float *var = g_new (float, NS_RELU4_1_CHANNELS);
  if (!ns_cl_buffer_read (stats.mean, 0, mean, NS_RELU4_1_CHANNELS * sizeof (float), error)
      || !ns_cl_buffer_read (stats.var, 0, var, NS_RELU4_1_CHANNELS * sizeof (float), error))
    return FALSE;
  for (int c = 0; c < NS_RELU4_1_CHANNELS; c++)
    std[c] = sqrtf (var[c]);
  return TRUE;
}
