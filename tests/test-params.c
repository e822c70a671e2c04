/* The parameter table (ui/ns-params.c) against the front ends made from it:
 * the CLI's options (names, defaults and ranges in --help, every value out of
 * range refused with status 2), the settings' defaults and validation.
 * `test-params --dump` prints the table for the GIMP tests, which compare it
 * with the procedure's arguments in GIMP 3 (test-gimp3-plugin.sh). */
#include "ns-params.h"
#include "ns-test-util.h"
#include <math.h>
#include <string.h>

/* One line a parameter: name, type, default, min, max, choices (nick=value,...). */
static void
dump (void)
{
  static const char *types[] = { "choice", "int", "double", "style", "drawable" };
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      char def[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];
      g_autoptr (GString) choices = g_string_new (NULL);
      for (guint c = 0; c < p->n_choices; c++)
        g_string_append_printf (choices, "%s%s=%d", c > 0 ? "," : "", p->choices[c].nick, p->choices[c].value);
      const char *shown = p->type == NS_PARAM_STYLE ? p->default_string
                        : p->type == NS_PARAM_CHOICE ? ns_param_choice_by_value (p, (int) p->default_value)->nick
                        : g_ascii_formatd (def, sizeof def, "%.10g", p->default_value);
      g_print ("%s|%s|%s|%s|%s|%s\n", p->name, types[p->type], shown, g_ascii_formatd (lo, sizeof lo, "%.10g", p->min),
               g_ascii_formatd (hi, sizeof hi, "%.10g", p->max), choices->str);
    }
}

/* Runs the CLI with `args`; its status, and its stdout and stderr in *out. */
static int
run_cli (const char *const *args, char **out)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) NS_CLI_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, &err, &status,
                               &error));
  g_assert_no_error (error);
  char *joined = g_strconcat (*out, err, NULL);
  g_free (*out);
  *out = joined;
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* Every parameter the CLI has is in its help with the table's default and range. */
static void
test_cli_help (void)
{
  g_autofree char *help = NULL;
  const char *args[] = { "--help", NULL };
  g_assert_cmpint (run_cli (args, &help), ==, 0);
  guint n, seen = 0;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      if (p->cli_name == NULL)
        continue;
      seen++;
      g_autofree char *option = g_strdup_printf ("--%s=", p->cli_name);
      const char *line = strstr (help, option);
      g_assert_nonnull (line);
      g_autofree char *text = g_strndup (line, strcspn (line, "\n"));
      char def[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *expected = p->type == NS_PARAM_CHOICE
        ? g_strdup_printf ("(default %s)", ns_param_choice_by_value (p, (int) p->default_value)->nick)
        : g_strdup_printf ("(default %s; %s to %s)", g_ascii_formatd (def, sizeof def, "%.6g", p->default_value),
                           g_ascii_formatd (lo, sizeof lo, "%.6g", p->min), g_ascii_formatd (hi, sizeof hi, "%.10g", p->max));
      g_test_message ("%s", text);
      g_assert_nonnull (strstr (text, expected));
      for (guint c = 0; c < p->n_choices; c++)
        g_assert_nonnull (strstr (text, p->choices[c].nick));
    }
  g_assert_cmpuint (seen, ==, 6);
}

/* Just outside each range (and a word that is no choice) the CLI refuses the value with status 2, naming the option. */
static void
test_cli_refuses_out_of_range (void)
{
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      if (p->cli_name == NULL)
        continue;
      g_autofree char *option = g_strdup_printf ("--%s", p->cli_name);
      double step = p->type == NS_PARAM_DOUBLE ? 0.01 : 1.0;
      char below[G_ASCII_DTOSTR_BUF_SIZE], above[G_ASCII_DTOSTR_BUF_SIZE], gap[G_ASCII_DTOSTR_BUF_SIZE];
      const char *bad[] = { p->type == NS_PARAM_CHOICE ? "no-such-choice" : g_ascii_formatd (below, sizeof below, "%.10g", p->min - step),
                            p->type == NS_PARAM_CHOICE ? "0" : g_ascii_formatd (above, sizeof above, "%.10g", p->max + step),
                            p->nonzero_min > 1 ? g_ascii_formatd (gap, sizeof gap, "%.10g", p->nonzero_min - 1.0) : "abc" };
      for (guint b = 0; b < G_N_ELEMENTS (bad); b++)
        {
          g_autofree char *out = NULL;
          const char *args[] = { option, bad[b], "--style", "starry-night", "-o", "/tmp/never.png", "x.png", NULL };
          int status = run_cli (args, &out);
          g_test_message ("%s %s: %d %s", option, bad[b], status, out);
          g_assert_cmpint (status, ==, 2);
          g_assert_nonnull (strstr (out, option));
          g_assert_false (g_file_test ("/tmp/never.png", G_FILE_TEST_EXISTS));
        }
    }
}

/* The defaults are valid and are the table's; one step out of any range is refused by the settings too. */
static void
test_settings_follow_table (void)
{
  NsSettings s;
  ns_settings_init_defaults (&s);
  g_assert_true (ns_settings_validate (&s, NULL));
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      if (p->type == NS_PARAM_STYLE)
        {
          g_assert_cmpstr (ns_param_get_string (p, &s), ==, p->default_string);
          continue;
        }
      g_assert_cmpfloat (ns_param_get_number (p, &s), ==, p->default_value);
      NsSettings t = s;
      ns_param_set_number (p, &t, p->max + (p->type == NS_PARAM_DOUBLE ? 0.01 : 1.0));
      g_autoptr (GError) error = NULL;
      if (p->max < G_MAXINT32)
        {
          g_assert_false (ns_settings_validate (&t, &error));
          g_assert_nonnull (strstr (error->message, p->name));
        }
      t = s;
      ns_param_set_number (p, &t, p->min - (p->type == NS_PARAM_DOUBLE ? 0.01 : 1.0));
      g_clear_error (&error);
      g_assert_false (ns_settings_validate (&t, &error));
      g_assert_nonnull (strstr (error->message, p->name));
    }
}

int
main (int argc, char **argv)
{
  if (argc == 2 && strcmp (argv[1], "--dump") == 0)
    {
      dump ();
      return 0;
    }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/params/settings-follow-table", test_settings_follow_table);
  g_test_add_func ("/params/cli-help", test_cli_help);
  g_test_add_func ("/params/cli-refuses-out-of-range", test_cli_refuses_out_of_range);
  return g_test_run ();
}
