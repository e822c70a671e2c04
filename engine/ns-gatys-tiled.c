/* See ns-gatys-tiled.h for why the tiled objective is exact. */
#include "ns-gatys-tiled.h"

#include <string.h>

typedef struct {
  int x0, y0, x1, y1;       /* the tile's own area */
  int ex0, ey0, ex1, ey1;   /* with its halo, clipped to the image */
} Tile;

struct _NsGatysTiled {
  NsGatysObjective *obj;
  NsNetwork *vgg;
  NsVecOps *vec;
  NsClContext *ctx;
  int width, height, tile;
  GArray *tiles;
  int *strides;                    /* per network step: input pixels per position */
  /* relu4_2 of the whole content, on the host: the target. */
  guint content_step;
  int content_c, content_h, content_w;
  float *content_target;
  NsGatysTarget targets[2];        /* inside (or the only one), outside */
  gboolean masked;
  NsGatysMaskLevels mask;          /* the whole image's mask pyramid, when masked */
  int level_c[NS_GATYS_N_STYLE_LAYERS], level_w[NS_GATYS_N_STYLE_LAYERS], level_h[NS_GATYS_N_STYLE_LAYERS];
  double areas[NS_GATYS_N_STYLE_LAYERS][2];
  /* The whole image's Gram matrices per layer and region, then G - A. */
  NsClBuffer *grams[NS_GATYS_N_STYLE_LAYERS][2];
  NsClBuffer *part;                /* one tile's Gram matrix */
  /* During an evaluation: */
  const Tile *current;
  NsGatysLosses losses;
  double content_weight, style_weight;
};

static void
make_tiles (NsGatysTiled *t)
{
  g_array_set_size (t->tiles, 0);
  for (int y = 0; y < t->height; y += t->tile)
    for (int x = 0; x < t->width; x += t->tile)
      {
        Tile tile = { x, y, MIN (x + t->tile, t->width), MIN (y + t->tile, t->height) };
        tile.ex0 = MAX (0, tile.x0 - NS_GATYS_TILE_HALO);
        tile.ey0 = MAX (0, tile.y0 - NS_GATYS_TILE_HALO);
        tile.ex1 = MIN (t->width, tile.x1 + NS_GATYS_TILE_HALO);
        tile.ey1 = MIN (t->height, tile.y1 + NS_GATYS_TILE_HALO);
        g_array_append_val (t->tiles, tile);
      }
}

void
ns_gatys_tiled_set_tile (NsGatysTiled *t, int tile)
{
  t->tile = MAX (NS_GATYS_MIN_TILE, tile / NS_GATYS_TILE_ALIGN * NS_GATYS_TILE_ALIGN);
  make_tiles (t);
}

int
ns_gatys_tiled_get_tile (NsGatysTiled *t)
{
  return t->tile;
}

guint
ns_gatys_tiled_n_tiles (NsGatysTiled *t)
{
  return t->tiles->len;
}

void
ns_gatys_tiled_free (NsGatysTiled *t)
{
  if (t == NULL)
    return;
  if (t->tiles != NULL)
    g_array_unref (t->tiles);
  g_free (t->strides);
  g_free (t->content_target);
  ns_gatys_mask_levels_clear (&t->mask);
  for (int k = 0; k < NS_GATYS_N_STYLE_LAYERS; k++)
    for (int r = 0; r < 2; r++)
      ns_cl_buffer_free (t->grams[k][r]);
  ns_cl_buffer_free (t->part);
  g_free (t);
}

/* A tile's own area at network step i, in the tile's positions there: the
 * halo is a multiple of every stride, and a tile ending at the image's edge
 * ends where the pooling's flooring ends it. */
static void
own_area (const NsGatysTiled *t, const Tile *tile, guint i, const NsTensor *f, int *lx0, int *ly0, int *lx1,
          int *ly1)
{
  int s = t->strides[i];
  *lx0 = (tile->x0 - tile->ex0) / s;
  *ly0 = (tile->y0 - tile->ey0) / s;
  *lx1 = MIN (f->width, (tile->x1 - tile->ex0) / s);
  *ly1 = MIN (f->height, (tile->y1 - tile->ey0) / s);
}

/* The tile's x (3 x eh x ew) on the device. */
static NsTensor *
upload_tile (NsGatysTiled *t, const Tile *tile, const float *x, GError **error)
{
  int ew = tile->ex1 - tile->ex0, eh = tile->ey1 - tile->ey0;
  g_autofree float *part = g_new (float, (gsize) 3 * ew * eh);
  for (int c = 0; c < 3; c++)
    for (int y = 0; y < eh; y++)
      memcpy (part + ((gsize) c * eh + y) * ew, x + ((gsize) c * t->height + tile->ey0 + y) * t->width + tile->ex0,
              ew * sizeof (float));
  g_autoptr (NsTensor) tensor = ns_tensor_new (t->ctx, 3, eh, ew, error);
  if (tensor == NULL || !ns_tensor_write (tensor, part, error))
    return NULL;
  return g_steal_pointer (&tensor);
}

/* The weight of each of the tile's positions at step i (style layer k) in
 * region r: 0 outside its own area, else 1, or the mask (r = 0) or 1 - mask
 * (r = 1) there.  k < 0: the own area's indicator. */
static NsClBuffer *
region_weights (NsGatysTiled *t, guint i, int k, int r, const NsTensor *f, GError **error)
{
  const Tile *tile = t->current;
  int lx0, ly0, lx1, ly1, s = t->strides[i];
  own_area (t, tile, i, f, &lx0, &ly0, &lx1, &ly1);
  gsize n = (gsize) f->width * f->height;
  g_autofree float *w = g_new0 (float, n);
  for (int y = ly0; y < ly1; y++)
    for (int x = lx0; x < lx1; x++)
      {
        float v = 1.0f;
        if (t->masked && k >= 0)
          {
            float m = t->mask.levels[k][(gsize) (tile->ey0 / s + y) * t->mask.widths[k] + tile->ex0 / s + x];
            v = r == 0 ? m : 1.0f - m;
          }
        w[(gsize) y * f->width + x] = v;
      }
  g_autoptr (NsClBuffer) buffer = ns_cl_buffer_new (t->ctx, n * sizeof (float), error);
  if (buffer == NULL || !ns_cl_buffer_write (buffer, 0, w, n * sizeof (float), error))
    return NULL;
  return g_steal_pointer (&buffer);
}

/* f weighted by w, a new tensor. */
static NsTensor *
weighted (NsGatysTiled *t, const NsTensor *f, const NsClBuffer *w, GError **error)
{
  g_autoptr (NsTensor) fw = ns_tensor_new (t->ctx, f->channels, f->height, f->width, error);
  if (fw == NULL
      || !ns_op_mask_channels (ns_gatys_objective_get_grad_ops (t->obj), f, w, FALSE, fw, FALSE, error))
    return NULL;
  return g_steal_pointer (&fw);
}

static gboolean
region_used (const NsGatysTiled *t, int k, int r)
{
  return t->targets[r].grams != NULL && t->areas[k][r] > NS_GATYS_MIN_REGION_AREA;
}

/* Pass 1: the tile's own-area Gram products added into the whole image's. */
static gboolean
add_tile_grams (NsGatysTiled *t, const NsGatysActivations *a, GError **error)
{
  for (guint i = 0; i < a->n; i++)
    {
      int k = ns_gatys_objective_style_index (t->obj, i);
      if (k < 0)
        continue;
      const NsTensor *f = a->acts[i];
      const gsize C = f->channels, M_tile = (gsize) f->width * f->height;
      for (int r = 0; r < 2; r++)
        {
          if (!region_used (t, k, r))
            continue;
          g_autoptr (NsClBuffer) w = region_weights (t, i, k, r, f, error);
          g_autoptr (NsTensor) fw = w != NULL ? weighted (t, f, w, error) : NULL;
          /* ns_op_gram divides by the tile's positions; the region's G by its area. */
          if (fw == NULL || !ns_op_gram (ns_gatys_objective_get_grad_ops (t->obj), fw, t->part, error)
              || !ns_vec_axpby (t->vec, t->part, (double) M_tile / t->areas[k][r], t->grams[k][r], 1.0, C * C,
                                error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Pass 2's terms: those of the tile's own area, with the whole image's G - A. */
static gboolean
add_tile_terms (NsGatysObjective *obj, guint i, const NsTensor *f, NsTensor **g, gpointer user_data, GError **error)
{
  NsGatysTiled *t = user_data;
  NsGradOps *grad = ns_gatys_objective_get_grad_ops (obj);
  int k = ns_gatys_objective_style_index (obj, i);
  if (k >= 0)
    {
      const gsize C = f->channels, M = (gsize) t->level_w[k] * t->level_h[k];
      float coef = (float) (t->style_weight * NS_GATYS_STYLE_LAYER_WEIGHT / ((double) C * C * M));
      for (int r = 0; r < 2; r++)
        {
          if (!region_used (t, k, r))
            continue;
          /* d/dF of the region's term: coef ((G - A) (F w)) w. */
          g_autoptr (NsClBuffer) w = region_weights (t, i, k, r, f, error);
          g_autoptr (NsTensor) fw = w != NULL ? weighted (t, f, w, error) : NULL;
          g_autoptr (NsTensor) d = fw != NULL ? ns_tensor_new (t->ctx, f->channels, f->height, f->width, error) : NULL;
          if (d == NULL || !ns_op_gram_backward (grad, t->grams[k][r], fw, coef, d, FALSE, error)
              || !ns_gatys_objective_ensure_grad (obj, g, f, error)
              || !ns_op_mask_channels (grad, d, w, FALSE, *g, TRUE, error))
            return FALSE;
        }
    }
  if (i == t->content_step && t->content_weight != 0)
    {
      /* Zero outside the own area in both the features and the target. */
      const Tile *tile = t->current;
      int lx0, ly0, lx1, ly1, s = t->strides[i];
      own_area (t, tile, i, f, &lx0, &ly0, &lx1, &ly1);
      gsize plane = (gsize) f->width * f->height;
      g_autofree float *p = g_new0 (float, plane * f->channels);
      for (int c = 0; c < f->channels; c++)
        for (int y = ly0; y < ly1; y++)
          memcpy (p + c * plane + (gsize) y * f->width + lx0,
                  t->content_target + ((gsize) c * t->content_h + tile->ey0 / s + y) * t->content_w
                    + tile->ex0 / s + lx0,
                  (lx1 - lx0) * sizeof (float));
      g_autoptr (NsTensor) target = ns_tensor_new (t->ctx, f->channels, f->height, f->width, error);
      g_autoptr (NsClBuffer) w = target != NULL && ns_tensor_write (target, p, error)
                                   ? region_weights (t, i, -1, 0, f, error) : NULL;
      g_autoptr (NsTensor) fw = w != NULL ? weighted (t, f, w, error) : NULL;
      double ss;
      if (fw == NULL || !ns_gatys_objective_ensure_grad (obj, g, f, error)
          || !ns_op_content_grad (grad, fw, target, (float) t->content_weight, *g, &ss, error))
        return FALSE;
      t->losses.content += 0.5 * ss;
    }
  return TRUE;
}

/* Pass 2 for one tile: its pixel gradient added into grad. */
static gboolean
add_tile_gradient (NsGatysTiled *t, const float *x, float *grad, GError **error)
{
  const Tile *tile = t->current;
  g_autoptr (NsTensor) xt = upload_tile (t, tile, x, error);
  g_auto (NsGatysActivations) a = { 0 };
  if (xt == NULL || !ns_gatys_objective_forward (t->obj, xt, &a, error))
    return FALSE;
  g_autoptr (NsTensor) g = ns_gatys_objective_backward (t->obj, xt, &a, add_tile_terms, t, error);
  if (g == NULL)
    return FALSE;
  ns_gatys_activations_clear (&a);
  int ew = g->width, eh = g->height;
  g_autofree float *part = g_new (float, (gsize) 3 * ew * eh);
  if (!ns_tensor_read (g, part, error))
    return FALSE;
  if (grad != NULL)
    for (int c = 0; c < 3; c++)
      for (int y = 0; y < eh; y++)
        {
          float *row = grad + ((gsize) c * t->height + tile->ey0 + y) * t->width + tile->ex0;
          const float *src = part + ((gsize) c * eh + y) * ew;
          for (int xx = 0; xx < ew; xx++)
            row[xx] += src[xx];
        }
  return TRUE;
}

gboolean
ns_gatys_tiled_evaluate (NsGatysTiled *t, const float *x, float *grad, double content_weight, double style_weight,
                         double tv_weight, NsGatysLosses *losses, GError **error)
{
  NsGradOps *gops = ns_gatys_objective_get_grad_ops (t->obj);
  t->losses = (NsGatysLosses) { 0 };
  t->content_weight = content_weight;
  t->style_weight = style_weight;
  for (int k = 0; k < NS_GATYS_N_STYLE_LAYERS; k++)
    for (int r = 0; r < 2; r++)
      if (region_used (t, k, r) && !ns_vec_zero (t->vec, t->grams[k][r], (gsize) t->level_c[k] * t->level_c[k], error))
        return FALSE;

  for (guint j = 0; j < t->tiles->len; j++)
    {
      t->current = &g_array_index (t->tiles, Tile, j);
      g_autoptr (NsTensor) xt = upload_tile (t, t->current, x, error);
      g_auto (NsGatysActivations) a = { 0 };
      if (xt == NULL || !ns_gatys_objective_forward (t->obj, xt, &a, error) || !add_tile_grams (t, &a, error))
        return FALSE;
    }
  for (int k = 0; k < NS_GATYS_N_STYLE_LAYERS; k++)
    for (int r = 0; r < 2; r++)
      {
        if (!region_used (t, k, r))
          continue;
        const gsize C = t->level_c[k];
        const double M = (double) t->level_w[k] * t->level_h[k];
        double ss;
        if (!ns_op_sub_square_sum (gops, t->grams[k][r], t->targets[r].grams[k], C * C, &ss, error))
          return FALSE;
        if (t->targets[r].offsets != NULL)
          ss += t->targets[r].offsets[k];
        t->losses.style += NS_GATYS_STYLE_LAYER_WEIGHT * (t->areas[k][r] / M) * ss / (4.0 * C * C);
      }

  gsize n = (gsize) 3 * t->width * t->height;
  if (grad != NULL)
    memset (grad, 0, n * sizeof (float));
  /* The content term comes from pass 2 even when no gradient is wanted. */
  if (grad != NULL || content_weight != 0)
    for (guint j = 0; j < t->tiles->len; j++)
      {
        t->current = &g_array_index (t->tiles, Tile, j);
        if (!add_tile_gradient (t, x, grad, error))
          return FALSE;
      }
  if (tv_weight != 0)
    t->losses.tv = ns_gatys_host_tv (x, 3, t->height, t->width, (float) tv_weight, grad);
  t->losses.total = content_weight * t->losses.content + style_weight * t->losses.style + tv_weight * t->losses.tv;
  if (losses != NULL)
    *losses = t->losses;
  return TRUE;
}

double
ns_gatys_host_tv (const float *x, int channels, int height, int width, float coef, float *grad)
{
  double tv = 0;
  for (int c = 0; c < channels; c++)
    for (int y = 0; y < height; y++)
      for (int xx = 0; xx < width; xx++)
        {
          gsize i = ((gsize) c * height + y) * width + xx;
          const float v = x[i];
          float d = 0.0f;
          if (xx + 1 < width)
            {
              const float r = x[i + 1] - v;
              tv += r * r;
              d -= r;
            }
          if (y + 1 < height)
            {
              const float b = x[i + width] - v;
              tv += b * b;
              d -= b;
            }
          if (xx > 0)
            d += v - x[i - 1];
          if (y > 0)
            d += v - x[i - width];
          if (grad != NULL)
            grad[i] += coef * 2.0f * d;
        }
  return tv;
}

/* relu4_2 of the whole content, tile by tile, into t->content_target. */
static gboolean
content_target_by_tiles (NsGatysTiled *t, const NsImage *content, GError **error)
{
  g_autofree float *chw = ns_image_to_chw (content);
  for (guint j = 0; j < t->tiles->len; j++)
    {
      const Tile *tile = &g_array_index (t->tiles, Tile, j);
      g_autoptr (NsTensor) xt = upload_tile (t, tile, chw, error);
      g_auto (NsGatysActivations) a = { 0 };
      if (xt == NULL || !ns_gatys_objective_forward (t->obj, xt, &a, error))
        return FALSE;
      const NsTensor *f = a.acts[t->content_step];
      if (t->content_target == NULL)
        t->content_target = g_new0 (float, (gsize) t->content_c * t->content_h * t->content_w);
      g_autofree float *host = g_new (float, ns_tensor_n_elements (f));
      if (!ns_tensor_read (f, host, error))
        return FALSE;
      int lx0, ly0, lx1, ly1, s = t->strides[t->content_step];
      own_area (t, tile, t->content_step, f, &lx0, &ly0, &lx1, &ly1);
      for (int c = 0; c < f->channels; c++)
        for (int y = ly0; y < ly1; y++)
          memcpy (t->content_target + ((gsize) c * t->content_h + tile->ey0 / s + y) * t->content_w
                    + tile->ex0 / s + lx0,
                  host + ((gsize) c * f->height + y) * f->width + lx0, (lx1 - lx0) * sizeof (float));
    }
  return TRUE;
}

NsGatysTiled *
ns_gatys_tiled_new (NsGatysObjective *obj, NsVecOps *vec, const NsImage *content, const NsGatysTarget *inside,
                    const NsGatysTarget *outside, const NsImage *mask, int tile, GError **error)
{
  g_return_val_if_fail (content->channels == 3, NULL);
  g_return_val_if_fail (mask == NULL || (mask->width == content->width && mask->height == content->height
                                         && outside != NULL), NULL);
  g_autoptr (NsGatysTiled) t = g_new0 (NsGatysTiled, 1);
  t->obj = obj;
  t->vgg = ns_gatys_objective_get_network (obj);
  t->vec = vec;
  t->ctx = ns_ops_get_context (ns_gatys_objective_get_ops (obj));
  t->width = content->width;
  t->height = content->height;
  t->tiles = g_array_new (FALSE, FALSE, sizeof (Tile));
  ns_gatys_tiled_set_tile (t, tile);
  t->targets[0] = *inside;
  if (mask != NULL)
    t->targets[1] = *outside;
  t->masked = mask != NULL;
  if (t->masked)
    ns_gatys_mask_levels_init (obj, mask, &t->mask);

  /* Each step's stride and, at the style and content layers, its size for
   * the whole image (as the max-pools floor it). */
  guint n = ns_network_n_steps (t->vgg);
  t->strides = g_new (int, n);
  int stride = 1, w = t->width, h = t->height;
  gsize largest = 0;
  for (guint i = 0; i < n; i++)
    {
      const NsStepSpec *spec = ns_network_step_spec (t->vgg, i);
      if (spec->kind == NS_STEP_MAXPOOL)
        stride *= 2, w /= 2, h /= 2;
      t->strides[i] = stride;
      int k = ns_gatys_objective_style_index (obj, i);
      if (k >= 0)
        {
          t->level_c[k] = spec->out_channels;
          t->level_w[k] = w;
          t->level_h[k] = h;
          largest = MAX (largest, (gsize) spec->out_channels * spec->out_channels);
          if (t->masked)
            ns_gatys_mask_levels_areas (&t->mask, k, &t->areas[k][0], &t->areas[k][1]);
          else
            t->areas[k][0] = (double) w * h;
          for (int r = 0; r < 2; r++)
            if (region_used (t, k, r)
                && (t->grams[k][r] = ns_cl_buffer_new (t->ctx, (gsize) spec->out_channels * spec->out_channels
                                                                 * sizeof (float), error)) == NULL)
              return NULL;
        }
      if (ns_gatys_objective_is_content_step (obj, i))
        {
          t->content_step = i;
          t->content_c = spec->out_channels;
          t->content_w = w;
          t->content_h = h;
        }
    }
  if ((t->part = ns_cl_buffer_new (t->ctx, largest * sizeof (float), error)) == NULL
      || !content_target_by_tiles (t, content, error))
    return NULL;
  return g_steal_pointer (&t);
}

gsize
ns_gatys_evaluation_memory_estimate (NsGatysObjective *obj, int width, int height)
{
  /* Every step's output is kept for the backward pass; on top, at the
   * largest layer, its gradient, the next one down, a padded copy and a
   * weighted copy (tiles); im2col and Winograd add their strips, forward or
   * backward, in the scratch buffer: what it may still grow, since what it
   * holds already is memory in use, which the callers count (counted twice,
   * a warm objective tiled what fitted). */
  NsNetwork *vgg = ns_gatys_objective_get_network (obj);
  NsOps *ops = ns_gatys_objective_get_ops (obj);
  gsize kept = 0, largest = 0;
  int w = width, h = height;
  for (guint i = 0; i < ns_network_n_steps (vgg); i++)
    {
      const NsStepSpec *spec = ns_network_step_spec (vgg, i);
      if (spec->kind == NS_STEP_MAXPOOL)
        w /= 2, h /= 2;
      kept += (gsize) spec->out_channels * w * h;
      largest = MAX (largest, (gsize) spec->out_channels * (w + 16) * (h + 4));
    }
  gsize estimate = (kept + 4 * largest) * sizeof (float);
  if (ns_ops_resolved_conv_algorithm (ops) != NS_CONV_DIRECT
      || ns_ops_resolved_backward_conv_algorithm (ops) != NS_CONV_DIRECT)
    estimate += ns_ops_get_scratch_growth (ops);
  return estimate;
}

int
ns_gatys_tile_for_memory (NsGatysObjective *obj, gsize available)
{
  int tile = 0;
  for (int side = NS_GATYS_MIN_TILE; side <= NS_MAX_IMAGE_SIDE; side += NS_GATYS_TILE_ALIGN)
    {
      int extent = side + 2 * NS_GATYS_TILE_HALO;
      if (ns_gatys_evaluation_memory_estimate (obj, extent, extent) > available)
        break;
      tile = side;
    }
  return tile;
}
