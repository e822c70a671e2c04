/* Minimisers of a smooth function of n floats held on the device: L-BFGS
 * (Nocedal 1980; two-loop recursion, history of `history` pairs, a
 * backtracking Armijo line search with safeguarded quadratic interpolation,
 * so every accepted step lowers the function) and Adam (Kingma & Ba 2015).
 * Both keep the current point, its value and its gradient consistent: one
 * step moves to a point where the function was evaluated. */
#pragma once

#include "ns-vec.h"

G_BEGIN_DECLS

/* Evaluates the function at x: its value, and its gradient into grad. */
typedef gboolean (*NsObjectiveFunc) (const NsClBuffer *x, NsClBuffer *grad, double *value, gpointer user_data,
                                     GError **error);

typedef enum {
  NS_OPTIM_LBFGS,
  NS_OPTIM_ADAM,
} NsOptimKind;

typedef struct {
  NsOptimKind kind;
  int history;            /* L-BFGS: correction pairs kept (10) */
  double learning_rate;   /* Adam: step size */
  double beta1, beta2, eps;
  gboolean host_vectors;  /* keep every vector in host memory (FALSE: on the device) */
} NsOptimParams;

/* L-BFGS with a history of 10; Adam's usual betas, eps 1e-8, learning rate 0.01. */
void ns_optim_params_init (NsOptimParams *params, NsOptimKind kind);

typedef struct _NsOptim NsOptim;

NsOptim *ns_optim_new (NsVecOps *vec, const NsOptimParams *params, gsize n, GError **error);
void ns_optim_free (NsOptim *optim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsOptim, ns_optim_free)

/* Evaluates the function at x0 (n floats, copied) and makes it the current point. */
gboolean ns_optim_start (NsOptim *optim, const NsClBuffer *x0, NsObjectiveFunc func, gpointer user_data,
                         GError **error);
/* One iteration.  *stalled becomes TRUE (and the point stays) when L-BFGS
 * finds no lower value even along the steepest descent: a minimum to the
 * precision of the function. */
gboolean ns_optim_step (NsOptim *optim, NsObjectiveFunc func, gpointer user_data, gboolean *stalled,
                        GError **error);

const NsClBuffer *ns_optim_get_x (NsOptim *optim);
double ns_optim_get_value (NsOptim *optim);
/* Function evaluations so far, the first included. */
int ns_optim_get_evaluations (NsOptim *optim);

G_END_DECLS
