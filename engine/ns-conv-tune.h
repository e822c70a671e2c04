/* The tuned convolution (NS_CONV_TUNED, auto's choice on GPUs): which of the
 * engine's ways to run a 3x3 convolution is fastest depends on the device,
 * its driver and the layer's shape, and no one table fits every GPU.  So the
 * first time a shape is met, each way runs on the device (one untimed run,
 * then the best of two timed ones) and the fastest is kept, as cuDNN's
 * benchmark mode does.  The choices are written to a small text file beside
 * the program cache, named like the program's binary (same device, driver,
 * kernels), so a later process measures nothing it has measured before.
 *
 * Shapes are keyed by channels in and out and the pixel count in half
 * octaves, so images of nearby sizes share a measurement; layers of more than
 * 2^17 pixels are measured on their first rows (a GPU is full long before
 * that, and a small one would otherwise spend minutes on its first image)
 * and share one choice. */
#pragma once

#include "ns-conv.h"

G_BEGIN_DECLS

typedef struct _NsConvTuner NsConvTuner;

/* Reads `path` when it exists (unreadable lines are ignored); choices made
 * later are saved there (best effort: a file that cannot be written costs
 * the next process a measurement).  path NULL: nothing is read or saved. */
NsConvTuner *ns_conv_tuner_new (const char *path);
void ns_conv_tuner_free (NsConvTuner *tuner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsConvTuner, ns_conv_tuner_free)

/* exact: the choices made without Winograd, for operations that feed
 * gradients (ns_ops_set_for_gradients()), kept apart from the others. */
gboolean ns_conv_tuner_lookup (NsConvTuner *tuner, int C, int O, int H, int W, gboolean exact, NsConvChoice *choice);

/* What to measure a layer on: `in`, or its first rows (a device-side copy,
 * into *owned) when it is larger than the measured size. */
const NsTensor *ns_conv_tuner_measured_input (const NsTensor *in, NsTensor **owned, GError **error);

/* Keeps, and saves, `choice` as the fastest way for this shape, as measured
 * (the dispatcher runs each way: ns-ops.c). */
void ns_conv_tuner_record (NsConvTuner *tuner, int C, int O, int H, int W, gboolean exact, NsConvChoice choice);

G_END_DECLS
