/* The presets' key file: read whole, changed, written back atomically. */
#include "ns-presets.h"

#include "ns-i18n.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

char *
ns_presets_default_file (void)
{
  return g_build_filename (g_get_user_config_dir (), "gimp-neural-style", "presets.conf", NULL);
}

static gboolean
bad_name (GError **error, const char *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

gboolean
ns_preset_check_name (const char *name, GError **error)
{
  if (name == NULL || *name == '\0')
    return bad_name (error, _("Give the preset a name."));
  if (!g_utf8_validate (name, -1, NULL))
    return bad_name (error, _("A preset's name must be valid UTF-8 text."));
  if (g_utf8_strlen (name, -1) > NS_PRESET_NAME_MAX)
    {
      g_autofree char *m = g_strdup_printf (_("A preset's name can have at most %d characters."), NS_PRESET_NAME_MAX);
      return bad_name (error, m);
    }
  for (const char *c = name; *c != '\0'; c++)
    if (*c == '[' || *c == ']' || g_ascii_iscntrl (*c))
      return bad_name (error, _("A preset's name cannot hold “[”, “]” or a control character."));
  if (g_ascii_isspace (name[0]) || g_ascii_isspace (name[strlen (name) - 1]))
    return bad_name (error, _("A preset's name cannot begin or end with a space."));
  return TRUE;
}

/* The file's presets; an empty key file when there is no file yet. */
static GKeyFile *
read_presets (const char *file, GError **error)
{
  g_autoptr (GKeyFile) keys = g_key_file_new ();
  g_autoptr (GError) local = NULL;
  if (!g_key_file_load_from_file (keys, file, G_KEY_FILE_KEEP_COMMENTS, &local)
      && !g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, local->domain, local->code, _("The presets file “%s” cannot be read (%s)."), file,
                   local->message);
      return NULL;
    }
  return g_steal_pointer (&keys);
}

static gboolean
write_presets (GKeyFile *keys, const char *file, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (file);
  g_autoptr (GError) local = NULL;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("The folder “%s” for the presets cannot be made (%s)."), dir, g_strerror (saved));
      return FALSE;
    }
  g_key_file_set_comment (keys, NULL, NULL,
                          " Presets of Neural Style Transfer (GIMP's Filters > Artistic), one group each.", NULL);
  if (!g_key_file_save_to_file (keys, file, &local))
    {
      g_set_error (error, local->domain, local->code, _("The presets cannot be saved in “%s” (%s)."), file,
                   local->message);
      return FALSE;
    }
  return TRUE;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(char *const *) a, *(char *const *) b);
}

char **
ns_presets_list (const char *file, GError **error)
{
  g_autoptr (GKeyFile) keys = read_presets (file, error);
  if (keys == NULL)
    return NULL;
  gsize n = 0;
  char **names = g_key_file_get_groups (keys, &n);
  qsort (names, n, sizeof *names, compare_names);
  return names;
}

gboolean
ns_preset_save (const char *file, const char *name, const NsSettings *settings, GError **error)
{
  if (!ns_preset_check_name (name, error))
    return FALSE;
  if (settings->style_drawable >= 0)
    return bad_name (error, _("A preset cannot keep a layer as its style: choose a painting or an image file, "
                              "then save."));
  if (settings->style2_drawable >= 0)
    return bad_name (error, _("A preset cannot keep a layer as its second style: choose a painting, an image "
                              "file or none, then save."));
  g_autoptr (GKeyFile) keys = read_presets (file, error);
  if (keys == NULL)
    return FALSE;
  g_key_file_remove_group (keys, name, NULL);   /* a preset of the same name is replaced whole */
  ns_settings_write_group (settings, keys, name);
  return write_presets (keys, file, error);
}

static gboolean
no_such_preset (GError **error, const char *name)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND, _("There is no preset named “%s”."), name);
  return FALSE;
}

/* Whether a style names a file (or a bundled painting) that is there; "" (none) is. */
static gboolean
style_is_there (const char *style)
{
  if (*style == '\0')
    return TRUE;
  g_autofree char *path = ns_settings_resolve_style (style);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

gboolean
ns_preset_load (const char *file, const char *name, NsSettings *settings, char **note, GError **error)
{
  if (note != NULL)
    *note = NULL;
  g_autoptr (GKeyFile) keys = read_presets (file, error);
  if (keys == NULL)
    return FALSE;
  if (!g_key_file_has_group (keys, name))
    return no_such_preset (error, name);
  NsSettings s;
  ns_settings_init_defaults (&s);
  ns_settings_read_group (&s, keys, name);
  g_autoptr (GString) gone = g_string_new (NULL);
  if (!style_is_there (s.style_file))
    {
      g_string_append_printf (gone, _("The preset “%s” takes its style from “%s”, which is gone: the style was "
                                      "left as it was."), name, s.style_file);
      memcpy (s.style_file, settings->style_file, sizeof s.style_file);
      s.style_drawable = settings->style_drawable;
    }
  if (!style_is_there (s.style2_file))
    {
      g_string_append_printf (gone, "%s", gone->len > 0 ? " " : "");
      g_string_append_printf (gone, _("The preset “%s” takes its second style from “%s”, which is gone: the second "
                                      "style was left as it was."), name, s.style2_file);
      memcpy (s.style2_file, settings->style2_file, sizeof s.style2_file);
      s.style2_drawable = settings->style2_drawable;
    }
  *settings = s;
  if (note != NULL && gone->len > 0)
    *note = g_strdup (gone->str);
  return TRUE;
}

gboolean
ns_preset_delete (const char *file, const char *name, GError **error)
{
  g_autoptr (GKeyFile) keys = read_presets (file, error);
  if (keys == NULL)
    return FALSE;
  if (!g_key_file_remove_group (keys, name, NULL))
    return no_such_preset (error, name);
  return write_presets (keys, file, error);
}
