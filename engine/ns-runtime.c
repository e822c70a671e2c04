#include "ns-runtime-private.h"

#include "ns-cl-error.h"
#include "ns-cl-fallback.h"
#include "ns-i18n.h"
#include "ns-weights-path.h"

/* What opening on one device makes: all of it, or none. */
typedef struct {
  NsClContext *ctx;
  NsOps *ops;
} Parts;

static void
parts_free (Parts *parts)
{
  if (parts == NULL)
    return;
  ns_ops_free (parts->ops);
  ns_cl_context_free (parts->ctx);
  g_free (parts);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Parts, parts_free)

struct _NsRuntime {
  /* The options, their strings owned. */
  int device_index;
  char *cache_dir, *system_cache_dir;
  gboolean profile, keep_buffers;
  char *conv, *winograd_gemm, *gram;
  NsKernelProgress progress;
  gpointer progress_data;

  Parts *parts;          /* NULL until opened */
  NsOps *gradient_ops;   /* on parts->ops's programs, made on first use */
  NsNetwork *vgg;        /* loaded on first use */
  NsNetwork *decoder;    /* likewise */
  NsDevice *device;
  char *device_note;
  NsRuntimeCounts counts;
};

/* ---- devices ---- */

void
ns_device_free (NsDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->name);
  g_free (device->platform_name);
  g_free (device->platform_version);
  g_free (device->device_version);
  g_free (device->driver_version);
  g_free (device);
}

static NsDevice *
device_from_info (const NsClDeviceInfo *info)
{
  NsDevice *device = g_new0 (NsDevice, 1);
  device->index = info->index;
  device->kind = (info->type & CL_DEVICE_TYPE_GPU) ? NS_DEVICE_GPU
               : (info->type & CL_DEVICE_TYPE_CPU) ? NS_DEVICE_CPU
               : (info->type & CL_DEVICE_TYPE_ACCELERATOR) ? NS_DEVICE_ACCELERATOR
               : NS_DEVICE_OTHER;
  device->name = g_strdup (info->name);
  device->platform_name = g_strdup (info->platform_name);
  device->platform_version = g_strdup (info->platform_version);
  device->device_version = g_strdup (info->device_version);
  device->driver_version = g_strdup (info->driver_version);
  device->global_mem = info->global_mem;
  device->max_alloc = info->max_alloc;
  device->compute_units = info->compute_units;
  return device;
}

GPtrArray *
ns_devices_list (GError **error)
{
  g_autoptr (GPtrArray) infos = ns_cl_list_devices (error);
  if (infos == NULL)
    return NULL;
  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_device_free);
  for (guint i = 0; i < infos->len; i++)
    g_ptr_array_add (devices, device_from_info (infos->pdata[i]));
  return devices;
}

const char *
ns_device_kind_name (NsDeviceKind kind)
{
  switch (kind)
    {
    case NS_DEVICE_GPU:
      return "GPU";
    case NS_DEVICE_CPU:
      return "CPU";
    case NS_DEVICE_ACCELERATOR:
      return "accelerator";
    case NS_DEVICE_OTHER:
    default:
      return "device";
    }
}

/* ---- options ---- */

void
ns_runtime_options_init (NsRuntimeOptions *options)
{
  *options = (NsRuntimeOptions) { .device_index = NS_DEVICE_BEST, .keep_buffers = TRUE };
}

/* NULL for an unset or empty variable. */
static const char *
variable (const char *name)
{
  const char *value = g_getenv (name);
  return value != NULL && *value != '\0' ? value : NULL;
}

gboolean
ns_runtime_options_from_environment (NsRuntimeOptions *options, GError **error)
{
  const char *device = variable ("NEURAL_STYLE_DEVICE");
  if (device != NULL)
    {
      guint64 value = 0;
      if (!g_ascii_string_to_unsigned (device, 10, 0, G_MAXINT, &value, NULL))
        {
          g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_NO_DEVICE,
                       _("NEURAL_STYLE_DEVICE is “%s”, which is not a device number; "
                         "see neural-style --list-devices."), device);
          return FALSE;
        }
      options->device_index = (int) value;
    }
  if (variable ("NEURAL_STYLE_CACHE_DIR") != NULL)
    options->cache_dir = variable ("NEURAL_STYLE_CACHE_DIR");
  /* Set but empty means none, unlike the others. */
  if (g_getenv ("NEURAL_STYLE_SYSTEM_CACHE_DIR") != NULL)
    options->system_cache_dir = g_getenv ("NEURAL_STYLE_SYSTEM_CACHE_DIR");
  if (g_getenv ("NEURAL_STYLE_PROFILE") != NULL)
    options->profile = TRUE;
  if (g_strcmp0 (g_getenv ("NEURAL_STYLE_KEEP_BUFFERS"), "0") == 0)
    options->keep_buffers = FALSE;
  const char *const names[] = { "NEURAL_STYLE_CONV", "NEURAL_STYLE_WINOGRAD_GEMM", "NEURAL_STYLE_GRAM" };
  const char **fields[] = { &options->conv, &options->winograd_gemm, &options->gram };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (variable (names[i]) != NULL)
      *fields[i] = variable (names[i]);
  return TRUE;
}

/* ---- the runtime ---- */

NsRuntime *
ns_runtime_new (const NsRuntimeOptions *options)
{
  NsRuntimeOptions defaults;
  ns_runtime_options_init (&defaults);
  if (options == NULL)
    options = &defaults;
  NsRuntime *runtime = g_new0 (NsRuntime, 1);
  runtime->device_index = options->device_index;
  runtime->cache_dir = g_strdup (options->cache_dir);
  runtime->system_cache_dir = g_strdup (options->system_cache_dir);
  runtime->profile = options->profile;
  runtime->keep_buffers = options->keep_buffers;
  runtime->conv = g_strdup (options->conv);
  runtime->winograd_gemm = g_strdup (options->winograd_gemm);
  runtime->gram = g_strdup (options->gram);
  return runtime;
}

NsRuntime *
ns_runtime_new_from_environment (int device_index, GError **error)
{
  NsRuntimeOptions options;
  ns_runtime_options_init (&options);
  if (!ns_runtime_options_from_environment (&options, error))
    return NULL;
  if (device_index >= 0)
    options.device_index = device_index;
  return ns_runtime_new (&options);
}

void
ns_runtime_free (NsRuntime *runtime)
{
  if (runtime == NULL)
    return;
  ns_network_free (runtime->decoder);
  ns_network_free (runtime->vgg);
  ns_ops_free (runtime->gradient_ops);
  parts_free (runtime->parts);
  ns_device_free (runtime->device);
  g_free (runtime->device_note);
  g_free (runtime->cache_dir);
  g_free (runtime->system_cache_dir);
  g_free (runtime->conv);
  g_free (runtime->winograd_gemm);
  g_free (runtime->gram);
  g_free (runtime);
}

void
ns_runtime_set_kernel_progress (NsRuntime *runtime, NsKernelProgress progress, gpointer user_data)
{
  runtime->progress = progress;
  runtime->progress_data = user_data;
  if (runtime->parts != NULL)
    {
      runtime->parts->ctx->build_progress = progress;
      runtime->parts->ctx->build_progress_data = user_data;
    }
}

/* The algorithms the options name, on a new set of operations. */
static void
apply_algorithms (NsRuntime *runtime, NsOps *ops)
{
  for (NsConvAlgorithm a = NS_CONV_IM2COL; a <= NS_CONV_AUTO; a++)
    if (g_strcmp0 (runtime->conv, ns_conv_algorithm_name (a)) == 0)
      ns_ops_set_conv_algorithm (ops, a);
  for (NsWinogradGemm g = NS_WINOGRAD_GEMM_REGISTERS; g <= NS_WINOGRAD_GEMM_CLBLAST; g++)
    if (g_strcmp0 (runtime->winograd_gemm, ns_winograd_gemm_name (g)) == 0)
      ns_ops_set_winograd_gemm (ops, g);
}

/* An NsClOpenFunc: everything on one device, or nothing. */
static gpointer
open_on_device (int device_index, gpointer user_data, GError **error)
{
  NsRuntime *runtime = user_data;
  const NsClContextOptions options = {
    .cache_dir = runtime->cache_dir,
    .system_cache_dir = runtime->system_cache_dir,
    .profile = runtime->profile,
    .no_spare_buffers = !runtime->keep_buffers,
  };
  g_autoptr (Parts) parts = g_new0 (Parts, 1);
  if ((parts->ctx = ns_cl_context_new_with_options (device_index, &options, error)) == NULL)
    return NULL;
  parts->ctx->build_progress = runtime->progress;
  parts->ctx->build_progress_data = runtime->progress_data;
  if ((parts->ops = ns_ops_new (parts->ctx, error)) == NULL)
    return NULL;
  apply_algorithms (runtime, parts->ops);
  return g_steal_pointer (&parts);
}

gboolean
ns_runtime_open (NsRuntime *runtime, GError **error)
{
  if (runtime->parts != NULL)
    return TRUE;
  g_autofree char *note = NULL;
  runtime->parts = ns_cl_open_on_best_device (runtime->device_index, open_on_device, runtime, &note, error);
  if (runtime->parts == NULL)
    return FALSE;
  runtime->counts.contexts++;
  runtime->device = device_from_info (runtime->parts->ctx->info);
  runtime->device_note = g_steal_pointer (&note);
  return TRUE;
}

const NsDevice *
ns_runtime_get_device (NsRuntime *runtime)
{
  return runtime->device;
}

const char *
ns_runtime_get_device_note (NsRuntime *runtime)
{
  return runtime->device_note;
}

NsClContext *
ns_runtime_get_context (NsRuntime *runtime)
{
  g_return_val_if_fail (runtime->parts != NULL, NULL);
  return runtime->parts->ctx;
}

NsOps *
ns_runtime_get_ops (NsRuntime *runtime)
{
  g_return_val_if_fail (runtime->parts != NULL, NULL);
  return runtime->parts->ops;
}

NsOps *
ns_runtime_get_gradient_ops (NsRuntime *runtime, GError **error)
{
  g_return_val_if_fail (runtime->parts != NULL, NULL);
  if (runtime->gradient_ops == NULL)
    {
      NsOps *ops = ns_ops_new_sharing_programs (runtime->parts->ops, error);
      if (ops == NULL)
        return NULL;
      ns_ops_set_for_gradients (ops, TRUE);   /* no Winograd by default: see there */
      apply_algorithms (runtime, ops);
      runtime->gradient_ops = ops;
    }
  return runtime->gradient_ops;
}

/* The convolutions of the network's steps. */
static guint
count_convolutions (const NsNetwork *net)
{
  guint n = 0;
  for (guint i = 0; net != NULL && i < ns_network_n_steps (net); i++)
    n += ns_network_step_conv (net, i) != NULL;
  return n;
}

NsNetwork *
ns_runtime_get_vgg (NsRuntime *runtime, const char *last_layer, GError **error)
{
  g_return_val_if_fail (runtime->parts != NULL, NULL);
  if (runtime->vgg != NULL && ns_network_steps_through (runtime->vgg, last_layer) > 0)
    return runtime->vgg;
  g_autofree char *path = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, error);
  if (path == NULL)
    return NULL;
  guint had = count_convolutions (runtime->vgg);
  if (runtime->vgg == NULL)
    runtime->vgg = ns_network_new_vgg19 (runtime->parts->ctx, path, last_layer, error);
  else if (!ns_network_extend_vgg19 (runtime->vgg, runtime->parts->ctx, path, last_layer, error))
    return NULL;
  if (runtime->vgg == NULL)
    return NULL;
  runtime->counts.vgg_layers_read += count_convolutions (runtime->vgg) - had;
  return runtime->vgg;
}

NsNetwork *
ns_runtime_get_decoder (NsRuntime *runtime, GError **error)
{
  g_return_val_if_fail (runtime->parts != NULL, NULL);
  if (runtime->decoder == NULL)
    {
      g_autofree char *path = ns_weights_find_file (NS_WEIGHTS_DECODER_FILE, error);
      g_autoptr (NsNetwork) decoder = path != NULL ? ns_network_new_adain_decoder (runtime->parts->ctx, path, error)
                                                   : NULL;
      if (decoder == NULL || !ns_network_prepare (decoder, runtime->parts->ops, error))
        return NULL;
      runtime->counts.decoder_loads++;
      runtime->decoder = g_steal_pointer (&decoder);
    }
  return runtime->decoder;
}

const char *
ns_runtime_get_gram_option (NsRuntime *runtime)
{
  return runtime->gram;
}

gsize
ns_runtime_get_memory_in_use (NsRuntime *runtime)
{
  return runtime->parts != NULL ? runtime->parts->ctx->mem_current : 0;
}

gsize
ns_runtime_get_peak_memory (NsRuntime *runtime)
{
  return runtime->parts != NULL ? runtime->parts->ctx->mem_peak : 0;
}

void
ns_runtime_reset_peak_memory (NsRuntime *runtime)
{
  if (runtime->parts != NULL)
    ns_cl_context_reset_peak (runtime->parts->ctx);
}

gboolean
ns_runtime_kernels_were_cached (NsRuntime *runtime)
{
  return runtime->parts != NULL && ns_ops_program_was_cached (runtime->parts->ops);
}

void
ns_runtime_save_kernels (NsRuntime *runtime)
{
  if (runtime->parts != NULL)
    ns_ops_save_programs (runtime->parts->ops);
}

void
ns_runtime_get_counts (NsRuntime *runtime, NsRuntimeCounts *counts)
{
  *counts = runtime->counts;
}

/* ---- the memory budget and the tiles ---- */

gsize
ns_runtime_memory_budget (NsRuntime *runtime, gsize requested)
{
  g_return_val_if_fail (runtime->parts != NULL, requested);
  if (requested > 0)
    return requested;
  const NsClDeviceInfo *info = runtime->parts->ctx->info;
  gsize half = info->global_mem / 2;
  return (info->type & CL_DEVICE_TYPE_CPU) != 0 ? MIN (half, NS_HOST_MEMORY_BUDGET) : half;
}

int
ns_runtime_choose_tile (NsRuntime *runtime, gsize budget, gsize untiled, NsTileForMemory tile_for,
                        gpointer user_data, GError **error)
{
  gsize held = ns_runtime_get_memory_in_use (runtime);
  if (held + untiled <= budget)
    return 0;
  int tile = held < budget ? tile_for (budget - held, user_data) : 0;
  if (tile > 0)
    return tile;
  g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY,
               _("A device memory budget of %zu MiB is too small even for the smallest tiles."), budget >> 20);
  return -1;
}
