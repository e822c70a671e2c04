/* The GIMP calls the plug-in makes, over item and image IDs, for GIMP 2.10
 * and GIMP 3.0 alike: the shared glue (plugin-run.c, plugin-pixels.c,
 * plugin-dialog.c) is compiled once against each libgimp, and only the entry
 * points (plugin-main-2.c, plugin-main-3.c) differ.  In 2.10 every call takes
 * IDs already; in 3.0 the ID is turned into its object at the call. */
#pragma once

#include <libgimp/gimp.h>

/* A new layer with alpha of the image's kind: an indexed image's result
 * goes to its palette, as GIMP's own filters' layers do. */
static inline GimpImageType
ns_gimp_layer_type (GimpImageBaseType base)
{
  return base == GIMP_GRAY ? GIMP_GRAYA_IMAGE : base == GIMP_INDEXED ? GIMP_INDEXEDA_IMAGE : GIMP_RGBA_IMAGE;
}

#if GIMP_MAJOR_VERSION >= 3

static inline GimpItem *
ns_gimp_item (gint32 id)
{
  return id > 0 ? gimp_item_get_by_id (id) : NULL;
}

static inline GimpDrawable *
ns_gimp_drawable (gint32 id)
{
  GimpItem *item = ns_gimp_item (id);
  return item != NULL && GIMP_IS_DRAWABLE (item) ? GIMP_DRAWABLE (item) : NULL;
}

static inline GimpLayer *
ns_gimp_layer (gint32 id)
{
  GimpItem *item = ns_gimp_item (id);
  return item != NULL && GIMP_IS_LAYER (item) ? GIMP_LAYER (item) : NULL;
}

static inline gint32
ns_gimp_id (gpointer item)
{
  return item != NULL ? gimp_item_get_id (GIMP_ITEM (item)) : -1;
}

#define NS_GIMP_IMAGE(id) gimp_image_get_by_id (id)

static inline gboolean ns_gimp_item_is_valid (gint32 id) { return ns_gimp_item (id) != NULL; }
static inline gboolean ns_gimp_item_is_drawable (gint32 id) { return ns_gimp_drawable (id) != NULL; }
static inline gboolean ns_gimp_item_is_layer (gint32 id) { return ns_gimp_layer (id) != NULL; }
static inline gboolean ns_gimp_image_is_valid (gint32 id) { return id > 0 && NS_GIMP_IMAGE (id) != NULL; }
static inline gint32 ns_gimp_item_get_image (gint32 id) { return gimp_image_get_id (gimp_item_get_image (ns_gimp_item (id))); }
static inline char *ns_gimp_item_get_name (gint32 id) { return gimp_item_get_name (ns_gimp_item (id)); }
static inline int ns_gimp_drawable_width (gint32 id) { return gimp_drawable_get_width (ns_gimp_drawable (id)); }
static inline int ns_gimp_drawable_height (gint32 id) { return gimp_drawable_get_height (ns_gimp_drawable (id)); }
static inline gboolean ns_gimp_drawable_is_indexed (gint32 id) { return gimp_drawable_is_indexed (ns_gimp_drawable (id)); }
static inline gboolean
ns_gimp_drawable_mask_intersect (gint32 id, int *x, int *y, int *width, int *height)
{
  return gimp_drawable_mask_intersect (ns_gimp_drawable (id), x, y, width, height);
}
static inline void ns_gimp_drawable_offsets (gint32 id, int *x, int *y) { gimp_drawable_get_offsets (ns_gimp_drawable (id), x, y); }
static inline GeglBuffer *ns_gimp_drawable_get_buffer (gint32 id) { return gimp_drawable_get_buffer (ns_gimp_drawable (id)); }
static inline const Babl *ns_gimp_drawable_get_format (gint32 id) { return gimp_drawable_get_format (ns_gimp_drawable (id)); }
static inline void ns_gimp_drawable_update (gint32 id, int x, int y, int w, int h) { gimp_drawable_update (ns_gimp_drawable (id), x, y, w, h); }
static inline gint32 ns_gimp_layer_get_mask (gint32 id) { return ns_gimp_id (gimp_layer_get_mask (ns_gimp_layer (id))); }
static inline gboolean ns_gimp_selection_is_empty (gint32 image) { return gimp_selection_is_empty (NS_GIMP_IMAGE (image)); }
static inline gint32 ns_gimp_image_get_selection (gint32 image) { return ns_gimp_id (gimp_image_get_selection (NS_GIMP_IMAGE (image))); }
static inline void ns_gimp_image_undo_group_start (gint32 image) { gimp_image_undo_group_start (NS_GIMP_IMAGE (image)); }
static inline void ns_gimp_image_undo_group_end (gint32 image) { gimp_image_undo_group_end (NS_GIMP_IMAGE (image)); }
static inline gint32
ns_gimp_layer_new (gint32 image, const char *name, int width, int height)
{
  GimpImage *i = NS_GIMP_IMAGE (image);
  return ns_gimp_id (gimp_layer_new (i, name, width, height, ns_gimp_layer_type (gimp_image_get_base_type (i)), 100.0,
                                     GIMP_LAYER_MODE_NORMAL));
}
/* Inserts `layer` just above `source`, in the same group. */
static inline gboolean
ns_gimp_insert_layer_above (gint32 image, gint32 layer, gint32 source)
{
  GimpImage *i = NS_GIMP_IMAGE (image);
  GimpItem *parent = gimp_item_get_parent (ns_gimp_item (source));
  return gimp_image_insert_layer (i, ns_gimp_layer (layer), parent != NULL ? GIMP_LAYER (parent) : NULL,
                                  gimp_image_get_item_position (i, ns_gimp_item (source)));
}
static inline void ns_gimp_layer_set_offsets (gint32 id, int x, int y) { gimp_layer_set_offsets (ns_gimp_layer (id), x, y); }
static inline gboolean
ns_gimp_layer_add_selection_mask (gint32 id)
{
  GimpLayerMask *mask = gimp_layer_create_mask (ns_gimp_layer (id), GIMP_ADD_MASK_SELECTION);
  return mask != NULL && gimp_layer_add_mask (ns_gimp_layer (id), mask);
}
static inline void ns_gimp_image_remove_layer (gint32 image, gint32 layer) { gimp_image_remove_layer (NS_GIMP_IMAGE (image), ns_gimp_layer (layer)); }
static inline void ns_gimp_item_delete (gint32 id) { gimp_item_delete (ns_gimp_item (id)); }
static inline char *ns_gimp_image_get_name (gint32 image) { return gimp_image_get_name (NS_GIMP_IMAGE (image)); }
/* The IDs of a NULL-terminated array of GIMP objects (freed), and their count. */
static inline gint32 *
ns_gimp_ids (gpointer *objects, gint32 (*id_of) (gpointer), int *n)
{
  for (*n = 0; objects != NULL && objects[*n] != NULL; (*n)++)
    ;
  gint32 *ids = g_new0 (gint32, MAX (*n, 1));
  for (int i = 0; i < *n; i++)
    ids[i] = id_of (objects[i]);
  g_free (objects);
  return ids;
}
static inline gint32 ns_gimp_image_id (gpointer image) { return gimp_image_get_id (image); }
/* The open images' IDs, and an image's top-level layers' IDs. */
static inline gint32 *ns_gimp_image_list (int *n) { return ns_gimp_ids ((gpointer *) gimp_get_images (), ns_gimp_image_id, n); }
static inline gint32 *
ns_gimp_image_get_layers (gint32 image, int *n)
{
  return ns_gimp_ids ((gpointer *) gimp_image_get_layers (NS_GIMP_IMAGE (image)), ns_gimp_id, n);
}

#else   /* GIMP 2.10: the calls take IDs */

#define ns_gimp_item_is_valid gimp_item_is_valid
#define ns_gimp_item_is_drawable gimp_item_is_drawable
#define ns_gimp_item_is_layer gimp_item_is_layer
#define ns_gimp_image_is_valid gimp_image_is_valid
#define ns_gimp_item_get_image gimp_item_get_image
#define ns_gimp_item_get_name gimp_item_get_name
#define ns_gimp_drawable_width gimp_drawable_width
#define ns_gimp_drawable_height gimp_drawable_height
#define ns_gimp_drawable_is_indexed gimp_drawable_is_indexed
#define ns_gimp_drawable_mask_intersect gimp_drawable_mask_intersect
#define ns_gimp_drawable_offsets gimp_drawable_offsets
#define ns_gimp_drawable_get_buffer gimp_drawable_get_buffer
#define ns_gimp_drawable_get_format gimp_drawable_get_format
#define ns_gimp_drawable_update gimp_drawable_update
#define ns_gimp_layer_get_mask gimp_layer_get_mask
#define ns_gimp_selection_is_empty gimp_selection_is_empty
#define ns_gimp_image_get_selection gimp_image_get_selection
#define ns_gimp_image_undo_group_start gimp_image_undo_group_start
#define ns_gimp_image_undo_group_end gimp_image_undo_group_end
#define ns_gimp_layer_set_offsets gimp_layer_set_offsets
#define ns_gimp_image_remove_layer gimp_image_remove_layer
#define ns_gimp_item_delete gimp_item_delete
#define ns_gimp_image_get_name gimp_image_get_name
#define ns_gimp_image_list gimp_image_list
#define ns_gimp_image_get_layers gimp_image_get_layers

static inline gint32
ns_gimp_layer_new (gint32 image, const char *name, int width, int height)
{
  return gimp_layer_new (image, name, width, height, ns_gimp_layer_type (gimp_image_base_type (image)), 100.0,
                         GIMP_LAYER_MODE_NORMAL);
}
static inline gboolean
ns_gimp_insert_layer_above (gint32 image, gint32 layer, gint32 source)
{
  return gimp_image_insert_layer (image, layer, gimp_item_get_parent (source),
                                  gimp_image_get_item_position (image, source));
}
static inline gboolean
ns_gimp_layer_add_selection_mask (gint32 id)
{
  gint32 mask = gimp_layer_create_mask (id, GIMP_ADD_MASK_SELECTION);
  return mask != -1 && gimp_layer_add_mask (id, mask);
}

#endif
