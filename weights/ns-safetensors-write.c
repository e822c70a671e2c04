#include "ns-safetensors-write.h"

#include "ns-i18n.h"
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

guint16
ns_float_to_half (float f)
{
  guint32 x;
  memcpy (&x, &f, sizeof x);
  const guint32 sign = (x >> 16) & 0x8000u, mant = x & 0x7fffffu;
  const int exp = (int) ((x >> 23) & 0xffu);
  if (exp == 0xff)
    return (guint16) (sign | 0x7c00u | (mant != 0 ? 0x200u : 0));
  const int e = exp - 127 + 15;   /* the half's biased exponent */
  if (e >= 31)
    return (guint16) (sign | 0x7c00u);
  guint32 half, rem, halfway;
  if (e <= 0)
    {
      /* Subnormal: value = m 2^-24, m = (1.mant 2^23) >> (14 - e). */
      if (e < -10)
        return (guint16) sign;
      const guint32 full = mant | 0x800000u;
      const int shift = 14 - e;
      half = full >> shift;
      rem = full & ((1u << shift) - 1);
      halfway = 1u << (shift - 1);
    }
  else
    {
      half = ((guint32) e << 10) | (mant >> 13);
      rem = mant & 0x1fffu;
      halfway = 0x1000u;
    }
  /* A carry out of the mantissa moves to the next exponent, correctly (up to inf). */
  if (rem > halfway || (rem == halfway && (half & 1u)))
    half++;
  return (guint16) (sign | half);
}

gboolean
ns_safetensors_write (const char *path, const NsSafetensorsTensor *tensors, gsize n_tensors, NsDtype dtype,
                      const char *const *metadata, GError **error)
{
  g_autofree char *display = g_filename_display_name (path);
  const gsize item = dtype == NS_DTYPE_F16 ? 2 : 4;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (metadata != NULL && metadata[0] != NULL)
    {
      json_builder_set_member_name (builder, "__metadata__");
      json_builder_begin_object (builder);
      for (gsize i = 0; metadata[i] != NULL && metadata[i + 1] != NULL; i += 2)
        {
          json_builder_set_member_name (builder, metadata[i]);
          json_builder_add_string_value (builder, metadata[i + 1]);
        }
      json_builder_end_object (builder);
    }
  gsize offset = 0;
  g_autofree gsize *counts = g_new (gsize, n_tensors + 1);
  for (gsize t = 0; t < n_tensors; t++)
    {
      counts[t] = 1;
      json_builder_set_member_name (builder, tensors[t].name);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "dtype");
      json_builder_add_string_value (builder, dtype == NS_DTYPE_F16 ? "F16" : "F32");
      json_builder_set_member_name (builder, "shape");
      json_builder_begin_array (builder);
      for (guint d = 0; d < tensors[t].n_dims; d++)
        {
          json_builder_add_int_value (builder, tensors[t].shape[d]);
          counts[t] *= (gsize) tensors[t].shape[d];
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "data_offsets");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, (gint64) offset);
      json_builder_add_int_value (builder, (gint64) (offset + counts[t] * item));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      offset += counts[t] * item;
    }
  json_builder_end_object (builder);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  gsize header_len = 0;
  g_autofree char *header = json_generator_to_data (generator, &header_len);
  /* Padded with spaces to a multiple of 8, as the format's writers do. */
  gsize padded = (header_len + 7) / 8 * 8;
  gsize total = 8 + padded + offset;
  g_autofree guint8 *file = g_malloc (total);
  guint64 n_le = GUINT64_TO_LE ((guint64) padded);
  memcpy (file, &n_le, 8);
  memcpy (file + 8, header, header_len);
  memset (file + 8 + header_len, ' ', padded - header_len);
  guint8 *data = file + 8 + padded;
  for (gsize t = 0; t < n_tensors; t++)
    for (gsize i = 0; i < counts[t]; i++, data += item)
      {
        float v = tensors[t].data[i];
        if (!isfinite (v) || (dtype == NS_DTYPE_F16 && fabsf (v) > 65504.0f))
          {
            g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_NONFINITE,
                         _("“%s”: tensor “%s” holds %g at element %zu, which a %s file cannot store."), display,
                         tensors[t].name, v, i, dtype == NS_DTYPE_F16 ? "F16" : "F32");
            return FALSE;
          }
        if (dtype == NS_DTYPE_F16)
          {
            guint16 h = GUINT16_TO_LE (ns_float_to_half (v));
            memcpy (data, &h, 2);
          }
        else
          {
            guint32 bits;
            memcpy (&bits, &v, 4);
            bits = GUINT32_TO_LE (bits);
            memcpy (data, &bits, 4);
          }
      }
  GError *local = NULL;
  if (!g_file_set_contents (path, (const char *) file, (gssize) total, &local))
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO, _("Could not write “%s”: %s"), display,
                   local->message);
      g_error_free (local);
      return FALSE;
    }
  return TRUE;
}
