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

/* One style term's targets: per layer the Gram matrix to match and a
 * constant added to its sum of squares (a blend's spread about its mean,
 * which makes the reported loss the blend's exactly). */
typedef struct {
  NsClBuffer *const *grams;   /* NS_GATYS_N_STYLE_LAYERS */
  const double *offsets;      /* NS_GATYS_N_STYLE_LAYERS, or NULL: none */
} NsGatysTarget;

/* Spatial control: a mask (grey, one channel, [0, 1]) at each style layer's
 * resolution, average-pooled alongside the network's max-pools, with its
 * area (sum m) and that of 1 - m at each. */
typedef struct _NsGatysMask NsGatysMask;

NsGatysMask *ns_gatys_mask_new (NsGatysObjective *obj, const NsImage *mask, GError **error);
void ns_gatys_mask_free (NsGatysMask *mask);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsGatysMask, ns_gatys_mask_free)

/* The losses at x and dL/dx into grad (3 x H x W floats, may be NULL).
 * content_target may be NULL (no content term).  Without a mask `inside` is
 * the style term; with one (x's size) each layer has two terms, `inside`
 * against the Gram matrix of F m and `outside` against that of F (1 - m),
 * each over its area and weighted by its share of the positions (see
 * ns_op_masked_gram_term()), so a mask of ones is the unmasked objective. */
gboolean ns_gatys_objective_evaluate_targets (NsGatysObjective *obj, const NsTensor *x,
                                              const NsTensor *content_target, const NsGatysTarget *inside,
                                              const NsGatysTarget *outside, const NsGatysMask *mask,
                                              double content_weight, double style_weight, double tv_weight,
                                              NsClBuffer *grad, NsGatysLosses *losses, GError **error);

/* The losses at x and dL/dx into grad (3 x H x W floats, may be NULL).
 * content_target may be NULL (no content term). */
gboolean ns_gatys_objective_evaluate (NsGatysObjective *obj, const NsTensor *x, const NsTensor *content_target,
                                      NsClBuffer *const grams[NS_GATYS_N_STYLE_LAYERS],
                                      double content_weight, double style_weight, double tv_weight,
                                      NsClBuffer *grad, NsGatysLosses *losses, GError **error);

G_END_DECLS
