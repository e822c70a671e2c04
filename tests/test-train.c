/* neural-style train, the proof on the processor (issue 21): a few
 * iterations on 32-pixel squares of docs/eval/contents and the bundled
 * paintings lower the held-out loss; the decoder it writes has the shipped
 * decoder's tensors, shapes and dtype, loads in the engine through
 * NEURAL_STYLE_WEIGHTS, and the engine's AdaIN with it equals a plain C
 * forward pass of the same decoder (read from the file) on the same AdaIN
 * target; the checkpoint resumes at its iteration; command-line mistakes. */
#include "cli-train.h"
#include "neural-style.h"
#include "ns-engine-private.h"
#include "ns-image-io.h"
#include "ns-network.h"
#include "ns-safetensors.h"
#include "ns-test-tensor.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include "ns-weights-path.h"
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define SIDE 32

typedef struct {
  char *dir, *contents, *styles, *decoder, *checkpoint;
} Set;

/* The centre square of from_dir/file, SIDE x SIDE, as dir/file.png. */
static void
make_square (const char *dir, const char *from_dir, const char *file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *from = g_build_filename (from_dir, file, NULL);
  g_autoptr (NsImage) image = ns_image_load (from, &error);
  g_assert_no_error (error);
  int side = MIN (image->width, image->height);
  g_autoptr (NsImage) square = ns_image_crop (image, (image->width - side) / 2, (image->height - side) / 2, side, side);
  g_autoptr (NsImage) small = ns_image_resize (square, SIDE, SIDE);
  g_autofree char *name = g_strconcat (file, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (ns_image_save_png (small, path, &error));
  g_assert_no_error (error);
}

static void
set_clear (Set *set)
{
  if (set->dir != NULL)
    ns_test_remove_tree (set->dir);
  g_free (set->dir);
  g_free (set->contents);
  g_free (set->styles);
  g_free (set->decoder);
  g_free (set->checkpoint);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Set, set_clear)

static void
make_set (Set *set)
{
  set->dir = ns_test_make_temp_dir ("ns-train-XXXXXX");
  set->contents = g_build_filename (set->dir, "contents", NULL);
  set->styles = g_build_filename (set->dir, "styles", NULL);
  set->decoder = g_build_filename (set->dir, "weights", NS_WEIGHTS_DECODER_FILE, NULL);
  set->checkpoint = g_build_filename (set->dir, "checkpoint.safetensors", NULL);
  g_autofree char *weights = g_build_filename (set->dir, "weights", NULL);
  g_assert_cmpint (g_mkdir (set->contents, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (set->styles, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (weights, 0700), ==, 0);
  /* docs/eval/contents is beside the tests, the paintings in ../shared. */
  g_autofree char *eval_contents = g_build_filename (NS_SOURCE_DIR, "docs", "eval", "contents", NULL);
  make_square (set->contents, eval_contents, "tubingen.jpg");
  make_square (set->contents, eval_contents, "chelsea.jpg");
  g_autofree char *styles = ns_test_shared_path ("styles", NULL);
  make_square (set->styles, styles, "starry-night.jpg");
  make_square (set->styles, styles, "udnie.jpg");
  /* The engine reads both networks from NEURAL_STYLE_WEIGHTS: the fixed VGG beside the trained decoder. */
  g_autofree char *vgg = ns_test_shared_path ("weights", NS_WEIGHTS_VGG_FILE, NULL);
  g_autofree char *link = g_build_filename (weights, NS_WEIGHTS_VGG_FILE, NULL);
  g_assert_cmpint (symlink (vgg, link), ==, 0);
}

static void
run_train (NsTestRun *run, const Set *set, const char *from, const char *iterations)
{
  ns_test_run (run, NULL, TRUE, NS_CLI_PATH, "train", "--contents", set->contents, "--styles", set->styles,
               "-o", set->decoder, "--checkpoint", set->checkpoint, "--iterations", iterations, "--batch", "2",
               "--crop", "32", "--image-size", "32", "--learning-rate", "1e-5", "--heldout-contents", set->contents,
               "--heldout-styles", set->styles, "--heldout-pairs", "2", "--log-every", iterations,
               "--reconstruction-weight", "1e5", "--tv-weight", "1e3", from != NULL ? "--from" : NULL, from, NULL);
}

/* The held-out total after "iteration N, held-out:" in the log. */
static double
heldout_total (const char *log, int iteration)
{
  g_autofree char *key = g_strdup_printf ("iteration %d, held-out:", iteration);
  const char *line = strstr (log, key);
  g_assert_nonnull (line);
  const char *total = strstr (strstr (line, "total variation"), ", total ");
  g_assert_nonnull (total);
  return g_ascii_strtod (total + strlen (", total "), NULL);
}

/* The decoder in plain C, from the file's tensors: 3x3 reflect-padded
 * convolutions, ReLU, nearest 2x upsampling.  t is 512 x h x w; returns 3 x 8h x 8w. */
static float *
reference_decoder (const char *path, const float *t, int h, int w)
{
  static const struct { const char *name; int in, out; gboolean relu, upsample_after; } layers[] = {
    { "dec4_1", 512, 256, TRUE, TRUE },  { "dec3_4", 256, 256, TRUE, FALSE }, { "dec3_3", 256, 256, TRUE, FALSE },
    { "dec3_2", 256, 256, TRUE, FALSE }, { "dec3_1", 256, 128, TRUE, TRUE },  { "dec2_2", 128, 128, TRUE, FALSE },
    { "dec2_1", 128, 64, TRUE, TRUE },   { "dec1_2", 64, 64, TRUE, FALSE },   { "dec1_1", 64, 3, FALSE, FALSE },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) file = ns_safetensors_open (path, &error);
  g_assert_no_error (error);
  float *x = g_memdup2 (t, (gsize) 512 * h * w * sizeof (float));
  for (gsize l = 0; l < G_N_ELEMENTS (layers); l++)
    {
      const int C = layers[l].in, O = layers[l].out;
      const gint64 wshape[] = { O, C, 3, 3 }, bshape[] = { O };
      g_autofree char *wname = g_strconcat (layers[l].name, ".weight", NULL);
      g_autofree char *bname = g_strconcat (layers[l].name, ".bias", NULL);
      g_autofree float *wt = ns_safetensors_read_f32 (file, wname, wshape, 4, &error);
      g_autofree float *b = ns_safetensors_read_f32 (file, bname, bshape, 1, &error);
      g_assert_no_error (error);
      float *y = g_new (float, (gsize) O * h * w);
      for (int o = 0; o < O; o++)
        for (int yy = 0; yy < h; yy++)
          for (int xx = 0; xx < w; xx++)
            {
              double s = b[o];
              for (int c = 0; c < C; c++)
                for (int ky = 0; ky < 3; ky++)
                  {
                    const float *row = x + ((gsize) c * h + ns_test_reflect (yy + ky - 1, h)) * w;
                    const float *k = wt + ((gsize) o * C + c) * 9 + ky * 3;
                    s += (double) k[0] * row[ns_test_reflect (xx - 1, w)] + (double) k[1] * row[xx]
                         + (double) k[2] * row[ns_test_reflect (xx + 1, w)];
                  }
              y[((gsize) o * h + yy) * w + xx] = layers[l].relu ? (float) fmax (s, 0) : (float) s;
            }
      g_free (x);
      x = y;
      if (layers[l].upsample_after)
        {
          float *u = g_new (float, (gsize) O * 4 * h * w);
          for (int c = 0; c < O; c++)
            for (int yy = 0; yy < 2 * h; yy++)
              for (int xx = 0; xx < 2 * w; xx++)
                u[((gsize) c * 2 * h + yy) * 2 * w + xx] = x[((gsize) c * h + yy / 2) * w + xx / 2];
          g_free (x);
          x = u, h *= 2, w *= 2;
        }
    }
  return x;
}

/* t = AdaIN (f (c), f (s)) on the device, through the encoder alone. */
static float *
adain_target (const NsImage *content, const NsImage *style, int *h, int *w)
{
  NsClContext *ctx;
  NsOps *ops;
  ns_test_device_open (&ctx, &ops, NULL);
  GError *error = NULL;
  g_autofree char *vgg_path = ns_test_shared_path ("weights", NS_WEIGHTS_VGG_FILE, NULL);
  NsNetwork *vgg = ns_network_new_vgg19 (ctx, vgg_path, "conv4_1", &error);
  g_assert_no_error (error);
  NsTensor *c = ns_tensor_new_from_image (ctx, content, &error), *s = ns_tensor_new_from_image (ctx, style, &error);
  NsTensor *fc = ns_network_run (vgg, ops, c, NULL, &error), *fs = ns_network_run (vgg, ops, s, NULL, &error);
  g_assert_no_error (error);
  NsClBuffer *stats[4];
  for (int i = 0; i < 4; i++)
    stats[i] = ns_cl_buffer_new (ctx, 512 * sizeof (float), &error);
  g_assert_true (ns_op_channel_mean_var (ops, fc, stats[0], stats[1], &error));
  g_assert_true (ns_op_channel_mean_var (ops, fs, stats[2], stats[3], &error));
  NsTensor *t = ns_op_adain_blend (ops, fc, stats[0], stats[1], stats[2], stats[3], 1.0f, NS_ADAIN_EPS, &error);
  g_assert_no_error (error);
  *h = t->height;
  *w = t->width;
  float *host = ns_test_download (t);
  NsTensor *tensors[] = { t, fc, fs, c, s };
  for (gsize i = 0; i < G_N_ELEMENTS (tensors); i++)
    ns_tensor_free (tensors[i]);
  for (int i = 0; i < 4; i++)
    ns_cl_buffer_free (stats[i]);
  ns_network_free (vgg);
  ns_test_device_close (ctx, ops, NULL);
  return host;
}

/* The written decoder has exactly the shipped decoder's tensors, in its order, shapes and dtype. */
static void
check_layout (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *shipped_path = ns_test_shared_path ("weights", NS_WEIGHTS_DECODER_FILE, NULL);
  g_autoptr (NsSafetensors) shipped = ns_safetensors_open (shipped_path, &error);
  g_autoptr (NsSafetensors) trained = ns_safetensors_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns_safetensors_get_n_tensors (trained), ==, ns_safetensors_get_n_tensors (shipped));
  for (guint i = 0; i < ns_safetensors_get_n_tensors (shipped); i++)
    {
      const char *name = ns_safetensors_get_tensor_name (shipped, i);
      g_assert_cmpstr (ns_safetensors_get_tensor_name (trained, i), ==, name);
      gint64 a[NS_SAFETENSORS_MAX_DIMS], b[NS_SAFETENSORS_MAX_DIMS];
      guint na, nb;
      g_assert_true (ns_safetensors_get_shape (shipped, name, a, &na));
      g_assert_true (ns_safetensors_get_shape (trained, name, b, &nb));
      g_assert_cmpuint (na, ==, nb);
      g_assert_cmpmem (a, na * sizeof (gint64), b, nb * sizeof (gint64));
    }
  g_assert_cmpstr (ns_safetensors_get_metadata (trained, "model"), ==, "adain-decoder");
  g_assert_cmpstr (ns_safetensors_get_metadata (trained, "iterations"), ==, "6");
  /* F16 like the shipped file: the data is half the F32 size. */
  g_autofree char *bytes = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpuint (len, <, 3528517 * 4 / 2 + 4096);
}

static void
test_train_and_use (void)
{
  g_auto (Set) set = { 0 };
  make_set (&set);
  g_auto (NsTestRun) run = { 0 };
  run_train (&run, &set, NULL, "6");
  g_test_message ("%s%s", run.out, run.err);
  g_assert_cmpint (run.status, ==, 0);
  double before = heldout_total (run.out, 0), after = heldout_total (run.out, 6);
  g_test_message ("held-out loss %.6g before, %.6g after 6 iterations", before, after);
  g_assert_cmpfloat (after, <, 0.98 * before);
  g_assert_nonnull (strstr (run.out, "iteration 6: content "));
  g_assert_nonnull (strstr (run.out, "times the photo's (median of 2)"));
  check_layout (set.decoder);

  /* The engine with the trained decoder against the plain C decoder on the same target. */
  g_autoptr (GError) error = NULL;
  g_autofree char *weights = g_path_get_dirname (set.decoder);
  g_setenv ("NEURAL_STYLE_WEIGHTS", weights, TRUE);
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();
  g_autoptr (NsAdain) engine = ns_test_adain_new (runtime);
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair01_content.png");
  g_autoptr (NsImage) painting = ns_test_load_shared_image ("goldens", "pair01_style.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, 48, 32);
  g_autoptr (NsImage) style = ns_image_resize (painting, 40, 40);
  g_autoptr (NsImage) result = ns_adain_stylise (engine, content, style, 1.0, 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&engine, ns_adain_free);
  g_clear_pointer (&runtime, ns_runtime_free);
  g_unsetenv ("NEURAL_STYLE_WEIGHTS");
  int h = 0, w = 0;
  g_autofree float *t = adain_target (content, style, &h, &w);
  g_assert_cmpint (8 * w, ==, result->width);
  g_assert_cmpint (8 * h, ==, result->height);
  g_autofree float *want = reference_decoder (set.decoder, t, h, w);
  g_autofree float *got = ns_image_to_chw (result);
  ns_test_assert_close (got, want, (gsize) 3 * result->width * result->height, 1e-3,
                        "engine with the trained decoder against a plain C decoder");

  /* The checkpoint resumes at its iteration. */
  g_auto (NsTestRun) resumed = { 0 };
  run_train (&resumed, &set, set.checkpoint, "1");
  g_assert_cmpint (resumed.status, ==, 0);
  g_assert_nonnull (strstr (resumed.err, "(iteration 6)"));
  g_assert_nonnull (strstr (resumed.out, "iteration 7: content "));
  g_assert_nonnull (strstr (resumed.err, "after iteration 7."));
}

static void
test_mistakes (void)
{
  g_auto (Set) set = { 0 };
  make_set (&set);
  const struct { const char *option, *value, *message; } cases[] = {
    { "--crop", "36", "--crop must be a multiple of 8" },
    { "--batch", "0", "--batch" },
    { "--learning-rate", "0", "The learning rate must be positive" },
    { "--heldout-contents", "x", "Give both --heldout-contents and --heldout-styles" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (NsTestRun) run = { 0 };
      ns_test_run (&run, NULL, FALSE, NS_CLI_PATH, "train", "--contents", set.contents, "--styles", set.styles, "-o",
                   set.decoder, cases[i].option, cases[i].value, NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, cases[i].message));
      g_assert_false (g_file_test (set.decoder, G_FILE_TEST_EXISTS));
    }
  g_auto (NsTestRun) run = { 0 };
  ns_test_run (&run, NULL, FALSE, NS_CLI_PATH, "train", "--contents", set.contents, "--styles", set.styles, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "Give --contents, --styles and -o."));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/train/mistakes", test_mistakes);
  g_test_add_func ("/train/train-and-use", test_train_and_use);
  return g_test_run ();
}
