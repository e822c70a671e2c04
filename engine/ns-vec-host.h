/* The optimisers' vector operations on host buffers (ns_cl_buffer_new_host),
 * the same arithmetic as the kernels of ns-vec.c in float, dot products
 * added in double.  Called by ns-vec.c when its buffers live on the host. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double ns_vec_host_dot (const float *a, const float *b, gsize n);
void ns_vec_host_axpby (const float *x, float a, float *y, float b, gsize n);
void ns_vec_host_step (const float *x, const float *d, float t, float *out, gsize n);
void ns_vec_host_adam (float *x, const float *g, float *m, float *v, const float args[6], gsize n);

G_END_DECLS
