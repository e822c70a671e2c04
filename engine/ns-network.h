/* Feed-forward networks as a list of steps (3x3 convolution with or without
 * ReLU, 2x2 max-pool, 2x nearest upsampling), loaded from a safetensors file:
 * the VGG-19 encoder and the AdaIN decoder.  Running one frees each
 * activation as soon as the next exists. */
#pragma once

#include "ns-ops.h"
#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  NS_STEP_CONV_RELU,
  NS_STEP_CONV,
  NS_STEP_MAXPOOL,
  NS_STEP_UPSAMPLE,
} NsStepKind;

typedef struct {
  NsStepKind kind;
  const char *name;     /* "conv4_1": tensors are <name>.weight and <name>.bias */
  int in_channels;
  int out_channels;
} NsStepSpec;

typedef struct _NsNetwork NsNetwork;

/* VGG-19 from conv1_1 through the convolution `last_layer` (e.g. "conv4_1",
 * "conv5_1"), each followed by its ReLU, with the max-pools between stages. */
NsNetwork *ns_network_new_vgg19 (NsClContext *ctx, const char *path, const char *last_layer, GError **error);
/* A VGG-19 of ns_network_new_vgg19() made to reach `last_layer`, its
 * layers read from the file once: those it has stay as they are. */
gboolean ns_network_extend_vgg19 (NsNetwork *net, NsClContext *ctx, const char *path, const char *last_layer,
                                  GError **error);
/* The AdaIN decoder: relu4_1 features (512 channels) to RGB. */
NsNetwork *ns_network_new_adain_decoder (NsClContext *ctx, const char *path, GError **error);
void ns_network_free (NsNetwork *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsNetwork, ns_network_free)

/* The smallest input side the network accepts: each convolution needs 2 pixels. */
int ns_network_min_input_size (const NsNetwork *net);

/* The steps, in order, for callers that walk the network themselves (the
 * Gatys backward pass): the i-th step's kind, name and channels, and its
 * convolution (NULL for pooling and upsampling). */
guint ns_network_n_steps (const NsNetwork *net);
const NsStepSpec *ns_network_step_spec (const NsNetwork *net, guint i);
const NsConv3x3 *ns_network_step_conv (const NsNetwork *net, guint i);

/* ns_ops_prepare_conv() for every convolution: called once the network and
 * the operations exist, so that their memory is in use before any run. */
gboolean ns_network_prepare (NsNetwork *net, NsOps *ops, GError **error);
/* The number of steps up to and including the convolution `layer`
 * ("conv4_1"); 0 when the network does not reach it. */
guint ns_network_steps_through (const NsNetwork *net, const char *layer);
/* ns_network_prepare() and ns_network_run() for the first n_steps steps only
 * (VGG-19 loaded once serves AdaIN's encoder to relu4_1 and Gatys to relu5_1). */
gboolean ns_network_prepare_steps (NsNetwork *net, NsOps *ops, guint n_steps, GError **error);

/* Runs every step on a copy of the input's values; the input stays valid.
 * Checks `cancellable` between steps. */
NsTensor *ns_network_run (NsNetwork *net, NsOps *ops, const NsTensor *input,
                          GCancellable *cancellable, GError **error);
NsTensor *ns_network_run_steps (NsNetwork *net, NsOps *ops, const NsTensor *input, guint n_steps,
                                GCancellable *cancellable, GError **error);

G_END_DECLS
