/* The decoder's training gradient against the loss it claims to descend:
 * for a layer's weights w and the gradient g the trainer computes, the
 * central difference (L (w + h u) - L (w - h u)) / 2h along u = g / |g|
 * must be |g|, and along a random direction for the bias <g_b, u>, with L
 * the trainer's own evaluated loss.  Each term in turn (content alone,
 * with the style term, with the reconstruction and total-variation terms),
 * at the last layer, a middle one and the first (the gradient back through
 * every upsampling and the VGG-19 backward pass). */
#include "ns-decoder-train.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include "ns-weights-path.h"
#include <math.h>
#include <string.h>

static double
loss_at (NsDecoderTrainer *tr, NsImage *content, NsImage *style)
{
  g_autoptr (GError) error = NULL;
  NsDecoderLosses l;
  g_assert_true (ns_decoder_trainer_evaluate (tr, content, style, &l, NULL, &error));
  g_assert_no_error (error);
  return l.total;
}

/* (L (p + h u) - L (p - h u)) / 2h for p the layer's weights (bias FALSE) or bias. */
static double
central_difference (NsDecoderTrainer *tr, NsImage *content, NsImage *style, const char *layer, gboolean bias,
                    const float *u, gsize n, double h)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *w = NULL, *b = NULL;
  g_assert_true (ns_decoder_trainer_get_layer (tr, layer, &w, &b, &error));
  float *p = bias ? b : w;
  g_autofree float *saved = g_memdup2 (p, n * sizeof (float));
  double side[2];
  for (int k = 0; k < 2; k++)
    {
      for (gsize i = 0; i < n; i++)
        p[i] = saved[i] + (float) ((k == 0 ? h : -h) * u[i]);
      g_assert_true (ns_decoder_trainer_set_layer (tr, layer, w, b, &error));
      side[k] = loss_at (tr, content, style);
    }
  memcpy (p, saved, n * sizeof (float));
  g_assert_true (ns_decoder_trainer_set_layer (tr, layer, w, b, &error));
  g_assert_no_error (error);
  return (side[0] - side[1]) / (2 * h);
}

/* Along u = g / |g| for the weights (bias FALSE) or the bias. */
static void
check_direction (NsDecoderTrainer *tr, NsImage *content, NsImage *style, const char *layer, gboolean bias,
                 const float *g, gsize n, const char *terms)
{
  double norm = 0;
  for (gsize i = 0; i < n; i++)
    norm += (double) g[i] * g[i];
  norm = sqrt (norm);
  g_assert_cmpfloat (norm, >, 0);
  g_autofree float *u = g_new (float, n);
  for (gsize i = 0; i < n; i++)
    u[i] = (float) (g[i] / norm);
  /* A step that moves the loss by about 1e-3 of itself: far above float32's rounding, close enough to be linear. */
  double L = loss_at (tr, content, style), h = 1e-3 * L / norm;
  double fd = central_difference (tr, content, style, layer, bias, u, n, h);
  g_test_message ("%s, %s %s: central difference %.6g, |g| %.6g (loss %.6g)", terms, layer, bias ? "bias" : "weights",
                  fd, norm, L);
  g_assert_cmpfloat (fabs (fd / norm - 1), <, 0.03);
}

static void
check_layer (NsDecoderTrainer *tr, NsImage *content, NsImage *style, const char *layer, gsize n_weights,
             gsize n_bias, const char *terms)
{
  g_autoptr (GError) error = NULL;
  g_autofree float *gw = NULL, *gb = NULL;
  g_assert_true (ns_decoder_trainer_gradient (tr, &content, &style, 1, layer, &gw, &gb, &error));
  g_assert_no_error (error);
  check_direction (tr, content, style, layer, FALSE, gw, n_weights, terms);
  check_direction (tr, content, style, layer, TRUE, gb, n_bias, terms);
}

static void
test_gradients (void)
{
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair02_content.png");
  g_autoptr (NsImage) painting = ns_test_load_shared_image ("goldens", "pair02_style.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, 40, 32);
  g_autoptr (NsImage) style = ns_image_resize (painting, 40, 32);
  g_autofree char *vgg = ns_test_shared_path ("weights", NS_WEIGHTS_VGG_FILE, NULL);
  g_autofree char *decoder = ns_test_shared_path ("weights", NS_WEIGHTS_DECODER_FILE, NULL);
  const struct { const char *terms; double style, reconstruction, tv; } cases[] = {
    { "content", 0, 0, 0 },
    { "content + style", 10, 0, 0 },
    { "content + reconstruction + total variation", 0, 1e7, 1e7 },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      NsDecoderTrainParams params;
      ns_decoder_train_params_init (&params);
      params.style_weight = cases[i].style;
      params.reconstruction_weight = cases[i].reconstruction;
      params.tv_weight = cases[i].tv;
      g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();
      g_autoptr (NsDecoderTrainer) tr = ns_decoder_trainer_new (runtime, decoder, &params, &error);
      g_assert_no_error (error);
      /* The layers' sizes, from ../shared/weights/README.md. */
      check_layer (tr, content, style, "dec1_1", 3 * 64 * 9, 3, cases[i].terms);
      check_layer (tr, content, style, "dec2_1", 64 * 128 * 9, 64, cases[i].terms);
      check_layer (tr, content, style, "dec4_1", 256 * 512 * 9, 256, cases[i].terms);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/decoder-train/gradients", test_gradients);
  return g_test_run ();
}
