/* The Gatys method's controls (ns_gatys_transfer()): the masked Gram term
 * against a plain C reference and finite differences, the masked objective
 * against the unmasked one and against finite differences, style blends
 * (exact losses, a zero weight changes nothing), colour preservation, spatial
 * control in a run, and the mistakes.  Small images: PoCL is slow. */
#include "ns-colour.h"
#include "ns-gatys-objective.h"
#include "ns-image-io.h"
#include "ns-test-tensor.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include <math.h>

typedef struct {
  NsClContext *ctx;
  NsOps *ops;
  NsGradOps *grad;
  GRand *rand;
  NsRuntime *runtime;   /* the Gatys object's: its own context */
  NsGatys *gatys;
  NsImage *content, *style, *x, *other;   /* 64 x 64 */
} Fixture;

/* A mask of the content's size: ones left of column `split`, zeros right,
 * or (soft) a smooth ramp with values strictly inside (0, 1). */
static NsImage *
make_mask (int width, int height, int split, gboolean soft)
{
  NsImage *mask = ns_image_new (width, height, 1);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      ns_image_pixel (mask, x, y)[0] = soft ? 0.5f + 0.4f * sinf (0.15f * x + 0.1f * y) : (x < split ? 1.0f : 0.0f);
  return mask;
}

/* --- the masked Gram term ---------------------------------------------------- */

/* E = (area / M) sum (G - A)^2, G = (F w)(F w)^T / area, on the device. */
static double
device_masked_energy (Fixture *f, const NsTensor *ft, const NsClBuffer *mask, gboolean invert, double area,
                      const NsClBuffer *a, NsClBuffer *gram, NsTensor *df)
{
  g_autoptr (GError) error = NULL;
  double ss;
  const gsize M = (gsize) ft->height * ft->width;
  g_assert_true (ns_op_masked_gram_term (f->grad, ft, mask, invert, area, a, gram, (float) (4.0 / M), df, FALSE,
                                         &ss, &error));
  g_assert_no_error (error);
  return area / M * ss;
}

typedef struct {
  Fixture *f;
  const NsClBuffer *mask;
  gboolean invert;
  double area;
  const NsClBuffer *a;
  NsClBuffer *gram;
  NsTensor *df;
} MaskedLoss;

static double
masked_loss (const NsTensor *ft, gpointer data)
{
  const MaskedLoss *m = data;
  return device_masked_energy (m->f, ft, m->mask, m->invert, m->area, m->a, m->gram, m->df);
}

static void
check_masked_gram (Fixture *f, int C, int H, int W, gboolean invert)
{
  g_autoptr (GError) error = NULL;
  const gsize M = (gsize) H * W, n = C * M;
  g_autofree float *fh = g_new (float, n);
  ns_test_fill_random (f->rand, fh, n, 0.0f, 2.0f);
  g_autofree float *mh = g_new (float, M);
  ns_test_fill_random (f->rand, mh, M, 0.0f, 1.0f);
  mh[0] = 0.0f, mh[M - 1] = 1.0f;   /* the ends of the range */
  g_autofree float *ah = g_new (float, (gsize) C * C);
  ns_test_fill_random (f->rand, ah, (gsize) C * C, 0.0f, 1.0f);
  for (int i = 0; i < C; i++)   /* a target Gram matrix is symmetric */
    for (int j = 0; j < i; j++)
      ah[i * C + j] = ah[j * C + i];
  g_autoptr (NsTensor) ft = ns_test_upload (f->ctx, C, H, W, fh);
  g_autoptr (NsClBuffer) mask = ns_cl_buffer_new (f->ctx, M * sizeof (float), &error);
  g_autoptr (NsClBuffer) a = ns_cl_buffer_new (f->ctx, (gsize) C * C * sizeof (float), &error);
  g_autoptr (NsClBuffer) gram = ns_cl_buffer_new (f->ctx, (gsize) C * C * sizeof (float), &error);
  g_assert_no_error (error);
  g_assert_true (ns_cl_buffer_write (mask, 0, mh, M * sizeof (float), &error));
  g_assert_true (ns_cl_buffer_write (a, 0, ah, (gsize) C * C * sizeof (float), &error));
  g_autofree float *nan = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    nan[i] = NAN;   /* not accumulating: whatever df held goes */
  g_autoptr (NsTensor) df = ns_test_upload (f->ctx, C, H, W, nan);

  /* The reference in double. */
  g_autofree double *w = g_new (double, M), *fw = g_new (double, n), *d = g_new (double, (gsize) C * C);
  double area = 0, ref_energy = 0;
  for (gsize m = 0; m < M; m++)
    area += w[m] = invert ? 1.0f - mh[m] : mh[m];
  for (int c = 0; c < C; c++)
    for (gsize m = 0; m < M; m++)
      fw[c * M + m] = fh[c * M + m] * w[m];
  for (int i = 0; i < C; i++)
    for (int j = 0; j < C; j++)
      {
        double s = 0;
        for (gsize m = 0; m < M; m++)
          s += fw[i * M + m] * fw[j * M + m];
        d[i * C + j] = s / area - ah[i * C + j];
        ref_energy += area / M * d[i * C + j] * d[i * C + j];
      }
  g_autofree float *want = g_new (float, n);
  for (int k = 0; k < C; k++)
    for (gsize m = 0; m < M; m++)
      {
        double s = 0;
        for (int j = 0; j < C; j++)
          s += d[k * C + j] * fw[j * M + m];
        want[k * M + m] = (float) (4.0 / M * s * w[m]);
      }

  double e = device_masked_energy (f, ft, mask, invert, area, a, gram, df);
  g_autofree char *what = g_strdup_printf ("masked gram %d x %dx%d%s", C, H, W, invert ? " (outside)" : "");
  g_test_message ("%s: energy %.9g, reference %.9g", what, e, ref_energy);
  g_assert_cmpfloat (fabs (e - ref_energy), <, 1e-5 * ref_energy);
  g_autofree float *got = ns_test_download (df);
  ns_test_assert_close (got, want, n, 1e-5, what);
  /* Accumulating adds to what is there. */
  double ss;
  g_assert_true (ns_op_masked_gram_term (f->grad, ft, mask, invert, area, a, gram, (float) (4.0 / M), df, TRUE, &ss,
                                         &error));
  g_assert_no_error (error);
  g_autofree float *twice = ns_test_download (df);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (twice[i] - 2 * got[i]), <=, 1e-6 * fabs (got[i]) + 1e-12);

  /* Finite differences of the device energy (float32: rounding of about
   * 1e-7 E per evaluation), at positions inside, outside and on the edge of
   * the region. */
  const float h = 5e-2f;
  MaskedLoss loss = { f, mask, invert, area, a, gram, df };
  for (int probe = 0; probe < 6; probe++)
    {
      gsize i = probe == 0 ? 0 : probe == 1 ? n - 1 : (gsize) g_rand_int_range (f->rand, 0, (gint32) n);
      double fd = ns_test_central_difference (ft, fh, i, h, masked_loss, &loss);
      g_test_message ("dE/dF[%zu] (weight %.3f): %.6g, finite difference %.6g", i, w[i % M], want[i], fd);
      g_assert_cmpfloat (fabs (fd - want[i]), <, 2e-3 * fabs (fd) + 2e-7 * e / h);
    }
}

static void
test_masked_gram (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  check_masked_gram (f, 5, 7, 3, FALSE);
  check_masked_gram (f, 5, 7, 3, TRUE);
  check_masked_gram (f, 17, 9, 13, FALSE);
  check_masked_gram (f, 1, 2, 2, TRUE);
}

/* --- the masked objective ------------------------------------------------------ */

static void
test_mask_of_ones (gconstpointer data)
{
  /* A mask of ones is the unmasked objective with the inside style, one of
   * zeros that with the outside style: values and gradients. */
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsGatysStyle) style = ns_test_gatys_style_new (f->gatys, f->style);
  g_autoptr (NsGatysStyle) other = ns_test_gatys_style_new (f->gatys, f->other);
  g_autoptr (NsImage) ones = make_mask (64, 64, 64, FALSE);
  g_autoptr (NsImage) zeros = make_mask (64, 64, 0, FALSE);
  const double cw = 1.0, sw = 1e3, tw = 0.5;
  NsGatysLosses plain, in, out;
  g_autoptr (NsImage) g_plain = NULL, g_in = NULL, g_out = NULL;
  g_assert_true (ns_gatys_objective (f->gatys, f->x, f->content, style, cw, sw, tw, &plain, &g_plain, &error));
  g_assert_true (ns_gatys_objective_masked (f->gatys, f->x, f->content, style, other, ones, cw, sw, tw, &in, &g_in,
                                            &error));
  g_assert_true (ns_gatys_objective_masked (f->gatys, f->x, f->content, other, style, zeros, cw, sw, tw, &out,
                                            &g_out, &error));
  g_assert_no_error (error);
  g_test_message ("unmasked: style %.9g total %.9g; ones: %.9g %.9g; zeros: %.9g %.9g", plain.style, plain.total,
                  in.style, in.total, out.style, out.total);
  const NsGatysLosses *masked[2] = { &in, &out };
  for (int i = 0; i < 2; i++)
    {
      g_assert_cmpfloat (fabs (masked[i]->style - plain.style), <, 1e-5 * plain.style);
      g_assert_cmpfloat (fabs (masked[i]->total - plain.total), <, 1e-5 * plain.total);
      g_assert_cmpfloat (masked[i]->content, ==, plain.content);
      g_assert_cmpfloat (masked[i]->tv, ==, plain.tv);
    }
  ns_test_assert_close (g_in->data, g_plain->data, 64 * 64 * 3, 1e-4, "gradient, mask of ones");
  ns_test_assert_close (g_out->data, g_plain->data, 64 * 64 * 3, 1e-4, "gradient, mask of zeros");

  /* A mask that does split the image gives another value. */
  g_autoptr (NsImage) half = make_mask (64, 64, 32, FALSE);
  NsGatysLosses split;
  g_assert_true (ns_gatys_objective_masked (f->gatys, f->x, f->content, style, other, half, cw, sw, tw, &split, NULL,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (split.style - plain.style), >, 1e-3 * plain.style);
}

static double
masked_total (Fixture *f, const NsImage *x, const NsGatysStyle *style, const NsGatysStyle *other,
              const NsImage *mask, NsImage **gradient)
{
  g_autoptr (GError) error = NULL;
  NsGatysLosses losses;
  g_assert_true (ns_gatys_objective_masked (f->gatys, x, f->content, style, other, mask, 1.0, 1e3, 0.0, &losses,
                                            gradient, &error));
  g_assert_no_error (error);
  return losses.total;
}

static void
test_masked_objective_gradient (gconstpointer data)
{
  /* The whole masked objective (soft mask, both regions in every layer)
   * against central differences along the gradient's own direction. */
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsGatysStyle) style = ns_test_gatys_style_new (f->gatys, f->style);
  g_autoptr (NsGatysStyle) other = ns_test_gatys_style_new (f->gatys, f->other);
  g_autoptr (NsImage) mask = make_mask (64, 64, 0, TRUE);
  g_autoptr (NsImage) grad = NULL;
  masked_total (f, f->x, style, other, mask, &grad);
  const gsize n = 64 * 64 * 3;
  double top = 0, dot = 0;
  for (gsize i = 0; i < n; i++)
    top = fmax (top, fabs (grad->data[i]));
  g_assert_cmpfloat (top, >, 0);
  g_autoptr (NsImage) plus = ns_image_copy (f->x), minus = ns_image_copy (f->x);
  const double h = 1e-3;   /* the largest pixel step */
  for (gsize i = 0; i < n; i++)
    {
      double d = grad->data[i] / top;
      plus->data[i] += (float) (h * d);
      minus->data[i] -= (float) (h * d);
      /* What the images hold after rounding. */
      dot += grad->data[i] * (double) (plus->data[i] - minus->data[i]) / (2 * h);
    }
  double fd = (masked_total (f, plus, style, other, mask, NULL) - masked_total (f, minus, style, other, mask, NULL))
            / (2 * h);
  g_test_message ("directional derivative %.6g, finite difference %.6g", dot, fd);
  g_assert_cmpfloat (fabs (fd - dot), <, 2e-2 * fabs (dot));
}

/* --- blends ----------------------------------------------------------------------- */

static void
test_blend_loss (gconstpointer data)
{
  /* A blend's loss and gradient are the weighted sums of the single styles'. */
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsGatysStyle) a = ns_test_gatys_style_new (f->gatys, f->style);
  g_autoptr (NsGatysStyle) b = ns_test_gatys_style_new (f->gatys, f->other);
  const NsGatysStyle *both[2] = { a, b };
  const double weights[2] = { 3.0, 7.0 };   /* normalised: 0.3, 0.7 */
  g_autoptr (NsGatysStyle) blend = ns_gatys_style_new_blend (f->gatys, both, weights, 2, &error);
  g_assert_no_error (error);
  NsGatysLosses la, lb, lblend;
  g_autoptr (NsImage) ga = NULL, gb = NULL, gblend = NULL;
  g_assert_true (ns_gatys_objective (f->gatys, f->x, f->content, a, 1.0, 1e3, 0, &la, &ga, &error));
  g_assert_true (ns_gatys_objective (f->gatys, f->x, f->content, b, 1.0, 1e3, 0, &lb, &gb, &error));
  g_assert_true (ns_gatys_objective (f->gatys, f->x, f->content, blend, 1.0, 1e3, 0, &lblend, &gblend, &error));
  g_assert_no_error (error);
  double want = 0.3 * la.style + 0.7 * lb.style;
  g_test_message ("style losses %.9g and %.9g; blend %.9g, weighted sum %.9g", la.style, lb.style, lblend.style,
                  want);
  g_assert_cmpfloat (fabs (lblend.style - want), <, 1e-5 * want);
  g_assert_cmpfloat (fabs (lblend.total - (0.3 * la.total + 0.7 * lb.total)), <, 1e-5 * lblend.total);
  const gsize n = 64 * 64 * 3;
  g_autofree float *gwant = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    gwant[i] = 0.3f * ga->data[i] + 0.7f * gb->data[i];
  ns_test_assert_close (gblend->data, gwant, n, 1e-4, "blend gradient");

  /* Weights that are all 0, or negative: clear errors. */
  const double zero[2] = { 0, 0 }, negative[2] = { 1, -1 };
  g_assert_null (ns_gatys_style_new_blend (f->gatys, both, zero, 2, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (ns_gatys_style_new_blend (f->gatys, both, negative, 2, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
}

typedef struct {
  int calls, previews;
  double last_total;
  const NsImage *content;   /* luminance mode: previews keep its chroma */
  double worst_chroma;
} Progress;

/* max |Cb - Cb'|, |Cr - Cr'| (BT.601 without offsets) over two RGB images. */
static double
chroma_difference (const NsImage *a, const NsImage *b)
{
  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  double worst = 0;
  for (gsize i = 0; i < (gsize) a->width * a->height; i++)
    {
      const float *p = a->data + 3 * i, *q = b->data + 3 * i;
      double yp = ns_colour_luma (p), yq = ns_colour_luma (q);
      worst = fmax (worst, fabs ((p[2] - yp) / 1.772 - (q[2] - yq) / 1.772));
      worst = fmax (worst, fabs ((p[0] - yp) / 1.402 - (q[0] - yq) / 1.402));
    }
  return worst;
}

static void
on_progress (int iteration, const NsGatysLosses *losses, const NsImage *preview, gpointer user_data)
{
  Progress *p = user_data;
  p->calls++;
  p->last_total = losses->total;
  if (preview == NULL)
    return;
  p->previews++;
  g_assert_cmpint (preview->channels, ==, 3);
  if (p->content != NULL)
    p->worst_chroma = fmax (p->worst_chroma, chroma_difference (preview, p->content));
}

static NsImage *
transfer (Fixture *f, const NsImage *content, const NsGatysTransferOptions *options, Progress *progress)
{
  g_autoptr (GError) error = NULL;
  NsImage *result = ns_gatys_transfer (f->gatys, content, options, progress != NULL ? on_progress : NULL, progress,
                                       NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->width, ==, content->width);
  g_assert_cmpint (result->height, ==, content->height);
  g_assert_cmpint (result->channels, ==, 3);
  return result;
}

static void
short_run (NsGatysTransferOptions *options, const NsWeightedStyle *styles, guint n)
{
  ns_gatys_transfer_options_init (options);
  options->optim.iterations = 2;
  options->optim.style_weight = 1e3;
  options->optim.init = NS_GATYS_INIT_NOISE;
  options->optim.seed = 7;
  options->style_size = 0;
  options->styles = styles;
  options->n_styles = n;
}

static void
test_blend_zero_weight (gconstpointer data)
{
  /* Weights (1, 0) and (2, 0) are the first style alone, bit for bit. */
  Fixture *f = (Fixture *) data;
  const NsWeightedStyle one[1] = { { f->style, 1.0 } };
  const NsWeightedStyle pair[2] = { { f->style, 1.0 }, { f->other, 0.0 } };
  const NsWeightedStyle scaled[2] = { { f->style, 2.0 }, { f->other, 0.0 } };
  const NsWeightedStyle mixed[2] = { { f->style, 1.0 }, { f->other, 1.0 } };
  NsGatysTransferOptions options;
  short_run (&options, one, 1);
  g_autoptr (NsImage) alone = transfer (f, f->content, &options, NULL);
  short_run (&options, pair, 2);
  g_autoptr (NsImage) with_zero = transfer (f, f->content, &options, NULL);
  short_run (&options, scaled, 2);
  g_autoptr (NsImage) with_two = transfer (f, f->content, &options, NULL);
  short_run (&options, mixed, 2);
  g_autoptr (NsImage) blended = transfer (f, f->content, &options, NULL);
  const gsize bytes = 64 * 64 * 3 * sizeof (float);
  g_assert_cmpmem (with_zero->data, bytes, alone->data, bytes);
  g_assert_cmpmem (with_two->data, bytes, alone->data, bytes);
  /* ... and a real blend is something else. */
  g_assert_cmpfloat (ns_test_relative_l2 (blended->data, alone->data, 64 * 64 * 3), >, 1e-6);
}

/* --- colour preservation ------------------------------------------------------------ */

static void
test_luminance (gconstpointer data)
{
  /* The result and every preview keep the content's chroma; the luma moves. */
  Fixture *f = (Fixture *) data;
  const NsWeightedStyle one[1] = { { f->style, 1.0 } };
  NsGatysTransferOptions options;
  short_run (&options, one, 1);
  options.colour = NS_COLOUR_LUMINANCE;
  options.optim.init = NS_GATYS_INIT_CONTENT;
  options.optim.iterations = 3;
  options.optim.preview_every = 1;
  Progress p = { .content = f->content };
  g_autoptr (NsImage) result = transfer (f, f->content, &options, &p);
  g_assert_cmpint (p.calls, ==, 3);
  g_assert_cmpint (p.previews, ==, 3);
  double chroma = chroma_difference (result, f->content);
  double luma = 0;
  for (gsize i = 0; i < 64 * 64; i++)
    luma = fmax (luma, fabs (ns_colour_luma (result->data + 3 * i) - ns_colour_luma (f->content->data + 3 * i)));
  g_test_message ("chroma off by at most %.3g (previews %.3g); luma moved by up to %.3g", chroma, p.worst_chroma,
                  luma);
  g_assert_cmpfloat (chroma, <, 1e-5);
  g_assert_cmpfloat (p.worst_chroma, <, 1e-5);
  g_assert_cmpfloat (luma, >, 1e-2);
}

static void
test_match (gconstpointer data)
{
  /* Colour matching is a run with the style recoloured to the content's
   * colours (resized first), and differs from a run without it. */
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  const NsWeightedStyle one[1] = { { f->other, 1.0 } };
  NsGatysTransferOptions options;
  short_run (&options, one, 1);
  options.style_size = 48;
  options.colour = NS_COLOUR_MATCH;
  g_autoptr (NsImage) matched = transfer (f, f->content, &options, NULL);
  options.colour = NS_COLOUR_NONE;
  g_autoptr (NsImage) plain = transfer (f, f->content, &options, NULL);

  g_autoptr (NsImage) resized = ns_image_resize_short_side (f->other, 48);
  g_autoptr (NsImage) recoloured = ns_colour_match (resized, f->content);
  g_autoptr (NsGatysStyle) style = ns_test_gatys_style_new (f->gatys, recoloured);
  g_autoptr (NsImage) by_hand = ns_gatys_run (f->gatys, f->content, style, &options.optim, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  const gsize n = 64 * 64 * 3;
  g_assert_cmpmem (matched->data, n * sizeof (float), by_hand->data, n * sizeof (float));
  g_assert_cmpfloat (ns_test_relative_l2 (matched->data, plain->data, n), >, 1e-4);
}

/* --- spatial control in a run ------------------------------------------------------- */

static double
mean_change (const NsImage *a, const NsImage *b, int x0, int x1)
{
  double s = 0;
  for (int y = 0; y < a->height; y++)
    for (int x = x0; x < x1; x++)
      for (int c = 0; c < 3; c++)
        s += fabs (ns_image_pixel (a, x, y)[c] - ns_image_pixel (b, x, y)[c]);
  return s / ((double) a->height * (x1 - x0) * 3);
}

static void
test_masked_run (gconstpointer data)
{
  /* From the content, the painting's style left of the middle and the
   * content's own style right of it: the left half changes more.  A mask of
   * ones runs as no mask does. */
  Fixture *f = (Fixture *) data;
  const NsWeightedStyle inside[1] = { { f->style, 1.0 } };
  const NsWeightedStyle outside[1] = { { f->content, 1.0 } };
  g_autoptr (NsImage) half = make_mask (64, 64, 32, FALSE);
  g_autoptr (NsImage) ones = make_mask (64, 64, 64, FALSE);
  NsGatysTransferOptions options;
  short_run (&options, inside, 1);
  options.optim.init = NS_GATYS_INIT_CONTENT;
  options.optim.style_weight = 1e5;
  options.optim.iterations = 4;
  options.mask = half;
  options.outside_styles = outside;
  options.n_outside_styles = 1;
  Progress p = { 0 };
  g_autoptr (NsImage) result = transfer (f, f->content, &options, &p);
  double left = mean_change (result, f->content, 0, 28), right = mean_change (result, f->content, 36, 64);
  g_test_message ("mean change: %.4g where the painting's style applies, %.4g where the content's", left, right);
  g_assert_cmpint (p.calls, ==, 4);
  g_assert_cmpfloat (left, >, 1.5 * right);

  options.mask = ones;
  g_autoptr (NsImage) masked = transfer (f, f->content, &options, NULL);
  options.mask = NULL;
  g_autoptr (NsImage) unmasked = transfer (f, f->content, &options, NULL);
  double d = ns_test_relative_l2 (masked->data, unmasked->data, 64 * 64 * 3);
  g_test_message ("mask of ones against no mask: relative L2 %.3g", d);
  g_assert_cmpfloat (d, <, 1e-3);
}

/* --- inputs and mistakes ------------------------------------------------------------- */

static void
test_inputs (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  const NsWeightedStyle one[1] = { { f->style, 1.0 } };
  NsGatysTransferOptions options;
  short_run (&options, one, 1);
  options.optim.iterations = 1;

  /* Grey and RGBA contents run and give RGB; a grey content with luminance
   * preservation stays grey. */
  g_autoptr (NsImage) grey = ns_image_new (40, 36, 1);
  g_autoptr (NsImage) rgba = ns_image_new (36, 40, 4);
  for (gsize i = 0; i < 40 * 36; i++)
    grey->data[i] = (float) (i % 40) / 40;
  for (gsize i = 0; i < 40 * 36 * 4; i++)
    rgba->data[i] = (float) (i % 7) / 7;
  g_autoptr (NsImage) from_rgba = transfer (f, rgba, &options, NULL);
  options.colour = NS_COLOUR_LUMINANCE;
  g_autoptr (NsImage) from_grey = transfer (f, grey, &options, NULL);
  for (gsize i = 0; i < 40 * 36; i++)
    {
      const float *p = from_grey->data + 3 * i;
      g_assert_cmpfloat (fabs (p[0] - p[1]) + fabs (p[1] - p[2]), <, 1e-4);
    }
  options.colour = NS_COLOUR_NONE;

  /* Mistakes: each a clear error, nothing run. */
  g_autoptr (NsImage) small = ns_image_new (31, 64, 3);
  g_assert_null (ns_gatys_transfer (f->gatys, small, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL);
  g_clear_error (&error);

  options.style_size = 20;
  g_assert_null (ns_gatys_transfer (f->gatys, f->content, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  options.style_size = 0;

  g_autoptr (NsImage) small_style = ns_image_new (64, 20, 3);
  const NsWeightedStyle tiny[1] = { { small_style, 1.0 } };
  options.styles = tiny;
  g_assert_null (ns_gatys_transfer (f->gatys, f->content, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_IMAGE_TOO_SMALL);
  g_clear_error (&error);

  const NsWeightedStyle zero[2] = { { f->style, 0.0 }, { f->other, 0.0 } };
  options.styles = zero;
  options.n_styles = 2;
  g_assert_null (ns_gatys_transfer (f->gatys, f->content, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  const NsWeightedStyle negative[1] = { { f->style, -1.0 } };
  options.styles = negative;
  options.n_styles = 1;
  g_assert_null (ns_gatys_transfer (f->gatys, f->content, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  options.styles = one;
  options.n_styles = 1;
  g_autoptr (NsImage) wrong = make_mask (48, 64, 10, FALSE);
  options.mask = wrong;
  options.outside_styles = one;
  options.n_outside_styles = 1;
  g_assert_null (ns_gatys_transfer (f->gatys, f->content, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_autoptr (NsImage) right = make_mask (64, 64, 10, FALSE);
  options.mask = right;
  options.n_outside_styles = 0;
  g_assert_null (ns_gatys_transfer (f->gatys, f->content, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };
  ns_test_device_open (&f.ctx, &f.ops, &f.grad);
  f.runtime = ns_test_runtime_new ();
  f.gatys = ns_gatys_new (f.runtime, &error);
  g_assert_no_error (error);
  f.rand = g_rand_new_with_seed (20170501);
  f.content = ns_test_load_shared_image ("goldens", "gatys_a_content.png");
  f.style = ns_test_load_shared_image ("goldens", "gatys_a_style.png");
  f.x = ns_test_load_shared_image ("goldens", "gatys_a_x.png");
  /* A second style of the same size: the first pair's painting, shrunk. */
  g_autoptr (NsImage) pair = ns_test_load_shared_image ("goldens", "pair01_style.png");
  f.other = ns_image_resize (pair, 64, 64);

  g_test_add_data_func ("/gatys-controls/masked-gram", &f, test_masked_gram);
  g_test_add_data_func ("/gatys-controls/mask-of-ones", &f, test_mask_of_ones);
  g_test_add_data_func ("/gatys-controls/masked-objective-gradient", &f, test_masked_objective_gradient);
  g_test_add_data_func ("/gatys-controls/blend-loss", &f, test_blend_loss);
  g_test_add_data_func ("/gatys-controls/blend-zero-weight", &f, test_blend_zero_weight);
  g_test_add_data_func ("/gatys-controls/luminance", &f, test_luminance);
  g_test_add_data_func ("/gatys-controls/match", &f, test_match);
  g_test_add_data_func ("/gatys-controls/masked-run", &f, test_masked_run);
  g_test_add_data_func ("/gatys-controls/inputs", &f, test_inputs);
  int status = g_test_run ();

  ns_image_free (f.content);
  ns_image_free (f.style);
  ns_image_free (f.x);
  ns_image_free (f.other);
  ns_gatys_free (f.gatys);
  ns_runtime_free (f.runtime);
  g_rand_free (f.rand);
  ns_test_device_close (f.ctx, f.ops, f.grad);
  return status;
}
