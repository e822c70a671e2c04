/* What AdaIN, Gatys and the metrics take from the runtime they share; not
 * installed, not API. */
#pragma once

#include "ns-network.h"
#include "ns-runtime.h"

G_BEGIN_DECLS

/* The open runtime's parts (ns_runtime_open() first). */
NsClContext *ns_runtime_get_context (NsRuntime *runtime);
/* The operations of forward passes (AdaIN, the metrics). */
NsOps *ns_runtime_get_ops (NsRuntime *runtime);
/* The operations of passes that feed gradients (Gatys: no Winograd in the
 * forward pass, see ns_ops_set_for_gradients()), on the same programs; made
 * on first use. */
NsOps *ns_runtime_get_gradient_ops (NsRuntime *runtime, GError **error);
/* VGG-19 through `last_layer` at least ("conv4_1": AdaIN's encoder;
 * "conv5_1": Gatys, the metrics), loaded on first use and extended when a
 * method needs more of it, each layer read once; each method runs as much
 * of it as it needs. */
NsNetwork *ns_runtime_get_vgg (NsRuntime *runtime, const char *last_layer, GError **error);
/* The AdaIN decoder, loaded (and prepared) on first use. */
NsNetwork *ns_runtime_get_decoder (NsRuntime *runtime, GError **error);
/* The option of the Gram products (NsRuntimeOptions.gram). */
const char *ns_runtime_get_gram_option (NsRuntime *runtime);

/* The one tiling policy: 0 (no tiles) when `untiled` bytes more than the
 * runtime holds fit the budget; else the tile tile_for() gives for what the
 * budget leaves (0: none fits); -1 and an error when not even the smallest
 * tile fits. */
typedef int (*NsTileForMemory) (gsize available, gpointer user_data);
int ns_runtime_choose_tile (NsRuntime *runtime, gsize budget, gsize untiled, NsTileForMemory tile_for,
                            gpointer user_data, GError **error);

G_END_DECLS
