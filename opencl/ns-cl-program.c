#include "ns-cl-program.h"

#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <errno.h>
#include <string.h>

#define CACHE_MAGIC "NSCLBIN1"
#define CACHE_MAGIC_LEN 8
#define DIGEST_LEN 32

char *
ns_cl_program_cache_path (NsClContext *ctx, const char *source, const char *options)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const NsClDeviceInfo *d = ctx->info;
  const char *parts[] = { source, options, d->platform_name, d->platform_version,
                          d->name, d->device_version, d->driver_version };
  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    g_checksum_update (sum, (const guchar *) parts[i], (gssize) strlen (parts[i]) + 1);
  g_autofree char *file = g_strconcat (g_checksum_get_string (sum), ".bin", NULL);
  return g_build_filename (ctx->cache_dir, file, NULL);
}

static void
digest (const guchar *data, gsize size, guint8 out[DIGEST_LEN])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = DIGEST_LEN;
  g_checksum_update (sum, data, (gssize) size);
  g_checksum_get_digest (sum, out, &len);
}

static char *
build_log (NsClContext *ctx, cl_program program)
{
  size_t size = 0;
  clGetProgramBuildInfo (program, ctx->info->device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size);
  char *log = g_malloc0 (size + 1);
  clGetProgramBuildInfo (program, ctx->info->device, CL_PROGRAM_BUILD_LOG, size, log, NULL);
  return log;
}

/* A program from the cache file, or NULL when absent, damaged or refused. */
static cl_program
load_cached (NsClContext *ctx, const char *path, const char *options)
{
  g_autofree guchar *contents = NULL;
  gsize length = 0;
  if (!g_file_get_contents (path, (char **) &contents, &length, NULL))
    return NULL;
  guint8 expected[DIGEST_LEN];
  if (length <= CACHE_MAGIC_LEN + DIGEST_LEN || memcmp (contents, CACHE_MAGIC, CACHE_MAGIC_LEN) != 0)
    return NULL;
  const guchar *binary = contents + CACHE_MAGIC_LEN + DIGEST_LEN;
  size_t binary_size = length - CACHE_MAGIC_LEN - DIGEST_LEN;
  digest (binary, binary_size, expected);
  if (memcmp (expected, contents + CACHE_MAGIC_LEN, DIGEST_LEN) != 0)
    return NULL;

  cl_int status = CL_SUCCESS, err = CL_SUCCESS;
  cl_program program = clCreateProgramWithBinary (ctx->context, 1, &ctx->info->device, &binary_size,
                                                  &binary, &status, &err);
  if (err != CL_SUCCESS || status != CL_SUCCESS)
    {
      if (program != NULL)
        clReleaseProgram (program);
      return NULL;
    }
  if (clBuildProgram (program, 1, &ctx->info->device, options, NULL, NULL) != CL_SUCCESS)
    {
      clReleaseProgram (program);
      return NULL;
    }
  return program;
}

/* Best effort: a cache that cannot be written only costs time next run. */
static void
store_cached (NsClContext *ctx, cl_program program, const char *path)
{
  size_t size = 0;
  if (clGetProgramInfo (program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL) != CL_SUCCESS
      || size == 0)
    return;
  g_autofree guchar *contents = g_malloc (CACHE_MAGIC_LEN + DIGEST_LEN + size);
  unsigned char *binary = contents + CACHE_MAGIC_LEN + DIGEST_LEN;
  if (clGetProgramInfo (program, CL_PROGRAM_BINARIES, sizeof binary, &binary, NULL) != CL_SUCCESS)
    return;
  memcpy (contents, CACHE_MAGIC, CACHE_MAGIC_LEN);
  digest (binary, size, contents + CACHE_MAGIC_LEN);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents (path, (const char *) contents,
                               (gssize) (CACHE_MAGIC_LEN + DIGEST_LEN + size), &error))
    g_debug ("Not caching the OpenCL program in %s: %s", path,
             error != NULL ? error->message : g_strerror (errno));
}

NsClProgram *
ns_cl_program_new (NsClContext *ctx, const char *source, const char *options, GError **error)
{
  g_autoptr (NsClProgram) self = g_new0 (NsClProgram, 1);
  g_autofree char *path = ns_cl_program_cache_path (ctx, source, options);

  self->program = load_cached (ctx, path, options);
  if (self->program != NULL)
    {
      self->from_cache = TRUE;
      return g_steal_pointer (&self);
    }

  cl_int err = CL_SUCCESS;
  self->program = clCreateProgramWithSource (ctx->context, 1, &source, NULL, &err);
  if (!ns_cl_check (err, _("loading the kernel sources"), error))
    return NULL;
  err = clBuildProgram (self->program, 1, &ctx->info->device, options, NULL, NULL);
  if (err != CL_SUCCESS)
    {
      g_autofree char *log = build_log (ctx, self->program);
      g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_BUILD,
                   _("The OpenCL driver of “%s” could not compile the kernels (%s): %s"),
                   ctx->info->name, ns_cl_error_name (err), log);
      return NULL;
    }
  store_cached (ctx, self->program, path);
  return g_steal_pointer (&self);
}

void
ns_cl_program_free (NsClProgram *program)
{
  if (program == NULL)
    return;
  if (program->program != NULL)
    clReleaseProgram (program->program);
  g_free (program);
}

cl_kernel
ns_cl_program_create_kernel (NsClProgram *program, const char *name, GError **error)
{
  cl_int err = CL_SUCCESS;
  cl_kernel kernel = clCreateKernel (program->program, name, &err);
  if (err != CL_SUCCESS)
    {
      g_autofree char *what = g_strdup_printf (_("creating the kernel “%s”"), name);
      ns_cl_check (err, what, error);
      return NULL;
    }
  return kernel;
}
