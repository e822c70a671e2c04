/* The kernels as a set of programs, one per source file, each built on first
 * use: a run compiles only the files whose kernels it needs (the preview's
 * path first; Gatys's backward kernels when Gatys runs).  Each program comes
 * from a binary cache when one holds it (ns-cl-program.h), else is built
 * from source, the context's build_progress told how many of how many; the
 * ones built are stored in the user's cache by ns_cl_program_set_save(),
 * which callers defer until after their first result. */
#pragma once

#include "ns-cl-program.h"

G_BEGIN_DECLS

typedef struct {
  const char *file;      /* "conv.cl" */
  const char *kernels;   /* the names of its kernels, separated by spaces */
  const char *source;
} NsClSource;

typedef struct _NsClProgramSet NsClProgramSet;

/* The sources must outlive the set. */
NsClProgramSet *ns_cl_program_set_new (NsClContext *ctx, const NsClSource *sources, guint n_sources,
                                       const char *options);
void ns_cl_program_set_free (NsClProgramSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsClProgramSet, ns_cl_program_set_free)

/* Makes the programs holding these kernels (NULL-terminated; NULL: every
 * kernel) ready: from the caches, then the rest from source, counted. */
gboolean ns_cl_program_set_prepare (NsClProgramSet *set, const char *const *kernels, GError **error);
/* A new kernel (the caller releases it), its program made ready first. */
cl_kernel ns_cl_program_set_create_kernel (NsClProgramSet *set, const char *name, GError **error);
/* Stores the programs built from source so far in the user's cache. */
void ns_cl_program_set_save (NsClProgramSet *set);
/* TRUE when every program made ready so far came from a cache. */
gboolean ns_cl_program_set_all_cached (NsClProgramSet *set);

G_END_DECLS
