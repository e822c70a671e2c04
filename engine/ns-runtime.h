/* The runtime: one per process.  It owns the device, its context and queue,
 * the compiled programs and the loaded networks (VGG-19 once; the AdaIN
 * decoder when AdaIN first needs it), chooses the device (one policy, the
 * fallback included) and sets the default memory budget (one policy).
 * AdaIN, Gatys and the metrics are made from a runtime and share it.
 *
 * A runtime opens nothing until it is first used (or ns_runtime_open() is
 * called), so that a front end can make it at once and hand it to whatever
 * runs first (the dialog's preview, a run).  It serves one thread at a time.
 * No OpenCL type appears here: devices are described by plain structs. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  NS_DEVICE_GPU,
  NS_DEVICE_CPU,
  NS_DEVICE_ACCELERATOR,
  NS_DEVICE_OTHER,
} NsDeviceKind;

/* One OpenCL device, as the user chooses it. */
typedef struct {
  guint index;               /* position in the list, the number --device takes */
  NsDeviceKind kind;
  char *name;
  char *platform_name;
  char *platform_version;
  char *device_version;
  char *driver_version;
  guint64 global_mem;        /* bytes */
  guint64 max_alloc;         /* the largest single allocation, bytes */
  guint compute_units;
} NsDevice;

void ns_device_free (NsDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsDevice, ns_device_free)
/* Every device of every platform (NsDevice), in a stable order; an empty
 * array is not an error, but no OpenCL driver at all is. */
GPtrArray *ns_devices_list (GError **error);
/* "GPU", "CPU", "accelerator", "device" */
const char *ns_device_kind_name (NsDeviceKind kind);

/* How far the first use of a device has come: `done` of `total` OpenCL
 * programs compiled (called with 0 first, and `total` when done), on the
 * runtime's thread, only while programs no cache holds are compiled. */
typedef void (*NsKernelProgress) (guint done, guint total, gpointer user_data);

/* device_index: the best device that works (a GPU first; a device that
 * cannot run gives way to the next, and the user is told). */
#define NS_DEVICE_BEST (-1)

/* Everything a runtime can be told.  Set with ns_runtime_options_init(),
 * then ns_runtime_options_from_environment() where the user's environment
 * should count (the CLI, the plug-ins, the tests).  Strings are copied. */
typedef struct {
  int device_index;              /* >= 0: that device alone; NS_DEVICE_BEST */
  const char *cache_dir;         /* compiled programs; NULL: the user's cache */
  const char *system_cache_dir;  /* read first, never written; NULL: the installed one; "": none */
  gboolean profile;              /* time every kernel; a table per context on stderr when it closes */
  gboolean keep_buffers;         /* reuse released buffers on processors (default TRUE) */
  /* The algorithms (NULL: the device's default; see ns-ops.h): the
   * convolution (auto, tuned, by-width, im2col, direct, winograd,
   * winograd4, implicit), Winograd's products (registers, tiled, clblast)
   * and Gatys's Gram products (own, clblast).  An unknown name is the default. */
  const char *conv;
  const char *winograd_gemm;
  const char *gram;
} NsRuntimeOptions;

void ns_runtime_options_init (NsRuntimeOptions *options);
/* The options the environment sets, the one place the engine reads it:
 * NEURAL_STYLE_DEVICE (a device number), NEURAL_STYLE_CACHE_DIR,
 * NEURAL_STYLE_SYSTEM_CACHE_DIR, NEURAL_STYLE_PROFILE (set: profile),
 * NEURAL_STYLE_KEEP_BUFFERS (0: no reuse), NEURAL_STYLE_CONV,
 * NEURAL_STYLE_WINOGRAD_GEMM, NEURAL_STYLE_GRAM.  The strings point into the
 * environment.  FALSE with an error when NEURAL_STYLE_DEVICE is not a number. */
gboolean ns_runtime_options_from_environment (NsRuntimeOptions *options, GError **error);

typedef struct _NsRuntime NsRuntime;

/* Opens nothing yet (see above); `options` NULL: the defaults. */
NsRuntime *ns_runtime_new (const NsRuntimeOptions *options);
/* The same with the defaults, the environment's options over them and
 * device_index over those when it is >= 0 (a command line's --device): what
 * the tool, the plug-ins and the tests make.  NULL and an error when the
 * environment is wrong. */
NsRuntime *ns_runtime_new_from_environment (int device_index, GError **error);
void ns_runtime_free (NsRuntime *runtime);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsRuntime, ns_runtime_free)
/* Opens the device and builds (or loads) the preview's programs, unless
 * done already; AdaIN, Gatys and the metrics call it.  (The networks are
 * loaded when a method first needs them.) */
gboolean ns_runtime_open (NsRuntime *runtime, GError **error);
/* Who hears of programs compiled from here on (NULL: no one). */
void ns_runtime_set_kernel_progress (NsRuntime *runtime, NsKernelProgress progress, gpointer user_data);

/* The device (NULL until opened). */
const NsDevice *ns_runtime_get_device (NsRuntime *runtime);
/* NULL, or a sentence for the user: the device that should have run could
 * not, why, and which one runs instead. */
const char *ns_runtime_get_device_note (NsRuntime *runtime);
/* Device memory held now, and at most since the last reset. */
gsize ns_runtime_get_memory_in_use (NsRuntime *runtime);
gsize ns_runtime_get_peak_memory (NsRuntime *runtime);
void ns_runtime_reset_peak_memory (NsRuntime *runtime);
/* TRUE when every program so far came from the on-disk binary caches. */
gboolean ns_runtime_kernels_were_cached (NsRuntime *runtime);
/* Stores the programs compiled from source in the user's cache (best
 * effort; ns_runtime_free() does it too).  Storing may cost the driver some
 * work, so callers do it after their first result. */
void ns_runtime_save_kernels (NsRuntime *runtime);

/* The memory budget of a run, the same for every method: `requested` when
 * it is > 0, else half the device's memory, and at most
 * NS_HOST_MEMORY_BUDGET on a processor (whose memory is the host's, shared
 * with everything else the machine runs). */
#define NS_HOST_MEMORY_BUDGET ((gsize) 1 << 30)
gsize ns_runtime_memory_budget (NsRuntime *runtime, gsize requested);

/* What the runtime has done so far, for tests: contexts opened (one at
 * most), VGG-19's convolutions read from the file (13 through relu5_1, each
 * once however many methods use it), and the decoder's loads. */
typedef struct {
  guint contexts;
  guint vgg_layers_read;
  guint decoder_loads;
} NsRuntimeCounts;

void ns_runtime_get_counts (NsRuntime *runtime, NsRuntimeCounts *counts);

G_END_DECLS
