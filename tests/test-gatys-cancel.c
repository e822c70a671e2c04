/* Issue 18, item 5: a cancel stops a Gatys run within one layer's work, not
 * at the end of the iteration under way.  The run is cancelled from another
 * thread halfway through an iteration at a size where one takes seconds on a
 * processor; it must return well within that iteration's time, no iteration
 * must complete after the cancel, and the result is the best image of the
 * iterations done (the same as a run of that many). */
#include "ns-gatys.h"
#include "ns-test-util.h"
#include <string.h>

typedef struct {
  GCancellable *cancellable;
  int cancel_after;       /* cancel halfway through the iteration after this one */
  int calls;
  int calls_at_cancel;    /* iterations reported when the cancel came (-1: not yet) */
  gint64 last_call;       /* when the latest iteration was reported (monotonic µs) */
  gint64 iteration_us;    /* how long the iteration cancel_after took */
  gint64 cancelled_at;
  GMutex lock;
  GThread *canceller;
} Cancel;

static gpointer
cancel_later (gpointer data)
{
  Cancel *c = data;
  g_usleep (c->iteration_us / 2);
  g_mutex_lock (&c->lock);
  c->calls_at_cancel = c->calls;
  c->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (c->cancellable);
  g_mutex_unlock (&c->lock);
  return NULL;
}

static void
on_progress (int iteration, const NsGatysLosses *losses, const NsImage *preview, gpointer user_data)
{
  Cancel *c = user_data;
  gint64 now = g_get_monotonic_time ();
  g_mutex_lock (&c->lock);
  c->calls = iteration;
  if (iteration == c->cancel_after)
    {
      c->iteration_us = now - c->last_call;
      c->canceller = g_thread_new ("cancel", cancel_later, c);
    }
  c->last_call = now;
  g_mutex_unlock (&c->lock);
}

typedef struct {
  int width, height;
  int tile;   /* 0 untiled, else the tile side (the tiled evaluation's passes check too) */
} Case;

static void
test_cancel_mid_iteration (gconstpointer data)
{
  const Case *run = data;
  int tile = run->tile, width = run->width, height = run->height;
  g_autoptr (GError) error = NULL;
  g_autoptr (NsGatys) gatys = ns_gatys_new (-1, &error);
  g_assert_no_error (error);
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair00_content.png");
  g_autoptr (NsImage) painting = ns_test_load_shared_image ("goldens", "pair00_style.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, width, height);
  g_autoptr (NsImage) small_style = ns_image_resize (painting, 128, 128);
  g_autoptr (NsGatysStyle) style = ns_gatys_style_new (gatys, small_style, NULL, &error);
  g_assert_no_error (error);
  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = 50;
  options.scales = 1;
  options.tile_size = tile;

  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  Cancel c = { .cancellable = cancellable, .cancel_after = 2, .calls_at_cancel = -1,
               .last_call = g_get_monotonic_time () };
  g_mutex_init (&c.lock);
  g_autoptr (NsImage) stopped = ns_gatys_run (gatys, content, style, &options, on_progress, &c, cancellable, &error);
  gint64 returned = g_get_monotonic_time ();
  g_assert_no_error (error);
  g_assert_nonnull (c.canceller);
  g_thread_join (c.canceller);
  g_mutex_clear (&c.lock);
  double iteration_s = c.iteration_us / 1e6, latency_s = (returned - c.cancelled_at) / 1e6;
  g_test_message ("%d x %d, tile %d: one iteration %.2f s; cancelled %.2f s into the next, returned %.3f s later "
                  "(%.0f %% of an iteration); %d iterations reported at the cancel, %d in all",
                  width, height, tile, iteration_s, iteration_s / 2, latency_s, 100 * latency_s / iteration_s, c.calls_at_cancel,
                  c.calls);
  /* Before: the iteration under way finished first (half an iteration or more). */
  g_assert_cmpfloat (latency_s, <, iteration_s / 4);
  g_assert_cmpint (c.calls, ==, c.calls_at_cancel);

  /* The best image of the iterations done: a run of that many gives it. */
  options.iterations = c.calls;
  g_autoptr (NsImage) same = ns_gatys_run (gatys, content, style, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (stopped->data, (gsize) width * height * 3 * sizeof (float), same->data,
                   (gsize) width * height * 3 * sizeof (float));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Each iteration takes seconds on two cores; tiles carry 96 pixels of
   * halo each side: two tiles of 192 on 256 x 192 cost about two images. */
  static const Case untiled = { 384, 288, 0 }, tiled = { 256, 192, 192 };
  g_test_add_data_func ("/gatys-cancel/untiled", &untiled, test_cancel_mid_iteration);
  g_test_add_data_func ("/gatys-cancel/tiled", &tiled, test_cancel_mid_iteration);
  return g_test_run ();
}
