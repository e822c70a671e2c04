/* Image files.  gdk-pixbuf decodes (ns-image-decode.c) and encodes the
 * 8-bit formats; PFM is simple enough to read and write here.  Every write
 * goes through ns_file_write (atomic, through links, never over a folder). */
#include "ns-image-io.h"

#include "ns-file-write.h"
#include "ns-i18n.h"
#include "ns-image-decode.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Error messages: one sentence naming the file, with the reason taken from
 * the library's error.  The domain and code of that error are kept. */

static const char *
pixbuf_error_reason (const GError *error)
{
  if (error->domain != GDK_PIXBUF_ERROR)
    return NULL;
  switch (error->code)
    {
    case GDK_PIXBUF_ERROR_UNKNOWN_TYPE:
      return _("it is not an image in a format that can be read");
    case GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY:
      return _("there is not enough memory to decode it");
    default:
      return NULL;  /* corrupt data and the rest: the decoder's own words say more */
    }
}

/* The library's message without its final full stop, for use inside ours. */
static char *
library_reason (const GError *error)
{
  char *reason = g_strstrip (g_strdup (error->message));
  gsize len = strlen (reason);
  while (len > 0 && reason[len - 1] == '.')
    reason[--len] = '\0';
  return reason;
}

/* gdk-pixbuf's decoders say "Failed to load image “name”: detail"; the detail
 * alone, or NULL where the message does not have that shape. */
static const char *
decoder_detail (const char *message, const char *name)
{
  const char *p = strstr (message, name);
  if (p == NULL)
    return NULL;
  p += strlen (name);
  /* Past the closing quote, whatever the locale made of it. */
  for (int i = 0; i < 8 && *p != '\0' && *p != ':'; i++)
    p++;
  if (*p != ':')
    return NULL;
  p++;
  while (*p == ' ')
    p++;
  return *p != '\0' ? p : NULL;
}

static void
propagate_load_error (GError **error, GError *local, const char *path)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *reason = NULL;
  const char *own = ns_file_error_reason (local, FALSE);
  if (own == NULL)
    own = pixbuf_error_reason (local);

  if (own != NULL)
    reason = g_strdup (own);
  else if (local->domain == NS_IMAGE_DECODE_ERROR)   /* already a reason */
    reason = library_reason (local);
  else if (g_error_matches (local, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE) ||
           g_error_matches (local, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_FAILED))
    {
      /* Keep the decoder's detail: "not a PNG file" and "read error" (cut
       * short) are different problems. */
      const char *detail = decoder_detail (local->message, name);
      g_autofree char *stripped = g_strdup (detail != NULL ? detail : local->message);
      gsize len = strlen (g_strstrip (stripped));
      while (len > 0 && stripped[len - 1] == '.')
        stripped[--len] = '\0';
      if (*stripped != '\0')
        reason = g_strdup_printf (_("the image data is damaged or incomplete (%s)"), stripped);
      else
        reason = g_strdup (_("the image data is damaged or incomplete"));
    }
  else
    reason = library_reason (local);

  g_set_error (error, local->domain, local->code,
               _("Could not read the image “%s”: %s."), name, reason);
  g_error_free (local);
}

static void
propagate_save_error (GError **error, GError *local, const char *path)
{
  /* ns_file_write's messages are reasons already, and the encoder's are its own. */
  g_autofree char *reason = library_reason (local);
  g_autofree char *name = g_filename_display_name (path);
  g_set_error (error, local->domain, local->code,
               _("Could not save the image “%s”: %s."), name, reason);
  g_error_free (local);
}

static gboolean
valid_image (const NsImage *image)
{
  return image != NULL && image->data != NULL && image->width > 0 && image->height > 0 &&
         (image->channels == 1 || image->channels == 3 || image->channels == 4);
}

/* ------------------------------------------------------------------------
 * 8-bit formats through gdk-pixbuf */

static NsImage *
image_from_pixbuf (GdkPixbuf *pixbuf, const char *path, gboolean keep_alpha, GError **error)
{
  const int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  if (gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB ||
      gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 ||
      (n_channels != 3 && n_channels != 4))
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNSUPPORTED_OPERATION,
                   _("Could not read the image “%s”: its pixel layout is not supported."),
                   name);
      return NULL;
    }

  /* Exactly byte / 255.0f, as the reference results assume. */
  float lut[256];
  for (int i = 0; i < 256; i++)
    lut[i] = (float) i / 255.0f;

  const int width = gdk_pixbuf_get_width (pixbuf);
  const int height = gdk_pixbuf_get_height (pixbuf);
  const int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  /* read_pixels: no copy-on-write of a possibly shared buffer. */
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  const int out_channels = keep_alpha && n_channels == 4 ? 4 : 3;
  NsImage *image = ns_image_new (width, height, out_channels);
  for (int y = 0; y < height; y++)
    {
      /* Only width * n_channels bytes of a row are read: the last row may be
       * shorter than rowstride. */
      const guint8 *src = pixels + (gsize) y * rowstride;
      float *dst = ns_image_pixel (image, 0, y);
      for (int x = 0; x < width; x++, src += n_channels, dst += out_channels)
        for (int c = 0; c < out_channels; c++)
          dst[c] = lut[src[c]];
    }
  return image;
}

static NsImage *
load_image (const char *path, gboolean keep_alpha, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (ns_image_format_for_path (path) == NS_IMAGE_FORMAT_PFM)
    {
      g_autoptr (NsImage) pfm = ns_image_load_pfm (path, error);
      if (pfm == NULL)
        return NULL;
      if (pfm->channels == 3)
        return g_steal_pointer (&pfm);
      return ns_image_to_rgb (pfm);
    }

  /* gdk-pixbuf reads a folder or an empty file as "contains no data"; say
   * what is wrong instead. */
  GStatBuf st;
  if (g_stat (path, &st) == 0 && (S_ISDIR (st.st_mode) || st.st_size == 0))
    {
      g_autofree char *name = g_filename_display_name (path);
      if (S_ISDIR (st.st_mode))
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                     _("Could not read the image “%s”: %s."), name, _("it is a folder, not a file"));
      else
        g_set_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                     _("Could not read the image “%s”: %s."), name, _("the file is empty"));
      return NULL;
    }

  GError *local = NULL;
  g_autoptr (GdkPixbuf) raw = ns_image_decode (path, NS_IMAGE_MAX_SIDE, &local);
  if (raw == NULL)
    {
      propagate_load_error (error, local, path);
      return NULL;
    }

  /* JPEG EXIF orientation: the pixels as the camera meant them. */
  g_autoptr (GdkPixbuf) oriented = gdk_pixbuf_apply_embedded_orientation (raw);
  if (oriented == NULL)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY,
                   _("Could not read the image “%s”: %s."), name,
                   _("there is not enough memory to decode it"));
      return NULL;
    }
  return image_from_pixbuf (oriented, path, keep_alpha, error);
}

NsImage *
ns_image_load (const char *path, GError **error)
{
  return load_image (path, FALSE, error);
}

NsImage *
ns_image_load_with_alpha (const char *path, GError **error)
{
  return load_image (path, TRUE, error);
}

static inline guint8
quantise (float v)
{
  /* !(v > 0) also catches NaN. */
  if (!(v > 0.0f))
    return 0;
  if (v >= 1.0f)
    return 255;
  return (guint8) (v * 255.0f + 0.5f);
}

/* The image as 8-bit pixels in `type` ("png", "jpeg"): grey as RGB (gdk-pixbuf
 * has no grey), alpha kept where the format has it. */
static gboolean
encode_8bit (const NsImage *image, const char *type, gboolean keep_alpha, char **encoded, gsize *size,
             GError **error)
{
  const int c = image->channels;
  const int out_channels = c == 4 && keep_alpha ? 4 : 3;
  const gsize rowstride = (gsize) image->width * out_channels;
  g_return_val_if_fail (rowstride <= G_MAXINT, FALSE);

  g_autofree guint8 *pixels = g_malloc_n (rowstride, (gsize) image->height);
  const gsize n_pixels = (gsize) image->width * image->height;
  for (gsize i = 0; i < n_pixels; i++)
    {
      const float *src = image->data + i * c;
      guint8 *dst = pixels + i * out_channels;
      if (c == 1)
        dst[0] = dst[1] = dst[2] = quantise (src[0]);
      else
        for (int ch = 0; ch < out_channels; ch++)
          dst[ch] = quantise (src[ch]);
    }

  /* Declared after pixels, so released before them. */
  g_autoptr (GdkPixbuf) pixbuf =
    gdk_pixbuf_new_from_data (pixels, GDK_COLORSPACE_RGB, out_channels == 4, 8,
                              image->width, image->height, (int) rowstride, NULL, NULL);
  if (strcmp (type, "jpeg") == 0)
    return gdk_pixbuf_save_to_buffer (pixbuf, encoded, size, type, error, "quality", "95", NULL);
  return gdk_pixbuf_save_to_buffer (pixbuf, encoded, size, type, error, NULL);
}

static gboolean
save_8bit (const NsImage *image, const char *path, const char *type, gboolean keep_alpha, GError **error)
{
  g_return_val_if_fail (valid_image (image), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_autofree char *encoded = NULL;
  gsize size = 0;
  GError *local = NULL;
  if (!encode_8bit (image, type, keep_alpha, &encoded, &size, &local) || !ns_file_write (path, encoded, size, &local))
    {
      propagate_save_error (error, local, path);
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_image_save_png (const NsImage *image, const char *path, GError **error)
{
  return save_8bit (image, path, "png", TRUE, error);
}

gboolean
ns_image_save_jpeg (const NsImage *image, const char *path, GError **error)
{
  return save_8bit (image, path, "jpeg", FALSE, error);
}

/* ------------------------------------------------------------------------
 * PFM */

gboolean
ns_image_save_pfm (const NsImage *image, const char *path, GError **error)
{
  g_return_val_if_fail (valid_image (image), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* PFM has grey and RGB only: alpha is dropped. */
  const int c = image->channels;
  const int out_channels = c == 1 ? 1 : 3;
  g_autofree char *header = g_strdup_printf ("%s\n%d %d\n-1.0\n", out_channels == 1 ? "Pf" : "PF",
                                             image->width, image->height);
  const gsize header_size = strlen (header);
  gsize data_size;
  if (!g_size_checked_mul (&data_size, (gsize) image->width * image->height,
                           (gsize) out_channels * sizeof (float)) ||
      data_size > G_MAXSSIZE - header_size)
    g_error ("PFM size overflows");

  g_autofree char *contents = g_malloc (header_size + data_size);
  memcpy (contents, header, header_size);
  char *dst = contents + header_size;
  /* Rows bottom to top, little-endian (scale -1). */
  for (int y = image->height - 1; y >= 0; y--)
    {
      const float *src = ns_image_pixel (image, 0, y);
      for (int x = 0; x < image->width; x++, src += c)
        for (int ch = 0; ch < out_channels; ch++)
          {
            guint32 bits;
            memcpy (&bits, &src[ch], sizeof bits);
            bits = GUINT32_TO_LE (bits);
            memcpy (dst, &bits, sizeof bits);
            dst += sizeof bits;
          }
    }

  GError *local = NULL;
  if (!ns_file_write (path, contents, header_size + data_size, &local))
    {
      propagate_save_error (error, local, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_pfm_space (char ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* The next whitespace-separated header token, at most 63 bytes, into token;
 * *pos is left on the byte after it. */
static gboolean
next_token (const char *data, gsize size, gsize *pos, char token[64])
{
  gsize p = *pos;
  while (p < size && is_pfm_space (data[p]))
    p++;
  gsize len = 0;
  while (p < size && !is_pfm_space (data[p]))
    {
      if (len == 63)
        return FALSE;
      token[len++] = data[p++];
    }
  token[len] = '\0';
  *pos = p;
  return len > 0;
}

static gboolean
parse_dimension (const char *token, int *value)
{
  guint64 v;
  if (!g_ascii_string_to_unsigned (token, 10, 1, G_MAXINT, &v, NULL))
    return FALSE;
  *value = (int) v;
  return TRUE;
}

static void
set_pfm_error (GError **error, int code, const char *path, const char *reason)
{
  g_autofree char *name = g_filename_display_name (path);
  g_set_error (error, GDK_PIXBUF_ERROR, code,
               _("Could not read the image “%s”: %s."), name, reason);
}

/* The header is read first (at most this much) and the size checked before
 * the pixels are read or allocated. */
#define PFM_HEADER_MAX_BYTES 4096

/* The first non-finite value of a PFM, as a reason, or NULL. */
static char *
non_finite_reason (const NsImage *image)
{
  const gsize n = (gsize) image->width * image->height * image->channels;
  for (gsize i = 0; i < n; i++)
    if (!isfinite (image->data[i]))
      {
        const gsize pixel = i / image->channels;
        return g_strdup_printf (_("it holds a value that is not a finite number (%s) at pixel (%d, %d)"),
                                isnan (image->data[i]) ? "NaN" : "Inf", (int) (pixel % image->width),
                                (int) (pixel / image->width));
      }
  return NULL;
}

/* The file, open for reading, when it is a regular file. */
static FILE *
open_regular (const char *path, goffset *size, GError **error)
{
  FILE *file = g_fopen (path, "rb");
  struct stat st;
  int saved = errno;
  if (file != NULL && fstat (fileno (file), &st) != 0)
    saved = errno;
  else if (file != NULL && S_ISREG (st.st_mode))
    {
      *size = st.st_size;
      return file;
    }
  else if (file != NULL)
    saved = S_ISDIR (st.st_mode) ? EISDIR : EINVAL;
  if (file != NULL)
    fclose (file);
  GError *local = g_error_new_literal (G_FILE_ERROR, g_file_error_from_errno (saved),
                                       saved == EINVAL ? _("it is not a regular file") : g_strerror (saved));
  propagate_load_error (error, local, path);
  return NULL;
}

NsImage *
ns_image_load_pfm (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  goffset file_size = 0;
  FILE *file = open_regular (path, &file_size, error);
  if (file == NULL)
    return NULL;
  char data[PFM_HEADER_MAX_BYTES];
  const gsize size = fread (data, 1, sizeof data, file);

  char token[64];
  gsize pos = 0;
  int channels;
  if (!next_token (data, size, &pos, token) ||
      (strcmp (token, "PF") != 0 && strcmp (token, "Pf") != 0))
    {
      fclose (file);
      set_pfm_error (error, GDK_PIXBUF_ERROR_UNKNOWN_TYPE, path,
                     _("it is not a PFM file (it does not start with “PF” or “Pf”)"));
      return NULL;
    }
  channels = token[1] == 'F' ? 3 : 1;

  int width, height;
  if (!next_token (data, size, &pos, token) || !parse_dimension (token, &width) ||
      !next_token (data, size, &pos, token) || !parse_dimension (token, &height))
    {
      fclose (file);
      set_pfm_error (error, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, path,
                     _("the PFM header has no valid width and height"));
      return NULL;
    }

  char *end = NULL;
  double scale = 0.0;
  if (next_token (data, size, &pos, token))
    scale = g_ascii_strtod (token, &end);
  /* Exactly one whitespace byte separates the header from the data. */
  if (end == NULL || *end != '\0' || !isfinite (scale) || scale == 0.0 ||
      pos >= size || !is_pfm_space (data[pos]))
    {
      fclose (file);
      set_pfm_error (error, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, path,
                     _("the PFM header has no valid scale (a non-zero number whose sign gives the byte order)"));
      return NULL;
    }
  pos++;

  if (width > NS_IMAGE_MAX_SIDE || height > NS_IMAGE_MAX_SIDE)
    {
      fclose (file);
      g_autofree char *reason = g_strdup_printf (_("it is %d × %d pixels, and an image may be at most %d pixels on a side"),
                                                 width, height, NS_IMAGE_MAX_SIDE);
      set_pfm_error (error, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, path, reason);
      return NULL;
    }
  const gsize data_size = (gsize) width * height * channels * sizeof (float);
  const gsize available = (gsize) file_size > pos ? (gsize) file_size - pos : 0;
  if (data_size > available)
    {
      fclose (file);
      g_autofree char *reason =
        g_strdup_printf (_("the file is truncated: a %d × %d PFM needs %zu "
                           "bytes of pixel data but holds only %zu"),
                         width, height, data_size, available);
      set_pfm_error (error, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, path, reason);
      return NULL;
    }

  /* The pixels straight into the image, rows bottom to top. */
  const gboolean little_endian = scale < 0.0;
  g_autoptr (NsImage) image = ns_image_new (width, height, channels);
  const gsize row_len = (gsize) width * channels;
  const gsize in_header = size - pos;   /* pixel bytes already read with the header */
  gboolean complete = TRUE;
  for (int y = height - 1, row = 0; y >= 0 && complete; y--, row++)
    {
      char *dst = (char *) ns_image_pixel (image, 0, y);
      const gsize row_bytes = row_len * sizeof (float), row_start = (gsize) row * row_bytes;
      gsize have = 0;
      if (row_start < in_header)
        {
          have = MIN (row_bytes, in_header - row_start);
          memcpy (dst, data + pos + row_start, have);
        }
      complete = have == row_bytes || fread (dst + have, 1, row_bytes - have, file) == row_bytes - have;
    }
  fclose (file);
  if (!complete)   /* it shrank since it was measured */
    {
      set_pfm_error (error, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, path, _("the file ends before its pixel data does"));
      return NULL;
    }
  const gsize n = row_len * height;
  for (gsize i = 0; i < n; i++)
    {
      guint32 bits;
      memcpy (&bits, &image->data[i], sizeof bits);
      bits = little_endian ? GUINT32_FROM_LE (bits) : GUINT32_FROM_BE (bits);
      memcpy (&image->data[i], &bits, sizeof bits);
    }
  g_autofree char *non_finite = non_finite_reason (image);
  if (non_finite != NULL)
    {
      set_pfm_error (error, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, path, non_finite);
      return NULL;
    }
  return g_steal_pointer (&image);
}

NsImageFormat
ns_image_format_for_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  if (dot == NULL || dot == base)   /* no extension (".name" is a hidden file's name) */
    return NS_IMAGE_FORMAT_PNG;
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return NS_IMAGE_FORMAT_PNG;
  if (g_ascii_strcasecmp (dot, ".jpg") == 0 || g_ascii_strcasecmp (dot, ".jpeg") == 0)
    return NS_IMAGE_FORMAT_JPEG;
  if (g_ascii_strcasecmp (dot, ".pfm") == 0)
    return NS_IMAGE_FORMAT_PFM;
  return NS_IMAGE_FORMAT_UNKNOWN;
}

static gboolean
known_format (const char *path, GError **error)
{
  if (ns_image_format_for_path (path) != NS_IMAGE_FORMAT_UNKNOWN)
    return TRUE;
  g_autofree char *name = g_filename_display_name (path);
  g_set_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE,
               _("Could not save the image “%s”: its extension names no format written here "
                 "(.png, .jpg, .jpeg or .pfm)."), name);
  return FALSE;
}

gboolean
ns_image_check_writable (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  GError *local = NULL;
  if (!known_format (path, error))
    return FALSE;
  if (!ns_file_check_writable (path, &local))
    {
      propagate_save_error (error, local, path);
      return FALSE;
    }
  return TRUE;
}

gboolean
ns_image_save (const NsImage *image, const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  if (!known_format (path, error))
    return FALSE;
  switch (ns_image_format_for_path (path))
    {
    case NS_IMAGE_FORMAT_PFM:
      return ns_image_save_pfm (image, path, error);
    case NS_IMAGE_FORMAT_JPEG:
      return ns_image_save_jpeg (image, path, error);
    default:
      return ns_image_save_png (image, path, error);
    }
}
