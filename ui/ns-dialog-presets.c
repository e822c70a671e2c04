/* The presets row.  Its widgets are found as the dialog's others are
 * (ns_dialog_get_widget()), so that the tests drive it as a user would. */
#include "ns-dialog-presets.h"

#include "ns-dialog.h"
#include "ns-i18n.h"
#include "ns-presets.h"

typedef struct {
  GtkWidget *dialog, *combo, *delete_button, *note;
  char *file;
  gulong changed_id;
} Presets;

static void
presets_free (gpointer data)
{
  Presets *p = data;
  g_free (p->file);
  g_free (p);
}

/* The note under the row: hidden when there is nothing to say. */
static void
show_note (Presets *p, const char *text)
{
  gtk_label_set_text (GTK_LABEL (p->note), text != NULL ? text : "");
  gtk_widget_set_visible (p->note, text != NULL && *text != '\0');
}

/* The combo anew from the file, with `active` chosen (NULL: none); showing nothing. */
static void
refill (Presets *p, const char *active)
{
  g_signal_handler_block (p->combo, p->changed_id);
  gtk_combo_box_text_remove_all (GTK_COMBO_BOX_TEXT (p->combo));
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = ns_presets_list (p->file, &error);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (p->combo), names[i], names[i]);
  if (active == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (p->combo), active))
    gtk_combo_box_set_active (GTK_COMBO_BOX (p->combo), -1);
  gtk_widget_set_sensitive (p->delete_button, gtk_combo_box_get_active (GTK_COMBO_BOX (p->combo)) >= 0);
  g_signal_handler_unblock (p->combo, p->changed_id);
  if (error != NULL)
    show_note (p, error->message);
}

static void
on_preset_chosen (GtkComboBox *combo, gpointer data)
{
  Presets *p = data;
  const char *name = gtk_combo_box_get_active_id (combo);
  gtk_widget_set_sensitive (p->delete_button, name != NULL);
  if (name == NULL)
    return;
  NsSettings s;
  ns_dialog_get_settings (p->dialog, &s);
  g_autofree char *note = NULL;
  g_autoptr (GError) error = NULL;
  if (ns_preset_load (p->file, name, &s, &note, &error))
    ns_dialog_set_settings (p->dialog, &s);
  show_note (p, error != NULL ? error->message : note);
}

static void
on_reset (GtkButton *button, gpointer data)
{
  Presets *p = data;
  NsSettings s;
  ns_settings_init_defaults (&s);
  ns_dialog_set_settings (p->dialog, &s);
  refill (p, NULL);   /* the settings shown are no preset's now */
  show_note (p, NULL);
}

static void
on_delete (GtkButton *button, gpointer data)
{
  Presets *p = data;
  g_autofree char *name = g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (p->combo)));
  if (name == NULL)
    return;
  g_autoptr (GError) error = NULL;
  g_autofree char *done = NULL;
  if (ns_preset_delete (p->file, name, &error))
    done = g_strdup_printf (_("The preset “%s” was deleted."), name);
  refill (p, error != NULL ? name : NULL);
  show_note (p, error != NULL ? error->message : done);
}

/* The small dialog asking for a name: its entry starts with the chosen
 * preset's; a name that cannot be one is said in it, and it stays open. */
static void
on_save (GtkButton *button, gpointer data)
{
  Presets *p = data;
  GtkWidget *ask = gtk_dialog_new_with_buttons (_("Save the settings as a preset"), GTK_WINDOW (p->dialog),
                                                GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Save"), GTK_RESPONSE_OK, NULL);
  gtk_widget_set_name (ask, "preset-name-dialog");
  gtk_dialog_set_default_response (GTK_DIALOG (ask), GTK_RESPONSE_OK);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  GtkWidget *entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "preset-name");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  const char *chosen = gtk_combo_box_get_active_id (GTK_COMBO_BOX (p->combo));
  gtk_entry_set_text (GTK_ENTRY (entry), chosen != NULL ? chosen : "");
  GtkWidget *label = gtk_label_new_with_mnemonic (_("Preset _name (a preset of the same name is replaced):"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  GtkWidget *error_label = gtk_label_new ("");
  gtk_widget_set_name (error_label, "preset-name-error");
  gtk_label_set_line_wrap (GTK_LABEL (error_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (error_label), 50);
  gtk_widget_set_halign (error_label, GTK_ALIGN_START);
  gtk_box_pack_start (GTK_BOX (box), label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), entry, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), error_label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (ask))), box, TRUE, TRUE, 0);
  gtk_widget_show_all (box);
  NsSettings s;
  ns_dialog_get_settings (p->dialog, &s);
  while (gtk_dialog_run (GTK_DIALOG (ask)) == GTK_RESPONSE_OK)
    {
      g_autofree char *name = g_strstrip (g_strdup (gtk_entry_get_text (GTK_ENTRY (entry))));
      g_autoptr (GError) error = NULL;
      if (ns_preset_save (p->file, name, &s, &error))
        {
          refill (p, name);
          g_autofree char *done = g_strdup_printf (_("The settings were saved as the preset “%s”."), name);
          show_note (p, done);
          break;
        }
      gtk_label_set_text (GTK_LABEL (error_label), error->message);
    }
  gtk_widget_destroy (ask);
}

void
ns_dialog_presets_attach (GtkWidget *dialog, GtkWidget *grid, int *row, const char *presets_file)
{
  Presets *p = g_new0 (Presets, 1);
  p->dialog = dialog;
  p->file = presets_file != NULL ? g_strdup (presets_file) : ns_presets_default_file ();
  g_object_set_data_full (G_OBJECT (dialog), "ns-dialog-presets", p, presets_free);

  p->combo = gtk_combo_box_text_new ();
  gtk_widget_set_hexpand (p->combo, TRUE);
  gtk_widget_set_tooltip_text (p->combo, _("Your saved settings: choosing one shows it in every control."));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("Sa_ve…"));
  gtk_widget_set_tooltip_text (save, _("Save the settings shown under a name of your choice."));
  p->delete_button = gtk_button_new_with_mnemonic (_("_Delete"));
  gtk_widget_set_tooltip_text (p->delete_button, _("Delete the chosen preset."));
  GtkWidget *reset = gtk_button_new_with_mnemonic (_("Reset to defa_ults"));
  gtk_widget_set_tooltip_text (reset, _("Set every control back to its default, and the style to the default painting."));
  p->note = gtk_label_new ("");
  gtk_label_set_line_wrap (GTK_LABEL (p->note), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (p->note), 60);
  gtk_widget_set_halign (p->note, GTK_ALIGN_START);
  gtk_widget_set_no_show_all (p->note, TRUE);
  ns_dialog_add_widget (dialog, "presets", p->combo);
  ns_dialog_add_widget (dialog, "preset-save", save);
  ns_dialog_add_widget (dialog, "preset-delete", p->delete_button);
  ns_dialog_add_widget (dialog, "reset", reset);
  ns_dialog_add_widget (dialog, "preset-note", p->note);

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_pack_start (GTK_BOX (box), p->combo, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), save, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), p->delete_button, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), reset, FALSE, FALSE, 0);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("_Presets:"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), p->combo);
  gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_grid_attach (GTK_GRID (grid), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL), 0, (*row)++, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), label, 0, *row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), box, 1, (*row)++, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), p->note, 0, (*row)++, 2, 1);

  p->changed_id = g_signal_connect (p->combo, "changed", G_CALLBACK (on_preset_chosen), p);
  g_signal_connect (save, "clicked", G_CALLBACK (on_save), p);
  g_signal_connect (p->delete_button, "clicked", G_CALLBACK (on_delete), p);
  g_signal_connect (reset, "clicked", G_CALLBACK (on_reset), p);
  refill (p, NULL);
}
