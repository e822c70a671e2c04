#include "ns-test-runtime.h"

NsRuntime *
ns_test_runtime_new (void)
{
  g_autoptr (GError) error = NULL;
  NsRuntime *runtime = ns_runtime_new_from_environment (NS_DEVICE_BEST, &error);
  g_assert_no_error (error);
  return runtime;
}

NsRuntime *
ns_test_process_runtime (void)
{
  static NsRuntime *runtime;
  if (runtime == NULL)
    runtime = ns_test_runtime_new ();
  return runtime;
}

NsAdain *
ns_test_adain_new (NsRuntime *runtime)
{
  g_autoptr (GError) error = NULL;
  NsAdain *adain = ns_adain_new (runtime, &error);
  g_assert_no_error (error);
  return adain;
}
