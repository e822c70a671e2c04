#include "cli-prepare.h"

#include "cli-options.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include "ns-progress-text.h"
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
ns_cli_print_kernel_progress (guint done, guint total, gpointer user_data)
{
  g_autofree char *text = ns_progress_text_kernels (done, total);
  g_printerr ("%s\n", text);
}

static void
print_compiling (guint done, guint total, gpointer user_data)
{
  if (user_data == NULL)
    {
      g_autofree char *text = ns_progress_text_kernels (done, total);
      g_print ("%s\n", text);
    }
  else
    g_print (_("Compiling the OpenCL kernels for “%s”: %u of %u\n"), (const char *) user_data, done, total);
}

/* One device (name: NULL for the one chosen as a run would): everything
 * compiled, warmed up and stored; FALSE after saying why not. */
static gboolean
prepare_device (int index, const char *name, const char *dir)
{
  g_autoptr (GError) error = NULL;
  NsRuntimeOptions options;
  ns_runtime_options_init (&options);
  if (!ns_runtime_options_from_environment (&options, &error))
    {
      g_printerr ("neural-style: %s\n", error->message);
      return FALSE;
    }
  if (index >= 0)
    options.device_index = index;
  if (dir != NULL)   /* the system's cache: written here, and no other read */
    options.cache_dir = dir, options.system_cache_dir = "";
  g_autoptr (NsRuntime) runtime = ns_runtime_new (&options);
  ns_runtime_set_kernel_progress (runtime, print_compiling, (gpointer) name);
  g_autoptr (NsAdain) adain = ns_adain_new (runtime, &error);
  if (adain == NULL || !ns_adain_prepare_kernels (adain, &error))
    {
      if (name != NULL)
        g_printerr (_("neural-style: The kernels for “%s” could not be prepared: %s\n"), name, error->message);
      else
        g_printerr ("neural-style: %s\n", error->message);
      return FALSE;
    }
  g_print (_("The OpenCL kernels for “%s” are ready.\n"), ns_runtime_get_device (runtime)->name);
  return TRUE;
}

/* Our entries (a SHA-256 in hex and a suffix): a driver update leaves the
 * old ones unused, so the system cache is made anew each time. */
static void
remove_old_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  for (const char *name; d != NULL && (name = g_dir_read_name (d)) != NULL;)
    {
      const char *dot = strchr (name, '.');
      if (dot == NULL || dot - name != 64 || strspn (name, "0123456789abcdef") != 64)
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
}

int
ns_cli_prepare (int device, gboolean system, const char *dir)
{
  if (!system)
    return prepare_device (device, NULL, NULL) ? 0 : 1;
  const char *target = dir != NULL ? dir : NS_SYSTEM_CACHE_DIR;
  umask (022);   /* every user reads it */
  if (g_mkdir_with_parents (target, 0755) != 0)
    {
      g_printerr (_("neural-style: The folder “%s” could not be created: %s.\n"), target, g_strerror (errno));
      return 1;
    }
  if (g_access (target, W_OK) != 0)   /* the programs would be compiled for nothing */
    {
      g_printerr (_("neural-style: The folder “%s” cannot be written to (%s); run as root.\n"), target,
                  g_strerror (errno));
      return 1;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = ns_devices_list (&error);
  if (devices == NULL)
    {
      g_printerr ("neural-style: %s\n", error->message);
      return 1;
    }
  remove_old_entries (target);
  guint prepared = 0;
  for (guint i = 0; i < devices->len; i++)
    if (device < 0 || (guint) device == i)
      prepared += prepare_device ((int) i, ((NsDevice *) devices->pdata[i])->name, target);
  if (prepared == 0)
    {
      g_printerr (_("neural-style: No OpenCL device could be prepared; users will compile the kernels on first use.\n"));
      return 1;
    }
  g_print (_("The system's program cache in %s is ready for %u of %u devices.\n"), target, prepared, devices->len);
  return 0;
}
