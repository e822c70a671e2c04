/* Defaults, validation, style look-up and the key file of NsSettings. */
#include "ns-settings.h"

#include "ns-bundled-styles.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include <string.h>

#define GROUP "neural-style"

void
ns_settings_init_defaults (NsSettings *settings)
{
  memset (settings, 0, sizeof *settings);
  settings->method = NS_METHOD_ADAIN;
  g_strlcpy (settings->style_file, "starry-night", sizeof settings->style_file);
  settings->style_drawable = -1;
  settings->alpha = 1.0;
  settings->iterations = 500;
  settings->preserve_colour = NS_PRESERVE_NONE;
  settings->style_size = 512;
  settings->seed = 0;
  settings->style2_file[0] = '\0';
  settings->style2_drawable = -1;
  settings->style2_weight = 0.5;
  settings->style2_mode = NS_STYLE2_BLEND;
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

gboolean
ns_settings_validate (const NsSettings *s, GError **error)
{
  g_autofree char *message = NULL;
  if (s->method != NS_METHOD_ADAIN && s->method != NS_METHOD_GATYS)
    message = g_strdup_printf (_("The method is %d; it must be 0 (AdaIN) or 1 (Gatys)."), s->method);
  else if (memchr (s->style_file, '\0', sizeof s->style_file) == NULL)
    return bad_value (error, _("The style file's name is too long."));
  else if (s->style_drawable < -1)
    message = g_strdup_printf (_("The style drawable is %d; it must be a drawable's ID or -1 for none."),
                               s->style_drawable);
  else if (s->style_file[0] == '\0' && s->style_drawable < 0)
    return bad_value (error, _("Give a style: a style file (or a bundled style's name) or a style drawable."));
  else if (s->style_file[0] != '\0' && s->style_drawable >= 0)
    return bad_value (error, _("Give either a style file or a style drawable, not both."));
  else if (!(s->alpha >= 0.0 && s->alpha <= 1.0))
    message = g_strdup_printf (_("The alpha is %g; it must lie between 0 and 1."), s->alpha);
  else if (s->iterations < 1 || s->iterations > NS_ITERATIONS_MAX)
    message = g_strdup_printf (_("The iterations are %d; they must lie between 1 and %d."), s->iterations,
                               NS_ITERATIONS_MAX);
  else if (s->preserve_colour != NS_PRESERVE_NONE && s->preserve_colour != NS_PRESERVE_LUMINANCE
           && s->preserve_colour != NS_PRESERVE_MATCH)
    message = g_strdup_printf (_("The colour preservation (preserve-colour) is %d; it must be 0 (none), "
                                 "1 (luminance) or 2 (match)."), s->preserve_colour);
  else if (s->style_size != 0 && (s->style_size < NS_MIN_IMAGE_SIDE || s->style_size > NS_MAX_IMAGE_SIDE))
    message = g_strdup_printf (_("The style size is %d; it must be 0 (the style as given) or between %d and %d pixels."),
                               s->style_size, NS_MIN_IMAGE_SIDE, NS_MAX_IMAGE_SIDE);
  else if (memchr (s->style2_file, '\0', sizeof s->style2_file) == NULL)
    return bad_value (error, _("The second style file's name (style2-file) is too long."));
  else if (s->style2_drawable < -1)
    message = g_strdup_printf (_("The second style drawable (style2-drawable) is %d; it must be a drawable's ID "
                                 "or -1 for none."), s->style2_drawable);
  else if (s->style2_file[0] != '\0' && s->style2_drawable >= 0)
    return bad_value (error, _("Give either a second style file (style2-file) or a second style drawable "
                               "(style2-drawable), not both."));
  else if (!(s->style2_weight >= 0.0 && s->style2_weight <= 1.0))
    message = g_strdup_printf (_("The second style's weight (style2-weight) is %g; it must lie between 0 and 1."),
                               s->style2_weight);
  else if (s->style2_mode != NS_STYLE2_BLEND && s->style2_mode != NS_STYLE2_OUTSIDE_SELECTION
           && s->style2_mode != NS_STYLE2_OUTSIDE_LAYER_MASK)
    message = g_strdup_printf (_("The second style's mode (style2-mode) is %d; it must be 0 (blend), "
                                 "1 (outside the selection) or 2 (outside the layer mask)."), s->style2_mode);
  if (message != NULL)
    return bad_value (error, message);
  return TRUE;
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
  /* Each key on its own: one bad value must not lose the others. */
  NsSettings n = *s;
  g_autoptr (GError) e = NULL;
#define GET(field, getter)                                           \
  G_STMT_START {                                                     \
    __typeof__ (n.field) v = getter (file, GROUP, #field, &e);       \
    if (e == NULL) n.field = v;                                      \
    g_clear_error (&e);                                              \
  } G_STMT_END
  GET (method, g_key_file_get_integer);
  GET (alpha, g_key_file_get_double);
  GET (iterations, g_key_file_get_integer);
  GET (preserve_colour, g_key_file_get_integer);
  GET (style_size, g_key_file_get_integer);
  GET (seed, g_key_file_get_integer);
  GET (style2_weight, g_key_file_get_double);
  GET (style2_mode, g_key_file_get_integer);
#undef GET
  g_autofree char *style = g_key_file_get_string (file, GROUP, "style_file", NULL);
  if (style != NULL && *style != '\0' && strlen (style) < sizeof n.style_file)
    {
      g_strlcpy (n.style_file, style, sizeof n.style_file);
      n.style_drawable = -1;   /* drawable IDs do not survive a restart */
    }
  /* The second style: a file, or none ("": none, or a layer, whose ID does not survive a restart). */
  g_autofree char *style2 = g_key_file_get_string (file, GROUP, "style2_file", NULL);
  if (style2 != NULL && strlen (style2) < sizeof n.style2_file)
    {
      g_strlcpy (n.style2_file, style2, sizeof n.style2_file);
      n.style2_drawable = -1;
    }
  NsSettings checked = n;
  g_strlcpy (checked.style_file, "x", sizeof checked.style_file);   /* the style is judged when it is used */
  checked.style_drawable = -1;
  if (ns_settings_validate (&checked, NULL))
    *s = n;
  return TRUE;
}

gboolean
ns_settings_save (const NsSettings *s, const char *path, GError **error)
{
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_key_file_set_comment (file, NULL, NULL, " The last settings of Filters > Artistic > Neural Style Transfer.", NULL);
  g_key_file_set_integer (file, GROUP, "method", s->method);
  g_key_file_set_string (file, GROUP, "style_file", s->style_file);
  char alpha[G_ASCII_DTOSTR_BUF_SIZE];   /* "0.6", not 0.59999999999999998 */
  g_key_file_set_value (file, GROUP, "alpha", g_ascii_formatd (alpha, sizeof alpha, "%.6g", s->alpha));
  g_key_file_set_integer (file, GROUP, "iterations", s->iterations);
  g_key_file_set_integer (file, GROUP, "preserve_colour", s->preserve_colour);
  g_key_file_set_integer (file, GROUP, "style_size", s->style_size);
  g_key_file_set_integer (file, GROUP, "seed", s->seed);
  g_key_file_set_string (file, GROUP, "style2_file", s->style2_file);
  char weight[G_ASCII_DTOSTR_BUF_SIZE];
  g_key_file_set_value (file, GROUP, "style2_weight", g_ascii_formatd (weight, sizeof weight, "%.6g", s->style2_weight));
  g_key_file_set_integer (file, GROUP, "style2_mode", s->style2_mode);
  return g_key_file_save_to_file (file, path, error);
}
