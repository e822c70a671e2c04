#include "ns-tensor.h"

#include "ns-i18n.h"

static NsTensor *
tensor_new (NsClContext *ctx, gboolean host, int channels, int height, int width, GError **error)
{
  g_return_val_if_fail (channels > 0 && height > 0 && width > 0, NULL);
  gsize bytes = (gsize) channels * height * width * sizeof (float);
  NsClBuffer *buffer = host ? ns_cl_buffer_new_host (ctx, bytes, error) : ns_cl_buffer_new (ctx, bytes, error);
  if (buffer == NULL)
    return NULL;
  NsTensor *t = g_new0 (NsTensor, 1);
  t->buffer = buffer;
  t->channels = channels;
  t->height = height;
  t->width = width;
  return t;
}

NsTensor *
ns_tensor_new (NsClContext *ctx, int channels, int height, int width, GError **error)
{
  return tensor_new (ctx, FALSE, channels, height, width, error);
}

NsTensor *
ns_tensor_new_host (NsClContext *ctx, int channels, int height, int width, GError **error)
{
  return tensor_new (ctx, TRUE, channels, height, width, error);
}

void
ns_tensor_free (NsTensor *tensor)
{
  if (tensor == NULL)
    return;
  ns_cl_buffer_free (tensor->buffer);
  g_free (tensor);
}

gboolean
ns_tensor_write (NsTensor *tensor, const float *chw, GError **error)
{
  return ns_cl_buffer_write (tensor->buffer, 0, chw, ns_tensor_n_elements (tensor) * sizeof (float), error);
}

gboolean
ns_tensor_read (const NsTensor *tensor, float *chw, GError **error)
{
  return ns_cl_buffer_read (tensor->buffer, 0, chw, ns_tensor_n_elements (tensor) * sizeof (float), error);
}

float *
ns_image_to_chw (const NsImage *image)
{
  gsize plane = (gsize) image->width * image->height;
  float *chw = g_new (float, plane * image->channels);
  for (gsize i = 0; i < plane; i++)
    for (int c = 0; c < image->channels; c++)
      chw[c * plane + i] = image->data[i * image->channels + c];
  return chw;
}

NsTensor *
ns_tensor_new_from_image (NsClContext *ctx, const NsImage *image, GError **error)
{
  g_autoptr (NsTensor) t = ns_tensor_new (ctx, image->channels, image->height, image->width, error);
  if (t == NULL)
    return NULL;
  g_autofree float *chw = ns_image_to_chw (image);
  if (!ns_tensor_write (t, chw, error))
    return NULL;
  return g_steal_pointer (&t);
}

NsImage *
ns_tensor_to_image (const NsTensor *tensor, GError **error)
{
  gsize plane = (gsize) tensor->width * tensor->height;
  g_autofree float *chw = g_new (float, plane * tensor->channels);
  if (!ns_tensor_read (tensor, chw, error))
    return NULL;
  NsImage *image = ns_image_new (tensor->width, tensor->height, tensor->channels);
  for (gsize i = 0; i < plane; i++)
    for (int c = 0; c < tensor->channels; c++)
      image->data[i * tensor->channels + c] = chw[c * plane + i];
  return image;
}
