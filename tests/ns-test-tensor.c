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

NsClBuffer *
ns_test_upload_buffer (NsClContext *ctx, const float *host, gsize n)
{
  g_autoptr (GError) error = NULL;
  NsClBuffer *b = ns_cl_buffer_new (ctx, n * sizeof (float), &error);
  g_assert_no_error (error);
  g_assert_true (ns_cl_buffer_write (b, 0, host, n * sizeof (float), &error));
  g_assert_no_error (error);
  return b;
}

float *
ns_test_download_buffer (const NsClBuffer *buffer, gsize n)
{
  g_autoptr (GError) error = NULL;
  float *host = g_new (float, n);
  g_assert_true (ns_cl_buffer_read (buffer, 0, host, n * sizeof (float), &error));
  g_assert_no_error (error);
  return host;
}

void
ns_test_device_open (NsClContext **ctx, NsOps **ops, NsGradOps **grad)
{
  g_autoptr (GError) error = NULL;
  *ctx = ns_cl_context_new (-1, &error);
  g_assert_no_error (error);
  *ops = ns_ops_new (*ctx, &error);
  g_assert_no_error (error);
  if (grad != NULL)
    {
      *grad = ns_grad_ops_new (*ops, &error);
      g_assert_no_error (error);
    }
  g_test_message ("device: %s (%s)", (*ctx)->info->name, (*ctx)->info->platform_name);
}

void
ns_test_device_close (NsClContext *ctx, NsOps *ops, NsGradOps *grad)
{
  if (grad != NULL)
    ns_grad_ops_free (grad);
  ns_ops_free (ops);
  ns_cl_context_free (ctx);
}

double
ns_test_central_difference (NsTensor *tensor, float *host, gsize i, float h, NsTestLoss loss, gpointer data)
{
  g_autoptr (GError) error = NULL;
  double l[2];
  for (int side = 0; side < 2; side++)
    {
      float saved = host[i];
      host[i] += side ? h : -h;
      g_assert_true (ns_tensor_write (tensor, host, &error));
      host[i] = saved;
      l[side] = loss (tensor, data);
    }
  g_assert_true (ns_tensor_write (tensor, host, &error));
  g_assert_no_error (error);
  return (l[1] - l[0]) / (2 * h);
}

NsGatysStyle *
ns_test_gatys_style_new (NsGatys *gatys, const NsImage *image)
{
  g_autoptr (GError) error = NULL;
  NsGatysStyle *style = ns_gatys_style_new (gatys, image, NULL, &error);
  g_assert_no_error (error);
  return style;
}
