/* The bundled style presets: the paintings of STYLES.tsv with their artists
 * and titles, from the installed styles folder or, uninstalled, ../shared. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *name;     /* "starry-night": what the style-file parameter takes */
  char *path;     /* the image file */
  char *artist;   /* translated, where the catalogue has it */
  char *title;    /* translated, where the catalogue has it */
} NsStylePreset;

/* The presets in STYLES.tsv order (an empty array when none is found); the
 * array frees its elements.  GLib only: the dialog and the CLI share it. */
GPtrArray *ns_style_presets_load (void);

/* The English titles and artists that have a translatable message. */
const char *const *ns_style_names (guint *n_names);

G_END_DECLS
