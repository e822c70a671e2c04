/* A strict reader for safetensors files (see weights/FORMAT.md).
 *
 * Opening validates the container: header length, JSON, dtypes (F16/F32 only),
 * shapes against byte sizes, offsets inside the data and not overlapping.
 * Reading a tensor checks its shape against what the caller expects, converts
 * it to float32 and rejects non-finite values.  Every failure is a GError in
 * NS_SAFETENSORS_ERROR naming the file, the tensor where there is one, and what
 * is wrong. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_SAFETENSORS_ERROR (ns_safetensors_error_quark ())
GQuark ns_safetensors_error_quark (void);

typedef enum {
  NS_SAFETENSORS_ERROR_IO,          /* cannot open or read the file */
  NS_SAFETENSORS_ERROR_TRUNCATED,   /* header length past the end of the file, or file too short */
  NS_SAFETENSORS_ERROR_HEADER,      /* header is not valid JSON of the expected form */
  NS_SAFETENSORS_ERROR_DTYPE,       /* a dtype other than F16/F32 */
  NS_SAFETENSORS_ERROR_OFFSETS,     /* offsets outside the data, or reversed */
  NS_SAFETENSORS_ERROR_OVERLAP,     /* two tensors share bytes */
  NS_SAFETENSORS_ERROR_SIZE,        /* shape's byte size disagrees with the offsets */
  NS_SAFETENSORS_ERROR_MISSING,     /* a tensor the caller asked for is absent */
  NS_SAFETENSORS_ERROR_SHAPE,       /* a tensor has another shape than expected */
  NS_SAFETENSORS_ERROR_NONFINITE,   /* a value is NaN or infinite */
} NsSafetensorsError;

typedef enum {
  NS_DTYPE_F16,
  NS_DTYPE_F32,
} NsDtype;

#define NS_SAFETENSORS_MAX_DIMS 8

typedef struct _NsSafetensors NsSafetensors;

/* Reads and validates the whole file (it is kept in memory). */
NsSafetensors *ns_safetensors_open (const char *path, GError **error);
/* Same, from bytes already in memory; display_name is used in messages. */
NsSafetensors *ns_safetensors_new_from_bytes (GBytes *bytes, const char *display_name, GError **error);
void ns_safetensors_free (NsSafetensors *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsSafetensors, ns_safetensors_free)

/* The display name given at open (the path, in display form, for ns_safetensors_open). */
const char *ns_safetensors_get_name (const NsSafetensors *self);
guint ns_safetensors_get_n_tensors (const NsSafetensors *self);
gboolean ns_safetensors_has_tensor (const NsSafetensors *self, const char *tensor);
/* Name of the i-th tensor in header order, or NULL when i >= n_tensors. */
const char *ns_safetensors_get_tensor_name (const NsSafetensors *self, guint i);
/* Copies the tensor's shape into shape_out (room for NS_SAFETENSORS_MAX_DIMS)
 * and its number of dimensions into n_dims_out (either may be NULL); FALSE
 * when there is no such tensor. */
gboolean ns_safetensors_get_shape (const NsSafetensors *self, const char *tensor,
                                   gint64 *shape_out, guint *n_dims_out);
/* Value of a __metadata__ key, or NULL. */
const char *ns_safetensors_get_metadata (const NsSafetensors *self, const char *key);

/* A newly allocated float32 copy of the tensor (g_free it).  The tensor must
 * exist, have exactly expected_shape[0..n_dims-1], and hold finite values. */
float *ns_safetensors_read_f32 (const NsSafetensors *self, const char *tensor,
                                const gint64 *expected_shape, guint n_dims, GError **error);

G_END_DECLS
