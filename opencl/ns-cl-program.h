/* Builds OpenCL programs from embedded sources, with a per-device binary
 * cache: files named by a SHA-256 of the source, the build options and the
 * platform, device and driver identities (so any change invalidates them),
 * written atomically, verified by a checksum before use. */
#pragma once

#include "ns-cl-context.h"

G_BEGIN_DECLS

typedef struct {
  cl_program program;
  gboolean from_cache;   /* TRUE when the binary came from the cache */
} NsClProgram;

NsClProgram *ns_cl_program_new (NsClContext *ctx, const char *source, const char *options, GError **error);
void ns_cl_program_free (NsClProgram *program);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsClProgram, ns_cl_program_free)

cl_kernel ns_cl_program_create_kernel (NsClProgram *program, const char *name, GError **error);

/* Path of the cache file this source would use on this context's device. */
char *ns_cl_program_cache_path (NsClContext *ctx, const char *source, const char *options);

G_END_DECLS
