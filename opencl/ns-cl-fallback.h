/* Which device runs when the user named none, and the fallback when it
 * cannot: GPUs first, then the other devices, and OpenCL 1.1 drivers (such
 * as Mesa's Clover) last, since our kernels need 1.2.  Each is tried in turn;
 * a device that cannot run the engine (it does not open, builds no kernel,
 * lacks memory: any NS_CL_ERROR) gives way to the next, and the user is told. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Indices into `devices` (from ns_cl_list_devices), best first. */
GArray *ns_cl_preferred_order (GPtrArray *devices);

/* Makes something (an engine) on one device: NULL and an error on failure. */
typedef gpointer (*NsClOpenFunc) (int device_index, gpointer user_data, GError **error);

/* With index >= 0: open() on that device alone.  Otherwise open() on each
 * device in the preferred order until one succeeds.  *note (may be NULL) receives NULL, or
 * a sentence saying which device could not be used, why, and which runs instead. */
gpointer ns_cl_open_on_best_device (int index, NsClOpenFunc open, gpointer user_data, char **note, GError **error);

/* The trying itself, over device indices `order` named `names` (tests use it
 * with made-up failures).  Only NS_CL_ERROR errors move on to the next
 * device; when every device fails, the error is the first device's. */
gpointer ns_cl_open_in_order (const int *order, const char *const *names, guint n, NsClOpenFunc open,
                              gpointer user_data, char **note, GError **error);

G_END_DECLS
