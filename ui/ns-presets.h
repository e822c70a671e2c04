/* Named presets of the run parameters: one key file per user, shared by both
 * GIMPs, the dialog and the command-line tool, a group per preset holding the
 * parameter table's fields (as ns_settings_write_group() writes them: no
 * drawables, whose IDs mean nothing elsewhere).  GLib only. */
#pragma once

#include "ns-settings.h"

G_BEGIN_DECLS

#define NS_PRESET_NAME_MAX 64   /* characters */

/* The user's presets file: $XDG_CONFIG_HOME/gimp-neural-style/presets.conf.  Newly allocated. */
char *ns_presets_default_file (void);

/* Whether `name` can name a preset: 1 to NS_PRESET_NAME_MAX characters of
 * UTF-8, no "[" or "]", no control character, no space at either end; else
 * G_OPTION_ERROR_BAD_VALUE with a sentence. */
gboolean ns_preset_check_name (const char *name, GError **error);

/* The names of the presets in `file`, sorted (an empty vector when the file
 * does not exist); NULL with a sentence when it cannot be read. */
char **ns_presets_list (const char *file, GError **error);

/* Saves `settings` as the preset `name` (replacing one of that name),
 * creating the file and its folder as needed; refuses a layer as a style. */
gboolean ns_preset_save (const char *file, const char *name, const NsSettings *settings, GError **error);

/* Loads the preset `name` into `settings`: every field takes the preset's
 * value, or the default where the preset has none.  A style whose file is
 * gone stays as `settings` had it, and *note (when `note` is not NULL) says
 * so; otherwise *note is NULL. */
gboolean ns_preset_load (const char *file, const char *name, NsSettings *settings, char **note, GError **error);

/* Removes the preset `name` from `file`. */
gboolean ns_preset_delete (const char *file, const char *name, GError **error);

G_END_DECLS
