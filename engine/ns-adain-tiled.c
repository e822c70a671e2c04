/* AdaIN on images too large for the device, in overlapping tiles.
 *
 * Every tile must receive the same transform, or the seams would show: a
 * first pass encodes each tile and sums its own area's relu4_1 features into
 * the whole image's content statistics; the second pass encodes each tile
 * again (with a margin, so its own area sees its real neighbours), applies
 * AdaIN with those statistics, decodes, and blends the tiles with weights
 * that fall linearly to 0 across the margins (they add up to 1 everywhere).
 * Pass 1's features are kept on the host (up to a byte budget), so that most
 * tiles are encoded once: the encoder is nearly half of an AdaIN run's work.
 * Tile corners and margins are multiples of 8, so the pooling grid is the
 * untiled image's. */
#include "ns-adain-private.h"

#include "ns-cl-error.h"
#include "ns-colour.h"
#include "ns-i18n.h"
#include "ns-style-prep.h"
#include <math.h>

/* Each side of a tile sees this much of its neighbours, and the tiles are
 * blended over +-TILE_RAMP around their borders: what is kept of a tile lies
 * at least TILE_MARGIN - TILE_RAMP from its cut edges, beyond most of the
 * decoder's (about 30 px) and the encoder's (68 px) reach. */
#define TILE_MARGIN NS_TILE_MARGIN
#define TILE_RAMP 16
#define MIN_TILE 64

typedef struct {
  int x0, y0, x1, y1;       /* the tile's own area */
  int ex0, ey0, ex1, ey1;   /* with its margins, clipped to the image */
} Tile;

gsize
ns_adain_memory_estimate (NsAdain *adain, int width, int height)
{
  /* The largest layers hold 64 channels at full size: input, output, and in
   * the scratch buffer the padded copy (direct: dec1_1's) or the im2col /
   * Winograd strip (bounded by its budget).  What the scratch buffer holds
   * already is memory in use, counted by the caller: counted twice, a warm
   * engine tiled 1024² needlessly. */
  gsize plane = (gsize) (width + 16) * (height + 2) * sizeof (float);
  gsize scratch = 64 * plane;
  if (ns_ops_resolved_conv_algorithm (adain->ops) != NS_CONV_DIRECT)
    scratch = MAX (scratch, ns_ops_get_scratch_budget (adain->ops));
  return 2 * 64 * plane + ns_ops_get_scratch_growth_to (adain->ops, scratch);
}

static GArray *
make_tiles (int width, int height, int tile)
{
  GArray *tiles = g_array_new (FALSE, FALSE, sizeof (Tile));
  for (int y = 0; y < height; y += tile)
    for (int x = 0; x < width; x += tile)
      {
        Tile t = { x, y, MIN (x + tile, width), MIN (y + tile, height) };
        t.ex0 = MAX (0, t.x0 - TILE_MARGIN);
        t.ey0 = MAX (0, t.y0 - TILE_MARGIN);
        t.ex1 = MIN (width, t.x1 + TILE_MARGIN);
        t.ey1 = MIN (height, t.y1 + TILE_MARGIN);
        g_array_append_val (tiles, t);
      }
  return tiles;
}

/* relu4_1 of a tile's extended area: pass 1's copy when it was kept (`kept`,
 * CHW, NULL if not), else from the encoder; `encoded` counts the encoder's runs. */
static NsTensor *
tile_features (NsAdain *adain, const NsImage *image, const Tile *t, const float *kept, guint *encoded,
               GCancellable *cancellable, GError **error)
{
  const int w = t->ex1 - t->ex0, h = t->ey1 - t->ey0;
  if (kept != NULL)
    {
      g_autoptr (NsTensor) features = ns_tensor_new (adain->ctx, NS_RELU4_1_CHANNELS, h / NS_ENCODER_STRIDE,
                                                     w / NS_ENCODER_STRIDE, error);
      if (features == NULL || !ns_tensor_write (features, kept, error))
        return NULL;
      return g_steal_pointer (&features);
    }
  (*encoded)++;
  g_autoptr (NsImage) part = ns_image_crop (image, t->ex0, t->ey0, w, h);
  return ns_adain_encode (adain, part, cancellable, error);
}

/* Pass 1: the whole image's per-channel mean and variance, from each tile's
 * own area.  Each tile's features go into `kept` (one entry per tile, NULL
 * once keep_bytes would be exceeded). */
/* Each tile counts once in each pass: with its features kept, a second pass's
 * tile (AdaIN and the decoder) costs about what a first pass's (the encoder) does. */
static void
report (const NsAdainOptions *options, guint tiles_done, guint n_tiles)
{
  if (options->progress != NULL)
    options->progress ((double) tiles_done / (2.0 * n_tiles), options->progress_data);
}

static gboolean
global_content_stats (NsAdain *adain, const NsImage *image, GArray *tiles, const NsAdainOptions *options,
                      NsFeatureStats *stats, GPtrArray *kept, gsize keep_bytes, guint *encoded,
                      GCancellable *cancellable, GError **error)
{
  const int C = NS_RELU4_1_CHANNELS, s = NS_ENCODER_STRIDE;
  g_autofree double *sum = g_new0 (double, C), *sum_sq = g_new0 (double, C);
  double count = 0;
  gsize kept_bytes = 0;
  for (guint i = 0; i < tiles->len; i++)
    {
      const Tile *t = &g_array_index (tiles, Tile, i);
      g_autoptr (NsTensor) features = tile_features (adain, image, t, NULL, encoded, cancellable, error);
      if (features == NULL)
        return FALSE;
      const gsize bytes = ns_tensor_n_elements (features) * sizeof (float);
      g_autofree float *host = g_malloc (bytes);
      if (!ns_tensor_read (features, host, error))
        return FALSE;
      int fw = features->width, fh = features->height;
      int fx0 = (t->x0 - t->ex0) / s, fx1 = (t->x1 - t->ex0) / s;
      int fy0 = (t->y0 - t->ey0) / s, fy1 = (t->y1 - t->ey0) / s;
      for (int c = 0; c < C; c++)
        for (int y = fy0; y < fy1; y++)
          for (int x = fx0; x < fx1; x++)
            {
              double v = host[((gsize) c * fh + y) * fw + x];
              sum[c] += v;
              sum_sq[c] += v * v;
            }
      count += (double) (fy1 - fy0) * (fx1 - fx0);
      const gboolean keep = kept_bytes + bytes <= keep_bytes;
      kept_bytes += keep ? bytes : 0;
      g_ptr_array_add (kept, keep ? g_steal_pointer (&host) : NULL);
      report (options, i + 1, tiles->len);
    }
  g_autofree float *mean = g_new (float, C), *var = g_new (float, C);
  for (int c = 0; c < C; c++)
    {
      mean[c] = (float) (sum[c] / count);
      var[c] = (float) fmax (sum_sq[c] / count - (sum[c] / count) * (sum[c] / count), 0.0);
    }
  gsize bytes = C * sizeof (float);
  return (stats->mean = ns_cl_buffer_new (adain->ctx, bytes, error)) != NULL
      && (stats->var = ns_cl_buffer_new (adain->ctx, bytes, error)) != NULL
      && ns_cl_buffer_write (stats->mean, 0, mean, bytes, error) && ns_cl_buffer_write (stats->var, 0, var, bytes, error);
}

/* The weight of a tile at coordinate v along one axis: 1 on its own area,
 * falling linearly to 0 across +-TILE_RAMP around a border it shares with a
 * neighbour (whose weight rises there: they add up to 1). */
static float
ramp (int v, int own0, int own1, int ext0, int ext1)
{
  float w = 1.0f;
  if (ext0 < own0)
    w = fminf (w, (v + 0.5f - (own0 - TILE_RAMP)) / (2.0f * TILE_RAMP));
  if (ext1 > own1)
    w = fminf (w, ((own1 + TILE_RAMP) - (v + 0.5f)) / (2.0f * TILE_RAMP));
  return CLAMP (w, 0.0f, 1.0f);
}

struct _NsAdainTiling {
  NsAdain *adain;
  NsImage *rgb;                 /* the content as RGB: luminance mode's chroma */
  NsImage *image;               /* padded (and grey in luminance mode): what the tiles cut */
  NsImage *mask;                /* padded grey mask, or NULL */
  NsColourPreservation colour;
  int left, top;                /* where the content sits in `image` */
  GArray *tiles;
  NsFeatureStats content, inside, outside;
  GPtrArray *kept;              /* pass 1's features per tile (CHW), or NULL where not kept */
  guint encoded;
};

void
ns_adain_tiling_free (NsAdainTiling *tiling)
{
  if (tiling == NULL)
    return;
  g_clear_pointer (&tiling->rgb, ns_image_free);
  g_clear_pointer (&tiling->image, ns_image_free);
  g_clear_pointer (&tiling->mask, ns_image_free);
  g_clear_pointer (&tiling->tiles, g_array_unref);
  ns_feature_stats_clear (&tiling->content);
  ns_feature_stats_clear (&tiling->inside);
  ns_feature_stats_clear (&tiling->outside);
  g_clear_pointer (&tiling->kept, g_ptr_array_unref);
  g_free (tiling);
}

NsAdainTiling *
ns_adain_tiling_new (NsAdain *adain, const NsImage *content, const NsAdainOptions *options, int tile,
                     gsize keep_bytes, GCancellable *cancellable, GError **error)
{
  if (!ns_adain_check_options (content, options, error))
    return NULL;
  tile = MAX (MIN_TILE, tile / NS_ENCODER_STRIDE * NS_ENCODER_STRIDE);
  g_autoptr (NsAdainTiling) t = g_new0 (NsAdainTiling, 1);
  t->adain = adain;
  t->colour = options->colour;
  t->rgb = ns_image_to_rgb (content);
  if (!ns_adain_blend_stats (adain, options->styles, options->n_styles, t->rgb, options, &t->inside, cancellable,
                             error)
      || (options->mask != NULL
          && !ns_adain_blend_stats (adain, options->outside_styles, options->n_outside_styles, t->rgb, options,
                                    &t->outside, cancellable, error)))
    return NULL;

  int right, bottom;
  ns_adain_padding (content, &t->left, &t->top, &right, &bottom);
  g_autoptr (NsImage) padded = ns_image_pad_reflect (t->rgb, t->left, t->top, right, bottom);
  t->image = options->colour == NS_COLOUR_LUMINANCE ? ns_colour_grey_rgb (padded) : g_steal_pointer (&padded);
  if (options->mask != NULL)
    {
      g_autoptr (NsImage) grey = ns_style_mask_grey (options->mask);
      t->mask = ns_image_pad_reflect (grey, t->left, t->top, right, bottom);
    }
  t->tiles = make_tiles (t->image->width, t->image->height, tile);
  t->kept = g_ptr_array_new_with_free_func (g_free);
  if (!global_content_stats (adain, t->image, t->tiles, options, &t->content, t->kept, keep_bytes, &t->encoded,
                             cancellable, error))
    return NULL;
  return g_steal_pointer (&t);
}

guint
ns_adain_tiling_n_tiles (const NsAdainTiling *tiling)
{
  return tiling->tiles->len;
}

guint
ns_adain_tiling_encoded (const NsAdainTiling *tiling)
{
  return tiling->encoded;
}

/* A window of the content in the padded image's coordinates. */
static void
padded_window (const NsAdainTiling *tiling, const NsAdainWindow *window, int *x0, int *y0, int *x1, int *y1)
{
  *x0 = window->x + tiling->left;
  *y0 = window->y + tiling->top;
  *x1 = *x0 + window->width;
  *y1 = *y0 + window->height;
}

gboolean
ns_adain_tiling_touches (const NsAdainTiling *tiling, guint i, const NsAdainWindow *window)
{
  const Tile *t = &g_array_index (tiling->tiles, Tile, i);
  int x0, y0, x1, y1;
  padded_window (tiling, window, &x0, &y0, &x1, &y1);
  /* A tile weighs on its own area and TILE_RAMP around it, within its margins. */
  return MAX (t->ex0, t->x0 - TILE_RAMP) < x1 && MIN (t->ex1, t->x1 + TILE_RAMP) > x0
      && MAX (t->ey0, t->y0 - TILE_RAMP) < y1 && MIN (t->ey1, t->y1 + TILE_RAMP) > y0;
}

NsImage *
ns_adain_tiling_decode (NsAdainTiling *tiling, guint i, double alpha, GCancellable *cancellable, GError **error)
{
  NsAdain *adain = tiling->adain;
  const Tile *t = &g_array_index (tiling->tiles, Tile, i);
  const NsFeatureStats *content = &tiling->content, *inside = &tiling->inside, *outside = &tiling->outside;
  g_autoptr (NsTensor) features = tile_features (adain, tiling->image, t, g_ptr_array_index (tiling->kept, i),
                                                 &tiling->encoded, cancellable, error);
  if (features == NULL)
    return NULL;
  g_autoptr (NsTensor) target = ns_op_adain_blend (adain->ops, features, content->mean, content->var, inside->mean,
                                                   inside->var, (float) alpha, NS_ADAIN_EPS, error);
  if (target == NULL)
    return NULL;
  if (tiling->mask != NULL)
    {
      g_autoptr (NsImage) part = ns_image_crop (tiling->mask, t->ex0, t->ey0, t->ex1 - t->ex0, t->ey1 - t->ey0);
      g_autoptr (NsClBuffer) small = ns_adain_mask_buffer (adain, part, error);
      g_autoptr (NsTensor) other = small == NULL ? NULL
        : ns_op_adain_blend (adain->ops, features, content->mean, content->var, outside->mean, outside->var,
                             (float) alpha, NS_ADAIN_EPS, error);
      NsTensor *mixed = other != NULL ? ns_op_mask_mix (adain->ops, target, other, small, error) : NULL;
      if (mixed == NULL)
        return NULL;
      ns_tensor_free (target);
      target = mixed;
    }
  g_clear_pointer (&features, ns_tensor_free);
  g_autoptr (NsTensor) output = ns_network_run (adain->decoder, adain->ops, target, cancellable, error);
  return output != NULL ? ns_tensor_to_image (output, error) : NULL;
}

void
ns_adain_tiling_forget (NsAdainTiling *tiling, guint i)
{
  g_clear_pointer (&g_ptr_array_index (tiling->kept, i), g_free);
}

void
ns_adain_tiling_add (const NsAdainTiling *tiling, guint i, const NsImage *decoded, const NsAdainWindow *window,
                     float *acc, float *weight)
{
  const Tile *t = &g_array_index (tiling->tiles, Tile, i);
  int x0, y0, x1, y1;
  padded_window (tiling, window, &x0, &y0, &x1, &y1);
  /* Only the part within TILE_RAMP of the own area has weight; the sums
   * follow the tiles' order, so any window gets the same floats. */
  for (int y = MAX (t->ey0, y0); y < MIN (t->ey1, y1); y++)
    {
      float wy = ramp (y, t->y0, t->y1, t->ey0, t->ey1);
      for (int x = MAX (t->ex0, x0); x < MIN (t->ex1, x1); x++)
        {
          float w = wy * ramp (x, t->x0, t->x1, t->ex0, t->ex1);
          gsize at = (gsize) (y - y0) * window->width + (x - x0);
          const float *p = ns_image_pixel (decoded, x - t->ex0, y - t->ey0);
          for (int c = 0; c < 3; c++)
            acc[3 * at + c] += w * p[c];
          weight[at] += w;
        }
    }
}

NsImage *
ns_adain_tiling_finish (const NsAdainTiling *tiling, const NsAdainWindow *window, const float *acc,
                        const float *weight)
{
  g_autoptr (NsImage) result = ns_image_new (window->width, window->height, 3);
  for (gsize at = 0; at < (gsize) window->width * window->height; at++)
    for (int c = 0; c < 3; c++)
      result->data[3 * at + c] = acc[3 * at + c] / weight[at];
  if (tiling->colour != NS_COLOUR_LUMINANCE)
    return g_steal_pointer (&result);
  g_autoptr (NsImage) chroma = ns_image_crop (tiling->rgb, window->x, window->y, window->width, window->height);
  return ns_colour_combine_luma_chroma (result, chroma);
}

NsImage *
ns_adain_tiled_run (NsAdain *adain, const NsImage *content, const NsAdainOptions *options, int tile,
                    gsize keep_bytes, guint *encoded, GCancellable *cancellable, GError **error)
{
  if (encoded != NULL)
    *encoded = 0;
  if (!ns_adain_check_alpha (options->alpha, error))
    return NULL;
  g_autoptr (NsAdainTiling) tiling = ns_adain_tiling_new (adain, content, options, tile, keep_bytes, cancellable,
                                                          error);
  if (tiling == NULL)
    return NULL;
  const NsAdainWindow all = { 0, 0, content->width, content->height };
  const gsize n = (gsize) all.width * all.height;
  g_autofree float *acc = g_new0 (float, 3 * n), *weight = g_new0 (float, n);
  const guint n_tiles = ns_adain_tiling_n_tiles (tiling);
  for (guint i = 0; i < n_tiles; i++)
    {
      g_autoptr (NsImage) decoded = ns_adain_tiling_decode (tiling, i, options->alpha, cancellable, error);
      if (decoded == NULL)
        return NULL;
      ns_adain_tiling_forget (tiling, i);   /* used: the host memory goes back at once */
      ns_adain_tiling_add (tiling, i, decoded, &all, acc, weight);
      report (options, n_tiles + i + 1, n_tiles);
    }
  if (encoded != NULL)
    *encoded = ns_adain_tiling_encoded (tiling);
  return ns_adain_tiling_finish (tiling, &all, acc, weight);
}
