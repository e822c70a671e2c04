/* neural-style --prepare: compiles the OpenCL kernels ahead of time, for the
 * current user and device, or (--system) for every device into the
 * system-wide cache every user reads first. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* dir: the system cache folder (NULL: the installed one); exit status. */
int ns_cli_prepare (int device, gboolean system, const char *dir);
/* A -v run's line as kernels compile (an NsKernelProgress). */
void ns_cli_print_kernel_progress (guint done, guint total, gpointer user_data);

G_END_DECLS
