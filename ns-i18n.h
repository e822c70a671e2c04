/* Translation macros shared by every layer (opencl/, weights/, engine/, tools/): user-facing sentences go through
 * the project's own gettext domain, so a host (GIMP, the CLI) may use another. */
#pragma once

#include "config.h"
#include <glib/gi18n-lib.h>
