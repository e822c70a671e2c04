/* Host images: padding, cropping, resampling and file round trips. */
#define _DEFAULT_SOURCE   /* mknod, S_IFCHR */
#include "ns-image.h"
#include "ns-image-io.h"
#include "ns-test-util.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Uniform in [lo, hi); a seeded generator so failures reproduce. */
static NsImage *
random_image (GRand *rand, int width, int height, int channels, double lo, double hi)
{
  NsImage *image = ns_image_new (width, height, channels);
  gsize n = (gsize) width * height * channels;
  for (gsize i = 0; i < n; i++)
    image->data[i] = (float) g_rand_double_range (rand, lo, hi);
  return image;
}

static gsize
n_floats (const NsImage *image)
{
  return (gsize) image->width * image->height * image->channels;
}

static void
assert_same_image (const NsImage *a, const NsImage *b)
{
  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  g_assert_cmpint (a->channels, ==, b->channels);
  g_assert_cmpmem (a->data, n_floats (a) * sizeof (float), b->data, n_floats (b) * sizeof (float));
}

static double
image_mean (const NsImage *image)
{
  double sum = 0.0;
  for (gsize i = 0; i < n_floats (image); i++)
    sum += image->data[i];
  return sum / n_floats (image);
}

/* A fresh temporary folder per test; removed (with its files) at the end. */
static char *
make_tmp_dir (void)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp ("test-image-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static void
remove_tmp_dir (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  guint n = 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* ------------------------------------------------------------------------ */

/* Reflection written out by hand for a 5-wide axis: pads of 3 on the left
 * and 4 on the right read 3 2 1 | 0 1 2 3 4 | 3 2 1 0. */
static void
test_pad_reflect_1d (void)
{
  g_autoptr (NsImage) row = ns_image_new (5, 1, 1);
  for (int x = 0; x < 5; x++)
    row->data[x] = (float) x;
  g_autoptr (NsImage) padded = ns_image_pad_reflect (row, 3, 0, 4, 0);
  const float expected[] = { 3, 2, 1, 0, 1, 2, 3, 4, 3, 2, 1, 0 };
  g_assert_cmpint (padded->width, ==, G_N_ELEMENTS (expected));
  g_assert_cmpint (padded->height, ==, 1);
  g_assert_cmpmem (padded->data, sizeof expected, expected, sizeof expected);

  /* The same along the other axis. */
  g_autoptr (NsImage) column = ns_image_new (1, 5, 1);
  for (int y = 0; y < 5; y++)
    column->data[y] = (float) y;
  g_autoptr (NsImage) padded_v = ns_image_pad_reflect (column, 0, 3, 0, 4);
  g_assert_cmpint (padded_v->height, ==, G_N_ELEMENTS (expected));
  g_assert_cmpmem (padded_v->data, sizeof expected, expected, sizeof expected);
}

/* Reference mirror: -1 -> 1, size -> size - 2. */
static int
mirror (int i, int size)
{
  if (i < 0)
    i = -i;
  if (i > size - 1)
    i = (size - 1) - (i - (size - 1));
  return i;
}

static void
test_pad_reflect_random (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  const struct { int w, h, c, left, top, right, bottom; } cases[] = {
    { 7, 5, 3, 3, 2, 4, 1 },
    { 9, 3, 1, 8, 2, 1, 0 },
    { 5, 11, 4, 0, 10, 4, 7 },
    { 3, 3, 3, 2, 2, 2, 2 },
    { 13, 7, 3, 0, 0, 0, 0 },
  };
  for (gsize n = 0; n < G_N_ELEMENTS (cases); n++)
    {
      const int w = cases[n].w, h = cases[n].h, c = cases[n].c;
      const int left = cases[n].left, top = cases[n].top;
      g_autoptr (NsImage) image = random_image (rand, w, h, c, 0.0, 1.0);
      g_autoptr (NsImage) padded =
        ns_image_pad_reflect (image, left, top, cases[n].right, cases[n].bottom);
      g_assert_cmpint (padded->width, ==, w + left + cases[n].right);
      g_assert_cmpint (padded->height, ==, h + top + cases[n].bottom);
      g_assert_cmpint (padded->channels, ==, c);
      for (int y = 0; y < padded->height; y++)
        for (int x = 0; x < padded->width; x++)
          {
            const float *got = ns_image_pixel (padded, x, y);
            const float *want = ns_image_pixel (image, mirror (x - left, w), mirror (y - top, h));
            g_assert_cmpmem (got, c * sizeof (float), want, c * sizeof (float));
          }

      /* Column -1 is column 1 and row -1 is row 1, not the edge again. */
      if (left > 0)
        for (int y = 0; y < h; y++)
          g_assert_cmpmem (ns_image_pixel (padded, left - 1, top + y), c * sizeof (float),
                           ns_image_pixel (image, 1, y), c * sizeof (float));
      if (top > 0)
        for (int x = 0; x < w; x++)
          g_assert_cmpmem (ns_image_pixel (padded, left + x, top - 1), c * sizeof (float),
                           ns_image_pixel (image, x, 1), c * sizeof (float));
    }
}

static void
test_pad_reflect_too_large (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (NsImage) image = ns_image_new (4, 6, 3);
      g_autoptr (NsImage) padded = ns_image_pad_reflect (image, 4, 0, 0, 0);
      g_assert_null (padded);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*left < image->width*");
}

static void
test_crop (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (2);
  g_autoptr (NsImage) image = random_image (rand, 9, 7, 3, 0.0, 1.0);
  g_autoptr (NsImage) crop = ns_image_crop (image, 2, 1, 4, 5);
  g_assert_cmpint (crop->width, ==, 4);
  g_assert_cmpint (crop->height, ==, 5);
  g_assert_cmpint (crop->channels, ==, 3);
  for (int y = 0; y < 5; y++)
    for (int x = 0; x < 4; x++)
      g_assert_cmpmem (ns_image_pixel (crop, x, y), 3 * sizeof (float),
                       ns_image_pixel (image, x + 2, y + 1), 3 * sizeof (float));

  /* The whole image and a corner pixel. */
  g_autoptr (NsImage) whole = ns_image_crop (image, 0, 0, 9, 7);
  assert_same_image (whole, image);
  g_autoptr (NsImage) corner = ns_image_crop (image, 8, 6, 1, 1);
  g_assert_cmpmem (corner->data, 3 * sizeof (float), ns_image_pixel (image, 8, 6), 3 * sizeof (float));
}

static void
test_to_rgb (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  g_autoptr (NsImage) grey = random_image (rand, 5, 3, 1, 0.0, 1.0);
  g_autoptr (NsImage) rgba = random_image (rand, 5, 3, 4, 0.0, 1.0);
  g_autoptr (NsImage) from_grey = ns_image_to_rgb (grey);
  g_autoptr (NsImage) from_rgba = ns_image_to_rgb (rgba);
  g_assert_cmpint (from_grey->channels, ==, 3);
  g_assert_cmpint (from_rgba->channels, ==, 3);
  for (int i = 0; i < 15; i++)
    for (int ch = 0; ch < 3; ch++)
      {
        g_assert_cmpfloat (from_grey->data[i * 3 + ch], ==, grey->data[i]);
        g_assert_cmpfloat (from_rgba->data[i * 3 + ch], ==, rgba->data[i * 4 + ch]);
      }
  g_autoptr (NsImage) again = ns_image_to_rgb (from_grey);
  assert_same_image (again, from_grey);
}

static void
test_with_alpha (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (31);
  g_autoptr (NsImage) rgb = random_image (rand, 6, 4, 3, -0.5, 1.5);
  g_autoptr (NsImage) rgba = random_image (rand, 6, 4, 4, 0.0, 1.0);
  g_autoptr (NsImage) joined = ns_image_with_alpha (rgb, rgba);
  g_autoptr (NsImage) opaque = ns_image_with_alpha (rgb, rgb);
  g_assert_cmpint (joined->channels, ==, 4);
  for (int i = 0; i < 24; i++)
    {
      for (int ch = 0; ch < 3; ch++)
        {
          g_assert_cmpfloat (joined->data[i * 4 + ch], ==, rgb->data[i * 3 + ch]);   /* unclamped */
          g_assert_cmpfloat (opaque->data[i * 4 + ch], ==, rgb->data[i * 3 + ch]);
        }
      g_assert_cmpfloat (joined->data[i * 4 + 3], ==, rgba->data[i * 4 + 3]);
      g_assert_cmpfloat (opaque->data[i * 4 + 3], ==, 1.0f);
    }
}

static void
test_resize_identity (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (4);
  g_autoptr (NsImage) image = random_image (rand, 11, 7, 3, 0.0, 1.0);
  g_autoptr (NsImage) same = ns_image_resize (image, 11, 7);
  assert_same_image (same, image);
}

static void
test_resize_half (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autoptr (NsImage) image = random_image (rand, 10, 6, 3, 0.0, 1.0);
  g_autoptr (NsImage) half = ns_image_resize (image, 5, 3);
  g_assert_cmpint (half->width, ==, 5);
  g_assert_cmpint (half->height, ==, 3);
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 5; x++)
      for (int ch = 0; ch < 3; ch++)
        {
          double box = (ns_image_pixel (image, 2 * x, 2 * y)[ch] +
                        ns_image_pixel (image, 2 * x + 1, 2 * y)[ch] +
                        ns_image_pixel (image, 2 * x, 2 * y + 1)[ch] +
                        ns_image_pixel (image, 2 * x + 1, 2 * y + 1)[ch]) / 4.0;
          g_assert_cmpfloat_with_epsilon (ns_image_pixel (half, x, y)[ch], box, 1e-6);
        }

  /* One axis only: 3x along x is the mean of three. */
  g_autoptr (NsImage) third = ns_image_resize (image, 10, 2);
  for (int x = 0; x < 10; x++)
    {
      double mean = (ns_image_pixel (image, x, 0)[1] + ns_image_pixel (image, x, 1)[1] +
                     ns_image_pixel (image, x, 2)[1]) / 3.0;
      g_assert_cmpfloat_with_epsilon (ns_image_pixel (third, x, 0)[1], mean, 1e-6);
    }
}

static void
test_resize_constant (void)
{
  const int sizes[][2] = {
    { 5, 3 }, { 29, 17 }, { 13, 20 }, { 4, 9 }, { 1, 1 }, { 40, 2 }, { 6, 7 }, { 100, 100 },
  };
  g_autoptr (NsImage) image = ns_image_new (13, 7, 3);
  for (gsize i = 0; i < n_floats (image); i++)
    image->data[i] = 0.37f;
  for (gsize n = 0; n < G_N_ELEMENTS (sizes); n++)
    {
      g_autoptr (NsImage) out = ns_image_resize (image, sizes[n][0], sizes[n][1]);
      g_assert_cmpint (out->width, ==, sizes[n][0]);
      g_assert_cmpint (out->height, ==, sizes[n][1]);
      for (gsize i = 0; i < n_floats (out); i++)
        g_assert_cmpfloat_with_epsilon (out->data[i], 0.37f, 1e-6);
    }
}

static void
test_resize_mean (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (6);
  g_autoptr (NsImage) image = random_image (rand, 100, 70, 3, 0.0, 1.0);
  const int sizes[][2] = { { 37, 23 }, { 99, 69 }, { 3, 2 }, { 1, 1 }, { 51, 70 } };
  for (gsize n = 0; n < G_N_ELEMENTS (sizes); n++)
    {
      g_autoptr (NsImage) out = ns_image_resize (image, sizes[n][0], sizes[n][1]);
      g_assert_cmpfloat_with_epsilon (image_mean (out), image_mean (image), 1e-5);
    }
}

/* Bilinear with pixel centres aligned: [0, 1] doubled samples at source
 * coordinates -0.25 (clamped), 0.25, 0.75, 1.25 (clamped). */
static void
test_resize_enlarge (void)
{
  g_autoptr (NsImage) image = ns_image_new (2, 1, 1);
  image->data[1] = 1.0f;
  g_autoptr (NsImage) out = ns_image_resize (image, 4, 3);
  const float expected[] = { 0.0f, 0.25f, 0.75f, 1.0f };
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 4; x++)
      g_assert_cmpfloat_with_epsilon (ns_image_pixel (out, x, y)[0], expected[x], 1e-7);
}

/* The long side rounds to nearest (halves up): 768 * 256 / 576 = 341.33 -> 341. */
static void
test_resize_short_side (void)
{
  const struct { int w, h, s, want_w, want_h; } cases[] = {
    { 768, 576, 256, 341, 256 },
    { 576, 768, 256, 256, 341 },
    { 300, 300, 100, 100, 100 },
    { 10, 4, 2, 5, 2 },       /* exact */
    { 7, 2, 1, 4, 1 },        /* 3.5 rounds up */
    { 1000, 3, 1, 333, 1 },
    { 3, 1000, 1, 1, 333 },
    { 64, 48, 480, 640, 480 } /* enlarging */
  };
  for (gsize n = 0; n < G_N_ELEMENTS (cases); n++)
    {
      g_autoptr (NsImage) image = ns_image_new (cases[n].w, cases[n].h, 3);
      g_autoptr (NsImage) out = ns_image_resize_short_side (image, cases[n].s);
      g_assert_cmpint (out->width, ==, cases[n].want_w);
      g_assert_cmpint (out->height, ==, cases[n].want_h);
    }
}

/* ------------------------------------------------------------------------ */

static void
test_png_round_trip (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *dir = make_tmp_dir ();
  const int channels[] = { 3, 1, 4 };
  for (gsize n = 0; n < G_N_ELEMENTS (channels); n++)
    {
      const int c = channels[n];
      g_autoptr (NsImage) image = ns_image_new (17, 11, c);
      for (gsize i = 0; i < n_floats (image); i++)
        image->data[i] = (float) g_rand_int_range (rand, 0, 256) / 255.0f;
      g_autofree char *name = g_strdup_printf ("round-trip-%d.png", c);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GError *error = NULL;
      g_assert_true (ns_image_save_png (image, path, &error));
      g_assert_no_error (error);

      g_autoptr (NsImage) loaded = ns_image_load (path, &error);
      g_assert_no_error (error);
      g_autoptr (NsImage) rgb = ns_image_to_rgb (image);
      assert_same_image (loaded, rgb);

      /* Keeping alpha: RGBA comes back whole, the others as RGB. */
      g_autoptr (NsImage) with_alpha = ns_image_load_with_alpha (path, &error);
      g_assert_no_error (error);
      if (c == 4)
        assert_same_image (with_alpha, image);
      else
        assert_same_image (with_alpha, rgb);
    }

  /* Out-of-range values are clamped. */
  g_autoptr (NsImage) wild = ns_image_new (2, 1, 1);
  wild->data[0] = -0.5f;
  wild->data[1] = 7.0f;
  g_autofree char *path = g_build_filename (dir, "clamped.png", NULL);
  g_assert_true (ns_image_save_png (wild, path, NULL));
  g_autoptr (NsImage) loaded = ns_image_load (path, NULL);
  g_assert_cmpfloat (loaded->data[0], ==, 0.0f);
  g_assert_cmpfloat (loaded->data[3], ==, 1.0f);

  remove_tmp_dir (dir);
}

static float
read_le_float (const char *p)
{
  guint32 bits;
  memcpy (&bits, p, sizeof bits);
  bits = GUINT32_FROM_LE (bits);
  float v;
  memcpy (&v, &bits, sizeof v);
  return v;
}

static void
test_pfm_round_trip (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (8);
  g_autofree char *dir = make_tmp_dir ();
  GError *error = NULL;

  /* RGB: unquantised, negative and > 1 values survive bit for bit. */
  g_autoptr (NsImage) image = random_image (rand, 5, 3, 3, -2.0, 5.0);
  g_autofree char *path = g_build_filename (dir, "round-trip.pfm", NULL);
  g_assert_true (ns_image_save_pfm (image, path, &error));
  g_assert_no_error (error);
  g_autoptr (NsImage) loaded = ns_image_load_pfm (path, &error);
  g_assert_no_error (error);
  assert_same_image (loaded, image);

  /* On disk: the header, then the bottom row first, little-endian. */
  g_autofree char *bytes = NULL;
  gsize size = 0;
  g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
  const char header[] = "PF\n5 3\n-1.0\n";
  const gsize header_size = sizeof header - 1;
  g_assert_cmpuint (size, ==, header_size + 5 * 3 * 3 * sizeof (float));
  g_assert_cmpmem (bytes, header_size, header, header_size);
  for (int x = 0; x < 5; x++)
    for (int ch = 0; ch < 3; ch++)
      {
        g_assert_cmpfloat (read_le_float (bytes + header_size + (x * 3 + ch) * 4), ==,
                           ns_image_pixel (image, x, 2)[ch]);
        g_assert_cmpfloat (read_le_float (bytes + header_size + ((2 * 5 + x) * 3 + ch) * 4), ==,
                           ns_image_pixel (image, x, 0)[ch]);
      }

  /* Grey: "Pf"; ns_image_load gives RGB. */
  g_autoptr (NsImage) grey = random_image (rand, 4, 6, 1, -1.0, 3.0);
  g_autofree char *grey_path = g_build_filename (dir, "grey.PFM", NULL);
  g_assert_true (ns_image_save (grey, grey_path, &error));
  g_assert_no_error (error);
  g_autofree char *grey_bytes = NULL;
  g_assert_true (g_file_get_contents (grey_path, &grey_bytes, NULL, NULL));
  g_assert_true (g_str_has_prefix (grey_bytes, "Pf\n4 6\n-1.0\n"));
  g_autoptr (NsImage) grey_loaded = ns_image_load_pfm (grey_path, &error);
  g_assert_no_error (error);
  assert_same_image (grey_loaded, grey);
  g_autoptr (NsImage) grey_rgb = ns_image_load (grey_path, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) grey_expanded = ns_image_to_rgb (grey);
  assert_same_image (grey_rgb, grey_expanded);

  remove_tmp_dir (dir);
}

/* A big-endian PFM (positive scale) written by hand. */
static void
test_pfm_big_endian (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "big.pfm", NULL);
  const float values[] = { 1.5f, -2.25f };  /* bottom row, then top row */
  GString *contents = g_string_new ("Pf 1 2 1.0\n");
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      guint32 bits;
      memcpy (&bits, &values[i], sizeof bits);
      bits = GUINT32_TO_BE (bits);
      g_string_append_len (contents, (const char *) &bits, sizeof bits);
    }
  g_assert_true (g_file_set_contents (path, contents->str, (gssize) contents->len, NULL));
  g_string_free (contents, TRUE);

  GError *error = NULL;
  g_autoptr (NsImage) image = ns_image_load_pfm (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 1);
  g_assert_cmpint (image->height, ==, 2);
  g_assert_cmpint (image->channels, ==, 1);
  g_assert_cmpfloat (image->data[0], ==, -2.25f);
  g_assert_cmpfloat (image->data[1], ==, 1.5f);
  remove_tmp_dir (dir);
}

static void
test_load_golden (void)
{
  GError *error = NULL;
  g_autoptr (NsImage) image = ns_image_load (NS_SHARED_DIR "/goldens/pair00_content.png", &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 256);
  g_assert_cmpint (image->height, ==, 256);
  g_assert_cmpint (image->channels, ==, 3);
  gboolean any_nonzero = FALSE;
  for (gsize i = 0; i < n_floats (image); i++)
    {
      const float v = image->data[i];
      g_assert_cmpfloat (v, >=, 0.0f);
      g_assert_cmpfloat (v, <=, 1.0f);
      const float byte = rintf (v * 255.0f);
      g_assert_cmpfloat (v, ==, byte / 255.0f);
      any_nonzero |= v != 0.0f;
    }
  g_assert_true (any_nonzero);
}

/* A JPEG whose EXIF says "rotate 90° clockwise to display" (orientation 6)
 * loads upright: the stored left half, white, becomes the top half. */
static void
test_load_exif_orientation (void)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 16, 8);
  gdk_pixbuf_fill (pixbuf, 0x000000ff);
  g_autoptr (GdkPixbuf) left = gdk_pixbuf_new_subpixbuf (pixbuf, 0, 0, 8, 8);
  gdk_pixbuf_fill (left, 0xffffffff);
  g_autofree char *jpeg = NULL;
  gsize jpeg_size = 0;
  GError *error = NULL;
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &jpeg_size, "jpeg", &error,
                                            "quality", "100", NULL));
  g_assert_no_error (error);
  g_assert_cmpuint (jpeg_size, >, 2);

  /* APP1 "Exif": little-endian TIFF header, one IFD entry 0x0112 = 6. */
  static const guint8 exif[] = {
    0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
    'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,
    0x01, 0x00,
    0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  };
  GByteArray *file = g_byte_array_new ();
  g_byte_array_append (file, (const guint8 *) jpeg, 2);  /* SOI */
  g_byte_array_append (file, exif, sizeof exif);
  g_byte_array_append (file, (const guint8 *) jpeg + 2, (guint) jpeg_size - 2);

  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "rotated.jpg", NULL);
  g_assert_true (g_file_set_contents (path, (const char *) file->data, (gssize) file->len, NULL));
  g_byte_array_unref (file);

  g_autoptr (NsImage) image = ns_image_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 8);
  g_assert_cmpint (image->height, ==, 16);
  g_assert_cmpfloat (ns_image_pixel (image, 2, 2)[0], >, 0.9f);
  g_assert_cmpfloat (ns_image_pixel (image, 2, 13)[0], <, 0.1f);
  remove_tmp_dir (dir);
}

/* ------------------------------------------------------------------------ */

static void
assert_error_names (const GError *error, const char *path)
{
  g_assert_nonnull (error);
  g_autofree char *name = g_path_get_basename (path);
  if (strstr (error->message, name) == NULL)
    g_error ("“%s” does not name %s", error->message, name);
  g_test_message ("%s", error->message);
}

static void
test_error_missing (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const char *names[] = { "missing.png", "missing.pfm" };
  for (gsize n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autofree char *path = g_build_filename (dir, names[n], NULL);
      GError *error = NULL;
      g_autoptr (NsImage) image = ns_image_load (path, &error);
      g_assert_null (image);
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      assert_error_names (error, path);
      g_clear_error (&error);
    }
  remove_tmp_dir (dir);
}

static void
test_error_garbage (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "x.png", NULL);
  const char garbage[] = "this is not an image, only some words\n\001\002\003\377";
  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage, NULL));
  GError *error = NULL;
  g_autoptr (NsImage) image = ns_image_load (path, &error);
  g_assert_null (image);
  assert_error_names (error, path);
  g_clear_error (&error);

  /* A PNG cut off half-way. */
  g_autoptr (NsImage) small = ns_image_new (32, 32, 3);
  for (gsize i = 0; i < n_floats (small); i++)
    small->data[i] = (float) (i % 256) / 255.0f;
  g_autofree char *cut_path = g_build_filename (dir, "cut.png", NULL);
  g_assert_true (ns_image_save_png (small, cut_path, NULL));
  g_autofree char *png = NULL;
  gsize png_size;
  g_assert_true (g_file_get_contents (cut_path, &png, &png_size, NULL));
  g_assert_true (g_file_set_contents (cut_path, png, (gssize) png_size / 2, NULL));
  g_autoptr (NsImage) cut = ns_image_load (cut_path, &error);
  g_assert_null (cut);
  assert_error_names (error, cut_path);
  g_clear_error (&error);

  /* An empty file, and a folder where an image was expected. */
  g_autofree char *empty_path = g_build_filename (dir, "empty.png", NULL);
  g_assert_true (g_file_set_contents (empty_path, "", 0, NULL));
  g_autoptr (NsImage) empty = ns_image_load (empty_path, &error);
  g_assert_null (empty);
  assert_error_names (error, empty_path);
  g_clear_error (&error);
  g_autofree char *folder = g_build_filename (dir, "folder.png", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_autoptr (NsImage) from_folder = ns_image_load (folder, &error);
  g_assert_null (from_folder);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  assert_error_names (error, folder);
  g_clear_error (&error);
  g_assert_cmpint (g_rmdir (folder), ==, 0);

  remove_tmp_dir (dir);
}

static void
test_error_bad_pfm (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (9);
  g_autoptr (NsImage) image = random_image (rand, 6, 4, 3, -1.0, 1.0);
  g_autofree char *path = g_build_filename (dir, "truncated.pfm", NULL);
  g_assert_true (ns_image_save_pfm (image, path, NULL));
  g_autofree char *bytes = NULL;
  gsize size;
  g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
  g_assert_true (g_file_set_contents (path, bytes, (gssize) size - 5, NULL));

  GError *error = NULL;
  g_autoptr (NsImage) truncated = ns_image_load_pfm (path, &error);
  g_assert_null (truncated);
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE);
  assert_error_names (error, path);
  g_clear_error (&error);

  /* Broken headers. */
  const char *headers[] = {
    "P6\n6 4\n255\n",       /* not PFM */
    "PF\n6\n-1.0\n",        /* no height */
    "PF\n0 4\n-1.0\n",      /* zero width */
    "PF\n-6 4\n-1.0\n",     /* negative width */
    "PF\n6x 4\n-1.0\n",     /* junk after a number */
    "PF\n6 4\n0.0\n",       /* zero scale */
    "PF\n6 4\nabc\n",       /* no scale */
    "PF\n99999999999 4\n-1.0\n",
    "PF\n2000000000 2000000000\n-1.0\n",
    "",
  };
  for (gsize n = 0; n < G_N_ELEMENTS (headers); n++)
    {
      g_autofree char *name = g_strdup_printf ("bad-%" G_GSIZE_FORMAT ".pfm", n);
      g_autofree char *bad_path = g_build_filename (dir, name, NULL);
      g_assert_true (g_file_set_contents (bad_path, headers[n], -1, NULL));
      g_autoptr (NsImage) bad = ns_image_load (bad_path, &error);
      g_assert_null (bad);
      const int code = n == 0 || n == 9 ? GDK_PIXBUF_ERROR_UNKNOWN_TYPE : GDK_PIXBUF_ERROR_CORRUPT_IMAGE;
      g_assert_error (error, GDK_PIXBUF_ERROR, code);
      assert_error_names (error, bad_path);
      g_clear_error (&error);
    }
  remove_tmp_dir (dir);
}

static void
test_error_save (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (NsImage) image = ns_image_new (3, 2, 3);
  const char *names[] = { "out.png", "out.pfm" };
  for (gsize n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autofree char *path = g_build_filename (dir, "no-such-folder", names[n], NULL);
      GError *error = NULL;
      g_assert_false (ns_image_save (image, path, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
      assert_error_names (error, path);
      g_clear_error (&error);
    }
  /* Nothing was created: neither the folder nor a stray temporary file. */
  g_assert_cmpuint (count_files (dir), ==, 0);

  /* Overwriting works and leaves no temporary file behind. */
  g_autofree char *path = g_build_filename (dir, "out.png", NULL);
  g_assert_true (ns_image_save (image, path, NULL));
  g_assert_true (ns_image_save (image, path, NULL));
  g_assert_cmpuint (count_files (dir), ==, 1);
  remove_tmp_dir (dir);
}

/* Without the shared MIME database gdk-pixbuf recognises no format; PNG and
 * JPEG still load, by their signatures.  In a subprocess, so that GIO reads
 * the (absent) database afresh. */
static void
test_load_without_mime_database (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *empty = g_dir_make_tmp ("ns-no-mime-XXXXXX", NULL);
      g_setenv ("XDG_DATA_DIRS", empty, TRUE);
      g_setenv ("XDG_DATA_HOME", empty, TRUE);
      g_autoptr (GError) error = NULL;
      g_autoptr (NsImage) png = ns_image_load (NS_SHARED_DIR "/goldens/pair00_content.png", &error);
      g_assert_no_error (error);
      g_assert_cmpint (png->width, ==, 256);
      g_autoptr (NsImage) jpeg = ns_image_load (NS_SHARED_DIR "/samples/tubingen.jpg", &error);
      g_assert_no_error (error);
      g_assert_cmpint (jpeg->width, ==, 768);
      g_assert_cmpint (jpeg->height, ==, 576);
      g_rmdir (empty);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}


/* ------------------------------------------------------------------------
 * Hostile files (issue 16): sizes read before decoding, files cut short,
 * non-finite pixels, and writes that must not replace what is not a file. */

static void
assert_message_has (const GError *error, const char *part)
{
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (strstr (error->message, part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, part);
}

/* A PNG that claims 20000 x 20000 pixels is refused from its header: the
 * sentence gives the size, and (in a subprocess, to measure) no more than a
 * few MB are ever held.  A PFM's header likewise. */
static void
test_too_large_before_decoding (void)
{
  if (g_test_subprocess ())
    {
      struct rusage baseline;   /* sanitizers start far above a plain build */
      g_assert_cmpint (getrusage (RUSAGE_SELF, &baseline), ==, 0);
      g_autofree char *dir = make_tmp_dir ();
      g_autofree char *png = g_build_filename (dir, "huge.png", NULL);
      g_autofree char *pfm = g_build_filename (dir, "huge.pfm", NULL);
      ns_test_write_png_header_only (png, 20000, 20000);
      g_assert_true (g_file_set_contents (pfm, "PF\n20000 20000\n-1.0\n", -1, NULL));
      const char *paths[] = { png, pfm };
      for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
        {
          GError *error = NULL;
          g_autoptr (NsImage) image = ns_image_load (paths[i], &error);
          g_assert_null (image);
          assert_error_names (error, paths[i]);
          assert_message_has (error, "20000 × 20000");
          assert_message_has (error, "at most 16384");
          g_clear_error (&error);
        }
      struct rusage usage;
      g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
      g_test_message ("peak resident memory %ld KiB, %ld KiB at the start", usage.ru_maxrss, baseline.ru_maxrss);
      g_assert_cmpint (usage.ru_maxrss - baseline.ru_maxrss, <, 100 * 1024);
      remove_tmp_dir (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A JPEG cut in half is an error naming the file (gdk-pixbuf alone gives its
 * top half over grey); bytes after the end marker are no harm. */
static void
test_jpeg_cut_short (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autofree char *jpeg = NULL;
  gsize size = 0;
  g_assert_true (g_file_get_contents (NS_SHARED_DIR "/samples/tubingen.jpg", &jpeg, &size, NULL));
  g_autofree char *cut = g_build_filename (dir, "cut.jpg", NULL);
  g_assert_true (g_file_set_contents (cut, jpeg, (gssize) size / 2, NULL));
  GError *error = NULL;
  g_autoptr (NsImage) image = ns_image_load (cut, &error);
  g_assert_null (image);
  assert_error_names (error, cut);
  assert_message_has (error, "cut short");
  g_clear_error (&error);

  g_autofree char *trailing = g_build_filename (dir, "trailing.jpg", NULL);
  GString *with_junk = g_string_new_len (jpeg, (gssize) size);
  g_string_append (with_junk, "some bytes a camera added");
  g_assert_true (g_file_set_contents (trailing, with_junk->str, (gssize) with_junk->len, NULL));
  g_string_free (with_junk, TRUE);
  g_autoptr (NsImage) whole = ns_image_load (trailing, &error);
  g_assert_no_error (error);
  g_assert_cmpint (whole->width, ==, 768);

  /* A PNG without its end chunk is cut short too. */
  g_autofree char *png = NULL;
  g_autofree char *png_path = g_build_filename (dir, "no-end.png", NULL);
  g_autoptr (NsImage) small = ns_image_new (20, 20, 3);
  g_assert_true (ns_image_save_png (small, png_path, NULL));
  g_assert_true (g_file_get_contents (png_path, &png, &size, NULL));
  g_assert_true (g_file_set_contents (png_path, png, (gssize) size - 12, NULL));
  g_autoptr (NsImage) no_end = ns_image_load (png_path, &error);
  g_assert_null (no_end);
  assert_message_has (error, "cut short");
  g_clear_error (&error);
  remove_tmp_dir (dir);
}

static void
write_pfm_with (const char *path, float value)
{
  GString *pfm = g_string_new ("PF\n2 2\n-1.0\n");
  for (int i = 0; i < 12; i++)
    {
      guint32 bits;
      const float v = i == 4 ? value : 0.5f;
      memcpy (&bits, &v, sizeof bits);
      bits = GUINT32_TO_LE (bits);
      g_string_append_len (pfm, (const char *) &bits, sizeof bits);
    }
  g_assert_true (g_file_set_contents (path, pfm->str, (gssize) pfm->len, NULL));
  g_string_free (pfm, TRUE);
}

static void
test_pfm_non_finite (void)
{
  g_autofree char *dir = make_tmp_dir ();
  const float values[] = { NAN, INFINITY, -INFINITY };
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *path = g_build_filename (dir, "x.pfm", NULL);
      write_pfm_with (path, values[i]);
      GError *error = NULL;
      g_autoptr (NsImage) image = ns_image_load (path, &error);
      g_assert_null (image);
      assert_error_names (error, path);
      assert_message_has (error, "not a finite number");
      assert_message_has (error, "at pixel (1, 1)");   /* value 4: the bottom row comes first */
      g_clear_error (&error);
    }
  remove_tmp_dir (dir);
}

static gboolean
is_png_file (const char *path)
{
  g_autofree char *bytes = NULL;
  gsize size = 0;
  return g_file_get_contents (path, &bytes, &size, NULL) && size > 8 && memcmp (bytes, "\x89PNG", 4) == 0;
}

static gboolean
is_link (const char *path)
{
  GStatBuf st;
  return g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode);
}

/* A symbolic link is written through (to a file, a file not there yet,
 * /dev/null), and stays a link. */
static void
test_save_through_links (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (NsImage) image = ns_image_new (4, 4, 3);
  g_autofree char *target = g_build_filename (dir, "target.png", NULL);
  g_autofree char *link = g_build_filename (dir, "link.png", NULL);
  g_autofree char *dangling = g_build_filename (dir, "dangling.png", NULL);
  g_autofree char *to_null = g_build_filename (dir, "null", NULL);
  g_assert_true (g_file_set_contents (target, "old", -1, NULL));
  g_assert_cmpint (symlink ("target.png", link), ==, 0);
  g_assert_cmpint (symlink ("new.png", dangling), ==, 0);
  g_assert_cmpint (symlink ("/dev/null", to_null), ==, 0);
  GError *error = NULL;
  const char *links[] = { link, dangling, to_null };
  for (gsize i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_assert_true (ns_image_save (image, links[i], &error));
      g_assert_no_error (error);
      g_assert_true (is_link (links[i]));
    }
  g_assert_true (is_png_file (target));
  g_autofree char *created = g_build_filename (dir, "new.png", NULL);
  g_assert_true (is_png_file (created));
  GStatBuf st;
  g_assert_cmpint (g_stat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  g_assert_cmpuint (count_files (dir), ==, 5);   /* no temporary file either */
  remove_tmp_dir (dir);
}

/* A FIFO and a folder are refused and left as they were; a character device
 * node (made where this runs as root) is written into, not replaced. */
static void
test_save_refuses_special_files (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (NsImage) image = ns_image_new (4, 4, 3);
  g_autofree char *fifo = g_build_filename (dir, "fifo.png", NULL);
  g_autofree char *folder = g_build_filename (dir, "folder.png", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  GError *error = NULL;
  g_assert_false (ns_image_save (image, fifo, &error));
  assert_error_names (error, fifo);
  assert_message_has (error, "named pipe (FIFO)");
  g_clear_error (&error);
  g_assert_false (ns_image_check_writable (fifo, &error));
  assert_message_has (error, "named pipe (FIFO)");
  g_clear_error (&error);
  g_assert_false (ns_image_save (image, folder, &error));
  assert_message_has (error, "folder");
  g_clear_error (&error);
  GStatBuf st;
  g_assert_cmpint (g_lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
  g_assert_cmpint (g_lstat (folder, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));

  g_autofree char *device = g_build_filename (dir, "device", NULL);
  if (mknod (device, S_IFCHR | 0666, makedev (1, 3)) == 0)   /* a second /dev/null */
    {
      g_assert_true (ns_image_check_writable (device, &error));
      g_assert_true (ns_image_save (image, device, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_lstat (device, &st), ==, 0);
      g_assert_true (S_ISCHR (st.st_mode));
    }
  else   /* not root: the link to /dev/null in /image/io/save-through-links writes into a device */
    g_test_message ("mknod: %s", g_strerror (errno));
  g_assert_cmpuint (count_files (dir), ==, g_file_test (device, G_FILE_TEST_EXISTS) ? 3 : 2);
  g_rmdir (folder);
  remove_tmp_dir (dir);
}

/* Before any work: the true reason a file cannot be written, no file left. */
static void
test_check_writable (void)
{
  g_autofree char *dir = make_tmp_dir ();
  GError *error = NULL;
  g_autofree char *good = g_build_filename (dir, "out.JPEG", NULL);
  g_assert_true (ns_image_check_writable (good, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (dir), ==, 0);

  g_autofree char *missing = g_build_filename (dir, "not-there", "out.png", NULL);
  g_assert_false (ns_image_check_writable (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  assert_message_has (error, "the folder does not exist");
  g_clear_error (&error);

  g_assert_false (ns_image_check_writable ("", &error));
  assert_message_has (error, "the file name is empty");
  g_clear_error (&error);

  /* Links that lead round in a circle. */
  g_autofree char *loop_a = g_build_filename (dir, "a.png", NULL);
  g_autofree char *loop_b = g_build_filename (dir, "b.png", NULL);
  g_assert_cmpint (symlink ("b.png", loop_a), ==, 0);
  g_assert_cmpint (symlink ("a.png", loop_b), ==, 0);
  g_assert_false (ns_image_check_writable (loop_a, &error));
  assert_message_has (error, "round in a circle");
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (loop_a), ==, 0);
  g_assert_cmpint (g_unlink (loop_b), ==, 0);

  g_assert_false (ns_image_check_writable ("/proc/out.png", &error));
  assert_message_has (error, "no file can be created in the folder “/proc”");
  g_clear_error (&error);

  g_autofree char *unknown = g_build_filename (dir, "out.xyz", NULL);
  g_assert_false (ns_image_check_writable (unknown, &error));
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE);
  assert_message_has (error, ".jpeg");
  g_clear_error (&error);
  g_autoptr (NsImage) image = ns_image_new (4, 4, 3);
  g_assert_false (ns_image_save (image, unknown, &error));
  g_assert_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (dir), ==, 0);
  remove_tmp_dir (dir);
}

/* .jpg and .jpeg write JPEG (alpha dropped), not PNG bytes under that name. */
static void
test_save_jpeg (void)
{
  g_autofree char *dir = make_tmp_dir ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (16);
  g_autoptr (NsImage) image = random_image (rand, 24, 16, 4, 0.0, 1.0);
  const char *names[] = { "out.jpg", "out.JPEG" };
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      GError *error = NULL;
      g_assert_true (ns_image_save (image, path, &error));
      g_assert_no_error (error);
      g_autofree char *bytes = NULL;
      gsize size = 0;
      g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
      g_assert_cmpuint (size, >, 3);
      g_assert_cmpmem (bytes, 3, "\xff\xd8\xff", 3);
      g_autoptr (NsImage) loaded = ns_image_load_with_alpha (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (loaded->channels, ==, 3);
      g_assert_cmpint (loaded->width, ==, 24);
    }
  remove_tmp_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image/pad-reflect/1d", test_pad_reflect_1d);
  g_test_add_func ("/image/pad-reflect/random", test_pad_reflect_random);
  g_test_add_func ("/image/pad-reflect/too-large", test_pad_reflect_too_large);
  g_test_add_func ("/image/crop", test_crop);
  g_test_add_func ("/image/to-rgb", test_to_rgb);
  g_test_add_func ("/image/with-alpha", test_with_alpha);
  g_test_add_func ("/image/resize/identity", test_resize_identity);
  g_test_add_func ("/image/resize/half", test_resize_half);
  g_test_add_func ("/image/resize/constant", test_resize_constant);
  g_test_add_func ("/image/resize/mean", test_resize_mean);
  g_test_add_func ("/image/resize/enlarge", test_resize_enlarge);
  g_test_add_func ("/image/resize/short-side", test_resize_short_side);
  g_test_add_func ("/image/io/png-round-trip", test_png_round_trip);
  g_test_add_func ("/image/io/pfm-round-trip", test_pfm_round_trip);
  g_test_add_func ("/image/io/pfm-big-endian", test_pfm_big_endian);
  g_test_add_func ("/image/io/load-golden", test_load_golden);
  g_test_add_func ("/image/io/exif-orientation", test_load_exif_orientation);
  g_test_add_func ("/image/io/without-mime-database", test_load_without_mime_database);
  g_test_add_func ("/image/io/error-missing", test_error_missing);
  g_test_add_func ("/image/io/error-garbage", test_error_garbage);
  g_test_add_func ("/image/io/error-bad-pfm", test_error_bad_pfm);
  g_test_add_func ("/image/io/error-save", test_error_save);
  g_test_add_func ("/image/io/too-large-before-decoding", test_too_large_before_decoding);
  g_test_add_func ("/image/io/jpeg-cut-short", test_jpeg_cut_short);
  g_test_add_func ("/image/io/pfm-non-finite", test_pfm_non_finite);
  g_test_add_func ("/image/io/save-through-links", test_save_through_links);
  g_test_add_func ("/image/io/save-refuses-special-files", test_save_refuses_special_files);
  g_test_add_func ("/image/io/check-writable", test_check_writable);
  g_test_add_func ("/image/io/save-jpeg", test_save_jpeg);

  return g_test_run ();
}
