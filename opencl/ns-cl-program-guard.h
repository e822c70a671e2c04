/* What keeps a program cache from crashing or hanging a run, whatever is in
 * it: entries are read only when they are regular files of a plausible size
 * (never through a link, never waiting on a FIFO or a device); a marker in
 * the user's cache folder is written before the driver sees a binary and
 * removed after, so that a run that died loading one (a SIGSEGV inside the
 * driver) leaves it behind; and the binaries this user must not load again
 * (the driver refused them, or a run died loading them) are listed beside
 * the entry, by their SHA-256. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The contents of a regular file of min..max bytes, or NULL (absent, a link,
 * a FIFO, a device, a folder, too small or too large, unreadable). */
guchar *ns_cl_cache_read_file (const char *path, gsize min, gsize max, gsize *length);

typedef struct _NsClLoadGuard NsClLoadGuard;

/* For the entry `key` (its file name without ".bin"), with the markers and
 * lists in the user's cache folder `dir`.  A marker left behind by a run
 * that is gone means that run died loading the binary it names: that binary
 * is refused from now on. */
NsClLoadGuard *ns_cl_load_guard_new (const char *dir, const char *key);
void ns_cl_load_guard_free (NsClLoadGuard *guard);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsClLoadGuard, ns_cl_load_guard_free)

/* Whether the binary with this digest (64 hex digits) must not be loaded. */
gboolean ns_cl_load_guard_refuses (NsClLoadGuard *guard, const char *digest);
/* Writes the marker naming the binary about to be loaded; FALSE when that is
 * not possible (the folder cannot be written, another live run is loading
 * this entry now): then loading it is not safe, and the caller builds. */
gboolean ns_cl_load_guard_begin (NsClLoadGuard *guard, const char *digest);
/* The driver returned: removes the marker, and lists the binary when it refused it. */
void ns_cl_load_guard_end (NsClLoadGuard *guard, const char *digest, gboolean refused);

G_END_DECLS
