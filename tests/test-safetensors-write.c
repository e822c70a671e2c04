/* The safetensors writer (weights/ns-safetensors-write.c): what it writes
 * reads back through the strict reader (F32 exactly, F16 to the nearest
 * half, which the reader turns back exactly), the header is 8-aligned, the
 * metadata survives, and values that do not fit leave no file behind. */
#include "ns-safetensors-write.h"
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

static char *
temp_path (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ns-st-write-XXXXXX", &error);
  g_assert_no_error (error);
  return g_build_filename (dir, name, NULL);
}

static void
remove_file_and_dir (const char *path)
{
  g_remove (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_rmdir (dir);
}

static void
test_round_trip (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  const gint64 wshape[] = { 4, 3, 3, 3 }, bshape[] = { 4 };
  float w[108], b[4];
  for (int i = 0; i < 108; i++)
    w[i] = (float) g_rand_double_range (rand, -2, 2);
  b[0] = 0, b[1] = 65504.0f, b[2] = -1e-6f, b[3] = 2.9e-8f;   /* the largest half, a subnormal, an underflow */
  const NsSafetensorsTensor tensors[] = { { "dec1_1.weight", wshape, 4, w }, { "dec1_1.bias", bshape, 1, b } };
  const char *const metadata[] = { "iterations", "12", "loss", "content + 10 style", NULL };
  for (int d = 0; d < 2; d++)
    {
      g_autoptr (GError) error = NULL;
      NsDtype dtype = d == 0 ? NS_DTYPE_F32 : NS_DTYPE_F16;
      g_autofree char *path = temp_path ("decoder.safetensors");
      g_assert_true (ns_safetensors_write (path, tensors, 2, dtype, metadata, &error));
      g_assert_no_error (error);
      g_autofree char *bytes = NULL;
      gsize len = 0;
      g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
      guint64 header = 0;
      memcpy (&header, bytes, 8);
      g_assert_cmpuint (GUINT64_FROM_LE (header) % 8, ==, 0);
      g_assert_cmpuint (len, ==, 8 + GUINT64_FROM_LE (header) + 112 * (dtype == NS_DTYPE_F16 ? 2 : 4));

      g_autoptr (NsSafetensors) file = ns_safetensors_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (ns_safetensors_get_metadata (file, "iterations"), ==, "12");
      g_assert_cmpstr (ns_safetensors_get_metadata (file, "loss"), ==, "content + 10 style");
      g_assert_cmpstr (ns_safetensors_get_tensor_name (file, 0), ==, "dec1_1.weight");
      g_autofree float *rw = ns_safetensors_read_f32 (file, "dec1_1.weight", wshape, 4, &error);
      g_autofree float *rb = ns_safetensors_read_f32 (file, "dec1_1.bias", bshape, 1, &error);
      g_assert_no_error (error);
      for (int i = 0; i < 108; i++)
        if (dtype == NS_DTYPE_F32)
          g_assert_cmpfloat (rw[i], ==, w[i]);
        else   /* the nearest half: within half a unit in the last place (2^-11 relative) */
          g_assert_cmpfloat (fabsf (rw[i] - w[i]), <=, ldexpf (1.0f, -11) * fabsf (w[i]) + 1e-7f);
      g_assert_cmpfloat (rb[1], ==, 65504.0f);
      if (dtype == NS_DTYPE_F16)
        {
          g_assert_cmpfloat (rb[2], ==, -ldexpf (17.0f, -24));   /* -1e-6 is 16.78 x 2^-24 */
          g_assert_cmpfloat (rb[3], ==, 0.0f);                  /* under half the smallest subnormal */
        }
      remove_file_and_dir (path);
    }
}

static void
test_half_rounding (void)
{
  g_assert_cmpuint (ns_float_to_half (1.0f), ==, 0x3c00);
  g_assert_cmpuint (ns_float_to_half (-2.0f), ==, 0xc000);
  g_assert_cmpuint (ns_float_to_half (1.0f + ldexpf (1.0f, -11)), ==, 0x3c00);   /* a tie: to even */
  g_assert_cmpuint (ns_float_to_half (1.0f + 3 * ldexpf (1.0f, -11)), ==, 0x3c02);   /* a tie: to even, upwards */
  g_assert_cmpuint (ns_float_to_half (65520.0f), ==, 0x7c00);   /* rounds past the largest half */
  g_assert_cmpuint (ns_float_to_half (ldexpf (1.0f, -24)), ==, 0x0001);
  g_assert_cmpuint (ns_float_to_half (ldexpf (1.0f, -25)), ==, 0x0000);   /* a tie: to even, zero */
  g_assert_cmpuint (ns_float_to_half (ldexpf (3.0f, -25)), ==, 0x0002);   /* a tie: to even, upwards */
  g_assert_cmpuint (ns_float_to_half (ldexpf (1.0f, -14)), ==, 0x0400);   /* the smallest normal */
  g_assert_cmpuint (ns_float_to_half (ldexpf (1023.0f, -24)), ==, 0x03ff);
}

static void
test_refuses_what_does_not_fit (void)
{
  const gint64 shape[] = { 3 };
  const float big[] = { 1, 70000.0f, 2 }, nan_values[] = { 0, NAN, 0 };
  struct { NsDtype dtype; const float *data; } cases[] = {
    { NS_DTYPE_F16, big }, { NS_DTYPE_F32, nan_values }, { NS_DTYPE_F16, nan_values },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = temp_path ("bad.safetensors");
      const NsSafetensorsTensor t = { "x", shape, 1, cases[i].data };
      g_assert_false (ns_safetensors_write (path, &t, 1, cases[i].dtype, NULL, &error));
      g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_NONFINITE);
      g_assert_nonnull (strstr (error->message, "element 1"));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      remove_file_and_dir (path);
    }
  /* A folder that is not there: an I/O error, no file. */
  g_autoptr (GError) error = NULL;
  const NsSafetensorsTensor t = { "x", shape, 1, big };
  g_assert_false (ns_safetensors_write ("/nonexistent-folder/x.safetensors", &t, 1, NS_DTYPE_F32, NULL, &error));
  g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/safetensors-write/round-trip", test_round_trip);
  g_test_add_func ("/safetensors-write/half-rounding", test_half_rounding);
  g_test_add_func ("/safetensors-write/refuses-what-does-not-fit", test_refuses_what_does_not_fit);
  return g_test_run ();
}
