/* The bundled paintings (the style presets), found by name. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A bundled style's name ("starry-night") as its file in the installed
 * presets, else in the build's shared folder; anything that names an existing
 * file or holds a directory separator is returned as it is.  Newly allocated;
 * a name that matches nothing comes back unchanged, for loading to report. */
char *ns_bundled_style_resolve (const char *style);

G_END_DECLS
