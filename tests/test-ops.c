/* Every device operation against a plain C reference (double precision) on
 * random inputs of awkward sizes: odd, non-square, one channel, two pixels.
 * Runs on the device ns_cl_context_new() picks (the first GPU, else the first device). */
#include "ns-cl-error.h"
#include "ns-ops.h"
#include "ns-test-tensor.h"
#include "ns-test-util.h"
#include <math.h>

typedef struct {
  NsClContext *ctx;
  NsOps *ops;
  GRand *rand;
} Fixture;

static int
reflect (int i, int n)
{
  return i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i);
}

static NsTensor *
random_tensor (Fixture *f, int c, int h, int w, float lo, float hi, float **host_out)
{
  gsize n = (gsize) c * h * w;
  float *host = g_new (float, n);
  ns_test_fill_random (f->rand, host, n, lo, hi);
  *host_out = host;
  return ns_test_upload (f->ctx, c, h, w, host);
}

static void
check_conv (Fixture *f, int C, int O, int H, int W, gboolean relu, gsize scratch_budget)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *in = NULL;
  g_autoptr (NsTensor) x = random_tensor (f, C, H, W, -1.0f, 1.0f, &in);
  g_autofree float *weight = g_new (float, (gsize) O * C * 9);
  g_autofree float *bias = g_new (float, O);
  ns_test_fill_random (f->rand, weight, (gsize) O * C * 9, -0.5f, 0.5f);
  ns_test_fill_random (f->rand, bias, O, -0.5f, 0.5f);
  g_autoptr (NsConv3x3) conv = ns_conv3x3_new (f->ctx, C, O, weight, bias, &error);
  g_assert_no_error (error);

  ns_ops_set_scratch_budget (f->ops, scratch_budget);
  g_autoptr (NsTensor) y = ns_op_conv3x3 (f->ops, x, conv, relu, &error);
  ns_ops_set_scratch_budget (f->ops, 64 << 20);
  g_assert_no_error (error);
  g_assert_cmpint (y->channels, ==, O);
  g_assert_cmpint (y->height, ==, H);
  g_assert_cmpint (y->width, ==, W);
  g_autofree float *got = ns_test_download (y);

  g_autofree float *want = g_new (float, (gsize) O * H * W);
  int n_negative = 0;
  for (int o = 0; o < O; o++)
    for (int yy = 0; yy < H; yy++)
      for (int xx = 0; xx < W; xx++)
        {
          double s = bias[o];
          for (int c = 0; c < C; c++)
            for (int ky = 0; ky < 3; ky++)
              for (int kx = 0; kx < 3; kx++)
                s += (double) weight[((o * C + c) * 3 + ky) * 3 + kx]
                     * in[((gsize) c * H + reflect (yy + ky - 1, H)) * W + reflect (xx + kx - 1, W)];
          n_negative += s < 0;
          want[((gsize) o * H + yy) * W + xx] = relu ? (float) fmax (s, 0) : (float) s;
        }
  if (O * H * W >= 16)
    g_assert_cmpint (n_negative, >, 0);   /* the ReLU had something to do */
  g_autofree char *what = g_strdup_printf ("conv3x3 %d->%d %dx%d relu=%d budget=%zu", C, O, H, W, relu,
                                           scratch_budget);
  ns_test_assert_close (got, want, (gsize) O * H * W, 1e-5, what);
}

static void
test_conv3x3 (gconstpointer data)
{
  Fixture *f = *(Fixture **) data;
  NsConvAlgorithm algorithm = GPOINTER_TO_INT (((gpointer *) data)[1]);
  NsConvAlgorithm saved = ns_ops_get_conv_algorithm (f->ops);
  NsWinogradGemm saved_gemm = ns_ops_get_winograd_gemm (f->ops);
  ns_ops_set_conv_algorithm (f->ops, algorithm);
  ns_ops_set_winograd_gemm (f->ops, GPOINTER_TO_INT (((gpointer *) data)[2]));
  g_test_message ("algorithm: %s, runs as %s, Winograd products: %s", ns_conv_algorithm_name (algorithm),
                  ns_conv_algorithm_name (ns_ops_resolved_conv_algorithm (f->ops)),
                  ns_winograd_gemm_name (ns_ops_get_winograd_gemm (f->ops)));
  /* PoCL and GPUs build the tiled kernels and take their 256-item groups. */
  if (algorithm != NS_CONV_AUTO && (f->ctx->info->type & (CL_DEVICE_TYPE_CPU | CL_DEVICE_TYPE_GPU)))
    g_assert_cmpint (ns_ops_resolved_conv_algorithm (f->ops), ==, algorithm);
  if (algorithm == NS_CONV_AUTO)   /* by width where it was measured fastest, else measured per device */
    {
      gboolean cpu = (f->ctx->info->type & CL_DEVICE_TYPE_CPU) != 0;
      g_assert_cmpint (ns_ops_resolved_conv_algorithm (f->ops), ==, cpu ? NS_CONV_BY_WIDTH : NS_CONV_TUNED);
      ns_ops_set_for_gradients (f->ops, TRUE);   /* Gatys: Winograd by width on processors, none measured */
      g_assert_cmpint (ns_ops_resolved_conv_algorithm (f->ops), ==, cpu ? NS_CONV_BY_WIDTH : NS_CONV_TUNED);
      ns_ops_set_for_gradients (f->ops, FALSE);
    }
  /* Sizes around the direct kernel's blocks: 8 * XB pixels, OB channels. */
  check_conv (f, 2, 4, 3, 16, TRUE, 64 << 20);
  check_conv (f, 5, 9, 4, 33, FALSE, 64 << 20);
  check_conv (f, 3, 64, 6, 40, TRUE, 64 << 20);
  check_conv (f, 1, 1, 2, 2, TRUE, 64 << 20);
  check_conv (f, 3, 5, 7, 11, FALSE, 64 << 20);
  check_conv (f, 4, 3, 13, 2, TRUE, 64 << 20);
  check_conv (f, 1, 7, 5, 3, FALSE, 64 << 20);
  check_conv (f, 64, 33, 10, 19, TRUE, 64 << 20);
  check_conv (f, 128, 64, 19, 23, FALSE, 64 << 20);   /* Winograd: 120 tiles, several blocks of 16 */
  check_conv (f, 20, 72, 17, 21, TRUE, 64 << 20);     /* tiled: 2 x 3 groups of 64 x 128, 12 slices of K */
  check_conv (f, 8, 16, 14, 150, TRUE, 64 << 20);     /* Winograd F(4x4): tiles inside the image, plain loads */
  /* Strips: 1 row, then 3 rows at a time (the last strip shorter). */
  check_conv (f, 16, 8, 9, 17, FALSE, 16 * 9 * 17 * sizeof (float));
  check_conv (f, 16, 8, 10, 17, TRUE, 3 * 16 * 9 * 17 * sizeof (float));
  /* Winograd strips of 1, 2 and 3 tile rows: 16 (C + O) floats a tile, 16
   * tiles a row (9, rounded up to 16s), and 2 padded input rows of
   * 2 * 16 + 2 floats a channel. */
  const gsize tile_row = (16 * 24 * 16 + 2 * 16 * 34) * sizeof (float);
  check_conv (f, 16, 8, 9, 17, TRUE, tile_row);
  check_conv (f, 16, 8, 10, 18, FALSE, 2 * tile_row);
  check_conv (f, 16, 8, 11, 17, TRUE, 3 * tile_row);   /* 6 tile rows: two full strips, odd H */
  ns_ops_set_conv_algorithm (f->ops, saved);
  ns_ops_set_winograd_gemm (f->ops, saved_gemm);
}

/* Runs one convolution C -> O at H x W on `ops` (as a backward pass when
 * backward_pass), asserting it worked. */
static void
run_conv (Fixture *f, NsOps *ops, int C, int O, int H, int W, gboolean backward_pass)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *in_host = NULL, *weight = g_new (float, (gsize) O * C * 9), *bias = g_new (float, O);
  ns_test_fill_random (f->rand, weight, (gsize) O * C * 9, -0.5f, 0.5f);
  ns_test_fill_random (f->rand, bias, O, -0.1f, 0.1f);
  g_autoptr (NsTensor) in = random_tensor (f, C, H, W, -1.0f, 1.0f, &in_host);
  g_autoptr (NsConv3x3) conv = ns_conv3x3_new (f->ctx, C, O, weight, bias, &error);
  g_assert_no_error (error);
  g_autoptr (NsTensor) out = backward_pass ? ns_op_conv3x3_backward_pass (ops, in, conv, &error)
                                           : ns_op_conv3x3 (ops, in, conv, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (out);
}

/* The tuned choice is measured the first time a shape is met, saved beside
 * the program cache and read back by the next NsOps on that device; sizes in
 * the same half octave share it; concurrent savers keep each other's
 * choices; damaged lines are ignored. */
static void
test_conv_tuned_file (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autofree char *saved_dir = g_strdup (f->ctx->cache_dir);
  g_autofree char *dir = ns_test_make_temp_dir ("ns-conv-tune-XXXXXX");
  ns_cl_context_set_cache_dir (f->ctx, dir);

  NsOps *ops = ns_ops_new (f->ctx, &error);
  g_assert_no_error (error);
  ns_ops_set_conv_algorithm (ops, NS_CONV_TUNED);
  NsConvChoice first, again;
  g_assert_false (ns_ops_tuned_choice (ops, 8, 12, 10, 13, &first));
  run_conv (f, ops, 8, 12, 10, 13, FALSE);
  g_assert_true (ns_ops_tuned_choice (ops, 8, 12, 10, 13, &first));
  g_assert_cmpint (first.algorithm, <, NS_CONV_TUNED);
  g_test_message ("tuned: %s / %s", ns_conv_algorithm_name (first.algorithm), ns_winograd_gemm_name (first.gemm));
  g_assert_true (ns_ops_tuned_choice (ops, 8, 12, 11, 12, &again));   /* 130 and 132 pixels */
  g_assert_false (ns_ops_tuned_choice (ops, 8, 12, 20, 26, &again));  /* 4x the pixels */
  g_assert_false (ns_ops_tuned_choice (ops, 12, 8, 10, 13, &again));  /* other channels */
  /* Beyond 2^17 pixels, measured on the first rows; every larger size shares it. */
  run_conv (f, ops, 2, 3, 300, 500, FALSE);
  g_assert_true (ns_ops_tuned_choice (ops, 2, 3, 300, 500, &again));
  g_assert_true (ns_ops_tuned_choice (ops, 2, 3, 4000, 3000, &again));
  g_assert_false (ns_ops_tuned_choice (ops, 2, 3, 200, 300, &again));
  ns_ops_free (ops);

  /* A new process (here, a new NsOps) reads the choice back. */
  ops = ns_ops_new (f->ctx, &error);
  g_assert_no_error (error);
  g_assert_true (ns_ops_tuned_choice (ops, 8, 12, 10, 13, &again));
  g_assert_cmpint (again.algorithm, ==, first.algorithm);
  g_assert_cmpint (again.gemm, ==, first.gemm);
  ns_ops_free (ops);

  /* Operations for gradients have choices of their own, never Winograd. */
  ops = ns_ops_new (f->ctx, &error);
  g_assert_no_error (error);
  ns_ops_set_conv_algorithm (ops, NS_CONV_TUNED);
  ns_ops_set_for_gradients (ops, TRUE);
  g_assert_false (ns_ops_tuned_choice (ops, 8, 12, 10, 13, &again));
  run_conv (f, ops, 8, 12, 10, 13, FALSE);
  g_assert_true (ns_ops_tuned_choice (ops, 8, 12, 10, 13, &again));
  g_assert_false (ns_conv_is_winograd (again.algorithm));
  ns_ops_set_for_gradients (ops, FALSE);
  g_assert_true (ns_ops_tuned_choice (ops, 8, 12, 10, 13, &again));
  g_assert_cmpint (again.algorithm, ==, first.algorithm);
  ns_ops_free (ops);

  /* Their backward passes decide no mask: they take from every way. */
  ops = ns_ops_new (f->ctx, &error);
  g_assert_no_error (error);
  ns_ops_set_conv_algorithm (ops, NS_CONV_TUNED);
  ns_ops_set_for_gradients (ops, TRUE);
  run_conv (f, ops, 5, 6, 11, 12, TRUE);
  g_assert_false (ns_ops_tuned_choice (ops, 5, 6, 11, 12, &again));
  ns_ops_set_for_gradients (ops, FALSE);
  g_assert_true (ns_ops_tuned_choice (ops, 5, 6, 11, 12, &again));
  ns_ops_free (ops);

  /* Two contexts measuring at once (the engine's and Gatys's, or two
   * processes): each save keeps what the other saved. */
  NsOps *a = ns_ops_new (f->ctx, &error), *b = ns_ops_new (f->ctx, &error);
  g_assert_no_error (error);
  ns_ops_set_conv_algorithm (a, NS_CONV_TUNED);
  ns_ops_set_conv_algorithm (b, NS_CONV_TUNED);
  run_conv (f, a, 4, 6, 9, 9, FALSE);
  run_conv (f, b, 6, 4, 9, 9, FALSE);
  ns_ops_free (a);
  ns_ops_free (b);
  ops = ns_ops_new (f->ctx, &error);
  g_assert_no_error (error);
  g_assert_true (ns_ops_tuned_choice (ops, 8, 12, 10, 13, &again));
  g_assert_true (ns_ops_tuned_choice (ops, 4, 6, 9, 9, &again));
  g_assert_true (ns_ops_tuned_choice (ops, 6, 4, 9, 9, &again));
  ns_ops_free (ops);

  /* Damaged lines are skipped, the good ones kept. */
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autofree char *file = NULL;
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    if (g_str_has_suffix (name, ".conv-choices"))
      file = g_build_filename (dir, name, NULL);
  g_assert_nonnull (file);
  g_assert_true (g_file_set_contents (file, "garbage\n8 12 14 any nonsense registers\n-1 12 14 any direct registers\n"
                                            "8 12 14 exact winograd registers\n8 12 14 some direct registers\n"
                                            "3 5 9 any direct registers\n", -1, NULL));
  ops = ns_ops_new (f->ctx, &error);
  g_assert_no_error (error);
  g_assert_false (ns_ops_tuned_choice (ops, 8, 12, 10, 13, &again));
  g_assert_true (ns_ops_tuned_choice (ops, 3, 5, 4, 6, &again));      /* 24 pixels: half octave 9 */
  g_assert_cmpint (again.algorithm, ==, NS_CONV_DIRECT);
  ns_ops_free (ops);

  ns_cl_context_set_cache_dir (f->ctx, saved_dir);
  ns_test_remove_tree (dir);
}

/* Operations for gradients leave Winograd out of their measured forward
 * convolutions (tuned) but not out of their backward passes, which decide
 * no ReLU or max-pool: the backward pass's layers get Winograd's weights,
 * and both compute the same convolution. */
static void
test_conv_backward_pass (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  const int C = 40, O = 36, H = 9, W = 14;
  g_autoptr (NsOps) ops = ns_ops_new (f->ctx, &error);
  g_assert_no_error (error);
  ns_ops_set_conv_algorithm (ops, NS_CONV_TUNED);
  ns_ops_set_for_gradients (ops, TRUE);
  g_autofree float *weight = g_new (float, (gsize) O * C * 9), *bias = g_new (float, O), *in_host = NULL;
  ns_test_fill_random (f->rand, weight, (gsize) O * C * 9, -0.5f, 0.5f);
  ns_test_fill_random (f->rand, bias, O, -0.5f, 0.5f);
  g_autoptr (NsConv3x3) conv = ns_conv3x3_new (f->ctx, C, O, weight, bias, &error);
  g_assert_no_error (error);
  g_assert_true (ns_ops_prepare_conv (ops, conv, &error));
  g_assert_null (conv->weight_winograd);
  g_assert_null (conv->weight_winograd4);
  g_assert_true (ns_ops_prepare_backward_conv (ops, conv, &error));
  g_assert_no_error (error);
  /* Tuned: both tile sizes' weights. */
  g_assert_true (conv->weight_winograd != NULL || conv->weight_winograd4 != NULL);

  g_autoptr (NsTensor) x = random_tensor (f, C, H, W, -1.0f, 1.0f, &in_host);
  g_autoptr (NsTensor) exact = ns_op_conv3x3 (ops, x, conv, FALSE, &error);
  g_assert_no_error (error);
  g_autoptr (NsTensor) back = ns_op_conv3x3_backward_pass (ops, x, conv, &error);
  g_assert_no_error (error);
  g_autofree float *want = ns_test_download (exact), *got = ns_test_download (back);
  ns_test_assert_close (got, want, (gsize) O * H * W, 1e-5, "backward pass against the exact convolution");
}

/* A device whose compiler rejects the tiled GPU kernels keeps every other
 * way: implicit runs as im2col, Winograd's tiled products as the register
 * blocks, tuned measures what there is; the results stay right. */
static void
test_conv_without_tiled (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  NsOps *saved = f->ops;
  f->ops = ns_ops_new_with_tiled_source (f->ctx, "__kernel void conv3x3_implicit (__global float *x) { x[0] = nowhere; }",
                                         &error);
  g_assert_no_error (error);
  ns_ops_set_conv_algorithm (f->ops, NS_CONV_IMPLICIT);
  g_assert_cmpint (ns_ops_resolved_conv_algorithm (f->ops), ==, NS_CONV_IM2COL);
  check_conv (f, 5, 9, 4, 33, FALSE, 64 << 20);
  ns_ops_set_conv_algorithm (f->ops, NS_CONV_WINOGRAD);
  ns_ops_set_winograd_gemm (f->ops, NS_WINOGRAD_GEMM_TILED);
  check_conv (f, 20, 72, 17, 21, TRUE, 64 << 20);
  ns_ops_set_conv_algorithm (f->ops, NS_CONV_WINOGRAD4);
  check_conv (f, 20, 72, 17, 21, TRUE, 64 << 20);
  ns_ops_set_conv_algorithm (f->ops, NS_CONV_TUNED);
  check_conv (f, 3, 5, 7, 11, FALSE, 64 << 20);
  ns_ops_free (f->ops);
  f->ops = saved;
}

static void
test_maxpool (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const int sizes[][3] = { { 3, 5, 7 }, { 1, 2, 2 }, { 2, 9, 4 }, { 5, 16, 3 } };
  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int C = sizes[s][0], H = sizes[s][1], W = sizes[s][2];
      g_autoptr (GError) error = NULL;
      g_autofree float *in = NULL;
      g_autoptr (NsTensor) x = random_tensor (f, C, H, W, -1.0f, 1.0f, &in);
      g_autoptr (NsTensor) y = ns_op_maxpool2x2 (f->ops, x, &error);
      g_assert_no_error (error);
      g_assert_cmpint (y->height, ==, H / 2);
      g_assert_cmpint (y->width, ==, W / 2);
      g_autofree float *got = ns_test_download (y);
      for (int c = 0; c < C; c++)
        for (int yy = 0; yy < H / 2; yy++)
          for (int xx = 0; xx < W / 2; xx++)
            {
              const float *p = in + ((gsize) c * H + 2 * yy) * W + 2 * xx;
              float want = fmaxf (fmaxf (p[0], p[1]), fmaxf (p[W], p[W + 1]));
              g_assert_cmpfloat (got[((gsize) c * (H / 2) + yy) * (W / 2) + xx], ==, want);
            }
    }
}

static void
test_upsample (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const int sizes[][3] = { { 3, 5, 7 }, { 1, 1, 1 }, { 2, 4, 9 } };
  for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int C = sizes[s][0], H = sizes[s][1], W = sizes[s][2];
      g_autoptr (GError) error = NULL;
      g_autofree float *in = NULL;
      g_autoptr (NsTensor) x = random_tensor (f, C, H, W, -1.0f, 1.0f, &in);
      g_autoptr (NsTensor) y = ns_op_upsample2x (f->ops, x, &error);
      g_assert_no_error (error);
      g_assert_cmpint (y->height, ==, 2 * H);
      g_assert_cmpint (y->width, ==, 2 * W);
      g_autofree float *got = ns_test_download (y);
      for (int c = 0; c < C; c++)
        for (int yy = 0; yy < 2 * H; yy++)
          for (int xx = 0; xx < 2 * W; xx++)
            g_assert_cmpfloat (got[((gsize) c * 2 * H + yy) * 2 * W + xx], ==,
                               in[((gsize) c * H + yy / 2) * W + xx / 2]);
    }
}

static void
reference_mean_var (const float *x, int C, gsize hw, double *mean, double *var)
{
  for (int c = 0; c < C; c++)
    {
      double s = 0, q = 0;
      for (gsize i = 0; i < hw; i++)
        s += x[c * hw + i];
      mean[c] = s / hw;
      for (gsize i = 0; i < hw; i++)
        q += (x[c * hw + i] - mean[c]) * (x[c * hw + i] - mean[c]);
      var[c] = q / hw;
    }
}

static void
test_mean_var (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  /* The last case has a large offset: a one-pass variance would lose it. */
  const struct { int c, h, w; float lo, hi; } cases[] = {
    { 5, 13, 17, -1, 3 }, { 1, 1, 7, 0, 1 }, { 512, 4, 4, 0, 2 }, { 2, 300, 301, 100, 101 },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      int C = cases[k].c;
      gsize hw = (gsize) cases[k].h * cases[k].w;
      g_autoptr (GError) error = NULL;
      g_autofree float *in = NULL;
      g_autoptr (NsTensor) x = random_tensor (f, C, cases[k].h, cases[k].w, cases[k].lo, cases[k].hi, &in);
      g_autoptr (NsClBuffer) mean = ns_cl_buffer_new (f->ctx, C * sizeof (float), &error);
      g_autoptr (NsClBuffer) var = ns_cl_buffer_new (f->ctx, C * sizeof (float), &error);
      g_assert_true (ns_op_channel_mean_var (f->ops, x, mean, var, &error));
      g_assert_no_error (error);
      g_autofree float *got_mean = g_new (float, C), *got_var = g_new (float, C);
      g_assert_true (ns_cl_buffer_read (mean, 0, got_mean, C * sizeof (float), &error));
      g_assert_true (ns_cl_buffer_read (var, 0, got_var, C * sizeof (float), &error));
      g_autofree double *want_mean = g_new (double, C), *want_var = g_new (double, C);
      reference_mean_var (in, C, hw, want_mean, want_var);
      for (int c = 0; c < C; c++)
        {
          g_assert_cmpfloat_with_epsilon (got_mean[c], want_mean[c], 1e-5 * fmax (1, fabs (want_mean[c])));
          g_assert_cmpfloat_with_epsilon (got_var[c], want_var[c], 1e-4 * want_var[c] + 1e-7);
        }
    }
}

static void
test_adain_blend (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const int C = 7, H = 5, W = 9;
  const gsize hw = (gsize) H * W;
  const float eps = 1e-5f;
  g_autoptr (GError) error = NULL;
  g_autofree float *in = NULL;
  g_autoptr (NsTensor) x = random_tensor (f, C, H, W, 0.0f, 4.0f, &in);
  float stats[4][C];
  for (int s = 0; s < 4; s++)
    ns_test_fill_random (f->rand, stats[s], C, s % 2 ? 0.01f : -2.0f, s % 2 ? 3.0f : 2.0f);
  NsClBuffer *buffers[4];
  for (int s = 0; s < 4; s++)
    {
      buffers[s] = ns_cl_buffer_new (f->ctx, sizeof stats[s], &error);
      g_assert_true (ns_cl_buffer_write (buffers[s], 0, stats[s], sizeof stats[s], &error));
    }
  const float alphas[] = { 1.0f, 0.3f, 0.0f };
  for (gsize a = 0; a < G_N_ELEMENTS (alphas); a++)
    {
      g_autoptr (NsTensor) y = ns_op_adain_blend (f->ops, x, buffers[0], buffers[1], buffers[2], buffers[3],
                                                  alphas[a], eps, &error);
      g_assert_no_error (error);
      g_autofree float *got = ns_test_download (y);
      g_autofree float *want = g_new (float, C * hw);
      for (int c = 0; c < C; c++)
        for (gsize i = 0; i < hw; i++)
          {
            double v = in[c * hw + i];
            double t = sqrt (stats[3][c] + (double) eps) * (v - stats[0][c]) / sqrt (stats[1][c] + (double) eps)
                       + stats[2][c];
            want[c * hw + i] = (float) (alphas[a] * t + (1 - alphas[a]) * v);
          }
      ns_test_assert_close (got, want, C * hw, 1e-6, "adain_blend");
    }
  for (int s = 0; s < 4; s++)
    ns_cl_buffer_free (buffers[s]);
}

static void
test_memory_accounting (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  gsize before = f->ctx->mem_current;
  NsTensor *t = ns_tensor_new (f->ctx, 3, 10, 20, &error);
  g_assert_cmpuint (f->ctx->mem_current, ==, before + 3 * 10 * 20 * sizeof (float));
  g_assert_cmpuint (f->ctx->mem_peak, >=, f->ctx->mem_current);
  ns_tensor_free (t);
  g_assert_cmpuint (f->ctx->mem_current, ==, before);
  /* More than the device has is a clear out-of-memory error, not a crash. */
  NsClBuffer *huge = ns_cl_buffer_new (f->ctx, f->ctx->info->global_mem + 1, &error);
  g_assert_null (huge);
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY);
}

/* The scratch buffer's growth left: its budget less what it holds (memory
 * in use already counts that), never below zero. */
static void
test_scratch_growth (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsOps) ops = ns_ops_new (f->ctx, &error);
  g_assert_no_error (error);
  ns_ops_set_scratch_budget (ops, 4 << 20);
  g_assert_cmpuint (ns_ops_get_scratch_growth (ops), ==, 4 << 20);
  gsize before = f->ctx->mem_current;
  g_assert_nonnull (ns_ops_get_scratch (ops, 1 << 20, &error));
  g_assert_cmpuint (f->ctx->mem_current, ==, before + (1 << 20));
  g_assert_cmpuint (ns_ops_get_scratch_growth (ops), ==, 3 << 20);
  g_assert_nonnull (ns_ops_get_scratch (ops, 5 << 20, &error));   /* past the budget: nothing left */
  g_assert_cmpuint (ns_ops_get_scratch_growth (ops), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  Fixture f = { 0 };
  ns_test_device_open (&f.ctx, &f.ops, NULL);
  f.rand = g_rand_new_with_seed (20161127);

  /* (fixture, algorithm, Winograd products) */
  const NsWinogradGemm clblast = NS_WINOGRAD_GEMM_CLBLAST;
  gpointer im2col[] = { &f, GINT_TO_POINTER (NS_CONV_IM2COL), GINT_TO_POINTER (clblast) };
  gpointer direct[] = { &f, GINT_TO_POINTER (NS_CONV_DIRECT), GINT_TO_POINTER (clblast) };
  gpointer implicit[] = { &f, GINT_TO_POINTER (NS_CONV_IMPLICIT), GINT_TO_POINTER (clblast) };
  gpointer winograd_registers[] = { &f, GINT_TO_POINTER (NS_CONV_WINOGRAD), GINT_TO_POINTER (NS_WINOGRAD_GEMM_REGISTERS) };
  gpointer winograd_tiled[] = { &f, GINT_TO_POINTER (NS_CONV_WINOGRAD), GINT_TO_POINTER (NS_WINOGRAD_GEMM_TILED) };
  gpointer winograd_clblast[] = { &f, GINT_TO_POINTER (NS_CONV_WINOGRAD), GINT_TO_POINTER (clblast) };
  gpointer winograd4_registers[] = { &f, GINT_TO_POINTER (NS_CONV_WINOGRAD4), GINT_TO_POINTER (NS_WINOGRAD_GEMM_REGISTERS) };
  gpointer winograd4_tiled[] = { &f, GINT_TO_POINTER (NS_CONV_WINOGRAD4), GINT_TO_POINTER (NS_WINOGRAD_GEMM_TILED) };
  gpointer winograd4_clblast[] = { &f, GINT_TO_POINTER (NS_CONV_WINOGRAD4), GINT_TO_POINTER (clblast) };
  gpointer automatic[] = { &f, GINT_TO_POINTER (NS_CONV_AUTO), GINT_TO_POINTER (clblast) };
  gpointer tuned[] = { &f, GINT_TO_POINTER (NS_CONV_TUNED), GINT_TO_POINTER (clblast) };
  gpointer by_width[] = { &f, GINT_TO_POINTER (NS_CONV_BY_WIDTH), GINT_TO_POINTER (NS_WINOGRAD_GEMM_REGISTERS) };
  g_test_add_data_func ("/ops/conv3x3/auto", automatic, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/tuned", tuned, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/by-width", by_width, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/tuned-file", &f, test_conv_tuned_file);
  g_test_add_data_func ("/ops/conv3x3/without-tiled", &f, test_conv_without_tiled);
  g_test_add_data_func ("/ops/conv3x3/backward-pass", &f, test_conv_backward_pass);
  g_test_add_data_func ("/ops/conv3x3/im2col", im2col, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/direct", direct, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/implicit", implicit, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/winograd-registers", winograd_registers, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/winograd-tiled", winograd_tiled, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/winograd-clblast", winograd_clblast, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/winograd4-registers", winograd4_registers, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/winograd4-tiled", winograd4_tiled, test_conv3x3);
  g_test_add_data_func ("/ops/conv3x3/winograd4-clblast", winograd4_clblast, test_conv3x3);
  g_test_add_data_func ("/ops/maxpool2x2", &f, test_maxpool);
  g_test_add_data_func ("/ops/upsample2x", &f, test_upsample);
  g_test_add_data_func ("/ops/channel-mean-var", &f, test_mean_var);
  g_test_add_data_func ("/ops/adain-blend", &f, test_adain_blend);
  g_test_add_data_func ("/ops/memory-accounting", &f, test_memory_accounting);
  g_test_add_data_func ("/ops/scratch-growth", &f, test_scratch_growth);
  int status = g_test_run ();

  g_rand_free (f.rand);
  ns_test_device_close (f.ctx, f.ops, NULL);
  return status;
}
