/* The Gatys objective on device tensors: VGG-19 forward to relu5_1 keeping
 * every activation the backward pass needs, the content and style terms (see
 * ns-gatys.h), and the backward pass to the pixels. */
#pragma once

#include "ns-gatys.h"
#include "ns-network.h"
#include "ns-ops-backward.h"

G_BEGIN_DECLS

#define NS_GATYS_N_STYLE_LAYERS 5
/* Each style layer's share of the style loss. */
#define NS_GATYS_STYLE_LAYER_WEIGHT (1.0 / NS_GATYS_N_STYLE_LAYERS)
/* Below this many positions a region has no Gram matrix worth the name (and
 * its term, weighted by its share, would be nothing anyway). */
#define NS_GATYS_MIN_REGION_AREA 1e-6

typedef struct _NsGatysObjective NsGatysObjective;

/* `vgg` is VGG-19 through conv5_1; ops and vgg must outlive the objective. */
NsGatysObjective *ns_gatys_objective_new (NsOps *ops, NsNetwork *vgg, GError **error);
void ns_gatys_objective_free (NsGatysObjective *obj);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsGatysObjective, ns_gatys_objective_free)

/* While set (not NULL), every forward and backward pass waits for each
 * layer's kernels and then checks `cancellable`, failing with
 * G_IO_ERROR_CANCELLED: a cancel takes effect within one layer's work rather
 * than after everything queued.  The caller sets it for one run and sets
 * NULL after (not owned). */
void ns_gatys_objective_set_cancellable (NsGatysObjective *obj, GCancellable *cancellable);

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

/* The same pyramid in host memory: levels[k] holds widths[k] x heights[k] floats. */
typedef struct {
  float *levels[NS_GATYS_N_STYLE_LAYERS];
  int widths[NS_GATYS_N_STYLE_LAYERS], heights[NS_GATYS_N_STYLE_LAYERS];
} NsGatysMaskLevels;

void ns_gatys_mask_levels_init (NsGatysObjective *obj, const NsImage *mask, NsGatysMaskLevels *levels);
void ns_gatys_mask_levels_clear (NsGatysMaskLevels *levels);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NsGatysMaskLevels, ns_gatys_mask_levels_clear)
/* sum m and sum (1 - m) over level k. */
void ns_gatys_mask_levels_areas (const NsGatysMaskLevels *levels, int k, double *area, double *area_outside);
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

/* The pieces of an evaluation, for the tiled one (ns-gatys-tiled.c). */

/* Every step's output of a forward pass, kept for the backward one. */
typedef struct {
  NsTensor **acts;
  guint n;
} NsGatysActivations;

void ns_gatys_activations_clear (NsGatysActivations *a);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NsGatysActivations, ns_gatys_activations_clear)

gboolean ns_gatys_objective_forward (NsGatysObjective *obj, const NsTensor *x, NsGatysActivations *a,
                                     GError **error);
/* Which style layer network step i is (0 .. NS_GATYS_N_STYLE_LAYERS - 1), or -1. */
int ns_gatys_objective_style_index (NsGatysObjective *obj, guint i);
gboolean ns_gatys_objective_is_content_step (NsGatysObjective *obj, guint i);
/* Makes *g a zeroed tensor shaped like t when it is NULL. */
gboolean ns_gatys_objective_ensure_grad (NsGatysObjective *obj, NsTensor **g, const NsTensor *t, GError **error);
NsGradOps *ns_gatys_objective_get_grad_ops (NsGatysObjective *obj);
NsOps *ns_gatys_objective_get_ops (NsGatysObjective *obj);
NsNetwork *ns_gatys_objective_get_network (NsGatysObjective *obj);

/* Adds the loss terms of step i (output f) to *g, dL/df, creating it when
 * NULL (leave it NULL when there are none yet). */
typedef gboolean (*NsGatysLayerTerm) (NsGatysObjective *obj, guint i, const NsTensor *f, NsTensor **g,
                                      gpointer user_data, GError **error);
/* The backward pass from the top step down: at each step the terms, then
 * the step's own backward; returns dL/dx (zero when no step had a term). */
NsTensor *ns_gatys_objective_backward (NsGatysObjective *obj, const NsTensor *x, const NsGatysActivations *a,
                                       NsGatysLayerTerm term, gpointer user_data, GError **error);

G_END_DECLS
