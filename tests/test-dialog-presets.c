/* The dialog's presets row (ui/ns-dialog-presets.c) under Xvfb, driven through
 * its widgets as a user would: Reset to defaults brings every field back to
 * the parameter table's default (the test walks the table, so a new parameter
 * is covered without a change here); Save… asks for a name, refuses a bad one
 * in its own window with a sentence, and saves; choosing the preset shows
 * every field of it; Delete removes it; a preset whose style file is gone
 * loads with a note; the style picker shows the paintings' titles and artists
 * through gettext ($NSTEST_TITLE and $NSTEST_ARTIST: what the first painting
 * must show, for the run in Chinese, tests/test-style-names-zh.sh). */
#include "ns-dialog.h"
#include "ns-i18n.h"
#include "ns-params.h"
#include "ns-presets.h"
#include "ns-test-settings.h"
#include "ns-test-util.h"
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

static GtkWidget *
widget (GtkWidget *dialog, const char *name, GType type)
{
  GtkWidget *w = ns_dialog_get_widget (dialog, name);
  g_assert_nonnull (w);
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (w, type));
  return w;
}

static GtkWidget *
new_dialog (const NsSettings *settings, const char *file)
{
  NsDialogHost host = { .presets_file = file };
  return ns_dialog_new (settings, &host);
}

/* Every field unlike its default, then Reset to defaults: every field is the table's default. */
static void
test_reset (void)
{
  NsSettings s, shown, defaults;
  ns_test_settings_unlike_defaults (&s);
  ns_settings_init_defaults (&defaults);
  g_autofree char *dir = ns_test_make_temp_dir ("ns-dialog-presets-XXXXXX");
  g_autofree char *file = g_build_filename (dir, "presets.conf", NULL);
  GtkWidget *dialog = new_dialog (&s, file);
  ns_dialog_get_settings (dialog, &shown);
  ns_test_assert_same_settings (&shown, &s);   /* the dialog shows every field as given */
  gtk_button_clicked (GTK_BUTTON (widget (dialog, "reset", GTK_TYPE_BUTTON)));
  ns_dialog_get_settings (dialog, &shown);
  ns_test_assert_same_settings (&shown, &defaults);
  g_assert_cmpmem (&shown, sizeof shown, &defaults, sizeof defaults);
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "style"))), ==,
                   "starry-night");
  gtk_widget_destroy (dialog);
  ns_test_remove_tree (dir);
}

/* The name window Save… opened, or NULL while it is not shown. */
static GtkWidget *
name_window (void)
{
  g_autoptr (GList) windows = gtk_window_list_toplevels ();
  for (GList *l = windows; l != NULL; l = l->next)
    if (gtk_widget_get_visible (l->data) && strcmp (gtk_widget_get_name (l->data), "preset-name-dialog") == 0)
      return l->data;
  return NULL;
}

/* A widget named `name` under `parent`, or NULL. */
static GtkWidget *
find_named (GtkWidget *parent, const char *name)
{
  if (strcmp (gtk_widget_get_name (parent), name) == 0)
    return parent;
  if (!GTK_IS_CONTAINER (parent))
    return NULL;
  g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (parent));
  for (GList *c = children; c != NULL; c = c->next)
    {
      GtkWidget *found = find_named (c->data, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What the user types in the name window, one name per showing of it; the last is saved. */
typedef struct {
  const char *const *names;
  guint next;
  char *errors;       /* the sentences the window showed, joined */
} Typing;

static gboolean
type_name (gpointer data)
{
  Typing *t = data;
  GtkWidget *window = name_window ();
  if (window == NULL)
    return G_SOURCE_CONTINUE;
  GtkWidget *error_label = find_named (window, "preset-name-error");
  g_assert_nonnull (error_label);
  const char *error = gtk_label_get_text (GTK_LABEL (error_label));
  if (t->next > 0)
    {
      /* The last name was refused: the window says why and is still open. */
      g_assert_cmpstr (error, !=, "");
      g_autofree char *errors = t->errors;
      t->errors = g_strconcat (errors != NULL ? errors : "", error, "\n", NULL);
    }
  gtk_entry_set_text (GTK_ENTRY (find_named (window, "preset-name")), t->names[t->next++]);
  gtk_dialog_response (GTK_DIALOG (window), GTK_RESPONSE_OK);
  return t->names[t->next] != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Save… with bad names, then a good one; choose it after a reset; Delete. */
static void
test_save_choose_delete (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-dialog-presets-XXXXXX");
  g_autofree char *file = g_build_filename (dir, "presets.conf", NULL);
  NsSettings s, shown, defaults;
  ns_test_settings_unlike_defaults (&s);
  ns_settings_init_defaults (&defaults);
  GtkWidget *dialog = new_dialog (&s, file);
  gtk_widget_show (dialog);
  GtkComboBox *presets = GTK_COMBO_BOX (widget (dialog, "presets", GTK_TYPE_COMBO_BOX_TEXT));
  GtkWidget *delete = widget (dialog, "preset-delete", GTK_TYPE_BUTTON);
  GtkWidget *note = widget (dialog, "preset-note", GTK_TYPE_LABEL);
  g_assert_cmpint (gtk_tree_model_iter_n_children (gtk_combo_box_get_model (presets), NULL), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (delete));   /* nothing to delete */

  const char *names[] = { "", "bad [name]", "  Bold strokes  ", NULL };
  Typing typing = { names, 0, NULL };
  g_timeout_add (100, type_name, &typing);
  gtk_button_clicked (GTK_BUTTON (widget (dialog, "preset-save", GTK_TYPE_BUTTON)));
  g_test_message ("refused: %s", typing.errors);
  g_assert_nonnull (strstr (typing.errors, "Give the preset a name."));
  g_assert_nonnull (strstr (typing.errors, "“[”"));
  g_free (typing.errors);
  g_assert_null (name_window ());
  /* Saved (its name without the spaces around it), listed and chosen. */
  g_auto (GStrv) saved = ns_presets_list (file, NULL);
  g_assert_cmpuint (g_strv_length (saved), ==, 1);
  g_assert_cmpstr (saved[0], ==, "Bold strokes");
  g_assert_cmpstr (gtk_combo_box_get_active_id (presets), ==, "Bold strokes");
  g_assert_true (gtk_widget_get_sensitive (delete));
  g_test_message ("note: %s", gtk_label_get_text (GTK_LABEL (note)));

  /* Reset, then choosing the preset shows every field of it. */
  gtk_button_clicked (GTK_BUTTON (widget (dialog, "reset", GTK_TYPE_BUTTON)));
  g_assert_null (gtk_combo_box_get_active_id (presets));
  ns_dialog_get_settings (dialog, &shown);
  ns_test_assert_same_settings (&shown, &defaults);
  g_assert_true (gtk_combo_box_set_active_id (presets, "Bold strokes"));
  ns_dialog_get_settings (dialog, &shown);
  ns_test_assert_same_settings (&shown, &s);
  g_assert_cmpmem (&shown, sizeof shown, &s, sizeof s);
  g_assert_false (gtk_widget_get_visible (note));   /* nothing to say */

  /* A second dialog (the next time the filter opens) lists it too. */
  GtkWidget *other = new_dialog (&defaults, file);
  GtkComboBox *other_presets = GTK_COMBO_BOX (ns_dialog_get_widget (other, "presets"));
  g_assert_true (gtk_combo_box_set_active_id (other_presets, "Bold strokes"));
  ns_dialog_get_settings (other, &shown);
  ns_test_assert_same_settings (&shown, &s);
  gtk_widget_destroy (other);

  gtk_button_clicked (GTK_BUTTON (delete));
  g_auto (GStrv) left = ns_presets_list (file, NULL);
  g_assert_cmpuint (g_strv_length (left), ==, 0);
  g_assert_cmpint (gtk_tree_model_iter_n_children (gtk_combo_box_get_model (presets), NULL), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (delete));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (note)), "Bold strokes"));
  ns_dialog_get_settings (dialog, &shown);
  ns_test_assert_same_settings (&shown, &s);   /* deleting a preset changes no control */
  gtk_widget_destroy (dialog);
  ns_test_remove_tree (dir);
}

/* A preset whose style file was deleted: the rest is shown, the style stays, the note says why. */
static void
test_missing_style (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-dialog-presets-XXXXXX");
  g_autofree char *file = g_build_filename (dir, "presets.conf", NULL);
  g_autofree char *gone = g_build_filename (dir, "gone.png", NULL);
  g_autofree char *text = g_strdup_printf ("[old]\nstyle_file=%s\nalpha=0.3\nmethod=1\n", gone);
  g_assert_true (g_file_set_contents (file, text, -1, NULL));
  NsSettings s, shown;
  ns_settings_init_defaults (&s);
  g_strlcpy (s.style_file, "the-scream", sizeof s.style_file);
  GtkWidget *dialog = new_dialog (&s, file);
  gtk_widget_show (dialog);
  GtkWidget *note = widget (dialog, "preset-note", GTK_TYPE_LABEL);
  g_assert_false (gtk_widget_get_visible (note));
  g_assert_true (gtk_combo_box_set_active_id (GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "presets")), "old"));
  ns_dialog_get_settings (dialog, &shown);
  g_assert_cmpstr (shown.style_file, ==, "the-scream");
  g_assert_cmpfloat_with_epsilon (shown.alpha, 0.3, 1e-9);
  g_assert_cmpint (shown.method, ==, NS_METHOD_GATYS);
  g_test_message ("note: %s", gtk_label_get_text (GTK_LABEL (note)));
  g_assert_true (gtk_widget_get_visible (note));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (note)), gone));
  gtk_widget_destroy (dialog);
  ns_test_remove_tree (dir);
}

/* The style picker's row of the first painting shows its title and artist,
 * translated ($NSTEST_TITLE, $NSTEST_ARTIST: the words expected; English otherwise). */
static void
test_painting_names (void)
{
  const char *title = g_getenv ("NSTEST_TITLE"), *artist = g_getenv ("NSTEST_ARTIST");
  NsSettings s;
  ns_settings_init_defaults (&s);
  GtkWidget *dialog = new_dialog (&s, "/nonexistent/presets.conf");
  GtkComboBox *style = GTK_COMBO_BOX (ns_dialog_get_widget (dialog, "style"));
  g_assert_true (gtk_combo_box_set_active_id (style, "starry-night"));
  GtkTreeIter iter;
  g_assert_true (gtk_combo_box_get_active_iter (style, &iter));
  g_autofree char *markup = NULL;
  gtk_tree_model_get (gtk_combo_box_get_model (style), &iter, 1, &markup, -1);   /* the text column */
  g_test_message ("the picker shows: %s", markup);
  g_assert_nonnull (strstr (markup, title != NULL ? title : "The Starry Night"));
  g_assert_nonnull (strstr (markup, artist != NULL ? artist : "Vincent van Gogh"));
  gtk_widget_destroy (dialog);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check (&argc, &argv))
    g_error ("no display: run this test under xvfb-run");
  /* The build's catalogue, for the run in Chinese. */
  const char *localedir = g_getenv ("NEURAL_STYLE_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : NS_TEST_BUILD_DIR "/../po");
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_add_func ("/dialog-presets/reset", test_reset);
  g_test_add_func ("/dialog-presets/save-choose-delete", test_save_choose_delete);
  g_test_add_func ("/dialog-presets/missing-style", test_missing_style);
  g_test_add_func ("/dialog-presets/painting-names", test_painting_names);
  return g_test_run ();
}
