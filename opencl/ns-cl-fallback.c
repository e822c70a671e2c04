#include "ns-cl-fallback.h"

#include "ns-cl-context.h"
#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <stdio.h>

/* "OpenCL 1.2 pocl ..." -> 102; 0 when it cannot be read. */
static int
opencl_version (const char *device_version)
{
  int major = 0, minor = 0;
  if (device_version == NULL || sscanf (device_version, "OpenCL %d.%d", &major, &minor) != 2)
    return 0;
  return major * 100 + minor;
}

/* 0 for the best: a GPU with OpenCL 1.2 or newer; then other such devices; then the rest. */
static int
rank (const NsClDeviceInfo *info)
{
  if (opencl_version (info->device_version) < 102)
    return 2;
  return (info->type & CL_DEVICE_TYPE_GPU) ? 0 : 1;
}

GArray *
ns_cl_preferred_order (GPtrArray *devices)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (int));
  for (int r = 0; r <= 2; r++)
    for (guint i = 0; i < devices->len; i++)
      if (rank (devices->pdata[i]) == r)
        {
          int index = (int) i;
          g_array_append_val (order, index);
        }
  return order;
}

gpointer
ns_cl_open_in_order (const int *order, const char *const *names, guint n, NsClOpenFunc open, gpointer user_data,
                     char **note, GError **error)
{
  g_autoptr (GError) first_error = NULL;
  const char *first_name = NULL;
  if (note != NULL)
    *note = NULL;
  for (guint i = 0; i < n; i++)
    {
      GError *local = NULL;
      gpointer opened = open (order[i], user_data, &local);
      if (opened != NULL)
        {
          if (first_error != NULL && note != NULL)
            *note = g_strdup_printf (_("The OpenCL device “%s” could not be used (%s); “%s” runs instead."),
                                     first_name, first_error->message, names[i]);
          return opened;
        }
      if (local->domain != NS_CL_ERROR)   /* not the device's fault (a weights file...): the same everywhere */
        {
          g_propagate_error (error, local);
          return NULL;
        }
      g_debug ("device %d (%s) failed: %s", order[i], names[i], local->message);
      if (first_error == NULL)
        {
          first_error = local;
          first_name = names[i];
        }
      else
        g_error_free (local);
    }
  if (first_error != NULL)
    g_propagate_error (error, g_steal_pointer (&first_error));
  else
    g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_NO_DEVICE, _("An OpenCL driver is installed but offers no device."));
  return NULL;
}

gpointer
ns_cl_open_on_best_device (int index, NsClOpenFunc open, gpointer user_data, char **note, GError **error)
{
  if (note != NULL)
    *note = NULL;
  if (index >= 0)
    return open (index, user_data, error);
  g_autoptr (GPtrArray) devices = ns_cl_list_devices (error);
  if (devices == NULL)
    return NULL;
  g_autoptr (GArray) order = ns_cl_preferred_order (devices);
  g_autofree const char **names = g_new0 (const char *, devices->len + 1);
  for (guint i = 0; i < order->len; i++)
    names[i] = ((NsClDeviceInfo *) devices->pdata[g_array_index (order, int, i)])->name;
  return ns_cl_open_in_order ((const int *) order->data, names, order->len, open, user_data, note, error);
}
