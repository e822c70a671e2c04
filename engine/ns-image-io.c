/* Image files.  gdk-pixbuf decodes and encodes the 8-bit formats; PFM is
 * simple enough to read and write here.  Every write goes through
 * g_file_set_contents, which writes a temporary file and renames it. */
#include "ns-image-io.h"

#include "ns-i18n.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sys/stat.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Error messages: one sentence naming the file, with the reason taken from
 * the library's error.  The domain and code of that error are kept. */

/* A reason of our own for the file errors people actually meet, or NULL. */
static const char *
file_error_reason (const GError *error, gboolean writing)
{
  if (error->domain != G_FILE_ERROR)
    return NULL;
  switch (error->code)
    {
    case G_FILE_ERROR_NOENT:
      return writing ? _("the folder does not exist") : _("the file does not exist");
    case G_FILE_ERROR_ACCES:
    case G_FILE_ERROR_PERM:
      return _("permission denied");
    case G_FILE_ERROR_ISDIR:
      return _("it is a folder, not a file");
    case G_FILE_ERROR_NOTDIR:
      return _("a part of the path is not a folder");
    case G_FILE_ERROR_NAMETOOLONG:
      return _("the file name is too long");
    case G_FILE_ERROR_NOSPC:
      return _("there is no space left on the disk");
    case G_FILE_ERROR_ROFS:
      return _("the file system is read-only");
    case G_FILE_ERROR_NOMEM:
      return _("there is not enough memory");
    default:
      return NULL;
    }
}

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
  const char *own = file_error_reason (local, FALSE);
  if (own == NULL)
    own = pixbuf_error_reason (local);

  if (own != NULL)
    reason = g_strdup (own);
  else if (g_error_matches (local, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE) ||
           g_error_matches (local, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_FAILED))
    {
      /* Keep the decoder's detail: "not a PNG file" and "read error" (cut
       * short) are different problems. */
      const char *detail = decoder_detail (local->message, name);
      g_autofree char *stripped = NULL;
      if (detail != NULL)
        {
          stripped = g_strdup (detail);
          gsize len = strlen (stripped);
          while (len > 0 && stripped[len - 1] == '.')
            stripped[--len] = '\0';
        }
      if (stripped != NULL && *stripped != '\0')
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
  const char *own = file_error_reason (local, TRUE);
  g_autofree char *reason = own != NULL ? g_strdup (own) : library_reason (local);
  g_autofree char *name = g_filename_display_name (path);
  g_set_error (error, local->domain, local->code,
               _("Could not save the image “%s”: %s."), name, reason);
  g_error_free (local);
}

static gboolean
has_pfm_extension (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  return g_str_has_suffix (lower, ".pfm");
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

/* gdk-pixbuf tells formats apart through the shared MIME database; where
 * that is missing (minimal systems, containers) it knows no format at all.
 * PNG and JPEG are recognised here by their first bytes instead.  On failure
 * `*error` is left as it was. */
static GdkPixbuf *
load_by_signature (const char *path, GError **error)
{
  static const struct { const char *type; const guchar magic[8]; gsize length; } signatures[] = {
    { "png", { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' }, 8 },
    { "jpeg", { 0xff, 0xd8, 0xff }, 3 },
  };
  g_autofree char *contents = NULL;
  gsize length = 0;
  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (signatures); i++)
    {
      if (length < signatures[i].length || memcmp (contents, signatures[i].magic, signatures[i].length) != 0)
        continue;
      g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type (signatures[i].type, NULL);
      if (loader == NULL
          || !gdk_pixbuf_loader_write (loader, (const guchar *) contents, length, NULL)
          || !gdk_pixbuf_loader_close (loader, NULL))
        return NULL;
      GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
      if (pixbuf == NULL)
        return NULL;
      g_clear_error (error);
      return g_object_ref (pixbuf);
    }
  return NULL;
}

static NsImage *
load_image (const char *path, gboolean keep_alpha, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (has_pfm_extension (path))
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
  g_autoptr (GdkPixbuf) raw = gdk_pixbuf_new_from_file (path, &local);
  if (raw == NULL && g_error_matches (local, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE))
    raw = load_by_signature (path, &local);
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

gboolean
ns_image_save_png (const NsImage *image, const char *path, GError **error)
{
  g_return_val_if_fail (valid_image (image), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* gdk-pixbuf has no grey: grey is written as RGB. */
  const int c = image->channels;
  const int out_channels = c == 4 ? 4 : 3;
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
        for (int ch = 0; ch < c; ch++)
          dst[ch] = quantise (src[ch]);
    }

  /* Declared after pixels, so released before them. */
  g_autoptr (GdkPixbuf) pixbuf =
    gdk_pixbuf_new_from_data (pixels, GDK_COLORSPACE_RGB, out_channels == 4, 8,
                              image->width, image->height, (int) rowstride, NULL, NULL);
  g_autofree char *png = NULL;
  gsize png_size = 0;
  GError *local = NULL;
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_size, "png", &local, NULL))
    {
      propagate_save_error (error, local, path);
      return FALSE;
    }
  if (!g_file_set_contents (path, png, (gssize) png_size, &local))
    {
      propagate_save_error (error, local, path);
      return FALSE;
    }
  return TRUE;
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
  if (!g_file_set_contents (path, contents, (gssize) (header_size + data_size), &local))
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

NsImage *
ns_image_load_pfm (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autofree char *data = NULL;
  gsize size = 0;
  GError *local = NULL;
  if (!g_file_get_contents (path, &data, &size, &local))
    {
      propagate_load_error (error, local, path);
      return NULL;
    }

  char token[64];
  gsize pos = 0;
  int channels;
  if (!next_token (data, size, &pos, token) ||
      (strcmp (token, "PF") != 0 && strcmp (token, "Pf") != 0))
    {
      set_pfm_error (error, GDK_PIXBUF_ERROR_UNKNOWN_TYPE, path,
                     _("it is not a PFM file (it does not start with “PF” or “Pf”)"));
      return NULL;
    }
  channels = token[1] == 'F' ? 3 : 1;

  int width, height;
  if (!next_token (data, size, &pos, token) || !parse_dimension (token, &width) ||
      !next_token (data, size, &pos, token) || !parse_dimension (token, &height))
    {
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
      set_pfm_error (error, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, path,
                     _("the PFM header has no valid scale (a non-zero number whose sign gives the byte order)"));
      return NULL;
    }
  pos++;

  gsize data_size;
  if (!g_size_checked_mul (&data_size, (gsize) width * height, (gsize) channels * sizeof (float)))
    {
      set_pfm_error (error, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, path,
                     _("the PFM header gives an impossibly large size"));
      return NULL;
    }
  if (data_size > size - pos)
    {
      g_autofree char *reason =
        g_strdup_printf (_("the file is truncated: a %d × %d PFM needs %zu "
                           "bytes of pixel data but holds only %zu"),
                         width, height, data_size, size - pos);
      set_pfm_error (error, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, path, reason);
      return NULL;
    }

  const gboolean little_endian = scale < 0.0;
  NsImage *image = ns_image_new (width, height, channels);
  const char *src = data + pos;
  for (int y = height - 1; y >= 0; y--)
    {
      float *dst = ns_image_pixel (image, 0, y);
      const gsize row_len = (gsize) width * channels;
      for (gsize i = 0; i < row_len; i++, src += sizeof (guint32))
        {
          guint32 bits;
          memcpy (&bits, src, sizeof bits);
          bits = little_endian ? GUINT32_FROM_LE (bits) : GUINT32_FROM_BE (bits);
          memcpy (&dst[i], &bits, sizeof bits);
        }
    }
  return image;
}

gboolean
ns_image_save (const NsImage *image, const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);

  if (has_pfm_extension (path))
    return ns_image_save_pfm (image, path, error);
  return ns_image_save_png (image, path, error);
}
