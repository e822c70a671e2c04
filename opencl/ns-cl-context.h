/* OpenCL device discovery and the one context + in-order queue the engine
 * runs on.  The context also counts the device memory the project allocates
 * (current and peak), so callers can report and bound it. */
#pragma once

#include <glib.h>
#include <CL/cl.h>

G_BEGIN_DECLS

typedef struct {
  guint index;            /* position in the list, the number --device takes */
  cl_platform_id platform;
  cl_device_id device;
  cl_device_type type;
  char *name;
  char *platform_name;
  char *platform_version;
  char *device_version;
  char *driver_version;
  cl_ulong global_mem;
  cl_ulong max_alloc;
  guint compute_units;
} NsClDeviceInfo;

void ns_cl_device_info_free (NsClDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsClDeviceInfo, ns_cl_device_info_free)

/* Every device of every platform, in a stable order; an empty array is not
 * an error, but no OpenCL platform at all is (NS_CL_ERROR_NO_PLATFORM). */
GPtrArray *ns_cl_list_devices (GError **error);
/* "GPU", "CPU", "accelerator" */
const char *ns_cl_device_type_name (cl_device_type type);

typedef struct {
  NsClDeviceInfo *info;
  cl_context context;
  cl_command_queue queue;
  gsize max_work_group_size;
  /* bytes of device memory held by NsClBuffers: now, and the most at once */
  gsize mem_current;
  gsize mem_peak;
  char *cache_dir;        /* compiled programs: the options', else the user's cache */
  /* Programs compiled ahead of time for every user (read only, read first):
   * the options' (NULL: none). */
  char *system_cache_dir;
  /* Called as each program is built from source (ns-cl-program-set.h); NULL: no one asks. */
  void (*build_progress) (guint done, guint total, gpointer data);
  gpointer build_progress_data;
  gboolean used_clblast;  /* CLBlast holds programs on this context (ns-cl-blas.c) */
  /* With the options' profile: each kernel's name -> NsClProfileEntry,
   * every launch timed alone (waiting for the queue before and after). */
  GHashTable *profile;
  /* Released buffers kept for reuse by an allocation of the same size, the
   * most recent first (NsClSpare; processors only, where each fresh buffer
   * costs the operating system's page faults and zeroing: 13 % of an AdaIN
   * run's processor time).  Not counted in mem_current. */
  gboolean keep_spare;
  GQueue *spare;
  gsize spare_bytes;
} NsClContext;

typedef struct {
  cl_mem mem;
  gsize size;
} NsClSpare;

/* At most this many spare buffers, of this many bytes in all, each at least
 * NS_CL_SPARE_MIN_BYTES; the oldest go first. */
#define NS_CL_SPARE_MAX 16
#define NS_CL_SPARE_MAX_BYTES ((gsize) 1 << 30)
#define NS_CL_SPARE_MIN_BYTES ((gsize) 1 << 20)

typedef struct {
  double seconds;
  guint launches;
} NsClProfileEntry;

/* How a context is set up.  The environment plays no part here: the engine's
 * runtime options carry what the variables say (ns-runtime.h). */
typedef struct {
  const char *cache_dir;          /* NULL: the user's cache */
  const char *system_cache_dir;   /* NULL: NS_SYSTEM_CACHE_DIR; "": none */
  gboolean profile;               /* time every launch (ns_cl_context_print_profile()) */
  gboolean no_spare_buffers;      /* never keep released buffers for reuse */
} NsClContextOptions;

/* Opens device `index` (from ns_cl_list_devices), or, when index < 0, the
 * first GPU, else the first device of any kind, with the default options.
 * (The engine chooses among devices that work: see ns-cl-fallback.h.) */
NsClContext *ns_cl_context_new (int index, GError **error);
/* The same with these options (NULL: the defaults). */
NsClContext *ns_cl_context_new_with_options (int index, const NsClContextOptions *options, GError **error);
void ns_cl_context_free (NsClContext *ctx);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsClContext, ns_cl_context_free)

gboolean ns_cl_context_finish (NsClContext *ctx, GError **error);
void ns_cl_context_reset_peak (NsClContext *ctx);
/* Releases the spare buffers (ns_cl_context_free() does too). */
void ns_cl_context_release_spare (NsClContext *ctx);
/* The kernels' times so far as a table on stderr, the slowest first (with
 * the options' profile, else nothing; ns_cl_context_free() prints it too). */
void ns_cl_context_print_profile (NsClContext *ctx);
/* Replaces the program cache directory (tests, benchmarks of cold starts). */
void ns_cl_context_set_cache_dir (NsClContext *ctx, const char *dir);
/* Replaces the system's program cache directory; NULL: none. */
void ns_cl_context_set_system_cache_dir (NsClContext *ctx, const char *dir);

G_END_DECLS
