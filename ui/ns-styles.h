/* The bundled style presets: the paintings of STYLES.tsv with their artists
 * and titles, from the installed styles folder or, uninstalled, ../shared. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *name;     /* "starry-night": what the style-file parameter takes */
  char *path;     /* the image file */
  char *artist;
  char *title;
} NsStylePreset;

/* The presets in STYLES.tsv order (an empty array when none is found); the
 * array frees its elements. */
GPtrArray *ns_style_presets_load (void);

G_END_DECLS
