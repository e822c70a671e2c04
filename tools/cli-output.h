/* The result file of a run: checked before any work is done, written at the
 * end with a second Ctrl+C held off until it is complete. */
#pragma once

#include "cli-interrupt.h"
#include "neural-style.h"

/* 0 when OUT can be written: its extension names a format (else exit
 * status 2) and its folder exists and takes a new file, or it is a
 * character device that opens (else 1), with a sentence on stderr. */
int ns_cli_output_check (NsCliInterrupt *interrupt, const char *path);

/* Writes the result, refusing one with non-finite values.  The photo's
 * transparency is the result's (PNG keeps it; JPEG and PFM drop it). */
gboolean ns_cli_output_write (NsCliInterrupt *interrupt, const NsImage *result, const NsImage *content,
                              const char *path, GError **error);
