#include "ns-gatys-private.h"

#include "ns-cl-error.h"
#include "ns-cl-fallback.h"
#include "ns-engine-private.h"
#include "ns-gatys-tiled.h"
#include "ns-i18n.h"
#include "ns-optim.h"
#include "ns-weights-path.h"
#include <math.h>

struct _NsGatys {
  NsClContext *ctx;
  NsOps *ops;
  NsNetwork *vgg;           /* to conv5_1 */
  NsGatysObjective *objective;
  NsVecOps *vec;
  char *device_note;        /* why the preferred device was passed over, or NULL */
};

struct _NsGatysStyle {
  NsGatys *gatys;
  NsClBuffer *grams[NS_GATYS_N_STYLE_LAYERS];
  /* A blend's sum_i w_i ||G_i - sum_j w_j G_j||^2 per layer (0 for one
   * style): sum_i w_i ||G - G_i||^2 = ||G - sum_i w_i G_i||^2 + that, so a
   * blend is one target whose loss is reported exactly. */
  double offsets[NS_GATYS_N_STYLE_LAYERS];
};

/* The defaults: from the content, 300 L-BFGS iterations, content weight 1,
 * style weight 3e3, meant for a 512-pixel image (the style's shorter side
 * 512).  The content term sums over positions and the style terms do not, so
 * the balance moves with the size: k times the pixels need k times the style
 * weight for the same look.  At 128 x 96, tubingen x starry-night with style
 * weights 100 to 300 kept the town recognisable under the painting's strokes
 * and palette, as in the paper's figure 2; 3e3 is that scaled to 512 x 384. */
void
ns_gatys_options_init (NsGatysOptions *options)
{
  *options = (NsGatysOptions) {
    .iterations = 300,
    .content_weight = 1.0,
    .style_weight = 3e3,
    .tv_weight = 0.0,
    .init = NS_GATYS_INIT_CONTENT,
    .seed = 0,
    .optimizer = NS_GATYS_OPTIMIZER_LBFGS,
    .learning_rate = 0.01,
    .preview_every = 0,
    .scales = 0,
    .tile_size = 0,
    .memory_budget = 0,
  };
}

static gpointer
gatys_open (int device_index, gpointer user_data, GError **error)
{
  const NsEngineOptions *options = user_data;
  g_autoptr (NsGatys) gatys = g_new0 (NsGatys, 1);
  g_autofree char *vgg_path = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, error);
  if (vgg_path == NULL)
    return NULL;
  if ((gatys->ctx = ns_engine_options_context_new (options, device_index, error)) == NULL
      || (gatys->ops = ns_ops_new (gatys->ctx, error)) == NULL)
    return NULL;
  ns_ops_set_for_gradients (gatys->ops, TRUE);   /* no Winograd by default: see there */
  if ((gatys->vgg = ns_network_new_vgg19 (gatys->ctx, vgg_path, "conv5_1", error)) == NULL
      || !ns_network_prepare (gatys->vgg, gatys->ops, error)
      || (gatys->objective = ns_gatys_objective_new (gatys->ops, gatys->vgg, error)) == NULL
      || (gatys->vec = ns_vec_ops_new (gatys->ops, error)) == NULL)
    return NULL;
  return g_steal_pointer (&gatys);
}

NsGatys *
ns_gatys_new (int device_index, GError **error)
{
  NsEngineOptions options = { .device_index = device_index };
  return ns_gatys_new_with_options (&options, error);
}

NsGatys *
ns_gatys_new_with_options (const NsEngineOptions *options, GError **error)
{
  g_autofree char *note = NULL;
  NsGatys *gatys = ns_cl_open_on_best_device (options->device_index, gatys_open, (gpointer) options, &note, error);
  if (gatys != NULL)
    gatys->device_note = g_steal_pointer (&note);
  return gatys;
}

const char *
ns_gatys_get_device_note (NsGatys *gatys)
{
  return gatys->device_note;
}

void
ns_gatys_free (NsGatys *gatys)
{
  if (gatys == NULL)
    return;
  ns_vec_ops_free (gatys->vec);
  ns_gatys_objective_free (gatys->objective);
  ns_network_free (gatys->vgg);
  ns_ops_free (gatys->ops);
  ns_cl_context_free (gatys->ctx);
  g_free (gatys->device_note);
  g_free (gatys);
}

const NsClDeviceInfo *
ns_gatys_get_device (NsGatys *gatys)
{
  return gatys->ctx->info;
}

gsize
ns_gatys_get_peak_memory (NsGatys *gatys)
{
  return gatys->ctx->mem_peak;
}

gboolean
ns_gatys_kernels_were_cached (NsGatys *gatys)
{
  return ns_ops_program_was_cached (gatys->ops);
}

static gboolean
check_image (const NsImage *image, const char *role, GError **error)
{
  if (image->width < NS_GATYS_MIN_IMAGE_SIDE || image->height < NS_GATYS_MIN_IMAGE_SIDE)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL,
                   _("The %s image is %d × %d pixels; the Gatys method needs at least %d × %d."),
                   role, image->width, image->height, NS_GATYS_MIN_IMAGE_SIDE, NS_GATYS_MIN_IMAGE_SIDE);
      return FALSE;
    }
  if (image->width > NS_MAX_IMAGE_SIDE || image->height > NS_MAX_IMAGE_SIDE)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_LARGE,
                   _("The %s image is %d × %d pixels; it may be at most %d pixels on a side."),
                   role, image->width, image->height, NS_MAX_IMAGE_SIDE);
      return FALSE;
    }
  /* The kernels index a layer's values with 32-bit integers: relu1_1's 64
   * channels at full size must stay below 2^31. */
  if ((gint64) image->width * image->height > G_MAXINT / 64)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_LARGE,
                   _("The %s image is %d × %d pixels; the Gatys method takes at most %d million pixels."),
                   role, image->width, image->height, G_MAXINT / 64 / 1000000);
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_gatys_check_image (const NsImage *image, const char *role, GError **error)
{
  return check_image (image, role, error);
}

static gboolean
check_weights (double content_weight, double style_weight, double tv_weight, GError **error)
{
  if (!(content_weight >= 0 && style_weight >= 0 && tv_weight >= 0)
      || !isfinite (content_weight + style_weight + tv_weight))
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The content, style and total-variation weights (%g, %g, %g) must be finite and not negative."),
                   content_weight, style_weight, tv_weight);
      return FALSE;
    }
  return TRUE;
}

static NsTensor *
tensor_from_rgb (NsGatys *gatys, const NsImage *image, GError **error)
{
  g_autoptr (NsImage) rgb = ns_image_to_rgb (image);
  return ns_tensor_new_from_image (gatys->ctx, rgb, error);
}

NsGatysStyle *
ns_gatys_style_new (NsGatys *gatys, const NsImage *style, GCancellable *cancellable, GError **error)
{
  if (!check_image (style, _("style"), error) || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  g_autoptr (NsGatysStyle) targets = g_new0 (NsGatysStyle, 1);
  targets->gatys = gatys;
  g_autoptr (NsTensor) t = tensor_from_rgb (gatys, style, error);
  if (t == NULL)
    return NULL;
  ns_gatys_objective_set_cancellable (gatys->objective, cancellable);
  gboolean made = ns_gatys_objective_style_targets (gatys->objective, t, targets->grams, error);
  ns_gatys_objective_set_cancellable (gatys->objective, NULL);
  return made ? g_steal_pointer (&targets) : NULL;
}

NsGatysStyle *
ns_gatys_style_new_blend (NsGatys *gatys, const NsGatysStyle *const *styles, const double *weights, guint n,
                          GError **error)
{
  double total = 0;
  for (guint i = 0; i < n; i++)
    {
      g_return_val_if_fail (styles[i]->gatys == gatys, NULL);
      if (!(weights[i] >= 0 && isfinite (weights[i])))
        {
          g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                       _("Style %u of the blend has the weight %g; every style needs an image and a weight of 0 or more."),
                       i + 1, weights[i]);
          return NULL;
        }
      total += weights[i];
    }
  if (!(total > 0) || !isfinite (total))
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The weights of the styles add up to 0; at least one must be above 0."));
      return NULL;
    }
  g_autoptr (NsGatysStyle) blend = g_new0 (NsGatysStyle, 1);
  blend->gatys = gatys;
  for (int k = 0; k < NS_GATYS_N_STYLE_LAYERS; k++)
    {
      gsize n_floats = styles[0]->grams[k]->size / sizeof (float), bytes = n_floats * sizeof (float);
      g_autofree double *mean = g_new0 (double, n_floats);
      g_autofree float *host = g_new (float, n_floats);
      g_autofree float *mean_f = g_new (float, n_floats);
      /* The weighted mean in double, then each style's spread about it as
       * stored (in float), so the offset matches the target the device uses. */
      for (guint i = 0; i < n; i++)
        {
          if (weights[i] == 0)
            continue;
          if (!ns_cl_buffer_read (styles[i]->grams[k], 0, host, bytes, error))
            return NULL;
          for (gsize j = 0; j < n_floats; j++)
            mean[j] += weights[i] / total * host[j];
        }
      for (gsize j = 0; j < n_floats; j++)
        mean_f[j] = (float) mean[j];
      for (guint i = 0; i < n; i++)
        {
          if (weights[i] == 0)
            continue;
          if (!ns_cl_buffer_read (styles[i]->grams[k], 0, host, bytes, error))
            return NULL;
          double spread = 0;
          for (gsize j = 0; j < n_floats; j++)
            {
              double d = (double) host[j] - mean_f[j];
              spread += d * d;
            }
          blend->offsets[k] += weights[i] / total * (spread + styles[i]->offsets[k]);
        }
      if ((blend->grams[k] = ns_cl_buffer_new (gatys->ctx, bytes, error)) == NULL
          || !ns_cl_buffer_write (blend->grams[k], 0, mean_f, bytes, error))
        return NULL;
    }
  return g_steal_pointer (&blend);
}

void
ns_gatys_style_free (NsGatysStyle *style)
{
  if (style == NULL)
    return;
  for (int k = 0; k < NS_GATYS_N_STYLE_LAYERS; k++)
    ns_cl_buffer_free (style->grams[k]);
  g_free (style);
}

void
ns_gatys_style_get_target (const NsGatysStyle *style, NsGatysTarget *target)
{
  target->grams = style->grams;
  target->offsets = style->offsets;
}

NsGatysObjective *
ns_gatys_get_objective (NsGatys *gatys)
{
  return gatys->objective;
}

NsVecOps *
ns_gatys_get_vec_ops (NsGatys *gatys)
{
  return gatys->vec;
}

static gboolean
check_mask (const NsImage *mask, const NsGatysStyle *outside, const NsImage *content, GError **error)
{
  if (mask != NULL && (mask->width != content->width || mask->height != content->height || outside == NULL))
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("A mask must have the content's size (%d × %d) and come with a style for outside it."),
                   content->width, content->height);
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_gatys_objective (NsGatys *gatys, const NsImage *x, const NsImage *content, const NsGatysStyle *style,
                    double content_weight, double style_weight, double tv_weight,
                    NsGatysLosses *losses, NsImage **gradient, GError **error)
{
  return ns_gatys_objective_masked (gatys, x, content, style, NULL, NULL, content_weight, style_weight, tv_weight,
                                    losses, gradient, error);
}

gboolean
ns_gatys_objective_masked (NsGatys *gatys, const NsImage *x, const NsImage *content, const NsGatysStyle *style,
                           const NsGatysStyle *outside, const NsImage *mask, double content_weight,
                           double style_weight, double tv_weight, NsGatysLosses *losses, NsImage **gradient,
                           GError **error)
{
  g_return_val_if_fail (style->gatys == gatys && (outside == NULL || outside->gatys == gatys), FALSE);
  if (!check_image (x, _("optimised"), error) || !check_image (content, _("content"), error)
      || !check_weights (content_weight, style_weight, tv_weight, error)
      || !check_mask (mask, outside, content, error))
    return FALSE;
  if (x->width != content->width || x->height != content->height)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The image is %d × %d pixels and the content %d × %d; they must have the same size."),
                   x->width, x->height, content->width, content->height);
      return FALSE;
    }
  g_autoptr (NsTensor) xt = tensor_from_rgb (gatys, x, error);
  if (xt == NULL)
    return FALSE;
  g_autoptr (NsTensor) ct = tensor_from_rgb (gatys, content, error);
  if (ct == NULL)
    return FALSE;
  g_autoptr (NsTensor) target = ns_gatys_objective_content_target (gatys->objective, ct, error);
  if (target == NULL)
    return FALSE;
  g_clear_pointer (&ct, ns_tensor_free);
  NsGatysTarget inside_target, outside_target;
  ns_gatys_style_get_target (style, &inside_target);
  if (outside != NULL)
    ns_gatys_style_get_target (outside, &outside_target);
  g_autoptr (NsGatysMask) device_mask = NULL;
  if (mask != NULL && (device_mask = ns_gatys_mask_new (gatys->objective, mask, error)) == NULL)
    return FALSE;
  g_autoptr (NsTensor) grad = ns_tensor_new (gatys->ctx, 3, x->height, x->width, error);
  if (grad == NULL
      || !ns_gatys_objective_evaluate_targets (gatys->objective, xt, target, &inside_target,
                                               outside != NULL ? &outside_target : NULL, device_mask,
                                               content_weight, style_weight, tv_weight, grad->buffer, losses, error))
    return FALSE;
  if (gradient != NULL && (*gradient = ns_tensor_to_image (grad, error)) == NULL)
    return FALSE;
  return TRUE;
}

/* --- one evaluation as the optimiser makes it -------------------------------- */

struct _NsGatysStep {
  NsGatys *gatys;
  const NsGatysStyle *style;
  NsTensor *x;        /* the content: an L-BFGS run's first point */
  NsTensor *target;   /* the content's relu4_2 */
  NsTensor *grad;
  double content_weight, style_weight, tv_weight;
};

NsGatysStep *
ns_gatys_step_new (NsGatys *gatys, const NsImage *content, const NsGatysStyle *style, double content_weight,
                   double style_weight, double tv_weight, GError **error)
{
  g_return_val_if_fail (style->gatys == gatys, NULL);
  if (!check_image (content, _("content"), error) || !check_weights (content_weight, style_weight, tv_weight, error))
    return NULL;
  g_autoptr (NsGatysStep) step = g_new0 (NsGatysStep, 1);
  *step = (NsGatysStep) { gatys, style, NULL, NULL, NULL, content_weight, style_weight, tv_weight };
  if ((step->x = tensor_from_rgb (gatys, content, error)) == NULL
      || (step->target = ns_gatys_objective_content_target (gatys->objective, step->x, error)) == NULL
      || (step->grad = ns_tensor_new (gatys->ctx, 3, content->height, content->width, error)) == NULL)
    return NULL;
  return g_steal_pointer (&step);
}

gboolean
ns_gatys_step_run (NsGatysStep *step, NsGatysLosses *losses, GError **error)
{
  NsGatysTarget target;
  ns_gatys_style_get_target (step->style, &target);
  return ns_gatys_objective_evaluate_targets (step->gatys->objective, step->x, step->target, &target, NULL, NULL,
                                              step->content_weight, step->style_weight, step->tv_weight,
                                              step->grad->buffer, losses, error)
         && ns_cl_context_finish (step->gatys->ctx, error);
}

void
ns_gatys_step_free (NsGatysStep *step)
{
  if (step == NULL)
    return;
  ns_tensor_free (step->x);
  ns_tensor_free (step->target);
  ns_tensor_free (step->grad);
  g_free (step);
}

/* --- the optimisation ------------------------------------------------------ */

typedef struct {
  NsGatys *gatys;
  const NsTensor *target;
  NsGatysTarget inside, outside;
  const NsGatysMask *mask;   /* NULL: no spatial control (outside unused) */
  NsGatysTiled *tiled;       /* tiled: the rest unused, the vectors on the host */
  const NsGatysOptions *options;
  int channels, height, width;
  NsGatysLosses last;      /* at the latest evaluation */
  NsGatysLosses current;   /* at the optimiser's current point */
} Run;

static gboolean
out_of_memory (const GError *error)
{
  return g_error_matches (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY);
}

static gboolean
cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Tiled: the objective is the same whatever the tiles, so running out of
 * device memory halves them and evaluates again. */
static gboolean
evaluate_tiled (Run *run, const NsClBuffer *x, NsClBuffer *grad, GError **error)
{
  const NsGatysOptions *o = run->options;
  for (;;)
    {
      GError *local = NULL;
      if (ns_gatys_tiled_evaluate (run->tiled, x->host, grad->host, o->content_weight, o->style_weight, o->tv_weight,
                                   &run->last, &local))
        return TRUE;
      int tile = ns_gatys_tiled_get_tile (run->tiled);
      if (!out_of_memory (local) || tile <= NS_GATYS_MIN_TILE)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      g_error_free (local);
      ns_gatys_tiled_set_tile (run->tiled, tile / 2);
    }
}

static gboolean
run_evaluate (const NsClBuffer *x, NsClBuffer *grad, double *value, gpointer user_data, GError **error)
{
  Run *run = user_data;
  if (run->tiled != NULL)
    {
      if (!evaluate_tiled (run, x, grad, error))
        return FALSE;
      *value = run->last.total;
      return TRUE;
    }
  /* A view of the optimiser's vector as an image tensor (not owned). */
  const NsTensor view = { (NsClBuffer *) x, run->channels, run->height, run->width };
  if (!ns_gatys_objective_evaluate_targets (run->gatys->objective, &view, run->target, &run->inside,
                                            run->mask != NULL ? &run->outside : NULL, run->mask,
                                            run->options->content_weight, run->options->style_weight,
                                            run->options->tv_weight, grad, &run->last, error))
    return FALSE;
  *value = run->last.total;
  return TRUE;
}

static NsImage *
initial_image (const NsImage *content, const NsGatysOptions *options, GError **error)
{
  switch (options->init)
    {
    case NS_GATYS_INIT_CONTENT:
      return ns_image_to_rgb (content);
    case NS_GATYS_INIT_NOISE:
      {
        NsImage *noise = ns_image_new (content->width, content->height, 3);
        g_autoptr (GRand) rand = g_rand_new_with_seed (options->seed);
        for (gsize i = 0; i < (gsize) content->width * content->height * 3; i++)
          noise->data[i] = (float) g_rand_double (rand);
        return noise;
      }
    case NS_GATYS_INIT_IMAGE:
      if (options->init_image == NULL)
        break;
      {
        g_autoptr (NsImage) rgb = ns_image_to_rgb (options->init_image);
        if (rgb->width == content->width && rgb->height == content->height)
          return g_steal_pointer (&rgb);
        return ns_image_resize (rgb, content->width, content->height);
      }
    }
  g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
               _("The run was asked to start from an image but was given none."));
  return NULL;
}

static NsImage *
buffer_to_image (NsGatys *gatys, const NsClBuffer *buffer, int height, int width, GError **error)
{
  const NsTensor view = { (NsClBuffer *) buffer, 3, height, width };
  return ns_tensor_to_image (&view, error);
}

/* The optimiser's vectors on the host take 4 bytes a value, 2 per pair of
 * its history: fewer pairs for very large images. */
#define HOST_HISTORY_BYTES ((gsize) 2 << 30)

/* One scale of the run: `iterations` steps from `init` (the content's size),
 * numbered from *iteration + 1 on; tile > 0: in tiles of that side. */
static NsImage *
run_scale (NsGatys *gatys, const NsImage *content, const NsGatysTargets *targets, const NsGatysOptions *options,
           const NsImage *init, int iterations, int tile, int *iteration, NsGatysProgress progress,
           gpointer user_data, GCancellable *cancellable, GError **error)
{
  Run run = { .gatys = gatys, .options = options, .channels = 3, .height = content->height,
              .width = content->width };
  ns_gatys_style_get_target (targets->inside, &run.inside);
  if (targets->outside != NULL)
    ns_gatys_style_get_target (targets->outside, &run.outside);
  /* The mask at this scale's size, then (untiled) at each style layer's. */
  g_autoptr (NsImage) scaled_mask = NULL;
  const NsImage *mask_image = targets->mask;
  if (mask_image != NULL && (mask_image->width != content->width || mask_image->height != content->height))
    mask_image = scaled_mask = ns_image_resize (targets->mask, content->width, content->height);
  g_autoptr (NsGatysMask) mask = NULL;
  g_autoptr (NsTensor) target = NULL;
  g_autoptr (NsGatysTiled) tiled = NULL;
  if (tile > 0)
    {
      if ((tiled = ns_gatys_tiled_new (gatys->objective, gatys->vec, content, &run.inside,
                                       targets->outside != NULL ? &run.outside : NULL, mask_image, tile,
                                       error)) == NULL)
        return NULL;
      run.tiled = tiled;
    }
  else
    {
      if (mask_image != NULL && (mask = ns_gatys_mask_new (gatys->objective, mask_image, error)) == NULL)
        return NULL;
      g_autoptr (NsTensor) ct = tensor_from_rgb (gatys, content, error);
      if (ct == NULL || (target = ns_gatys_objective_content_target (gatys->objective, ct, error)) == NULL)
        return NULL;
      run.mask = mask;
      run.target = target;
    }

  const int w = content->width, h = content->height;
  g_autoptr (NsTensor) x0 = tile > 0 ? ns_tensor_new_host (gatys->ctx, 3, h, w, error)
                                     : ns_tensor_new (gatys->ctx, 3, h, w, error);
  g_autofree float *chw = ns_image_to_chw (init);
  if (x0 == NULL || !ns_tensor_write (x0, chw, error))
    return NULL;
  g_clear_pointer (&chw, g_free);

  NsOptimParams params;
  ns_optim_params_init (&params, options->optimizer == NS_GATYS_OPTIMIZER_ADAM ? NS_OPTIM_ADAM : NS_OPTIM_LBFGS);
  params.learning_rate = options->learning_rate;
  gsize n = ns_tensor_n_elements (x0);
  if (tile > 0)
    {
      params.host_vectors = TRUE;
      params.history = CLAMP ((int) (HOST_HISTORY_BYTES / (2 * n * sizeof (float))), 3, params.history);
    }
  g_autoptr (NsOptim) optim = ns_optim_new (gatys->vec, &params, n, error);
  g_autoptr (NsTensor) best = tile > 0 ? ns_tensor_new_host (gatys->ctx, 3, h, w, error)
                                       : ns_tensor_new (gatys->ctx, 3, h, w, error);
  if (optim == NULL || best == NULL || !ns_optim_start (optim, x0->buffer, run_evaluate, &run, error)
      || !ns_vec_copy (gatys->vec, x0->buffer, best->buffer, n, error))
    return NULL;
  g_clear_pointer (&x0, ns_tensor_free);
  run.current = run.last;
  double best_value = ns_optim_get_value (optim);

  for (int step = 1; step <= iterations; step++)
    {
      int it = ++*iteration;
      if (g_cancellable_is_cancelled (cancellable))
        break;
      gboolean stalled = FALSE;
      GError *local = NULL;
      if (!ns_optim_step (optim, run_evaluate, &run, &stalled, &local))
        {
          /* Cancelled inside an evaluation: the best image so far stands. */
          if (!cancelled (local))
            {
              g_propagate_error (error, local);
              return NULL;
            }
          g_error_free (local);
          break;
        }
      double value = ns_optim_get_value (optim);
      if (!stalled)
        run.current = run.last;
      if (value < best_value)
        {
          best_value = value;
          if (!ns_vec_copy (gatys->vec, ns_optim_get_x (optim), best->buffer, n, error))
            return NULL;
        }
      if (progress != NULL)
        {
          g_autoptr (NsImage) preview = NULL;
          if (options->preview_every > 0 && (it % options->preview_every == 0 || step == iterations)
              && (preview = buffer_to_image (gatys, ns_optim_get_x (optim), content->height, content->width,
                                             error)) == NULL)
            return NULL;
          progress (it, &run.current, preview, user_data);
        }
      if (stalled)
        break;
    }
  return ns_tensor_to_image (best, error);
}

/* The budget the options give, or half the device's memory: a Gatys run
 * gains from large tiles (each costs two passes over its halo). */
static gsize
memory_budget (NsGatys *gatys, const NsGatysOptions *options)
{
  if (options->memory_budget > 0)
    return options->memory_budget;
  return gatys->ctx->info->global_mem / 2;
}

/* The tile side for a scale of this size: 0 (untiled) when the options ask
 * for no tiles and an untiled run fits the budget; -1 with an error when not
 * even the smallest tile does. */
static int
scale_tile (NsGatys *gatys, const NsGatysOptions *options, int width, int height, GError **error)
{
  if (options->tile_size > 0)
    return options->tile_size < MAX (width, height) ? MAX (options->tile_size, NS_GATYS_MIN_TILE) : 0;
  gsize budget = memory_budget (gatys, options), held = gatys->ctx->mem_current, pixels = (gsize) width * height;
  /* Untiled: the evaluation, the optimiser's vectors (5 + 2 x 10 images),
   * the start and the best image, and relu4_2's target (512 channels at 1/8). */
  gsize untiled = ns_gatys_evaluation_memory_estimate (gatys->objective, width, height)
                + (5 + 2 * 10 + 2) * 3 * pixels * sizeof (float) + 512 * (pixels / 64) * sizeof (float);
  if (held + untiled <= budget)
    return 0;
  /* Tiled: the evaluation of one tile and the Gram matrices (two regions). */
  gsize grams = 2 * 2 * 512 * 512 * sizeof (float) * NS_GATYS_N_STYLE_LAYERS;
  int tile = held + grams < budget ? ns_gatys_tile_for_memory (gatys->objective, budget - held - grams) : 0;
  if (tile == 0)
    {
      g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY,
                   _("A device memory budget of %zu MiB is too small even for the smallest tiles."), budget >> 20);
      return -1;
    }
  return tile;
}

/* The sizes of a coarse-to-fine run, coarsest first: each half the next. */
static int
n_scales (int width, int height, const NsGatysOptions *options)
{
  /* Bounded first: a shift by 32 or more is undefined. */
  int scales = options->scales > 0 ? MIN (options->scales, NS_GATYS_MAX_SCALES) : 1;
  if (options->scales == 0)   /* automatic: the coarsest at most 512 pixels a side */
    while (MAX (width, height) >> (scales - 1) > 512)
      scales++;
  while (scales > 1 && MIN (width, height) >> (scales - 1) < NS_GATYS_MIN_IMAGE_SIDE)
    scales--;
  return scales;
}

/* The iterations of scale k of `scales`, 0 the finest: the options' count
 * is the run's total, shared so that each finer scale takes half as many as
 * the one before (a scale costs about four times the one before it), each
 * at least one while there are enough (the rounding's rest goes to the
 * coarsest, the cheapest); with fewer than `scales`, the finest take one each
 * and the coarser are skipped. */
static int
scale_iterations (const NsGatysOptions *options, int scales, int k)
{
  gint64 total = MAX (options->iterations, 0);
  if (total < scales)
    return k < total ? 1 : 0;
  gint64 rest = total - scales, parts = ((gint64) 1 << scales) - 1;   /* below 2^41: no overflow */
  if (k < scales - 1)
    return (int) (1 + rest * ((gint64) 1 << k) / parts);
  gint64 finer = 0;
  for (int j = 0; j < scales - 1; j++)
    finer += rest * ((gint64) 1 << j) / parts;
  return (int) (1 + rest - finer);
}

int
ns_gatys_total_iterations (const NsGatysOptions *options, int width, int height)
{
  int scales = n_scales (width, height, options);
  gint64 total = 0;
  for (int k = 0; k < scales; k++)
    total += scale_iterations (options, scales, k);
  return (int) MIN (total, G_MAXINT);
}

void
ns_gatys_locate_iteration (const NsGatysOptions *options, int width, int height, int iteration, int *scale,
                           int *n_running)
{
  int scales = n_scales (width, height, options);
  *scale = *n_running = 0;
  for (int k = scales - 1; k >= 0; k--)   /* coarsest first, as a run goes */
    {
      int iterations = scale_iterations (options, scales, k);
      if (iterations == 0)
        continue;
      ++*n_running;
      if (*scale == 0 && iteration <= iterations)
        *scale = *n_running;
      iteration -= iterations;
    }
  *n_running = MAX (*n_running, 1);
  *scale = *scale == 0 ? *n_running : *scale;   /* past the end: the last */
}

double
ns_gatys_work_fraction (const NsGatysOptions *options, int width, int height, int iteration)
{
  int scales = n_scales (width, height, options);
  double total = 0, done = 0;
  for (int k = scales - 1; k >= 0; k--)   /* coarsest first, as a run goes */
    {
      double pixels = (double) MAX (1, width >> k) * MAX (1, height >> k);
      int iterations = scale_iterations (options, scales, k);
      int here = CLAMP (iteration, 0, iterations);
      iteration -= here;
      total += pixels * iterations;
      done += pixels * here;
    }
  return total > 0 ? done / total : 1.0;
}

NsImage *
ns_gatys_run (NsGatys *gatys, const NsImage *content, const NsGatysStyle *style, const NsGatysOptions *options,
              NsGatysProgress progress, gpointer user_data, GCancellable *cancellable, GError **error)
{
  const NsGatysTargets targets = { style, NULL, NULL };
  return ns_gatys_run_targets (gatys, content, &targets, options, progress, user_data, cancellable, error);
}

static NsImage *
run_targets (NsGatys *gatys, const NsImage *content, const NsGatysTargets *targets, const NsGatysOptions *options,
             NsGatysProgress progress, gpointer user_data, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (targets->inside->gatys == gatys, NULL);
  g_return_val_if_fail (targets->outside == NULL || targets->outside->gatys == gatys, NULL);
  if (!check_image (content, _("content"), error) || !check_mask (targets->mask, targets->outside, content, error)
      || !check_weights (options->content_weight, options->style_weight, options->tv_weight, error))
    return NULL;
  if (options->iterations > NS_GATYS_MAX_ITERATIONS)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The number of iterations (%d) may be at most %d."), options->iterations,
                   NS_GATYS_MAX_ITERATIONS);
      return NULL;
    }
  if (options->iterations < 0
      || (options->optimizer == NS_GATYS_OPTIMIZER_ADAM
          && !(options->learning_rate > 0 && isfinite (options->learning_rate))))
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The number of iterations (%d) must not be negative and the learning rate (%g) must be positive."),
                   options->iterations, options->learning_rate);
      return NULL;
    }
  g_autoptr (NsImage) rgb = ns_image_to_rgb (content);
  g_autoptr (NsImage) image = initial_image (rgb, options, error);
  if (image == NULL)
    return NULL;

  /* Coarse to fine: optimise at 1 / 2^k of the size, upsample, go on.  The
   * content weight grows with the shrinking so that the content term keeps
   * its share (it sums over positions, the Gram terms do not); the last
   * scale uses the weights as given.  The iterations are the run's total,
   * shared among the scales (scale_iterations()). */
  int scales = n_scales (rgb->width, rgb->height, options);
  int iteration = 0;
  for (int k = scales - 1; k >= 0; k--)
    {
      int width = MAX (1, rgb->width >> k), height = MAX (1, rgb->height >> k);
      g_autoptr (NsImage) scaled_content = ns_image_resize (rgb, width, height);
      g_autoptr (NsImage) scaled_init = ns_image_resize (image, width, height);
      NsGatysOptions scaled = *options;
      scaled.content_weight = options->content_weight * ((double) rgb->width * rgb->height / ((double) width * height));
      int iterations = scale_iterations (options, scales, k);
      if (iterations == 0 && k > 0)   /* fewer iterations than scales: go on at the next */
        continue;
      int tile = scale_tile (gatys, &scaled, width, height, error);
      if (tile < 0)
        return NULL;
      /* The device ran out of memory although our count said it would fit:
       * the scale again, in tiles of half the image or what the device says
       * is free, whichever is smaller, then in tiles half as large each time
       * (a tiled evaluation also halves its tiles by itself, keeping the
       * optimiser's state; this catches the rest, e.g. the content target). */
      int first = iteration;
      GError *local = NULL;
      NsImage *next;
      while ((next = run_scale (gatys, scaled_content, targets, &scaled, scaled_init, iterations, tile, &iteration,
                                progress, user_data, cancellable, &local)) == NULL
             && out_of_memory (local) && (tile == 0 || tile > NS_GATYS_MIN_TILE))
        {
          g_clear_error (&local);
          iteration = first;
          if (tile > 0)
            tile /= 2;
          else
            {
              gsize total = gatys->ctx->info->global_mem, used = gatys->ctx->mem_current;
              int fits = ns_gatys_tile_for_memory (gatys->objective, total > used ? total - used : 0);
              tile = MAX (width, height) / 2;
              if (fits > 0)
                tile = MIN (tile, fits);
            }
          tile = MAX (NS_GATYS_MIN_TILE, tile);
        }
      if (next == NULL && cancelled (local))   /* before the scale's first step: its start is the best */
        {
          g_clear_error (&local);
          next = ns_image_copy (scaled_init);
        }
      if (next == NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      ns_image_free (image);
      image = next;
      iteration = first + iterations;   /* a stalled scale still numbers the next as planned */
      if (g_cancellable_is_cancelled (cancellable) && k > 0)
        return ns_image_resize (image, rgb->width, rgb->height);
    }
  return g_steal_pointer (&image);
}

NsImage *
ns_gatys_run_targets (NsGatys *gatys, const NsImage *content, const NsGatysTargets *targets,
                      const NsGatysOptions *options, NsGatysProgress progress, gpointer user_data,
                      GCancellable *cancellable, GError **error)
{
  ns_gatys_objective_set_cancellable (gatys->objective, cancellable);
  NsImage *result = run_targets (gatys, content, targets, options, progress, user_data, cancellable, error);
  ns_gatys_objective_set_cancellable (gatys->objective, NULL);
  return result;
}
