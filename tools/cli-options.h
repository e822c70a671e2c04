/* Parsing of the command line's AdaIN controls. */
#pragma once

#include "neural-style.h"

G_BEGIN_DECLS

/* "FILE" or "FILE:WEIGHT" (the last colon followed by a number; weight >= 0).
 * The file part is newly allocated. */
gboolean ns_cli_parse_weighted_style (const char *spec, char **file, double *weight, GError **error);
/* "none", "luminance" or "match". */
gboolean ns_cli_parse_colour (const char *name, NsColourPreservation *colour, GError **error);

G_END_DECLS
