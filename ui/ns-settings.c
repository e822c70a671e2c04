/* Defaults, validation, style look-up and the key file of NsSettings. */
#include "ns-settings.h"

#include "ns-bundled-styles.h"
#include "ns-params.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include <string.h>

#define GROUP "neural-style"

void
ns_settings_init_defaults (NsSettings *settings)
{
  memset (settings, 0, sizeof *settings);
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    if (params[i].type == NS_PARAM_STYLE)
      ns_param_set_string (&params[i], settings, params[i].default_string);
    else
      ns_param_set_number (&params[i], settings, params[i].default_value);
}

gboolean
ns_settings_has_style2 (const NsSettings *settings)
{
  return settings->style2_file[0] != '\0' || settings->style2_drawable >= 0;
}

static gboolean
bad_value (GError **error, const char *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

/* The checks that involve two parameters, or a string's terminator. */
static gboolean
validate_styles (const NsSettings *s, GError **error)
{
  if (memchr (s->style_file, '\0', sizeof s->style_file) == NULL)
    return bad_value (error, _("The style file's name (style-file) is too long."));
  if (memchr (s->style2_file, '\0', sizeof s->style2_file) == NULL)
    return bad_value (error, _("The second style file's name (style2-file) is too long."));
  if (s->style_file[0] == '\0' && s->style_drawable < 0)
    return bad_value (error, _("Give a style: a style file (or a bundled style's name) or a style drawable."));
  if (s->style_file[0] != '\0' && s->style_drawable >= 0)
    return bad_value (error, _("Give either a style file or a style drawable, not both."));
  if (s->style2_file[0] != '\0' && s->style2_drawable >= 0)
    return bad_value (error, _("Give either a second style file (style2-file) or a second style drawable "
                               "(style2-drawable), not both."));
  return TRUE;
}

gboolean
ns_settings_validate (const NsSettings *s, GError **error)
{
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    if (params[i].type != NS_PARAM_STYLE
        && !ns_param_check_number (&params[i], ns_param_get_number (&params[i], s), params[i].name, error))
      return FALSE;
  return validate_styles (s, error);
}

char *
ns_settings_resolve_style (const char *style)
{
  return ns_bundled_style_resolve (style);
}

char *
ns_settings_style_label (const char *style_file)
{
  g_autofree char *base = g_path_get_basename (style_file);
  char *dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

/* The key of a parameter in the key file: its name with '_' for '-'. */
static char *
key_of (const NsParam *param)
{
  return g_strdelimit (g_strdup (param->name), "-", '_');
}

/* The settings of `group`, each key on its own over `s`: one bad value must
 * not lose the others, and a value out of its range keeps them all. */
void
ns_settings_read_group (NsSettings *s, GKeyFile *file, const char *group)
{
  NsSettings n = *s;
  guint n_params;
  const NsParam *params = ns_params (&n_params);
  for (guint i = 0; i < n_params; i++)
    {
      const NsParam *p = &params[i];
      g_autofree char *key = key_of (p);
      g_autoptr (GError) e = NULL;
      if (p->type == NS_PARAM_DRAWABLE)
        continue;   /* drawable IDs do not survive a restart */
      if (p->type == NS_PARAM_STYLE)
        {
          g_autofree char *style = g_key_file_get_string (file, group, key, NULL);
          /* The first style must name something; the second may be "" (none). */
          gboolean first = strcmp (p->name, "style-file") == 0;
          if (style != NULL && (*style != '\0' || !first) && ns_param_set_string (p, &n, style))
            ns_param_set_number (ns_param_find (first ? "style-drawable" : "style2-drawable"), &n, -1);
          continue;
        }
      double v = p->type == NS_PARAM_DOUBLE ? g_key_file_get_double (file, group, key, &e)
                                            : g_key_file_get_integer (file, group, key, &e);
      if (e == NULL)
        ns_param_set_number (p, &n, v);
    }
  NsSettings checked = n;
  g_strlcpy (checked.style_file, "x", sizeof checked.style_file);   /* the style is judged when it is used */
  checked.style_drawable = -1;
  if (ns_settings_validate (&checked, NULL))
    *s = n;
}

void
ns_settings_write_group (const NsSettings *s, GKeyFile *file, const char *group)
{
  guint n_params;
  const NsParam *params = ns_params (&n_params);
  for (guint i = 0; i < n_params; i++)
    {
      const NsParam *p = &params[i];
      g_autofree char *key = key_of (p);
      char number[G_ASCII_DTOSTR_BUF_SIZE];   /* "0.6", not 0.59999999999999998 */
      if (p->type == NS_PARAM_STYLE)
        g_key_file_set_string (file, group, key, ns_param_get_string (p, s));
      else if (p->type == NS_PARAM_DOUBLE)
        g_key_file_set_value (file, group, key, g_ascii_formatd (number, sizeof number, "%.6g", ns_param_get_number (p, s)));
      else if (p->type != NS_PARAM_DRAWABLE)
        g_key_file_set_integer (file, group, key, (int) ns_param_get_number (p, s));
    }
}

gboolean
ns_settings_load (NsSettings *s, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  ns_settings_read_group (s, file, GROUP);
  return TRUE;
}

gboolean
ns_settings_save (const NsSettings *s, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_key_file_set_comment (file, NULL, NULL, " The last settings of Filters > Artistic > Neural Style Transfer.", NULL);
  ns_settings_write_group (s, file, GROUP);
  return g_key_file_save_to_file (file, path, error);
}
