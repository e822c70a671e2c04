/* One place where OpenCL and CLBlast status codes become names and sentences.
 * Every failing call in the project goes through ns_cl_check() or
 * ns_clblast_check(), which name the operation that failed. */
#pragma once

#include <glib.h>
#include <CL/cl.h>

G_BEGIN_DECLS

#define NS_CL_ERROR (ns_cl_error_quark ())
GQuark ns_cl_error_quark (void);

typedef enum {
  NS_CL_ERROR_NO_PLATFORM,     /* no OpenCL driver installed */
  NS_CL_ERROR_NO_DEVICE,       /* no device, or the index asked for does not exist */
  NS_CL_ERROR_OUT_OF_MEMORY,   /* the device (or the host on its behalf) ran out of memory */
  NS_CL_ERROR_BUILD,           /* a kernel program failed to compile */
  NS_CL_ERROR_FAILED,          /* any other OpenCL or CLBlast failure */
} NsClErrorCode;

/* "CL_OUT_OF_RESOURCES" and the like; "unknown OpenCL error" for codes it does not know. */
const char *ns_cl_error_name (cl_int code);
/* Names of CLBlast's own status codes, falling back to ns_cl_error_name(). */
const char *ns_clblast_status_name (int status);

/* TRUE when code is CL_SUCCESS; otherwise sets a sentence saying that
 * `operation` (a phrase such as "reading the result back") failed, and why. */
gboolean ns_cl_check (cl_int code, const char *operation, GError **error);
gboolean ns_clblast_check (int status, const char *operation, GError **error);

G_END_DECLS
