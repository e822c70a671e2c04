/* The settings shared by the dialog and the plug-in (ui/ns-settings.c):
 * validation names the parameter, bundled styles resolve to their files,
 * and the key file keeps what survives a restart, ignoring what is broken. */
#include "ns-settings.h"
#include <glib/gstdio.h>

static void
test_defaults_valid (void)
{
  NsSettings s;
  ns_settings_init_defaults (&s);
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_settings_validate (&s, &error));
  g_assert_no_error (error);
}

static void
expect_invalid (const NsSettings *s, const char *words)
{
  g_autoptr (GError) error = NULL;
  g_assert_false (ns_settings_validate (s, &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_test_message ("%s", error->message);
  g_autofree char *lower = g_ascii_strdown (error->message, -1);
  g_assert_nonnull (strstr (lower, words));
}

static void
test_validation_names_parameter (void)
{
  NsSettings s;
  ns_settings_init_defaults (&s);
  s.alpha = -0.1;
  expect_invalid (&s, "alpha");
  ns_settings_init_defaults (&s);
  s.alpha = 0.0 / 0.0;
  expect_invalid (&s, "alpha");
  ns_settings_init_defaults (&s);
  s.method = 2;
  expect_invalid (&s, "method");
  ns_settings_init_defaults (&s);
  s.iterations = 0;
  expect_invalid (&s, "iterations");
  ns_settings_init_defaults (&s);
  s.preserve_colour = 1;
  expect_invalid (&s, "colour preservation");
  ns_settings_init_defaults (&s);
  s.style_size = 15;
  expect_invalid (&s, "style size");
  ns_settings_init_defaults (&s);
  s.style_file[0] = '\0';
  expect_invalid (&s, "give a style");
  ns_settings_init_defaults (&s);
  s.style_drawable = 3;
  expect_invalid (&s, "not both");
  ns_settings_init_defaults (&s);
  s.style_file[0] = '\0';
  s.style_drawable = -5;
  expect_invalid (&s, "style drawable is -5");
}

static void
test_resolve_style (void)
{
  g_autofree char *path = ns_settings_resolve_style ("starry-night");
  g_assert_true (g_str_has_suffix (path, G_DIR_SEPARATOR_S "starry-night.jpg"));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_autofree char *other = ns_settings_resolve_style ("/no/such/file.png");
  g_assert_cmpstr (other, ==, "/no/such/file.png");
  g_autofree char *label = ns_settings_style_label ("/a/b/my.painting.jpg");
  g_assert_cmpstr (label, ==, "my.painting");
}

static void
test_key_file_round_trip (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("ns-settings-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *path = g_build_filename (dir, "neural-style.conf", NULL);

  NsSettings s, loaded;
  ns_settings_init_defaults (&s);
  ns_settings_init_defaults (&loaded);
  g_assert_true (ns_settings_load (&loaded, path, &error));   /* no file yet: no error, defaults kept */
  g_assert_no_error (error);
  g_assert_cmpmem (&loaded, sizeof loaded, &s, sizeof s);

  g_strlcpy (s.style_file, "/some/where/painting.png", sizeof s.style_file);
  s.alpha = 0.6;
  s.iterations = 250;
  s.style_size = 300;
  s.seed = 7;
  g_assert_true (ns_settings_save (&s, path, &error));
  g_assert_no_error (error);
  ns_settings_init_defaults (&loaded);
  g_assert_true (ns_settings_load (&loaded, path, &error));
  g_assert_cmpmem (&loaded, sizeof loaded, &s, sizeof s);

  /* A layer as the style: its ID means nothing after a restart, so the file keeps the last file style. */
  NsSettings with_layer = s;
  with_layer.style_file[0] = '\0';
  with_layer.style_drawable = 12;
  g_assert_true (ns_settings_save (&with_layer, path, &error));
  ns_settings_init_defaults (&loaded);
  g_assert_true (ns_settings_load (&loaded, path, &error));
  g_assert_cmpstr (loaded.style_file, ==, "starry-night");
  g_assert_cmpint (loaded.style_drawable, ==, -1);

  /* A broken value keeps all the settings as they were. */
  g_assert_true (g_file_set_contents (path, "[neural-style]\nalpha=7\niterations=3\n", -1, &error));
  ns_settings_init_defaults (&loaded);
  g_assert_true (ns_settings_load (&loaded, path, &error));
  g_assert_cmpfloat (loaded.alpha, ==, 1.0);
  g_assert_cmpint (loaded.iterations, ==, 500);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/settings/defaults-valid", test_defaults_valid);
  g_test_add_func ("/settings/validation-names-parameter", test_validation_names_parameter);
  g_test_add_func ("/settings/resolve-style", test_resolve_style);
  g_test_add_func ("/settings/key-file", test_key_file_round_trip);
  return g_test_run ();
}
