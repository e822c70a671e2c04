/* STYLES.tsv: a header line, then "file<TAB>artist<TAB>title<TAB>..." rows.
 * The titles and artists are English there; they are shown through gettext. */
#include "ns-styles.h"
#include "config.h"
#include "ns-i18n.h"
#include <string.h>

/* The bundled paintings' titles and artists as STYLES.tsv has them, marked
 * for xgettext (tests/test-presets.c checks that every one of the TSV is here). */
static const char *const names[] = {
  N_("The Starry Night"), N_("Vincent van Gogh"),
  N_("The Scream"), N_("Edvard Munch"),
  N_("The Shipwreck of the Minotaur"), N_("J. M. W. Turner"),
  N_("Composition VII"), N_("Wassily Kandinsky"),
  N_("Udnie (Young American Girl, The Dance)"), N_("Francis Picabia"),
  N_("Water Lilies"), N_("Claude Monet"),
  N_("The Kiss"), N_("Gustav Klimt"),
  N_("The Tower of Babel"), N_("Pieter Bruegel the Elder"),
  N_("Woman with a Hat"), N_("Henri Matisse"),
  N_("The Great Wave off Kanagawa"), N_("Katsushika Hokusai"),
};

const char *const *
ns_style_names (guint *n_names)
{
  *n_names = G_N_ELEMENTS (names);
  return names;
}

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
          preset->artist = g_strdup (_(cells[1]));
          preset->title = g_strdup (_(cells[2]));
          g_ptr_array_add (presets, preset);
        }
    }
  return presets;
}
