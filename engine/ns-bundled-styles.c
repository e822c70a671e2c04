#include "ns-bundled-styles.h"

#include "config.h"
#include <string.h>

char *
ns_bundled_style_resolve (const char *style)
{
  if (g_file_test (style, G_FILE_TEST_EXISTS) || strchr (style, G_DIR_SEPARATOR) != NULL)
    return g_strdup (style);
  const char *dirs[] = { NS_STYLES_INSTALL_DIR, NS_STYLES_SOURCE_DIR };
  g_autofree char *file = g_str_has_suffix (style, ".jpg") ? g_strdup (style) : g_strconcat (style, ".jpg", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], file, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return g_strdup (style);
}
