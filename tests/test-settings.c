/* The settings shared by the dialog and the plug-in (ui/ns-settings.c):
 * validation names the parameter, bundled styles resolve to their files,
 * and the key file keeps what survives a restart, ignoring what is broken. */
#include "ns-settings.h"
#include <glib/gstdio.h>
#include <string.h>

static void
test_defaults_valid (void)
{
  NsSettings s;
  ns_settings_init_defaults (&s);
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_settings_validate (&s, &error));
  g_assert_no_error (error);
  /* No second style, an even mix and the blend mode until one is chosen. */
  g_assert_cmpstr (s.style2_file, ==, "");
  g_assert_cmpint (s.style2_drawable, ==, -1);
  g_assert_cmpfloat (s.style2_weight, ==, 0.5);
  g_assert_cmpint (s.style2_mode, ==, NS_STYLE2_BLEND);
  g_assert_false (ns_settings_has_style2 (&s));
  g_assert_cmpint (s.preserve_colour, ==, NS_PRESERVE_NONE);
}

/* Every colour mode and every second-style combination that makes sense is accepted. */
static void
test_valid_values (void)
{
  NsSettings s;
  for (int colour = NS_PRESERVE_NONE; colour <= NS_PRESERVE_MATCH; colour++)
    for (int mode = NS_STYLE2_BLEND; mode <= NS_STYLE2_OUTSIDE_LAYER_MASK; mode++)
      for (int second = 0; second < 3; second++)
        {
          ns_settings_init_defaults (&s);
          s.preserve_colour = colour;
          s.style2_mode = mode;
          s.style2_weight = (second == 0) ? 0.0 : 1.0;
          if (second == 1)
            g_strlcpy (s.style2_file, "the-scream", sizeof s.style2_file);
          else if (second == 2)
            s.style2_drawable = 5;
          g_autoptr (GError) error = NULL;
          g_assert_true (ns_settings_validate (&s, &error));
          g_assert_no_error (error);
          g_assert_true (ns_settings_has_style2 (&s) == (second != 0));
        }
  /* A layer as the first style and a file as the second. */
  ns_settings_init_defaults (&s);
  s.style_file[0] = '\0';
  s.style_drawable = 4;
  g_strlcpy (s.style2_file, "/some/painting.png", sizeof s.style2_file);
  g_assert_true (ns_settings_validate (&s, NULL));
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
  s.preserve_colour = 3;
  expect_invalid (&s, "preserve-colour");
  ns_settings_init_defaults (&s);
  s.preserve_colour = -1;
  expect_invalid (&s, "preserve-colour is -1");
  ns_settings_init_defaults (&s);
  s.style_size = 15;
  expect_invalid (&s, "style-size is 15");
  ns_settings_init_defaults (&s);
  s.style_file[0] = '\0';
  expect_invalid (&s, "give a style");
  ns_settings_init_defaults (&s);
  s.style_drawable = 3;
  expect_invalid (&s, "not both");
  ns_settings_init_defaults (&s);
  s.style_file[0] = '\0';
  s.style_drawable = -5;
  expect_invalid (&s, "style-drawable is -5");
  /* The second style, named as the procedure's parameters are. */
  ns_settings_init_defaults (&s);
  s.style2_drawable = -2;
  expect_invalid (&s, "style2-drawable");
  ns_settings_init_defaults (&s);
  g_strlcpy (s.style2_file, "the-scream", sizeof s.style2_file);
  s.style2_drawable = 9;
  expect_invalid (&s, "style2-file");
  ns_settings_init_defaults (&s);
  memset (s.style2_file, 'a', sizeof s.style2_file);   /* no terminating NUL */
  expect_invalid (&s, "style2-file");
  ns_settings_init_defaults (&s);
  s.style2_weight = 1.5;
  expect_invalid (&s, "style2-weight");
  ns_settings_init_defaults (&s);
  s.style2_weight = -0.01;
  expect_invalid (&s, "style2-weight");
  ns_settings_init_defaults (&s);
  s.style2_weight = 0.0 / 0.0;
  expect_invalid (&s, "style2-weight");
  ns_settings_init_defaults (&s);
  s.style2_mode = 3;
  expect_invalid (&s, "style2-mode");
  ns_settings_init_defaults (&s);
  s.style2_mode = -1;
  expect_invalid (&s, "style2-mode");
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
  s.preserve_colour = NS_PRESERVE_MATCH;
  g_strlcpy (s.style2_file, "the-scream", sizeof s.style2_file);
  s.style2_weight = 0.3;
  s.style2_mode = NS_STYLE2_OUTSIDE_LAYER_MASK;
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

  /* A layer as the second style: after a restart there is no second style. */
  NsSettings with_layer2 = s;
  with_layer2.style2_file[0] = '\0';
  with_layer2.style2_drawable = 13;
  g_assert_true (ns_settings_save (&with_layer2, path, &error));
  ns_settings_init_defaults (&loaded);
  g_strlcpy (loaded.style2_file, "great-wave", sizeof loaded.style2_file);
  g_assert_true (ns_settings_load (&loaded, path, &error));
  g_assert_cmpstr (loaded.style2_file, ==, "");
  g_assert_cmpint (loaded.style2_drawable, ==, -1);
  g_assert_false (ns_settings_has_style2 (&loaded));
  g_assert_cmpfloat (loaded.style2_weight, ==, 0.3);
  g_assert_cmpint (loaded.style2_mode, ==, NS_STYLE2_OUTSIDE_LAYER_MASK);
  g_assert_cmpint (loaded.preserve_colour, ==, NS_PRESERVE_MATCH);

  /* A key file of an older version (no second style) keeps the defaults for it. */
  g_assert_true (g_file_set_contents (path, "[neural-style]\nalpha=0.25\npreserve_colour=1\n", -1, &error));
  ns_settings_init_defaults (&loaded);
  g_assert_true (ns_settings_load (&loaded, path, &error));
  g_assert_cmpfloat (loaded.alpha, ==, 0.25);
  g_assert_cmpint (loaded.preserve_colour, ==, NS_PRESERVE_LUMINANCE);
  g_assert_cmpfloat (loaded.style2_weight, ==, 0.5);
  g_assert_false (ns_settings_has_style2 (&loaded));

  /* A broken second-style value keeps all the settings as they were. */
  g_assert_true (g_file_set_contents (path, "[neural-style]\nalpha=0.25\nstyle2_weight=2\nstyle2_mode=1\n", -1, &error));
  ns_settings_init_defaults (&loaded);
  g_assert_true (ns_settings_load (&loaded, path, &error));
  g_assert_cmpfloat (loaded.alpha, ==, 1.0);
  g_assert_cmpfloat (loaded.style2_weight, ==, 0.5);
  g_assert_cmpint (loaded.style2_mode, ==, NS_STYLE2_BLEND);
  g_assert_true (g_file_set_contents (path, "[neural-style]\npreserve_colour=5\n", -1, &error));
  ns_settings_init_defaults (&loaded);
  g_assert_true (ns_settings_load (&loaded, path, &error));
  g_assert_cmpint (loaded.preserve_colour, ==, NS_PRESERVE_NONE);

  /* A broken value keeps all the settings as they were. */
  g_assert_true (g_file_set_contents (path, "[neural-style]\nalpha=7\niterations=3\n", -1, &error));
  ns_settings_init_defaults (&loaded);
  g_assert_true (ns_settings_load (&loaded, path, &error));
  g_assert_cmpfloat (loaded.alpha, ==, 1.0);
  NsSettings defaults;
  ns_settings_init_defaults (&defaults);
  g_assert_cmpint (loaded.iterations, ==, defaults.iterations);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/settings/defaults-valid", test_defaults_valid);
  g_test_add_func ("/settings/valid-values", test_valid_values);
  g_test_add_func ("/settings/validation-names-parameter", test_validation_names_parameter);
  g_test_add_func ("/settings/resolve-style", test_resolve_style);
  g_test_add_func ("/settings/key-file", test_key_file_round_trip);
  return g_test_run ();
}
