#include "ns-decoder-train.h"

#include "neural-style.h"
#include "ns-engine-private.h"
#include "ns-runtime-private.h"
#include "ns-weights-path.h"
#include "ns-gatys-objective.h"
#include "ns-i18n.h"
#include "ns-ops-train.h"
#include "ns-safetensors-write.h"
#include "ns-vec.h"
#include <math.h>
#include <string.h>

#define N_STYLE_LAYERS 4   /* relu1_1 .. relu4_1 */
#define ADAM_BETA1 0.9
#define ADAM_BETA2 0.999
#define ADAM_EPS 1e-8

void
ns_decoder_train_params_init (NsDecoderTrainParams *params)
{
  *params = (NsDecoderTrainParams) { .learning_rate = 1e-4, .lr_decay = 5e-5, .style_weight = 10.0 };
}

/* One step of the decoder; the convolutions' weights are the trained ones. */
typedef struct {
  NsStepSpec spec;
  NsConv3x3 *conv;         /* NULL for upsampling; its weight and bias are the parameters */
  NsConv3x3 *transposed;   /* its backward pass, remade after each update */
  NsClBuffer *dw, *db;     /* gradients, summed over a batch */
  NsClBuffer *mw, *vw, *mb, *vb;   /* Adam's moments */
} Layer;

struct _NsDecoderTrainer {
  NsDecoderTrainParams params;
  char *start_path;
  NsClContext *ctx;        /* the runtime's */
  NsOps *ops;              /* the runtime's operations for gradients */
  NsTrainOps *train;
  NsVecOps *vec;
  NsNetwork *vgg;          /* to conv4_1 */
  NsGatysObjective *objective;   /* VGG's forward with activations and its backward pass */
  Layer *layers;
  guint n_layers;
  int iteration;
  NsClBuffer *mean, *var, *coef_a, *coef_b;   /* one layer's statistics and gradient coefficients */
  NsClBuffer *style_mean, *style_var, *content_mean, *content_var;   /* relu4_1's, for the target */
};

static gsize
weight_count (const Layer *layer)
{
  return (gsize) layer->spec.out_channels * layer->spec.in_channels * 9;
}

static NsClBuffer *
zeroed_buffer (NsDecoderTrainer *tr, gsize n, GError **error)
{
  NsClBuffer *b = ns_cl_buffer_new (tr->ctx, n * sizeof (float), error);
  if (b != NULL && !ns_vec_zero (tr->vec, b, n, error))
    g_clear_pointer (&b, ns_cl_buffer_free);
  return b;
}

/* The layer's convolution and its transpose made anew from host weights. */
static gboolean
layer_set_weights (NsDecoderTrainer *tr, Layer *layer, const float *w, const float *b, GError **error)
{
  g_clear_pointer (&layer->conv, ns_conv3x3_free);
  g_clear_pointer (&layer->transposed, ns_conv3x3_free);
  return (layer->conv = ns_conv3x3_new (tr->ctx, layer->spec.in_channels, layer->spec.out_channels, w, b, error))
           != NULL
      && (layer->transposed = ns_conv3x3_new_transposed (tr->ctx, layer->conv, error)) != NULL;
}

/* A convolution's weights and bias, newly allocated host copies. */
static gboolean
read_conv (const NsConv3x3 *conv, float **w, float **b, GError **error)
{
  gsize nw = (gsize) conv->out_channels * conv->in_channels * 9;
  *w = g_new (float, nw);
  *b = g_new (float, conv->out_channels);
  return ns_cl_buffer_read (conv->weight, 0, *w, nw * sizeof (float), error)
      && ns_cl_buffer_read (conv->bias, 0, *b, conv->out_channels * sizeof (float), error);
}

/* Adam's moment `suffix` of `tensor` from a checkpoint into buffer, or zeros. */
static NsClBuffer *
load_moment (NsDecoderTrainer *tr, NsSafetensors *file, const char *tensor, const char *suffix, const gint64 *shape,
             guint n_dims, gsize n, GError **error)
{
  g_autofree char *name = g_strconcat (tensor, suffix, NULL);
  if (!ns_safetensors_has_tensor (file, name))
    return zeroed_buffer (tr, n, error);
  g_autofree float *host = ns_safetensors_read_f32 (file, name, shape, n_dims, error);
  NsClBuffer *b = host != NULL ? ns_cl_buffer_new (tr->ctx, n * sizeof (float), error) : NULL;
  if (b != NULL && !ns_cl_buffer_write (b, 0, host, n * sizeof (float), error))
    g_clear_pointer (&b, ns_cl_buffer_free);
  return b;
}

static gboolean
load_decoder (NsDecoderTrainer *tr, const char *path, GError **error)
{
  g_autoptr (NsSafetensors) file = ns_safetensors_open (path, error);
  g_autoptr (NsNetwork) net = file != NULL ? ns_network_new_adain_decoder (tr->ctx, path, error) : NULL;
  if (net == NULL)
    return FALSE;
  const char *iteration = ns_safetensors_get_metadata (file, "iteration");
  tr->iteration = iteration != NULL ? (int) g_ascii_strtoll (iteration, NULL, 10) : 0;
  tr->n_layers = ns_network_n_steps (net);
  tr->layers = g_new0 (Layer, tr->n_layers);
  for (guint i = 0; i < tr->n_layers; i++)
    {
      Layer *layer = &tr->layers[i];
      layer->spec = *ns_network_step_spec (net, i);   /* its name is a static string */
      const NsConv3x3 *loaded = ns_network_step_conv (net, i);
      if (loaded == NULL)
        continue;
      g_autofree float *w = NULL, *b = NULL;
      gboolean ok = read_conv (loaded, &w, &b, error);
      const gint64 wshape[] = { layer->spec.out_channels, layer->spec.in_channels, 3, 3 };
      const gint64 bshape[] = { layer->spec.out_channels };
      g_autofree char *wname = g_strconcat (layer->spec.name, ".weight", NULL);
      g_autofree char *bname = g_strconcat (layer->spec.name, ".bias", NULL);
      gsize nw = weight_count (layer), nb = layer->spec.out_channels;
      if (!ok || !layer_set_weights (tr, layer, w, b, error)
          || (layer->dw = zeroed_buffer (tr, nw, error)) == NULL || (layer->db = zeroed_buffer (tr, nb, error)) == NULL
          || (layer->mw = load_moment (tr, file, wname, ".adam_m", wshape, 4, nw, error)) == NULL
          || (layer->vw = load_moment (tr, file, wname, ".adam_v", wshape, 4, nw, error)) == NULL
          || (layer->mb = load_moment (tr, file, bname, ".adam_m", bshape, 1, nb, error)) == NULL
          || (layer->vb = load_moment (tr, file, bname, ".adam_v", bshape, 1, nb, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

NsDecoderTrainer *
ns_decoder_trainer_new (NsRuntime *runtime, const char *start_path, const NsDecoderTrainParams *params,
                        GError **error)
{
  g_autoptr (NsDecoderTrainer) tr = g_new0 (NsDecoderTrainer, 1);
  tr->params = *params;
  /* The loss network stops at relu4_1: a VGG-19 of its own, not the runtime's. */
  g_autofree char *vgg_path = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, error);
  if (vgg_path == NULL
      || (tr->start_path = start_path != NULL ? g_strdup (start_path)
                                              : ns_weights_find_file (NS_WEIGHTS_DECODER_FILE, error)) == NULL
      || !ns_runtime_open (runtime, error))
    return NULL;
  tr->ctx = ns_runtime_get_context (runtime);
  /* Winograd's rounding can flip ReLUs at ties, where a gradient jumps: the operations for gradients. */
  if ((tr->ops = ns_runtime_get_gradient_ops (runtime, error)) == NULL
      || (tr->train = ns_train_ops_new (tr->ops, error)) == NULL || (tr->vec = ns_vec_ops_new (tr->ops, error)) == NULL
      || (tr->vgg = ns_network_new_vgg19 (tr->ctx, vgg_path, "conv4_1", error)) == NULL
      || (tr->objective = ns_gatys_objective_new (tr->ops, tr->vgg, error)) == NULL)
    return NULL;
  NsClBuffer **stats[] = { &tr->mean, &tr->var, &tr->coef_a, &tr->coef_b,
                           &tr->style_mean, &tr->style_var, &tr->content_mean, &tr->content_var };
  for (gsize i = 0; i < G_N_ELEMENTS (stats); i++)
    if ((*stats[i] = ns_cl_buffer_new (tr->ctx, NS_RELU4_1_CHANNELS * sizeof (float), error)) == NULL)
      return NULL;
  if (!load_decoder (tr, tr->start_path, error))
    return NULL;
  return g_steal_pointer (&tr);
}

void
ns_decoder_trainer_free (NsDecoderTrainer *tr)
{
  if (tr == NULL)
    return;
  for (guint i = 0; i < tr->n_layers; i++)
    {
      Layer *l = &tr->layers[i];
      ns_conv3x3_free (l->conv);
      ns_conv3x3_free (l->transposed);
      NsClBuffer *buffers[] = { l->dw, l->db, l->mw, l->vw, l->mb, l->vb };
      for (gsize k = 0; k < G_N_ELEMENTS (buffers); k++)
        ns_cl_buffer_free (buffers[k]);
    }
  g_free (tr->layers);
  NsClBuffer *stats[] = { tr->mean, tr->var, tr->coef_a, tr->coef_b,
                          tr->style_mean, tr->style_var, tr->content_mean, tr->content_var };
  for (gsize i = 0; i < G_N_ELEMENTS (stats); i++)
    ns_cl_buffer_free (stats[i]);
  ns_gatys_objective_free (tr->objective);
  ns_network_free (tr->vgg);
  ns_vec_ops_free (tr->vec);
  ns_train_ops_free (tr->train);
  g_free (tr->start_path);
  g_free (tr);
}

const char *
ns_decoder_trainer_get_start_path (NsDecoderTrainer *tr)
{
  return tr->start_path;
}

const char *
ns_decoder_trainer_get_device_name (NsDecoderTrainer *tr)
{
  return tr->ctx->info->name;
}

int
ns_decoder_trainer_get_iteration (NsDecoderTrainer *tr)
{
  return tr->iteration;
}

/* ---- the decoder's passes ---- */

typedef struct {
  NsTensor **acts;   /* each step's output */
  guint n;
} Activations;

static void
activations_clear (Activations *a)
{
  for (guint i = 0; i < a->n; i++)
    ns_tensor_free (a->acts[i]);
  g_clear_pointer (&a->acts, g_free);
  a->n = 0;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Activations, activations_clear)

static gboolean
decoder_forward (NsDecoderTrainer *tr, const NsTensor *t, Activations *a, GError **error)
{
  a->n = tr->n_layers;
  a->acts = g_new0 (NsTensor *, a->n);
  const NsTensor *cur = t;
  for (guint i = 0; i < a->n; i++)
    {
      const Layer *l = &tr->layers[i];
      a->acts[i] = l->conv != NULL ? ns_op_conv3x3 (tr->ops, cur, l->conv, l->spec.kind == NS_STEP_CONV_RELU, error)
                                   : ns_op_upsample2x (tr->ops, cur, error);
      if (a->acts[i] == NULL)
        return FALSE;
      cur = a->acts[i];
    }
  return TRUE;
}

/* Adds dL/dw and dL/db of every layer, from g = dL/d(output) (consumed). */
static gboolean
decoder_backward (NsDecoderTrainer *tr, const NsTensor *t, const Activations *a, NsTensor *g_out, GError **error)
{
  g_autoptr (NsTensor) g = g_out;
  NsGradOps *grad = ns_gatys_objective_get_grad_ops (tr->objective);
  for (guint i = a->n; i-- > 0;)
    {
      const Layer *l = &tr->layers[i];
      const NsTensor *below = i > 0 ? a->acts[i - 1] : t;
      NsTensor *next = NULL;
      if (l->conv == NULL)
        next = ns_op_upsample2x_backward (tr->train, g, error);
      else
        {
          if ((l->spec.kind == NS_STEP_CONV_RELU && !ns_op_relu_backward (grad, g, a->acts[i], error))
              || !ns_op_conv3x3_weight_grad (tr->train, below, g, l->dw, error)
              || !ns_op_bias_grad (tr->train, g, l->db, error))
            return FALSE;
          if (i == 0)
            break;
          next = ns_op_conv3x3_backward (grad, g, l->transposed, error);
        }
      if (next == NULL)
        return FALSE;
      ns_tensor_free (g);
      g = next;
    }
  return TRUE;
}

/* ---- the losses ---- */

/* A style's targets: relu1_1 .. relu4_1's channel means and deviations. */
typedef struct {
  float *mean[N_STYLE_LAYERS], *sigma[N_STYLE_LAYERS];
} StyleStats;

static void
style_stats_clear (StyleStats *s)
{
  for (int k = 0; k < N_STYLE_LAYERS; k++)
    {
      g_clear_pointer (&s->mean[k], g_free);
      g_clear_pointer (&s->sigma[k], g_free);
    }
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StyleStats, style_stats_clear)

/* f's channel means and deviations on the host (and in tr->mean, tr->var). */
static gboolean
channel_stats (NsDecoderTrainer *tr, const NsTensor *f, float *mean, float *sigma, GError **error)
{
  const gsize C = f->channels;
  if (!ns_op_channel_mean_var (tr->ops, f, tr->mean, tr->var, error)
      || !ns_cl_buffer_read (tr->mean, 0, mean, C * sizeof (float), error)
      || !ns_cl_buffer_read (tr->var, 0, sigma, C * sizeof (float), error))
    return FALSE;
  for (gsize c = 0; c < C; c++)
    sigma[c] = sqrtf (sigma[c] + NS_ADAIN_EPS);
  return TRUE;
}

typedef struct {
  NsDecoderTrainer *tr;
  const StyleStats *style;
  const NsTensor *target;   /* t */
  double scale;             /* 1 / batch */
  gboolean want_grad;
  NsDecoderLosses losses;   /* this pair's */
} Terms;

/* The content and style terms at VGG step i (output f), for
 * ns_gatys_objective_backward(): their losses, and their gradients into *g. */
static gboolean
add_terms (NsGatysObjective *obj, guint i, const NsTensor *f, NsTensor **g, gpointer user_data, GError **error)
{
  Terms *t = user_data;
  NsDecoderTrainer *tr = t->tr;
  int k = ns_gatys_objective_style_index (obj, i);
  if (k < 0 || k >= N_STYLE_LAYERS)
    return TRUE;
  const int C = f->channels;
  const double M = (double) f->height * f->width;
  g_autofree float *mean = g_new (float, C), *sigma = g_new (float, C);
  g_autofree float *a = g_new (float, C), *b = g_new (float, C);
  if (!channel_stats (tr, f, mean, sigma, error))
    return FALSE;
  /* L = (1/C) sum (mu - mu_s)^2 + (sigma - sigma_s)^2; dmu/df = 1/M, dsigma/df = (f - mu) / (M sigma). */
  double loss = 0, w = t->scale * tr->params.style_weight;
  for (int c = 0; c < C; c++)
    {
      double dm = mean[c] - t->style->mean[k][c], ds = sigma[c] - t->style->sigma[k][c];
      loss += (dm * dm + ds * ds) / C;
      a[c] = (float) (w * 2 * dm / (C * M));
      b[c] = (float) (w * 2 * ds / (C * M * sigma[c]));
    }
  t->losses.style += loss;
  if (t->want_grad
      && (!ns_gatys_objective_ensure_grad (obj, g, f, error)
          || !ns_cl_buffer_write (tr->coef_a, 0, a, C * sizeof (float), error)
          || !ns_cl_buffer_write (tr->coef_b, 0, b, C * sizeof (float), error)
          || !ns_op_channel_affine_accumulate (tr->train, f, tr->mean, tr->coef_a, tr->coef_b, *g, error)))
    return FALSE;
  if (k == N_STYLE_LAYERS - 1)
    {
      /* Lc = mean (f - t)^2: dLc/df = 2 (f - t) / N. */
      double n = (double) ns_tensor_n_elements (f), ss = 0;
      if (!ns_gatys_objective_ensure_grad (obj, g, f, error)
          || !ns_op_content_grad (ns_gatys_objective_get_grad_ops (obj), f, t->target,
                                  t->want_grad ? (float) (t->scale * 2 / n) : 0.0f, *g, &ss, error))
        return FALSE;
      t->losses.content += ss / n;
    }
  return TRUE;
}

static gboolean
style_stats_compute (NsDecoderTrainer *tr, const NsTensor *style, StyleStats *out, GError **error)
{
  g_auto (NsGatysActivations) a = { 0 };
  if (!ns_gatys_objective_forward (tr->objective, style, &a, error))
    return FALSE;
  for (guint i = 0; i < a.n; i++)
    {
      int k = ns_gatys_objective_style_index (tr->objective, i);
      if (k < 0 || k >= N_STYLE_LAYERS)
        continue;
      out->mean[k] = g_new (float, a.acts[i]->channels);
      out->sigma[k] = g_new (float, a.acts[i]->channels);
      if (!channel_stats (tr, a.acts[i], out->mean[k], out->sigma[k], error))
        return FALSE;
      if (k == N_STYLE_LAYERS - 1
          && !ns_op_channel_mean_var (tr->ops, a.acts[i], tr->style_mean, tr->style_var, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_pair (const NsImage *content, const NsImage *style, GError **error)
{
  if (content->width != style->width || content->height != style->height || content->width % 8 != 0
      || content->height % 8 != 0 || content->width < 16 || content->height < 16)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("Training crops must be of one size, with sides that are multiples of 8 and at least 16 "
                     "pixels; these are %d × %d and %d × %d."),
                   content->width, content->height, style->width, style->height);
      return FALSE;
    }
  return TRUE;
}

/* One pair's losses (added into *losses, times scale) and, when want_grad,
 * its gradients, times scale, added to the layers'; the output g (t) into
 * *result when result is not NULL. */
static gboolean
pair_pass (NsDecoderTrainer *tr, const NsImage *content_image, const NsImage *style_image, double scale,
           gboolean want_grad, NsDecoderLosses *losses, NsImage **result, GError **error)
{
  if (!check_pair (content_image, style_image, error))
    return FALSE;
  g_autoptr (NsImage) content_rgb = ns_image_to_rgb (content_image);
  g_autoptr (NsImage) style_rgb = ns_image_to_rgb (style_image);
  g_autoptr (NsTensor) content = ns_tensor_new_from_image (tr->ctx, content_rgb, error);
  g_autoptr (NsTensor) style = content != NULL ? ns_tensor_new_from_image (tr->ctx, style_rgb, error) : NULL;
  g_auto (StyleStats) stats = { 0 };
  if (style == NULL || !style_stats_compute (tr, style, &stats, error))
    return FALSE;
  g_clear_pointer (&style, ns_tensor_free);

  /* t = AdaIN (f (c), f (s)). */
  g_autoptr (NsTensor) fc = NULL;
  {
    g_auto (NsGatysActivations) a = { 0 };
    if (!ns_gatys_objective_forward (tr->objective, content, &a, error))
      return FALSE;
    fc = g_steal_pointer (&a.acts[a.n - 1]);
  }
  g_autoptr (NsTensor) t = NULL;
  if (!ns_op_channel_mean_var (tr->ops, fc, tr->content_mean, tr->content_var, error)
      || (t = ns_op_adain_blend (tr->ops, fc, tr->content_mean, tr->content_var, tr->style_mean, tr->style_var, 1.0f,
                                 NS_ADAIN_EPS, error)) == NULL)
    return FALSE;

  /* g (t), through VGG, the terms, and back. */
  g_auto (Activations) dec = { 0 };
  if (!decoder_forward (tr, t, &dec, error))
    return FALSE;
  const NsTensor *out = dec.acts[dec.n - 1];
  Terms terms = { tr, &stats, t, scale, want_grad, { 0 } };
  g_auto (NsGatysActivations) a = { 0 };
  if (!ns_gatys_objective_forward (tr->objective, out, &a, error))
    return FALSE;
  g_autoptr (NsTensor) g_out = NULL;
  if (want_grad)
    {
      if ((g_out = ns_gatys_objective_backward (tr->objective, out, &a, add_terms, &terms, error)) == NULL)
        return FALSE;
    }
  else
    for (guint i = 0; i < a.n; i++)
      {
        g_autoptr (NsTensor) unused = NULL;
        if (!add_terms (tr->objective, i, a.acts[i], &unused, &terms, error))
          return FALSE;
      }
  ns_gatys_activations_clear (&a);
  const double n_out = (double) ns_tensor_n_elements (out);
  NsGradOps *grad = ns_gatys_objective_get_grad_ops (tr->objective);
  if (tr->params.tv_weight > 0)
    {
      double tv = 0;
      g_autoptr (NsTensor) scratch = NULL;
      NsTensor *into = g_out;
      if (into == NULL && !ns_gatys_objective_ensure_grad (tr->objective, &scratch, out, error))
        return FALSE;
      if (!ns_op_tv_grad (grad, out, want_grad ? (float) (scale * tr->params.tv_weight / n_out) : 0.0f,
                          into != NULL ? into : scratch, &tv, error))
        return FALSE;
      terms.losses.tv = tv / n_out;
    }
  if (result != NULL && (*result = ns_tensor_to_image (out, error)) == NULL)
    return FALSE;
  if (want_grad && !decoder_backward (tr, t, &dec, g_steal_pointer (&g_out), error))
    return FALSE;
  activations_clear (&dec);

  /* Alpha 0: the content's own features should decode to the photo. */
  if (tr->params.reconstruction_weight > 0)
    {
      g_auto (Activations) rec = { 0 };
      g_autoptr (NsTensor) g_rec = NULL;
      double ss = 0;
      if (!decoder_forward (tr, fc, &rec, error)
          || !ns_gatys_objective_ensure_grad (tr->objective, &g_rec, content, error)
          || !ns_op_content_grad (grad, rec.acts[rec.n - 1], content,
                                  want_grad ? (float) (scale * tr->params.reconstruction_weight * 2 / n_out) : 0.0f,
                                  g_rec, &ss, error))
        return FALSE;
      terms.losses.reconstruction = ss / n_out;
      if (want_grad && !decoder_backward (tr, fc, &rec, g_steal_pointer (&g_rec), error))
        return FALSE;
    }
  const NsDecoderTrainParams *p = &tr->params;
  terms.losses.total = terms.losses.content + p->style_weight * terms.losses.style
                       + p->reconstruction_weight * terms.losses.reconstruction + p->tv_weight * terms.losses.tv;
  losses->content += scale * terms.losses.content;
  losses->style += scale * terms.losses.style;
  losses->reconstruction += scale * terms.losses.reconstruction;
  losses->tv += scale * terms.losses.tv;
  losses->total += scale * terms.losses.total;
  return TRUE;
}

static gboolean
zero_gradients (NsDecoderTrainer *tr, GError **error)
{
  for (guint i = 0; i < tr->n_layers; i++)
    if (tr->layers[i].conv != NULL
        && (!ns_vec_zero (tr->vec, tr->layers[i].dw, weight_count (&tr->layers[i]), error)
            || !ns_vec_zero (tr->vec, tr->layers[i].db, tr->layers[i].spec.out_channels, error)))
      return FALSE;
  return TRUE;
}

/* Adam on every layer's weights and bias, then the gradients zeroed and the
 * convolutions remade from the new weights. */
static gboolean
adam_update (NsDecoderTrainer *tr, GError **error)
{
  tr->iteration++;
  double lr = tr->params.learning_rate / (1.0 + tr->params.lr_decay * (tr->iteration - 1));
  for (guint i = 0; i < tr->n_layers; i++)
    {
      Layer *l = &tr->layers[i];
      if (l->conv == NULL)
        continue;
      gsize nw = weight_count (l), nb = l->spec.out_channels;
      g_autofree float *w = NULL, *b = NULL;
      if (!ns_vec_adam (tr->vec, l->conv->weight, l->dw, l->mw, l->vw, lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS,
                        tr->iteration, nw, error)
          || !ns_vec_adam (tr->vec, l->conv->bias, l->db, l->mb, l->vb, lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS,
                           tr->iteration, nb, error)
          || !read_conv (l->conv, &w, &b, error) || !layer_set_weights (tr, l, w, b, error))
        return FALSE;
    }
  return zero_gradients (tr, error);
}

gboolean
ns_decoder_trainer_step (NsDecoderTrainer *tr, NsImage *const *contents, NsImage *const *styles, guint n,
                         NsDecoderLosses *losses, GError **error)
{
  g_return_val_if_fail (n > 0, FALSE);
  NsDecoderLosses sum = { 0 };
  for (guint i = 0; i < n; i++)
    if (!pair_pass (tr, contents[i], styles[i], 1.0 / n, TRUE, &sum, NULL, error))
      return FALSE;
  if (!adam_update (tr, error))
    return FALSE;
  if (losses != NULL)
    *losses = sum;
  return TRUE;
}

gboolean
ns_decoder_trainer_evaluate (NsDecoderTrainer *tr, const NsImage *content, const NsImage *style,
                             NsDecoderLosses *losses, NsImage **result, GError **error)
{
  NsDecoderLosses sum = { 0 };
  if (!pair_pass (tr, content, style, 1.0, FALSE, &sum, result, error))
    return FALSE;
  if (losses != NULL)
    *losses = sum;
  return TRUE;
}

/* ---- checks ---- */

static Layer *
find_layer (NsDecoderTrainer *tr, const char *name, GError **error)
{
  for (guint i = 0; i < tr->n_layers; i++)
    if (tr->layers[i].conv != NULL && strcmp (tr->layers[i].spec.name, name) == 0)
      return &tr->layers[i];
  g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT, _("The decoder has no layer “%s”."), name);
  return NULL;
}

gboolean
ns_decoder_trainer_get_layer (NsDecoderTrainer *tr, const char *layer, float **weight, float **bias, GError **error)
{
  Layer *l = find_layer (tr, layer, error);
  return l != NULL && read_conv (l->conv, weight, bias, error);
}

gboolean
ns_decoder_trainer_set_layer (NsDecoderTrainer *tr, const char *layer, const float *weight, const float *bias,
                              GError **error)
{
  Layer *l = find_layer (tr, layer, error);
  return l != NULL && layer_set_weights (tr, l, weight, bias, error);
}

gboolean
ns_decoder_trainer_gradient (NsDecoderTrainer *tr, NsImage *const *contents, NsImage *const *styles, guint n,
                             const char *layer, float **dweight, float **dbias, GError **error)
{
  Layer *l = find_layer (tr, layer, error);
  NsDecoderLosses unused = { 0 };
  if (l == NULL || !zero_gradients (tr, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!pair_pass (tr, contents[i], styles[i], 1.0 / n, TRUE, &unused, NULL, error))
      return FALSE;
  *dweight = g_new (float, weight_count (l));
  *dbias = g_new (float, l->spec.out_channels);
  return ns_cl_buffer_read (l->dw, 0, *dweight, weight_count (l) * sizeof (float), error)
      && ns_cl_buffer_read (l->db, 0, *dbias, l->spec.out_channels * sizeof (float), error)
      && zero_gradients (tr, error);
}

/* ---- saving ---- */

typedef struct {
  GPtrArray *names;    /* owned strings */
  GPtrArray *arrays;   /* owned float arrays */
  GArray *tensors;     /* NsSafetensorsTensor, pointing into the above and into shapes */
  gint64 *shapes;      /* 4 per tensor */
} TensorList;

static void
tensor_list_clear (TensorList *list)
{
  g_clear_pointer (&list->names, g_ptr_array_unref);
  g_clear_pointer (&list->arrays, g_ptr_array_unref);
  g_clear_pointer (&list->tensors, g_array_unref);
  g_clear_pointer (&list->shapes, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TensorList, tensor_list_clear)

static void
tensor_list_add (TensorList *list, char *name, float *data, const gint64 *shape, guint n_dims)
{
  guint k = list->tensors->len;
  memcpy (list->shapes + 4 * k, shape, n_dims * sizeof (gint64));
  g_ptr_array_add (list->names, name);
  g_ptr_array_add (list->arrays, data);
  NsSafetensorsTensor t = { name, list->shapes + 4 * k, n_dims, data };
  g_array_append_val (list->tensors, t);
}

/* The weights (and with moments, Adam's) of every layer, in the decoder's order. */
static gboolean
collect_tensors (NsDecoderTrainer *tr, gboolean moments, TensorList *list, GError **error)
{
  list->names = g_ptr_array_new_with_free_func (g_free);
  list->arrays = g_ptr_array_new_with_free_func (g_free);
  list->tensors = g_array_new (FALSE, FALSE, sizeof (NsSafetensorsTensor));
  list->shapes = g_new0 (gint64, 4 * (tr->n_layers * 6 + 1));
  for (guint i = 0; i < tr->n_layers; i++)
    {
      Layer *l = &tr->layers[i];
      if (l->conv == NULL)
        continue;
      const gint64 wshape[] = { l->spec.out_channels, l->spec.in_channels, 3, 3 }, bshape[] = { l->spec.out_channels };
      float *w = NULL, *b = NULL;
      gboolean ok = read_conv (l->conv, &w, &b, error);
      tensor_list_add (list, g_strconcat (l->spec.name, ".weight", NULL), w, wshape, 4);
      tensor_list_add (list, g_strconcat (l->spec.name, ".bias", NULL), b, bshape, 1);
      if (!ok)
        return FALSE;
      if (!moments)
        continue;
      struct { NsClBuffer *buffer; const char *suffix; gboolean is_weight; } m[] = {
        { l->mw, ".weight.adam_m", TRUE }, { l->vw, ".weight.adam_v", TRUE },
        { l->mb, ".bias.adam_m", FALSE }, { l->vb, ".bias.adam_v", FALSE },
      };
      for (gsize k = 0; k < G_N_ELEMENTS (m); k++)
        {
          gsize n = m[k].is_weight ? weight_count (l) : (gsize) l->spec.out_channels;
          float *host = g_new (float, n);
          tensor_list_add (list, g_strconcat (l->spec.name, m[k].suffix, NULL), host, m[k].is_weight ? wshape : bshape,
                           m[k].is_weight ? 4 : 1);
          if (!ns_cl_buffer_read (m[k].buffer, 0, host, n * sizeof (float), error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
save (NsDecoderTrainer *tr, const char *path, gboolean checkpoint, GError **error)
{
  g_auto (TensorList) list = { 0 };
  if (!collect_tensors (tr, checkpoint, &list, error))
    return FALSE;
  char buf[6][G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *iterations = g_strdup_printf ("%d", tr->iteration);
  const char *const metadata[] = {
    "model", "adain-decoder",
    "layout", "OIHW",
    "encoder", "vgg19-conv relu4_1",
    "output", "RGB, nominally [0,1]",
    "padding", "reflect 1",
    "upsample", "nearest x2",
    "trained_by", "neural-style train",
    checkpoint ? "iteration" : "iterations", iterations,
    "style_weight", g_ascii_formatd (buf[0], sizeof buf[0], "%g", tr->params.style_weight),
    "reconstruction_weight", g_ascii_formatd (buf[1], sizeof buf[1], "%g", tr->params.reconstruction_weight),
    "tv_weight", g_ascii_formatd (buf[2], sizeof buf[2], "%g", tr->params.tv_weight),
    "learning_rate", g_ascii_formatd (buf[3], sizeof buf[3], "%g", tr->params.learning_rate),
    "lr_decay", g_ascii_formatd (buf[4], sizeof buf[4], "%g", tr->params.lr_decay),
    NULL,
  };
  return ns_safetensors_write (path, (const NsSafetensorsTensor *) list.tensors->data, list.tensors->len,
                               checkpoint ? NS_DTYPE_F32 : NS_DTYPE_F16, metadata, error);
}

gboolean
ns_decoder_trainer_save_decoder (NsDecoderTrainer *tr, const char *path, GError **error)
{
  return save (tr, path, FALSE, error);
}

gboolean
ns_decoder_trainer_save_checkpoint (NsDecoderTrainer *tr, const char *path, GError **error)
{
  return save (tr, path, TRUE, error);
}
