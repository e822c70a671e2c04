#include "cli-options.h"

#include "ns-i18n.h"
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
    }
  *file = g_strdup (spec);
  return TRUE;
}

gboolean
ns_cli_parse_colour (const char *name, NsColourPreservation *colour, GError **error)
{
  if (name == NULL || g_strcmp0 (name, "none") == 0)
    *colour = NS_COLOUR_NONE;
  else if (g_strcmp0 (name, "luminance") == 0)
    *colour = NS_COLOUR_LUMINANCE;
  else if (g_strcmp0 (name, "match") == 0)
    *colour = NS_COLOUR_MATCH;
  else
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--preserve-color is “%s”; it must be none, luminance or match."), name);
      return FALSE;
    }
  return TRUE;
}
