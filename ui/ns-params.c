/* The table of run parameters and the checks and conversions every front end shares. */
#include "ns-params.h"

#include "ns-gatys.h"
#include "ns-i18n.h"
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const NsParamChoice methods[] = {
  { NS_METHOD_ADAIN, "adain", N_("AdaIN (fast)") },
  { NS_METHOD_GATYS, "gatys", N_("Gatys (slow, finest)") },
};

static const NsParamChoice colours[] = {
  { NS_PRESERVE_NONE, "none", N_("None") },
  { NS_PRESERVE_LUMINANCE, "luminance", N_("Luminance only (keep the photo's colours)") },
  { NS_PRESERVE_MATCH, "match", N_("Match the photo's colours") },
};

static const NsParamChoice style2_modes[] = {
  { NS_STYLE2_BLEND, "blend", N_("Blend the two styles everywhere") },
  { NS_STYLE2_OUTSIDE_SELECTION, "outside-selection", N_("Outside the selection") },
  { NS_STYLE2_OUTSIDE_LAYER_MASK, "outside-layer-mask", N_("Outside the layer mask") },
};

#define FIELD(f) offsetof (NsSettings, f)
#define CHOICES(c) (c), G_N_ELEMENTS (c)

/* The order is the procedures' (GIMP 2.10 callers pass them by position). */
static const NsParam params[] = {
  { "method", "method", 'm', N_("_Method:"),
    N_("The method: adain (fast, Huang & Belongie 2017) or gatys (optimisation of the pixels, slow, finest; "
       "Gatys et al. 2016)"),
    NS_PARAM_CHOICE, 0, 1, 0, NS_METHOD_ADAIN, NULL, CHOICES (methods), FIELD (method) },
  { "style-file", NULL, 0, N_("Style _file:"),
    N_("The style: an image file or a bundled painting's name (starry-night, the-scream, ...); empty when "
       "style-drawable is used"),
    NS_PARAM_STYLE, 0, 0, 0, 0, "starry-night", NULL, 0, FIELD (style_file) },
  { "style-drawable", NULL, 0, N_("_Style:"),
    N_("A drawable whose pixels are the style, or none (-1 in GIMP 2.10)"),
    NS_PARAM_DRAWABLE, -1, G_MAXINT32, 0, -1, NULL, NULL, 0, FIELD (style_drawable) },
  { "alpha", "alpha", 'a', N_("Style s_trength:"),
    N_("Style strength, from 0 (the photo) to 1 (the full style); AdaIN only"),
    NS_PARAM_DOUBLE, 0, 1, 0, 1.0, NULL, NULL, 0, FIELD (alpha) },
  { "iterations", "iterations", 'n', N_("_Iterations:"),
    N_("Gatys: optimisation steps in all; an image over 512 pixels is optimised coarse to fine and they are "
       "shared among its scales, each finer one taking half as many as the one before"),
    NS_PARAM_INT, 1, NS_GATYS_MAX_ITERATIONS, 0, 300, NULL, NULL, 0, FIELD (iterations) },
  { "preserve-colour", "preserve-color", 0, N_("Colou_r preservation:"),
    N_("Keep the photo's colours: none, luminance (transfer on luminance only) or match (recolour the style "
       "to the photo's colours first)"),
    NS_PARAM_CHOICE, 0, 2, 0, NS_PRESERVE_NONE, NULL, CHOICES (colours), FIELD (preserve_colour) },
  { "style-size", "style-size", 0, N_("Style sc_ale:"),
    N_("Resize the style so that its shorter side has this many pixels (the size of the brush strokes); "
       "0 takes it as it is"),
    NS_PARAM_INT, 0, NS_MAX_IMAGE_SIDE, NS_MIN_IMAGE_SIDE, 512, NULL, NULL, 0, FIELD (style_size) },
  { "seed", "seed", 0, N_("S_eed:"),
    N_("Gatys: the random seed (the same seed gives the same result)"),
    NS_PARAM_INT, 0, G_MAXINT32, 0, 0, NULL, NULL, 0, FIELD (seed) },
  { "style2-file", NULL, 0, N_("Second style fi_le:"),
    N_("A second style: an image file or a bundled painting's name; empty for none"),
    NS_PARAM_STYLE, 0, 0, 0, 0, "", NULL, 0, FIELD (style2_file) },
  { "style2-drawable", NULL, 0, N_("Seco_nd style:"),
    N_("A drawable whose pixels are the second style, or none (-1 in GIMP 2.10)"),
    NS_PARAM_DRAWABLE, -1, G_MAXINT32, 0, -1, NULL, NULL, 0, FIELD (style2_drawable) },
  { "style2-weight", NULL, 0, N_("Mi_x:"),
    N_("With style2-mode blend: the second style's share of the blend, 0 to 1"),
    NS_PARAM_DOUBLE, 0, 1, 0, 0.5, NULL, NULL, 0, FIELD (style2_weight) },
  { "style2-mode", NULL, 0, N_("_Where:"),
    N_("Where the second style goes: blend (mixed with the first everywhere, by style2-weight), "
       "outside-selection (the first style inside the selection, the second outside; the whole layer is "
       "restyled) or outside-layer-mask (the first where the layer's mask is white, the second where it is "
       "black)"),
    NS_PARAM_CHOICE, 0, 2, 0, NS_STYLE2_BLEND, NULL, CHOICES (style2_modes), FIELD (style2_mode) },
};

const NsParam *
ns_params (guint *n_params)
{
  *n_params = G_N_ELEMENTS (params);
  return params;
}

const NsParam *
ns_param_find (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (params); i++)
    if (g_strcmp0 (params[i].name, name) == 0)
      return &params[i];
  return NULL;
}

const NsParamChoice *
ns_param_choice_by_nick (const NsParam *param, const char *nick)
{
  for (guint i = 0; i < param->n_choices; i++)
    if (g_strcmp0 (param->choices[i].nick, nick) == 0)
      return &param->choices[i];
  return NULL;
}

const NsParamChoice *
ns_param_choice_by_value (const NsParam *param, int value)
{
  for (guint i = 0; i < param->n_choices; i++)
    if (param->choices[i].value == value)
      return &param->choices[i];
  return NULL;
}

static gpointer
field (const NsParam *param, const NsSettings *settings)
{
  return (char *) settings + param->offset;
}

double
ns_param_get_number (const NsParam *param, const NsSettings *settings)
{
  g_return_val_if_fail (param->type != NS_PARAM_STYLE, 0.0);
  if (param->type == NS_PARAM_DOUBLE)
    return *(const double *) field (param, settings);
  return *(const gint32 *) field (param, settings);
}

void
ns_param_set_number (const NsParam *param, NsSettings *settings, double value)
{
  g_return_if_fail (param->type != NS_PARAM_STYLE);
  if (param->type == NS_PARAM_DOUBLE)
    *(double *) field (param, settings) = value;
  else
    *(gint32 *) field (param, settings) = (gint32) CLAMP (value, G_MININT32, G_MAXINT32);
}

const char *
ns_param_get_string (const NsParam *param, const NsSettings *settings)
{
  g_return_val_if_fail (param->type == NS_PARAM_STYLE, "");
  return field (param, settings);
}

gboolean
ns_param_set_string (const NsParam *param, NsSettings *settings, const char *value)
{
  g_return_val_if_fail (param->type == NS_PARAM_STYLE, FALSE);
  const char *v = value != NULL ? value : "";
  if (strlen (v) >= NS_SETTINGS_PATH_MAX)
    return FALSE;
  g_strlcpy (field (param, settings), v, NS_SETTINGS_PATH_MAX);
  return TRUE;
}

char *
ns_param_nicks (const NsParam *param, const char *separator)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < param->n_choices; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? separator : "", param->choices[i].nick);
  return g_string_free (s, FALSE);
}

static gboolean
bad_value (GError **error, char *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  g_free (message);
  return FALSE;
}

gboolean
ns_param_check_number (const NsParam *param, double value, const char *shown_name, GError **error)
{
  char v[G_ASCII_DTOSTR_BUF_SIZE], lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (v, sizeof v, "%.10g", value);
  g_ascii_formatd (lo, sizeof lo, "%.6g", param->min);
  g_ascii_formatd (hi, sizeof hi, "%.10g", param->max);
  if (param->type == NS_PARAM_CHOICE)
    {
      if (value == floor (value) && ns_param_choice_by_value (param, (int) value) != NULL)
        return TRUE;
      g_autofree char *nicks = ns_param_nicks (param, ", ");
      return bad_value (error, g_strdup_printf (_("%s is %s; it must be one of %s (0 to %d)."), shown_name, v, nicks,
                                                (int) param->n_choices - 1));
    }
  if (!isfinite (value) || value < param->min || value > param->max
      || (param->type != NS_PARAM_DOUBLE && value != floor (value)))
    return bad_value (error, param->type == NS_PARAM_DOUBLE
                               ? g_strdup_printf (_("%s is %s; it must lie between %s and %s."), shown_name, v, lo, hi)
                               : g_strdup_printf (_("%s is %s; it must be a whole number from %s to %s."), shown_name,
                                                  v, lo, hi));
  if (param->nonzero_min > 0 && value > 0 && value < param->nonzero_min)
    return bad_value (error, g_strdup_printf (_("%s is %s; it must be 0 or between %d and %s."), shown_name, v,
                                              param->nonzero_min, hi));
  return TRUE;
}

gboolean
ns_param_parse (const NsParam *param, NsSettings *settings, const char *text, const char *shown_name,
                GError **error)
{
  if (param->type == NS_PARAM_STYLE)
    {
      if (ns_param_set_string (param, settings, text))
        return TRUE;
      return bad_value (error, g_strdup_printf (_("%s is too long."), shown_name));
    }
  if (param->type == NS_PARAM_CHOICE)
    {
      const NsParamChoice *choice = ns_param_choice_by_nick (param, text);
      if (choice != NULL)
        {
          ns_param_set_number (param, settings, choice->value);
          return TRUE;
        }
      g_autofree char *nicks = ns_param_nicks (param, ", ");
      return bad_value (error, g_strdup_printf (_("%s is “%s”; it must be one of %s."), shown_name, text, nicks));
    }
  char *end = NULL;
  double value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return bad_value (error, g_strdup_printf (_("%s is “%s”, which is not a number."), shown_name, text));
  if (!ns_param_check_number (param, value, shown_name, error))
    return FALSE;
  ns_param_set_number (param, settings, value);
  return TRUE;
}
