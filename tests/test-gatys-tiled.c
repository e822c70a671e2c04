/* The Gatys objective in tiles (ns-gatys-tiled.c) against the untiled one on
 * images that fit both ways: value and gradient, with and without a mask,
 * with tiles far smaller than the image; the optimiser's host vectors against
 * the device's; runs in tiles (asked for, and forced by a small memory
 * budget, whose peak must stay under it); a budget too small for any tile. */
#include "ns-cl-error.h"
#include "ns-gatys-private.h"
#include "ns-gatys-tiled.h"
#include "ns-optim.h"
#include "ns-test-tensor.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include <math.h>

typedef struct {
  GRand *rand;
  NsRuntime *runtime;
  NsGatys *gatys;
  NsImage *content, *style, *other, *x;   /* content and x: WIDTH x HEIGHT */
} Fixture;

/* Larger than two halos so that some tiles have a real own area inside. */
#define WIDTH 256
#define HEIGHT 176

/* --- the optimiser's vectors on the host ------------------------------------- */

static NsClBuffer *
buffer_with (NsClContext *ctx, gboolean host, const float *values, gsize n)
{
  g_autoptr (GError) error = NULL;
  NsClBuffer *b = host ? ns_cl_buffer_new_host (ctx, n * sizeof (float), &error)
                       : ns_cl_buffer_new (ctx, n * sizeof (float), &error);
  g_assert_no_error (error);
  g_assert_true (ns_cl_buffer_write (b, 0, values, n * sizeof (float), &error));
  return b;
}

static float *
read_all (const NsClBuffer *b, gsize n)
{
  g_autoptr (GError) error = NULL;
  float *out = g_new (float, n);
  g_assert_true (ns_cl_buffer_read (b, 0, out, n * sizeof (float), &error));
  g_assert_no_error (error);
  return out;
}

static void
test_host_vectors (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  NsVecOps *vec = ns_gatys_get_vec_ops (f->gatys);
  NsClContext *ctx = ns_vec_ops_get_context (vec);
  g_autoptr (GError) error = NULL;
  const gsize n = 10007;   /* not a multiple of any block */
  g_autofree float *a = g_new (float, n), *b = g_new (float, n), *c = g_new (float, n);
  ns_test_fill_random (f->rand, a, n, -1, 1);
  ns_test_fill_random (f->rand, b, n, -1, 1);
  ns_test_fill_random (f->rand, c, n, 0, 1);
  NsClBuffer *bufs[2][4];
  for (int host = 0; host < 2; host++)
    {
      bufs[host][0] = buffer_with (ctx, host, a, n);
      bufs[host][1] = buffer_with (ctx, host, b, n);
      bufs[host][2] = buffer_with (ctx, host, c, n);   /* Adam's m */
      bufs[host][3] = buffer_with (ctx, host, c, n);   /* Adam's v */
    }
  double dots[2];
  for (int host = 0; host < 2; host++)
    {
      NsClBuffer **v = bufs[host];
      g_assert_true (ns_vec_dot (vec, v[0], v[1], n, &dots[host], &error));
      g_assert_true (ns_vec_axpby (vec, v[0], 0.75, v[1], -1.5, n, &error));
      g_assert_true (ns_vec_step (vec, v[1], v[0], 0.3, v[2], n, &error));
      g_assert_true (ns_vec_adam (vec, v[0], v[1], v[2], v[3], 0.01, 0.9, 0.999, 1e-8, 3, n, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpfloat (fabs (dots[1] - dots[0]), <=, 1e-5 * fabs (dots[0]) + 1e-4);
  for (int i = 0; i < 4; i++)
    {
      g_autofree float *device = read_all (bufs[0][i], n), *host = read_all (bufs[1][i], n);
      ns_test_assert_close (host, device, n, 1e-6, "host vector against the device's");
    }
  /* Copies and zeroes stay on the host. */
  g_assert_true (ns_vec_copy (vec, bufs[1][0], bufs[1][1], n, &error));
  g_autofree float *copied = read_all (bufs[1][1], n), *source = read_all (bufs[1][0], n);
  g_assert_cmpmem (copied, n * sizeof (float), source, n * sizeof (float));
  g_assert_true (ns_vec_zero (vec, bufs[1][1], n, &error));
  g_autofree float *zeroed = read_all (bufs[1][1], n);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (zeroed[i], ==, 0.0f);
  for (int host = 0; host < 2; host++)
    for (int i = 0; i < 4; i++)
      ns_cl_buffer_free (bufs[host][i]);
}

/* --- the objective ------------------------------------------------------------- */

static void
assert_close_scalar (double got, double want, double bound, const char *what)
{
  double e = fabs (got - want) / fmax (fabs (want), 1e-30);
  g_test_message ("%s: %.9g tiled, %.9g untiled, relative error %.2g", what, got, want, e);
  g_assert_cmpfloat (e, <, bound);
}

/* Tiled against untiled at x, with tiles of `tile` pixels. */
static void
check_objective (Fixture *f, const NsGatysStyle *inside, const NsGatysStyle *outside, const NsImage *mask, int tile)
{
  g_autoptr (GError) error = NULL;
  const double cw = 1.0, sw = 1e3, tvw = 0.5;
  NsGatysLosses want, got;
  g_autoptr (NsImage) want_grad = NULL;
  g_assert_true (ns_gatys_objective_masked (f->gatys, f->x, f->content, inside, outside, mask, cw, sw, tvw, &want,
                                            &want_grad, &error));
  g_assert_no_error (error);

  NsGatysTarget in, out;
  ns_gatys_style_get_target (inside, &in);
  if (outside != NULL)
    ns_gatys_style_get_target (outside, &out);
  g_autoptr (NsGatysTiled) tiled = ns_gatys_tiled_new (ns_gatys_get_objective (f->gatys),
                                                       ns_gatys_get_vec_ops (f->gatys), f->content, &in,
                                                       outside != NULL ? &out : NULL, mask, tile, &error);
  g_assert_no_error (error);
  g_test_message ("%u tiles of %d pixels over %d x %d", ns_gatys_tiled_n_tiles (tiled), tile, WIDTH, HEIGHT);
  g_assert_cmpuint (ns_gatys_tiled_n_tiles (tiled), >=, 4);
  gsize n = (gsize) 3 * WIDTH * HEIGHT;
  g_autofree float *x = ns_image_to_chw (f->x), *grad = g_new (float, n);
  g_assert_true (ns_gatys_tiled_evaluate (tiled, x, grad, cw, sw, tvw, &got, &error));
  g_assert_no_error (error);

  g_assert_cmpfloat (want.content, >, 0);
  g_assert_cmpfloat (want.style, >, 0);
  assert_close_scalar (got.content, want.content, 1e-4, "content loss");
  assert_close_scalar (got.style, want.style, 1e-4, "style loss");
  assert_close_scalar (got.tv, want.tv, 1e-5, "total variation");
  assert_close_scalar (got.total, want.total, 1e-4, "objective");
  g_autofree float *want_chw = ns_image_to_chw (want_grad);
  ns_test_assert_close (grad, want_chw, n, 1e-4, "gradient, tiled against untiled");
}

static void
test_objective (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsGatysStyle) style = ns_test_gatys_style_new (f->gatys, f->style);
  check_objective (f, style, NULL, NULL, 128);
}

static void
test_objective_masked (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (NsGatysStyle) style = ns_test_gatys_style_new (f->gatys, f->style);
  g_autoptr (NsGatysStyle) other = ns_test_gatys_style_new (f->gatys, f->other);
  /* A soft mask: values strictly inside (0, 1), different in every tile. */
  g_autoptr (NsImage) mask = ns_image_new (WIDTH, HEIGHT, 1);
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      ns_image_pixel (mask, x, y)[0] = 0.5f + 0.45f * sinf (0.03f * x + 0.05f * y);
  check_objective (f, style, other, mask, 96);
}

/* --- runs ---------------------------------------------------------------------- */

typedef struct {
  int calls;
  double last_total;
} Progress;

static void
on_progress (int iteration, const NsGatysLosses *losses, const NsImage *preview, gpointer user_data)
{
  Progress *p = user_data;
  p->calls++;
  p->last_total = losses->total;
}

static NsImage *
run (NsGatys *gatys, const NsImage *content, const NsGatysStyle *style, const NsGatysOptions *options,
     Progress *p, GError **error)
{
  return ns_gatys_run (gatys, content, style, options, on_progress, p, NULL, error);
}

static void
test_run_in_tiles (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsGatysStyle) style = ns_test_gatys_style_new (f->gatys, f->style);
  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = 3;
  options.scales = 1;
  Progress untiled_p = { 0 }, tiled_p = { 0 };
  g_autoptr (NsImage) untiled = run (f->gatys, f->content, style, &options, &untiled_p, &error);
  g_assert_no_error (error);
  options.tile_size = 128;
  g_autoptr (NsImage) tiled = run (f->gatys, f->content, style, &options, &tiled_p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tiled_p.calls, ==, 3);
  assert_close_scalar (tiled_p.last_total, untiled_p.last_total, 1e-3, "objective after 3 iterations");
  g_autoptr (NsImage) start = ns_image_to_rgb (f->content);
  g_assert_cmpfloat (ns_test_relative_l2 (tiled->data, start->data, (gsize) 3 * WIDTH * HEIGHT), >, 1e-3);
  ns_test_assert_close (tiled->data, untiled->data, (gsize) 3 * WIDTH * HEIGHT, 2e-3, "3 iterations, tiled");
}

/* A fresh NsGatys (its own peak) under a budget an untiled run exceeds: one
 * evaluation (no iterations: PoCL is slow) of an image larger than a tile
 * and its halos; then a device with less memory than the budget (out of
 * memory, the retry in tiles); then a budget below any tile. */
static void
test_memory_budget (gconstpointer data)
{
  Fixture *f = (Fixture *) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsGatys) gatys = ns_gatys_new (f->runtime, &error);
  g_assert_no_error (error);
  g_autoptr (NsGatysStyle) style = ns_test_gatys_style_new (gatys, f->style);
  NsGatysObjective *obj = ns_gatys_get_objective (gatys);
  NsClContext *ctx = ns_vec_ops_get_context (ns_gatys_get_vec_ops (gatys));
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  g_autoptr (NsImage) photo_rgb = ns_image_to_rgb (photo);
  g_autoptr (NsImage) content = ns_image_resize (photo_rgb, 384, 320);
  gsize held = ctx->mem_current;
  /* Room for tiles of 128 pixels and their halos, not for the whole image. */
  const int extent = 128 + 2 * NS_GATYS_TILE_HALO;
  gsize budget = held + (8 << 20) + ns_gatys_evaluation_memory_estimate (obj, extent, extent);
  gsize untiled = ns_gatys_evaluation_memory_estimate (obj, content->width, content->height);
  g_test_message ("held %.1f MiB, budget %.1f MiB, an untiled evaluation about %.1f MiB", held / 1048576.0,
                  budget / 1048576.0, untiled / 1048576.0);
  g_assert_cmpuint (held + untiled, >, budget);

  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = 0;
  options.scales = 1;
  options.memory_budget = budget;
  ns_cl_context_reset_peak (ctx);
  Progress p = { 0 };
  g_autoptr (NsImage) result = run (gatys, content, style, &options, &p, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->width, ==, content->width);
  gsize peak = ns_runtime_get_peak_memory (ns_gatys_get_runtime (gatys));
  g_test_message ("peak device memory %.1f MiB under a budget of %.1f MiB", peak / 1048576.0, budget / 1048576.0);
  g_assert_cmpuint (peak, <=, budget);

  /* The estimate bounds what an untiled evaluation really holds. */
  ns_cl_context_reset_peak (ctx);
  gsize before = ctx->mem_current;
  NsGatysLosses losses;
  g_autoptr (NsImage) grad = NULL;
  g_assert_true (ns_gatys_objective (gatys, f->x, f->content, style, 1, 1e3, 0, &losses, &grad, &error));
  g_assert_no_error (error);
  gsize held_by_call = ns_runtime_get_peak_memory (ns_gatys_get_runtime (gatys)) - before;
  gsize estimate = ns_gatys_evaluation_memory_estimate (obj, WIDTH, HEIGHT);
  g_test_message ("an untiled evaluation at %d x %d held %.1f MiB, estimated %.1f MiB", WIDTH, HEIGHT,
                  held_by_call / 1048576.0, estimate / 1048576.0);
  g_assert_cmpuint (held_by_call, <=, estimate);

  /* The device has less memory than the budget says (its own count): the
   * untiled run fails to allocate and the scale runs again in tiles. */
  const cl_ulong real_memory = ctx->info->global_mem;
  ctx->info->global_mem = ctx->mem_current + (24 << 20) + ns_gatys_evaluation_memory_estimate (obj, extent, extent);
  options.memory_budget = (gsize) 64 << 30;
  ns_cl_context_reset_peak (ctx);
  g_autoptr (NsImage) retried = run (gatys, content, style, &options, &p, &error);
  g_assert_no_error (error);
  g_test_message ("out of memory untiled, then in tiles: peak %.1f MiB of the device's %.1f MiB",
                  ns_runtime_get_peak_memory (ns_gatys_get_runtime (gatys)) / 1048576.0, ctx->info->global_mem / 1048576.0);
  g_assert_cmpuint (ns_runtime_get_peak_memory (ns_gatys_get_runtime (gatys)), <=, ctx->info->global_mem);
  ns_test_assert_close (retried->data, result->data, (gsize) 3 * content->width * content->height, 1e-6,
                        "after the retry");
  ctx->info->global_mem = real_memory;

  /* Not even one tile fits: a clear error, no result. */
  options.memory_budget = ctx->mem_current + (1 << 20);
  g_autoptr (NsImage) none = run (gatys, content, style, &options, &p, &error);
  g_assert_null (none);
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY);
  g_test_message ("%s", error->message);
}

/* The estimate counts the scratch buffer once: what it holds is memory in
 * use, so growing it moves memory from the estimate to what is held, and
 * their sum (what decides tiling) stays the same, warm or cold. */
static void
test_estimate_counts_scratch_once (gconstpointer data)
{
  (void) data;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();   /* its own: the test changes its scratch budget */
  g_autoptr (NsGatys) gatys = ns_gatys_new (runtime, &error);
  g_assert_no_error (error);
  NsGatysObjective *obj = ns_gatys_get_objective (gatys);
  NsOps *ops = ns_gatys_objective_get_ops (obj);
  NsClContext *ctx = ns_ops_get_context (ops);
  if (ns_ops_resolved_backward_conv_algorithm (ops) == NS_CONV_DIRECT)
    {
      g_test_skip ("the backward pass runs the direct kernel here, which needs no strips");
      return;
    }
  gsize budget = ns_ops_get_scratch_budget (ops);
  gsize held = ctx->mem_current, cold = held + ns_gatys_evaluation_memory_estimate (obj, WIDTH, HEIGHT);
  g_assert_nonnull (ns_ops_get_scratch (ops, budget, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ctx->mem_current, >, held);   /* it did grow */
  gsize warm = ctx->mem_current + ns_gatys_evaluation_memory_estimate (obj, WIDTH, HEIGHT);
  g_test_message ("held + estimate: %.1f MiB cold, %.1f MiB with the scratch buffer grown to its %.1f MiB",
                  cold / 1048576.0, warm / 1048576.0, budget / 1048576.0);
  g_assert_cmpuint (warm, ==, cold);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };
  f.runtime = ns_test_runtime_new ();
  f.gatys = ns_gatys_new (f.runtime, &error);
  g_assert_no_error (error);
  f.rand = g_rand_new_with_seed (20161127);
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("samples", "tubingen.jpg");
  g_autoptr (NsImage) painting = ns_test_load_shared_image ("styles", "starry-night.jpg");
  g_autoptr (NsImage) wave = ns_test_load_shared_image ("styles", "great-wave.jpg");
  g_autoptr (NsImage) photo_rgb = ns_image_to_rgb (photo);
  f.content = ns_image_resize (photo_rgb, WIDTH, HEIGHT);
  f.style = ns_image_resize (painting, 96, 76);
  f.other = ns_image_resize (wave, 96, 64);
  /* The point to evaluate at: the content with noise, not a minimum of anything. */
  f.x = ns_image_copy (f.content);
  for (gsize i = 0; i < (gsize) 3 * WIDTH * HEIGHT; i++)
    f.x->data[i] += (float) g_rand_double_range (f.rand, -0.2, 0.2);

  g_test_add_data_func ("/gatys-tiled/host-vectors", &f, test_host_vectors);
  g_test_add_data_func ("/gatys-tiled/objective", &f, test_objective);
  g_test_add_data_func ("/gatys-tiled/objective-masked", &f, test_objective_masked);
  g_test_add_data_func ("/gatys-tiled/run", &f, test_run_in_tiles);
  g_test_add_data_func ("/gatys-tiled/memory-budget", &f, test_memory_budget);
  g_test_add_data_func ("/gatys-tiled/estimate-counts-scratch-once", &f, test_estimate_counts_scratch_once);
  int status = g_test_run ();
  ns_image_free (f.content);
  ns_image_free (f.style);
  ns_image_free (f.other);
  ns_image_free (f.x);
  ns_gatys_free (f.gatys);
  ns_runtime_free (f.runtime);
  g_rand_free (f.rand);
  return status;
}
