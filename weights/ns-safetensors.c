/* A strict safetensors reader; see ns-safetensors.h and FORMAT.md. */
#include "ns-safetensors.h"

#include "ns-i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A real header is a few KB; anything near this is an attack or garbage. */
#define HEADER_MAX_BYTES (100u * 1024u * 1024u)
/* A valid header nests 3 deep ({ "t": { "shape": [ ] } }); json-glib parses
 * recursively, so deeper input is refused before it can exhaust the stack. */
#define HEADER_MAX_DEPTH 16

typedef struct {
  char *name;
  NsDtype dtype;
  guint n_dims;
  gint64 shape[NS_SAFETENSORS_MAX_DIMS];
  guint64 begin; /* byte offsets relative to the start of the data */
  guint64 end;
} Tensor;

struct _NsSafetensors {
  char *name;          /* display name, used in every message */
  GBytes *bytes;       /* what holds the tensor data */
  const guint8 *data;  /* the tensor data, after the header */
  gsize data_size;
  GPtrArray *tensors;  /* Tensor*, in header order */
  GHashTable *by_name; /* name -> Tensor* (borrowed from tensors) */
  GHashTable *metadata;
};

G_DEFINE_QUARK (ns-safetensors-error-quark, ns_safetensors_error)

static void
tensor_free (gpointer p)
{
  Tensor *t = p;
  g_free (t->name);
  g_free (t);
}

static gsize
dtype_size (NsDtype dtype)
{
  return dtype == NS_DTYPE_F16 ? 2 : 4;
}

static char *
shape_to_string (const gint64 *shape, guint n_dims)
{
  GString *s = g_string_new ("[");
  for (guint i = 0; i < n_dims; i++)
    g_string_append_printf (s, i ? ", %" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, shape[i]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

/* IEEE 754 binary16 -> binary32; every half is exactly representable. */
static float
half_to_float (guint16 h)
{
  const guint32 sign = (guint32) (h & 0x8000u) << 16;
  const guint32 exp = (h >> 10) & 0x1fu;
  const guint32 mant = h & 0x3ffu;
  guint32 bits;
  float f;

  if (exp == 0)
    {
      /* Zero or subnormal: mant * 2^-24, exact in float. */
      f = ldexpf ((float) mant, -24);
      return sign ? -f : f;
    }
  if (exp == 0x1f)
    bits = sign | 0x7f800000u | (mant << 13); /* Inf or NaN */
  else
    bits = sign | ((exp + (127 - 15)) << 23) | (mant << 13);
  memcpy (&f, &bits, sizeof f);
  return f;
}

/* Whether the JSON number at text[0..len) is an integer beyond gint64, which
 * json-glib would wrap round (2^64 - 1 becomes -1). */
static gboolean
integer_too_large (const char *text, gsize len)
{
  if (memchr (text, '.', len) != NULL || memchr (text, 'e', len) != NULL || memchr (text, 'E', len) != NULL)
    return FALSE;   /* not an integer */
  if (len > 0 && text[0] == '-')
    text++, len--;
  while (len > 1 && text[0] == '0')
    text++, len--;
  static const char max[] = "9223372036854775807";
  return len > sizeof max - 1 || (len == sizeof max - 1 && memcmp (text, max, len) > 0);
}

/* Strict JSON lexing up to bracket depth.  Also refuses what json-glib's
 * lenient scanner would accept but JSON does not (comments, single-quoted
 * strings), so both agree on where strings are and the depth bound holds.
 * *big (length *big_len) is the first integer too large for json-glib, or NULL. */
static gboolean
header_is_plausible_json (const char *text, gsize len, const char **big, gsize *big_len)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  *big = NULL;
  for (gsize i = 0; i < len; i++)
    {
      const char c = text[i];
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > HEADER_MAX_DEPTH)
            return FALSE;
          break;
        case ']':
        case '}':
          if (depth == 0)
            return FALSE;
          depth--;
          break;
        case '\'':
        case '/':
        case '#':
          return FALSE;
        default:
          if (c == '-' || g_ascii_isdigit (c))
            {
              gsize end = i;
              while (end < len && text[end] != '\0' && strchr ("0123456789+-.eE", text[end]) != NULL)
                end++;
              if (*big == NULL && integer_too_large (text + i, end - i))
                {
                  *big = text + i;
                  *big_len = end - i;
                }
              i = end - 1;
            }
          break;
        }
    }
  return !in_string && depth == 0;
}

static gboolean
node_get_int (JsonNode *node, gint64 *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
metadata_fail (NsSafetensors *self, GError **error)
{
  g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
               _("“%s”: the header’s “__metadata__” is not an object mapping strings to strings."),
               self->name);
  return FALSE;
}

static gboolean
parse_metadata (NsSafetensors *self, JsonNode *node, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return metadata_fail (self, error);

  JsonObject *obj = json_node_get_object (node);
  g_autoptr (GList) members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *v = json_object_get_member (obj, l->data);
      if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
        return metadata_fail (self, error);
      g_hash_table_insert (self->metadata, g_strdup (l->data), g_strdup (json_node_get_string (v)));
    }
  return TRUE;
}

static Tensor *
parse_tensor (NsSafetensors *self, const char *name, JsonNode *node, GError **error)
{
  const char *disp = self->name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
                   _("“%s”: the header entry of tensor “%s” is not a JSON object."), disp, name);
      return NULL;
    }
  JsonObject *obj = json_node_get_object (node);

  JsonNode *dtype_node = json_object_get_member (obj, "dtype");
  if (dtype_node == NULL || !JSON_NODE_HOLDS_VALUE (dtype_node)
      || json_node_get_value_type (dtype_node) != G_TYPE_STRING)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
                   _("“%s”: tensor “%s” has no “dtype” string in the header."), disp, name);
      return NULL;
    }
  const char *dtype_str = json_node_get_string (dtype_node);
  NsDtype dtype;
  if (g_strcmp0 (dtype_str, "F16") == 0)
    dtype = NS_DTYPE_F16;
  else if (g_strcmp0 (dtype_str, "F32") == 0)
    dtype = NS_DTYPE_F32;
  else
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_DTYPE,
                   _("“%s”: tensor “%s” has dtype “%s”, but only F16 and F32 are supported."),
                   disp, name, dtype_str ? dtype_str : "");
      return NULL;
    }

  g_autofree Tensor *t = g_new0 (Tensor, 1);
  t->dtype = dtype;

  JsonNode *shape_node = json_object_get_member (obj, "shape");
  JsonArray *shape = shape_node && JSON_NODE_HOLDS_ARRAY (shape_node) ? json_node_get_array (shape_node) : NULL;
  gboolean shape_ok = shape != NULL && json_array_get_length (shape) <= NS_SAFETENSORS_MAX_DIMS;
  if (shape_ok)
    {
      t->n_dims = json_array_get_length (shape);
      for (guint i = 0; i < t->n_dims && shape_ok; i++)
        shape_ok = node_get_int (json_array_get_element (shape, i), &t->shape[i]) && t->shape[i] >= 0;
    }
  if (!shape_ok)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
                   _("“%s”: tensor “%s” has no valid “shape” (an array of at most %d non-negative integers)."),
                   disp, name, NS_SAFETENSORS_MAX_DIMS);
      return NULL;
    }

  JsonNode *off_node = json_object_get_member (obj, "data_offsets");
  JsonArray *off = off_node && JSON_NODE_HOLDS_ARRAY (off_node) ? json_node_get_array (off_node) : NULL;
  gint64 begin = 0, end = 0;
  if (off == NULL || json_array_get_length (off) != 2
      || !node_get_int (json_array_get_element (off, 0), &begin)
      || !node_get_int (json_array_get_element (off, 1), &end))
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
                   _("“%s”: tensor “%s” has no valid “data_offsets” (an array of two integers)."),
                   disp, name);
      return NULL;
    }
  if (begin > end)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_OFFSETS,
                   _("“%s”: tensor “%s” has reversed data offsets [%lld, %lld]."),
                   disp, name, (long long) begin, (long long) end);
      return NULL;
    }
  if (begin < 0 || (guint64) end > self->data_size)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_OFFSETS,
                   _("“%s”: tensor “%s” has data offsets [%lld, %lld] outside the %llu bytes of tensor data."),
                   disp, name, (long long) begin, (long long) end, (unsigned long long) self->data_size);
      return NULL;
    }
  t->begin = (guint64) begin;
  t->end = (guint64) end;

  /* Overflow-checked product: a huge shape must not wrap to the span. */
  guint64 n_bytes = dtype_size (dtype);
  gboolean fits = TRUE;
  for (guint i = 0; i < t->n_dims && fits; i++)
    fits = g_uint64_checked_mul (&n_bytes, n_bytes, (guint64) t->shape[i]);
  if (!fits || n_bytes != t->end - t->begin)
    {
      g_autofree char *shape_str = shape_to_string (t->shape, t->n_dims);
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_SIZE,
                   _("“%s”: tensor “%s” of dtype %s and shape %s does not fit its data offsets [%lld, %lld] (%llu bytes)."),
                   disp, name, dtype_str, shape_str, (long long) begin, (long long) end,
                   (unsigned long long) (t->end - t->begin));
      return NULL;
    }

  t->name = g_strdup (name);
  return g_steal_pointer (&t);
}

static int
compare_begin (gconstpointer a, gconstpointer b)
{
  const Tensor *ta = *(Tensor *const *) a;
  const Tensor *tb = *(Tensor *const *) b;
  if (ta->begin != tb->begin)
    return ta->begin < tb->begin ? -1 : 1;
  return ta->end < tb->end ? -1 : ta->end > tb->end;
}

static gboolean
check_overlaps (NsSafetensors *self, GError **error)
{
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
  for (guint i = 0; i < self->tensors->len; i++)
    {
      Tensor *t = g_ptr_array_index (self->tensors, i);
      if (t->end > t->begin) /* an empty tensor owns no bytes */
        g_ptr_array_add (sorted, t);
    }
  g_ptr_array_sort (sorted, compare_begin);

  /* Compare with the furthest-reaching earlier tensor, not just the previous. */
  const Tensor *reach = NULL;
  for (guint i = 0; i < sorted->len; i++)
    {
      const Tensor *t = g_ptr_array_index (sorted, i);
      if (reach != NULL && t->begin < reach->end)
        {
          g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_OVERLAP,
                       _("“%s”: tensors “%s” [%llu, %llu] and “%s” [%llu, %llu] share bytes of data."),
                       self->name, reach->name, (unsigned long long) reach->begin,
                       (unsigned long long) reach->end, t->name,
                       (unsigned long long) t->begin, (unsigned long long) t->end);
          return FALSE;
        }
      if (reach == NULL || t->end > reach->end)
        reach = t;
    }
  return TRUE;
}

static gboolean
parse_header (NsSafetensors *self, const char *text, gsize len, GError **error)
{
  const char *big = NULL;
  gsize big_len = 0;
  if (!g_utf8_validate_len (text, len, NULL) || !header_is_plausible_json (text, len, &big, &big_len))
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
                   _("“%s”: the header is not valid JSON text."), self->name);
      return FALSE;
    }
  if (big != NULL)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_OFFSETS,
                   _("“%s”: the header holds the integer %.*s, beyond any size or offset a file can have."),
                   self->name, (int) MIN (big_len, 40), big);
      return FALSE;
    }

  /* Not json_parser_new_immutable (): json-glib 1.10 (Debian 13) then aborts in
   * json_parser_get_root () on text holding several values ("{}{}"), found by the fuzzer. */
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  if (!json_parser_load_from_data (parser, text, (gssize) len, &local))
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
                   _("“%s”: the header is not valid JSON (%s)."), self->name, local->message);
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
                   _("“%s”: the header is not a JSON object."), self->name);
      return FALSE;
    }

  JsonObject *obj = json_node_get_object (root);
  g_autoptr (GList) members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (obj, name);

      if (strcmp (name, "__metadata__") == 0)
        {
          if (!parse_metadata (self, node, error))
            return FALSE;
          continue;
        }
      if (g_hash_table_contains (self->by_name, name))
        {
          g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
                       _("“%s”: the header lists tensor “%s” twice."), self->name, name);
          return FALSE;
        }
      Tensor *t = parse_tensor (self, name, node, error);
      if (t == NULL)
        return FALSE;
      g_ptr_array_add (self->tensors, t);
      g_hash_table_insert (self->by_name, t->name, t);
    }

  return check_overlaps (self, error);
}

static NsSafetensors *
safetensors_new (const char *display_name)
{
  NsSafetensors *self = g_new0 (NsSafetensors, 1);
  self->name = g_strdup (display_name ? display_name : _("(in memory)"));
  self->tensors = g_ptr_array_new_with_free_func (tensor_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

static gboolean
check_file_size (const NsSafetensors *self, guint64 size, GError **error)
{
  if (size >= 8)
    return TRUE;
  g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_TRUNCATED,
               _("“%s” is too short to be a safetensors file: it has %llu bytes, fewer than the 8 of the header length."),
               self->name, (unsigned long long) size);
  return FALSE;
}

/* The header length from the first 8 bytes, checked against the file's size. */
static gboolean
check_header_length (const NsSafetensors *self, const guint8 first[8], guint64 size, guint64 *header_len,
                     GError **error)
{
  memcpy (header_len, first, sizeof *header_len);
  *header_len = GUINT64_FROM_LE (*header_len);
  if (*header_len > size - 8)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_TRUNCATED,
                   _("“%s” is truncated: its header length of %llu bytes runs past the end of the file (%llu bytes)."),
                   self->name, (unsigned long long) *header_len, (unsigned long long) size);
      return FALSE;
    }
  if (*header_len == 0 || *header_len > HEADER_MAX_BYTES)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_HEADER,
                   _("“%s”: the header length of %llu bytes is implausible (it must be between 1 byte and 100 MB)."),
                   self->name, (unsigned long long) *header_len);
      return FALSE;
    }
  return TRUE;
}

NsSafetensors *
ns_safetensors_new_from_bytes (GBytes *bytes, const char *display_name, GError **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autoptr (NsSafetensors) self = safetensors_new (display_name);
  self->bytes = g_bytes_ref (bytes);
  gsize size = 0;
  const guint8 *raw = g_bytes_get_data (bytes, &size);
  guint64 header_len;
  if (!check_file_size (self, size, error) || !check_header_length (self, raw, size, &header_len, error))
    return NULL;

  self->data = raw + 8 + header_len;
  self->data_size = size - 8 - (gsize) header_len;
  if (!parse_header (self, (const char *) raw + 8, (gsize) header_len, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* What a weights "file" that is not a regular file is, as a sentence. */
static void
set_not_regular_error (GError **error, const char *name, mode_t mode)
{
  if (S_ISDIR (mode))
    g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO,
                 _("The weights file “%s” is a folder, not a file."), name);
  else if (S_ISFIFO (mode))
    g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO,
                 _("The weights file “%s” is a named pipe (FIFO), not a regular file."), name);
  else
    g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO,
                 _("The weights file “%s” is not a regular file."), name);
}

/* Reads exactly `length` bytes at `offset`; FALSE with errno set (0 at the end of the file). */
static gboolean
read_at (int fd, void *buffer, gsize length, goffset offset)
{
  char *p = buffer;
  while (length > 0)
    {
      gssize n = pread (fd, p, MIN (length, (gsize) G_MAXSSIZE), offset);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = 0;
          return FALSE;
        }
      p += n;
      offset += n;
      length -= (gsize) n;
    }
  return TRUE;
}

/* The header first, then only the data its tensors name: a huge file, or
 * one whose first 8 bytes are nonsense, costs no more than its header. */
static NsSafetensors *
read_file (int fd, const char *disp, GError **error)
{
  g_autoptr (NsSafetensors) self = safetensors_new (disp);
  struct stat st;
  if (fstat (fd, &st) != 0)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO,
                   _("The weights file “%s” could not be read: %s"), disp, g_strerror (errno));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      set_not_regular_error (error, disp, st.st_mode);
      return NULL;
    }
  const guint64 size = (guint64) st.st_size;
  guint8 first[8];
  guint64 header_len = 0;
  if (!check_file_size (self, size, error))
    return NULL;
  gboolean ok = read_at (fd, first, sizeof first, 0);
  if (ok && !check_header_length (self, first, size, &header_len, error))
    return NULL;
  g_autofree char *header = ok ? g_malloc (header_len) : NULL;
  ok = ok && read_at (fd, header, header_len, 8);
  self->data_size = ok ? size - 8 - header_len : 0;
  if (ok && !parse_header (self, header, header_len, error))
    return NULL;
  guint64 named = 0;
  for (guint i = 0; ok && i < self->tensors->len; i++)
    named = MAX (named, ((const Tensor *) g_ptr_array_index (self->tensors, i))->end);
  guint8 *data = ok ? g_try_malloc (MAX (named, 1)) : NULL;
  if (ok && data == NULL)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO,
                   _("The weights file “%s” could not be read: %s"), disp, g_strerror (ENOMEM));
      return NULL;
    }
  ok = ok && read_at (fd, data, named, (goffset) (8 + header_len));
  if (!ok)
    {
      g_free (data);
      int saved = errno;
      if (saved == 0)   /* it shrank since it was measured */
        g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_TRUNCATED,
                     _("“%s” is truncated: it ends before the data its header names."), disp);
      else
        g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO,
                     _("The weights file “%s” could not be read: %s"), disp, g_strerror (saved));
      return NULL;
    }
  self->bytes = g_bytes_new_take (data, named);
  self->data = data;
  return g_steal_pointer (&self);
}

NsSafetensors *
ns_safetensors_open (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_autofree char *disp = g_filename_display_name (path);
  /* Non-blocking: a FIFO opens at once (and is refused) instead of waiting for a writer. */
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
  if (fd < 0)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO,
                   _("The weights file “%s” could not be read: %s"), disp, g_strerror (errno));
      return NULL;
    }
  NsSafetensors *self = read_file (fd, disp, error);
  close (fd);
  return self;
}

void
ns_safetensors_free (NsSafetensors *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->tensors, g_ptr_array_unref);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->name);
  g_free (self);
}

const char *
ns_safetensors_get_name (const NsSafetensors *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

guint
ns_safetensors_get_n_tensors (const NsSafetensors *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->tensors->len;
}

const char *
ns_safetensors_get_tensor_name (const NsSafetensors *self, guint i)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (i >= self->tensors->len)
    return NULL;
  return ((const Tensor *) g_ptr_array_index (self->tensors, i))->name;
}

gboolean
ns_safetensors_has_tensor (const NsSafetensors *self, const char *tensor)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (tensor != NULL, FALSE);
  return g_hash_table_contains (self->by_name, tensor);
}

gboolean
ns_safetensors_get_shape (const NsSafetensors *self, const char *tensor,
                          gint64 *shape_out, guint *n_dims_out)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (tensor != NULL, FALSE);

  const Tensor *t = g_hash_table_lookup (self->by_name, tensor);
  if (t == NULL)
    return FALSE;
  if (shape_out != NULL)
    memcpy (shape_out, t->shape, t->n_dims * sizeof *shape_out);
  if (n_dims_out != NULL)
    *n_dims_out = t->n_dims;
  return TRUE;
}

const char *
ns_safetensors_get_metadata (const NsSafetensors *self, const char *key)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return g_hash_table_lookup (self->metadata, key);
}

float *
ns_safetensors_read_f32 (const NsSafetensors *self, const char *tensor,
                         const gint64 *expected_shape, guint n_dims, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (tensor != NULL, NULL);
  g_return_val_if_fail (n_dims == 0 || expected_shape != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  const Tensor *t = g_hash_table_lookup (self->by_name, tensor);
  if (t == NULL)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_MISSING,
                   _("“%s” has no tensor “%s”."), self->name, tensor);
      return NULL;
    }

  gboolean same = n_dims == t->n_dims;
  for (guint i = 0; i < n_dims && same; i++)
    same = expected_shape[i] == t->shape[i];
  if (!same)
    {
      g_autofree char *found = shape_to_string (t->shape, t->n_dims);
      g_autofree char *expected = shape_to_string (expected_shape, n_dims);
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_SHAPE,
                   _("“%s”: tensor “%s” has shape %s but %s was expected."),
                   self->name, tensor, found, expected);
      return NULL;
    }

  const gsize elsize = dtype_size (t->dtype);
  const gsize count = (gsize) ((t->end - t->begin) / elsize);
  float *out = g_try_malloc_n (MAX (count, 1), sizeof (float));
  if (out == NULL)
    {
      g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_IO,
                   _("“%s”: there is not enough memory to load tensor “%s”."), self->name, tensor);
      return NULL;
    }

  /* The data has no alignment guarantee, hence memcpy per element. */
  const guint8 *p = self->data + t->begin;
  for (gsize i = 0; i < count; i++)
    {
      float v;
      if (t->dtype == NS_DTYPE_F16)
        {
          guint16 h;
          memcpy (&h, p + i * 2, sizeof h);
          v = half_to_float (GUINT16_FROM_LE (h));
        }
      else
        {
          guint32 b;
          memcpy (&b, p + i * 4, sizeof b);
          b = GUINT32_FROM_LE (b);
          memcpy (&v, &b, sizeof v);
        }
      if (!isfinite (v))
        {
          g_set_error (error, NS_SAFETENSORS_ERROR, NS_SAFETENSORS_ERROR_NONFINITE,
                       isnan (v) ? _("“%s”: tensor “%s” holds NaN at element %llu.")
                                 : _("“%s”: tensor “%s” holds an infinite value at element %llu."),
                       self->name, tensor, (unsigned long long) i);
          g_free (out);
          return NULL;
        }
      out[i] = v;
    }
  return out;
}
