/* Builds OpenCL programs from embedded sources, with per-device binary
 * caches: files named by a SHA-256 of the source, the build options and the
 * platform, device and driver identities (so any change invalidates them),
 * written atomically, verified by a checksum before use.
 *
 * Two caches are read, the system's (read-only, filled ahead of time by
 * `neural-style --prepare --system`) before the user's; only the user's is
 * written.  A checksum guards against torn writes, not against a binary the
 * driver cannot take, so loading is guarded too (ns-cl-program-guard.h): a
 * binary the driver refused, or one a run died loading, is never loaded
 * again by this user; the program is rebuilt from source instead.  An entry
 * that is not a regular file of a plausible size is never read. */
#pragma once

#include "ns-cl-context.h"

G_BEGIN_DECLS

typedef struct {
  cl_program program;
  gboolean from_cache;   /* TRUE when the binary came from a cache */
  gboolean saved;        /* in the user's cache (or came from one) */
  char *cache_path;      /* the user's cache entry */
} NsClProgram;

/* From a cache if one holds a binary the driver takes, else built from
 * source and stored in the user's cache. */
NsClProgram *ns_cl_program_new (NsClContext *ctx, const char *source, const char *options, GError **error);
/* The two halves, for callers that store later (after the first result):
 * from a cache, or NULL; from source, not stored. */
NsClProgram *ns_cl_program_load (NsClContext *ctx, const char *source, const char *options);
NsClProgram *ns_cl_program_build (NsClContext *ctx, const char *source, const char *options, GError **error);
/* Stores a program built from source in the user's cache, once; best
 * effort (a cache that cannot be written costs time next run).  Drivers
 * that compile kernels lazily (PoCL) put what they compiled so far in the
 * binary, so storing after a run saves the next one that work too. */
void ns_cl_program_save (NsClContext *ctx, NsClProgram *program);
void ns_cl_program_free (NsClProgram *program);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsClProgram, ns_cl_program_free)

cl_kernel ns_cl_program_create_kernel (NsClProgram *program, const char *name, GError **error);

/* Path of the user's cache file this source would use on this context's device. */
char *ns_cl_program_cache_path (NsClContext *ctx, const char *source, const char *options);

/* The most bytes a cache entry may have: anything larger is not ours. */
#define NS_CL_PROGRAM_MAX_ENTRY ((gsize) 512 << 20)

G_END_DECLS
