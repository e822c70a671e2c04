#include "ns-test-tensor.h"

NsTensor *
ns_test_upload (NsClContext *ctx, int channels, int height, int width, const float *host)
{
  g_autoptr (GError) error = NULL;
  NsTensor *t = ns_tensor_new (ctx, channels, height, width, &error);
  g_assert_no_error (error);
  g_assert_true (ns_tensor_write (t, host, &error));
  g_assert_no_error (error);
  return t;
}

float *
ns_test_download (const NsTensor *tensor)
{
  g_autoptr (GError) error = NULL;
  float *host = g_new (float, ns_tensor_n_elements (tensor));
  g_assert_true (ns_tensor_read (tensor, host, &error));
  g_assert_no_error (error);
  return host;
}
