/* Writing a whole file without ever leaving half of one, and without
 * replacing anything that is not a file: symbolic links are written through,
 * a regular file (or a new one) is replaced atomically (a temporary file
 * beside it, renamed over it), a character device (/dev/null, a terminal)
 * is written into, and a folder, a FIFO, a block device or a socket is
 * refused.
 *
 * Errors are G_FILE_ERROR whose message is a reason (no file name, no full
 * stop, translated) for the caller to put in its own sentence. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Checks, before any work, that ns_file_write (path) could succeed: the
 * folder exists and takes a new file (tried with a temporary file, removed
 * at once), or the device opens for writing. */
gboolean ns_file_check_writable (const char *path, GError **error);

gboolean ns_file_write (const char *path, const void *contents, gsize length, GError **error);

/* Our own words for the file errors people meet (a GError of G_FILE_ERROR),
 * or NULL; `writing` chooses the words for a missing folder over a missing file. */
const char *ns_file_error_reason (const GError *error, gboolean writing);

G_END_DECLS
