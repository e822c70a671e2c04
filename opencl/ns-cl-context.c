#include "ns-cl-context.h"

#include "ns-cl-blas.h"

#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <stdlib.h>

void
ns_cl_device_info_free (NsClDeviceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->platform_name);
  g_free (info->platform_version);
  g_free (info->device_version);
  g_free (info->driver_version);
  g_free (info);
}

static char *
platform_string (cl_platform_id platform, cl_platform_info what)
{
  size_t size = 0;
  if (clGetPlatformInfo (platform, what, 0, NULL, &size) != CL_SUCCESS || size == 0)
    return g_strdup ("");
  char *s = g_malloc0 (size + 1);
  clGetPlatformInfo (platform, what, size, s, NULL);
  return g_strstrip (s);
}

static char *
device_string (cl_device_id device, cl_device_info what)
{
  size_t size = 0;
  if (clGetDeviceInfo (device, what, 0, NULL, &size) != CL_SUCCESS || size == 0)
    return g_strdup ("");
  char *s = g_malloc0 (size + 1);
  clGetDeviceInfo (device, what, size, s, NULL);
  return g_strstrip (s);
}

const char *
ns_cl_device_type_name (cl_device_type type)
{
  if (type & CL_DEVICE_TYPE_GPU)
    return "GPU";
  if (type & CL_DEVICE_TYPE_CPU)
    return "CPU";
  if (type & CL_DEVICE_TYPE_ACCELERATOR)
    return "accelerator";
  return "device";
}

GPtrArray *
ns_cl_list_devices (GError **error)
{
  cl_uint n_platforms = 0;
  cl_int err = clGetPlatformIDs (0, NULL, &n_platforms);
  if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || (err == CL_SUCCESS && n_platforms == 0))
    {
      g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_NO_PLATFORM,
                   _("No OpenCL driver was found. Install one for your graphics card, "
                     "or the pocl-opencl-icd package to run on the processor."));
      return NULL;
    }
  if (!ns_cl_check (err, _("listing the OpenCL platforms"), error))
    return NULL;

  g_autofree cl_platform_id *platforms = g_new0 (cl_platform_id, n_platforms);
  if (!ns_cl_check (clGetPlatformIDs (n_platforms, platforms, NULL),
                    _("listing the OpenCL platforms"), error))
    return NULL;

  GPtrArray *devices = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_cl_device_info_free);
  for (cl_uint p = 0; p < n_platforms; p++)
    {
      cl_uint n = 0;
      /* A platform without devices answers CL_DEVICE_NOT_FOUND: not an error. */
      if (clGetDeviceIDs (platforms[p], CL_DEVICE_TYPE_ALL, 0, NULL, &n) != CL_SUCCESS || n == 0)
        continue;
      g_autofree cl_device_id *ids = g_new0 (cl_device_id, n);
      if (clGetDeviceIDs (platforms[p], CL_DEVICE_TYPE_ALL, n, ids, NULL) != CL_SUCCESS)
        continue;
      for (cl_uint d = 0; d < n; d++)
        {
          NsClDeviceInfo *info = g_new0 (NsClDeviceInfo, 1);
          cl_uint cu = 0;
          info->index = devices->len;
          info->platform = platforms[p];
          info->device = ids[d];
          clGetDeviceInfo (ids[d], CL_DEVICE_TYPE, sizeof info->type, &info->type, NULL);
          clGetDeviceInfo (ids[d], CL_DEVICE_GLOBAL_MEM_SIZE, sizeof info->global_mem, &info->global_mem, NULL);
          clGetDeviceInfo (ids[d], CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof info->max_alloc, &info->max_alloc, NULL);
          clGetDeviceInfo (ids[d], CL_DEVICE_MAX_COMPUTE_UNITS, sizeof cu, &cu, NULL);
          info->compute_units = cu;
          info->name = device_string (ids[d], CL_DEVICE_NAME);
          info->device_version = device_string (ids[d], CL_DEVICE_VERSION);
          info->driver_version = device_string (ids[d], CL_DRIVER_VERSION);
          info->platform_name = platform_string (platforms[p], CL_PLATFORM_NAME);
          info->platform_version = platform_string (platforms[p], CL_PLATFORM_VERSION);
          g_ptr_array_add (devices, info);
        }
    }
  return devices;
}

NsClContext *
ns_cl_context_new (int index, GError **error)
{
  return ns_cl_context_new_with_options (index, NULL, error);
}

NsClContext *
ns_cl_context_new_with_options (int index, const NsClContextOptions *options, GError **error)
{
  const NsClContextOptions defaults = { 0 };
  if (options == NULL)
    options = &defaults;
  g_autoptr (GPtrArray) devices = ns_cl_list_devices (error);
  if (devices == NULL)
    return NULL;
  if (devices->len == 0)
    {
      g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_NO_DEVICE,
                   _("An OpenCL driver is installed but offers no device."));
      return NULL;
    }

  if (index < 0)
    {
      index = 0;
      for (guint i = 0; i < devices->len; i++)
        if (((NsClDeviceInfo *) devices->pdata[i])->type & CL_DEVICE_TYPE_GPU)
          {
            index = (int) i;
            break;
          }
    }
  if ((guint) index >= devices->len)
    {
      g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_NO_DEVICE,
                   _("There is no OpenCL device number %d: this machine has %u "
                     "(see neural-style --list-devices)."), index, devices->len);
      return NULL;
    }

  g_autoptr (NsClContext) ctx = g_new0 (NsClContext, 1);
  ctx->info = g_ptr_array_steal_index (devices, (guint) index);
  cl_int err = CL_SUCCESS;
  cl_context_properties props[] = { CL_CONTEXT_PLATFORM, (cl_context_properties) ctx->info->platform, 0 };
  ctx->context = clCreateContext (props, 1, &ctx->info->device, NULL, NULL, &err);
  if (!ns_cl_check (err, _("opening the OpenCL device"), error))
    return NULL;
  ctx->queue = clCreateCommandQueue (ctx->context, ctx->info->device, 0, &err);
  if (!ns_cl_check (err, _("creating the OpenCL command queue"), error))
    return NULL;
  size_t wg = 0;
  clGetDeviceInfo (ctx->info->device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof wg, &wg, NULL);
  ctx->max_work_group_size = wg > 0 ? wg : 1;
  ctx->cache_dir = options->cache_dir != NULL && *options->cache_dir != '\0'
                     ? g_strdup (options->cache_dir)
                     : g_build_filename (g_get_user_cache_dir (), "gimp-neural-style", "programs", NULL);
  const char *system = options->system_cache_dir != NULL ? options->system_cache_dir : NS_SYSTEM_CACHE_DIR;
  ctx->system_cache_dir = *system != '\0' ? g_strdup (system) : NULL;
  if (options->profile)
    ctx->profile = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ctx->spare = g_queue_new ();
  ctx->keep_spare = (ctx->info->type & CL_DEVICE_TYPE_CPU) != 0 && !options->no_spare_buffers;
  return g_steal_pointer (&ctx);
}

void
ns_cl_context_release_spare (NsClContext *ctx)
{
  for (NsClSpare *spare; (spare = g_queue_pop_head (ctx->spare)) != NULL;)
    {
      clReleaseMemObject (spare->mem);
      g_free (spare);
    }
  ctx->spare_bytes = 0;
}

void
ns_cl_context_free (NsClContext *ctx)
{
  if (ctx == NULL)
    return;
  if (ctx->mem_current != 0)
    g_warning ("%" G_GSIZE_FORMAT " bytes of device memory still allocated", ctx->mem_current);
  if (ctx->queue != NULL)
    {
      clFinish (ctx->queue);
      clReleaseCommandQueue (ctx->queue);
    }
  if (ctx->spare != NULL)
    {
      ns_cl_context_release_spare (ctx);
      g_queue_free (ctx->spare);
    }
  /* CLBlast keeps the programs it built, and with them the context, in a
   * cache it would otherwise release from a static destructor at exit, after
   * the OpenCL runtime's own teardown has begun: a crash at exit under some
   * runtimes (Oclgrind's shows it).  Its cache is one for the process, so
   * another live context rebuilds its CLBlast kernels on next use. */
  if (ctx->used_clblast)
    ns_cl_blas_clear_cache ();
  if (ctx->context != NULL)
    clReleaseContext (ctx->context);
  ns_cl_device_info_free (ctx->info);
  g_free (ctx->cache_dir);
  g_free (ctx->system_cache_dir);
  if (ctx->profile != NULL)
    {
      ns_cl_context_print_profile (ctx);
      g_hash_table_unref (ctx->profile);
    }
  g_free (ctx);
}

static gint
by_time (gconstpointer a, gconstpointer b, gpointer user_data)
{
  GHashTable *profile = user_data;
  const NsClProfileEntry *ea = g_hash_table_lookup (profile, *(const char *const *) a);
  const NsClProfileEntry *eb = g_hash_table_lookup (profile, *(const char *const *) b);
  return (ea->seconds < eb->seconds) - (ea->seconds > eb->seconds);
}

void
ns_cl_context_print_profile (NsClContext *ctx)
{
  if (ctx->profile == NULL)
    return;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, ctx->profile);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort_with_data (names, by_time, ctx->profile);
  double total = 0;
  for (guint i = 0; i < names->len; i++)
    total += ((NsClProfileEntry *) g_hash_table_lookup (ctx->profile, names->pdata[i]))->seconds;
  g_printerr ("| kernel | launches | ms | share |\n|---|---|---|---|\n");
  for (guint i = 0; i < names->len; i++)
    {
      const NsClProfileEntry *e = g_hash_table_lookup (ctx->profile, names->pdata[i]);
      g_printerr ("| %s | %u | %.1f | %.1f %% |\n", (const char *) names->pdata[i], e->launches, e->seconds * 1e3,
                  100 * e->seconds / MAX (total, 1e-12));
    }
  g_printerr ("| all | | %.1f | |\n", total * 1e3);
}

gboolean
ns_cl_context_finish (NsClContext *ctx, GError **error)
{
  return ns_cl_check (clFinish (ctx->queue), _("waiting for the OpenCL device"), error);
}

void
ns_cl_context_reset_peak (NsClContext *ctx)
{
  ctx->mem_peak = ctx->mem_current;
}

void
ns_cl_context_set_cache_dir (NsClContext *ctx, const char *dir)
{
  g_free (ctx->cache_dir);
  ctx->cache_dir = g_strdup (dir);
}

void
ns_cl_context_set_system_cache_dir (NsClContext *ctx, const char *dir)
{
  g_free (ctx->system_cache_dir);
  ctx->system_cache_dir = g_strdup (dir);
}
