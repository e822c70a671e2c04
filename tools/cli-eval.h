/* neural-style eval: every content x every style through AdaIN and Gatys,
 * measured (E, C, the Gatys losses, the AdaIN paper's style loss, time,
 * device memory) into results.csv, summary.md and an E-C plot, ec.png. */
#pragma once

#include "eval-plot.h"      /* NS_EVAL_PLOT_WIDTH, NS_EVAL_PLOT_HEIGHT */
#include "eval-results.h"   /* NS_EVAL_CSV_HEADER */

int ns_cli_eval (int argc, char **argv);
