#include "cli-image-list.h"

#include "ns-i18n.h"
#include <string.h>

static void
image_file_free (gpointer data)
{
  NsCliImageFile *file = data;
  g_free (file->name);
  g_free (file->path);
  g_free (file);
}

static int
compare_files (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(NsCliImageFile *const *) a)->name, (*(NsCliImageFile *const *) b)->name);
}

static gboolean
is_image_name (const char *name)
{
  static const char *const extensions[] = { ".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pfm" };
  g_autofree char *lower = g_ascii_strdown (name, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (lower, extensions[i]) && strlen (lower) > strlen (extensions[i]))
      return TRUE;
  return FALSE;
}

GPtrArray *
ns_cli_list_images (const char *dir, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (image_file_free);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (name[0] == '.' || !is_image_name (name) || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      NsCliImageFile *file = g_new0 (NsCliImageFile, 1);
      file->name = g_strndup (name, strrchr (name, '.') - name);
      file->path = g_steal_pointer (&path);
      g_ptr_array_add (files, file);
    }
  if (files->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The folder %s holds no images (PNG, JPEG, TIFF, BMP, WebP or PFM files)."), dir);
      return NULL;
    }
  g_ptr_array_sort (files, compare_files);
  return g_steal_pointer (&files);
}
