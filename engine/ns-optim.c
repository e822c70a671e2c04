#include "ns-optim.h"

#include <math.h>

#define ARMIJO_C1 1e-4
#define MAX_LINE_SEARCH 25

struct _NsOptim {
  NsVecOps *vec;
  NsOptimParams params;
  gsize n;
  NsClBuffer *x, *g, *x_new, *g_new, *d;
  double value;
  int evaluations;
  /* L-BFGS: a ring of correction pairs, oldest at `first` */
  NsClBuffer **s, **y;
  double *rho;
  int first, count;
  /* Adam */
  NsClBuffer *m, *v;
  int t;
};

void
ns_optim_params_init (NsOptimParams *params, NsOptimKind kind)
{
  *params = (NsOptimParams) { .kind = kind, .history = 10, .learning_rate = 0.01,
                              .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8 };
}

NsOptim *
ns_optim_new (NsVecOps *vec, const NsOptimParams *params, gsize n, GError **error)
{
  g_return_val_if_fail (n > 0, NULL);
  g_return_val_if_fail (params->kind != NS_OPTIM_LBFGS || params->history > 0, NULL);
  NsClContext *ctx = ns_vec_ops_get_context (vec);
  g_autoptr (NsOptim) o = g_new0 (NsOptim, 1);
  o->vec = vec;
  o->params = *params;
  o->n = n;
  gsize bytes = n * sizeof (float);
  NsClBuffer *(*buffer_new) (NsClContext *, gsize, GError **) = params->host_vectors ? ns_cl_buffer_new_host
                                                                                     : ns_cl_buffer_new;
  NsClBuffer **common[] = { &o->x, &o->g, &o->x_new, &o->g_new, &o->d };
  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    if ((*common[i] = buffer_new (ctx, bytes, error)) == NULL)
      return NULL;
  if (params->kind == NS_OPTIM_LBFGS)
    {
      o->s = g_new0 (NsClBuffer *, params->history);
      o->y = g_new0 (NsClBuffer *, params->history);
      o->rho = g_new0 (double, params->history);
      for (int i = 0; i < params->history; i++)
        if ((o->s[i] = buffer_new (ctx, bytes, error)) == NULL || (o->y[i] = buffer_new (ctx, bytes, error)) == NULL)
          return NULL;
    }
  else if ((o->m = buffer_new (ctx, bytes, error)) == NULL || (o->v = buffer_new (ctx, bytes, error)) == NULL
           || !ns_vec_zero (vec, o->m, n, error) || !ns_vec_zero (vec, o->v, n, error))
    return NULL;
  return g_steal_pointer (&o);
}

void
ns_optim_free (NsOptim *o)
{
  if (o == NULL)
    return;
  NsClBuffer *common[] = { o->x, o->g, o->x_new, o->g_new, o->d, o->m, o->v };
  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    ns_cl_buffer_free (common[i]);
  if (o->s != NULL)
    for (int i = 0; i < o->params.history; i++)
      {
        ns_cl_buffer_free (o->s[i]);
        ns_cl_buffer_free (o->y[i]);
      }
  g_free (o->s);
  g_free (o->y);
  g_free (o->rho);
  g_free (o);
}

const NsClBuffer *
ns_optim_get_x (NsOptim *o)
{
  return o->x;
}

double
ns_optim_get_value (NsOptim *o)
{
  return o->value;
}

int
ns_optim_get_evaluations (NsOptim *o)
{
  return o->evaluations;
}

static gboolean
evaluate (NsOptim *o, NsObjectiveFunc func, gpointer user_data, const NsClBuffer *x, NsClBuffer *g,
          double *value, GError **error)
{
  o->evaluations++;
  return func (x, g, value, user_data, error);
}

gboolean
ns_optim_start (NsOptim *o, const NsClBuffer *x0, NsObjectiveFunc func, gpointer user_data, GError **error)
{
  o->count = o->first = o->t = 0;
  return ns_vec_copy (o->vec, x0, o->x, o->n, error)
      && evaluate (o, func, user_data, o->x, o->g, &o->value, error);
}

static void
swap (NsClBuffer **a, NsClBuffer **b)
{
  NsClBuffer *t = *a;
  *a = *b;
  *b = t;
}

/* d = -H g by the two-loop recursion, H the L-BFGS inverse Hessian estimate
 * scaled by s'y / y'y of the newest pair. */
static gboolean
lbfgs_direction (NsOptim *o, GError **error)
{
  const int m = o->params.history;
  g_autofree double *alpha = g_new (double, m);
  if (!ns_vec_copy (o->vec, o->g, o->d, o->n, error))
    return FALSE;
  for (int k = o->count - 1; k >= 0; k--)
    {
      int i = (o->first + k) % m;
      double sd;
      if (!ns_vec_dot (o->vec, o->s[i], o->d, o->n, &sd, error))
        return FALSE;
      alpha[k] = o->rho[i] * sd;
      if (!ns_vec_axpby (o->vec, o->y[i], -alpha[k], o->d, 1.0, o->n, error))
        return FALSE;
    }
  if (o->count > 0)
    {
      int newest = (o->first + o->count - 1) % m;
      double yy;
      if (!ns_vec_dot (o->vec, o->y[newest], o->y[newest], o->n, &yy, error))
        return FALSE;
      double gamma = 1.0 / (o->rho[newest] * yy);
      if (!ns_vec_axpby (o->vec, o->d, 0.0, o->d, gamma, o->n, error))
        return FALSE;
    }
  for (int k = 0; k < o->count; k++)
    {
      int i = (o->first + k) % m;
      double yd;
      if (!ns_vec_dot (o->vec, o->y[i], o->d, o->n, &yd, error))
        return FALSE;
      if (!ns_vec_axpby (o->vec, o->s[i], alpha[k] - o->rho[i] * yd, o->d, 1.0, o->n, error))
        return FALSE;
    }
  return ns_vec_axpby (o->vec, o->d, 0.0, o->d, -1.0, o->n, error);
}

/* Backtracking from t along d until f(x + t d) <= f(x) + c1 t g'd; the new
 * point lands in x_new, g_new.  *found is FALSE when no trial step did. */
static gboolean
line_search (NsOptim *o, NsObjectiveFunc func, gpointer user_data, double t, double gtd, double *value,
             gboolean *found, GError **error)
{
  *found = FALSE;
  for (int trial = 0; trial < MAX_LINE_SEARCH; trial++)
    {
      double f;
      if (!ns_vec_step (o->vec, o->x, o->d, t, o->x_new, o->n, error)
          || !evaluate (o, func, user_data, o->x_new, o->g_new, &f, error))
        return FALSE;
      if (isfinite (f) && f <= o->value + ARMIJO_C1 * t * gtd && f < o->value)
        {
          *value = f;
          *found = TRUE;
          return TRUE;
        }
      /* The minimum of the quadratic through f(0), f'(0) and f(t), kept in [0.1 t, 0.5 t]. */
      double next = 0.1 * t;
      if (isfinite (f))
        {
          double curvature = f - o->value - gtd * t;
          if (curvature > 0)
            next = -gtd * t * t / (2.0 * curvature);
        }
      t = CLAMP (next, 0.1 * t, 0.5 * t);
    }
  return TRUE;
}

static gboolean
lbfgs_step (NsOptim *o, NsObjectiveFunc func, gpointer user_data, gboolean *stalled, GError **error)
{
  *stalled = FALSE;
  for (int attempt = 0; attempt < 2; attempt++)
    {
      double gtd, gg;
      if (!lbfgs_direction (o, error) || !ns_vec_dot (o->vec, o->g, o->d, o->n, &gtd, error))
        return FALSE;
      if (!(gtd < 0))   /* not a descent direction: start again from steepest descent */
        {
          o->count = 0;
          if (!lbfgs_direction (o, error) || !ns_vec_dot (o->vec, o->g, o->d, o->n, &gtd, error))
            return FALSE;
        }
      if (!(gtd < 0))   /* a zero gradient: a stationary point */
        {
          *stalled = TRUE;
          return TRUE;
        }
      gg = -gtd;
      double t = o->count > 0 ? 1.0 : MIN (1.0, 1.0 / sqrt (gg));
      double value;
      gboolean found;
      if (!line_search (o, func, user_data, t, gtd, &value, &found, error))
        return FALSE;
      if (!found)
        {
          if (o->count == 0)   /* even steepest descent failed */
            {
              *stalled = TRUE;
              return TRUE;
            }
          o->count = 0;        /* the history misled: retry from steepest descent */
          continue;
        }

      /* The new pair s = x_new - x, y = g_new - g, kept when s'y > 0 (the
       * estimate then stays positive definite), measured against |s| |y| so
       * that the test does not depend on the function's scale. */
      const int m = o->params.history;
      int slot = o->count < m ? (o->first + o->count) % m : o->first;
      double sy, yy, ss;
      if (!ns_vec_copy (o->vec, o->x_new, o->s[slot], o->n, error)
          || !ns_vec_axpby (o->vec, o->x, -1.0, o->s[slot], 1.0, o->n, error)
          || !ns_vec_copy (o->vec, o->g_new, o->y[slot], o->n, error)
          || !ns_vec_axpby (o->vec, o->g, -1.0, o->y[slot], 1.0, o->n, error)
          || !ns_vec_dot (o->vec, o->s[slot], o->y[slot], o->n, &sy, error)
          || !ns_vec_dot (o->vec, o->y[slot], o->y[slot], o->n, &yy, error)
          || !ns_vec_dot (o->vec, o->s[slot], o->s[slot], o->n, &ss, error))
        return FALSE;
      if (sy > 1e-8 * sqrt (ss * yy) && yy > 0)
        {
          o->rho[slot] = 1.0 / sy;
          if (o->count < m)
            o->count++;
          else
            o->first = (o->first + 1) % m;
        }
      else if (o->count == m)   /* the rejected pair overwrote the oldest one: drop it */
        {
          o->first = (o->first + 1) % m;
          o->count--;
        }
      swap (&o->x, &o->x_new);
      swap (&o->g, &o->g_new);
      o->value = value;
      return TRUE;
    }
  *stalled = TRUE;
  return TRUE;
}

static gboolean
adam_step (NsOptim *o, NsObjectiveFunc func, gpointer user_data, GError **error)
{
  o->t++;
  return ns_vec_adam (o->vec, o->x, o->g, o->m, o->v, o->params.learning_rate, o->params.beta1,
                      o->params.beta2, o->params.eps, o->t, o->n, error)
      && evaluate (o, func, user_data, o->x, o->g, &o->value, error);
}

gboolean
ns_optim_step (NsOptim *o, NsObjectiveFunc func, gpointer user_data, gboolean *stalled, GError **error)
{
  if (o->params.kind == NS_OPTIM_ADAM)
    {
      *stalled = FALSE;
      return adam_step (o, func, user_data, error);
    }
  return lbfgs_step (o, func, user_data, stalled, error);
}
