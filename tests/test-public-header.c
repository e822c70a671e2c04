/* The public header alone (issue 19): a front end includes neural-style.h
 * and nothing else of the engine, and no OpenCL header comes with it.  This
 * file is built with no OpenCL include path (tests/meson.build gives it the
 * engine's public dependency only); the checks below fail the build should
 * an OpenCL header be reached anyway through the system's include path. */
#include "neural-style.h"

#if defined(__OPENCL_CL_H) || defined(CL_SUCCESS) || defined(CL_VERSION_1_0)
#error "neural-style.h brings OpenCL's headers with it"
#endif

/* The API is usable from here: options, a runtime, devices as plain structs. */
static void
test_public_api (void)
{
  NsRuntimeOptions options;
  ns_runtime_options_init (&options);
  options.system_cache_dir = "";
  g_autoptr (NsRuntime) runtime = ns_runtime_new (&options);
  g_assert_null (ns_runtime_get_device (runtime));   /* nothing opened yet */
  g_autoptr (GError) error = NULL;
  g_autoptr (NsAdain) adain = ns_adain_new (runtime, &error);
  g_assert_no_error (error);
  const NsDevice *device = ns_runtime_get_device (runtime);
  g_assert_nonnull (device);
  g_assert_cmpstr (ns_device_kind_name (device->kind), !=, "");
  g_assert_cmpuint (device->global_mem, >, 0);
  g_autoptr (NsImage) content = ns_image_new (32, 32, 3);
  g_autoptr (NsImage) style = ns_image_new (32, 32, 3);
  g_autoptr (NsImage) result = ns_adain_stylise (adain, content, style, 0.5, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->width, ==, 32);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/public-header/api", test_public_api);
  return g_test_run ();
}
