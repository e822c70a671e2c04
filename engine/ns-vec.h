/* Vector operations on buffers of n floats, for the optimisers: dot products
 * (partial sums per work group, added in double on the host), scaled sums,
 * copies.  Synchronous where a value comes back.  The buffers of one call
 * are all on the device or all on the host (ns_cl_buffer_new_host); host
 * ones are computed by the processor. */
#pragma once

#include "ns-ops.h"

G_BEGIN_DECLS

typedef struct _NsVecOps NsVecOps;

/* Kernels from `ops`' program; `ops` must outlive the result. */
NsVecOps *ns_vec_ops_new (NsOps *ops, GError **error);
void ns_vec_ops_free (NsVecOps *vec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsVecOps, ns_vec_ops_free)

NsClContext *ns_vec_ops_get_context (NsVecOps *vec);

/* *out = sum a[i] b[i] */
gboolean ns_vec_dot (NsVecOps *vec, const NsClBuffer *a, const NsClBuffer *b, gsize n, double *out, GError **error);
/* y = a x + b y */
gboolean ns_vec_axpby (NsVecOps *vec, const NsClBuffer *x, double a, NsClBuffer *y, double b, gsize n,
                       GError **error);
/* out = x + t d */
gboolean ns_vec_step (NsVecOps *vec, const NsClBuffer *x, const NsClBuffer *d, double t, NsClBuffer *out,
                      gsize n, GError **error);
gboolean ns_vec_copy (NsVecOps *vec, const NsClBuffer *src, NsClBuffer *dst, gsize n, GError **error);
gboolean ns_vec_zero (NsVecOps *vec, NsClBuffer *x, gsize n, GError **error);
/* One Adam update of x from its gradient g, with moments m and v, at step t >= 1. */
gboolean ns_vec_adam (NsVecOps *vec, NsClBuffer *x, const NsClBuffer *g, NsClBuffer *m, NsClBuffer *v,
                      double lr, double beta1, double beta2, double eps, int t, gsize n, GError **error);

G_END_DECLS
