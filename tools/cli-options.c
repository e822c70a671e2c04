#include "cli-options.h"

#include "ns-i18n.h"
#include "ns-params.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

gboolean
ns_cli_parse_weighted_style (const char *spec, char **file, double *weight, GError **error)
{
  const char *colon = strrchr (spec, ':');
  *weight = 1.0;
  if (colon != NULL && colon != spec && colon[1] != '\0')
    {
      char *end = NULL;
      double w = g_ascii_strtod (colon + 1, &end);
      if (end != NULL && *end == '\0')
        {
          if (!(w >= 0 && isfinite (w)))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The weight of the style “%s” must be a number of 0 or more."), spec);
              return FALSE;
            }
          *weight = w;
          *file = g_strndup (spec, colon - spec);
          return TRUE;
        }
      /* Not a number after the colon: a file whose name has a colon, or a mistyped weight. */
      if (!g_file_test (spec, G_FILE_TEST_EXISTS))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("The weight of the style “%s” is “%s”, which is not a number (and no file has that name)."),
                       spec, colon + 1);
          return FALSE;
        }
    }
  *file = g_strdup (spec);
  return TRUE;
}

typedef struct {
  NsSettings *settings;
  GPtrArray *strings;
} ParamGroup;

static void
param_group_free (gpointer data)
{
  ParamGroup *group = data;
  g_ptr_array_unref (group->strings);
  g_free (group);
}

static gboolean
parse_param (const char *option_name, const char *value, gpointer data, GError **error)
{
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      gboolean is_long = g_str_has_prefix (option_name, "--") && g_strcmp0 (option_name + 2, p->cli_name) == 0;
      gboolean is_short = p->cli_short != 0 && option_name[0] == '-' && option_name[1] == p->cli_short
                          && option_name[2] == '\0';
      if (p->cli_name != NULL && (is_long || is_short))
        {
          g_autofree char *shown = g_strconcat ("--", p->cli_name, NULL);
          return ns_param_parse (p, ((ParamGroup *) data)->settings, value, shown, error);
        }
    }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION, "%s", option_name);
  return FALSE;
}

/* The help of a parameter: its sentence and its default. */
static char *
param_help (const NsParam *p)
{
  char def[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];
  if (p->type == NS_PARAM_CHOICE)
    return g_strdup_printf (_("%s (default %s)"), _(p->help),
                            ns_param_choice_by_value (p, (int) p->default_value)->nick);
  return g_strdup_printf (_("%s (default %s; %s to %s)"), _(p->help),
                          g_ascii_formatd (def, sizeof def, "%.6g", p->default_value),
                          g_ascii_formatd (lo, sizeof lo, "%.6g", p->min),
                          g_ascii_formatd (hi, sizeof hi, "%.10g", p->max));
}

/* What stands for the value in the help: the choices, or a letter. */
static char *
param_arg (const NsParam *p)
{
  if (p->type != NS_PARAM_CHOICE)
    return g_strdup (p->type == NS_PARAM_DOUBLE ? "A" : "N");
  return ns_param_nicks (p, "|");
}

GOptionGroup *
ns_cli_param_group (NsSettings *settings)
{
  ns_settings_init_defaults (settings);
  /* The entries' strings live as long as the group, which frees its user data. */
  ParamGroup *data = g_new0 (ParamGroup, 1);
  data->settings = settings;
  data->strings = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *strings = data->strings;
  GOptionGroup *group = g_option_group_new ("neural-style", "", "", data, param_group_free);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      if (p->cli_name == NULL)
        continue;
      char *help = param_help (p), *arg = param_arg (p);
      g_ptr_array_add (strings, help);
      g_ptr_array_add (strings, arg);
      GOptionEntry entry[] = {
        { p->cli_name, p->cli_short, 0, G_OPTION_ARG_CALLBACK, parse_param, help, arg },
        { NULL },
      };
      g_option_group_add_entries (group, entry);
    }
  return group;
}

NsRuntime *
ns_cli_runtime_new (int device, NsKernelProgress progress, GError **error)
{
  NsRuntime *runtime = ns_runtime_new_from_environment (device, error);
  if (runtime != NULL)
    ns_runtime_set_kernel_progress (runtime, progress, NULL);
  return runtime;
}

gboolean
ns_cli_check_device (int *device, GError **error)
{
  if (*device == NS_CLI_DEVICE_UNSET)
    *device = -1;
  else if (*device < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--device is %d; it must be a device's number from --list-devices (0 or more)."), *device);
      return FALSE;
    }
  return TRUE;
}
