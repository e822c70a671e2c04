/* Small image chores for the GIMP tests (test-gimp-plugin.sh), so that they
 * need no Python or ImageMagick:
 *
 *   gimp-test-helper content OUT.png W H [alpha]   the sample photo at WxH (with a
 *                                                  left-to-right alpha ramp)
 *   gimp-test-helper crop IN.png X Y W H OUT.png
 *   gimp-test-helper compare A.png B.png           RGB equal within 1/255 (exit 1 if not)
 *   gimp-test-helper compare-alpha A.png B.png     alpha channels equal within 1/255
 *
 * Each prints one line saying what it found. */
#include "ns-image-io.h"
#include "ns-test-util.h"
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <math.h>
#include <stdlib.h>

static int
die (GError *error)
{
  g_printerr ("gimp-test-helper: %s\n", error->message);
  return 2;
}

static int
content (const char *out, int width, int height, gboolean with_alpha)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *sample = ns_test_shared_path ("samples", "tubingen.jpg", NULL);
  g_autoptr (NsImage) photo = ns_image_load (sample, &error);
  if (photo == NULL)
    return die (error);
  g_autoptr (NsImage) rgb = ns_image_resize (photo, width, height);
  g_autoptr (NsImage) image = ns_image_new (width, height, with_alpha ? 4 : 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        float *d = ns_image_pixel (image, x, y);
        const float *s = ns_image_pixel (rgb, x, y);
        d[0] = s[0], d[1] = s[1], d[2] = s[2];
        if (with_alpha)
          d[3] = 0.25f + 0.75f * x / (width - 1);
      }
  if (!ns_image_save_png (image, out, &error))
    return die (error);
  g_print ("wrote %s (%dx%d%s)\n", out, width, height, with_alpha ? ", alpha" : "");
  return 0;
}

static int
crop (const char *in, int x, int y, int width, int height, const char *out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) image = ns_image_load (in, &error);
  if (image == NULL)
    return die (error);
  g_autoptr (NsImage) part = ns_image_crop (image, x, y, width, height);
  if (!ns_image_save_png (part, out, &error))
    return die (error);
  g_print ("wrote %s (%dx%d at %d,%d)\n", out, width, height, x, y);
  return 0;
}

/* The largest difference, in 1/255 steps, of channel `first` .. `last` (of 4). */
static int
compare (const char *a_path, const char *b_path, int first, int last, const char *what)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) a = gdk_pixbuf_new_from_file (a_path, &error);
  if (a == NULL)
    return die (error);
  g_autoptr (GdkPixbuf) b = gdk_pixbuf_new_from_file (b_path, &error);
  if (b == NULL)
    return die (error);
  int width = gdk_pixbuf_get_width (a), height = gdk_pixbuf_get_height (a);
  if (width != gdk_pixbuf_get_width (b) || height != gdk_pixbuf_get_height (b))
    {
      g_print ("%s: sizes differ: %dx%d and %dx%d\n", what, width, height, gdk_pixbuf_get_width (b),
               gdk_pixbuf_get_height (b));
      return 1;
    }
  GdkPixbuf *p[2] = { a, b };
  int worst = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = first; c <= last; c++)
        {
          int v[2];
          for (int i = 0; i < 2; i++)
            {
              int n = gdk_pixbuf_get_n_channels (p[i]);
              const guchar *row = gdk_pixbuf_read_pixels (p[i]) + (gsize) y * gdk_pixbuf_get_rowstride (p[i]);
              v[i] = c < n ? row[x * n + c] : 255;   /* no alpha channel: opaque */
            }
          worst = MAX (worst, abs (v[0] - v[1]));
        }
  g_print ("%s: %dx%d, largest difference %d/255\n", what, width, height, worst);
  return worst <= 1 ? 0 : 1;
}

/* The picture in another format that gdk-pixbuf writes (bmp: lossless, as GIMP reads it). */
static int
convert (const char *in, const char *out, const char *type)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (in, &error);
  if (pixbuf == NULL || !gdk_pixbuf_save (pixbuf, out, type, &error, NULL))
    return die (error);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc >= 5 && g_str_equal (argv[1], "content"))
    return content (argv[2], atoi (argv[3]), atoi (argv[4]), argc > 5 && g_str_equal (argv[5], "alpha"));
  if (argc == 8 && g_str_equal (argv[1], "crop"))
    return crop (argv[2], atoi (argv[3]), atoi (argv[4]), atoi (argv[5]), atoi (argv[6]), argv[7]);
  if (argc == 4 && g_str_equal (argv[1], "compare"))
    return compare (argv[2], argv[3], 0, 2, "RGB");
  if (argc == 4 && g_str_equal (argv[1], "compare-alpha"))
    return compare (argv[2], argv[3], 3, 3, "alpha");
  if (argc == 5 && g_str_equal (argv[1], "convert"))
    return convert (argv[2], argv[3], argv[4]);
  g_printerr ("usage: gimp-test-helper content|crop|compare|compare-alpha|convert ...\n");
  return 2;
}
