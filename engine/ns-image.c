/* Host images: allocation, resampling, padding and cropping.  Plain loops on
 * float32 HWC data; the device code has its own versions of what it needs. */
#include "ns-image.h"

#include <math.h>
#include <string.h>

static gboolean
valid_channels (int channels)
{
  return channels == 1 || channels == 3 || channels == 4;
}

static gboolean
valid_image (const NsImage *image)
{
  return image != NULL && image->data != NULL && image->width > 0 &&
         image->height > 0 && valid_channels (image->channels);
}

static gsize
image_n_floats (const NsImage *image)
{
  return (gsize) image->width * image->height * image->channels;
}

NsImage *
ns_image_new (int width, int height, int channels)
{
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (valid_channels (channels), NULL);

  /* width * height * channels * sizeof (float) must fit in a gsize; g_new0
   * checks the last product itself. */
  gsize n;
  if (!g_size_checked_mul (&n, (gsize) width, (gsize) height) ||
      !g_size_checked_mul (&n, n, (gsize) channels))
    g_error ("Image size %d x %d x %d overflows", width, height, channels);

  NsImage *image = g_new0 (NsImage, 1);
  image->width = width;
  image->height = height;
  image->channels = channels;
  image->data = g_new0 (float, n);
  return image;
}

void
ns_image_free (NsImage *image)
{
  if (image == NULL)
    return;
  g_free (image->data);
  g_free (image);
}

NsImage *
ns_image_copy (const NsImage *image)
{
  g_return_val_if_fail (valid_image (image), NULL);

  NsImage *copy = ns_image_new (image->width, image->height, image->channels);
  memcpy (copy->data, image->data, image_n_floats (image) * sizeof (float));
  return copy;
}

/* ------------------------------------------------------------------------
 * Resampling: one 1-D pass per axis, each described by a table of taps
 * (source index, weight) per output index. */

typedef struct {
  int n_taps;     /* taps per output index (stride of the arrays below) */
  int *index;     /* dst_size * n_taps source indices */
  float *weight;  /* dst_size * n_taps weights; unused taps weigh 0 */
} Taps;

static void
taps_clear (Taps *taps)
{
  g_clear_pointer (&taps->index, g_free);
  g_clear_pointer (&taps->weight, g_free);
}

static void
taps_init (Taps *taps, int src_size, int dst_size)
{
  if (dst_size < src_size)
    {
      /* Area averaging: output pixel i covers [i * s, (i + 1) * s) in source
       * pixels, s = src / dst; each source pixel contributes its overlap / s.
       * For integer factors the bounds are exact integers, so the weights are
       * exactly 1 / s; every source pixel contributes 1 / s in total, which
       * keeps the mean. */
      double scale = (double) src_size / dst_size;
      taps->n_taps = (int) ceil (scale) + 1;
      taps->index = g_new0 (int, (gsize) dst_size * taps->n_taps);
      taps->weight = g_new0 (float, (gsize) dst_size * taps->n_taps);
      for (int i = 0; i < dst_size; i++)
        {
          /* Multiply before dividing so integer factors stay exact. */
          double start = (double) i * src_size / dst_size;
          double end = (double) (i + 1) * src_size / dst_size;
          int first = (int) floor (start);
          int last = MIN ((int) ceil (end), src_size);
          int k = 0;
          for (int j = first; j < last && k < taps->n_taps; j++)
            {
              double overlap = MIN (end, (double) (j + 1)) - MAX (start, (double) j);
              if (overlap <= 0.0)
                continue;
              taps->index[(gsize) i * taps->n_taps + k] = j;
              taps->weight[(gsize) i * taps->n_taps + k] = (float) (overlap / scale);
              k++;
            }
        }
    }
  else if (dst_size > src_size)
    {
      /* Bilinear with pixel centres aligned: output centre i + 0.5 maps to
       * source coordinate (i + 0.5) * src / dst, i.e. index that minus 0.5;
       * beyond the outer centres the edge pixel is repeated. */
      taps->n_taps = 2;
      taps->index = g_new0 (int, (gsize) dst_size * 2);
      taps->weight = g_new0 (float, (gsize) dst_size * 2);
      for (int i = 0; i < dst_size; i++)
        {
          double x = ((double) i + 0.5) * src_size / dst_size - 0.5;
          x = CLAMP (x, 0.0, (double) (src_size - 1));
          int j0 = MIN ((int) floor (x), src_size - 1);
          double f = x - j0;
          taps->index[(gsize) i * 2] = j0;
          taps->weight[(gsize) i * 2] = (float) (1.0 - f);
          taps->index[(gsize) i * 2 + 1] = MIN (j0 + 1, src_size - 1);
          taps->weight[(gsize) i * 2 + 1] = (float) f;
        }
    }
  else
    {
      taps->n_taps = 1;
      taps->index = g_new0 (int, (gsize) dst_size);
      taps->weight = g_new0 (float, (gsize) dst_size);
      for (int i = 0; i < dst_size; i++)
        {
          taps->index[i] = i;
          taps->weight[i] = 1.0f;
        }
    }
}

static NsImage *
resize_horizontal (const NsImage *src, int width)
{
  const int c = src->channels;
  NsImage *dst = ns_image_new (width, src->height, c);
  Taps taps;
  taps_init (&taps, src->width, width);

  for (int y = 0; y < src->height; y++)
    {
      const float *in = ns_image_pixel (src, 0, y);
      float *out = ns_image_pixel (dst, 0, y);
      for (int x = 0; x < width; x++)
        {
          const int *idx = taps.index + (gsize) x * taps.n_taps;
          const float *w = taps.weight + (gsize) x * taps.n_taps;
          for (int ch = 0; ch < c; ch++)
            {
              float sum = 0.0f;
              for (int k = 0; k < taps.n_taps; k++)
                sum += w[k] * in[(gsize) idx[k] * c + ch];
              out[(gsize) x * c + ch] = sum;
            }
        }
    }

  taps_clear (&taps);
  return dst;
}

static NsImage *
resize_vertical (const NsImage *src, int height)
{
  const int c = src->channels;
  const gsize row_len = (gsize) src->width * c;
  NsImage *dst = ns_image_new (src->width, height, c);
  Taps taps;
  taps_init (&taps, src->height, height);

  /* Whole rows at a time: contiguous reads and writes. */
  for (int y = 0; y < height; y++)
    {
      const int *idx = taps.index + (gsize) y * taps.n_taps;
      const float *w = taps.weight + (gsize) y * taps.n_taps;
      float *out = ns_image_pixel (dst, 0, y);
      for (int k = 0; k < taps.n_taps; k++)
        {
          if (w[k] == 0.0f)
            continue;
          const float *in = ns_image_pixel (src, 0, idx[k]);
          for (gsize i = 0; i < row_len; i++)
            out[i] += w[k] * in[i];
        }
    }

  taps_clear (&taps);
  return dst;
}

NsImage *
ns_image_resize (const NsImage *image, int width, int height)
{
  g_return_val_if_fail (valid_image (image), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  if (width == image->width && height == image->height)
    return ns_image_copy (image);
  if (width == image->width)
    return resize_vertical (image, height);
  if (height == image->height)
    return resize_horizontal (image, width);

  /* Shrink the larger reduction first so the second pass has less to do. */
  g_autoptr (NsImage) tmp = NULL;
  if ((gint64) width * image->height <= (gint64) image->width * height)
    {
      tmp = resize_horizontal (image, width);
      return resize_vertical (tmp, height);
    }
  tmp = resize_vertical (image, height);
  return resize_horizontal (tmp, width);
}

/* The long side is rounded to the nearest integer, halves up: 768 x 576 with
 * short side 256 gives 768 * 256 / 576 = 341.33 -> 341 x 256. */
NsImage *
ns_image_resize_short_side (const NsImage *image, int short_side)
{
  g_return_val_if_fail (valid_image (image), NULL);
  g_return_val_if_fail (short_side > 0, NULL);

  const gboolean landscape = image->width >= image->height;
  const guint64 short_in = (guint64) (landscape ? image->height : image->width);
  const guint64 long_in = (guint64) (landscape ? image->width : image->height);
  /* Unsigned 64-bit: 2 * (2^31)^2 + 2^31 still fits. */
  guint64 long_out = (long_in * (guint64) short_side * 2 + short_in) / (short_in * 2);
  long_out = MAX (long_out, 1);
  g_return_val_if_fail (long_out <= G_MAXINT, NULL);

  if (landscape)
    return ns_image_resize (image, (int) long_out, short_side);
  return ns_image_resize (image, short_side, (int) long_out);
}

/* Mirror index i into [0, size) without repeating the edge; |overshoot| < size. */
static inline int
reflect_index (int i, int size)
{
  if (i < 0)
    return -i;
  if (i >= size)
    return 2 * (size - 1) - i;
  return i;
}

NsImage *
ns_image_pad_reflect (const NsImage *image, int left, int top, int right, int bottom)
{
  g_return_val_if_fail (valid_image (image), NULL);
  g_return_val_if_fail (left >= 0 && left < image->width, NULL);
  g_return_val_if_fail (right >= 0 && right < image->width, NULL);
  g_return_val_if_fail (top >= 0 && top < image->height, NULL);
  g_return_val_if_fail (bottom >= 0 && bottom < image->height, NULL);

  const gint64 width = (gint64) image->width + left + right;
  const gint64 height = (gint64) image->height + top + bottom;
  g_return_val_if_fail (width <= G_MAXINT && height <= G_MAXINT, NULL);

  const int c = image->channels;
  const gsize pixel_size = (gsize) c * sizeof (float);
  NsImage *out = ns_image_new ((int) width, (int) height, c);
  for (int y = 0; y < out->height; y++)
    {
      const int sy = reflect_index (y - top, image->height);
      float *dst = ns_image_pixel (out, 0, y);
      memcpy (dst + (gsize) left * c, ns_image_pixel (image, 0, sy),
              (gsize) image->width * pixel_size);
      for (int x = 0; x < left; x++)
        memcpy (dst + (gsize) x * c,
                ns_image_pixel (image, reflect_index (x - left, image->width), sy),
                pixel_size);
      for (int x = left + image->width; x < out->width; x++)
        memcpy (dst + (gsize) x * c,
                ns_image_pixel (image, reflect_index (x - left, image->width), sy),
                pixel_size);
    }
  return out;
}

NsImage *
ns_image_crop (const NsImage *image, int x, int y, int width, int height)
{
  g_return_val_if_fail (valid_image (image), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  /* Written as subtractions so nothing can overflow. */
  g_return_val_if_fail (x >= 0 && x <= image->width - width, NULL);
  g_return_val_if_fail (y >= 0 && y <= image->height - height, NULL);

  NsImage *out = ns_image_new (width, height, image->channels);
  const gsize row_size = (gsize) width * image->channels * sizeof (float);
  for (int row = 0; row < height; row++)
    memcpy (ns_image_pixel (out, 0, row), ns_image_pixel (image, x, y + row), row_size);
  return out;
}

NsImage *
ns_image_to_rgb (const NsImage *image)
{
  g_return_val_if_fail (valid_image (image), NULL);

  if (image->channels == 3)
    return ns_image_copy (image);

  NsImage *out = ns_image_new (image->width, image->height, 3);
  const gsize n_pixels = (gsize) image->width * image->height;
  const int c = image->channels;
  for (gsize i = 0; i < n_pixels; i++)
    {
      const float *src = image->data + i * c;
      float *dst = out->data + i * 3;
      if (c == 1)
        dst[0] = dst[1] = dst[2] = src[0];
      else
        memcpy (dst, src, 3 * sizeof (float));
    }
  return out;
}

NsImage *
ns_image_with_alpha (const NsImage *rgb, const NsImage *alpha_from)
{
  g_return_val_if_fail (valid_image (rgb) && rgb->channels == 3, NULL);
  g_return_val_if_fail (valid_image (alpha_from), NULL);
  g_return_val_if_fail (rgb->width == alpha_from->width && rgb->height == alpha_from->height, NULL);

  NsImage *out = ns_image_new (rgb->width, rgb->height, 4);
  const gsize n_pixels = (gsize) rgb->width * rgb->height;
  const int c = alpha_from->channels;
  for (gsize i = 0; i < n_pixels; i++)
    {
      memcpy (out->data + i * 4, rgb->data + i * 3, 3 * sizeof (float));
      out->data[i * 4 + 3] = c == 4 ? alpha_from->data[i * 4 + 3] : 1.0f;
    }
  return out;
}
