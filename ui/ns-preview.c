/* One worker thread owns the engine (an engine serves one thread) and the
 * prepared pair; the main thread only posts requests and receives results
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
  gboolean region;        /* a region of the full-size result, (x, y, width, height) */
  int x, y, width, height;
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
  Request *pending_region;   /* the same for regions */
  gboolean quit;
  gboolean alive;         /* FALSE once ns_preview_free() began: results are dropped */
  GCancellable *job;      /* the job in progress */
  char *job_key;          /* its options, to cancel it when they change */
  gboolean job_region;    /* whether it is a region's */
  NsImage *content;
  NsImage *full;          /* the full-size content (RGB), or NULL */
  NsPreviewFunc func;
  gpointer data;
  NsPreviewStatusFunc status_func;   /* under the lock */
  gpointer status_data;
  NsPreviewRegionFunc region_func;   /* under the lock */
  gpointer region_data;
} State;

static void
state_clear (gpointer p)
{
  State *s = p;
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->wake);
  g_clear_pointer (&s->pending, request_free);
  g_clear_pointer (&s->pending_region, request_free);
  g_clear_pointer (&s->full, ns_image_free);
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
  gboolean region;
  int x, y;
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
  NsPreviewRegionFunc region_func = d->state->region_func;
  gpointer region_data = d->state->region_data;
  g_mutex_unlock (&d->state->lock);
  if (alive && d->status != NULL && status_func != NULL)
    status_func (d->status, status_data);
  else if (alive && d->status == NULL && d->region && region_func != NULL)
    region_func (g_steal_pointer (&d->result), d->x, d->y, d->error, region_data);
  else if (alive && d->status == NULL && !d->region)
    d->state->func (g_steal_pointer (&d->result), d->error, d->state->data);
  g_clear_pointer (&d->result, ns_image_free);
  g_clear_error (&d->error);
  g_free (d->status);
  g_atomic_rc_box_release_full (d->state, state_clear);
  g_free (d);
  return G_SOURCE_REMOVE;
}

/* r: the request a result answers (NULL for a status line). */
static void
post_full (State *s, GMainContext *context, const Request *r, NsImage *result, GError *error, char *status)
{
  Delivery *d = g_new0 (Delivery, 1);
  d->state = g_atomic_rc_box_acquire (s);
  d->result = result;
  d->error = error;
  d->status = status;
  if (r != NULL)
    {
      d->region = r->region;
      d->x = r->x;
      d->y = r->y;
    }
  GSource *source = g_idle_source_new ();
  g_source_set_callback (source, deliver, d, NULL);
  g_source_attach (source, context);
  g_source_unref (source);
}

static void
post (State *s, GMainContext *context, const Request *r, NsImage *result, GError *error)
{
  post_full (s, context, r, result, error, NULL);
}

typedef struct {
  State *state;
  GMainContext *context;
} WorkerArgs;

/* The first use of a device compiles its kernels: seconds the user should
 * not take for a hang.  Then back to the usual words. */
static void
kernel_progress (guint done, guint total, gpointer p)
{
  WorkerArgs *args = p;
  char *text = done < total ? ns_progress_text_kernels (done, total) : g_strdup (_("Computing the preview…"));
  post_full (args->state, args->context, NULL, NULL, NULL, text);
}

/* What the worker keeps between requests: the engine, the fitted pair and
 * the full-size regions, each with the key it was made for. */
typedef struct {
  NsEngine *engine;
  NsAdainPrepared *prepared;
  char *prepared_key;
  NsAdainRegions *regions;
  char *regions_key;
} Worker;

static void
worker_clear (Worker *w)
{
  g_clear_pointer (&w->regions, ns_adain_regions_free);
  g_clear_pointer (&w->prepared, ns_adain_prepared_free);
  g_clear_pointer (&w->engine, ns_engine_free);
  g_free (w->prepared_key);
  g_free (w->regions_key);
}

/* The fitted overview: one decode per alpha once prepared. */
static NsImage *
render_fit (Worker *w, State *s, const Request *r, GCancellable *cancellable, GError **error)
{
  if (w->prepared == NULL || g_strcmp0 (w->prepared_key, r->key) != 0)
    {
      g_clear_pointer (&w->prepared, ns_adain_prepared_free);
      g_clear_pointer (&w->prepared_key, g_free);
      NsAdainOptions options;
      NsWeightedStyle styles[2], outside;
      request_options (r, &options, styles, &outside);
      w->prepared = ns_adain_prepared_new_with_options (w->engine, r->content != NULL ? r->content : s->content,
                                                        &options, cancellable, error);
      if (w->prepared == NULL)
        return NULL;
      w->prepared_key = g_strdup (r->key);
    }
  return ns_adain_prepared_render (w->prepared, r->alpha, cancellable, error);
}

/* A region at 1:1, as OK's run makes it.  s->full is set before the first
 * region request and never changes, so it is read without the lock. */
static NsImage *
render_region (Worker *w, State *s, const Request *r, GCancellable *cancellable, GError **error)
{
  if (s->full == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The 1:1 preview has no full-size image."));
      return NULL;
    }
  if (w->regions == NULL || g_strcmp0 (w->regions_key, r->key) != 0)
    {
      g_clear_pointer (&w->regions, ns_adain_regions_free);
      g_clear_pointer (&w->regions_key, g_free);
      NsAdainOptions options;
      NsWeightedStyle styles[2], outside;
      request_options (r, &options, styles, &outside);
      w->regions = ns_adain_regions_new (w->engine, s->full, &options, cancellable, error);
      if (w->regions == NULL)
        return NULL;
      w->regions_key = g_strdup (r->key);
    }
  /* The view may reach past a small image: the region is what lies inside. */
  int x = CLAMP (r->x, 0, s->full->width - 1), y = CLAMP (r->y, 0, s->full->height - 1);
  int width = MIN (r->width, s->full->width - x), height = MIN (r->height, s->full->height - y);
  return ns_adain_regions_render (w->regions, x, y, width, height, r->alpha, cancellable, error);
}

static gpointer
work (gpointer p)
{
  WorkerArgs *args = p;
  State *s = args->state;
  Worker w = { 0 };
  gboolean kernels_saved = FALSE;
  for (;;)
    {
      g_mutex_lock (&s->lock);
      while (s->pending == NULL && s->pending_region == NULL && !s->quit)
        g_cond_wait (&s->wake, &s->lock);
      if (s->quit)
        {
          g_mutex_unlock (&s->lock);
          break;
        }
      /* The fitted overview first: it is the fast path. */
      Request *r = s->pending != NULL ? g_steal_pointer (&s->pending) : g_steal_pointer (&s->pending_region);
      g_clear_object (&s->job);
      s->job = g_cancellable_new ();
      g_free (s->job_key);
      s->job_key = g_strdup (r->key);
      s->job_region = r->region;
      GCancellable *cancellable = g_object_ref (s->job);
      g_mutex_unlock (&s->lock);

      GError *error = NULL;
      NsImage *result = NULL;
      if (w.engine == NULL)
        {
          NsEngineOptions options = { .device_index = -1, .progress = kernel_progress, .progress_data = args };
          w.engine = ns_engine_new_with_options (&options, &error);
        }
      if (w.engine != NULL)
        result = r->region ? render_region (&w, s, r, cancellable, &error) : render_fit (&w, s, r, cancellable, &error);
      if (result != NULL)
        for (gsize i = 0; i < (gsize) result->width * result->height * result->channels; i++)
          result->data[i] = CLAMP (result->data[i], 0.0f, 1.0f);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_clear_error (&error);   /* a newer request replaced it */
      else
        post (s, args->context, r, result, error);
      g_object_unref (cancellable);
      request_free (r);
      /* Kernels compiled for the first preview are stored once it is shown,
       * while nothing waits (storing may cost the driver some work). */
      g_mutex_lock (&s->lock);
      gboolean idle = s->pending == NULL && s->pending_region == NULL;
      g_mutex_unlock (&s->lock);
      if (w.engine != NULL && result != NULL && idle && !kernels_saved)
        {
          ns_engine_save_kernels (w.engine);
          kernels_saved = TRUE;
        }
    }
  worker_clear (&w);
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

/* A request for `job` with this alpha; `content`: the image the mask must fit. */
static Request *
request_new (const NsPreviewJob *job, double alpha, const NsImage *content)
{
  Request *r = g_new0 (Request, 1);
  r->key = g_strdup (job->key);
  r->colour = job->colour;
  r->style = ns_image_copy (job->style);
  r->style2 = job->style2 != NULL ? ns_image_copy (job->style2) : NULL;
  r->style2_weight = job->style2_weight;
  /* The mask must have the content's size; one that does not is scaled to it. */
  if (job->mask != NULL && job->style2 != NULL)
    r->mask = job->mask->width == content->width && job->mask->height == content->height
                ? ns_image_copy (job->mask) : ns_image_resize (job->mask, content->width, content->height);
  r->style_size = job->style_size;
  r->alpha = alpha;
  return r;
}

/* Queues r in its slot, replacing an older one; a job in progress of the same
 * kind with other options is cancelled (its work is worthless). */
static void
submit (State *s, Request *r)
{
  g_mutex_lock (&s->lock);
  Request **slot = r->region ? &s->pending_region : &s->pending;
  g_clear_pointer (slot, request_free);
  *slot = r;
  if (s->job != NULL && s->job_region == r->region && g_strcmp0 (s->job_key, r->key) != 0)
    g_cancellable_cancel (s->job);
  g_cond_signal (&s->wake);
  g_mutex_unlock (&s->lock);
}

void
ns_preview_request_job (NsPreview *preview, const NsPreviewJob *job, double alpha)
{
  State *s = preview->state;
  g_autoptr (NsImage) content = job->content != NULL ? ns_image_to_rgb (job->content) : NULL;
  Request *r = request_new (job, alpha, content != NULL ? content : s->content);
  r->content = g_steal_pointer (&content);
  submit (s, r);
}

void
ns_preview_set_full_content (NsPreview *preview, const NsImage *content)
{
  g_return_if_fail (preview->state->full == NULL);
  preview->state->full = ns_image_to_rgb (content);
}

void
ns_preview_set_region_func (NsPreview *preview, NsPreviewRegionFunc func, gpointer data)
{
  g_mutex_lock (&preview->state->lock);
  preview->state->region_func = func;
  preview->state->region_data = data;
  g_mutex_unlock (&preview->state->lock);
}

void
ns_preview_request_region (NsPreview *preview, const NsPreviewJob *job, double alpha, int x, int y, int width,
                           int height)
{
  State *s = preview->state;
  g_return_if_fail (s->full != NULL);
  Request *r = request_new (job, alpha, s->full);
  r->region = TRUE;
  r->x = x;
  r->y = y;
  r->width = width;
  r->height = height;
  submit (s, r);
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
