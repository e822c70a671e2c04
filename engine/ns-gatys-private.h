/* Between ns-gatys.c and ns-gatys-transfer.c: a run against any targets. */
#pragma once

#include "ns-gatys-objective.h"
#include "ns-vec.h"

G_BEGIN_DECLS

typedef struct {
  const NsGatysStyle *inside;    /* the style, or the style where the mask is 1 */
  const NsGatysStyle *outside;   /* with a mask: the style where it is 0 */
  const NsImage *mask;           /* NULL, or the content's size, first channel in [0, 1] */
} NsGatysTargets;

/* The size limits of an image in the role ("content", "style"), as a GError. */
gboolean ns_gatys_check_image (const NsImage *image, const char *role, GError **error);

/* ns_gatys_run() with spatial control: the mask follows each scale. */
NsImage *ns_gatys_run_targets (NsGatys *gatys, const NsImage *content, const NsGatysTargets *targets,
                               const NsGatysOptions *options, NsGatysProgress progress, gpointer user_data,
                               GCancellable *cancellable, GError **error);

/* One evaluation of the objective and its gradient as the optimiser makes
 * it, x on the device and the content's target made once (here x is the
 * content): what the benchmark times as a Gatys iteration, and PyTorch's
 * baseline as a step.  run waits for the device. */
typedef struct _NsGatysStep NsGatysStep;
NsGatysStep *ns_gatys_step_new (NsGatys *gatys, const NsImage *content, const NsGatysStyle *style,
                                double content_weight, double style_weight, double tv_weight, GError **error);
gboolean ns_gatys_step_run (NsGatysStep *step, NsGatysLosses *losses, GError **error);
void ns_gatys_step_free (NsGatysStep *step);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsGatysStep, ns_gatys_step_free)

/* For the tests of the tiled objective. */
NsGatysObjective *ns_gatys_get_objective (NsGatys *gatys);
NsVecOps *ns_gatys_get_vec_ops (NsGatys *gatys);
void ns_gatys_style_get_target (const NsGatysStyle *style, NsGatysTarget *target);

G_END_DECLS
