/* Training the AdaIN decoder (Huang & Belongie 2017, section 6) on the
 * engine's own operations: no other framework.
 *
 * For a content image c and a style image s (crops of one size, a multiple
 * of 8), with f VGG-19 to relu4_1 (fixed) and phi_l its relu1_1 .. relu4_1:
 *   t  = AdaIN (f (c), f (s))                     the target, alpha 1
 *   Lc = mean over elements of (f (g (t)) - t)^2
 *   Ls = sum over l of mean over channels of (mu (phi_l (g (t))) - mu (phi_l (s)))^2
 *                                          + (sigma (phi_l (g (t))) - sigma (phi_l (s)))^2
 *   L  = Lc + style_weight Ls
 *        + reconstruction_weight mean over pixels of (g (f (c)) - c)^2   (alpha 0: the photo back)
 *        + tv_weight (total variation of g (t)) / its number of values
 * with mu and sigma = sqrt (population variance + 1e-5) per channel, the
 * squared errors averaged as the reference implementation (naoto0804's
 * pytorch-AdaIN) does.  A batch is the mean of its pairs' losses; Adam
 * (betas 0.9, 0.999, eps 1e-8) steps with the learning rate
 * lr / (1 + lr_decay * iteration). */
#pragma once

#include "ns-image.h"
#include "ns-runtime.h"
#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double learning_rate;          /* 1e-4 */
  double lr_decay;               /* 5e-5 */
  double style_weight;           /* lambda: 10 */
  double reconstruction_weight;  /* 0: off */
  double tv_weight;              /* 0: off */
} NsDecoderTrainParams;

void ns_decoder_train_params_init (NsDecoderTrainParams *params);

typedef struct {
  double content, style, reconstruction, tv, total;   /* means over the batch, unweighted but total */
} NsDecoderLosses;

typedef struct _NsDecoderTrainer NsDecoderTrainer;

/* Training on `runtime` (opened if need be; it must outlive the trainer),
 * with VGG-19 to relu4_1 (the loss network, read from the weights) and the
 * decoder to start from: a decoder in the engine's layout (Adam starts
 * afresh) or a checkpoint written by ns_decoder_trainer_save_checkpoint()
 * (Adam's moments and the iteration resume); NULL: the installed decoder. */
NsDecoderTrainer *ns_decoder_trainer_new (NsRuntime *runtime, const char *start_path,
                                          const NsDecoderTrainParams *params, GError **error);
/* The decoder it started from. */
const char *ns_decoder_trainer_get_start_path (NsDecoderTrainer *trainer);
void ns_decoder_trainer_free (NsDecoderTrainer *trainer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsDecoderTrainer, ns_decoder_trainer_free)

/* The OpenCL device's name. */
const char *ns_decoder_trainer_get_device_name (NsDecoderTrainer *trainer);
/* Iterations done so far (a resumed checkpoint's included). */
int ns_decoder_trainer_get_iteration (NsDecoderTrainer *trainer);

/* One iteration: the losses of n pairs (contents[i] with styles[i], RGB,
 * each pair one size, sides multiples of 8 of at least 16) and one Adam
 * step on their mean; the losses before the step into *losses. */
gboolean ns_decoder_trainer_step (NsDecoderTrainer *trainer, NsImage *const *contents, NsImage *const *styles,
                                  guint n, NsDecoderLosses *losses, GError **error);
/* The losses of one pair without a step (held-out pairs), and, when result
 * is not NULL, the decoder's output g (t) (unclamped). */
gboolean ns_decoder_trainer_evaluate (NsDecoderTrainer *trainer, const NsImage *content, const NsImage *style,
                                      NsDecoderLosses *losses, NsImage **result, GError **error);

/* For checks: one convolution's parameters ("dec1_2": OIHW weights and
 * bias, newly allocated), replaced, or the gradient of the mean loss of n
 * pairs with respect to them (no step).  An unknown layer is an error. */
gboolean ns_decoder_trainer_get_layer (NsDecoderTrainer *trainer, const char *layer, float **weight, float **bias,
                                       GError **error);
gboolean ns_decoder_trainer_set_layer (NsDecoderTrainer *trainer, const char *layer, const float *weight,
                                       const float *bias, GError **error);
gboolean ns_decoder_trainer_gradient (NsDecoderTrainer *trainer, NsImage *const *contents, NsImage *const *styles,
                                      guint n, const char *layer, float **dweight, float **dbias, GError **error);

/* The decoder in the engine's layout (F16, the shipped decoder's tensors),
 * with the training's settings as metadata: what NEURAL_STYLE_WEIGHTS reads. */
gboolean ns_decoder_trainer_save_decoder (NsDecoderTrainer *trainer, const char *path, GError **error);
/* Everything to resume: F32 weights, Adam's moments, the iteration. */
gboolean ns_decoder_trainer_save_checkpoint (NsDecoderTrainer *trainer, const char *path, GError **error);

G_END_DECLS
