/* Issue 18, items 5 and 7: the plug-in's progress window under Xvfb, driven
 * by the plug-in's own worker (plugin-worker.c) as in GIMP.  A real click
 * (an X event through the server, handled between the worker's ticks) on
 * Stop or Cancel halfway through a Gatys iteration that takes seconds: within
 * half a second both buttons are insensitive and the label says "Stopping…"
 * or "Cancelling…", and the run returns within a layer's work, before the
 * iteration under way completes (Stop: the best image of the iterations done;
 * Cancel: nothing).  AdaIN's window has Cancel and no bar of its own (GIMP's
 * bar is the one progress indication), and the words of the bars. */
#include "ns-progress-text.h"
#include "ns-progress-window.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include "plugin-worker.h"
#include <gdk/gdk.h>
#include <string.h>

typedef struct {
  GtkWidget *window;
  GtkWidget *button;        /* the one to click */
  const char *expected;     /* what the label must then say */
  int last_iteration;
  gint64 last_iteration_at; /* when the tick first saw it (monotonic µs) */
  gint64 iteration_us;      /* how long the first full iteration took */
  gint64 clicked_at;        /* 0: not yet */
  int iteration_at_click;
  gint64 reacted_at;        /* when the window first showed the change (0: not yet) */
  int ticks;
} Drive;

/* Every GtkWidget of a type under `widget`. */
static void
collect (GtkWidget *widget, GType type, GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (widget));
      for (GList *l = children; l != NULL; l = l->next)
        collect (l->data, type, found);
    }
}

static GtkWidget *
button_labelled (GtkWidget *window, const char *mnemonic)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();
  collect (window, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (buttons->pdata[i]), mnemonic) == 0)
      return buttons->pdata[i];
  return NULL;
}

static GtkLabel *
first_label (GtkWidget *window)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  collect (window, GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, >, 0);
  return labels->pdata[0];   /* the window's own, above everything */
}

/* A press and release at the middle of `button`, sent through the X server
 * as a user's click arrives. */
static void
click (GtkWidget *button)
{
  GtkAllocation a;
  gtk_widget_get_allocation (button, &a);
  GdkWindow *window = gtk_widget_get_window (button);
  int x = a.x + a.width / 2, y = a.y + a.height / 2;
  g_assert_true (gdk_test_simulate_button (window, x, y, 1, 0, GDK_BUTTON_PRESS));
  g_assert_true (gdk_test_simulate_button (window, x, y, 1, 0, GDK_BUTTON_RELEASE));
}

static gboolean
reacted (Drive *d)
{
  GtkWidget *stop = button_labelled (d->window, "_Stop"), *cancel = button_labelled (d->window, "_Cancel");
  return !gtk_widget_get_sensitive (stop) && !gtk_widget_get_sensitive (cancel)
         && strcmp (gtk_label_get_text (first_label (d->window)), d->expected) == 0;
}

/* As plugin-run.c's tick, minus GIMP's bar, plus the test's hand. */
static void
on_tick (gpointer data, const NsTick *t)
{
  Drive *d = data;
  gint64 now = g_get_monotonic_time ();
  d->ticks++;
  if (t->preview != NULL)
    ns_progress_window_set_preview (d->window, t->preview);
  g_autofree char *count = ns_progress_text_iteration (t->iteration, t->iterations, t->scale, t->scales);
  ns_progress_window_set_fraction (d->window, t->fraction, count);
  if (t->iteration != d->last_iteration)
    {
      if (t->iteration == 2)
        d->iteration_us = now - d->last_iteration_at;
      d->last_iteration = t->iteration;
      d->last_iteration_at = now;
    }
  /* Halfway through the third iteration: click. */
  if (d->clicked_at == 0 && d->iteration_us > 0 && now - d->last_iteration_at >= d->iteration_us / 2)
    {
      click (d->button);
      d->clicked_at = g_get_monotonic_time ();
      d->iteration_at_click = t->iteration;
    }
  else if (d->clicked_at != 0 && d->reacted_at == 0 && reacted (d))
    d->reacted_at = now;
}

/* The pair's photo at 384 x 288 with an opaque alpha channel, as a layer. */
static NsImage *
content_384x288 (void)
{
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair00_content.png");
  g_autoptr (NsImage) rgb = ns_image_resize (photo, 384, 288);
  NsImage *content = ns_image_new (384, 288, 4);
  for (gsize i = 0; i < (gsize) 384 * 288; i++)
    {
      memcpy (content->data + 4 * i, rgb->data + 3 * i, 3 * sizeof (float));
      content->data[4 * i + 3] = 1.0f;
    }
  return content;
}

/* Gatys with 50 iterations: seconds each on a processor at 384 x 288. */
static void
init_gatys_settings (NsSettings *settings)
{
  ns_settings_init_defaults (settings);
  settings->method = NS_METHOD_GATYS;
  settings->iterations = 50;
  settings->style_size = 128;
}

/* The warm-up's hand: Stop once the second iteration is under way. */
static void
stop_in_second (gpointer data, const NsTick *t)
{
  if (t->iteration >= 1)
    g_cancellable_cancel (data);
}

/* Everything a stopped run launches, launched once before anything is timed: a
 * driver that compiles each kernel on its first launch (PoCL, with a cold
 * cache) would otherwise put seconds of compiling between a click and the
 * return, which is first use, not the reaction under test. */
static void
warm_up (void)
{
  g_autoptr (NsImage) content = content_384x288 ();
  g_autoptr (NsImage) style = ns_test_load_shared_image ("goldens", "pair00_style.png");
  NsSettings settings;
  init_gatys_settings (&settings);
  NsPluginInput input = { content, style, NULL, NULL, TRUE };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  int stopped_at = -1;
  g_autoptr (NsImage) result = ns_plugin_stylise (ns_test_process_runtime (), &input, &settings, cancellable, stop,
                                                  &stopped_at, stop_in_second, stop, &error);
  g_assert_no_error (error);
}

static void
run_and_click (gboolean stop_it)
{
  g_autoptr (NsImage) content = content_384x288 ();
  g_autoptr (NsImage) style = ns_test_load_shared_image ("goldens", "pair00_style.png");
  NsSettings settings;
  init_gatys_settings (&settings);
  NsPluginInput input = { content, style, NULL, NULL, TRUE };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  Drive d = { 0 };
  d.window = ns_progress_window_new_with_stop ("Restyling the layer (Gatys)…", cancellable, stop, NULL, NULL);
  d.button = button_labelled (d.window, stop_it ? "_Stop" : "_Cancel");
  d.expected = stop_it ? "Stopping…" : "Cancelling…";
  d.last_iteration_at = g_get_monotonic_time ();
  g_assert_nonnull (d.button);
  g_autoptr (GError) error = NULL;
  int stopped_at = -1;
  g_autoptr (NsImage) result = ns_plugin_stylise (ns_test_process_runtime (), &input, &settings, cancellable, stop,
                                                  &stopped_at, on_tick, &d, &error);
  gint64 returned = g_get_monotonic_time ();
  g_assert_cmpint (d.clicked_at, >, 0);
  /* The state the window was left in, handled to the end (a fast machine
   * may return before a tick saw it). */
  while (gtk_events_pending ())
    gtk_main_iteration ();
  if (d.reacted_at == 0 && reacted (&d))
    d.reacted_at = returned;
  double ui_s = (d.reacted_at - d.clicked_at) / 1e6, back_s = (returned - d.clicked_at) / 1e6;
  double iteration_s = d.iteration_us / 1e6;
  g_test_message ("%s: one iteration %.2f s; the window showed \"%s\" %.3f s after the click, the run returned "
                  "%.2f s after it; %d ticks", stop_it ? "Stop" : "Cancel", iteration_s, d.expected, ui_s, back_s,
                  d.ticks);
  g_assert_cmpint (d.reacted_at, >, 0);
  g_assert_cmpfloat (ui_s, <, 0.5);
  /* Within a layer's work (plus a tick to hear the click), not at the end of the iteration. */
  g_assert_cmpfloat (back_s, <, iteration_s / 2);
  if (stop_it)
    {
      g_assert_no_error (error);
      g_assert_nonnull (result);
      g_assert_cmpint (stopped_at, ==, d.iteration_at_click);
    }
  else
    {
      g_assert_null (result);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    }
  gtk_widget_destroy (d.window);
}

static void
test_stop (void)
{
  warm_up ();
  run_and_click (TRUE);
}

static void
test_cancel (void)
{
  run_and_click (FALSE);
}

/* AdaIN: Cancel only; GIMP's bar is the progress, so no bar here. */
static void
test_adain_window (void)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  GtkWidget *window = ns_progress_window_new ("Restyling the layer…", cancellable, NULL, NULL);
  g_autoptr (GPtrArray) bars = g_ptr_array_new ();
  collect (window, GTK_TYPE_PROGRESS_BAR, bars);
  g_assert_cmpuint (bars->len, ==, 0);
  g_assert_null (button_labelled (window, "_Stop"));
  GtkWidget *cancel = button_labelled (window, "_Cancel");
  g_assert_nonnull (cancel);
  ns_progress_window_set_fraction (window, -1, NULL);   /* handles events, nothing else */
  ns_progress_window_set_fraction (window, 0.5, NULL);
  gtk_button_clicked (GTK_BUTTON (cancel));
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_assert_false (gtk_widget_get_sensitive (cancel));
  g_assert_cmpstr (gtk_label_get_text (first_label (window)), ==, "Cancelling…");
  gtk_widget_destroy (window);

  /* The Gatys window has its bar; closing it is a Cancel, which Stop then leaves alone. */
  g_autoptr (GCancellable) cancel2 = g_cancellable_new ();
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  window = ns_progress_window_new_with_stop ("Restyling the layer (Gatys)…", cancel2, stop, NULL, NULL);
  g_autoptr (GPtrArray) gatys_bars = g_ptr_array_new ();
  collect (window, GTK_TYPE_PROGRESS_BAR, gatys_bars);
  g_assert_cmpuint (gatys_bars->len, ==, 1);
  GdkEvent *delete = gdk_event_new (GDK_DELETE);
  delete->any.window = g_object_ref (gtk_widget_get_window (window));
  gtk_main_do_event (delete);
  gdk_event_free (delete);
  g_assert_true (g_cancellable_is_cancelled (cancel2));
  g_assert_cmpstr (gtk_label_get_text (first_label (window)), ==, "Cancelling…");
  gtk_button_clicked (GTK_BUTTON (button_labelled (window, "_Stop")));
  g_assert_false (g_cancellable_is_cancelled (stop));
  gtk_widget_destroy (window);
}

/* The words: the count with its scale, and AdaIN's two ways. */
static void
test_texts (void)
{
  g_autofree char *one = ns_progress_text_iteration (12, 300, 1, 1);
  g_assert_cmpstr (one, ==, "Iteration 12 of 300");
  g_autofree char *two = ns_progress_text_iteration (212, 300, 2, 2);
  g_assert_cmpstr (two, ==, "Iteration 212 of 300 (scale 2 of 2)");
  g_assert_cmpstr (ns_progress_text_adain (-1), ==, "Restyling the layer in one pass (AdaIN)…");
  g_assert_cmpstr (ns_progress_text_adain (0.25), ==, "Restyling the layer in tiles (AdaIN)…");
}

int
main (int argc, char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/progress-window/texts", test_texts);
  g_test_add_func ("/progress-window/adain-and-close", test_adain_window);
  g_test_add_func ("/progress-window/gatys-stop", test_stop);
  g_test_add_func ("/progress-window/gatys-cancel", test_cancel);
  return g_test_run ();
}
