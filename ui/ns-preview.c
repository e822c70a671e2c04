/* One worker thread owns the engine (an engine serves one thread) and the
 * prepared pair; the main thread only posts requests and receives results
 * through an idle callback guarded by a shared, reference-counted state. */
#include "ns-preview.h"
#include "neural-style.h"
#include <gio/gio.h>

typedef struct {
  NsImage *style;
  char *style_key;
  int style_size;
  double alpha;
} Request;

static void
request_free (Request *r)
{
  ns_image_free (r->style);
  g_free (r->style_key);
  g_free (r);
}

/* Shared between the threads and the pending idle callbacks. */
typedef struct {
  GMutex lock;
  GCond wake;
  Request *pending;       /* the newest request not yet taken, or NULL */
  gboolean quit;
  gboolean alive;         /* FALSE once ns_preview_free() began: results are dropped */
  GCancellable *job;      /* the job in progress */
  char *job_style_key;    /* its style, to cancel it when the style changes */
  NsImage *content;
  NsPreviewFunc func;
  gpointer data;
} State;

static void
state_clear (gpointer p)
{
  State *s = p;
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->wake);
  g_clear_pointer (&s->pending, request_free);
  g_clear_object (&s->job);
  g_free (s->job_style_key);
  ns_image_free (s->content);
}

struct _NsPreview {
  State *state;
  GThread *thread;
};

typedef struct {
  State *state;
  NsImage *result;
  GError *error;
} Delivery;

static gboolean
deliver (gpointer p)
{
  Delivery *d = p;
  g_mutex_lock (&d->state->lock);
  gboolean alive = d->state->alive;
  g_mutex_unlock (&d->state->lock);
  if (alive)
    d->state->func (g_steal_pointer (&d->result), d->error, d->state->data);
  g_clear_pointer (&d->result, ns_image_free);
  g_clear_error (&d->error);
  g_atomic_rc_box_release_full (d->state, state_clear);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
post (State *s, GMainContext *context, NsImage *result, GError *error)
{
  Delivery *d = g_new0 (Delivery, 1);
  d->state = g_atomic_rc_box_acquire (s);
  d->result = result;
  d->error = error;
  GSource *source = g_idle_source_new ();
  g_source_set_callback (source, deliver, d, NULL);
  g_source_attach (source, context);
  g_source_unref (source);
}

typedef struct {
  State *state;
  GMainContext *context;
} WorkerArgs;

static gpointer
work (gpointer p)
{
  WorkerArgs *args = p;
  State *s = args->state;
  g_autoptr (NsEngine) engine = NULL;
  g_autoptr (NsAdainPrepared) prepared = NULL;
  g_autofree char *prepared_key = NULL;
  int prepared_size = -1;
  for (;;)
    {
      g_mutex_lock (&s->lock);
      while (s->pending == NULL && !s->quit)
        g_cond_wait (&s->wake, &s->lock);
      if (s->quit)
        {
          g_mutex_unlock (&s->lock);
          break;
        }
      Request *r = g_steal_pointer (&s->pending);
      g_clear_object (&s->job);
      s->job = g_cancellable_new ();
      g_free (s->job_style_key);
      s->job_style_key = g_strdup (r->style_key);
      GCancellable *cancellable = g_object_ref (s->job);
      g_mutex_unlock (&s->lock);

      GError *error = NULL;
      NsImage *result = NULL;
      if (engine == NULL)
        engine = ns_engine_new (-1, &error);
      if (engine != NULL && (prepared == NULL || g_strcmp0 (prepared_key, r->style_key) != 0
                             || prepared_size != r->style_size))
        {
          g_clear_pointer (&prepared, ns_adain_prepared_free);
          prepared = ns_adain_prepared_new (engine, s->content, r->style, r->style_size, cancellable, &error);
          g_free (prepared_key);
          prepared_key = prepared != NULL ? g_strdup (r->style_key) : NULL;
          prepared_size = r->style_size;
        }
      if (prepared != NULL)
        result = ns_adain_prepared_render (prepared, r->alpha, cancellable, &error);
      if (result != NULL)
        for (gsize i = 0; i < (gsize) result->width * result->height * result->channels; i++)
          result->data[i] = CLAMP (result->data[i], 0.0f, 1.0f);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_error (&error);   /* a newer request replaced it */
      else
        post (s, args->context, result, error);
      g_object_unref (cancellable);
      request_free (r);
    }
  g_main_context_unref (args->context);
  g_atomic_rc_box_release_full (s, state_clear);
  g_free (args);
  return NULL;
}

NsPreview *
ns_preview_new (const NsImage *content, NsPreviewFunc func, gpointer data)
{
  State *s = g_atomic_rc_box_new0 (State);
  g_mutex_init (&s->lock);
  g_cond_init (&s->wake);
  s->alive = TRUE;
  s->content = ns_image_to_rgb (content);
  s->func = func;
  s->data = data;
  WorkerArgs *args = g_new0 (WorkerArgs, 1);
  args->state = g_atomic_rc_box_acquire (s);
  args->context = g_main_context_ref_thread_default ();
  NsPreview *preview = g_new0 (NsPreview, 1);
  preview->state = s;
  preview->thread = g_thread_new ("neural-style-preview", work, args);
  return preview;
}

void
ns_preview_request (NsPreview *preview, const NsImage *style, const char *style_key, int style_size, double alpha)
{
  State *s = preview->state;
  Request *r = g_new0 (Request, 1);
  r->style = ns_image_copy (style);
  r->style_key = g_strdup (style_key);
  r->style_size = style_size;
  r->alpha = alpha;
  g_mutex_lock (&s->lock);
  g_clear_pointer (&s->pending, request_free);
  s->pending = r;
  /* A new style makes the job in progress (an encoding) worthless. */
  if (s->job != NULL && g_strcmp0 (s->job_style_key, style_key) != 0)
    g_cancellable_cancel (s->job);
  g_cond_signal (&s->wake);
  g_mutex_unlock (&s->lock);
}

void
ns_preview_free (NsPreview *preview)
{
  State *s = preview->state;
  g_mutex_lock (&s->lock);
  s->quit = TRUE;
  s->alive = FALSE;
  if (s->job != NULL)
    g_cancellable_cancel (s->job);
  g_cond_signal (&s->wake);
  g_mutex_unlock (&s->lock);
  g_thread_join (preview->thread);
  g_atomic_rc_box_release_full (s, state_clear);
  g_free (preview);
}
