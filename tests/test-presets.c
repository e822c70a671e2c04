/* The named presets (ui/ns-presets.c) and the bundled paintings' names
 * (ui/ns-styles.c), GLib only: a preset saved, listed, loaded and deleted
 * keeps every field of the parameter table (the test walks the table, so a
 * new parameter is covered without a change here); bad names are refused
 * with a sentence; a preset whose style file is gone loads with a note; the
 * defaults are the table's; every title and artist of STYLES.tsv has a
 * translatable message. */
#include "ns-params.h"
#include "ns-presets.h"
#include "ns-styles.h"
#include "ns-test-settings.h"
#include "ns-test-util.h"
#include <glib/gstdio.h>
#include <string.h>

/* A path for the presets file in a fresh folder (the folder is made by saving). */
static char *
presets_file (char **dir)
{
  *dir = ns_test_make_temp_dir ("ns-presets-XXXXXX");
  return g_build_filename (*dir, "config", "gimp-neural-style", "presets.conf", NULL);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = presets_file (&dir);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) none = ns_presets_list (file, &error);   /* no file yet: no presets, no error */
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  NsSettings saved, defaults;
  ns_test_settings_unlike_defaults (&saved);
  ns_settings_init_defaults (&defaults);
  g_assert_true (ns_preset_save (file, "Bold strokes", &saved, &error));
  g_assert_no_error (error);
  g_assert_true (ns_preset_save (file, "夜空", &defaults, &error));
  g_assert_true (ns_preset_save (file, "A quiet one", &defaults, &error));
  g_auto (GStrv) names = ns_presets_list (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  g_assert_cmpstr (names[0], ==, "A quiet one");   /* sorted */
  g_assert_cmpstr (names[1], ==, "Bold strokes");
  g_assert_true (g_strv_contains ((const char *const *) names, "夜空"));

  /* Loaded over the defaults, every field is the saved one. */
  NsSettings loaded = defaults;
  g_autofree char *note = NULL;
  g_assert_true (ns_preset_load (file, "Bold strokes", &loaded, &note, &error));
  g_assert_no_error (error);
  g_assert_null (note);
  ns_test_assert_same_settings (&loaded, &saved);
  g_assert_cmpmem (&loaded, sizeof loaded, &saved, sizeof saved);

  /* And the defaults' preset over those: every field back to its default. */
  g_assert_true (ns_preset_load (file, "夜空", &loaded, NULL, &error));
  g_assert_cmpmem (&loaded, sizeof loaded, &defaults, sizeof defaults);

  /* Saving under a name that exists replaces that preset. */
  g_assert_true (ns_preset_save (file, "夜空", &saved, &error));
  g_assert_true (ns_preset_load (file, "夜空", &loaded, NULL, &error));
  g_assert_cmpmem (&loaded, sizeof loaded, &saved, sizeof saved);

  /* Deleted, it is gone from the list and cannot be loaded or deleted again. */
  g_assert_true (ns_preset_delete (file, "Bold strokes", &error));
  g_assert_no_error (error);
  g_auto (GStrv) left = ns_presets_list (file, &error);
  g_assert_cmpuint (g_strv_length (left), ==, 2);
  g_assert_false (g_strv_contains ((const char *const *) left, "Bold strokes"));
  g_assert_false (ns_preset_load (file, "Bold strokes", &loaded, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“Bold strokes”"));
  g_clear_error (&error);
  g_assert_false (ns_preset_delete (file, "Bold strokes", &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND);
  g_clear_error (&error);
  ns_test_remove_tree (dir);
}

/* A name the key file cannot hold, or that the user could not tell apart, is refused with a sentence. */
static void
test_names (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = presets_file (&dir);
  NsSettings s;
  ns_settings_init_defaults (&s);
  g_autofree char *long_name = g_strnfill (NS_PRESET_NAME_MAX + 1, 'x');
  const char *bad[] = { "", "a[b", "c]", "tab\there", "line\nbreak", " leading", "trailing ", long_name, "\xff\xfe" };
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (ns_preset_save (file, bad[i], &s, &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_test_message ("“%s”: %s", g_utf8_validate (bad[i], -1, NULL) ? bad[i] : "(not UTF-8)", error->message);
      g_assert_true (g_str_has_suffix (error->message, "."));
    }
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));   /* nothing was written */
  g_autofree char *longest = g_strnfill (NS_PRESET_NAME_MAX, 'y');
  const char *good[] = { "Monet, soft (0.5)", "星月夜 · 强", longest, "a=b #c" };
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_true (ns_preset_save (file, good[i], &s, &error));
      g_assert_no_error (error);
    }
  g_auto (GStrv) names = ns_presets_list (file, NULL);
  g_assert_cmpuint (g_strv_length (names), ==, G_N_ELEMENTS (good));
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (g_strv_contains ((const char *const *) names, good[i]));
  ns_test_remove_tree (dir);
}

/* A layer's ID means nothing to another GIMP: a preset refuses it with a sentence. */
static void
test_layer_refused (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = presets_file (&dir);
  NsSettings s;
  ns_settings_init_defaults (&s);
  s.style_file[0] = '\0';
  s.style_drawable = 5;
  g_autoptr (GError) error = NULL;
  g_assert_false (ns_preset_save (file, "layer", &s, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "layer"));
  g_clear_error (&error);
  ns_settings_init_defaults (&s);
  s.style2_drawable = 6;
  g_assert_false (ns_preset_save (file, "layer", &s, &error));
  g_assert_nonnull (strstr (error->message, "second style"));
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  ns_test_remove_tree (dir);
}

/* A preset whose style file was deleted since: the rest loads, the style stays, a note says why. */
static void
test_missing_style (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *file = presets_file (&dir);
  g_autofree char *painting = g_build_filename (dir, "my-painting.png", NULL);
  g_assert_true (g_file_set_contents (painting, "placeholder", -1, NULL));
  NsSettings s;
  ns_settings_init_defaults (&s);
  g_strlcpy (s.style_file, painting, sizeof s.style_file);
  g_strlcpy (s.style2_file, painting, sizeof s.style2_file);
  s.alpha = 0.4;
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_preset_save (file, "mine", &s, &error));
  g_assert_cmpint (g_remove (painting), ==, 0);

  NsSettings current;
  ns_settings_init_defaults (&current);
  g_strlcpy (current.style_file, "the-scream", sizeof current.style_file);
  g_autofree char *note = NULL;
  g_assert_true (ns_preset_load (file, "mine", &current, &note, &error));
  g_assert_no_error (error);
  g_assert_nonnull (note);
  g_test_message ("%s", note);
  g_assert_nonnull (strstr (note, painting));
  g_assert_nonnull (strstr (note, "gone"));
  g_assert_cmpstr (current.style_file, ==, "the-scream");   /* left as it was */
  g_assert_cmpstr (current.style2_file, ==, "");
  g_assert_cmpfloat_with_epsilon (current.alpha, 0.4, 1e-9);   /* the rest is the preset's */
  ns_test_remove_tree (dir);
}

/* A presets file that cannot be read is said, and not overwritten by a save. */
static void
test_broken_file (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-presets-XXXXXX");
  g_autofree char *file = g_build_filename (dir, "presets.conf", NULL);
  const char *broken = "this is not a key file\n[";
  g_assert_true (g_file_set_contents (file, broken, -1, NULL));
  g_autoptr (GError) error = NULL;
  g_assert_null (ns_presets_list (file, &error));
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, file));
  g_clear_error (&error);
  NsSettings s;
  ns_settings_init_defaults (&s);
  g_assert_false (ns_preset_save (file, "x", &s, &error));
  g_autofree char *kept = NULL;
  g_assert_true (g_file_get_contents (file, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, broken);
  ns_test_remove_tree (dir);
}

/* The user's file lives in the per-user configuration folder, not GIMP's. */
static void
test_default_file (void)
{
  g_autofree char *file = ns_presets_default_file ();
  g_autofree char *want = g_build_filename (g_get_user_config_dir (), "gimp-neural-style", "presets.conf", NULL);
  g_assert_cmpstr (file, ==, want);
}

/* The defaults are the table's, field by field. */
static void
test_defaults_are_the_tables (void)
{
  NsSettings s;
  memset (&s, 0x55, sizeof s);
  ns_settings_init_defaults (&s);
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    if (params[i].type == NS_PARAM_STYLE)
      g_assert_cmpstr (ns_param_get_string (&params[i], &s), ==, params[i].default_string);
    else
      g_assert_cmpfloat (ns_param_get_number (&params[i], &s), ==, params[i].default_value);
}

/* Every title and artist of STYLES.tsv has its message in ns-styles.c (and so in po/). */
static void
test_style_names_marked (void)
{
  guint n;
  const char *const *names = ns_style_names (&n);
  g_autoptr (GPtrArray) styles = ns_style_presets_load ();
  g_assert_cmpuint (styles->len, >=, 10);
  for (guint i = 0; i < styles->len; i++)
    {
      const NsStylePreset *p = styles->pdata[i];
      gboolean title = FALSE, artist = FALSE;
      for (guint k = 0; k < n; k++)
        title |= strcmp (names[k], p->title) == 0, artist |= strcmp (names[k], p->artist) == 0;
      if (!title || !artist)
        g_error ("%s: “%s” by “%s” has no message in ui/ns-styles.c", p->name, p->title, p->artist);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/presets/round-trip", test_round_trip);
  g_test_add_func ("/presets/names", test_names);
  g_test_add_func ("/presets/layer-refused", test_layer_refused);
  g_test_add_func ("/presets/missing-style", test_missing_style);
  g_test_add_func ("/presets/broken-file", test_broken_file);
  g_test_add_func ("/presets/default-file", test_default_file);
  g_test_add_func ("/presets/defaults-are-the-tables", test_defaults_are_the_tables);
  g_test_add_func ("/styles/names-marked", test_style_names_marked);
  return g_test_run ();
}
