/* The dialog's presets row: a combo of the user's named presets (choosing one
 * shows it), Save… (a name asked in a small dialog), Delete, and Reset to
 * defaults, with a note under them for what needs saying.  GTK 3 only. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds the row to `grid` (of the Neural Style Transfer dialog `dialog`) at
 * *row, and advances *row.  `presets_file`: NULL for the user's. */
void ns_dialog_presets_attach (GtkWidget *dialog, GtkWidget *grid, int *row, const char *presets_file);

G_END_DECLS
