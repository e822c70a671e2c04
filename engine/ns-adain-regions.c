/* A whole AdaIN run's result, one region at a time: the dialog's 1:1 preview.
 * The plan (ns_adain_plan), the prepared pair of an untiled run and the
 * tiling of a tiled one are the run's own, so nothing here computes a pixel
 * differently; what is added is only which tiles to take and what to keep
 * between renders. */
#include "ns-adain-private.h"

#include "ns-i18n.h"

struct _NsAdainRegions {
  NsEngine *engine;
  int width, height;             /* the content's */
  int tile;                      /* 0: untiled */
  NsAdainPrepared *prepared;     /* untiled */
  NsImage *whole;                /* untiled: the last whole result, at `alpha` */
  NsAdainTiling *tiling;         /* tiled */
  GHashTable *decoded;           /* tiled: tile index -> its decoded result at `alpha` */
  double alpha;
};

void
ns_adain_regions_free (NsAdainRegions *regions)
{
  if (regions == NULL)
    return;
  g_clear_pointer (&regions->prepared, ns_adain_prepared_free);
  g_clear_pointer (&regions->whole, ns_image_free);
  g_clear_pointer (&regions->tiling, ns_adain_tiling_free);
  g_clear_pointer (&regions->decoded, g_hash_table_unref);
  g_free (regions);
}

NsAdainRegions *
ns_adain_regions_new (NsEngine *engine, const NsImage *content, const NsAdainOptions *options,
                      GCancellable *cancellable, GError **error)
{
  gsize budget;
  int tile;
  if (!ns_adain_check_options (content, options, error)
      || !ns_adain_plan (engine, content, options, &tile, &budget, error))
    return NULL;
  g_autoptr (NsAdainRegions) regions = g_new0 (NsAdainRegions, 1);
  regions->engine = engine;
  regions->width = content->width;
  regions->height = content->height;
  regions->tile = tile;
  regions->alpha = -1.0;
  regions->decoded = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, (GDestroyNotify) ns_image_free);
  if (tile == 0)
    regions->prepared = ns_adain_prepare (engine, content, options, TRUE, cancellable, error);
  else   /* the features kept as ns_engine_stylise_with_options() keeps them */
    regions->tiling = ns_adain_tiling_new (engine, content, options, tile, budget / 2, cancellable, error);
  if (regions->prepared == NULL && regions->tiling == NULL)
    return NULL;
  return g_steal_pointer (&regions);
}

int
ns_adain_regions_get_tile_size (const NsAdainRegions *regions)
{
  return regions->tile;
}

static NsImage *
render_tiled (NsAdainRegions *regions, const NsAdainWindow *window, double alpha, GCancellable *cancellable,
              GError **error)
{
  const gsize n = (gsize) window->width * window->height;
  g_autofree float *acc = g_new0 (float, 3 * n), *weight = g_new0 (float, n);
  g_autoptr (GHashTable) used = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < ns_adain_tiling_n_tiles (regions->tiling); i++)
    {
      if (!ns_adain_tiling_touches (regions->tiling, i, window))
        continue;
      NsImage *decoded = g_hash_table_lookup (regions->decoded, GUINT_TO_POINTER (i));
      if (decoded == NULL)
        {
          if ((decoded = ns_adain_tiling_decode (regions->tiling, i, alpha, cancellable, error)) == NULL)
            return NULL;
          g_hash_table_insert (regions->decoded, GUINT_TO_POINTER (i), decoded);
        }
      g_hash_table_add (used, GUINT_TO_POINTER (i));
      ns_adain_tiling_add (regions->tiling, i, decoded, window, acc, weight);
    }
  /* Only the tiles under the region stay decoded: the memory stays a region's. */
  GHashTableIter iter;
  gpointer key;
  g_hash_table_iter_init (&iter, regions->decoded);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (used, key))
      g_hash_table_iter_remove (&iter);
  return ns_adain_tiling_finish (regions->tiling, window, acc, weight);
}

NsImage *
ns_adain_regions_render (NsAdainRegions *regions, int x, int y, int width, int height, double alpha,
                         GCancellable *cancellable, GError **error)
{
  if (!ns_engine_check_alpha (alpha, error))
    return NULL;
  if (x < 0 || y < 0 || width < 1 || height < 1 || x + width > regions->width || y + height > regions->height)
    {
      g_set_error (error, NS_ENGINE_ERROR, NS_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("The region %d x %d at (%d, %d) does not lie inside the %d x %d image."), width, height, x, y,
                   regions->width, regions->height);
      return NULL;
    }
  if (alpha != regions->alpha)
    {
      g_clear_pointer (&regions->whole, ns_image_free);
      g_hash_table_remove_all (regions->decoded);
      regions->alpha = alpha;
    }
  const NsAdainWindow window = { x, y, width, height };
  if (regions->tiling != NULL)
    return render_tiled (regions, &window, alpha, cancellable, error);
  if (regions->whole == NULL
      && (regions->whole = ns_adain_prepared_render (regions->prepared, alpha, cancellable, error)) == NULL)
    return NULL;
  return ns_image_crop (regions->whole, x, y, width, height);
}
