/* One worker thread uses the runtime (a runtime serves one thread at a
 * time) and owns the AdaIN object and the prepared pair; the main thread only posts requests and receives results
 * through an idle callback guarded by a shared, reference-counted state. */
#include "ns-preview.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include "ns-progress-text.h"
#include "ns-run-options.h"
#include <gio/gio.h>

typedef struct {
  char *key;
  NsColourPreservation colour;
  NsImage *style, *style2, *mask;
  NsImage *content;       /* RGB, or NULL: the preview's own */
  double style2_weight;
  int style_size;
  double alpha;
} Request;

static void
request_free (Request *r)
{
  g_clear_pointer (&r->style, ns_image_free);
  g_clear_pointer (&r->style2, ns_image_free);
  g_clear_pointer (&r->mask, ns_image_free);
  g_clear_pointer (&r->content, ns_image_free);
  g_free (r->key);
  g_free (r);
}

/* The request's options for ns_adain_prepared_new_with_options(); `styles`
 * and `outside` hold the weighted styles the options point to. */
static void
request_options (const Request *r, NsAdainOptions *options, NsWeightedStyle styles[2], NsWeightedStyle *outside)
{
  ns_adain_options_init (options);
  options->style_size = r->style_size;
  options->colour = r->colour;
  ns_run_options_set_styles (options, r->style, r->style2, r->style2_weight, r->mask, styles, outside);
}

/* Shared between the threads and the pending idle callbacks. */
typedef struct {
  GMutex lock;
  GCond wake;
  Request *pending;       /* the newest request not yet taken, or NULL */
  gboolean quit;
  gboolean alive;         /* FALSE once ns_preview_free() began: results are dropped */
  GCancellable *job;      /* the job in progress */
  char *job_key;          /* its options, to cancel it when they change */
  NsImage *content;
  NsPreviewFunc func;
  gpointer data;
  NsPreviewStatusFunc status_func;   /* under the lock */
  gpointer status_data;
} State;

static void
state_clear (gpointer p)
{
  State *s = p;
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->wake);
  g_clear_pointer (&s->pending, request_free);
  g_clear_object (&s->job);
  g_free (s->job_key);
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
  char *status;   /* a line to show instead, or NULL */
} Delivery;

static gboolean
deliver (gpointer p)
{
  Delivery *d = p;
  g_mutex_lock (&d->state->lock);
  gboolean alive = d->state->alive;
  g_mutex_unlock (&d->state->lock);
  g_mutex_lock (&d->state->lock);
  NsPreviewStatusFunc status_func = d->state->status_func;
  gpointer status_data = d->state->status_data;
  g_mutex_unlock (&d->state->lock);
  if (alive && d->status != NULL && status_func != NULL)
    status_func (d->status, status_data);
  else if (alive && d->status == NULL)
    d->state->func (g_steal_pointer (&d->result), d->error, d->state->data);
  g_clear_pointer (&d->result, ns_image_free);
  g_clear_error (&d->error);
  g_free (d->status);
  g_atomic_rc_box_release_full (d->state, state_clear);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
post_full (State *s, GMainContext *context, NsImage *result, GError *error, char *status)
{
  Delivery *d = g_new0 (Delivery, 1);
  d->state = g_atomic_rc_box_acquire (s);
  d->result = result;
  d->error = error;
  d->status = status;
  GSource *source = g_idle_source_new ();
  g_source_set_callback (source, deliver, d, NULL);
  g_source_attach (source, context);
  g_source_unref (source);
}

static void
post (State *s, GMainContext *context, NsImage *result, GError *error)
{
  post_full (s, context, result, error, NULL);
}

typedef struct {
  State *state;
  GMainContext *context;
  NsRuntime *runtime;
} WorkerArgs;

/* The first use of a device compiles its kernels: seconds the user should
 * not take for a hang.  Then back to the usual words. */
static void
kernel_progress (guint done, guint total, gpointer p)
{
  WorkerArgs *args = p;
  char *text = done < total ? ns_progress_text_kernels (done, total) : g_strdup (_("Computing the preview…"));
  post_full (args->state, args->context, NULL, NULL, text);
}

static gpointer
work (gpointer p)
{
  WorkerArgs *args = p;
  State *s = args->state;
  g_autoptr (NsAdain) adain = NULL;
  g_autoptr (NsAdainPrepared) prepared = NULL;
  g_autofree char *prepared_key = NULL;
  gboolean kernels_saved = FALSE;
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
      g_free (s->job_key);
      s->job_key = g_strdup (r->key);
      GCancellable *cancellable = g_object_ref (s->job);
      g_mutex_unlock (&s->lock);

      GError *error = NULL;
      NsImage *result = NULL;
      if (adain == NULL)
        {
          ns_runtime_set_kernel_progress (args->runtime, kernel_progress, args);
          adain = ns_adain_new (args->runtime, &error);
        }
      if (adain != NULL && (prepared == NULL || g_strcmp0 (prepared_key, r->key) != 0))
        {
          g_clear_pointer (&prepared, ns_adain_prepared_free);
          g_clear_pointer (&prepared_key, g_free);
          NsAdainOptions options;
          NsWeightedStyle styles[2], outside;
          request_options (r, &options, styles, &outside);
          prepared = ns_adain_prepared_new_with_options (adain, r->content != NULL ? r->content : s->content,
                                                         &options, cancellable, &error);
          if (prepared != NULL)
            prepared_key = g_strdup (r->key);
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
      /* Kernels compiled for the first preview are stored once it is shown,
       * while nothing waits (storing may cost the driver some work). */
      g_mutex_lock (&s->lock);
      gboolean idle = s->pending == NULL;
      g_mutex_unlock (&s->lock);
      if (adain != NULL && result != NULL && idle && !kernels_saved)
        {
          ns_runtime_save_kernels (args->runtime);
          kernels_saved = TRUE;
        }
    }
  ns_runtime_set_kernel_progress (args->runtime, NULL, NULL);   /* whoever runs next says its own */
  g_main_context_unref (args->context);
  g_atomic_rc_box_release_full (s, state_clear);
  g_free (args);
  return NULL;
}

NsPreview *
ns_preview_new (NsRuntime *runtime, const NsImage *content, NsPreviewFunc func, gpointer data)
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
  args->runtime = runtime;
  NsPreview *preview = g_new0 (NsPreview, 1);
  preview->state = s;
  preview->thread = g_thread_new ("neural-style-preview", work, args);
  return preview;
}

void
ns_preview_request_job (NsPreview *preview, const NsPreviewJob *job, double alpha)
{
  State *s = preview->state;
  Request *r = g_new0 (Request, 1);
  r->key = g_strdup (job->key);
  r->colour = job->colour;
  r->style = ns_image_copy (job->style);
  r->style2 = job->style2 != NULL ? ns_image_copy (job->style2) : NULL;
  r->style2_weight = job->style2_weight;
  r->content = job->content != NULL ? ns_image_to_rgb (job->content) : NULL;
  const NsImage *content = r->content != NULL ? r->content : s->content;
  /* The mask must have the content's size; one that does not is scaled to it. */
  if (job->mask != NULL && job->style2 != NULL)
    r->mask = job->mask->width == content->width && job->mask->height == content->height
                ? ns_image_copy (job->mask) : ns_image_resize (job->mask, content->width, content->height);
  r->style_size = job->style_size;
  r->alpha = alpha;
  g_mutex_lock (&s->lock);
  g_clear_pointer (&s->pending, request_free);
  s->pending = r;
  /* New options make the job in progress (an encoding) worthless. */
  if (s->job != NULL && g_strcmp0 (s->job_key, job->key) != 0)
    g_cancellable_cancel (s->job);
  g_cond_signal (&s->wake);
  g_mutex_unlock (&s->lock);
}

void
ns_preview_request (NsPreview *preview, const NsImage *style, const char *style_key, int style_size, double alpha)
{
  g_autofree char *key = g_strdup_printf ("%s\n%d", style_key, style_size);
  NsPreviewJob job = { .key = key, .colour = NS_COLOUR_NONE, .style = style, .style_size = style_size };
  ns_preview_request_job (preview, &job, alpha);
}

void
ns_preview_set_status_func (NsPreview *preview, NsPreviewStatusFunc func, gpointer data)
{
  g_mutex_lock (&preview->state->lock);
  preview->state->status_func = func;
  preview->state->status_data = data;
  g_mutex_unlock (&preview->state->lock);
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
