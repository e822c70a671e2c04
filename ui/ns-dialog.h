/* The Neural Style Transfer dialog, GTK 3 only: no GIMP call, so it runs in
 * tests and in a GIMP 3 port unchanged.  The host (plugin/) describes what it
 * has through NsDialogHost. */
#pragma once

#include "ns-image.h"
#include "ns-progress-window.h"
#include "ns-settings.h"
#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct {
  gint32 id;      /* the host's drawable ID, for NsSettings.style_drawable */
  char *name;     /* "image.xcf: Layer" */
} NsDialogLayer;

typedef struct {
  /* The content for the preview, already downscaled (RGB or RGBA); NULL: no preview. */
  const NsImage *preview;
  double preview_scale;   /* the preview's size / the drawable's (0: 1), to scale the style alike */
  /* Layers that may serve as the style, and how to get a layer's pixels
   * (downscaled so the shorter side has at most max_side pixels). */
  const NsDialogLayer *layers;
  int n_layers;
  NsImage *(*layer_pixels) (gint32 id, int max_side, gpointer data);
  gpointer data;
  /* Makes the dialog transient for GIMP's image window (NULL: none). */
  NsParentFunc set_parent;
  gpointer parent_data;
  gboolean prefer_dark;
  /* For the second style's masked modes, at the preview's size (grey, 1:
   * inside), or NULL: the selection over the previewed area and the
   * drawable's layer mask.  Without one, the preview of that mode shows the
   * first style only and says so.  Copied. */
  const NsImage *selection_mask;
  const NsImage *layer_mask;
  /* The second style outside the selection restyles the whole layer: its
   * preview shows the whole layer (downscaled, RGB or RGBA; its scale as
   * preview_scale) with the selection over it (grey, the same size).  NULL:
   * the preview of that mode uses `preview` and selection_mask.  Copied. */
  const NsImage *layer_preview;
  double layer_preview_scale;
  const NsImage *layer_selection_mask;
  /* For the 1:1 view: the pixels OK restyles (the drawable inside the
   * selection's bounds, full size, RGB or RGBA) and, for the second style
   * outside the layer mask, that mask over them (grey, the same size).  NULL:
   * the fitted view only.  Copied. */
  const NsImage *content;
  const NsImage *content_layer_mask;
  /* The named presets' key file; NULL: the user's (ns_presets_default_file()). */
  const char *presets_file;
} NsDialogHost;

/* A new dialog showing `settings`. */
GtkWidget *ns_dialog_new (const NsSettings *settings, const NsDialogHost *host);
/* The settings the dialog shows now. */
void ns_dialog_get_settings (GtkWidget *dialog, NsSettings *settings);
/* Shows `settings` in every control (a preset, the defaults). */
void ns_dialog_set_settings (GtkWidget *dialog, const NsSettings *settings);

/* Runs the dialog modally: TRUE with `settings` updated on OK. */
gboolean ns_dialog_run (NsSettings *settings, const NsDialogHost *host);

/* For tests: the alpha slider, and how many previews have been shown. */
GtkRange *ns_dialog_get_alpha_scale (GtkWidget *dialog);
/* For tests: a control by name (NULL for an unknown name), each also the
 * widget's GtkWidget:name: "style" and "style2" (GtkComboBox whose active ID
 * is a preset's name, a file's path, "layer:ID" for a layer, and "none" for
 * no second style), "style-file" and "style2-file" (GtkFileChooserButton),
 * "method", "colour", "style2-mode" (GtkComboBox, in the order of the enums),
 * "alpha", "style2-weight" (GtkRange), "iterations", "seed", "style-size"
 * (GtkSpinButton), "style-size-as-given" (GtkToggleButton); the presets row
 * (ns-dialog-presets.h): "presets" (GtkComboBoxText whose active ID is a
 * preset's name), "preset-save", "preset-delete", "reset" (GtkButton) and
 * "preset-note" (GtkLabel). */
GtkWidget *ns_dialog_get_widget (GtkWidget *dialog, const char *name);
/* Names a control of the dialog (its GtkWidget:name too) for ns_dialog_get_widget(). */
void ns_dialog_add_widget (GtkWidget *dialog, const char *name, GtkWidget *widget);
/* The text under the preview ("" when there is nothing to say). */
const char *ns_dialog_get_preview_status (GtkWidget *dialog);
guint ns_dialog_get_preview_count (GtkWidget *dialog);
GdkPixbuf *ns_dialog_get_preview_pixbuf (GtkWidget *dialog);
/* For tests: the 1:1 view.  "preview-zoom" (GtkComboBox: Fit, 1:1) and
 * "preview-view" (the GtkScrolledWindow) are widgets of
 * ns_dialog_get_widget().  The last exact region shown and where it lies in
 * the content (NULL before the first), and how many have been shown. */
GdkPixbuf *ns_dialog_get_preview_region (GtkWidget *dialog, int *x, int *y);
guint ns_dialog_get_region_count (GtkWidget *dialog);
/* The last preview error, or NULL. */
const char *ns_dialog_get_preview_error (GtkWidget *dialog);

G_END_DECLS
