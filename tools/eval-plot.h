/* The evaluation's E-C scatter plot (ec.png), after Yeh et al.'s EC figure:
 * E across, C up, one colour per method and setting, a shape per method,
 * each group's mean as a larger marker; below it, a strip per method and
 * setting of the results' L8 ratios to their contents (log scale), each
 * group's median as a larger marker. */
#pragma once

#include "eval-results.h"

G_BEGIN_DECLS

/* The size of ec.png, in pixels. */
#define NS_EVAL_PLOT_WIDTH 960
#define NS_EVAL_PLOT_EC_HEIGHT 640   /* the E-C plot; the L8 strips below it */
#define NS_EVAL_PLOT_HEIGHT 940

gboolean eval_draw_ec_plot (const char *path, GPtrArray *rows, GArray *groups, GError **error);

G_END_DECLS
