/* STYLES.tsv: a header line, then "file<TAB>artist<TAB>title<TAB>..." rows. */
#include "ns-styles.h"
#include "config.h"
#include <string.h>

static void
preset_free (gpointer p)
{
  NsStylePreset *preset = p;
  g_free (preset->name);
  g_free (preset->path);
  g_free (preset->artist);
  g_free (preset->title);
  g_free (preset);
}

GPtrArray *
ns_style_presets_load (void)
{
  GPtrArray *presets = g_ptr_array_new_with_free_func (preset_free);
  const char *dirs[] = { NS_STYLES_INSTALL_DIR, NS_STYLES_SOURCE_DIR };
  for (gsize d = 0; d < G_N_ELEMENTS (dirs) && presets->len == 0; d++)
    {
      g_autofree char *tsv = g_build_filename (dirs[d], "STYLES.tsv", NULL);
      g_autofree char *text = NULL;
      if (!g_file_get_contents (tsv, &text, NULL, NULL))
        continue;
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      for (gsize i = 1; lines[i] != NULL; i++)   /* line 0 is the header */
        {
          g_auto (GStrv) cells = g_strsplit (lines[i], "\t", -1);
          if (g_strv_length (cells) < 3 || cells[0][0] == '\0')
            continue;
          g_autofree char *path = g_build_filename (dirs[d], cells[0], NULL);
          if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
            continue;
          NsStylePreset *preset = g_new0 (NsStylePreset, 1);
          preset->name = g_strdup (cells[0]);
          char *dot = strrchr (preset->name, '.');
          if (dot != NULL)
            *dot = '\0';
          preset->path = g_steal_pointer (&path);
          preset->artist = g_strdup (cells[1]);
          preset->title = g_strdup (cells[2]);
          g_ptr_array_add (presets, preset);
        }
    }
  return presets;
}
