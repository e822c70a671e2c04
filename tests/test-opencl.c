/* The OpenCL layer: device discovery and choice, error sentences, and the
 * program binary cache (hit, miss, corruption, invalidation by source). */
#include "ns-cl-blas.h"
#include "ns-cl-buffer.h"
#include "ns-cl-context.h"
#include "ns-cl-error.h"
#include "ns-cl-fallback.h"
#include "ns-cl-kernel.h"
#include "ns-cl-program.h"
#include <clblast_c.h>
#include <glib/gstdio.h>
#include <string.h>

static const char source_a[] = "__kernel void add_one (__global float *x) { x[get_global_id (0)] += 1.0f; }\n";
static const char source_b[] = "__kernel void add_two (__global float *x) { x[get_global_id (0)] += 2.0f; }\n";

static void
test_error_sentences (void)
{
  g_assert_cmpstr (ns_cl_error_name (CL_OUT_OF_RESOURCES), ==, "CL_OUT_OF_RESOURCES");
  g_assert_cmpstr (ns_cl_error_name (CL_INVALID_KERNEL_ARGS), ==, "CL_INVALID_KERNEL_ARGS");
  g_assert_cmpstr (ns_cl_error_name (-1001), ==, "CL_PLATFORM_NOT_FOUND_KHR");
  g_assert_cmpstr (ns_cl_error_name (-12345), ==, "unknown OpenCL error");
  g_assert_cmpstr (ns_clblast_status_name (CLBlastInvalidLeadDimA), ==, "CLBlastInvalidLeadDimA");

  g_autoptr (GError) error = NULL;
  g_assert_true (ns_cl_check (CL_SUCCESS, "doing nothing", &error));
  g_assert_no_error (error);
  g_assert_false (ns_cl_check (CL_INVALID_WORK_GROUP_SIZE, "running the frobnicator", &error));
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "running the frobnicator"));
  g_assert_nonnull (strstr (error->message, "CL_INVALID_WORK_GROUP_SIZE"));
  g_clear_error (&error);
  g_assert_false (ns_cl_check (CL_MEM_OBJECT_ALLOCATION_FAILURE, "allocating", &error));
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY);
  g_assert_nonnull (strstr (error->message, "ran out of memory"));
  g_clear_error (&error);
  g_assert_false (ns_clblast_check (CLBlastInvalidLeadDimA, "multiplying", &error));
  g_assert_nonnull (strstr (error->message, "CLBlastInvalidLeadDimA"));
}

static void
test_devices (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = ns_cl_list_devices (&error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, >, 0);
  for (guint i = 0; i < devices->len; i++)
    {
      const NsClDeviceInfo *d = devices->pdata[i];
      g_assert_cmpuint (d->index, ==, i);
      g_assert_cmpstr (d->name, !=, "");
      g_assert_cmpuint (d->global_mem, >, 0);
    }
  /* An explicit index opens that device; one past the end is a clear error. */
  g_autoptr (NsClContext) ctx = ns_cl_context_new ((int) devices->len - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ctx->info->name, ==, ((NsClDeviceInfo *) devices->pdata[devices->len - 1])->name);
  g_autoptr (NsClContext) none = ns_cl_context_new ((int) devices->len, &error);
  g_assert_null (none);
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_NO_DEVICE);
  g_clear_error (&error);

  /* The environment plays no part here (the runtime's options carry it:
   * tests/test-runtime.c): no index is the first GPU, else the first device. */
  g_setenv ("NEURAL_STYLE_DEVICE", "gpu please", TRUE);
  g_autoptr (NsClContext) first = ns_cl_context_new (-1, &error);
  g_unsetenv ("NEURAL_STYLE_DEVICE");
  g_assert_no_error (error);
  guint want = 0;
  for (guint i = devices->len; i-- > 0;)
    if (((NsClDeviceInfo *) devices->pdata[i])->type & CL_DEVICE_TYPE_GPU)
      want = i;
  g_assert_cmpstr (first->info->name, ==, ((NsClDeviceInfo *) devices->pdata[want])->name);
}

static void
test_program_cache (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsClContext) ctx = ns_cl_context_new (-1, &error);
  g_assert_no_error (error);
  g_autofree char *dir = g_dir_make_tmp ("ns-cache-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *cache = g_build_filename (dir, "programs", NULL);   /* created on demand */
  ns_cl_context_set_cache_dir (ctx, cache);

  g_autofree char *path_a = ns_cl_program_cache_path (ctx, source_a, "");
  g_autofree char *path_b = ns_cl_program_cache_path (ctx, source_b, "");
  g_autofree char *path_a_opt = ns_cl_program_cache_path (ctx, source_a, "-cl-fast-relaxed-math");
  g_assert_cmpstr (path_a, !=, path_b);        /* another source, another entry */
  g_assert_cmpstr (path_a, !=, path_a_opt);    /* other options too */

  /* Miss: built from source, then stored. */
  NsClProgram *p = ns_cl_program_new (ctx, source_a, "", &error);
  g_assert_no_error (error);
  g_assert_false (p->from_cache);
  ns_cl_program_free (p);
  g_assert_true (g_file_test (path_a, G_FILE_TEST_IS_REGULAR));

  /* Hit: the binary is used, and its kernel works. */
  p = ns_cl_program_new (ctx, source_a, "", &error);
  g_assert_no_error (error);
  g_assert_true (p->from_cache);
  cl_kernel kernel = ns_cl_program_create_kernel (p, "add_one", &error);
  g_assert_no_error (error);
  float values[4] = { 1, 2, 3, 4 };
  cl_int err;
  cl_mem buffer = clCreateBuffer (ctx->context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof values, values, &err);
  g_assert_cmpint (err, ==, CL_SUCCESS);
  clSetKernelArg (kernel, 0, sizeof buffer, &buffer);
  size_t global = 4;
  g_assert_cmpint (clEnqueueNDRangeKernel (ctx->queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL), ==, CL_SUCCESS);
  g_assert_cmpint (clEnqueueReadBuffer (ctx->queue, buffer, CL_TRUE, 0, sizeof values, values, 0, NULL, NULL), ==, CL_SUCCESS);
  g_assert_cmpfloat (values[3], ==, 5.0f);
  clReleaseMemObject (buffer);
  clReleaseKernel (kernel);
  g_assert_null (ns_cl_program_create_kernel (p, "no_such_kernel", &error));
  g_assert_nonnull (strstr (error->message, "no_such_kernel"));
  g_clear_error (&error);
  ns_cl_program_free (p);

  /* A damaged cache file is detected, rebuilt from source and replaced. */
  gsize length = 0;
  g_autofree char *contents = NULL;
  g_assert_true (g_file_get_contents (path_a, &contents, &length, NULL));
  contents[length / 2] ^= 0x5a;
  g_assert_true (g_file_set_contents (path_a, contents, (gssize) length, NULL));
  p = ns_cl_program_new (ctx, source_a, "", &error);
  g_assert_no_error (error);
  g_assert_false (p->from_cache);
  ns_cl_program_free (p);
  p = ns_cl_program_new (ctx, source_a, "", &error);
  g_assert_true (p->from_cache);
  ns_cl_program_free (p);

  /* A truncated one likewise. */
  g_assert_true (g_file_set_contents (path_a, "NSCLBIN1", 8, NULL));
  p = ns_cl_program_new (ctx, source_a, "", &error);
  g_assert_no_error (error);
  g_assert_false (p->from_cache);
  ns_cl_program_free (p);

  /* Writes are atomic: nothing but finished entries in the folder. */
  g_autoptr (GDir) d = g_dir_open (cache, 0, NULL);
  guint n = 0;
  for (const char *name; (name = g_dir_read_name (d)) != NULL; n++)
    {
      g_assert_true (g_str_has_suffix (name, ".bin"));
      g_autofree char *f = g_build_filename (cache, name, NULL);
      g_remove (f);
    }
  g_assert_cmpuint (n, ==, 1);
  g_rmdir (cache);
  g_rmdir (dir);
}

/* The profile option: each launch counted under its kernel and global size. */
static void
test_profile (void)
{
  g_autoptr (GError) error = NULL;
  const NsClContextOptions options = { .profile = TRUE };
  g_autoptr (NsClContext) ctx = ns_cl_context_new_with_options (-1, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ctx->profile);
  NsClProgram *p = ns_cl_program_new (ctx, source_a, "", &error);
  g_assert_no_error (error);
  cl_kernel kernel = ns_cl_program_create_kernel (p, "add_one", &error);
  g_assert_no_error (error);
  float values[8] = { 0 };
  cl_int err;
  cl_mem buffer = clCreateBuffer (ctx->context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof values, values, &err);
  g_assert_cmpint (err, ==, CL_SUCCESS);
  clSetKernelArg (kernel, 0, sizeof buffer, &buffer);
  const size_t sizes[2] = { 8, 4 };
  for (int i = 0; i < 3; i++)
    g_assert_true (ns_cl_enqueue (ctx, kernel, 1, &sizes[i == 2], NULL, "adding one", &error));
  g_assert_no_error (error);
  g_assert_cmpint (clEnqueueReadBuffer (ctx->queue, buffer, CL_TRUE, 0, sizeof values, values, 0, NULL, NULL), ==,
                   CL_SUCCESS);
  g_assert_cmpfloat (values[0], ==, 3.0f);
  g_assert_cmpfloat (values[7], ==, 2.0f);
  const NsClProfileEntry *eight = g_hash_table_lookup (ctx->profile, "add_one 8");
  const NsClProfileEntry *four = g_hash_table_lookup (ctx->profile, "add_one 4");
  g_assert_nonnull (eight);
  g_assert_nonnull (four);
  g_assert_cmpuint (eight->launches, ==, 2);
  g_assert_cmpuint (four->launches, ==, 1);
  g_assert_cmpfloat (eight->seconds, >, 0);
  g_assert_cmpuint (g_hash_table_size (ctx->profile), ==, 2);
  clReleaseMemObject (buffer);
  clReleaseKernel (kernel);
  ns_cl_program_free (p);
}

/* Released buffers of 1 MiB and more come back to an allocation of the same
 * size (on processors: no page faults for a fresh one), outside the memory
 * count; smaller ones, other sizes and those past the limits do not. */
static void
test_spare_buffers (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsClContext) ctx = ns_cl_context_new (-1, &error);
  g_assert_no_error (error);
  g_assert_true (ctx->keep_spare == ((ctx->info->type & CL_DEVICE_TYPE_CPU) != 0));
  ctx->keep_spare = TRUE;
  const gsize mib = 1 << 20;
  NsClBuffer *a = ns_cl_buffer_new (ctx, 2 * mib, &error);
  g_assert_no_error (error);
  cl_mem first = a->mem;
  float value = 7.0f;
  g_assert_true (ns_cl_buffer_write (a, 0, &value, sizeof value, &error));
  ns_cl_buffer_free (a);
  g_assert_cmpuint (ctx->mem_current, ==, 0);
  g_assert_cmpuint (ctx->spare_bytes, ==, 2 * mib);

  g_autoptr (NsClBuffer) other = ns_cl_buffer_new (ctx, 3 * mib, &error);   /* another size: a new one */
  g_assert_no_error (error);
  g_assert_true (other->mem != first);
  g_autoptr (NsClBuffer) again = ns_cl_buffer_new (ctx, 2 * mib, &error);
  g_assert_no_error (error);
  g_assert_true (again->mem == first);
  g_assert_cmpuint (ctx->spare_bytes, ==, 0);
  g_assert_cmpuint (ctx->mem_current, ==, 5 * mib);
  float back = 0;
  g_assert_true (ns_cl_buffer_read (again, 0, &back, sizeof back, &error));
  g_assert_cmpfloat (back, ==, 7.0f);

  ns_cl_buffer_free (ns_cl_buffer_new (ctx, mib / 2, &error));   /* too small to keep */
  g_assert_cmpuint (ctx->spare->length, ==, 0);
  for (gsize i = 0; i < NS_CL_SPARE_MAX + 4; i++)
    ns_cl_buffer_free (ns_cl_buffer_new (ctx, mib + 4096 * i, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ctx->spare->length, ==, NS_CL_SPARE_MAX);
  const NsClSpare *newest = g_queue_peek_head (ctx->spare), *oldest = g_queue_peek_tail (ctx->spare);
  g_assert_cmpuint (newest->size, ==, mib + 4096 * (NS_CL_SPARE_MAX + 3));
  g_assert_cmpuint (oldest->size, ==, mib + 4096 * 4);
  ns_cl_context_release_spare (ctx);
  g_assert_cmpuint (ctx->spare->length, ==, 0);
  g_assert_cmpuint (ctx->spare_bytes, ==, 0);
}

static void
test_build_failure (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsClContext) ctx = ns_cl_context_new (-1, &error);
  g_autofree char *dir = g_dir_make_tmp ("ns-cache-XXXXXX", &error);
  ns_cl_context_set_cache_dir (ctx, dir);
  NsClProgram *p = ns_cl_program_new (ctx, "__kernel void broken (__global float *x) { x[0] = undeclared_name; }",
                                      "", &error);
  g_assert_null (p);
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_BUILD);
  g_assert_nonnull (strstr (error->message, "undeclared_name"));   /* the compiler's log is in the message */
  g_rmdir (dir);
}

/* CLBlast keeps the programs it builds, each holding the context, in a cache
 * of its own; freeing our context must empty it, or the context lives on
 * until CLBlast's static destructor releases it at exit, after the OpenCL
 * runtime's teardown has begun (a crash at exit under Oclgrind). */
static void
test_clblast_released (void)
{
  g_autoptr (GError) error = NULL;
  NsClContext *ctx = ns_cl_context_new (-1, &error);
  g_assert_no_error (error);
  const float a[4] = { 1, 2, 3, 4 };
  float c[4] = { 0 };
  cl_int err;
  cl_mem ma = clCreateBuffer (ctx->context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof a, (void *) a, &err);
  cl_mem mc = clCreateBuffer (ctx->context, CL_MEM_READ_WRITE, sizeof c, NULL, &err);
  g_assert_cmpint (err, ==, CL_SUCCESS);
  g_assert_true (ns_cl_sgemm (ctx, FALSE, FALSE, 2, 2, 2, 1.0f, ma, 0, 2, ma, 0, 2, 0.0f, mc, 0, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (clEnqueueReadBuffer (ctx->queue, mc, CL_TRUE, 0, sizeof c, c, 0, NULL, NULL), ==, CL_SUCCESS);
  g_assert_cmpfloat (c[0], ==, 7.0f);   /* [1 2; 3 4]^2 = [7 10; 15 22] */
  g_assert_cmpfloat (c[3], ==, 22.0f);
  clReleaseMemObject (ma);
  clReleaseMemObject (mc);

  cl_context context = ctx->context;
  clRetainContext (context);
  ns_cl_context_free (ctx);
  /* Ours alone, once the runtime has let go of what it still holds a moment
   * after clFinish() (finished commands, from PoCL's worker threads; seen
   * once in a full, busy run): up to 10 s, while without the cache emptied
   * CLBlast's programs hold the context for good. */
  cl_uint references = 0;
  for (int wait = 0; wait < 1000; wait++)
    {
      g_assert_cmpint (clGetContextInfo (context, CL_CONTEXT_REFERENCE_COUNT, sizeof references, &references, NULL),
                       ==, CL_SUCCESS);
      if (references == 1)
        {
          g_test_message ("the context's references came down to ours after %d ms", 10 * wait);
          break;
        }
      g_usleep (10000);
    }
  g_assert_cmpuint (references, ==, 1);
  clReleaseContext (context);
}

/* A kernel with a data race: every item of a group writes its id to local
 * memory and reads its neighbour's with no barrier between.  Harmless where a
 * group's items run one after another (PoCL), and nothing is asserted of the
 * values read; it is there for test-oclgrind.sh, which runs it under
 * Oclgrind and must see the race reported: its checks are on. */
static void
test_racy_kernel (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsClContext) ctx = ns_cl_context_new (-1, &error);
  g_assert_no_error (error);
  NsClProgram *p = ns_cl_program_new (ctx,
                                      "__kernel void racy (__global float *out) {\n"
                                      "  __local float shared[16];\n"
                                      "  const int i = get_local_id (0);\n"
                                      "  shared[i] = (float) i;\n"
                                      "  out[get_global_id (0)] = shared[(i + 1) % 16];\n"
                                      "}\n", "", &error);
  g_assert_no_error (error);
  cl_kernel kernel = ns_cl_program_create_kernel (p, "racy", &error);
  g_assert_no_error (error);
  cl_int err;
  cl_mem buffer = clCreateBuffer (ctx->context, CL_MEM_READ_WRITE, 16 * sizeof (float), NULL, &err);
  g_assert_cmpint (err, ==, CL_SUCCESS);
  clSetKernelArg (kernel, 0, sizeof buffer, &buffer);
  const size_t global = 16, local = 16;
  g_assert_true (ns_cl_enqueue (ctx, kernel, 1, &global, &local, "racing", &error));
  g_assert_no_error (error);
  g_assert_cmpint (clFinish (ctx->queue), ==, CL_SUCCESS);
  clReleaseMemObject (buffer);
  clReleaseKernel (kernel);
  ns_cl_program_free (p);
}

static NsClDeviceInfo *
made_up_device (const char *name, cl_device_type type, const char *version)
{
  NsClDeviceInfo *info = g_new0 (NsClDeviceInfo, 1);
  info->name = g_strdup (name);
  info->type = type;
  info->device_version = g_strdup (version);
  return info;
}

/* GPUs first, then processors and accelerators, OpenCL 1.1 (or unreadable) last. */
static void
test_preferred_order (void)
{
  g_autoptr (GPtrArray) devices = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_cl_device_info_free);
  g_ptr_array_add (devices, made_up_device ("processor", CL_DEVICE_TYPE_CPU, "OpenCL 3.0 PoCL"));
  g_ptr_array_add (devices, made_up_device ("old GPU", CL_DEVICE_TYPE_GPU, "OpenCL 1.1 Mesa 22.3.6"));
  g_ptr_array_add (devices, made_up_device ("GPU", CL_DEVICE_TYPE_GPU, "OpenCL 3.0 CUDA"));
  g_ptr_array_add (devices, made_up_device ("accelerator", CL_DEVICE_TYPE_ACCELERATOR, "OpenCL 1.2"));
  g_ptr_array_add (devices, made_up_device ("odd", CL_DEVICE_TYPE_GPU, "garbage"));
  g_ptr_array_add (devices, made_up_device ("second GPU", CL_DEVICE_TYPE_GPU | CL_DEVICE_TYPE_DEFAULT, "OpenCL 2.1"));
  g_autoptr (GArray) order = ns_cl_preferred_order (devices);
  const int want[] = { 2, 5, 0, 3, 1, 4 };
  g_assert_cmpuint (order->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < order->len; i++)
    g_assert_cmpint (g_array_index (order, int, i), ==, want[i]);
}

/* A made-up device set for ns_cl_open_in_order(): device i fails with errors[i]
 * (NULL: opens, giving i + 1 as the "engine"); `tried` counts the attempts. */
typedef struct {
  const GError *errors[3];
  int tried;
} MadeUpDevices;

static gpointer
open_made_up (int index, gpointer user_data, GError **error)
{
  MadeUpDevices *devices = user_data;
  devices->tried++;
  if (devices->errors[index] != NULL)
    {
      g_propagate_error (error, g_error_copy (devices->errors[index]));
      return NULL;
    }
  return GINT_TO_POINTER (index + 1);
}

static void
test_fallback (void)
{
  const int order[] = { 0, 1, 2 };
  const char *const names[] = { "Broken GPU", "Other GPU", "Processor" };
  g_autoptr (GError) build = g_error_new_literal (NS_CL_ERROR, NS_CL_ERROR_BUILD, "The kernels did not compile.");
  g_autoptr (GError) memory = g_error_new_literal (NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY, "Out of memory.");
  g_autoptr (GError) weights = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_NOENT, "No weights file.");

  /* The first device that works runs, and the note says what happened to the first. */
  MadeUpDevices two_broken = { { build, memory, NULL }, 0 };
  g_autofree char *note = NULL;
  g_autoptr (GError) error = NULL;
  gpointer opened = ns_cl_open_in_order (order, names, 3, open_made_up, &two_broken, &note, &error);
  g_assert_no_error (error);
  g_assert_cmpint (GPOINTER_TO_INT (opened), ==, 3);
  g_assert_cmpint (two_broken.tried, ==, 3);
  g_assert_cmpstr (note, ==, "The OpenCL device “Broken GPU” could not be used (The kernels did not compile.); "
                             "“Processor” runs instead.");

  /* The first works: no note. */
  MadeUpDevices fine = { { NULL, NULL, NULL }, 0 };
  g_clear_pointer (&note, g_free);
  g_assert_cmpint (GPOINTER_TO_INT (ns_cl_open_in_order (order, names, 3, open_made_up, &fine, &note, &error)), ==, 1);
  g_assert_cmpint (fine.tried, ==, 1);
  g_assert_null (note);

  /* Not the device's fault: no other device is tried. */
  MadeUpDevices no_weights = { { weights, NULL, NULL }, 0 };
  g_assert_null (ns_cl_open_in_order (order, names, 3, open_made_up, &no_weights, &note, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpint (no_weights.tried, ==, 1);
  g_assert_null (note);
  g_clear_error (&error);

  /* All fail: the first device's error. */
  MadeUpDevices all_broken = { { build, memory, memory }, 0 };
  g_assert_null (ns_cl_open_in_order (order, names, 3, open_made_up, &all_broken, &note, &error));
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_BUILD);
  g_assert_cmpint (all_broken.tried, ==, 3);
  g_assert_null (note);
  g_clear_error (&error);

  /* No device at all. */
  g_assert_null (ns_cl_open_in_order (order, names, 0, open_made_up, &fine, &note, &error));
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_NO_DEVICE);
}

static gpointer
open_context (int index, gpointer user_data, GError **error)
{
  return ns_cl_context_new (index, error);
}

/* On this machine's devices: the best one opens, with nothing to say. */
static void
test_best_device (void)
{
  g_autofree char *note = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsClContext) ctx = ns_cl_open_on_best_device (-1, open_context, NULL, &note, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ctx);
  g_assert_null (note);
  g_test_message ("best device: %s", ctx->info->name);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/opencl/error-sentences", test_error_sentences);
  g_test_add_func ("/opencl/devices", test_devices);
  g_test_add_func ("/opencl/preferred-order", test_preferred_order);
  g_test_add_func ("/opencl/fallback", test_fallback);
  g_test_add_func ("/opencl/best-device", test_best_device);
  g_test_add_func ("/opencl/profile", test_profile);
  g_test_add_func ("/opencl/program-cache", test_program_cache);
  g_test_add_func ("/opencl/build-failure", test_build_failure);
  g_test_add_func ("/opencl/spare-buffers", test_spare_buffers);
  g_test_add_func ("/opencl/clblast-released", test_clblast_released);
  g_test_add_func ("/opencl/racy-kernel", test_racy_kernel);
  return g_test_run ();
}
