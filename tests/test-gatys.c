/* The Gatys method: each backward kernel against a plain C reference (double
 * precision) and against finite differences of its forward on small random
 * tensors of awkward sizes; the whole objective against the gatys_a golden;
 * the optimisers on functions with known minima; a short run. */
#include "ns-gatys-objective.h"
#include "ns-gatys-private.h"
#include "ns-image-io.h"
#include "ns-optim.h"
#include "ns-safetensors.h"
#include "ns-test-tensor.h"
#include "ns-test-util.h"
#include <math.h>

typedef struct {
  NsClContext *ctx;
  NsOps *ops;
  NsGradOps *grad;
  NsVecOps *vec;
  GRand *rand;
  NsGatys *gatys;   /* its own context; made by the first test that needs it */
} Fixture;

static int
reflect (int i, int n)
{
  return i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i);
}

static float *
random_host (Fixture *f, gsize n, float lo, float hi)
{
  float *host = g_new (float, n);
  ns_test_fill_random (f->rand, host, n, lo, hi);
  return host;
}

static double
dot_host (const float *a, const float *b, gsize n)
{
  double s = 0;
  for (gsize i = 0; i < n; i++)
    s += (double) a[i] * b[i];
  return s;
}

/* sum dy * conv(x), or (conv NULL) sum dy * pool(x): an NsTestLoss. */
typedef struct {
  NsOps *ops;
  const NsConv3x3 *conv;
  const float *dy;
  gsize n_out;
} DyLoss;

static double
dy_loss (const NsTensor *xt, gpointer data)
{
  const DyLoss *d = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsTensor) yt = d->conv != NULL ? ns_op_conv3x3 (d->ops, xt, d->conv, FALSE, &error)
                                            : ns_op_maxpool2x2 (d->ops, xt, &error);
  g_assert_no_error (error);
  g_autofree float *y = ns_test_download (yt);
  return dot_host (d->dy, y, d->n_out);
}

/* --- convolution backward ---------------------------------------------------- */

static void
check_conv_backward (Fixture *f, int C, int O, int H, int W, gsize budget)
{
  g_autoptr (GError) error = NULL;
  const gsize n_in = (gsize) C * H * W, n_out = (gsize) O * H * W;
  g_autofree float *weight = random_host (f, (gsize) O * C * 9, -0.5f, 0.5f);
  g_autofree float *bias = random_host (f, O, -0.5f, 0.5f);
  g_autofree float *dy = random_host (f, n_out, -1.0f, 1.0f);
  g_autofree float *x = random_host (f, n_in, -1.0f, 1.0f);
  g_autoptr (NsConv3x3) conv = ns_conv3x3_new (f->ctx, C, O, weight, bias, &error);
  g_assert_no_error (error);
  g_autoptr (NsTensor) dyt = ns_test_upload (f->ctx, O, H, W, dy);
  g_autoptr (NsConv3x3) transposed = ns_conv3x3_new_transposed (f->ctx, conv, &error);
  g_assert_no_error (error);

  ns_ops_set_scratch_budget (f->ops, budget);
  g_autoptr (NsTensor) dxt = ns_op_conv3x3_backward (f->grad, dyt, transposed, &error);
  ns_ops_set_scratch_budget (f->ops, 64 << 20);
  g_assert_no_error (error);
  g_assert_cmpint (dxt->channels, ==, C);
  g_autofree float *got = ns_test_download (dxt);

  /* The reference scatters: what the forward read at a padded position
   * came from the pixel it mirrors. */
  g_autofree double *ref = g_new0 (double, n_in);
  for (int o = 0; o < O; o++)
    for (int y = 0; y < H; y++)
      for (int xx = 0; xx < W; xx++)
        for (int c = 0; c < C; c++)
          for (int ky = 0; ky < 3; ky++)
            for (int kx = 0; kx < 3; kx++)
              ref[((gsize) c * H + reflect (y + ky - 1, H)) * W + reflect (xx + kx - 1, W)] +=
                (double) weight[((o * C + c) * 3 + ky) * 3 + kx] * dy[((gsize) o * H + y) * W + xx];
  g_autofree float *want = g_new (float, n_in);
  for (gsize i = 0; i < n_in; i++)
    want[i] = (float) ref[i];
  g_autofree char *what = g_strdup_printf ("conv3x3 backward %d->%d %dx%d budget %zu, %s", C, O, H, W, budget,
                                           ns_conv_algorithm_name (ns_ops_get_conv_algorithm (f->ops)));
  ns_test_assert_close (got, want, n_in, 1e-5, what);

  /* Finite differences of L(x) = sum dy * conv(x) (no ReLU: linear, so the
   * central difference is exact but for rounding). */
  g_autoptr (NsTensor) xt = ns_test_upload (f->ctx, C, H, W, x);
  const float h = 0.25f;
  double worst = 0, scale = 0;
  for (gsize i = 0; i < n_in; i++)
    scale = fmax (scale, fabs (want[i]));
  DyLoss loss = { f->ops, conv, dy, n_out };
  for (int probe = 0; probe < 6; probe++)
    {
      gsize i = probe == 0 ? 0 : probe == 1 ? n_in - 1 : (gsize) g_rand_int_range (f->rand, 0, (gint32) n_in);
      double fd = ns_test_central_difference (xt, x, i, h, dy_loss, &loss);
      worst = fmax (worst, fabs (fd - got[i]));
    }
  g_test_message ("%s: finite differences within %.3g of a gradient scale %.3g", what, worst, scale);
  g_assert_cmpfloat (worst, <, 1e-3 * scale);
}

static void
test_conv_backward (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsConvAlgorithm saved = ns_ops_get_conv_algorithm (f->ops);
  const NsConvAlgorithm algorithms[] = { NS_CONV_IM2COL, NS_CONV_DIRECT, NS_CONV_WINOGRAD, NS_CONV_IMPLICIT,
                                         NS_CONV_BY_WIDTH, NS_CONV_TUNED };
  for (gsize a = 0; a < G_N_ELEMENTS (algorithms); a++)
    {
      ns_ops_set_conv_algorithm (f->ops, algorithms[a]);
      check_conv_backward (f, 3, 5, 7, 11, 64 << 20);
      check_conv_backward (f, 1, 1, 2, 2, 64 << 20);
      check_conv_backward (f, 2, 3, 3, 2, 64 << 20);
      check_conv_backward (f, 4, 6, 2, 9, 64 << 20);
      check_conv_backward (f, 7, 9, 13, 5, 64 << 20);
      check_conv_backward (f, 33, 17, 6, 10, 64 << 20);
      /* im2col in strips of 1 and of 3 rows (of the zero-padded gradient). */
      check_conv_backward (f, 5, 4, 9, 7, 4 * 9 * 11 * sizeof (float));
      check_conv_backward (f, 5, 4, 10, 7, 3 * 4 * 9 * 11 * sizeof (float));
    }
  ns_ops_set_conv_algorithm (f->ops, saved);
}

/* --- ReLU and max-pool backward ------------------------------------------------ */

static void
test_relu_backward (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  const int C = 3, H = 5, W = 7;
  const gsize n = (gsize) C * H * W;
  g_autofree float *y = random_host (f, n, -1.0f, 1.0f);
  for (gsize i = 0; i < n; i++)
    y[i] = fmaxf (y[i], 0.0f);   /* a ReLU's output: zeros and positives */
  g_autofree float *dy = random_host (f, n, -1.0f, 1.0f);
  g_autoptr (NsTensor) yt = ns_test_upload (f->ctx, C, H, W, y);
  g_autoptr (NsTensor) dyt = ns_test_upload (f->ctx, C, H, W, dy);
  g_assert_true (ns_op_relu_backward (f->grad, dyt, yt, &error));
  g_assert_no_error (error);
  g_autofree float *got = ns_test_download (dyt);
  int zeros = 0;
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (got[i], ==, y[i] > 0 ? dy[i] : 0.0f);
      zeros += y[i] == 0;
    }
  g_assert_cmpint (zeros, >, 0);
}

static void
check_maxpool_backward (Fixture *f, int C, int H, int W, gboolean ties)
{
  g_autoptr (GError) error = NULL;
  const int Ho = H / 2, Wo = W / 2;
  const gsize n_in = (gsize) C * H * W, n_out = (gsize) C * Ho * Wo;
  g_autofree float *x = random_host (f, n_in, -1.0f, 1.0f);
  if (ties)   /* three levels: many windows with equal maxima */
    for (gsize i = 0; i < n_in; i++)
      x[i] = floorf (x[i] * 1.5f);
  g_autofree float *dy = random_host (f, n_out, 0.5f, 1.5f);
  g_autoptr (NsTensor) xt = ns_test_upload (f->ctx, C, H, W, x);
  g_autoptr (NsTensor) dyt = ns_test_upload (f->ctx, C, Ho, Wo, dy);
  g_autoptr (NsTensor) dxt = ns_op_maxpool2x2_backward (f->grad, xt, dyt, &error);
  g_assert_no_error (error);
  g_autofree float *got = ns_test_download (dxt);

  g_autofree float *want = g_new0 (float, n_in);
  for (int c = 0; c < C; c++)
    for (int oy = 0; oy < Ho; oy++)
      for (int ox = 0; ox < Wo; ox++)
        {
          gsize at[4], best = 0;
          for (int k = 0; k < 4; k++)
            at[k] = ((gsize) c * H + 2 * oy + k / 2) * W + 2 * ox + k % 2;
          for (int k = 1; k < 4; k++)
            if (x[at[k]] > x[at[best]])
              best = k;
          want[at[best]] = dy[((gsize) c * Ho + oy) * Wo + ox];
        }
  for (gsize i = 0; i < n_in; i++)
    g_assert_cmpfloat (got[i], ==, want[i]);

  if (ties)
    return;
  /* Finite differences of sum dy * pool(x): distinct values, so a small step
   * keeps each window's maximum where it is. */
  const float h = 1e-3f;
  DyLoss loss = { f->ops, NULL, dy, n_out };
  for (int probe = 0; probe < 8; probe++)
    {
      gsize i = (gsize) g_rand_int_range (f->rand, 0, (gint32) n_in);
      g_assert_cmpfloat (fabs (ns_test_central_difference (xt, x, i, h, dy_loss, &loss) - got[i]), <, 1e-3);
    }
}

static void
test_maxpool_backward (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  check_maxpool_backward (f, 3, 7, 9, FALSE);
  check_maxpool_backward (f, 1, 2, 2, FALSE);
  check_maxpool_backward (f, 2, 6, 5, FALSE);
  check_maxpool_backward (f, 4, 8, 11, TRUE);
  check_maxpool_backward (f, 2, 5, 3, TRUE);
}

/* --- Gram matrices, the style and content terms, total variation -------------- */

/* E(F) = sum (G - A)^2 with G = F F^T / M, on the device. */
static double
device_gram_energy (Fixture *f, const NsTensor *ft, NsClBuffer *gram, const NsClBuffer *a)
{
  g_autoptr (GError) error = NULL;
  double e;
  gsize C = ft->channels;
  g_assert_true (ns_op_gram (f->grad, ft, gram, &error));
  g_assert_true (ns_op_sub_square_sum (f->grad, gram, a, C * C, &e, &error));
  g_assert_no_error (error);
  return e;
}

typedef struct {
  Fixture *f;
  NsClBuffer *gram;
  const NsClBuffer *a;
} GramLoss;

static double
gram_loss (const NsTensor *ft, gpointer data)
{
  const GramLoss *g = data;
  return device_gram_energy (g->f, ft, g->gram, g->a);
}

static void
check_gram (Fixture *f, int C, int H, int W)
{
  g_autoptr (GError) error = NULL;
  const gsize M = (gsize) H * W, n = C * M;
  g_autofree float *fh = random_host (f, n, 0.0f, 2.0f);
  g_autofree float *ah = random_host (f, (gsize) C * C, 0.0f, 1.0f);
  for (int i = 0; i < C; i++)   /* a target Gram matrix is symmetric */
    for (int j = 0; j < i; j++)
      ah[i * C + j] = ah[j * C + i];
  g_autoptr (NsTensor) ft = ns_test_upload (f->ctx, C, H, W, fh);
  g_autoptr (NsClBuffer) gram = ns_cl_buffer_new (f->ctx, (gsize) C * C * sizeof (float), &error);
  g_autoptr (NsClBuffer) a = ns_cl_buffer_new (f->ctx, (gsize) C * C * sizeof (float), &error);
  g_assert_true (ns_cl_buffer_write (a, 0, ah, (gsize) C * C * sizeof (float), &error));
  g_assert_true (ns_op_gram (f->grad, ft, gram, &error));
  g_assert_no_error (error);
  g_autofree float *got = g_new (float, (gsize) C * C);
  g_assert_true (ns_cl_buffer_read (gram, 0, got, (gsize) C * C * sizeof (float), &error));
  g_autofree float *want = g_new (float, (gsize) C * C);
  g_autofree double *d = g_new (double, (gsize) C * C);
  double energy = 0;
  for (int i = 0; i < C; i++)
    for (int j = 0; j < C; j++)
      {
        double s = dot_host (fh + i * M, fh + j * M, M) / M;
        want[i * C + j] = (float) s;
        d[i * C + j] = s - ah[i * C + j];
        energy += d[i * C + j] * d[i * C + j];
      }
  g_autofree char *what = g_strdup_printf ("gram %d x %dx%d", C, H, W);
  ns_test_assert_close (got, want, (gsize) C * C, 1e-6, what);

  /* The energy, then its gradient: dE/dF = 4 (G - A) F / M = coef D F with coef = 4 / M. */
  double e = device_gram_energy (f, ft, gram, a);
  g_test_message ("%s: energy %.9g, reference %.9g", what, e, energy);
  g_assert_cmpfloat (fabs (e - energy), <, 1e-5 * energy);
  g_autoptr (NsTensor) gt = ns_tensor_new (f->ctx, C, H, W, &error);
  g_assert_true (ns_op_gram_backward (f->grad, gram, ft, (float) (4.0 / M), gt, FALSE, &error));
  g_assert_no_error (error);
  g_autofree float *grad = ns_test_download (gt);
  g_autofree float *grad_want = g_new (float, n);
  for (int k = 0; k < C; k++)
    for (gsize m = 0; m < M; m++)
      {
        double s = 0;
        for (int j = 0; j < C; j++)
          s += d[k * C + j] * fh[j * M + m];
        grad_want[k * M + m] = (float) (4.0 * s / M);
      }
  g_autofree char *what_grad = g_strdup_printf ("gram backward %d x %dx%d", C, H, W);
  ns_test_assert_close (grad, grad_want, n, 1e-5, what_grad);
  /* Accumulating adds to what is there. */
  g_assert_true (ns_op_gram_backward (f->grad, gram, ft, (float) (4.0 / M), gt, TRUE, &error));
  g_autofree float *twice = ns_test_download (gt);
  for (gsize i = 0; i < n; i++)
    grad_want[i] *= 2;
  ns_test_assert_close (twice, grad_want, n, 1e-5, what_grad);

  /* Finite differences of the device energy. */
  const float h = 1e-2f;
  GramLoss loss = { f, gram, a };
  for (int probe = 0; probe < 5; probe++)
    {
      gsize i = (gsize) g_rand_int_range (f->rand, 0, (gint32) n);
      double fd = ns_test_central_difference (ft, fh, i, h, gram_loss, &loss);
      g_test_message ("dE/dF[%zu]: %.6g, finite difference %.6g", i, grad_want[i] / 2, fd);
      g_assert_cmpfloat (fabs (fd - grad_want[i] / 2), <, 2e-3 * fmax (1, fabs (fd)));
    }
}

static void
test_gram (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  check_gram (f, 5, 7, 3);
  check_gram (f, 1, 2, 2);
  check_gram (f, 17, 9, 13);
  /* Channels a multiple of 4 take gram.cl's kernels on a processor: positions
   * fewer than a vector, an odd count, several chunks with a ragged last one
   * (32768 / C positions a chunk), many blocks. */
  check_gram (f, 12, 3, 5);
  check_gram (f, 8, 33, 35);
  check_gram (f, 64, 40, 41);
  check_gram (f, 16, 64, 70);
  check_gram (f, 512, 5, 7);
}

static void
test_content_grad (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  const int C = 6, H = 5, W = 9;
  const gsize n = (gsize) C * H * W;
  g_autofree float *fh = random_host (f, n, 0.0f, 30.0f);
  g_autofree float *ph = random_host (f, n, 0.0f, 30.0f);
  g_autofree float *gh = random_host (f, n, -1.0f, 1.0f);
  g_autoptr (NsTensor) ft = ns_test_upload (f->ctx, C, H, W, fh);
  g_autoptr (NsTensor) pt = ns_test_upload (f->ctx, C, H, W, ph);
  g_autoptr (NsTensor) gt = ns_test_upload (f->ctx, C, H, W, gh);
  double ss;
  g_assert_true (ns_op_content_grad (f->grad, ft, pt, 0.75f, gt, &ss, &error));
  g_assert_no_error (error);
  g_autofree float *got = ns_test_download (gt);
  g_autofree float *want = g_new (float, n);
  double ref = 0;
  for (gsize i = 0; i < n; i++)
    {
      double d = (double) fh[i] - ph[i];
      ref += d * d;
      want[i] = (float) (gh[i] + 0.75 * d);
    }
  ns_test_assert_close (got, want, n, 1e-6, "content gradient");
  g_assert_cmpfloat (fabs (ss - ref), <, 1e-6 * ref);
}

static double
tv_host (const float *x, int C, int H, int W, float *grad)
{
  double s = 0;
  for (int c = 0; c < C; c++)
    for (int y = 0; y < H; y++)
      for (int xx = 0; xx < W; xx++)
        {
          gsize i = ((gsize) c * H + y) * W + xx;
          if (xx + 1 < W)
            {
              double d = (double) x[i + 1] - x[i];
              s += d * d;
              if (grad != NULL)
                grad[i] -= 2 * d, grad[i + 1] += 2 * d;
            }
          if (y + 1 < H)
            {
              double d = (double) x[i + W] - x[i];
              s += d * d;
              if (grad != NULL)
                grad[i] -= 2 * d, grad[i + W] += 2 * d;
            }
        }
  return s;
}

static void
test_tv (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  const int C = 3, H = 6, W = 11;
  const gsize n = (gsize) C * H * W;
  g_autofree float *x = random_host (f, n, 0.0f, 1.0f);
  g_autoptr (NsTensor) xt = ns_test_upload (f->ctx, C, H, W, x);
  g_autoptr (NsTensor) gt = ns_tensor_new (f->ctx, C, H, W, &error);
  g_assert_true (ns_tensor_clear (f->ctx, gt, &error));
  double tv;
  g_assert_true (ns_op_tv_grad (f->grad, xt, 2.0f, gt, &tv, &error));
  g_assert_no_error (error);
  g_autofree float *got = ns_test_download (gt);
  g_autofree float *want = g_new0 (float, n);
  double ref = tv_host (x, C, H, W, want);
  for (gsize i = 0; i < n; i++)
    want[i] *= 2.0f;
  g_assert_cmpfloat (fabs (tv - ref), <, 1e-6 * ref);
  ns_test_assert_close (got, want, n, 1e-6, "total variation gradient");
  /* Finite differences of the host total variation agree with the device gradient. */
  const float h = 1e-2f;
  for (int probe = 0; probe < 5; probe++)
    {
      gsize i = (gsize) g_rand_int_range (f->rand, 0, (gint32) n);
      float saved = x[i];
      x[i] = saved + h;
      double up = tv_host (x, C, H, W, NULL);
      x[i] = saved - h;
      double down = tv_host (x, C, H, W, NULL);
      x[i] = saved;
      g_assert_cmpfloat (fabs (2.0 * (up - down) / (2 * h) - got[i]), <, 1e-3);
    }
}

/* --- the whole objective against the golden ------------------------------------ */

static NsGatys *
fixture_gatys (Fixture *f)
{
  if (f->gatys == NULL)
    {
      g_autoptr (GError) error = NULL;
      f->gatys = ns_gatys_new (-1, &error);
      g_assert_no_error (error);
    }
  return f->gatys;
}

/* The gatys_a golden's content, and its style's targets. */
static NsGatysStyle *
golden_pair (NsGatys *gatys, NsImage **content)
{
  *content = ns_test_load_shared_image ("goldens", "gatys_a_content.png");
  g_autoptr (NsImage) style_image = ns_test_load_shared_image ("goldens", "gatys_a_style.png");
  return ns_test_gatys_style_new (gatys, style_image);
}

static void
test_golden (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsGatys *gatys = fixture_gatys (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) x = ns_test_load_shared_image ("goldens", "gatys_a_x.png");
  g_autoptr (NsImage) content = NULL;
  g_autoptr (NsGatysStyle) style = golden_pair (gatys, &content);
  NsGatysLosses losses;
  g_autoptr (NsImage) grad = NULL;
  g_assert_true (ns_gatys_objective (gatys, x, content, style, 1.0, 1000.0, 0.0, &losses, &grad, &error));
  g_assert_no_error (error);

  g_autofree char *path = ns_test_shared_path ("goldens", "expected.safetensors", NULL);
  g_autoptr (NsSafetensors) expected = ns_safetensors_open (path, &error);
  g_assert_no_error (error);
  const gint64 loss_shape[] = { 3 }, grad_shape[] = { 64, 64, 3 };
  g_autofree float *want_loss = ns_safetensors_read_f32 (expected, "gatys_a_loss", loss_shape, 1, &error);
  g_assert_no_error (error);
  g_autofree float *want_grad = ns_safetensors_read_f32 (expected, "gatys_a_grad", grad_shape, 3, &error);
  g_assert_no_error (error);
  const double got[3] = { losses.content, losses.style, losses.total };
  const char *names[3] = { "content", "style", "total" };
  for (int i = 0; i < 3; i++)
    {
      double rel = fabs (got[i] - want_loss[i]) / fabs (want_loss[i]);
      g_test_message ("%s loss %.9g, golden %.9g: relative error %.3g (bound 1e-4)", names[i], got[i],
                      want_loss[i], rel);
      g_assert_cmpfloat (rel, <, 1e-4);
    }
  g_assert_cmpint (grad->width, ==, 64);
  g_assert_cmpint (grad->height, ==, 64);
  ns_test_assert_close (grad->data, want_grad, 64 * 64 * 3, 1e-3, "gatys_a gradient");
}

/* The benchmark's step (x = the content on the device, the content's target
 * made once) evaluates the same objective as ns_gatys_objective(), and
 * again to the same value. */
static void
test_step (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsGatys *gatys = fixture_gatys (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) content = NULL;
  g_autoptr (NsGatysStyle) style = golden_pair (gatys, &content);
  NsGatysLosses want, got;
  g_assert_true (ns_gatys_objective (gatys, content, content, style, 1.0, 1000.0, 0.5, &want, NULL, &error));
  g_assert_no_error (error);
  g_autoptr (NsGatysStep) step = ns_gatys_step_new (gatys, content, style, 1.0, 1000.0, 0.5, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (want.style, >, 0.0);
  g_assert_cmpfloat (want.tv, >, 0.0);
  for (int round = 0; round < 2; round++)
    {
      g_assert_true (ns_gatys_step_run (step, &got, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (fabs (got.content - want.content), <=, 1e-6 * want.total);
      g_assert_cmpfloat (fabs (got.style - want.style), <=, 1e-6 * want.style);
      g_assert_cmpfloat (fabs (got.tv - want.tv), <=, 1e-6 * want.tv);
      g_assert_cmpfloat (fabs (got.total - want.total), <=, 1e-6 * want.total);
    }
  g_assert_null (ns_gatys_step_new (gatys, content, style, -1.0, 1000.0, 0.0, &error));
  g_assert_nonnull (error);
}

/* --- a short run ------------------------------------------------------------- */

typedef struct {
  int calls;
  int last_iteration;
  double first_total, last_total;
  int previews;
  GCancellable *cancel_at_2;
} Progress;

static void
on_progress (int iteration, const NsGatysLosses *losses, const NsImage *preview, gpointer user_data)
{
  Progress *p = user_data;
  g_assert_cmpint (iteration, ==, p->last_iteration + 1);
  g_assert_true (isfinite (losses->total) && losses->total >= 0);
  if (p->calls == 0)
    p->first_total = losses->total;
  p->calls++;
  p->last_iteration = iteration;
  p->last_total = losses->total;
  p->previews += preview != NULL;
  if (iteration % 5 == 0 || iteration < 3)
    g_test_message ("iteration %d: content %.4g style %.4g total %.4g", iteration, losses->content,
                    losses->style, losses->total);
  if (p->cancel_at_2 != NULL && iteration == 2)
    g_cancellable_cancel (p->cancel_at_2);
}

static void
test_run (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsGatys *gatys = fixture_gatys (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) content = NULL;
  g_autoptr (NsGatysStyle) style = golden_pair (gatys, &content);
  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = 30;
  options.content_weight = 1.0;
  options.style_weight = 1e3;
  options.init = NS_GATYS_INIT_NOISE;
  options.seed = 1234;
  options.preview_every = 10;

  /* The objective at the start: the same seeded noise the run starts from. */
  g_autoptr (NsImage) noise = ns_image_new (64, 64, 3);
  g_autoptr (GRand) rand = g_rand_new_with_seed (options.seed);
  for (gsize i = 0; i < 64 * 64 * 3; i++)
    noise->data[i] = (float) g_rand_double (rand);
  NsGatysLosses start;
  g_assert_true (ns_gatys_objective (gatys, noise, content, style, options.content_weight, options.style_weight,
                                     options.tv_weight, &start, NULL, &error));
  g_assert_no_error (error);

  Progress p = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (NsImage) result = ns_gatys_run (gatys, content, style, &options, on_progress, &p, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("30 iterations at 64x64: %.1f s; objective %.4g -> %.4g", (g_get_monotonic_time () - t0) / 1e6,
                  start.total, p.last_total);
  g_assert_cmpint (p.calls, ==, 30);
  g_assert_cmpint (p.previews, ==, 3);
  g_assert_cmpfloat (p.last_total, <=, 0.1 * start.total);
  g_assert_cmpint (result->width, ==, 64);
  g_assert_cmpint (result->height, ==, 64);
  /* The result is the image of that value. */
  NsGatysLosses end;
  g_assert_true (ns_gatys_objective (gatys, result, content, style, options.content_weight, options.style_weight,
                                     options.tv_weight, &end, NULL, &error));
  g_assert_cmpfloat (fabs (end.total - p.last_total), <=, 1e-4 * p.last_total);

  /* The same seed gives the same image: repeat the first iterations, and
   * cancel during the repeat, which still returns the best image so far. */
  options.iterations = 3;
  Progress q = { 0 };
  g_autoptr (NsImage) a = ns_gatys_run (gatys, content, style, &options, on_progress, &q, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Progress r = { .cancel_at_2 = cancellable };
  g_autoptr (NsImage) b = ns_gatys_run (gatys, content, style, &options, on_progress, &r, cancellable, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r.calls, ==, 2);   /* stopped after the second iteration */
  options.iterations = 2;
  Progress s2 = { 0 };
  g_autoptr (NsImage) c = ns_gatys_run (gatys, content, style, &options, on_progress, &s2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (b->data, 64 * 64 * 3 * sizeof (float), c->data, 64 * 64 * 3 * sizeof (float));
  g_assert_cmpfloat (q.last_total, <=, s2.last_total);
  g_assert_cmpfloat (q.last_total, ==, q.last_total);
}

static void
test_coarse_to_fine (gconstpointer data)
{
  /* Two scales and 4 iterations in all: 3 at 32 x 32, then 1 at 64 x 64. */
  Fixture *f = (Fixture *) data;
  NsGatys *gatys = fixture_gatys (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) content = NULL;
  g_autoptr (NsGatysStyle) style = golden_pair (gatys, &content);
  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = 4;
  options.content_weight = 1.0;
  options.style_weight = 1e3;
  options.scales = 2;
  options.preview_every = 1;
  Progress p = { 0 };
  g_autoptr (NsImage) result = ns_gatys_run (gatys, content, style, &options, on_progress, &p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p.calls, ==, 4);
  g_assert_cmpint (p.previews, ==, 4);
  g_assert_cmpint (result->width, ==, 64);
  g_assert_cmpint (result->height, ==, 64);
  NsGatysLosses start, end;
  g_assert_true (ns_gatys_objective (gatys, content, content, style, options.content_weight, options.style_weight,
                                     0, &start, NULL, &error));
  g_assert_true (ns_gatys_objective (gatys, result, content, style, options.content_weight, options.style_weight,
                                     0, &end, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("objective from the content %.4g, after coarse to fine %.4g", start.total, end.total);
  g_assert_cmpfloat (end.total, <, 0.8 * start.total);
  /* Too small a content for Gatys: a clear error. */
  g_autoptr (NsImage) small = ns_image_new (31, 40, 3);
  g_assert_null (ns_gatys_run (gatys, small, style, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL);
}

static void
test_run_adam (gconstpointer data)
{
  /* Adam from the content: the objective falls, and the result is the best image seen. */
  Fixture *f = (Fixture *) data;
  NsGatys *gatys = fixture_gatys (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) content = NULL;
  g_autoptr (NsGatysStyle) style = golden_pair (gatys, &content);
  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = 8;
  options.content_weight = 1.0;
  options.style_weight = 1e3;
  options.optimizer = NS_GATYS_OPTIMIZER_ADAM;
  options.learning_rate = 0.02;
  Progress p = { 0 };
  g_autoptr (NsImage) result = ns_gatys_run (gatys, content, style, &options, on_progress, &p, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (p.calls, ==, 8);
  NsGatysLosses start, end;
  g_assert_true (ns_gatys_objective (gatys, content, content, style, 1.0, 1e3, 0, &start, NULL, &error));
  g_assert_true (ns_gatys_objective (gatys, result, content, style, 1.0, 1e3, 0, &end, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("Adam: objective %.4g -> %.4g", start.total, end.total);
  g_assert_cmpfloat (end.total, <, 0.7 * start.total);
}

/* --- the optimisers ----------------------------------------------------------- */

typedef struct {
  gsize n;
  int evaluations;
  double (*func) (const float *x, float *g, gsize n);
} HostFunc;

static gboolean
host_evaluate (const NsClBuffer *x, NsClBuffer *grad, double *value, gpointer user_data, GError **error)
{
  HostFunc *hf = user_data;
  g_autofree float *xh = g_new (float, hf->n);
  g_autofree float *gh = g_new (float, hf->n);
  if (!ns_cl_buffer_read (x, 0, xh, hf->n * sizeof (float), error))
    return FALSE;
  *value = hf->func (xh, gh, hf->n);
  hf->evaluations++;
  return ns_cl_buffer_write (grad, 0, gh, hf->n * sizeof (float), error);
}

/* sum_i (i + 1) (x_i - c_i)^2 / 2, c_i = sin (i): condition number n. */
static double
quadratic (const float *x, float *g, gsize n)
{
  double f = 0;
  for (gsize i = 0; i < n; i++)
    {
      double d = x[i] - sin ((double) i);
      f += 0.5 * (i + 1) * d * d;
      g[i] = (float) ((i + 1) * d);
    }
  return f;
}

/* The same quadratic times 1e12, like the Gatys objective's scale: L-BFGS
 * is invariant to scaling and must take the same path. */
static double
scaled_quadratic (const float *x, float *g, gsize n)
{
  double f = 1e12 * quadratic (x, g, n);
  for (gsize i = 0; i < n; i++)
    g[i] *= 1e12f;
  return f;
}

/* The chained Rosenbrock function, minimum 0 at all ones. */
static double
rosenbrock (const float *x, float *g, gsize n)
{
  double f = 0;
  for (gsize i = 0; i < n; i++)
    g[i] = 0;
  for (gsize i = 0; i + 1 < n; i++)
    {
      double a = (double) x[i + 1] - (double) x[i] * x[i], b = 1.0 - x[i];
      f += 100 * a * a + b * b;
      g[i] += (float) (-400 * a * x[i] - 2 * b);
      g[i + 1] += (float) (200 * a);
    }
  return f;
}

static float *
minimise (Fixture *f, NsOptimKind kind, double lr, HostFunc *hf, const float *x0, int max_iterations,
          double *value)
{
  g_autoptr (GError) error = NULL;
  NsOptimParams params;
  ns_optim_params_init (&params, kind);
  params.learning_rate = lr;
  g_autoptr (NsOptim) optim = ns_optim_new (f->vec, &params, hf->n, &error);
  g_assert_no_error (error);
  g_autoptr (NsClBuffer) x = ns_cl_buffer_new (f->ctx, hf->n * sizeof (float), &error);
  g_assert_true (ns_cl_buffer_write (x, 0, x0, hf->n * sizeof (float), &error));
  g_assert_true (ns_optim_start (optim, x, host_evaluate, hf, &error));
  g_assert_no_error (error);
  double previous = ns_optim_get_value (optim);
  int it = 0;
  for (; it < max_iterations; it++)
    {
      gboolean stalled;
      g_assert_true (ns_optim_step (optim, host_evaluate, hf, &stalled, &error));
      g_assert_no_error (error);
      double now = ns_optim_get_value (optim);
      if (kind == NS_OPTIM_LBFGS)   /* the line search only accepts descent */
        g_assert_cmpfloat (now, <=, previous);
      previous = now;
      if (stalled)
        break;
    }
  g_assert_cmpint (ns_optim_get_evaluations (optim), ==, hf->evaluations);
  *value = ns_optim_get_value (optim);
  g_test_message ("%d iterations, %d evaluations, final value %.3g", it, hf->evaluations, *value);
  float *result = g_new (float, hf->n);
  g_assert_true (ns_cl_buffer_read (ns_optim_get_x (optim), 0, result, hf->n * sizeof (float), &error));
  return result;
}

static void
test_lbfgs_quadratic (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  HostFunc hf = { 100, 0, quadratic };
  g_autofree float *x0 = random_host (f, hf.n, -3.0f, 3.0f);
  double value;
  g_autofree float *x = minimise (f, NS_OPTIM_LBFGS, 0, &hf, x0, 200, &value);
  for (gsize i = 0; i < hf.n; i++)
    g_assert_cmpfloat (fabs (x[i] - sin ((double) i)), <, 1e-3);
  g_assert_cmpfloat (value, <, 1e-6);
}

static void
test_lbfgs_scaled (gconstpointer data)
{
  /* Steepest descent would need thousands of iterations here (condition
   * number 100); L-BFGS needs a few dozen, with about one evaluation each,
   * whatever the scale. */
  Fixture *f = (Fixture *) data;
  HostFunc hf = { 100, 0, scaled_quadratic };
  g_autofree float *x0 = random_host (f, hf.n, -3.0f, 3.0f);
  double value;
  g_autofree float *x = minimise (f, NS_OPTIM_LBFGS, 0, &hf, x0, 60, &value);
  for (gsize i = 0; i < hf.n; i++)
    g_assert_cmpfloat (fabs (x[i] - sin ((double) i)), <, 1e-2);
  g_assert_cmpint (hf.evaluations, <, 80);
}

static void
test_lbfgs_rosenbrock (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  HostFunc hf = { 10, 0, rosenbrock };
  g_autofree float *x0 = g_new (float, hf.n);
  for (gsize i = 0; i < hf.n; i++)
    x0[i] = i % 2 ? 1.0f : -1.2f;   /* the classic start */
  double value;
  g_autofree float *x = minimise (f, NS_OPTIM_LBFGS, 0, &hf, x0, 500, &value);
  for (gsize i = 0; i < hf.n; i++)
    g_assert_cmpfloat (fabs (x[i] - 1.0), <, 1e-2);
  g_assert_cmpfloat (value, <, 1e-5);
}

static void
test_adam_quadratic (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  HostFunc hf = { 20, 0, quadratic };
  g_autofree float *x0 = random_host (f, hf.n, -3.0f, 3.0f);
  double value;
  g_autofree float *x = minimise (f, NS_OPTIM_ADAM, 0.05, &hf, x0, 2000, &value);
  for (gsize i = 0; i < hf.n; i++)
    g_assert_cmpfloat (fabs (x[i] - sin ((double) i)), <, 1e-2);
}

/* The schedule of a coarse-to-fine run, and its progress weighed by pixels:
 * the iterations asked for are the run's total (issue 18), shared so that
 * each finer scale takes half as many as the one before. */
static void
test_work_fraction (void)
{
  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = 300;
  /* 2048 x 1536: three scales (512, 1024, 2048 wide): 1 each, and the other
   * 297 split 4 : 2 : 1 (169 + 84 + 42, the rounding's 2 to the coarsest). */
  g_assert_cmpint (ns_gatys_total_iterations (&options, 2048, 1536), ==, 300);
  const double unit = 512.0 * 384, all = unit * (172 + 4 * 85 + 16 * 43);   /* each finer scale: 4x pixels */
  g_assert_cmpfloat (ns_gatys_work_fraction (&options, 2048, 1536, 0), ==, 0.0);
  g_assert_cmpfloat_with_epsilon (ns_gatys_work_fraction (&options, 2048, 1536, 86), unit * 86 / all, 1e-12);
  g_assert_cmpfloat_with_epsilon (ns_gatys_work_fraction (&options, 2048, 1536, 172), unit * 172 / all, 1e-12);
  g_assert_cmpfloat_with_epsilon (ns_gatys_work_fraction (&options, 2048, 1536, 257), unit * (172 + 4 * 85) / all,
                                  1e-12);
  g_assert_cmpfloat (ns_gatys_work_fraction (&options, 2048, 1536, 300), ==, 1.0);
  g_assert_cmpfloat (ns_gatys_work_fraction (&options, 2048, 1536, 600), ==, 1.0);
  double last = 0;
  for (int i = 1; i <= 300; i++)
    {
      double f = ns_gatys_work_fraction (&options, 2048, 1536, i);
      g_assert_cmpfloat (f, >, last);
      last = f;
    }
  /* Which scale each iteration is in. */
  const struct { int iteration, scale; } at[] = { { 1, 1 }, { 172, 1 }, { 173, 2 }, { 257, 2 }, { 258, 3 }, { 300, 3 } };
  for (gsize i = 0; i < G_N_ELEMENTS (at); i++)
    {
      int scale, scales;
      ns_gatys_locate_iteration (&options, 2048, 1536, at[i].iteration, &scale, &scales);
      g_assert_cmpint (scales, ==, 3);
      g_assert_cmpint (scale, ==, at[i].scale);
    }
  /* 768 x 576 (issue 18's report: 50 iterations ran 75): two scales, 50 in all. */
  options.iterations = 50;
  g_assert_cmpint (ns_gatys_total_iterations (&options, 768, 576), ==, 50);
  int scale, scales;
  ns_gatys_locate_iteration (&options, 768, 576, 33, &scale, &scales);   /* 1 + 32 at 384 x 288 */
  g_assert_cmpint (scale, ==, 1);
  ns_gatys_locate_iteration (&options, 768, 576, 34, &scale, &scales);   /* 1 + 16 at 768 x 576 */
  g_assert_cmpint (scale, ==, 2);
  g_assert_cmpint (scales, ==, 2);
  /* Fewer iterations than scales: the finest take one each, the others none. */
  for (int n = 0; n <= 3; n++)
    {
      options.iterations = n;
      g_assert_cmpint (ns_gatys_total_iterations (&options, 2048, 1536), ==, n);
    }
  options.iterations = 1;
  ns_gatys_locate_iteration (&options, 2048, 1536, 1, &scale, &scales);
  g_assert_cmpint (scale, ==, 1);
  g_assert_cmpint (scales, ==, 1);
  /* One scale: the iterations themselves. */
  options.iterations = 300;
  g_assert_cmpint (ns_gatys_total_iterations (&options, 400, 300), ==, 300);
  g_assert_cmpfloat_with_epsilon (ns_gatys_work_fraction (&options, 400, 300, 120), 0.4, 1e-12);
  ns_gatys_locate_iteration (&options, 400, 300, 120, &scale, &scales);
  g_assert_cmpint (scale, ==, 1);
  g_assert_cmpint (scales, ==, 1);
  options.iterations = 0;
  g_assert_cmpfloat (ns_gatys_work_fraction (&options, 400, 300, 0), ==, 1.0);
}

/* Issue 16: counts that overflowed an int ("iteration 1/-1073741826") and
 * shifts by a huge --scales are safe; a run refuses more than
 * NS_GATYS_MAX_ITERATIONS iterations before any work. */
static void
test_iteration_bounds (gconstpointer data)
{
  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = G_MAXINT;
  options.scales = 3;
  g_assert_cmpint (ns_gatys_total_iterations (&options, 1024, 1024), ==, G_MAXINT);
  options.iterations = 300;
  options.scales = 1000;   /* as many as fit: 64 pixels halve once to 32 */
  g_assert_cmpint (ns_gatys_total_iterations (&options, 64, 64), ==, 300);
  g_assert_cmpfloat (ns_gatys_work_fraction (&options, 64, 64, 300), ==, 1.0);

  Fixture *f = (Fixture *) data;
  NsGatys *gatys = fixture_gatys (f);
  g_autoptr (NsImage) content = NULL;
  g_autoptr (NsGatysStyle) style = golden_pair (gatys, &content);
  options.iterations = NS_GATYS_MAX_ITERATIONS + 1;
  options.scales = 1;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsImage) result = ns_gatys_run (gatys, content, style, &options, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "at most 10000"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };
  ns_test_device_open (&f.ctx, &f.ops, &f.grad);
  f.vec = ns_vec_ops_new (f.ops, &error);
  g_assert_no_error (error);
  f.rand = g_rand_new_with_seed (20160627);

  g_test_add_data_func ("/gatys/conv3x3-backward", &f, test_conv_backward);
  g_test_add_data_func ("/gatys/relu-backward", &f, test_relu_backward);
  g_test_add_data_func ("/gatys/maxpool2x2-backward", &f, test_maxpool_backward);
  g_test_add_data_func ("/gatys/gram", &f, test_gram);
  g_test_add_data_func ("/gatys/content-gradient", &f, test_content_grad);
  g_test_add_data_func ("/gatys/total-variation", &f, test_tv);
  g_test_add_data_func ("/gatys/golden", &f, test_golden);
  g_test_add_data_func ("/gatys/step", &f, test_step);
  g_test_add_data_func ("/gatys/run", &f, test_run);
  g_test_add_data_func ("/gatys/coarse-to-fine", &f, test_coarse_to_fine);
  g_test_add_func ("/gatys/work-fraction", test_work_fraction);
  g_test_add_data_func ("/gatys/iteration-bounds", &f, test_iteration_bounds);
  g_test_add_data_func ("/gatys/run-adam", &f, test_run_adam);
  g_test_add_data_func ("/optim/lbfgs-quadratic", &f, test_lbfgs_quadratic);
  g_test_add_data_func ("/optim/lbfgs-scaled", &f, test_lbfgs_scaled);
  g_test_add_data_func ("/optim/lbfgs-rosenbrock", &f, test_lbfgs_rosenbrock);
  g_test_add_data_func ("/optim/adam-quadratic", &f, test_adam_quadratic);
  int status = g_test_run ();

  ns_gatys_free (f.gatys);
  g_rand_free (f.rand);
  ns_vec_ops_free (f.vec);
  ns_test_device_close (f.ctx, f.ops, f.grad);
  return status;
}
