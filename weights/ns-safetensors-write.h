/* Writing safetensors files (weights/FORMAT.md): what the trainer saves, a
 * decoder in the shipped layout or a checkpoint.  The file is built in
 * memory and written through a temporary file and a rename, so a failed
 * write never leaves a half-written file behind. */
#pragma once

#include "ns-safetensors.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;
  const gint64 *shape;
  guint n_dims;
  const float *data;   /* product (shape) float32 values, row-major */
} NsSafetensorsTensor;

/* Writes the tensors, in this order and contiguously, as dtype (F16: rounded
 * to nearest, ties to even), with `metadata` (NULL, or key, value, ...,
 * NULL) as __metadata__.  Fails (NS_SAFETENSORS_ERROR_NONFINITE) on a value
 * that is not finite or does not fit the dtype, and on an I/O error. */
gboolean ns_safetensors_write (const char *path, const NsSafetensorsTensor *tensors, gsize n_tensors, NsDtype dtype,
                               const char *const *metadata, GError **error);

/* IEEE 754 binary32 -> binary16, rounded to nearest, ties to even (inf past
 * the largest half, 65504). */
guint16 ns_float_to_half (float f);

G_END_DECLS
