/* Tests for the safetensors reader and the weights lookup: valid files built
 * from scratch read back exactly, each defect is refused with its own code
 * and a message naming the file and tensor, the shipped weights open. */
#include "config.h"

#include "ns-safetensors.h"
#include "ns-weights-path.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* A scratch directory removed with everything in it. */
typedef struct {
  char *path;
} TmpDir;

static TmpDir *
tmp_dir_new (void)
{
  g_autoptr (GError) error = NULL;
  TmpDir *t = g_new0 (TmpDir, 1);
  t->path = g_dir_make_tmp ("test-safetensors-XXXXXX", &error);
  g_assert_no_error (error);
  return t;
}

static void
tmp_dir_free (TmpDir *t)
{
  g_autoptr (GDir) dir = g_dir_open (t->path, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (t->path, name, NULL);
      g_remove (p);
    }
  g_rmdir (t->path);
  g_free (t->path);
  g_free (t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TmpDir, tmp_dir_free)

static char *
write_raw (TmpDir *t, const char *name, const void *bytes, gsize len)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (t->path, name, NULL);
  g_file_set_contents (path, bytes, (gssize) len, &error);
  g_assert_no_error (error);
  return path;
}

/* A safetensors file: little-endian header length, header, data. */
static char *
write_st (TmpDir *t, const char *name, const char *header, const void *data, gsize data_len)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  guint64 n = GUINT64_TO_LE ((guint64) strlen (header));
  g_byte_array_append (buf, (const guint8 *) &n, sizeof n);
  g_byte_array_append (buf, (const guint8 *) header, (guint) strlen (header));
  if (data_len > 0)
    g_byte_array_append (buf, data, (guint) data_len);
  return write_raw (t, name, buf->data, buf->len);
}

static void
assert_message (const GError *error, const char *path, const char *tensor, const char *extra)
{
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  if (tensor != NULL)
    g_assert_nonnull (strstr (error->message, tensor));
  if (extra != NULL)
    g_assert_nonnull (strstr (error->message, extra));
}

/* Opening must fail with code; the message names the file, tensor and extra. */
static void
expect_open_error (const char *header, const void *data, gsize data_len, int code,
                   const char *tensor, const char *extra)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  g_autofree char *path = write_st (t, "bad.safetensors", header, data, data_len);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) st = ns_safetensors_open (path, &error);
  g_assert_null (st);
  g_assert_error (error, NS_SAFETENSORS_ERROR, code);
  assert_message (error, path, tensor, extra);
}

static guint16
le16 (guint16 v)
{
  return GUINT16_TO_LE (v);
}

static guint32
f32_le (float f)
{
  guint32 b;
  memcpy (&b, &f, sizeof b);
  return GUINT32_TO_LE (b);
}

static void
test_valid_f16 (void)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  const guint16 halves[] = {
    le16 (0x3c00), /* 1.0 */
    le16 (0xc000), /* -2.0 */
    le16 (0x0001), /* smallest subnormal, 2^-24 */
    le16 (0x83ff), /* largest negative subnormal, -1023 * 2^-24 */
    le16 (0x7bff), /* largest finite, 65504 */
    le16 (0x3555), /* 0.333251953125 */
  };
  const float expected[] = { 1.0f, -2.0f, 5.9604644775390625e-08f, -6.097555160522461e-05f,
                             65504.0f, 0.333251953125f };
  g_autofree char *path = write_st (t, "ok16.safetensors",
    "{\"__metadata__\":{\"format\":\"pt\"},"
    "\"w\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]},"
    "\"empty\":{\"dtype\":\"F16\",\"shape\":[0,4],\"data_offsets\":[12,12]}}",
    halves, sizeof halves);

  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) st = ns_safetensors_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ns_safetensors_get_name (st), ==, path);
  g_assert_cmpuint (ns_safetensors_get_n_tensors (st), ==, 2);
  g_assert_cmpstr (ns_safetensors_get_tensor_name (st, 0), ==, "w");
  g_assert_cmpstr (ns_safetensors_get_tensor_name (st, 1), ==, "empty");
  g_assert_null (ns_safetensors_get_tensor_name (st, 2));
  g_assert_true (ns_safetensors_has_tensor (st, "w"));
  g_assert_false (ns_safetensors_has_tensor (st, "__metadata__"));
  g_assert_cmpstr (ns_safetensors_get_metadata (st, "format"), ==, "pt");
  g_assert_null (ns_safetensors_get_metadata (st, "nope"));

  gint64 shape[NS_SAFETENSORS_MAX_DIMS];
  guint n_dims = 0;
  g_assert_true (ns_safetensors_get_shape (st, "w", shape, &n_dims));
  g_assert_cmpuint (n_dims, ==, 2);
  g_assert_cmpint (shape[0], ==, 2);
  g_assert_cmpint (shape[1], ==, 3);
  g_assert_false (ns_safetensors_get_shape (st, "nope", shape, &n_dims));

  const gint64 want[] = { 2, 3 };
  g_autofree float *v = ns_safetensors_read_f32 (st, "w", want, 2, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpfloat (v[i], ==, expected[i]);

  const gint64 want_empty[] = { 0, 4 };
  g_autofree float *e = ns_safetensors_read_f32 (st, "empty", want_empty, 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (e);
}

static void
test_valid_f32_unaligned (void)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  const float values[] = { 1.5f, -3.25f, 1e30f, 1e-40f /* subnormal */, 0.0f };
  guint8 data[1 + sizeof values];
  data[0] = 0xee; /* pad byte so the F32 tensor starts at an odd address */
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      guint32 b = f32_le (values[i]);
      memcpy (data + 1 + 4 * i, &b, 4);
    }
  /* Header length 63: odd, so the data is unaligned in memory too. */
  const char *header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[1,21]}}      ";
  g_autofree char *path = write_st (t, "ok32.safetensors", header, data, sizeof data);

  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) st = ns_safetensors_open (path, &error);
  g_assert_no_error (error);
  const gint64 want[] = { 5 };
  g_autofree float *v = ns_safetensors_read_f32 (st, "x", want, 1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpfloat (v[i], ==, values[i]);
}

static void
test_from_bytes (void)
{
  const guint8 raw[] = { 2, 0, 0, 0, 0, 0, 0, 0, '{', '}' };
  g_autoptr (GBytes) bytes = g_bytes_new_static (raw, sizeof raw);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) st = ns_safetensors_new_from_bytes (bytes, "mem", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_safetensors_get_n_tensors (st), ==, 0);
  g_assert_cmpstr (ns_safetensors_get_name (st), ==, "mem");
}

static void
test_io_error (void)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  g_autofree char *path = g_build_filename (t->path, "absent.safetensors", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) st = ns_safetensors_open (path, &error);
  g_assert_null (st);
  g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO);
  assert_message (error, path, NULL, NULL);
}

static void
test_too_short (void)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  g_autofree char *path = write_raw (t, "short.safetensors", "\x02\x00\x00", 3);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) st = ns_safetensors_open (path, &error);
  g_assert_null (st);
  g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_TRUNCATED);
  assert_message (error, path, NULL, NULL);
}

static void
test_header_past_eof (void)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  /* Claims 4096 header bytes, has 2. */
  const guint8 raw[] = { 0x00, 0x10, 0, 0, 0, 0, 0, 0, '{', '}' };
  g_autofree char *path = write_raw (t, "past.safetensors", raw, sizeof raw);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) st = ns_safetensors_open (path, &error);
  g_assert_null (st);
  g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_TRUNCATED);
  assert_message (error, path, NULL, "4096");

  /* A length near 2^64 must not wrap around the size check. */
  const guint8 huge[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, '{', '}' };
  g_autofree char *path2 = write_raw (t, "huge.safetensors", huge, sizeof huge);
  g_clear_error (&error);
  g_autoptr (NsSafetensors) st2 = ns_safetensors_open (path2, &error);
  g_assert_null (st2);
  g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_TRUNCATED);
}

static void
test_bad_header (void)
{
  expect_open_error ("", NULL, 0, NS_SAFETENSORS_ERROR_HEADER, NULL, NULL); /* zero length */
  expect_open_error ("{not json", NULL, 0, NS_SAFETENSORS_ERROR_HEADER, NULL, NULL);
  expect_open_error ("{\"a\": 1,}", NULL, 0, NS_SAFETENSORS_ERROR_HEADER, NULL, NULL);
  expect_open_error ("[1, 2]", NULL, 0, NS_SAFETENSORS_ERROR_HEADER, NULL, "object");
  expect_open_error ("\"str\"", NULL, 0, NS_SAFETENSORS_ERROR_HEADER, NULL, NULL);
  expect_open_error ("{/* c */}", NULL, 0, NS_SAFETENSORS_ERROR_HEADER, NULL, NULL);
  expect_open_error ("{\"a\":\xff}", NULL, 0, NS_SAFETENSORS_ERROR_HEADER, NULL, NULL);
  /* Deep nesting is refused before json-glib recurses into it. */
  g_autoptr (GString) deep = g_string_new ("{\"a\":");
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  expect_open_error (deep->str, NULL, 0, NS_SAFETENSORS_ERROR_HEADER, NULL, NULL);

  expect_open_error ("{\"w\": 3}", NULL, 0, NS_SAFETENSORS_ERROR_HEADER, "“w”", NULL);
  expect_open_error ("{\"w\":{\"shape\":[1],\"data_offsets\":[0,2]}}", "\0\0", 2,
                     NS_SAFETENSORS_ERROR_HEADER, "“w”", "dtype");
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[-1],\"data_offsets\":[0,2]}}", "\0\0", 2,
                     NS_SAFETENSORS_ERROR_HEADER, "“w”", "shape");
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[1.0],\"data_offsets\":[0,2]}}", "\0\0", 2,
                     NS_SAFETENSORS_ERROR_HEADER, "“w”", "shape");
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,2]}}",
                     "\0\0", 2, NS_SAFETENSORS_ERROR_HEADER, "“w”", "shape");
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0]}}", "\0\0", 2,
                     NS_SAFETENSORS_ERROR_HEADER, "“w”", "data_offsets");
  expect_open_error ("{\"__metadata__\":{\"k\":1}}", NULL, 0, NS_SAFETENSORS_ERROR_HEADER, NULL,
                     "__metadata__");
}

static void
test_bad_dtype (void)
{
  expect_open_error ("{\"w\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[0,2]}}", "\0\0", 2,
                     NS_SAFETENSORS_ERROR_DTYPE, "“w”", "BF16");
  expect_open_error ("{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                     "\0\0\0\0\0\0\0\0", 8, NS_SAFETENSORS_ERROR_DTYPE, "“w”", "I64");
}

static void
test_bad_offsets (void)
{
  /* Past the 4 bytes of data. */
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", "\0\0\0\0", 4,
                     NS_SAFETENSORS_ERROR_OFFSETS, "“w”", NULL);
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[-2,0]}}", "\0\0", 2,
                     NS_SAFETENSORS_ERROR_OFFSETS, "“w”", NULL);
  /* Reversed. */
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[4,2]}}", "\0\0\0\0", 4,
                     NS_SAFETENSORS_ERROR_OFFSETS, "“w”", "reversed");
}

static void
test_overlap (void)
{
  expect_open_error ("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                     "\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[2,6]}}",
                     "\0\0\0\0\0\0", 6, NS_SAFETENSORS_ERROR_OVERLAP, "“a”", "“b”");
  /* Listed out of offset order: the check must sort by offset. */
  expect_open_error ("{\"b\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[4,8]},"
                     "\"c\":{\"dtype\":\"F16\",\"shape\":[0],\"data_offsets\":[2,2]},"
                     "\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]}}",
                     "\0\0\0\0\0\0\0\0", 8, NS_SAFETENSORS_ERROR_OVERLAP, "“a”", "“b”");
}

static void
test_size_mismatch (void)
{
  expect_open_error ("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", "\0\0\0\0", 4,
                     NS_SAFETENSORS_ERROR_SIZE, "“w”", "[2]");
  /* 2^62 * 2^4 * 2 wraps to 0 bytes in 64 bits; it must not match [0, 0]. */
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[4611686018427387904,16],\"data_offsets\":[0,0]}}",
                     NULL, 0, NS_SAFETENSORS_ERROR_SIZE, "“w”", NULL);
}

static NsSafetensors *
open_one (TmpDir *t, const char *header, const void *data, gsize len, char **path_out)
{
  g_autoptr (GError) error = NULL;
  *path_out = write_st (t, "one.safetensors", header, data, len);
  NsSafetensors *st = ns_safetensors_open (*path_out, &error);
  g_assert_no_error (error);
  return st;
}

static void
test_missing_and_shape (void)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  g_autofree char *path = NULL;
  const guint16 zeros[6] = { 0 };
  g_autoptr (NsSafetensors) st = open_one (t,
    "{\"conv.weight\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]}}",
    zeros, sizeof zeros, &path);

  g_autoptr (GError) error = NULL;
  const gint64 s23[] = { 2, 3 };
  float *v = ns_safetensors_read_f32 (st, "conv.bias", s23, 2, &error);
  g_assert_null (v);
  g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_MISSING);
  assert_message (error, path, "conv.bias", NULL);

  g_clear_error (&error);
  const gint64 s32[] = { 3, 2 };
  v = ns_safetensors_read_f32 (st, "conv.weight", s32, 2, &error);
  g_assert_null (v);
  g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_SHAPE);
  assert_message (error, path, "conv.weight", "has shape [2, 3] but [3, 2] was expected");

  g_clear_error (&error);
  const gint64 s231[] = { 2, 3, 1 };
  v = ns_safetensors_read_f32 (st, "conv.weight", s231, 3, &error);
  g_assert_null (v);
  g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_SHAPE);
  assert_message (error, path, "conv.weight", "[2, 3, 1]");
}

static void
expect_nonfinite (const char *dtype, const void *data, gsize len, guint n, const char *what)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  g_autofree char *path = NULL;
  g_autofree char *header = g_strdup_printf (
    "{\"w\":{\"dtype\":\"%s\",\"shape\":[%u],\"data_offsets\":[0,%" G_GSIZE_FORMAT "]}}", dtype, n, len);
  g_autoptr (NsSafetensors) st = open_one (t, header, data, len, &path);
  g_autoptr (GError) error = NULL;
  const gint64 shape[] = { n };
  float *v = ns_safetensors_read_f32 (st, "w", shape, 1, &error);
  g_assert_null (v);
  g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_NONFINITE);
  assert_message (error, path, "“w”", what);
  g_assert_nonnull (strstr (error->message, "element 2"));
}

static void
test_nonfinite (void)
{
  const guint16 h_nan[] = { le16 (0x3c00), le16 (0), le16 (0x7e00) };
  const guint16 h_inf[] = { le16 (0x3c00), le16 (0), le16 (0xfc00) };
  expect_nonfinite ("F16", h_nan, sizeof h_nan, 3, "NaN");
  expect_nonfinite ("F16", h_inf, sizeof h_inf, 3, "infinite");

  const guint32 f_nan[] = { f32_le (1.0f), f32_le (0.0f), f32_le (NAN) };
  const guint32 f_inf[] = { f32_le (1.0f), f32_le (0.0f), f32_le (-INFINITY) };
  expect_nonfinite ("F32", f_nan, sizeof f_nan, 3, "NaN");
  expect_nonfinite ("F32", f_inf, sizeof f_inf, 3, "infinite");
}

static void
check_real_tensor (const char *file, const char *tensor, const gint64 *shape, guint n_dims)
{
  g_autofree char *path = g_build_filename (NS_SHARED_DIR, "weights", file, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) st = ns_safetensors_open (path, &error);
  g_assert_no_error (error);

  gsize count = 1;
  for (guint i = 0; i < n_dims; i++)
    count *= (gsize) shape[i];
  g_autofree float *v = ns_safetensors_read_f32 (st, tensor, shape, n_dims, &error);
  g_assert_no_error (error);
  gboolean any_nonzero = FALSE;
  for (gsize i = 0; i < count; i++)
    {
      g_assert_true (isfinite (v[i]));
      any_nonzero |= v[i] != 0.0f;
    }
  g_assert_true (any_nonzero);

  /* Every tensor reads back with its own shape. */
  for (guint i = 0; i < ns_safetensors_get_n_tensors (st); i++)
    {
      const char *name = ns_safetensors_get_tensor_name (st, i);
      gint64 s[NS_SAFETENSORS_MAX_DIMS];
      guint n = 0;
      g_assert_true (ns_safetensors_get_shape (st, name, s, &n));
      g_autofree float *all = ns_safetensors_read_f32 (st, name, s, n, &error);
      g_assert_no_error (error);
      g_assert_nonnull (all);
    }
}

static void
test_real_weights (void)
{
  const gint64 conv1_1[] = { 64, 3, 3, 3 };
  const gint64 bias[] = { 64 };
  check_real_tensor (NS_WEIGHTS_VGG_FILE, "conv1_1.weight", conv1_1, 4);
  check_real_tensor (NS_WEIGHTS_VGG_FILE, "conv1_1.bias", bias, 1);
  const gint64 dec1_1[] = { 3, 64, 3, 3 };
  check_real_tensor (NS_WEIGHTS_DECODER_FILE, "dec1_1.weight", dec1_1, 4);
}

static void
test_weights_path (void)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  g_autofree char *saved = g_strdup (g_getenv ("NEURAL_STYLE_WEIGHTS"));
  g_autoptr (GError) error = NULL;

  g_setenv ("NEURAL_STYLE_WEIGHTS", t->path, TRUE);
  char *found = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, &error);
  g_assert_null (found);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, t->path));
  g_assert_nonnull (strstr (error->message, NS_WEIGHTS_VGG_FILE));
  g_assert_nonnull (strstr (error->message, "NEURAL_STYLE_WEIGHTS"));
  g_clear_error (&error);

  g_autofree char *written = write_raw (t, NS_WEIGHTS_VGG_FILE, "x", 1);
  g_autofree char *expected = g_canonicalize_filename (written, NULL);
  found = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, expected);
  g_assert_true (g_path_is_absolute (found));
  g_free (found);

  /* Without the variable: install dir, then the build's weights_dir. */
  g_unsetenv ("NEURAL_STYLE_WEIGHTS");
  found = ns_weights_find_file ("no-such-weights.safetensors", &error);
  g_assert_null (found);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, NS_WEIGHTS_INSTALL_DIR));
  g_assert_nonnull (strstr (error->message, NS_WEIGHTS_SOURCE_DIR));
  g_assert_nonnull (strstr (error->message, "NEURAL_STYLE_WEIGHTS"));
  g_clear_error (&error);

  /* An empty value counts as unset. */
  g_setenv ("NEURAL_STYLE_WEIGHTS", "", TRUE);
  found = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, &error);
  if (g_file_test (NS_WEIGHTS_SOURCE_DIR "/" NS_WEIGHTS_VGG_FILE, G_FILE_TEST_IS_REGULAR))
    {
      g_assert_no_error (error);
      g_assert_true (g_str_has_suffix (found, NS_WEIGHTS_VGG_FILE));
    }
  g_free (found);
  g_clear_error (&error);

  if (saved != NULL)
    g_setenv ("NEURAL_STYLE_WEIGHTS", saved, TRUE);
  else
    g_unsetenv ("NEURAL_STYLE_WEIGHTS");
}

/* Only the 8-byte header length, the header and the data the header names are
 * read: a 3 GB sparse file of zeros is refused at once, and a valid file
 * followed by a gigabyte nobody names opens without reading it (in a
 * subprocess, to measure the peak memory). */
static void
test_header_first (void)
{
  if (g_test_subprocess ())
    {
      struct rusage baseline;   /* sanitizers start far above a plain build */
      g_assert_cmpint (getrusage (RUSAGE_SELF, &baseline), ==, 0);
      g_autoptr (TmpDir) t = tmp_dir_new ();
      g_autofree char *sparse = write_raw (t, "sparse.safetensors", "", 0);
      g_assert_cmpint (truncate (sparse, G_GINT64_CONSTANT (3) << 30), ==, 0);
      gint64 start = g_get_monotonic_time ();
      g_autoptr (GError) error = NULL;
      g_autoptr (NsSafetensors) refused = ns_safetensors_open (sparse, &error);
      g_assert_null (refused);
      g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER);
      g_test_message ("%s (%.3f s)", error->message, (g_get_monotonic_time () - start) / 1e6);
      g_clear_error (&error);

      const guint16 halves[2] = { GUINT16_TO_LE (0x3c00), GUINT16_TO_LE (0xc000) };   /* 1, -2 */
      g_autofree char *padded = write_st (t, "padded.safetensors",
                                          "{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}",
                                          halves, sizeof halves);
      g_assert_cmpint (truncate (padded, G_GINT64_CONSTANT (1) << 30), ==, 0);
      g_autoptr (NsSafetensors) st = ns_safetensors_open (padded, &error);
      g_assert_no_error (error);
      const gint64 shape[] = { 2 };
      g_autofree float *w = ns_safetensors_read_f32 (st, "w", shape, 1, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (w[0], ==, 1.0f);
      g_assert_cmpfloat (w[1], ==, -2.0f);
      struct rusage usage;
      g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
      g_test_message ("peak resident memory %ld KiB, %ld KiB at the start", usage.ru_maxrss, baseline.ru_maxrss);
      g_assert_cmpint (usage.ru_maxrss - baseline.ru_maxrss, <, 100 * 1024);
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A folder or a FIFO named as the weights: a sentence saying what it is, at
 * once (a FIFO must not wait for a writer). */
static void
test_not_a_file (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (TmpDir) t = tmp_dir_new ();
      g_autofree char *folder = g_build_filename (t->path, "folder.safetensors", NULL);
      g_autofree char *fifo = g_build_filename (t->path, "fifo.safetensors", NULL);
      g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
      g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
      const char *paths[] = { folder, fifo };
      const char *what[] = { "is a folder", "is a named pipe (FIFO)" };
      for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (NsSafetensors) st = ns_safetensors_open (paths[i], &error);
          g_assert_null (st);
          g_assert_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO);
          assert_message (error, paths[i], NULL, what[i]);
        }
      return;
    }
  g_test_trap_subprocess (NULL, 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* json-glib wraps integers beyond 2^63 (2^64 - 1 reads as -1): the message
 * gives the number as the file has it. */
static void
test_huge_integer (void)
{
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,18446744073709551615]}}",
                     "\0\0", 2, NS_SAFETENSORS_ERROR_OFFSETS, NULL, "18446744073709551615");
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[-18446744073709551615,2]}}",
                     "\0\0", 2, NS_SAFETENSORS_ERROR_OFFSETS, NULL, "-18446744073709551615");
  expect_open_error ("{\"w\":{\"dtype\":\"F16\",\"shape\":[9223372036854775808],\"data_offsets\":[0,2]}}",
                     "\0\0", 2, NS_SAFETENSORS_ERROR_OFFSETS, NULL, "9223372036854775808");
}

/* NEURAL_STYLE_WEIGHTS naming a folder where a weights file is a folder or a
 * FIFO: said as such, not "is not in". */
static void
test_weights_path_not_a_file (void)
{
  g_autoptr (TmpDir) t = tmp_dir_new ();
  g_autofree char *saved = g_strdup (g_getenv ("NEURAL_STYLE_WEIGHTS"));
  g_autofree char *entry = g_build_filename (t->path, NS_WEIGHTS_VGG_FILE, NULL);
  g_setenv ("NEURAL_STYLE_WEIGHTS", t->path, TRUE);
  for (int fifo = 0; fifo < 2; fifo++)
    {
      g_assert_cmpint (fifo ? mkfifo (entry, 0600) : g_mkdir (entry, 0700), ==, 0);
      g_autoptr (GError) error = NULL;
      g_autofree char *found = ns_weights_find_file (NS_WEIGHTS_VGG_FILE, &error);
      g_assert_null (found);
      assert_message (error, t->path, NS_WEIGHTS_VGG_FILE, fifo ? "is a named pipe (FIFO)" : "is a folder");
      g_assert_null (strstr (error->message, "is not in"));
      g_assert_cmpint (g_remove (entry), ==, 0);
    }
  if (saved != NULL)
    g_setenv ("NEURAL_STYLE_WEIGHTS", saved, TRUE);
  else
    g_unsetenv ("NEURAL_STYLE_WEIGHTS");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/safetensors/valid-f16", test_valid_f16);
  g_test_add_func ("/safetensors/valid-f32-unaligned", test_valid_f32_unaligned);
  g_test_add_func ("/safetensors/from-bytes", test_from_bytes);
  g_test_add_func ("/safetensors/io-error", test_io_error);
  g_test_add_func ("/safetensors/too-short", test_too_short);
  g_test_add_func ("/safetensors/header-past-eof", test_header_past_eof);
  g_test_add_func ("/safetensors/bad-header", test_bad_header);
  g_test_add_func ("/safetensors/bad-dtype", test_bad_dtype);
  g_test_add_func ("/safetensors/bad-offsets", test_bad_offsets);
  g_test_add_func ("/safetensors/overlap", test_overlap);
  g_test_add_func ("/safetensors/size-mismatch", test_size_mismatch);
  g_test_add_func ("/safetensors/missing-and-shape", test_missing_and_shape);
  g_test_add_func ("/safetensors/nonfinite", test_nonfinite);
  g_test_add_func ("/safetensors/real-weights", test_real_weights);
  g_test_add_func ("/weights/path", test_weights_path);
  g_test_add_func ("/safetensors/header-first", test_header_first);
  g_test_add_func ("/safetensors/not-a-file", test_not_a_file);
  g_test_add_func ("/safetensors/huge-integer", test_huge_integer);
  g_test_add_func ("/weights/path-not-a-file", test_weights_path_not_a_file);
  return g_test_run ();
}
