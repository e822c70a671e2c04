/* The image files of a folder, for the subcommands that take folders
 * (eval, train). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  char *name;   /* the file name without its extension */
  char *path;
} NsCliImageFile;

/* The image files of `dir` (PNG, JPEG, TIFF, BMP, WebP or PFM by their
 * extensions; hidden files skipped), sorted by name: NsCliImageFile
 * pointers, freed with the array.  An error when there are none. */
GPtrArray *ns_cli_list_images (const char *dir, GError **error);

G_END_DECLS
