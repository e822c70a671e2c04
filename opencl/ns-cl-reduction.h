/* Sums over large device arrays kept accurate: a reducing kernel writes one
 * float partial per work-group (a tree sum in local memory), and the partials
 * are added on the host in double. */
#pragma once

#include "ns-cl-buffer.h"

G_BEGIN_DECLS

/* Work-groups of every reduction: the kernels' partial-sum arrays have this many entries. */
#define NS_CL_REDUCTION_GROUPS 64

/* The local size of a tree reduction: the largest power of two up to
 * min(the device's work-group limit, 256). */
gsize ns_cl_reduction_local_size (NsClContext *ctx);

typedef struct {
  NsClContext *ctx;      /* not owned */
  NsClBuffer *partials;  /* NS_CL_REDUCTION_GROUPS floats */
  gsize local_size;
} NsClReduction;

NsClReduction *ns_cl_reduction_new (NsClContext *ctx, GError **error);
void ns_cl_reduction_free (NsClReduction *reduction);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsClReduction, ns_cl_reduction_free)

/* Runs `kernel` (its other arguments already set; arguments first_arg and
 * first_arg + 1 are the partials and the local scratch, set here) and adds
 * its partial sums into *sum. */
gboolean ns_cl_reduction_run (NsClReduction *reduction, cl_kernel kernel, cl_uint first_arg, const char *operation,
                              double *sum, GError **error);

G_END_DECLS
