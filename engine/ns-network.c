#include "ns-network.h"

#include "ns-i18n.h"
#include "ns-safetensors.h"
#include <string.h>

typedef struct {
  NsStepSpec spec;
  NsConv3x3 *conv;      /* owned; NULL for pooling and upsampling */
} NsStep;

struct _NsNetwork {
  GArray *steps;        /* NsStep */
};

static const NsStepSpec vgg19_steps[] = {
  { NS_STEP_CONV_RELU, "conv1_1", 3, 64 },    { NS_STEP_CONV_RELU, "conv1_2", 64, 64 },
  { NS_STEP_MAXPOOL, NULL, 64, 64 },
  { NS_STEP_CONV_RELU, "conv2_1", 64, 128 },  { NS_STEP_CONV_RELU, "conv2_2", 128, 128 },
  { NS_STEP_MAXPOOL, NULL, 128, 128 },
  { NS_STEP_CONV_RELU, "conv3_1", 128, 256 }, { NS_STEP_CONV_RELU, "conv3_2", 256, 256 },
  { NS_STEP_CONV_RELU, "conv3_3", 256, 256 }, { NS_STEP_CONV_RELU, "conv3_4", 256, 256 },
  { NS_STEP_MAXPOOL, NULL, 256, 256 },
  { NS_STEP_CONV_RELU, "conv4_1", 256, 512 }, { NS_STEP_CONV_RELU, "conv4_2", 512, 512 },
  { NS_STEP_CONV_RELU, "conv4_3", 512, 512 }, { NS_STEP_CONV_RELU, "conv4_4", 512, 512 },
  { NS_STEP_MAXPOOL, NULL, 512, 512 },
  { NS_STEP_CONV_RELU, "conv5_1", 512, 512 },
};

static const NsStepSpec adain_decoder_steps[] = {
  { NS_STEP_CONV_RELU, "dec4_1", 512, 256 },
  { NS_STEP_UPSAMPLE, NULL, 256, 256 },
  { NS_STEP_CONV_RELU, "dec3_4", 256, 256 }, { NS_STEP_CONV_RELU, "dec3_3", 256, 256 },
  { NS_STEP_CONV_RELU, "dec3_2", 256, 256 }, { NS_STEP_CONV_RELU, "dec3_1", 256, 128 },
  { NS_STEP_UPSAMPLE, NULL, 128, 128 },
  { NS_STEP_CONV_RELU, "dec2_2", 128, 128 }, { NS_STEP_CONV_RELU, "dec2_1", 128, 64 },
  { NS_STEP_UPSAMPLE, NULL, 64, 64 },
  { NS_STEP_CONV_RELU, "dec1_2", 64, 64 },   { NS_STEP_CONV, "dec1_1", 64, 3 },
};

static void
clear_step (NsStep *step)
{
  g_clear_pointer (&step->conv, ns_conv3x3_free);
}

void
ns_network_free (NsNetwork *net)
{
  if (net == NULL)
    return;
  g_array_unref (net->steps);
  g_free (net);
}

static NsConv3x3 *
load_conv (NsClContext *ctx, NsSafetensors *file, const NsStepSpec *spec, GError **error)
{
  g_autofree char *weight_name = g_strconcat (spec->name, ".weight", NULL);
  g_autofree char *bias_name = g_strconcat (spec->name, ".bias", NULL);
  const gint64 weight_shape[] = { spec->out_channels, spec->in_channels, 3, 3 };
  const gint64 bias_shape[] = { spec->out_channels };
  g_autofree float *weight = ns_safetensors_read_f32 (file, weight_name, weight_shape, 4, error);
  if (weight == NULL)
    return NULL;
  g_autofree float *bias = ns_safetensors_read_f32 (file, bias_name, bias_shape, 1, error);
  if (bias == NULL)
    return NULL;
  return ns_conv3x3_new (ctx, spec->in_channels, spec->out_channels, weight, bias, error);
}

static NsNetwork *
network_new (void)
{
  NsNetwork *net = g_new0 (NsNetwork, 1);
  net->steps = g_array_new (FALSE, TRUE, sizeof (NsStep));
  g_array_set_clear_func (net->steps, (GDestroyNotify) clear_step);
  return net;
}

/* Appends specs[from .. n_specs) to the network, their weights read from
 * `path`; the network is unchanged on failure. */
static gboolean
network_append (NsNetwork *net, NsClContext *ctx, const char *path, const NsStepSpec *specs, gsize from,
                gsize n_specs, GError **error)
{
  g_autoptr (NsSafetensors) file = ns_safetensors_open (path, error);
  if (file == NULL)
    return FALSE;
  guint had = net->steps->len;
  for (gsize i = from; i < n_specs; i++)
    {
      NsStep step = { specs[i], NULL };
      if ((specs[i].kind == NS_STEP_CONV_RELU || specs[i].kind == NS_STEP_CONV)
          && (step.conv = load_conv (ctx, file, &specs[i], error)) == NULL)
        {
          g_array_set_size (net->steps, had);
          return FALSE;
        }
      g_array_append_val (net->steps, step);
    }
  return TRUE;
}

static NsNetwork *
network_load (NsClContext *ctx, const char *path, const NsStepSpec *specs, gsize n_specs, GError **error)
{
  g_autoptr (NsNetwork) net = network_new ();
  return network_append (net, ctx, path, specs, 0, n_specs, error) ? g_steal_pointer (&net) : NULL;
}

/* The number of VGG-19 steps through `last_layer`. */
static gsize
vgg19_steps_through (const char *last_layer)
{
  for (gsize n = 0; n < G_N_ELEMENTS (vgg19_steps); n++)
    if (vgg19_steps[n].name != NULL && strcmp (vgg19_steps[n].name, last_layer) == 0)
      return n + 1;
  g_return_val_if_reached (0);
}

NsNetwork *
ns_network_new_vgg19 (NsClContext *ctx, const char *path, const char *last_layer, GError **error)
{
  return network_load (ctx, path, vgg19_steps, vgg19_steps_through (last_layer), error);
}

gboolean
ns_network_extend_vgg19 (NsNetwork *net, NsClContext *ctx, const char *path, const char *last_layer, GError **error)
{
  gsize n = vgg19_steps_through (last_layer);
  return net->steps->len >= n || network_append (net, ctx, path, vgg19_steps, net->steps->len, n, error);
}

NsNetwork *
ns_network_new_adain_decoder (NsClContext *ctx, const char *path, GError **error)
{
  return network_load (ctx, path, adain_decoder_steps, G_N_ELEMENTS (adain_decoder_steps), error);
}

int
ns_network_min_input_size (const NsNetwork *net)
{
  int factor = 1;   /* how much the input shrinks before each step */
  int needed = 2;
  for (guint i = 0; i < net->steps->len; i++)
    {
      const NsStep *step = &g_array_index (net->steps, NsStep, i);
      if (step->spec.kind == NS_STEP_MAXPOOL)
        factor *= 2;
      else if (step->spec.kind == NS_STEP_UPSAMPLE)
        factor = MAX (1, factor / 2);
      needed = MAX (needed, 2 * factor);
    }
  return needed;
}

guint
ns_network_n_steps (const NsNetwork *net)
{
  return net->steps->len;
}

const NsStepSpec *
ns_network_step_spec (const NsNetwork *net, guint i)
{
  g_return_val_if_fail (i < net->steps->len, NULL);
  return &g_array_index (net->steps, NsStep, i).spec;
}

const NsConv3x3 *
ns_network_step_conv (const NsNetwork *net, guint i)
{
  g_return_val_if_fail (i < net->steps->len, NULL);
  return g_array_index (net->steps, NsStep, i).conv;
}

guint
ns_network_steps_through (const NsNetwork *net, const char *layer)
{
  for (guint i = 0; i < net->steps->len; i++)
    if (g_strcmp0 (g_array_index (net->steps, NsStep, i).spec.name, layer) == 0)
      return i + 1;
  return 0;
}

gboolean
ns_network_prepare (NsNetwork *net, NsOps *ops, GError **error)
{
  return ns_network_prepare_steps (net, ops, net->steps->len, error);
}

gboolean
ns_network_prepare_steps (NsNetwork *net, NsOps *ops, guint n_steps, GError **error)
{
  for (guint i = 0; i < MIN (n_steps, net->steps->len); i++)
    {
      const NsConv3x3 *conv = g_array_index (net->steps, NsStep, i).conv;
      if (conv != NULL && !ns_ops_prepare_conv (ops, conv, error))
        return FALSE;
    }
  return TRUE;
}

NsTensor *
ns_network_run (NsNetwork *net, NsOps *ops, const NsTensor *input, GCancellable *cancellable, GError **error)
{
  return ns_network_run_steps (net, ops, input, net->steps->len, cancellable, error);
}

NsTensor *
ns_network_run_steps (NsNetwork *net, NsOps *ops, const NsTensor *input, guint n_steps, GCancellable *cancellable,
                      GError **error)
{
  const NsTensor *x = input;
  g_autoptr (NsTensor) owned = NULL;   /* the current activation, unless it is the input */
  for (guint i = 0; i < MIN (n_steps, net->steps->len); i++)
    {
      /* Kernels are queued ahead of the device: with a cancellable, wait for
       * each step, so that Cancel takes effect within one layer rather than
       * after everything already queued. */
      if (cancellable != NULL && i > 0 && !ns_cl_context_finish (ns_ops_get_context (ops), error))
        return NULL;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      const NsStep *step = &g_array_index (net->steps, NsStep, i);
      NsTensor *next = NULL;
      switch (step->spec.kind)
        {
        case NS_STEP_CONV_RELU:
        case NS_STEP_CONV:
          next = ns_op_conv3x3 (ops, x, step->conv, step->spec.kind == NS_STEP_CONV_RELU, error);
          break;
        case NS_STEP_MAXPOOL:
          next = ns_op_maxpool2x2 (ops, x, error);
          break;
        case NS_STEP_UPSAMPLE:
          next = ns_op_upsample2x (ops, x, error);
          break;
        }
      if (next == NULL)
        return NULL;
      g_clear_pointer (&owned, ns_tensor_free);
      x = owned = next;
    }
  if (owned == NULL)   /* no steps: hand back a copy so ownership stays simple */
    g_return_val_if_reached (NULL);
  return g_steal_pointer (&owned);
}
