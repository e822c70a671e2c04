/* The Gatys objective on device tensors: VGG-19 forward to relu5_1 keeping
 * every activation the backward pass needs, the content and style terms (see
 * ns-gatys.h), and the backward pass to the pixels. */
#pragma once

#include "ns-gatys.h"
#include "ns-network.h"
#include "ns-ops-backward.h"

G_BEGIN_DECLS

#define NS_GATYS_N_STYLE_LAYERS 5

typedef struct _NsGatysObjective NsGatysObjective;

/* `vgg` is VGG-19 through conv5_1; ops and vgg must outlive the objective. */
NsGatysObjective *ns_gatys_objective_new (NsOps *ops, NsNetwork *vgg, GError **error);
void ns_gatys_objective_free (NsGatysObjective *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsGatysObjective, ns_gatys_objective_free)

/* relu4_2 of an image (3 x H x W). */
NsTensor *ns_gatys_objective_content_target (NsGatysObjective *obj, const NsTensor *image, GError **error);
/* The Gram matrices of relu1_1 .. relu5_1 of an image, into new buffers. */
gboolean ns_gatys_objective_style_targets (NsGatysObjective *obj, const NsTensor *image,
                                           NsClBuffer *grams[NS_GATYS_N_STYLE_LAYERS], GError **error);

/* The losses at x and dL/dx into grad (3 x H x W floats, may be NULL).
 * content_target may be NULL (no content term). */
gboolean ns_gatys_objective_evaluate (NsGatysObjective *obj, const NsTensor *x, const NsTensor *content_target,
                                      NsClBuffer *const grams[NS_GATYS_N_STYLE_LAYERS],
                                      double content_weight, double style_weight, double tv_weight,
                                      NsClBuffer *grad, NsGatysLosses *losses, GError **error);

G_END_DECLS
