/* See ns-image-decode.h. */
#include "ns-image-decode.h"

#include "ns-i18n.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

G_DEFINE_QUARK (ns-image-decode-error-quark, ns_image_decode_error)

/* The loader reads the file in chunks of this size; the header, and with it
 * the size, comes in the first. */
#define CHUNK_BYTES (64 * 1024)

typedef struct {
  int max_side;
  int width, height;
  gboolean too_large;
} SizeGuard;

static void
on_size_prepared (GdkPixbufLoader *loader, int width, int height, gpointer data)
{
  SizeGuard *guard = data;
  guard->width = width;
  guard->height = height;
  if (width > guard->max_side || height > guard->max_side)
    {
      guard->too_large = TRUE;
      /* gdk-pixbuf's way to stop a loader before it allocates the pixels. */
      gdk_pixbuf_loader_set_size (loader, 0, 0);
    }
}

static void
set_too_large (GError **error, const SizeGuard *guard)
{
  g_set_error (error, NS_IMAGE_DECODE_ERROR, NS_IMAGE_DECODE_ERROR_TOO_LARGE,
               _("it is %d × %d pixels, and an image may be at most %d pixels on a side"),
               guard->width, guard->height, guard->max_side);
}

/* gdk-pixbuf tells formats apart through the shared MIME database; where
 * that is missing (minimal systems, containers) it knows none.  PNG and
 * JPEG are recognised by their first bytes; the rest as gdk-pixbuf can. */
static const char *
type_by_signature (const guint8 *head, gsize length)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };
  if (length >= sizeof png && memcmp (head, png, sizeof png) == 0)
    return "png";
  if (length >= sizeof jpeg && memcmp (head, jpeg, sizeof jpeg) == 0)
    return "jpeg";
  return NULL;
}

static guint32
read_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* A PNG's chunks (length, type, data, CRC) from byte 8 reach IEND. */
static gboolean
png_is_complete (const guint8 *data, gsize length)
{
  gsize p = 8;
  while (length >= 12 && p <= length - 12)
    {
      if (memcmp (data + p + 4, "IEND", 4) == 0)
        return TRUE;
      guint32 chunk = read_be32 (data + p);
      if (chunk > length - p - 12)
        return FALSE;
      p += 12 + (gsize) chunk;
    }
  return FALSE;
}

/* A JPEG's segments, and after each scan (SOS) its entropy-coded data, reach
 * the end-of-image marker.  In the coded data 0xFF is followed by 0 (a
 * stuffed byte) or a restart marker; anything else is the next marker. */
static gboolean
jpeg_is_complete (const guint8 *data, gsize length)
{
  gsize p = 2;
  while (p + 1 < length)
    {
      if (data[p] != 0xff)
        return FALSE;
      const guint8 marker = data[p + 1];
      if (marker == 0xff)   /* fill byte */
        p++;
      else if (marker == 0xd9)   /* EOI */
        return TRUE;
      else if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))   /* no length */
        p += 2;
      else
        {
          if (p + 4 > length)
            return FALSE;
          const gsize segment = (gsize) data[p + 2] << 8 | data[p + 3];
          if (segment < 2)
            return FALSE;
          p += 2 + segment;
          if (marker == 0xda)
            while (p + 1 < length
                   && !(data[p] == 0xff && data[p + 1] != 0x00 && !(data[p + 1] >= 0xd0 && data[p + 1] <= 0xd7)))
              p++;
        }
    }
  return FALSE;
}

static gboolean
is_complete (const char *type, const GByteArray *bytes)
{
  if (strcmp (type, "png") == 0)
    return png_is_complete (bytes->data, bytes->len);
  if (strcmp (type, "jpeg") == 0)
    return jpeg_is_complete (bytes->data, bytes->len);
  return TRUE;   /* other formats: what their decoders say */
}

static void
set_errno_error (GError **error, int saved)
{
  g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved), g_strerror (saved));
}

/* The loader for the file whose first bytes are `head` (NULL with an error
 * for no known format, or a size already known to be too large). */
static GdkPixbufLoader *
new_loader (const char *path, const guint8 *head, gsize length, SizeGuard *guard, char **type, GError **error)
{
  const char *known = type_by_signature (head, length);
  if (known != NULL)
    *type = g_strdup (known);
  else
    {
      GdkPixbufFormat *format = gdk_pixbuf_get_file_info (path, &guard->width, &guard->height);
      if (format == NULL)
        {
          g_set_error_literal (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE,
                               _("it is not an image in a format that can be read"));
          return NULL;
        }
      if (guard->width > guard->max_side || guard->height > guard->max_side)
        {
          set_too_large (error, guard);
          return NULL;
        }
      *type = gdk_pixbuf_format_get_name (format);
    }
  GdkPixbufLoader *loader = gdk_pixbuf_loader_new_with_type (*type, error);
  if (loader != NULL)
    g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), guard);
  return loader;
}

GdkPixbuf *
ns_image_decode (const char *path, int max_side, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  FILE *file = g_fopen (path, "rb");
  if (file == NULL)
    {
      set_errno_error (error, errno);
      return NULL;
    }
  SizeGuard guard = { max_side, 0, 0, FALSE };
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  g_autoptr (GdkPixbufLoader) loader = NULL;
  g_autofree char *type = NULL;
  guint8 chunk[CHUNK_BYTES];
  gboolean ok = TRUE;
  GError *local = NULL;
  for (;;)
    {
      const gsize n = fread (chunk, 1, sizeof chunk, file);
      if (n == 0)
        {
          if (ferror (file))
            {
              set_errno_error (&local, errno);
              ok = FALSE;
            }
          break;
        }
      g_byte_array_append (bytes, chunk, (guint) n);
      if (loader == NULL && (loader = new_loader (path, bytes->data, bytes->len, &guard, &type, &local)) == NULL)
        {
          ok = FALSE;
          break;
        }
      if (!gdk_pixbuf_loader_write (loader, chunk, n, &local))
        {
          ok = FALSE;
          break;
        }
    }
  fclose (file);
  /* Always closed: a loader finalised open complains. */
  if (loader != NULL && !gdk_pixbuf_loader_close (loader, ok ? &local : NULL))
    ok = FALSE;
  if (guard.too_large)
    {
      g_clear_error (&local);
      set_too_large (error, &guard);
      return NULL;
    }
  if (ok && loader == NULL)   /* an empty file */
    g_set_error_literal (&local, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE, _("the file is empty"));
  else if (ok && !is_complete (type, bytes))
    g_set_error_literal (&local, NS_IMAGE_DECODE_ERROR, NS_IMAGE_DECODE_ERROR_INCOMPLETE,
                         _("the file ends before the image does (it was cut short)"));
  GdkPixbuf *pixbuf = local == NULL ? gdk_pixbuf_loader_get_pixbuf (loader) : NULL;
  if (local == NULL && pixbuf == NULL)
    g_set_error_literal (&local, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                         _("the image data is damaged or incomplete"));
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_object_ref (pixbuf);
}
