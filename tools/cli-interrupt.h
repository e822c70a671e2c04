/* Ctrl+C for long runs: the first SIGINT (or SIGTERM) cancels a GCancellable
 * instead of killing the process, so that a Gatys run can still write the
 * best image it has; a second one kills as usual, except while a file is
 * being written (between hold and release), when it waits for the file to
 * be complete, so that no temporary file is left behind. */
#pragma once

#include <gio/gio.h>

typedef struct _NsCliInterrupt NsCliInterrupt;

/* Watches for the signals until freed. */
NsCliInterrupt *ns_cli_interrupt_new (GCancellable *cancellable);
void ns_cli_interrupt_free (NsCliInterrupt *interrupt);
/* Around writing a file: a second signal meanwhile ends the process at release. */
void ns_cli_interrupt_hold (NsCliInterrupt *interrupt);
void ns_cli_interrupt_release (NsCliInterrupt *interrupt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsCliInterrupt, ns_cli_interrupt_free)

/* The exit status of a run ended by a signal: 128 + SIGINT, as shells report. */
#define NS_CLI_EXIT_INTERRUPTED 130
