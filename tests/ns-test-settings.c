#include "ns-test-settings.h"

#include "ns-params.h"
#include <math.h>
#include <string.h>

void
ns_test_settings_unlike_defaults (NsSettings *s)
{
  NsSettings defaults;
  ns_settings_init_defaults (&defaults);
  *s = defaults;
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      double quarter = p->min + 0.25 * (p->max - p->min);
      if (p->type == NS_PARAM_STYLE)
        g_assert_true (ns_param_set_string (p, s, g_strcmp0 (p->default_string, "great-wave") == 0 ? "udnie"
                                                                                                  : "great-wave"));
      else if (p->type == NS_PARAM_CHOICE)
        ns_param_set_number (p, s, p->choices[p->n_choices - 1].value != (int) p->default_value
                                     ? p->choices[p->n_choices - 1].value : p->choices[0].value);
      else if (p->type == NS_PARAM_DOUBLE)
        ns_param_set_number (p, s, p->default_value != quarter ? quarter : p->max);
      else if (p->type == NS_PARAM_INT)
        ns_param_set_number (p, s, p->default_value + 16 <= p->max ? p->default_value + 16 : p->default_value - 16);
    }
  for (guint i = 0; i < n; i++)
    if (params[i].type == NS_PARAM_STYLE)
      g_assert_cmpstr (ns_param_get_string (&params[i], s), !=, ns_param_get_string (&params[i], &defaults));
    else if (params[i].type != NS_PARAM_DRAWABLE)
      g_assert_cmpfloat (ns_param_get_number (&params[i], s), !=, ns_param_get_number (&params[i], &defaults));
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_settings_validate (s, &error));
}

void
ns_test_assert_same_settings (const NsSettings *a, const NsSettings *b)
{
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      gboolean same = p->type == NS_PARAM_STYLE
                        ? strcmp (ns_param_get_string (p, a), ns_param_get_string (p, b)) == 0
                        : fabs (ns_param_get_number (p, a) - ns_param_get_number (p, b)) < 1e-9;
      if (!same)
        g_error ("%s differs", p->name);
    }
}
