/* The dialog's widgets and their wiring.  The preview is debounced: changes
 * restart a short timer, and only when it fires does a request go to the
 * worker (ns-preview.c), so dragging the slider never waits for the engine. */
#include "ns-dialog.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include "ns-image-io.h"
#include "ns-preview.h"
#include "ns-styles.h"
#include <gdk/gdkx.h>
#include <string.h>

#define DEBOUNCE_MS 150
#define THUMB_SIDE 48

enum { COL_THUMB, COL_TEXT, COL_KIND, COL_KEY, COL_ID, N_COLS };
enum { KIND_PRESET, KIND_FILE, KIND_LAYER };

typedef struct {
  GtkWidget *dialog, *style_combo, *file_button, *method_combo, *alpha_scale, *iterations_spin, *colour_combo;
  GtkWidget *preview_image, *preview_label;
  GtkListStore *styles;
  NsSettings settings;         /* what the dialog does not show (style size, seed) */
  NsDialogHost host;
  NsPreview *preview;
  guint debounce_id;
  guint preview_count;
  char *preview_error;
  char *style_key;             /* the style the cached image is */
  NsImage *style_image;        /* that style, scaled for the preview */
  double preview_scale;        /* preview / drawable */
} Dialog;

static Dialog *
get (GtkWidget *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "ns-dialog");
}

static void
dialog_free (gpointer p)
{
  Dialog *d = p;
  if (d->debounce_id != 0)
    g_source_remove (d->debounce_id);
  g_clear_pointer (&d->preview, ns_preview_free);
  g_clear_object (&d->styles);
  g_free (d->preview_error);
  g_free (d->style_key);
  g_clear_pointer (&d->style_image, ns_image_free);
  g_free (d);
}

/* --- reading the widgets --------------------------------------------------------- */

/* The selected style's row: kind, key (preset name, file path or layer) and ID. */
static gboolean
selected_style (Dialog *d, int *kind, char **key, gint32 *id)
{
  GtkTreeIter iter;
  if (!gtk_combo_box_get_active_iter (GTK_COMBO_BOX (d->style_combo), &iter))
    return FALSE;
  gtk_tree_model_get (GTK_TREE_MODEL (d->styles), &iter, COL_KIND, kind, COL_KEY, key, COL_ID, id, -1);
  return TRUE;
}

void
ns_dialog_get_settings (GtkWidget *dialog, NsSettings *settings)
{
  Dialog *d = get (dialog);
  NsSettings s = d->settings;
  int kind;
  g_autofree char *key = NULL;
  gint32 id;
  if (selected_style (d, &kind, &key, &id))
    {
      s.style_file[0] = '\0';
      s.style_drawable = -1;
      if (kind == KIND_LAYER)
        s.style_drawable = id;
      else
        g_strlcpy (s.style_file, key, sizeof s.style_file);
    }
  s.method = gtk_combo_box_get_active (GTK_COMBO_BOX (d->method_combo));
  s.alpha = gtk_range_get_value (GTK_RANGE (d->alpha_scale));
  s.iterations = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (d->iterations_spin));
  s.preserve_colour = gtk_combo_box_get_active (GTK_COMBO_BOX (d->colour_combo));
  *settings = s;
}

/* --- the preview ------------------------------------------------------------------ */

static void
show_status (Dialog *d, const char *text)
{
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

static void
preview_ready (NsImage *result, const GError *error, gpointer data)
{
  Dialog *d = data;
  g_autoptr (NsImage) image = result;
  g_clear_pointer (&d->preview_error, g_free);
  if (error != NULL)
    {
      d->preview_error = g_strdup (error->message);
      show_status (d, error->message);
      return;
    }
  g_autoptr (GdkPixbuf) pixbuf = pixbuf_from_image (image);
  gtk_image_set_from_pixbuf (GTK_IMAGE (d->preview_image), pixbuf);
  d->preview_count++;
  show_status (d, gtk_combo_box_get_active (GTK_COMBO_BOX (d->method_combo)) == NS_METHOD_GATYS
                    ? _("The preview shows AdaIN; the Gatys method is not available yet.") : "");
}

/* The style for the preview, loaded once per style and scaled like the content. */
static const NsImage *
preview_style (Dialog *d, const char *key, int kind, gint32 id, GError **error)
{
  if (d->style_image != NULL && g_strcmp0 (d->style_key, key) == 0)
    return d->style_image;
  g_clear_pointer (&d->style_image, ns_image_free);
  g_clear_pointer (&d->style_key, g_free);
  int size = d->settings.style_size;
  g_autoptr (NsImage) style = NULL;
  if (kind == KIND_LAYER)
    style = d->host.layer_pixels != NULL ? d->host.layer_pixels (id, size > 0 ? size : NS_MAX_IMAGE_SIDE, d->host.data)
                                         : NULL;
  else
    {
      g_autofree char *path = ns_settings_resolve_style (key);
      style = ns_image_load (path, error);
    }
  if (style == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The style layer could not be read."));
      return NULL;
    }
  /* The style's brush strokes shrink with the content: the full run's style
   * size (or the style's own) times the preview's scale. */
  int short_side = MIN (style->width, style->height);
  int side = size > 0 ? size : short_side;
  int preview_side = MAX (NS_MIN_IMAGE_SIDE, (int) (side * d->preview_scale + 0.5));
  d->style_image = short_side > preview_side ? ns_image_resize_short_side (style, preview_side)
                                             : g_steal_pointer (&style);
  d->style_key = g_strdup (key);
  return d->style_image;
}

static gboolean
request_preview (gpointer data)
{
  Dialog *d = data;
  d->debounce_id = 0;
  int kind;
  g_autofree char *key = NULL;
  gint32 id;
  if (d->preview == NULL || !selected_style (d, &kind, &key, &id))
    return G_SOURCE_REMOVE;
  g_autoptr (GError) error = NULL;
  /* Layers of different images may share a name: their IDs tell them apart. */
  g_autofree char *cache_key = kind == KIND_LAYER ? g_strdup_printf ("layer %d", id) : g_strdup (key);
  const NsImage *style = preview_style (d, cache_key, kind, id, &error);
  if (style == NULL)
    {
      show_status (d, error->message);
      return G_SOURCE_REMOVE;
    }
  show_status (d, _("Computing the preview…"));
  ns_preview_request (d->preview, style, cache_key, 0, gtk_range_get_value (GTK_RANGE (d->alpha_scale)));
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (Dialog *d)
{
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
fill_styles (Dialog *d, const NsSettings *s)
{
  d->styles = gtk_list_store_new (N_COLS, GDK_TYPE_PIXBUF, G_TYPE_STRING, G_TYPE_INT, G_TYPE_STRING, G_TYPE_INT);
  g_autoptr (GPtrArray) presets = ns_style_presets_load ();
  int active = -1, row = 0;
  for (guint i = 0; i < presets->len; i++, row++)
    {
      const NsStylePreset *p = presets->pdata[i];
      g_autoptr (GdkPixbuf) thumb = thumbnail (p->path);
      g_autofree char *text = g_markup_printf_escaped ("<b>%s</b>\n%s", p->title, p->artist);
      gtk_list_store_insert_with_values (d->styles, NULL, -1, COL_THUMB, thumb, COL_TEXT, text, COL_KIND,
                                         KIND_PRESET, COL_KEY, p->name, COL_ID, -1, -1);
      if (s->style_drawable < 0 && g_strcmp0 (s->style_file, p->name) == 0)
        active = row;
    }
  for (int i = 0; i < d->host.n_layers; i++, row++)
    {
      g_autofree char *text = g_markup_printf_escaped ("<b>%s</b>\n%s", d->host.layers[i].name, _("a layer"));
      gtk_list_store_insert_with_values (d->styles, NULL, -1, COL_TEXT, text, COL_KIND, KIND_LAYER, COL_KEY,
                                         d->host.layers[i].name, COL_ID, d->host.layers[i].id, -1);
      if (s->style_drawable == d->host.layers[i].id)
        active = row;
    }
  if (active < 0 && s->style_file[0] != '\0' && s->style_drawable < 0)
    {
      /* A file of the user's own. */
      g_autoptr (GdkPixbuf) thumb = thumbnail (s->style_file);
      g_autofree char *base = g_path_get_basename (s->style_file);
      g_autofree char *text = g_markup_printf_escaped ("<b>%s</b>\n%s", base, _("a file"));
      gtk_list_store_insert_with_values (d->styles, NULL, -1, COL_THUMB, thumb, COL_TEXT, text, COL_KIND, KIND_FILE,
                                         COL_KEY, s->style_file, COL_ID, -1, -1);
      active = row;
    }
  d->style_combo = gtk_combo_box_new_with_model (GTK_TREE_MODEL (d->styles));
  GtkCellRenderer *pix = gtk_cell_renderer_pixbuf_new ();
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (d->style_combo), pix, FALSE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (d->style_combo), pix, "pixbuf", COL_THUMB);
  GtkCellRenderer *text = gtk_cell_renderer_text_new ();
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (d->style_combo), text, TRUE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (d->style_combo), text, "markup", COL_TEXT);
  gtk_combo_box_set_active (GTK_COMBO_BOX (d->style_combo), MAX (active, 0));
}

static void
on_file_set (GtkFileChooserButton *button, gpointer data)
{
  Dialog *d = data;
  g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (button));
  if (path == NULL)
    return;
  GtkTreeIter iter;
  g_autoptr (GdkPixbuf) thumb = thumbnail (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *text = g_markup_printf_escaped ("<b>%s</b>\n%s", base, _("a file"));
  gtk_list_store_insert_with_values (d->styles, &iter, -1, COL_THUMB, thumb, COL_TEXT, text, COL_KIND, KIND_FILE,
                                     COL_KEY, path, COL_ID, -1, -1);
  gtk_combo_box_set_active_iter (GTK_COMBO_BOX (d->style_combo), &iter);
}

static void
on_changed (GtkWidget *widget, gpointer data)
{
  schedule_preview (data);
}

static void
on_method_changed (GtkComboBox *combo, gpointer data)
{
  Dialog *d = data;
  gtk_widget_set_sensitive (d->iterations_spin, gtk_combo_box_get_active (combo) == NS_METHOD_GATYS);
  schedule_preview (d);
}

static void
on_realize (GtkWidget *widget, gpointer data)
{
  Dialog *d = data;
  GdkDisplay *display = gtk_widget_get_display (widget);
  if (d->host.transient_for_xid == 0 || !GDK_IS_X11_DISPLAY (display))
    return;
  GdkWindow *parent = gdk_x11_window_foreign_new_for_display (display, d->host.transient_for_xid);
  if (parent != NULL)
    {
      gdk_window_set_transient_for (gtk_widget_get_window (widget), parent);
      g_object_unref (parent);
    }
}

static GtkWidget *
label_for (const char *text, GtkWidget *widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  return label;
}

GtkWidget *
ns_dialog_new (const NsSettings *settings, const NsDialogHost *host)
{
  Dialog *d = g_new0 (Dialog, 1);
  d->settings = *settings;
  d->host = *host;
  if (host->prefer_dark)
    g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);

  d->dialog = gtk_dialog_new_with_buttons (_("Neural Style Transfer"), NULL, 0, _("_Cancel"), GTK_RESPONSE_CANCEL,
                                           _("_OK"), GTK_RESPONSE_OK, NULL);
  g_object_set_data_full (G_OBJECT (d->dialog), "ns-dialog", d, dialog_free);
  gtk_dialog_set_default_response (GTK_DIALOG (d->dialog), GTK_RESPONSE_OK);
  g_signal_connect (d->dialog, "realize", G_CALLBACK (on_realize), d);

  GtkWidget *grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_container_set_border_width (GTK_CONTAINER (grid), 12);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (d->dialog))), grid, TRUE, TRUE, 0);

  fill_styles (d, settings);
  d->file_button = gtk_file_chooser_button_new (_("Choose a style image"), GTK_FILE_CHOOSER_ACTION_OPEN);
  GtkFileFilter *filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_pixbuf_formats (filter);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (d->file_button), filter);

  d->method_combo = gtk_combo_box_text_new ();
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (d->method_combo), _("AdaIN (fast)"));
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (d->method_combo), _("Gatys (slow, finest)"));
  gtk_combo_box_set_active (GTK_COMBO_BOX (d->method_combo), settings->method);

  d->alpha_scale = gtk_scale_new_with_range (GTK_ORIENTATION_HORIZONTAL, 0.0, 1.0, 0.01);
  gtk_scale_set_digits (GTK_SCALE (d->alpha_scale), 2);
  gtk_range_set_value (GTK_RANGE (d->alpha_scale), settings->alpha);
  gtk_widget_set_hexpand (d->alpha_scale, TRUE);

  d->iterations_spin = gtk_spin_button_new_with_range (1, NS_ITERATIONS_MAX, 10);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (d->iterations_spin), settings->iterations);
  gtk_widget_set_sensitive (d->iterations_spin, settings->method == NS_METHOD_GATYS);

  d->colour_combo = gtk_combo_box_text_new ();
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (d->colour_combo), _("None"));
  gtk_combo_box_set_active (GTK_COMBO_BOX (d->colour_combo), 0);

  int row = 0;
  gtk_grid_attach (GTK_GRID (grid), label_for (_("_Style:"), d->style_combo), 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), d->style_combo, 1, row++, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), label_for (_("Style _file:"), d->file_button), 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), d->file_button, 1, row++, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), label_for (_("_Method:"), d->method_combo), 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), d->method_combo, 1, row++, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), label_for (_("Style _strength:"), d->alpha_scale), 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), d->alpha_scale, 1, row++, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), label_for (_("_Iterations:"), d->iterations_spin), 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), d->iterations_spin, 1, row++, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), label_for (_("_Colour preservation:"), d->colour_combo), 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), d->colour_combo, 1, row++, 1, 1);

  if (host->preview != NULL)
    {
      GtkWidget *frame = gtk_frame_new (_("Preview"));
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      d->preview_image = gtk_image_new ();
      gtk_widget_set_size_request (d->preview_image, 256, 192);   /* steady layout for small layers */
      d->preview_label = gtk_label_new (_("Computing the preview…"));
      gtk_label_set_line_wrap (GTK_LABEL (d->preview_label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (d->preview_label), 40);
      gtk_box_pack_start (GTK_BOX (box), d->preview_image, TRUE, TRUE, 0);
      gtk_box_pack_start (GTK_BOX (box), d->preview_label, FALSE, FALSE, 0);
      gtk_container_set_border_width (GTK_CONTAINER (box), 6);
      gtk_container_add (GTK_CONTAINER (frame), box);
      gtk_grid_attach (GTK_GRID (grid), frame, 2, 0, 1, row);
      /* The content as it is until the first result arrives. */
      g_autoptr (GdkPixbuf) original = pixbuf_from_image (host->preview);
      gtk_image_set_from_pixbuf (GTK_IMAGE (d->preview_image), original);
      d->preview = ns_preview_new (host->preview, preview_ready, d);
      d->preview_scale = host->preview_scale > 0.0 ? host->preview_scale : 1.0;
      schedule_preview (d);
    }

  g_signal_connect (d->style_combo, "changed", G_CALLBACK (on_changed), d);
  g_signal_connect (d->file_button, "file-set", G_CALLBACK (on_file_set), d);
  g_signal_connect (d->method_combo, "changed", G_CALLBACK (on_method_changed), d);
  g_signal_connect (d->alpha_scale, "value-changed", G_CALLBACK (on_changed), d);
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
  return gtk_image_get_pixbuf (GTK_IMAGE (get (dialog)->preview_image));
}

const char *
ns_dialog_get_preview_error (GtkWidget *dialog)
{
  return get (dialog)->preview_error;
}
