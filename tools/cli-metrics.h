/* neural-style metrics: the E and C of one result (see engine/ns-metrics.h). */
#pragma once

int ns_cli_metrics (int argc, char **argv);
