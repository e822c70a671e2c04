/* Setting a kernel's arguments and launching it, with errors that name the
 * operation: the one copy every operation file uses. */
#pragma once

#include "ns-cl-context.h"

G_BEGIN_DECLS

/* (size, pointer) pairs for ns_cl_set_args(); the list ends with (gsize) 0. */
#define NS_CL_ARG(x) sizeof (x), (const void *) &(x)
#define NS_CL_LOCAL_ARG(bytes) (gsize) (bytes), (const void *) NULL
#define NS_CL_ARGS_END (gsize) 0

gboolean ns_cl_set_args (cl_kernel kernel, const char *operation, GError **error, ...);

/* Enqueues the kernel (clEnqueueNDRangeKernel; local may be NULL); with
 * profiling on (ctx->profile) waits for it and adds its time to its name. */
gboolean ns_cl_enqueue (NsClContext *ctx, cl_kernel kernel, cl_uint dims, const size_t *global, const size_t *local,
                        const char *operation, GError **error);

/* Runs the kernel over `dims` global sizes, the first rounded up to a
 * multiple of the work-group width (kernels check their bounds). */
gboolean ns_cl_launch (NsClContext *ctx, cl_kernel kernel, cl_uint dims, const gsize *global,
                       const char *operation, GError **error);

/* Whether the device runs `kernel` in work groups of `items` (its registers
 * and local memory allow it): kernels with a fixed group size check this
 * before they are chosen. */
gboolean ns_cl_kernel_fits_group (NsClContext *ctx, cl_kernel kernel, gsize items);

G_END_DECLS
