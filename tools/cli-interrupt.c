/* The signals are caught by GLib (g_unix_signal_source_new), dispatched on a
 * thread of our own: the main thread is busy running the engine.  Blocking
 * them with a signal mask would not do: every thread would need it. */
#include "cli-interrupt.h"
#include "ns-i18n.h"
#include <glib-unix.h>
#include <signal.h>
#include <unistd.h>

typedef struct {
  NsCliInterrupt *interrupt;
  int signum;
} Watch;

struct _NsCliInterrupt {
  GCancellable *cancellable;
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  GSource *sources[2];
  Watch watches[2];
  GMutex lock;           /* guards the two below */
  gboolean held;         /* a file is being written: a second signal waits */
  int pending;           /* the signal that came meanwhile, or 0 */
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

/* Ends the process as the signal would have, had nobody caught it. */
static void
die_of (int signum)
{
  signal (signum, SIG_DFL);
  raise (signum);
  _exit (128 + signum);
}

static gboolean
on_signal (gpointer data)
{
  const Watch *watch = data;
  NsCliInterrupt *interrupt = watch->interrupt;
  g_mutex_lock (&interrupt->lock);
  const gboolean first = !g_cancellable_is_cancelled (interrupt->cancellable);
  const gboolean wait = !first && interrupt->held;
  if (wait)
    interrupt->pending = watch->signum;
  g_mutex_unlock (&interrupt->lock);
  if (first)
    {
      g_printerr ("neural-style: %s\n", _("Interrupted: stopping (press Ctrl+C again to quit at once)."));
      g_cancellable_cancel (interrupt->cancellable);
    }
  else if (!wait)   /* the second: at once */
    die_of (watch->signum);
  return G_SOURCE_CONTINUE;
}

void
ns_cli_interrupt_hold (NsCliInterrupt *interrupt)
{
  g_mutex_lock (&interrupt->lock);
  interrupt->held = TRUE;
  g_mutex_unlock (&interrupt->lock);
}

void
ns_cli_interrupt_release (NsCliInterrupt *interrupt)
{
  g_mutex_lock (&interrupt->lock);
  interrupt->held = FALSE;
  const int pending = interrupt->pending;
  g_mutex_unlock (&interrupt->lock);
  if (pending != 0)
    die_of (pending);
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
  g_mutex_init (&interrupt->lock);
  const int signals[2] = { SIGINT, SIGTERM };
  for (int i = 0; i < 2; i++)
    {
      interrupt->watches[i] = (Watch) { interrupt, signals[i] };
      interrupt->sources[i] = g_unix_signal_source_new (signals[i]);
      g_source_set_callback (interrupt->sources[i], on_signal, &interrupt->watches[i], NULL);
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
  g_mutex_clear (&interrupt->lock);
  g_object_unref (interrupt->cancellable);
  g_free (interrupt);
}
