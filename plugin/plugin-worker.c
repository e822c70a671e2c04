/* One job, one thread: the result comes back through an async queue that the
 * calling thread polls between ticks; the progress (Gatys's iteration and
 * latest preview, a tiled AdaIN run's fraction) through a mutex. */
#include "plugin-worker.h"
#include "neural-style.h"
#include "ns-gatys.h"
#include "ns-run-options.h"

/* How often the window's preview of a Gatys run is refreshed, in iterations. */
#define PREVIEW_EVERY 5

typedef struct {
  const NsPluginInput *input;
  const NsSettings *settings;
  gboolean want_preview;
  GCancellable *engine_cancellable;
  GAsyncQueue *done;
  NsImage *result;
  GError *error;
  GMutex lock;   /* guards the three below */
  int iteration;
  NsImage *preview;
  double fraction;   /* AdaIN: < 0 until a tiled run reports */
} Job;

/* The run's options for both methods; inside and outside hold the styles and must outlive them. */
static void
adain_options (const Job *job, NsAdainOptions *options, NsWeightedStyle inside[2], NsWeightedStyle outside[1])
{
  const NsPluginInput *in = job->input;
  ns_run_options_adain (options, job->settings, in->style, in->style2, in->style2 != NULL ? in->mask : NULL,
                        inside, outside);
}

/* GIMP's calls are not for a worker thread: a passed-over device goes to
 * the terminal GIMP was started from. */
static void
say_device_note (const char *note)
{
  if (note != NULL)
    g_printerr ("gimp-neural-style: %s\n", note);
}

static void
gatys_progress (int iteration, const NsGatysLosses *losses, const NsImage *preview, gpointer user_data)
{
  Job *job = user_data;
  NsImage *copy = preview != NULL && job->want_preview ? ns_image_copy (preview) : NULL;
  g_mutex_lock (&job->lock);
  job->iteration = iteration;
  if (copy != NULL)
    {
      g_clear_pointer (&job->preview, ns_image_free);
      job->preview = copy;
    }
  g_mutex_unlock (&job->lock);
}

static void
adain_progress (double fraction, gpointer user_data)
{
  Job *job = user_data;
  g_mutex_lock (&job->lock);
  job->fraction = fraction;
  g_mutex_unlock (&job->lock);
}

static NsImage *
run_gatys (Job *job)
{
  g_autoptr (NsGatys) gatys = ns_gatys_new (-1, &job->error);
  if (gatys == NULL || g_cancellable_set_error_if_cancelled (job->engine_cancellable, &job->error))
    return NULL;
  say_device_note (ns_gatys_get_device_note (gatys));
  NsWeightedStyle inside[2], outside[1];
  NsAdainOptions controls;
  adain_options (job, &controls, inside, outside);
  NsGatysTransferOptions options;
  ns_run_options_gatys (&options, job->settings, &controls);
  options.optim.preview_every = job->want_preview ? PREVIEW_EVERY : 0;
  return ns_gatys_transfer (gatys, job->input->content, &options, gatys_progress, job, job->engine_cancellable,
                            &job->error);
}

static NsImage *
run_adain (Job *job)
{
  g_autoptr (NsEngine) engine = ns_engine_new (-1, &job->error);
  if (engine == NULL || g_cancellable_set_error_if_cancelled (job->engine_cancellable, &job->error))
    return NULL;
  say_device_note (ns_engine_get_device_note (engine));
  NsWeightedStyle inside[2], outside[1];
  NsAdainOptions options;
  adain_options (job, &options, inside, outside);
  options.progress = adain_progress;
  options.progress_data = job;
  return ns_engine_stylise_with_options (engine, job->input->content, &options, job->engine_cancellable,
                                         &job->error);
}

static gpointer
work (gpointer data)
{
  Job *job = data;
  job->result = job->settings->method == NS_METHOD_GATYS ? run_gatys (job) : run_adain (job);
  g_async_queue_push (job->done, job);
  return NULL;
}

/* The options that decide a Gatys run's schedule of scales and iterations. */
static NsGatysOptions
gatys_schedule (int iterations)
{
  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = iterations;
  return options;
}

NsImage *
ns_plugin_stylise (const NsPluginInput *input, const NsSettings *settings, GCancellable *cancellable,
                   GCancellable *stop, int *stopped_at, NsTickFunc tick, gpointer tick_data, GError **error)
{
  gboolean gatys = settings->method == NS_METHOD_GATYS;
  /* The bar follows the work, not the iterations: a coarse scale's are cheap. */
  const NsGatysOptions schedule = gatys_schedule (settings->iterations);
  int total = gatys ? ns_gatys_total_iterations (&schedule, input->content->width, input->content->height) : 0;
  g_autoptr (GCancellable) engine_cancellable = g_cancellable_new ();
  Job job = { input, settings, input->previews && tick != NULL, engine_cancellable, g_async_queue_new (), NULL, NULL };
  job.fraction = -1.0;
  g_mutex_init (&job.lock);
  if (stopped_at != NULL)
    *stopped_at = -1;
  int width = input->content->width, height = input->content->height;
  NsTick state = { gatys ? 0.0 : -1.0, 0, total, 1, 1, NULL };
  if (gatys)
    ns_gatys_locate_iteration (&schedule, width, height, 0, &state.scale, &state.scales);
  if (job.want_preview)   /* the layer itself until the first preview comes */
    {
      state.preview = input->content;
      tick (tick_data, &state);
    }
  GThread *thread = g_thread_new ("neural-style", work, &job);
  for (;;)
    {
      /* Cancel and Stop both end the engine's run; only Cancel throws it away. */
      if (g_cancellable_is_cancelled (cancellable) || (gatys && stop != NULL && g_cancellable_is_cancelled (stop)))
        g_cancellable_cancel (engine_cancellable);
      if (g_async_queue_timeout_pop (job.done, G_USEC_PER_SEC / 10) != NULL)
        break;
      if (tick == NULL)
        continue;
      g_mutex_lock (&job.lock);
      state.iteration = job.iteration;
      state.fraction = job.fraction;
      g_autoptr (NsImage) preview = g_steal_pointer (&job.preview);
      g_mutex_unlock (&job.lock);
      if (gatys)
        {
          state.fraction = ns_gatys_work_fraction (&schedule, width, height, state.iteration);
          ns_gatys_locate_iteration (&schedule, width, height, state.iteration, &state.scale, &state.scales);
        }
      state.preview = preview;
      tick (tick_data, &state);
    }
  g_thread_join (thread);
  g_async_queue_unref (job.done);
  g_clear_pointer (&job.preview, ns_image_free);
  g_mutex_clear (&job.lock);
  /* The engine checks between layers, but the device may finish queued work
   * after a cancel: a cancel still means no result. */
  if (job.result != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_clear_pointer (&job.result, ns_image_free);
      g_clear_error (&job.error);
      g_cancellable_set_error_if_cancelled (cancellable, &job.error);
    }
  else if (job.result != NULL && gatys && stop != NULL && g_cancellable_is_cancelled (stop)
           && job.iteration < total && stopped_at != NULL)
    *stopped_at = job.iteration;
  if (job.error != NULL && job.result == NULL)
    g_propagate_error (error, job.error);
  else
    g_clear_error (&job.error);
  return job.result;
}
