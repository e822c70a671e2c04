/* One job, one thread: the result comes back through an async queue that the
 * calling thread polls between ticks. */
#include "plugin-worker.h"
#include "neural-style.h"

typedef struct {
  const NsImage *content, *style;
  const NsSettings *settings;
  GCancellable *cancellable;
  GAsyncQueue *done;
  NsImage *result;
  GError *error;
} Job;

static gpointer
work (gpointer data)
{
  Job *job = data;
  g_autoptr (NsEngine) engine = ns_engine_new (-1, &job->error);
  if (engine != NULL && !g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    job->result = ns_engine_stylise (engine, job->content, job->style, job->settings->alpha,
                                     job->settings->style_size, job->cancellable, &job->error);
  g_async_queue_push (job->done, job);
  return NULL;
}

NsImage *
ns_plugin_stylise (const NsImage *content, const NsImage *style, const NsSettings *settings,
                   GCancellable *cancellable, NsTickFunc tick, gpointer tick_data, GError **error)
{
  Job job = { content, style, settings, cancellable, g_async_queue_new (), NULL, NULL };
  GThread *thread = g_thread_new ("neural-style", work, &job);
  while (g_async_queue_timeout_pop (job.done, G_USEC_PER_SEC / 10) == NULL)
    if (tick != NULL)
      tick (tick_data);
  g_thread_join (thread);
  g_async_queue_unref (job.done);
  /* The engine checks between layers, but the device may finish queued work
   * after a cancel: a cancel still means no result. */
  if (job.result != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_clear_pointer (&job.result, ns_image_free);
      g_cancellable_set_error_if_cancelled (cancellable, &job.error);
    }
  if (job.error != NULL)
    g_propagate_error (error, job.error);
  return job.result;
}
