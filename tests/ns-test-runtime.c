#include "ns-test-runtime.h"

NsRuntime *
ns_test_runtime_new (void)
{
  g_autoptr (GError) error = NULL;
  NsRuntimeOptions options;
  ns_runtime_options_init (&options);
  g_assert_true (ns_runtime_options_from_environment (&options, &error));
  g_assert_no_error (error);
  return ns_runtime_new (&options);
}
