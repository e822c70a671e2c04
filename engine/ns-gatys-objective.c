#include "ns-gatys-objective.h"

#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <string.h>

static const char *const style_layers[NS_GATYS_N_STYLE_LAYERS] = {
  "conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1",
};
static const char content_layer[] = "conv4_2";

struct _NsGatysObjective {
  NsOps *ops;
  NsNetwork *vgg;
  NsGradOps *grad;
  NsConv3x3 **transposed;   /* per step: its convolution's backward (NULL for pooling) */
  guint n_steps;
  NsClBuffer *gram;   /* one layer's Gram matrix at a time, the largest size */
  GCancellable *cancellable;   /* the current run's, or NULL */
};

NsGatysObjective *
ns_gatys_objective_new (NsOps *ops, NsNetwork *vgg, GError **error)
{
  g_autoptr (NsGatysObjective) obj = g_new0 (NsGatysObjective, 1);
  obj->ops = ops;
  obj->vgg = vgg;
  int max_channels = 0;
  for (guint i = 0; i < ns_network_n_steps (vgg); i++)
    max_channels = MAX (max_channels, ns_network_step_spec (vgg, i)->out_channels);
  if ((obj->grad = ns_grad_ops_new (ops, error)) == NULL
      || (obj->gram = ns_cl_buffer_new (ns_ops_get_context (ops),
                                        (gsize) max_channels * max_channels * sizeof (float), error)) == NULL)
    return NULL;
  obj->n_steps = ns_network_n_steps (vgg);
  obj->transposed = g_new0 (NsConv3x3 *, obj->n_steps);
  for (guint i = 0; i < obj->n_steps; i++)
    {
      const NsConv3x3 *conv = ns_network_step_conv (vgg, i);
      if (conv != NULL
          && ((obj->transposed[i] = ns_conv3x3_new_transposed (ns_ops_get_context (ops), conv, error)) == NULL
              || !ns_ops_prepare_backward_conv (ops, obj->transposed[i], error)))
        return NULL;
    }
  return g_steal_pointer (&obj);
}

void
ns_gatys_objective_free (NsGatysObjective *obj)
{
  if (obj == NULL)
    return;
  ns_grad_ops_free (obj->grad);
  ns_cl_buffer_free (obj->gram);
  for (guint i = 0; i < obj->n_steps; i++)
    ns_conv3x3_free (obj->transposed[i]);
  g_free (obj->transposed);
  g_free (obj);
}

void
ns_gatys_objective_set_cancellable (NsGatysObjective *obj, GCancellable *cancellable)
{
  obj->cancellable = cancellable;
}

/* Between two layers of a pass: with a cancellable, wait for the queued
 * kernels (the device may be far behind the host) and check it. */
static gboolean
layer_boundary (NsGatysObjective *obj, GError **error)
{
  if (obj->cancellable == NULL)
    return TRUE;
  return ns_cl_context_finish (ns_ops_get_context (obj->ops), error)
      && !g_cancellable_set_error_if_cancelled (obj->cancellable, error);
}

/* Which style layer step i is (-1: none). */
int
ns_gatys_objective_style_index (NsGatysObjective *obj, guint i)
{
  const NsStepSpec *spec = ns_network_step_spec (obj->vgg, i);
  if (spec->name != NULL)
    for (int k = 0; k < NS_GATYS_N_STYLE_LAYERS; k++)
      if (strcmp (spec->name, style_layers[k]) == 0)
        return k;
  return -1;
}

gboolean
ns_gatys_objective_is_content_step (NsGatysObjective *obj, guint i)
{
  const NsStepSpec *spec = ns_network_step_spec (obj->vgg, i);
  return spec->name != NULL && strcmp (spec->name, content_layer) == 0;
}

void
ns_gatys_activations_clear (NsGatysActivations *a)
{
  for (guint i = 0; i < a->n; i++)
    ns_tensor_free (a->acts[i]);
  g_clear_pointer (&a->acts, g_free);
  a->n = 0;
}

gboolean
ns_gatys_objective_forward (NsGatysObjective *obj, const NsTensor *x, NsGatysActivations *a, GError **error)
{
  a->n = ns_network_n_steps (obj->vgg);
  a->acts = g_new0 (NsTensor *, a->n);
  const NsTensor *cur = x;
  for (guint i = 0; i < a->n; i++)
    {
      if (!layer_boundary (obj, error))
        return FALSE;
      const NsStepSpec *spec = ns_network_step_spec (obj->vgg, i);
      switch (spec->kind)
        {
        case NS_STEP_CONV_RELU:
        case NS_STEP_CONV:
          a->acts[i] = ns_op_conv3x3 (obj->ops, cur, ns_network_step_conv (obj->vgg, i),
                                      spec->kind == NS_STEP_CONV_RELU, error);
          break;
        case NS_STEP_MAXPOOL:
          a->acts[i] = ns_op_maxpool2x2 (obj->ops, cur, error);
          break;
        case NS_STEP_UPSAMPLE:
          g_return_val_if_reached (FALSE);
        }
      if (a->acts[i] == NULL)
        return FALSE;
      cur = a->acts[i];
    }
  return TRUE;
}

NsTensor *
ns_gatys_objective_content_target (NsGatysObjective *obj, const NsTensor *image, GError **error)
{
  g_auto (NsGatysActivations) a = { 0 };
  if (!ns_gatys_objective_forward (obj, image, &a, error))
    return NULL;
  for (guint i = 0; i < a.n; i++)
    if (ns_gatys_objective_is_content_step (obj, i))
      return g_steal_pointer (&a.acts[i]);
  g_return_val_if_reached (NULL);
}

gboolean
ns_gatys_objective_style_targets (NsGatysObjective *obj, const NsTensor *image,
                                  NsClBuffer *grams[NS_GATYS_N_STYLE_LAYERS], GError **error)
{
  NsClContext *ctx = ns_ops_get_context (obj->ops);
  g_auto (NsGatysActivations) a = { 0 };
  if (!ns_gatys_objective_forward (obj, image, &a, error))
    return FALSE;
  for (guint i = 0; i < a.n; i++)
    {
      int k = ns_gatys_objective_style_index (obj, i);
      if (k < 0)
        continue;
      gsize C = a.acts[i]->channels;
      if ((grams[k] = ns_cl_buffer_new (ctx, C * C * sizeof (float), error)) == NULL
          || !ns_op_gram (obj->grad, a.acts[i], grams[k], error))
        return FALSE;
    }
  return TRUE;
}

gboolean
ns_gatys_objective_ensure_grad (NsGatysObjective *obj, NsTensor **g, const NsTensor *t, GError **error)
{
  if (*g != NULL)
    return TRUE;
  NsClContext *ctx = ns_ops_get_context (obj->ops);
  *g = ns_tensor_new (ctx, t->channels, t->height, t->width, error);
  return *g != NULL && ns_tensor_clear (ctx, *g, error);
}

struct _NsGatysMask {
  int width, height;                            /* the image's */
  NsClBuffer *levels[NS_GATYS_N_STYLE_LAYERS];  /* the mask at each style layer's size */
  double area[NS_GATYS_N_STYLE_LAYERS];         /* sum m there */
  double area_outside[NS_GATYS_N_STYLE_LAYERS]; /* sum (1 - m) there */
};

void
ns_gatys_mask_free (NsGatysMask *mask)
{
  if (mask == NULL)
    return;
  for (int k = 0; k < NS_GATYS_N_STYLE_LAYERS; k++)
    ns_cl_buffer_free (mask->levels[k]);
  g_free (mask);
}

void
ns_gatys_mask_levels_clear (NsGatysMaskLevels *levels)
{
  for (int k = 0; k < NS_GATYS_N_STYLE_LAYERS; k++)
    g_clear_pointer (&levels->levels[k], g_free);
}

void
ns_gatys_mask_levels_init (NsGatysObjective *obj, const NsImage *image, NsGatysMaskLevels *out)
{
  *out = (NsGatysMaskLevels) { 0 };
  int w = image->width, h = image->height;
  g_autofree float *m = g_new (float, (gsize) w * h);
  for (gsize i = 0; i < (gsize) w * h; i++)
    m[i] = CLAMP (image->data[i * image->channels], 0.0f, 1.0f);
  /* Walk the network as the features do: each max-pool halves (floored) and
   * the mask follows by 2 x 2 averages, the share of each pooled position. */
  for (guint i = 0; i < obj->n_steps; i++)
    {
      if (ns_network_step_spec (obj->vgg, i)->kind == NS_STEP_MAXPOOL)
        {
          int pw = w / 2, ph = h / 2;
          for (int y = 0; y < ph; y++)
            for (int x = 0; x < pw; x++)
              {
                const float *s = m + (gsize) 2 * y * w + 2 * x;
                m[(gsize) y * pw + x] = 0.25f * (s[0] + s[1] + s[w] + s[w + 1]);
              }
          w = pw, h = ph;
          continue;
        }
      int k = ns_gatys_objective_style_index (obj, i);
      if (k < 0)
        continue;
      out->levels[k] = g_memdup2 (m, (gsize) w * h * sizeof (float));
      out->widths[k] = w;
      out->heights[k] = h;
    }
}

NsGatysMask *
ns_gatys_mask_new (NsGatysObjective *obj, const NsImage *image, GError **error)
{
  NsClContext *ctx = ns_ops_get_context (obj->ops);
  g_autoptr (NsGatysMask) mask = g_new0 (NsGatysMask, 1);
  mask->width = image->width;
  mask->height = image->height;
  g_auto (NsGatysMaskLevels) host = { 0 };
  ns_gatys_mask_levels_init (obj, image, &host);
  for (int k = 0; k < NS_GATYS_N_STYLE_LAYERS; k++)
    {
      gsize n = (gsize) host.widths[k] * host.heights[k], bytes = n * sizeof (float);
      const float *m = host.levels[k];
      if ((mask->levels[k] = ns_cl_buffer_new (ctx, bytes, error)) == NULL
          || !ns_cl_buffer_write (mask->levels[k], 0, m, bytes, error))
        return NULL;
      ns_gatys_mask_levels_areas (&host, k, &mask->area[k], &mask->area_outside[k]);
    }
  return g_steal_pointer (&mask);
}

void
ns_gatys_mask_levels_areas (const NsGatysMaskLevels *levels, int k, double *area, double *area_outside)
{
  const float *m = levels->levels[k];
  *area = *area_outside = 0;
  for (gsize p = 0; p < (gsize) levels->widths[k] * levels->heights[k]; p++)
    {
      *area += m[p];
      *area_outside += 1.0f - m[p];   /* as the kernel rounds it */
    }
}

NsTensor *
ns_gatys_objective_backward (NsGatysObjective *obj, const NsTensor *x, const NsGatysActivations *a,
                             NsGatysLayerTerm term, gpointer user_data, GError **error)
{
  g_autoptr (NsTensor) g = NULL;   /* dL/d(output of step i), walking down */
  for (guint i = a->n; i-- > 0;)
    {
      if (!layer_boundary (obj, error))
        return NULL;
      const NsStepSpec *spec = ns_network_step_spec (obj->vgg, i);
      const NsTensor *f = a->acts[i];
      const NsTensor *below = i > 0 ? a->acts[i - 1] : x;
      if (spec->kind == NS_STEP_MAXPOOL)
        {
          if (g != NULL)
            {
              NsTensor *next = ns_op_maxpool2x2_backward (obj->grad, below, g, error);
              if (next == NULL)
                return NULL;
              ns_tensor_free (g);
              g = next;
            }
          continue;
        }
      if (!term (obj, i, f, &g, user_data, error))
        return NULL;
      if (g == NULL)
        continue;
      if (spec->kind == NS_STEP_CONV_RELU && !ns_op_relu_backward (obj->grad, g, f, error))
        return NULL;
      NsTensor *next = ns_op_conv3x3_backward (obj->grad, g, obj->transposed[i], error);
      if (next == NULL)
        return NULL;
      ns_tensor_free (g);
      g = next;
    }
  if (!ns_gatys_objective_ensure_grad (obj, &g, x, error))
    return NULL;
  return g_steal_pointer (&g);
}

NsGradOps *
ns_gatys_objective_get_grad_ops (NsGatysObjective *obj)
{
  return obj->grad;
}

NsOps *
ns_gatys_objective_get_ops (NsGatysObjective *obj)
{
  return obj->ops;
}

NsNetwork *
ns_gatys_objective_get_network (NsGatysObjective *obj)
{
  return obj->vgg;
}

/* The untiled objective's terms, for ns_gatys_objective_backward(). */
typedef struct {
  const NsTensor *content_target;
  const NsGatysTarget *inside, *outside;
  const NsGatysMask *mask;
  double content_weight, style_weight;
  NsGatysLosses losses;
} Terms;

static gboolean
add_terms (NsGatysObjective *obj, guint i, const NsTensor *f, NsTensor **g, gpointer user_data, GError **error)
{
  Terms *t = user_data;
  NsClContext *ctx = ns_ops_get_context (obj->ops);
  int k = ns_gatys_objective_style_index (obj, i);
  const gsize C = f->channels, M = (gsize) f->height * f->width;
  /* dLs/dF = w (G - A) F / (N^2 M); with a mask the same coefficient, each
   * region's term weighted by its share area / M of the positions. */
  float coef = (float) (t->style_weight * NS_GATYS_STYLE_LAYER_WEIGHT / ((double) C * C * M));
  if (k >= 0 && t->mask == NULL)
    {
      double ss;
      gboolean accumulate = *g != NULL;
      if (!ns_op_gram (obj->grad, f, obj->gram, error)
          || !ns_op_sub_square_sum (obj->grad, obj->gram, t->inside->grams[k], C * C, &ss, error))
        return FALSE;
      if (t->inside->offsets != NULL)
        ss += t->inside->offsets[k];
      t->losses.style += NS_GATYS_STYLE_LAYER_WEIGHT * ss / (4.0 * C * C);
      if (*g == NULL && (*g = ns_tensor_new (ctx, f->channels, f->height, f->width, error)) == NULL)
        return FALSE;
      if (!ns_op_gram_backward (obj->grad, obj->gram, f, coef, *g, accumulate, error))
        return FALSE;
    }
  else if (k >= 0)
    {
      const NsGatysTarget *targets[2] = { t->inside, t->outside };
      const double areas[2] = { t->mask->area[k], t->mask->area_outside[k] };
      if (!ns_gatys_objective_ensure_grad (obj, g, f, error))
        return FALSE;
      for (int r = 0; r < 2; r++)
        {
          double ss;
          if (targets[r] == NULL || areas[r] <= NS_GATYS_MIN_REGION_AREA)
            continue;
          if (!ns_op_masked_gram_term (obj->grad, f, t->mask->levels[k], r == 1, areas[r], targets[r]->grams[k],
                                       obj->gram, coef, *g, TRUE, &ss, error))
            return FALSE;
          if (targets[r]->offsets != NULL)
            ss += targets[r]->offsets[k];
          t->losses.style += NS_GATYS_STYLE_LAYER_WEIGHT * (areas[r] / M) * ss / (4.0 * C * C);
        }
    }
  if (t->content_target != NULL && ns_gatys_objective_is_content_step (obj, i))
    {
      double ss;
      if (!ns_gatys_objective_ensure_grad (obj, g, f, error)
          || !ns_op_content_grad (obj->grad, f, t->content_target, (float) t->content_weight, *g, &ss, error))
        return FALSE;
      t->losses.content = 0.5 * ss;
    }
  return TRUE;
}

gboolean
ns_gatys_objective_evaluate_targets (NsGatysObjective *obj, const NsTensor *x, const NsTensor *content_target,
                                     const NsGatysTarget *inside, const NsGatysTarget *outside,
                                     const NsGatysMask *mask, double content_weight, double style_weight,
                                     double tv_weight, NsClBuffer *grad, NsGatysLosses *losses, GError **error)
{
  g_return_val_if_fail (mask == NULL || (mask->width == x->width && mask->height == x->height), FALSE);
  NsClContext *ctx = ns_ops_get_context (obj->ops);
  g_auto (NsGatysActivations) a = { 0 };
  if (!ns_gatys_objective_forward (obj, x, &a, error))
    return FALSE;
  Terms t = { content_target, inside, outside, mask, content_weight, style_weight, { 0 } };
  g_autoptr (NsTensor) g = ns_gatys_objective_backward (obj, x, &a, add_terms, &t, error);
  if (g == NULL)
    return FALSE;
  NsGatysLosses l = t.losses;
  if (tv_weight != 0.0 && !ns_op_tv_grad (obj->grad, x, (float) tv_weight, g, &l.tv, error))
    return FALSE;
  l.total = content_weight * l.content + style_weight * l.style + tv_weight * l.tv;
  if (grad != NULL
      && !ns_cl_check (clEnqueueCopyBuffer (ctx->queue, g->buffer->mem, grad->mem, 0, 0,
                                            ns_tensor_n_elements (x) * sizeof (float), 0, NULL, NULL),
                       _("copying device memory"), error))
    return FALSE;
  if (losses != NULL)
    *losses = l;
  return TRUE;
}
