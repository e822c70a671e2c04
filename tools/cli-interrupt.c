/* The signals are caught by GLib (g_unix_signal_source_new), dispatched on a
 * thread of our own: the main thread is busy running the engine. */
#include "cli-interrupt.h"
#include "ns-i18n.h"
#include <glib-unix.h>
#include <signal.h>

struct _NsCliInterrupt {
  GCancellable *cancellable;
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  GSource *sources[2];   /* NULL once a signal came (touched by the watching thread only until it ends) */
};

static void
forget_sources (NsCliInterrupt *interrupt)
{
  for (int i = 0; i < 2; i++)
    if (interrupt->sources[i] != NULL)
      {
        g_source_destroy (interrupt->sources[i]);
        g_clear_pointer (&interrupt->sources[i], g_source_unref);
      }
}

static gboolean
on_signal (gpointer data)
{
  NsCliInterrupt *interrupt = data;
  if (!g_cancellable_is_cancelled (interrupt->cancellable))
    {
      g_printerr ("neural-style: %s\n", _("Interrupted: stopping (press Ctrl+C again to quit at once)."));
      g_cancellable_cancel (interrupt->cancellable);
    }
  /* Once no source holds it, GLib gives the signal its default action back. */
  forget_sources (interrupt);
  return G_SOURCE_REMOVE;
}

static gpointer
watch (gpointer data)
{
  NsCliInterrupt *interrupt = data;
  g_main_context_push_thread_default (interrupt->context);
  g_main_loop_run (interrupt->loop);
  g_main_context_pop_thread_default (interrupt->context);
  return NULL;
}

NsCliInterrupt *
ns_cli_interrupt_new (GCancellable *cancellable)
{
  NsCliInterrupt *interrupt = g_new0 (NsCliInterrupt, 1);
  interrupt->cancellable = g_object_ref (cancellable);
  interrupt->context = g_main_context_new ();
  interrupt->loop = g_main_loop_new (interrupt->context, FALSE);
  const int signals[2] = { SIGINT, SIGTERM };
  for (int i = 0; i < 2; i++)
    {
      interrupt->sources[i] = g_unix_signal_source_new (signals[i]);
      g_source_set_callback (interrupt->sources[i], on_signal, interrupt, NULL);
      g_source_attach (interrupt->sources[i], interrupt->context);
    }
  interrupt->thread = g_thread_new ("neural-style-signals", watch, interrupt);
  return interrupt;
}

static gboolean
quit (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
ns_cli_interrupt_free (NsCliInterrupt *interrupt)
{
  if (interrupt == NULL)
    return;
  g_main_context_invoke (interrupt->context, quit, interrupt->loop);
  g_thread_join (interrupt->thread);
  forget_sources (interrupt);
  g_main_loop_unref (interrupt->loop);
  g_main_context_unref (interrupt->context);
  g_object_unref (interrupt->cancellable);
  g_free (interrupt);
}
