/* The decoder training's operations (engine/ns-ops-train.c) against plain C
 * references in double on random inputs of awkward sizes (odd, non-square,
 * one output channel, two pixels, strips of one row), and the weight
 * gradient against the engine's own forward convolution: the convolution
 * being linear in its weights, <dL/dw, e> must equal <dy, conv (x; e)>
 * (bias 0) for any direction e. */
#include "ns-ops-train.h"
#include "ns-test-tensor.h"
#include "ns-test-util.h"
#include <math.h>

typedef struct {
  NsClContext *ctx;
  NsOps *ops;
  NsTrainOps *train;
  GRand *rand;
} Fixture;

static float *
random_floats (Fixture *f, gsize n, float lo, float hi)
{
  float *v = g_new (float, n);
  ns_test_fill_random (f->rand, v, n, lo, hi);
  return v;
}

static void
check_weight_grad (Fixture *f, int C, int O, int H, int W, gsize budget)
{
  g_autoptr (GError) error = NULL;
  const gsize nx = (gsize) C * H * W, ny = (gsize) O * H * W, nw = (gsize) O * C * 9;
  g_autofree float *x = random_floats (f, nx, -1, 1), *dy = random_floats (f, ny, -1, 1);
  g_autofree float *start = random_floats (f, nw, -1, 1);   /* it accumulates onto what is there */
  g_autoptr (NsTensor) tx = ns_test_upload (f->ctx, C, H, W, x), tdy = ns_test_upload (f->ctx, O, H, W, dy);
  g_autoptr (NsClBuffer) dw = ns_test_upload_buffer (f->ctx, start, nw);
  ns_ops_set_scratch_budget (f->ops, budget);
  g_assert_true (ns_op_conv3x3_weight_grad (f->train, tx, tdy, dw, &error));
  ns_ops_set_scratch_budget (f->ops, 64 << 20);
  g_assert_no_error (error);
  g_autofree float *got = ns_test_download_buffer (dw, nw);
  g_autofree float *want = g_new (float, nw);
  for (int o = 0; o < O; o++)
    for (int c = 0; c < C; c++)
      for (int ky = 0; ky < 3; ky++)
        for (int kx = 0; kx < 3; kx++)
          {
            gsize at = ((gsize) (o * C + c) * 3 + ky) * 3 + kx;
            double s = start[at];
            for (int y = 0; y < H; y++)
              for (int xx = 0; xx < W; xx++)
                s += (double) dy[((gsize) o * H + y) * W + xx]
                     * x[((gsize) c * H + ns_test_reflect (y + ky - 1, H)) * W + ns_test_reflect (xx + kx - 1, W)];
            want[at] = (float) s;
          }
  g_autofree char *what = g_strdup_printf ("weight gradient %d->%d %dx%d budget %zu", C, O, H, W, budget);
  ns_test_assert_close (got, want, nw, 1e-5, what);
}

static void
test_weight_grad (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  check_weight_grad (f, 3, 5, 7, 9, 64 << 20);
  check_weight_grad (f, 6, 1, 2, 2, 64 << 20);
  check_weight_grad (f, 9, 4, 11, 6, 9 * 9 * 6 * sizeof (float));   /* strips of one row */
  check_weight_grad (f, 16, 8, 13, 10, 16 * 9 * 10 * 4 * sizeof (float));   /* strips of four rows, a short last one */
}

/* <dw, e> = <dy, conv (x; e, bias 0)>, the forward pass's own convention. */
static void
test_weight_grad_matches_forward (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  const int C = 7, O = 5, H = 10, W = 12;
  const gsize nw = (gsize) O * C * 9;
  g_autofree float *x = random_floats (f, (gsize) C * H * W, -1, 1), *dy = random_floats (f, (gsize) O * H * W, -1, 1);
  g_autofree float *e = random_floats (f, nw, -1, 1), *zero = g_new0 (float, nw);
  g_autoptr (NsTensor) tx = ns_test_upload (f->ctx, C, H, W, x), tdy = ns_test_upload (f->ctx, O, H, W, dy);
  g_autoptr (NsClBuffer) dw = ns_test_upload_buffer (f->ctx, zero, nw);
  g_assert_true (ns_op_conv3x3_weight_grad (f->train, tx, tdy, dw, &error));
  g_autofree float *grad = ns_test_download_buffer (dw, nw);
  g_autoptr (NsConv3x3) conv = ns_conv3x3_new (f->ctx, C, O, e, zero, &error);
  g_assert_no_error (error);
  g_autoptr (NsTensor) y = ns_op_conv3x3 (f->ops, tx, conv, FALSE, &error);
  g_assert_no_error (error);
  g_autofree float *forward = ns_test_download (y);
  double lhs = 0, rhs = 0, scale = 0;
  for (gsize i = 0; i < nw; i++)
    lhs += (double) grad[i] * e[i];
  for (gsize i = 0; i < (gsize) O * H * W; i++)
    rhs += (double) dy[i] * forward[i], scale += fabs ((double) dy[i] * forward[i]);
  g_test_message ("<dL/dw, e> %.8g, <dy, conv (x; e)> %.8g", lhs, rhs);
  g_assert_cmpfloat (fabs (lhs - rhs), <, 1e-5 * scale);
}

static void
test_bias_grad (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  const int shapes[][3] = { { 5, 7, 9 }, { 1, 2, 2 }, { 3, 64, 48 } };
  for (gsize s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      g_autoptr (GError) error = NULL;
      int O = shapes[s][0], H = shapes[s][1], W = shapes[s][2];
      g_autofree float *dy = random_floats (f, (gsize) O * H * W, -1, 1), *start = random_floats (f, O, -1, 1);
      g_autoptr (NsTensor) tdy = ns_test_upload (f->ctx, O, H, W, dy);
      g_autoptr (NsClBuffer) db = ns_test_upload_buffer (f->ctx, start, O);
      g_assert_true (ns_op_bias_grad (f->train, tdy, db, &error));
      g_assert_no_error (error);
      g_autofree float *got = ns_test_download_buffer (db, O), *want = g_new (float, O);
      for (int o = 0; o < O; o++)
        {
          double s = start[o];
          for (int i = 0; i < H * W; i++)
            s += dy[(gsize) o * H * W + i];
          want[o] = (float) s;
        }
      ns_test_assert_close (got, want, O, 1e-5, "bias gradient");
    }
}

static void
test_upsample_backward (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  const int C = 3, H = 5, W = 7;
  g_autofree float *dy = random_floats (f, (gsize) C * 4 * H * W, -1, 1);
  g_autoptr (NsTensor) tdy = ns_test_upload (f->ctx, C, 2 * H, 2 * W, dy);
  g_autoptr (NsTensor) dx = ns_op_upsample2x_backward (f->train, tdy, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dx->height, ==, H);
  g_assert_cmpint (dx->width, ==, W);
  g_autofree float *got = ns_test_download (dx), *want = g_new (float, (gsize) C * H * W);
  for (int c = 0; c < C; c++)
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
        {
          double s = 0;
          for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
              s += dy[((gsize) c * 2 * H + 2 * y + i) * 2 * W + 2 * x + j];
          want[((gsize) c * H + y) * W + x] = (float) s;
        }
  ns_test_assert_close (got, want, (gsize) C * H * W, 1e-6, "upsample2x backward");
  /* The adjoint of the forward upsampling: <up (u), dy> = <u, up^T (dy)>. */
  g_autofree float *u = random_floats (f, (gsize) C * H * W, -1, 1);
  g_autoptr (NsTensor) tu = ns_test_upload (f->ctx, C, H, W, u);
  g_autoptr (NsTensor) up = ns_op_upsample2x (f->ops, tu, &error);
  g_autofree float *uph = ns_test_download (up);
  double lhs = 0, rhs = 0;
  for (gsize i = 0; i < (gsize) C * 4 * H * W; i++)
    lhs += (double) uph[i] * dy[i];
  for (gsize i = 0; i < (gsize) C * H * W; i++)
    rhs += (double) u[i] * got[i];
  g_assert_cmpfloat (fabs (lhs - rhs), <, 1e-4);
}

static void
test_channel_affine (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  const int C = 4, H = 3, W = 5, HW = H * W;
  g_autofree float *fh = random_floats (f, (gsize) C * HW, -1, 1), *g0 = random_floats (f, (gsize) C * HW, -1, 1);
  g_autofree float *mean = random_floats (f, C, -1, 1), *a = random_floats (f, C, -1, 1);
  g_autofree float *b = random_floats (f, C, -1, 1);
  g_autoptr (NsTensor) tf = ns_test_upload (f->ctx, C, H, W, fh), tg = ns_test_upload (f->ctx, C, H, W, g0);
  g_autoptr (NsClBuffer) bm = ns_test_upload_buffer (f->ctx, mean, C), ba = ns_test_upload_buffer (f->ctx, a, C);
  g_autoptr (NsClBuffer) bb = ns_test_upload_buffer (f->ctx, b, C);
  g_assert_true (ns_op_channel_affine_accumulate (f->train, tf, bm, ba, bb, tg, &error));
  g_assert_no_error (error);
  g_autofree float *got = ns_test_download (tg), *want = g_new (float, (gsize) C * HW);
  for (int c = 0; c < C; c++)
    for (int i = 0; i < HW; i++)
      want[c * HW + i] = (float) (g0[c * HW + i] + a[c] + (double) b[c] * (fh[c * HW + i] - mean[c]));
  ns_test_assert_close (got, want, (gsize) C * HW, 1e-6, "channel affine accumulate");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  Fixture f = { 0 };
  g_autoptr (GError) error = NULL;
  ns_test_device_open (&f.ctx, &f.ops, NULL);
  f.train = ns_train_ops_new (f.ops, &error);
  g_assert_no_error (error);
  f.rand = g_rand_new_with_seed (21);
  g_test_add_data_func ("/train-ops/weight-grad", &f, test_weight_grad);
  g_test_add_data_func ("/train-ops/weight-grad-matches-forward", &f, test_weight_grad_matches_forward);
  g_test_add_data_func ("/train-ops/bias-grad", &f, test_bias_grad);
  g_test_add_data_func ("/train-ops/upsample2x-backward", &f, test_upsample_backward);
  g_test_add_data_func ("/train-ops/channel-affine", &f, test_channel_affine);
  int status = g_test_run ();
  g_rand_free (f.rand);
  ns_train_ops_free (f.train);
  ns_test_device_close (f.ctx, f.ops, NULL);
  return status;
}
