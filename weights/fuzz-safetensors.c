/* libFuzzer target for the safetensors reader: any input must either be
 * refused with a GError or open, and then every tensor must read (or be
 * refused) at its own shape without a sanitizer report. */
#include "ns-safetensors.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A private copy so ASan sees reads past the input's end. */
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (NsSafetensors) st = ns_safetensors_new_from_bytes (bytes, "fuzz", &error);

  if (st == NULL)
    {
      g_assert (error != NULL && error->domain == NS_SAFETENSORS_ERROR);
      return 0;
    }
  g_assert (error == NULL);

  (void) ns_safetensors_get_metadata (st, "format");
  for (guint i = 0; i < ns_safetensors_get_n_tensors (st); i++)
    {
      const char *name = ns_safetensors_get_tensor_name (st, i);
      gint64 shape[NS_SAFETENSORS_MAX_DIMS];
      guint n_dims = 0;
      g_assert (name != NULL && ns_safetensors_get_shape (st, name, shape, &n_dims));

      g_autoptr (GError) read_error = NULL;
      g_autofree float *values = ns_safetensors_read_f32 (st, name, shape, n_dims, &read_error);
      g_assert ((values != NULL) != (read_error != NULL));
      if (read_error != NULL)
        g_assert (g_error_matches (read_error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_NONFINITE));
    }
  return 0;
}
