#include "ns-cl-program.h"

#include "ns-cl-error.h"
#include "ns-cl-program-guard.h"
#include "ns-i18n.h"
#include <errno.h>
#include <string.h>

#define CACHE_MAGIC "NSCLBIN1"
#define CACHE_MAGIC_LEN 8
#define DIGEST_LEN 32
#define HEADER_LEN (CACHE_MAGIC_LEN + DIGEST_LEN)

/* The entry's file name without ".bin". */
static char *
cache_key (NsClContext *ctx, const char *source, const char *options)
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const NsClDeviceInfo *d = ctx->info;
  const char *parts[] = { source, options, d->platform_name, d->platform_version,
                          d->name, d->device_version, d->driver_version };
  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    g_checksum_update (sum, (const guchar *) parts[i], (gssize) strlen (parts[i]) + 1);
  return g_strdup (g_checksum_get_string (sum));
}

static char *
entry_path (const char *dir, const char *key)
{
  g_autofree char *file = g_strconcat (key, ".bin", NULL);
  return g_build_filename (dir, file, NULL);
}

char *
ns_cl_program_cache_path (NsClContext *ctx, const char *source, const char *options)
{
  g_autofree char *key = cache_key (ctx, source, options);
  return entry_path (ctx->cache_dir, key);
}

/* The SHA-256 of the binary, raw and as hex. */
static void
digest (const guchar *data, gsize size, guint8 out[DIGEST_LEN], char hex[2 * DIGEST_LEN + 1])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize len = DIGEST_LEN;
  g_checksum_update (sum, data, (gssize) size);
  g_checksum_get_digest (sum, out, &len);
  g_strlcpy (hex, g_checksum_get_string (sum), 2 * DIGEST_LEN + 1);
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

/* A cache entry whose checksum holds. */
typedef struct {
  guchar *contents;
  const guchar *binary;
  size_t binary_size;
  char digest[2 * DIGEST_LEN + 1];
} Entry;

static gboolean
read_entry (const char *path, Entry *e)
{
  gsize length = 0;
  e->contents = ns_cl_cache_read_file (path, HEADER_LEN + 1, NS_CL_PROGRAM_MAX_ENTRY, &length);
  if (e->contents == NULL || memcmp (e->contents, CACHE_MAGIC, CACHE_MAGIC_LEN) != 0)
    return FALSE;
  guint8 expected[DIGEST_LEN];
  e->binary = e->contents + HEADER_LEN;
  e->binary_size = length - HEADER_LEN;
  digest (e->binary, e->binary_size, expected, e->digest);
  return memcmp (expected, e->contents + CACHE_MAGIC_LEN, DIGEST_LEN) == 0;
}

/* The driver's program from the entry's binary, or NULL when it refuses it.
 * The guard's marker is on disk while the driver has it. */
static cl_program
load_binary (NsClContext *ctx, const Entry *e, const char *options, NsClLoadGuard *guard)
{
  if (ns_cl_load_guard_refuses (guard, e->digest) || !ns_cl_load_guard_begin (guard, e->digest))
    return NULL;
  cl_int status = CL_SUCCESS, err = CL_SUCCESS;
  const unsigned char *binary = e->binary;
  cl_program program = clCreateProgramWithBinary (ctx->context, 1, &ctx->info->device, &e->binary_size,
                                                  &binary, &status, &err);
  if ((err != CL_SUCCESS || status != CL_SUCCESS) && program != NULL)
    g_clear_pointer (&program, clReleaseProgram);
  if (program != NULL && clBuildProgram (program, 1, &ctx->info->device, options, NULL, NULL) != CL_SUCCESS)
    g_clear_pointer (&program, clReleaseProgram);
  ns_cl_load_guard_end (guard, e->digest, program == NULL);
  return program;
}

NsClProgram *
ns_cl_program_load (NsClContext *ctx, const char *source, const char *options)
{
  g_autofree char *key = cache_key (ctx, source, options);
  g_autoptr (NsClLoadGuard) guard = ns_cl_load_guard_new (ctx->cache_dir, key);
  /* The system's first: prepared ahead of time, shared by every user. */
  const char *dirs[] = { ctx->system_cache_dir, ctx->cache_dir };
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      if (dirs[i] == NULL || (i == 0 && g_strcmp0 (dirs[0], dirs[1]) == 0))
        continue;
      g_autofree char *path = entry_path (dirs[i], key);
      Entry e = { 0 };
      cl_program program = read_entry (path, &e) ? load_binary (ctx, &e, options, guard) : NULL;
      g_free (e.contents);
      if (program != NULL)
        {
          NsClProgram *self = g_new0 (NsClProgram, 1);
          self->program = program;
          self->from_cache = self->saved = TRUE;
          self->cache_path = entry_path (ctx->cache_dir, key);
          return self;
        }
    }
  return NULL;
}

NsClProgram *
ns_cl_program_build (NsClContext *ctx, const char *source, const char *options, GError **error)
{
  g_autoptr (NsClProgram) self = g_new0 (NsClProgram, 1);
  self->cache_path = ns_cl_program_cache_path (ctx, source, options);
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
  return g_steal_pointer (&self);
}

void
ns_cl_program_save (NsClContext *ctx, NsClProgram *program)
{
  if (program->saved)
    return;
  program->saved = TRUE;
  size_t size = 0;
  if (clGetProgramInfo (program->program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, NULL) != CL_SUCCESS
      || size == 0 || size > NS_CL_PROGRAM_MAX_ENTRY - HEADER_LEN)
    return;
  g_autofree guchar *contents = g_malloc (HEADER_LEN + size);
  unsigned char *binary = contents + HEADER_LEN;
  if (clGetProgramInfo (program->program, CL_PROGRAM_BINARIES, sizeof binary, &binary, NULL) != CL_SUCCESS)
    return;
  memcpy (contents, CACHE_MAGIC, CACHE_MAGIC_LEN);
  char hex[2 * DIGEST_LEN + 1];
  digest (binary, size, contents + CACHE_MAGIC_LEN, hex);
  /* The same bytes as a binary that was refused or crashed a run: not worth keeping. */
  g_autofree char *dir = g_path_get_dirname (program->cache_path);
  g_autofree char *base = g_path_get_basename (program->cache_path);
  base[strlen (base) - strlen (".bin")] = '\0';
  g_autoptr (NsClLoadGuard) guard = ns_cl_load_guard_new (dir, base);
  if (ns_cl_load_guard_refuses (guard, hex))
    return;
  g_autoptr (GError) error = NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_file_set_contents (program->cache_path, (const char *) contents, (gssize) (HEADER_LEN + size), &error))
    g_debug ("Not caching the OpenCL program in %s: %s", program->cache_path,
             error != NULL ? error->message : g_strerror (errno));
}

NsClProgram *
ns_cl_program_new (NsClContext *ctx, const char *source, const char *options, GError **error)
{
  NsClProgram *self = ns_cl_program_load (ctx, source, options);
  if (self == NULL && (self = ns_cl_program_build (ctx, source, options, error)) != NULL)
    ns_cl_program_save (ctx, self);
  return self;
}

void
ns_cl_program_free (NsClProgram *program)
{
  if (program == NULL)
    return;
  if (program->program != NULL)
    clReleaseProgram (program->program);
  g_free (program->cache_path);
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
