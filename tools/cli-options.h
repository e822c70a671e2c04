/* Parsing of the command line's AdaIN controls. */
#pragma once

#include "neural-style.h"
#include "ns-settings.h"

G_BEGIN_DECLS

/* "FILE" or "FILE:WEIGHT" (the last colon followed by a number; weight >= 0).
 * The file part is newly allocated. */
gboolean ns_cli_parse_weighted_style (const char *spec, char **file, double *weight, GError **error);
/* The options of the run parameters that the CLI shares with the plug-ins
 * (ns-params.h: --method, --alpha, --iterations, --preserve-color,
 * --style-size, --seed), with their defaults and ranges in the help; each
 * value is checked as it is parsed (G_OPTION_ERROR_BAD_VALUE with a
 * sentence) and stored in `settings`, which starts at the defaults and
 * must outlive the group.  Add the CLI's other options to this group. */
GOptionGroup *ns_cli_param_group (NsSettings *settings);

/* --device's value before the command line is parsed: not given. */
#define NS_CLI_DEVICE_UNSET G_MININT
/* --device as the engine takes it: -1 (the engine chooses) when not given; a
 * negative number given is refused (G_OPTION_ERROR_BAD_VALUE, a sentence). */
gboolean ns_cli_check_device (int *device, GError **error);

/* The process's one runtime: the environment's options (the one place the
 * CLI reads them), --device over NEURAL_STYLE_DEVICE when given (device >= 0),
 * and `progress` told of kernels compiled (may be NULL).  NULL and an error
 * when the environment is wrong. */
NsRuntime *ns_cli_runtime_new (int device, NsKernelProgress progress, GError **error);

G_END_DECLS
