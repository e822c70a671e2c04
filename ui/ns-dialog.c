/* The dialog's widgets and their wiring.  The preview is debounced: changes
 * restart a short timer, and only when it fires does a request go to the
 * worker (ns-preview.c), so dragging the slider never waits for the engine.
 * Each request carries a key naming every option but alpha (the styles and
 * their scale, colour preservation, the second style's mix and mode): alpha
 * alone re-renders, anything else prepares anew.  The Gatys method is
 * previewed with AdaIN, as the text under the preview says.  At 1:1
 * (ns-preview-view.c) the region in view is computed as OK computes it, from
 * the host's full-size content and the styles as the run loads them. */
#include "ns-dialog.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include "ns-params.h"
#include "ns-image-io.h"
#include "ns-dialog-presets.h"
#include "ns-preview.h"
#include "ns-preview-view.h"
#include "ns-run-options.h"
#include "ns-styles.h"
#include <string.h>

#define DEBOUNCE_MS 150
#define THUMB_SIDE 48
/* The style scale's bounds (a loaded setting outside them widens them). */

/* COL_UID tells the rows apart: a preset's name, a file's path, "layer:ID", "none". */
enum { COL_THUMB, COL_TEXT, COL_KIND, COL_KEY, COL_ID, COL_UID, N_COLS };
enum { KIND_PRESET, KIND_FILE, KIND_LAYER, KIND_NONE };

/* A style chooser: the combo of presets, layers and files, its file button,
 * and the style as last loaded for the preview. */
typedef struct {
  GtkWidget *combo, *file_button;
  GtkListStore *store;
  char *cache_key;             /* the row and style size the cached image is */
  NsImage *image;              /* that style, scaled for the preview */
  char *run_key;               /* the row the run's style is */
  NsImage *run_image;          /* that style as OK's run loads it, for the 1:1 view */
} StylePicker;

typedef struct {
  GtkWidget *dialog, *method_combo, *alpha_scale, *iterations_spin, *seed_spin, *colour_combo;
  GtkWidget *size_spin, *size_given_check, *style2_weight_scale, *style2_mode_combo;
  GtkWidget *preview_view, *preview_label;
  StylePicker style, style2;
  NsSettings settings;         /* what the dialog does not show */
  NsDialogHost host;
  NsImage *selection_mask, *layer_mask;
  NsImage *layer_preview, *layer_selection_mask;   /* the whole layer, for the second style outside the selection */
  double layer_preview_scale;
  NsPreview *preview;
  guint debounce_id;
  NsImage *full_layer_mask;    /* the host's content_layer_mask */
  int full_width, full_height; /* the host's content, or 0 */
  guint region_debounce_id;
  guint region_count;
  char *region_key;            /* the options of the region shown */
  NsPreviewZoom zoom;          /* the view's zoom when last told */
  guint preview_count;
  char *preview_error;
  char *preview_note;          /* what the preview of the requested options leaves out, or NULL */
  double preview_scale;        /* preview / drawable */
} Dialog;

static Dialog *
get (GtkWidget *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "ns-dialog");
}

static void
picker_clear (StylePicker *p)
{
  g_clear_object (&p->store);
  g_clear_pointer (&p->cache_key, g_free);
  g_clear_pointer (&p->image, ns_image_free);
  g_clear_pointer (&p->run_key, g_free);
  g_clear_pointer (&p->run_image, ns_image_free);
}

static void
dialog_free (gpointer p)
{
  Dialog *d = p;
  if (d->debounce_id != 0)
    g_source_remove (d->debounce_id);
  if (d->region_debounce_id != 0)
    g_source_remove (d->region_debounce_id);
  g_clear_pointer (&d->preview, ns_preview_free);
  g_clear_pointer (&d->full_layer_mask, ns_image_free);
  g_free (d->region_key);
  picker_clear (&d->style);
  picker_clear (&d->style2);
  g_clear_pointer (&d->selection_mask, ns_image_free);
  g_clear_pointer (&d->layer_mask, ns_image_free);
  g_clear_pointer (&d->layer_preview, ns_image_free);
  g_clear_pointer (&d->layer_selection_mask, ns_image_free);
  g_free (d->preview_error);
  g_free (d->preview_note);
  g_free (d);
}

/* --- reading the widgets --------------------------------------------------------- */

/* The selected style's row: kind, key (preset name, file path or layer), ID and row ID. */
static gboolean
selected_style (const StylePicker *p, int *kind, char **key, gint32 *id, char **uid)
{
  GtkTreeIter iter;
  if (!gtk_combo_box_get_active_iter (GTK_COMBO_BOX (p->combo), &iter))
    return FALSE;
  gtk_tree_model_get (GTK_TREE_MODEL (p->store), &iter, COL_KIND, kind, COL_KEY, key, COL_ID, id, COL_UID, uid, -1);
  return TRUE;
}

static gboolean
has_style2 (Dialog *d)
{
  int kind = KIND_NONE;
  g_autofree char *key = NULL, *uid = NULL;
  gint32 id;
  return selected_style (&d->style2, &kind, &key, &id, &uid) && kind != KIND_NONE;
}

static int
style_size (Dialog *d)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (d->size_given_check))
           ? 0 : gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->size_spin));
}

void
ns_dialog_get_settings (GtkWidget *dialog, NsSettings *settings)
{
  Dialog *d = get (dialog);
  NsSettings s = d->settings;
  int kind;
  g_autofree char *key = NULL, *uid = NULL;
  gint32 id;
  if (selected_style (&d->style, &kind, &key, &id, &uid))
    {
      s.style_file[0] = '\0';
      s.style_drawable = -1;
      if (kind == KIND_LAYER)
        s.style_drawable = id;
      else
        g_strlcpy (s.style_file, key, sizeof s.style_file);
    }
  g_clear_pointer (&key, g_free);
  g_clear_pointer (&uid, g_free);
  if (selected_style (&d->style2, &kind, &key, &id, &uid))
    {
      s.style2_file[0] = '\0';
      s.style2_drawable = -1;
      if (kind == KIND_LAYER)
        s.style2_drawable = id;
      else if (kind != KIND_NONE)
        g_strlcpy (s.style2_file, key, sizeof s.style2_file);
    }
  s.method = gtk_combo_box_get_active (GTK_COMBO_BOX (d->method_combo));
  s.alpha = gtk_range_get_value (GTK_RANGE (d->alpha_scale));
  s.iterations = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->iterations_spin));
  s.seed = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->seed_spin));
  s.preserve_colour = gtk_combo_box_get_active (GTK_COMBO_BOX (d->colour_combo));
  s.style_size = style_size (d);
  s.style2_weight = gtk_range_get_value (GTK_RANGE (d->style2_weight_scale));
  s.style2_mode = gtk_combo_box_get_active (GTK_COMBO_BOX (d->style2_mode_combo));
  *settings = s;
}

/* --- the preview ------------------------------------------------------------------ */

static void
show_status (Dialog *d, const char *text)
{
  if (d->preview_label != NULL)
    gtk_label_set_text (GTK_LABEL (d->preview_label), text);
}

static GdkPixbuf *
pixbuf_from_image (const NsImage *image)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, image->width, image->height);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      for (int c = 0; c < 3; c++)
        pixels[y * stride + x * 3 + c] = (guchar) (CLAMP (ns_image_pixel (image, x, y)[c], 0.0f, 1.0f) * 255.0f + 0.5f);
  return pixbuf;
}

/* What the finished preview leaves out: the Gatys method, a mask that is not there. */
static void
show_done_status (Dialog *d)
{
  gboolean gatys = gtk_combo_box_get_active (GTK_COMBO_BOX (d->method_combo)) == NS_METHOD_GATYS;
  g_autoptr (GString) text = g_string_new (NULL);
  if (gatys)
    g_string_append (text, _("The preview shows the AdaIN approximation; the Gatys method computes the final result "
                             "when you press OK."));
  if (gatys && d->full_width > 0)
    g_string_append_printf (text, "\n%s", _("The 1:1 view shows AdaIN's exact result only."));
  if (!gatys && ns_preview_view_get_zoom (d->preview_view) == NS_PREVIEW_ZOOM_ONE_TO_ONE)
    g_string_append_printf (text, "\n%s", _("1:1: the pixels OK will give this region. Drag the image or scroll to "
                                            "see another."));
  if (d->preview_note != NULL)
    g_string_append_printf (text, "\n%s", d->preview_note);
  g_strstrip (text->str);
  show_status (d, text->str);
}

/* The worker's lines while no preview is ready (kernels compiling on first use). */
static void
preview_status (const char *text, gpointer data)
{
  show_status (data, text);
}

/* FALSE, with the error shown and kept, when the worker failed. */
static gboolean
result_arrived (Dialog *d, const GError *error)
{
  g_clear_pointer (&d->preview_error, g_free);
  if (error == NULL)
    return TRUE;
  d->preview_error = g_strdup (error->message);
  show_status (d, error->message);
  return FALSE;
}

static void
preview_ready (NsImage *result, const GError *error, gpointer data)
{
  Dialog *d = data;
  g_autoptr (NsImage) image = result;
  if (!result_arrived (d, error))
    return;
  g_autoptr (GdkPixbuf) pixbuf = pixbuf_from_image (image);
  ns_preview_view_set_fit (d->preview_view, pixbuf);
  d->preview_count++;
  if (d->region_debounce_id == 0 && ns_preview_view_get_zoom (d->preview_view) == NS_PREVIEW_ZOOM_FIT)
    show_done_status (d);
}

static void
region_ready (NsImage *result, int x, int y, const GError *error, gpointer data)
{
  Dialog *d = data;
  g_autoptr (NsImage) image = result;
  if (!result_arrived (d, error))
    return;
  g_autoptr (GdkPixbuf) pixbuf = pixbuf_from_image (image);
  ns_preview_view_set_region (d->preview_view, pixbuf, x, y);
  d->region_count++;
  show_done_status (d);
}

/* A picked style's pixels: a layer's (its shorter side at most max_side) or a file's. */
static NsImage *
load_picked (Dialog *d, int kind, const char *key, gint32 id, int max_side, GError **error)
{
  g_autoptr (NsImage) style = NULL;
  if (kind == KIND_LAYER)
    style = d->host.layer_pixels != NULL ? d->host.layer_pixels (id, max_side, d->host.data) : NULL;
  else
    {
      g_autofree char *path = ns_settings_resolve_style (key);
      style = ns_image_load (path, error);
    }
  if (style == NULL && error != NULL && *error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The style layer could not be read."));
  return g_steal_pointer (&style);
}

/* The picker's style as OK's run loads it (full size), once per style: for the 1:1 view. */
static const NsImage *
run_style (Dialog *d, StylePicker *p, GError **error)
{
  int kind;
  g_autofree char *key = NULL, *uid = NULL;
  gint32 id;
  if (!selected_style (p, &kind, &key, &id, &uid) || kind == KIND_NONE)
    return NULL;
  if (p->run_image != NULL && g_strcmp0 (p->run_key, uid) == 0)
    return p->run_image;
  g_clear_pointer (&p->run_image, ns_image_free);
  g_clear_pointer (&p->run_key, g_free);
  if ((p->run_image = load_picked (d, kind, key, id, NS_MAX_IMAGE_SIDE, error)) != NULL)
    p->run_key = g_steal_pointer (&uid);
  return p->run_image;
}

/* The picker's style for the preview, loaded once per style, style size and
 * preview scale, and scaled like the content (`scale`: the content / the drawable). */
static const NsImage *
preview_style (Dialog *d, StylePicker *p, int size, double scale, GError **error)
{
  int kind;
  g_autofree char *key = NULL, *uid = NULL;
  gint32 id;
  if (!selected_style (p, &kind, &key, &id, &uid) || kind == KIND_NONE)
    return NULL;
  /* Layers of different images may share a name: the row ID tells them apart. */
  g_autofree char *cache_key = g_strdup_printf ("%s\n%d\n%.6f", uid, size, scale);
  if (p->image != NULL && g_strcmp0 (p->cache_key, cache_key) == 0)
    return p->image;
  g_clear_pointer (&p->image, ns_image_free);
  g_clear_pointer (&p->cache_key, g_free);
  g_autoptr (NsImage) style = load_picked (d, kind, key, id, size > 0 ? size : NS_MAX_IMAGE_SIDE, error);
  if (style == NULL)
    return NULL;
  /* The style's brush strokes shrink with the content: the full run's style
   * size (or the style's own) times the preview's scale. */
  int short_side = MIN (style->width, style->height);
  int side = size > 0 ? size : short_side;
  int preview_side = MAX (NS_MIN_IMAGE_SIDE, (int) (side * scale + 0.5));
  if (short_side != preview_side && (short_side > preview_side || size > 0))
    p->image = ns_image_resize_short_side (style, preview_side);
  else
    p->image = g_steal_pointer (&style);
  p->cache_key = g_steal_pointer (&cache_key);
  return p->image;
}

/* The region in view at 1:1, as OK's run computes it: the styles at full
 * size, the full-size content and mask.  A second style outside the
 * selection restyles the whole layer on OK, which this view does not hold. */
static gboolean
request_region (gpointer data)
{
  Dialog *d = data;
  if (d->region_debounce_id != 0)
    g_source_remove (d->region_debounce_id);
  d->region_debounce_id = 0;
  int x, y, width, height;
  if (d->preview == NULL || !ns_preview_view_get_visible (d->preview_view, &x, &y, &width, &height))
    return G_SOURCE_REMOVE;
  NsSettings s;
  ns_dialog_get_settings (d->dialog, &s);
  g_autoptr (GError) error = NULL;
  const NsImage *style = run_style (d, &d->style, &error);
  const NsImage *style2 = style != NULL && has_style2 (d) ? run_style (d, &d->style2, &error) : NULL;
  if (error != NULL || style == NULL)
    {
      show_status (d, error != NULL ? error->message : _("Choose a style."));
      return G_SOURCE_REMOVE;
    }
  const NsImage *mask = NULL;
  if (style2 != NULL && s.style2_mode == NS_STYLE2_OUTSIDE_SELECTION)
    {
      ns_preview_view_set_region (d->preview_view, NULL, 0, 0);
      show_status (d, _("The 1:1 view cannot show the second style outside the selection (OK restyles the whole "
                        "layer then): choose Fit."));
      return G_SOURCE_REMOVE;
    }
  if (style2 != NULL && s.style2_mode == NS_STYLE2_OUTSIDE_LAYER_MASK && (mask = d->full_layer_mask) == NULL)
    style2 = NULL;   /* as the fitted preview, which says so */
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%d\n%d\n%.6f\n%d", d->style.run_key,
                                          style2 != NULL ? d->style2.run_key : "", s.preserve_colour, s.style_size,
                                          style2 != NULL && mask == NULL ? s.style2_weight : 0.0,
                                          style2 != NULL ? s.style2_mode : 0);
  if (g_strcmp0 (key, d->region_key) != 0)   /* the exact pixels of other options are not shown as these */
    {
      ns_preview_view_set_region (d->preview_view, NULL, 0, 0);
      g_free (d->region_key);
      d->region_key = g_strdup (key);
    }
  NsPreviewJob job = {
    .key = key,
    .colour = ns_settings_colour (&s),
    .style = style,
    .style2 = style2,
    .style2_weight = s.style2_weight,
    .mask = mask,
    .style_size = s.style_size,
  };
  show_status (d, _("Computing the 1:1 preview…"));
  ns_preview_request_region (d->preview, &job, s.alpha, x, y, width, height);
  return G_SOURCE_REMOVE;
}

static void
on_view_changed (GtkWidget *view, gpointer data)
{
  Dialog *d = data;
  if (d->region_debounce_id != 0)
    g_source_remove (d->region_debounce_id);
  NsPreviewZoom zoom = ns_preview_view_get_zoom (view);
  d->region_debounce_id = zoom == NS_PREVIEW_ZOOM_ONE_TO_ONE ? g_timeout_add (DEBOUNCE_MS, request_region, d) : 0;
  if (zoom != d->zoom && zoom == NS_PREVIEW_ZOOM_FIT && d->preview_count > 0)   /* back to the overview's words */
    show_done_status (d);
  d->zoom = zoom;
}

static gboolean
request_preview (gpointer data)
{
  Dialog *d = data;
  d->debounce_id = 0;
  if (d->preview == NULL)
    return G_SOURCE_REMOVE;
  NsSettings s;
  ns_dialog_get_settings (d->dialog, &s);
  /* The second style outside the selection restyles the whole layer: so does its preview, if the host gave it. */
  gboolean whole = has_style2 (d) && s.style2_mode == NS_STYLE2_OUTSIDE_SELECTION && d->layer_preview != NULL
                   && d->layer_selection_mask != NULL;
  double scale = whole ? d->layer_preview_scale : d->preview_scale;
  g_autoptr (GError) error = NULL;
  const NsImage *style = preview_style (d, &d->style, s.style_size, scale, &error);
  const NsImage *style2 = style != NULL && has_style2 (d) ? preview_style (d, &d->style2, s.style_size, scale, &error)
                                                          : NULL;
  if (error != NULL || style == NULL)
    {
      show_status (d, error != NULL ? error->message : _("Choose a style."));
      return G_SOURCE_REMOVE;
    }
  const NsImage *mask = NULL;
  g_clear_pointer (&d->preview_note, g_free);
  if (style2 != NULL && s.style2_mode != NS_STYLE2_BLEND)
    {
      mask = whole ? d->layer_selection_mask
           : s.style2_mode == NS_STYLE2_OUTSIDE_SELECTION ? d->selection_mask : d->layer_mask;
      if (mask == NULL)
        {
          d->preview_note = g_strdup (s.style2_mode == NS_STYLE2_OUTSIDE_SELECTION
            ? _("The preview shows the first style only: there is no selection to put the second style outside of.")
            : _("The preview shows the first style only: the layer has no layer mask to put the second style outside of."));
          style2 = NULL;
        }
    }
  /* Everything but alpha: a change of any of it prepares the pair anew. */
  g_autofree char *key = g_strdup_printf ("%s\n%s\n%d\n%d\n%.6f\n%d\n%d", d->style.cache_key,
                                          style2 != NULL ? d->style2.cache_key : "", s.preserve_colour, s.style_size,
                                          style2 != NULL && mask == NULL ? s.style2_weight : 0.0,
                                          style2 != NULL ? s.style2_mode : 0, whole);
  NsPreviewJob job = {
    .key = key,
    .colour = s.preserve_colour == NS_PRESERVE_LUMINANCE ? NS_COLOUR_LUMINANCE
            : s.preserve_colour == NS_PRESERVE_MATCH ? NS_COLOUR_MATCH : NS_COLOUR_NONE,
    .style = style,
    .style2 = style2,
    .style2_weight = s.style2_weight,
    .mask = mask,
    .style_size = 0,   /* the styles are already scaled for the preview */
    .content = whole ? d->layer_preview : NULL,
  };
  show_status (d, _("Computing the preview…"));
  ns_preview_request_job (d->preview, &job, s.alpha);
  request_region (d);
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (Dialog *d)
{
  if (d->preview == NULL)
    return;
  if (d->debounce_id != 0)
    g_source_remove (d->debounce_id);
  d->debounce_id = g_timeout_add (DEBOUNCE_MS, request_preview, d);
}

/* --- building the widgets --------------------------------------------------------- */

static GdkPixbuf *
thumbnail (const char *path)
{
  return gdk_pixbuf_new_from_file_at_scale (path, THUMB_SIDE, THUMB_SIDE, TRUE, NULL);
}

static void
add_file_row (GtkListStore *store, GtkTreeIter *iter, const char *path)
{
  g_autoptr (GdkPixbuf) thumb = thumbnail (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *text = g_markup_printf_escaped ("<b>%s</b>\n%s", base, _("a file"));
  gtk_list_store_insert_with_values (store, iter, -1, COL_THUMB, thumb, COL_TEXT, text, COL_KIND, KIND_FILE,
                                     COL_KEY, path, COL_ID, -1, COL_UID, path, -1);
}

static GtkWidget *
style_combo_new (GtkListStore *store, const char *name)
{
  GtkWidget *combo = gtk_combo_box_new_with_model (GTK_TREE_MODEL (store));
  gtk_widget_set_name (combo, name);
  gtk_combo_box_set_id_column (GTK_COMBO_BOX (combo), COL_UID);
  GtkCellRenderer *pix = gtk_cell_renderer_pixbuf_new ();
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (combo), pix, FALSE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (combo), pix, "pixbuf", COL_THUMB);
  GtkCellRenderer *text = gtk_cell_renderer_text_new ();
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (combo), text, TRUE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (combo), text, "markup", COL_TEXT);
  return combo;
}

/* Both style choosers: the second starts with "None"; the same presets and
 * layers follow in each; the settings' own file, if any, comes last. */
static void
fill_styles (Dialog *d, const NsSettings *s)
{
  StylePicker *pickers[2] = { &d->style, &d->style2 };
  const char *files[2] = { s->style_file, s->style2_file };
  gint32 drawables[2] = { s->style_drawable, s->style2_drawable };
  int active[2] = { -1, -1 }, row[2] = { 0, 0 };
  for (int k = 0; k < 2; k++)
    pickers[k]->store = gtk_list_store_new (N_COLS, GDK_TYPE_PIXBUF, G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING,
                                            G_TYPE_INT, G_TYPE_STRING);
  {
    g_autofree char *text = g_markup_printf_escaped ("<b>%s</b>\n%s", _("None"), _("one style only"));
    gtk_list_store_insert_with_values (d->style2.store, NULL, -1, COL_TEXT, text, COL_KIND, KIND_NONE, COL_KEY, "",
                                       COL_ID, -1, COL_UID, "none", -1);
    if (!ns_settings_has_style2 (s))
      active[1] = 0;
    row[1]++;
  }
  g_autoptr (GPtrArray) presets = ns_style_presets_load ();
  for (guint i = 0; i < presets->len; i++)
    {
      const NsStylePreset *p = presets->pdata[i];
      g_autoptr (GdkPixbuf) thumb = thumbnail (p->path);
      g_autofree char *text = g_markup_printf_escaped ("<b>%s</b>\n%s", p->title, p->artist);
      for (int k = 0; k < 2; k++)
        {
          gtk_list_store_insert_with_values (pickers[k]->store, NULL, -1, COL_THUMB, thumb, COL_TEXT, text, COL_KIND,
                                             KIND_PRESET, COL_KEY, p->name, COL_ID, -1, COL_UID, p->name, -1);
          if (drawables[k] < 0 && g_strcmp0 (files[k], p->name) == 0)
            active[k] = row[k];
          row[k]++;
        }
    }
  for (int i = 0; i < d->host.n_layers; i++)
    {
      g_autofree char *text = g_markup_printf_escaped ("<b>%s</b>\n%s", d->host.layers[i].name, _("a layer"));
      g_autofree char *uid = g_strdup_printf ("layer:%d", d->host.layers[i].id);
      for (int k = 0; k < 2; k++)
        {
          gtk_list_store_insert_with_values (pickers[k]->store, NULL, -1, COL_TEXT, text, COL_KIND, KIND_LAYER,
                                             COL_KEY, d->host.layers[i].name, COL_ID, d->host.layers[i].id,
                                             COL_UID, uid, -1);
          if (drawables[k] == d->host.layers[i].id)
            active[k] = row[k];
          row[k]++;
        }
    }
  for (int k = 0; k < 2; k++)
    {
      if (active[k] < 0 && files[k][0] != '\0' && drawables[k] < 0)
        {
          add_file_row (pickers[k]->store, NULL, files[k]);   /* a file of the user's own */
          active[k] = row[k];
        }
      pickers[k]->combo = style_combo_new (pickers[k]->store, k == 0 ? "style" : "style2");
      gtk_combo_box_set_active (GTK_COMBO_BOX (pickers[k]->combo), MAX (active[k], 0));
    }
}

/* Selects a style in a picker: a layer by its ID, "none" for no second style,
 * else a painting's name or a file (a row is added for a file not listed). */
static void
select_style (StylePicker *p, const char *file, gint32 drawable)
{
  g_autofree char *uid = drawable >= 0 ? g_strdup_printf ("layer:%d", drawable)
                                       : g_strdup (file[0] != '\0' ? file : "none");
  if (gtk_combo_box_set_active_id (GTK_COMBO_BOX (p->combo), uid) || drawable >= 0 || file[0] == '\0')
    return;
  GtkTreeIter iter;
  add_file_row (p->store, &iter, file);
  gtk_combo_box_set_active_iter (GTK_COMBO_BOX (p->combo), &iter);
}

void
ns_dialog_set_settings (GtkWidget *dialog, const NsSettings *s)
{
  Dialog *d = get (dialog);
  d->settings = *s;
  select_style (&d->style, s->style_file, s->style_drawable);
  select_style (&d->style2, s->style2_file, s->style2_drawable);
  gtk_combo_box_set_active (GTK_COMBO_BOX (d->method_combo), s->method);
  gtk_range_set_value (GTK_RANGE (d->alpha_scale), s->alpha);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->iterations_spin), s->iterations);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->seed_spin), s->seed);
  gtk_combo_box_set_active (GTK_COMBO_BOX (d->colour_combo), s->preserve_colour);
  if (s->style_size > 0)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->size_spin), s->style_size);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->size_given_check), s->style_size == 0);
  gtk_range_set_value (GTK_RANGE (d->style2_weight_scale), s->style2_weight);
  gtk_combo_box_set_active (GTK_COMBO_BOX (d->style2_mode_combo), s->style2_mode);
}

static GtkWidget *
file_button_new (const char *title, const char *name)
{
  GtkWidget *button = gtk_file_chooser_button_new (title, GTK_FILE_CHOOSER_ACTION_OPEN);
  gtk_widget_set_name (button, name);
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (button), filter);
  return button;
}

static void
on_file_set (GtkFileChooserButton *button, gpointer data)
{
  StylePicker *p = data;
  g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (button));
  if (path == NULL)
    return;
  if (gtk_combo_box_set_active_id (GTK_COMBO_BOX (p->combo), path))
    return;   /* already there */
  GtkTreeIter iter;
  add_file_row (p->store, &iter, path);
  gtk_combo_box_set_active_iter (GTK_COMBO_BOX (p->combo), &iter);
}

/* Which controls apply: iterations and seed to Gatys, the mix and the mode to a second style. */
static void
update_sensitivity (Dialog *d)
{
  gboolean gatys = gtk_combo_box_get_active (GTK_COMBO_BOX (d->method_combo)) == NS_METHOD_GATYS;
  gtk_widget_set_sensitive (d->iterations_spin, gatys);
  gtk_widget_set_sensitive (d->seed_spin, gatys);
  gtk_widget_set_sensitive (d->alpha_scale, !gatys);   /* Gatys has no strength: its weights decide */
  if (d->preview_view != NULL)   /* the 1:1 view is AdaIN's exact result: Gatys shows the overview */
    {
      GtkWidget *zoom = ns_preview_view_get_zoom_combo (d->preview_view);
      if (gatys)
        gtk_combo_box_set_active (GTK_COMBO_BOX (zoom), NS_PREVIEW_ZOOM_FIT);
      gtk_widget_set_sensitive (zoom, !gatys && d->full_width > 0);
    }
  gboolean second = has_style2 (d);
  gtk_widget_set_sensitive (d->style2_mode_combo, second);
  gtk_widget_set_sensitive (d->style2_weight_scale,
                            second && gtk_combo_box_get_active (GTK_COMBO_BOX (d->style2_mode_combo)) == NS_STYLE2_BLEND);
  gtk_widget_set_sensitive (d->size_spin, !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (d->size_given_check)));
}

static void
on_changed (GtkWidget *widget, gpointer data)
{
  update_sensitivity (data);
  schedule_preview (data);
}


static GtkWidget *
label_for (const char *text, GtkWidget *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  return label;
}

static void
attach_row (GtkWidget *grid, int *row, const char *label, GtkWidget *mnemonic_widget, GtkWidget *widget)
{
  gtk_grid_attach (GTK_GRID (grid), label_for (label, mnemonic_widget), 0, *row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), widget, 1, (*row)++, 1, 1);
}

void
ns_dialog_add_widget (GtkWidget *dialog, const char *name, GtkWidget *widget)
{
  gtk_widget_set_name (widget, name);
  g_autofree char *key = g_strconcat ("ns-widget-", name, NULL);
  g_object_set_data (G_OBJECT (dialog), key, widget);
}

static void
register_widget (Dialog *d, const char *name, GtkWidget *widget)
{
  ns_dialog_add_widget (d->dialog, name, widget);
}

static GtkWidget *
combo_for_param (const char *name, int active)
{
  const NsParam *p = ns_param_find (name);
  GtkWidget *combo = gtk_combo_box_text_new ();
  for (guint i = 0; i < p->n_choices; i++)
    gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (combo), _(p->choices[i].label));
  gtk_combo_box_set_active (GTK_COMBO_BOX (combo), active >= 0 && active < (int) p->n_choices ? active : 0);
  return combo;
}

/* A scale or spin button over the parameter's range. */
static GtkWidget *
scale_for_param (const char *name, double value)
{
  const NsParam *p = ns_param_find (name);
  GtkWidget *scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, p->min, p->max, 0.01);
  gtk_scale_set_digits (GTK_SCALE (scale), 2);
  gtk_range_set_value (GTK_RANGE (scale), value);
  return scale;
}

static GtkWidget *
spin_for_param (const char *name, double value, double step)
{
  const NsParam *p = ns_param_find (name);
  GtkWidget *spin = gtk_spin_button_new_with_range (p->min, p->max, step);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  return spin;
}

/* A parameter's label, with its mnemonic. */
static const char *
label_of (const char *name)
{
  return _(ns_param_find (name)->label);
}

GtkWidget *
ns_dialog_new (const NsSettings *settings, const NsDialogHost *host)
{
  Dialog *d = g_new0 (Dialog, 1);
  d->settings = *settings;
  d->host = *host;
  d->host.selection_mask = d->host.layer_mask = d->host.layer_preview = d->host.layer_selection_mask = NULL;
  d->host.content = d->host.content_layer_mask = NULL;   /* copied into the preview below */
  d->selection_mask = host->selection_mask != NULL ? ns_image_copy (host->selection_mask) : NULL;
  d->layer_mask = host->layer_mask != NULL ? ns_image_copy (host->layer_mask) : NULL;
  d->layer_preview = host->layer_preview != NULL ? ns_image_copy (host->layer_preview) : NULL;
  d->layer_selection_mask = host->layer_selection_mask != NULL ? ns_image_copy (host->layer_selection_mask) : NULL;
  d->layer_preview_scale = host->layer_preview_scale > 0.0 ? host->layer_preview_scale : 1.0;
  if (host->prefer_dark)
    g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);

  d->dialog = gtk_dialog_new_with_buttons (_("Neural Style Transfer"), NULL, 0, _("_Cancel"), GTK_RESPONSE_CANCEL,
                                           _("_OK"), GTK_RESPONSE_OK, NULL);
  g_object_set_data_full (G_OBJECT (d->dialog), "ns-dialog", d, dialog_free);
  gtk_dialog_set_default_response (GTK_DIALOG (d->dialog), GTK_RESPONSE_OK);
  if (host->set_parent != NULL)
    host->set_parent (GTK_WINDOW (d->dialog), host->parent_data);

  GtkWidget *grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_container_set_border_width (GTK_CONTAINER (grid), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (d->dialog))), grid, TRUE, TRUE, 0);

  fill_styles (d, settings);
  d->style.file_button = file_button_new (_("Choose a style image"), "style-file");
  d->style2.file_button = file_button_new (_("Choose a second style image"), "style2-file");

  d->method_combo = combo_for_param ("method", settings->method);

  d->alpha_scale = scale_for_param ("alpha", settings->alpha);
  gtk_widget_set_hexpand (d->alpha_scale, TRUE);

  d->iterations_spin = spin_for_param ("iterations", settings->iterations, 10);
  gtk_widget_set_tooltip_text (d->iterations_spin,
                               _("How many optimisation steps the Gatys method takes in all. An image over 512 "
                                 "pixels is optimised coarse to fine: the steps are shared among its scales, each "
                                 "finer one taking half as many as the one before."));
  d->seed_spin = spin_for_param ("seed", settings->seed, 1);
  gtk_widget_set_tooltip_text (d->seed_spin, _("The random seed of the Gatys method: the same seed gives the same result."));

  d->colour_combo = combo_for_param ("preserve-colour", settings->preserve_colour);
  gtk_widget_set_tooltip_text (d->colour_combo,
                               _("Luminance only transfers the style on brightness and keeps the photo's colours; "
                                 "matching recolours the style to the photo's colours first."));

  /* The style scale: the style's shorter side in pixels, or the style as given. */
  int size = settings->style_size;
  /* 0 ("as given") is the check button's: the spin button holds the sizes. */
  const NsParam *size_param = ns_param_find ("style-size");
  d->size_spin = gtk_spin_button_new_with_range (size_param->nonzero_min, size_param->max, 16);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->size_spin), size > 0 ? size : size_param->default_value);
  d->size_given_check = gtk_check_button_new_with_mnemonic (_("As _given"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->size_given_check), size == 0);
  const char *size_tip = _("Sets the size of the brush strokes: the style image is resized so that its shorter side "
                           "has this many pixels before the transfer; larger values give larger strokes. "
                           "“As given” takes the style image at its own size.");
  gtk_widget_set_tooltip_text (d->size_spin, size_tip);
  gtk_widget_set_tooltip_text (d->size_given_check, size_tip);
  GtkWidget *size_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start (GTK_BOX (size_box), d->size_spin, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (size_box), gtk_label_new (_("pixels")), FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (size_box), d->size_given_check, FALSE, FALSE, 0);

  /* The second style. */
  gtk_widget_set_tooltip_text (d->style2.combo, _("A second style, blended with the first or applied outside "
                                                  "the selection or the layer mask."));
  d->style2_weight_scale = scale_for_param ("style2-weight", settings->style2_weight);
  gtk_widget_set_tooltip_text (d->style2_weight_scale,
                               _("The second style's share of the blend: 0 is the first style only, 1 the second only."));
  d->style2_mode_combo = combo_for_param ("style2-mode", settings->style2_mode);
  gtk_widget_set_tooltip_text (d->style2_mode_combo,
                               _("Where the second style goes: mixed with the first everywhere, or alone where the "
                                 "selection or the layer's mask leaves the layer out (the first style inside)."));

  register_widget (d, "style", d->style.combo);
  register_widget (d, "style-file", d->style.file_button);
  register_widget (d, "method", d->method_combo);
  register_widget (d, "alpha", d->alpha_scale);
  register_widget (d, "iterations", d->iterations_spin);
  register_widget (d, "seed", d->seed_spin);
  register_widget (d, "colour", d->colour_combo);
  register_widget (d, "style-size", d->size_spin);
  register_widget (d, "style-size-as-given", d->size_given_check);
  register_widget (d, "style2", d->style2.combo);
  register_widget (d, "style2-file", d->style2.file_button);
  register_widget (d, "style2-weight", d->style2_weight_scale);
  register_widget (d, "style2-mode", d->style2_mode_combo);

  int row = 0;
  attach_row (grid, &row, label_of ("style-drawable"), d->style.combo, d->style.combo);
  attach_row (grid, &row, label_of ("style-file"), d->style.file_button, d->style.file_button);
  attach_row (grid, &row, label_of ("method"), d->method_combo, d->method_combo);
  attach_row (grid, &row, label_of ("alpha"), d->alpha_scale, d->alpha_scale);
  attach_row (grid, &row, label_of ("iterations"), d->iterations_spin, d->iterations_spin);
  attach_row (grid, &row, label_of ("seed"), d->seed_spin, d->seed_spin);
  attach_row (grid, &row, label_of ("preserve-colour"), d->colour_combo, d->colour_combo);
  attach_row (grid, &row, label_of ("style-size"), d->size_spin, size_box);
  gtk_grid_attach (GTK_GRID (grid), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL), 0, row++, 2, 1);
  attach_row (grid, &row, label_of ("style2-drawable"), d->style2.combo, d->style2.combo);
  attach_row (grid, &row, label_of ("style2-file"), d->style2.file_button, d->style2.file_button);
  attach_row (grid, &row, label_of ("style2-weight"), d->style2_weight_scale, d->style2_weight_scale);
  attach_row (grid, &row, label_of ("style2-mode"), d->style2_mode_combo, d->style2_mode_combo);
  ns_dialog_presets_attach (d->dialog, grid, &row, host->presets_file);

  if (host->preview != NULL)
    {
      GtkWidget *frame = gtk_frame_new (_("Preview"));
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      /* The content as it is until the first result arrives. */
      g_autoptr (GdkPixbuf) original = pixbuf_from_image (host->preview);
      d->full_width = host->content != NULL ? host->content->width : 0;
      d->full_height = host->content != NULL ? host->content->height : 0;
      d->full_layer_mask = host->content_layer_mask != NULL ? ns_image_copy (host->content_layer_mask) : NULL;
      d->preview_view = ns_preview_view_new (original, d->full_width, d->full_height, on_view_changed, d);
      GtkWidget *zoom = ns_preview_view_get_zoom_combo (d->preview_view);
      register_widget (d, "preview-zoom", zoom);
      register_widget (d, "preview-view", ns_preview_view_get_scrolled (d->preview_view));
      GtkWidget *zoom_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_pack_start (GTK_BOX (zoom_box), label_for (_("_Zoom:"), zoom), FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (zoom_box), zoom, FALSE, FALSE, 0);
      d->preview_label = gtk_label_new (_("Computing the preview…"));
      gtk_label_set_line_wrap (GTK_LABEL (d->preview_label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (d->preview_label), 40);
      gtk_box_pack_start (GTK_BOX (box), zoom_box, FALSE, FALSE, 0);
      gtk_box_pack_start (GTK_BOX (box), d->preview_view, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (box), d->preview_label, FALSE, FALSE, 0);
      gtk_container_set_border_width (GTK_CONTAINER (box), 6);
      gtk_container_add (GTK_CONTAINER (frame), box);
      gtk_grid_attach (GTK_GRID (grid), frame, 2, 0, 1, row);
      d->preview = ns_preview_new (host->preview, preview_ready, d);
      ns_preview_set_status_func (d->preview, preview_status, d);
      ns_preview_set_region_func (d->preview, region_ready, d);
      if (host->content != NULL)
        ns_preview_set_full_content (d->preview, host->content);
      d->preview_scale = host->preview_scale > 0.0 ? host->preview_scale : 1.0;
      schedule_preview (d);
    }
  update_sensitivity (d);

  g_signal_connect (d->style.combo, "changed", G_CALLBACK (on_changed), d);
  g_signal_connect (d->style2.combo, "changed", G_CALLBACK (on_changed), d);
  g_signal_connect (d->style.file_button, "file-set", G_CALLBACK (on_file_set), &d->style);
  g_signal_connect (d->style2.file_button, "file-set", G_CALLBACK (on_file_set), &d->style2);
  g_signal_connect (d->method_combo, "changed", G_CALLBACK (on_changed), d);
  g_signal_connect (d->alpha_scale, "value-changed", G_CALLBACK (on_changed), d);
  g_signal_connect (d->colour_combo, "changed", G_CALLBACK (on_changed), d);
  g_signal_connect (d->size_spin, "value-changed", G_CALLBACK (on_changed), d);
  g_signal_connect (d->size_given_check, "toggled", G_CALLBACK (on_changed), d);
  g_signal_connect (d->style2_weight_scale, "value-changed", G_CALLBACK (on_changed), d);
  g_signal_connect (d->style2_mode_combo, "changed", G_CALLBACK (on_changed), d);
  gtk_widget_show_all (grid);
  return d->dialog;
}

gboolean
ns_dialog_run (NsSettings *settings, const NsDialogHost *host)
{
  GtkWidget *dialog = ns_dialog_new (settings, host);
  gboolean ok = gtk_dialog_run (GTK_DIALOG (dialog)) == GTK_RESPONSE_OK;
  if (ok)
    ns_dialog_get_settings (dialog, settings);
  gtk_widget_destroy (dialog);
  return ok;
}

GtkWidget *
ns_dialog_get_widget (GtkWidget *dialog, const char *name)
{
  g_autofree char *key = g_strconcat ("ns-widget-", name, NULL);
  return g_object_get_data (G_OBJECT (dialog), key);
}

const char *
ns_dialog_get_preview_status (GtkWidget *dialog)
{
  Dialog *d = get (dialog);
  return d->preview_label != NULL ? gtk_label_get_text (GTK_LABEL (d->preview_label)) : "";
}

GtkRange *
ns_dialog_get_alpha_scale (GtkWidget *dialog)
{
  return GTK_RANGE (get (dialog)->alpha_scale);
}

guint
ns_dialog_get_preview_count (GtkWidget *dialog)
{
  return get (dialog)->preview_count;
}

GdkPixbuf *
ns_dialog_get_preview_pixbuf (GtkWidget *dialog)
{
  return ns_preview_view_get_fit (get (dialog)->preview_view);
}

GdkPixbuf *
ns_dialog_get_preview_region (GtkWidget *dialog, int *x, int *y)
{
  return ns_preview_view_get_region (get (dialog)->preview_view, x, y);
}

guint
ns_dialog_get_region_count (GtkWidget *dialog)
{
  return get (dialog)->region_count;
}

const char *
ns_dialog_get_preview_error (GtkWidget *dialog)
{
  return get (dialog)->preview_error;
}
