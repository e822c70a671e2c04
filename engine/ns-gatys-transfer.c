/* ns_gatys_transfer(): the Gatys method with the controls the AdaIN side has
 * (style scale, colour preservation, blends, spatial control), as targets
 * made ready for ns_gatys_run_targets(). */
#include "ns-gatys-private.h"

#include "ns-colour.h"
#include "ns-i18n.h"
#include "ns-style-prep.h"

void
ns_gatys_transfer_options_init (NsGatysTransferOptions *options)
{
  *options = (NsGatysTransferOptions) { .style_size = 512, .colour = NS_COLOUR_NONE };
  ns_gatys_options_init (&options->optim);
}

void
ns_gatys_transfer_options_set_controls (NsGatysTransferOptions *options, const NsAdainOptions *adain)
{
  options->style_size = adain->style_size;
  options->colour = adain->colour;
  options->styles = adain->styles;
  options->n_styles = adain->n_styles;
  options->mask = adain->mask;
  options->outside_styles = adain->outside_styles;
  options->n_outside_styles = adain->n_outside_styles;
  options->optim.tile_size = adain->tile_size;
  options->optim.memory_budget = adain->memory_budget;
}

/* One style's targets: RGB, resized, made grey or recoloured as asked. */
static NsGatysStyle *
style_targets (NsGatys *gatys, const NsImage *style, const NsImage *content_rgb,
               const NsGatysTransferOptions *options, GCancellable *cancellable, GError **error)
{
  g_autoptr (NsImage) image = ns_style_prepare_image (style, options->style_size, options->colour, content_rgb);
  return ns_gatys_style_new (gatys, image, cancellable, error);
}

/* A blend's targets; styles of weight 0 are left out, and a single style
 * (the only one above 0) is its own targets, bit for bit. */
static NsGatysStyle *
blend_targets (NsGatys *gatys, const NsWeightedStyle *styles, guint n, const NsImage *content_rgb,
               const NsGatysTransferOptions *options, GCancellable *cancellable, GError **error)
{
  g_autoptr (GPtrArray) made = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_gatys_style_free);
  g_autoptr (GArray) weights = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < n; i++)
    {
      if (styles[i].weight == 0)
        continue;
      NsGatysStyle *one = style_targets (gatys, styles[i].image, content_rgb, options, cancellable, error);
      if (one == NULL)
        return NULL;
      g_ptr_array_add (made, one);
      g_array_append_val (weights, styles[i].weight);
    }
  if (made->len == 1)
    return g_ptr_array_steal_index (made, 0);
  return ns_gatys_style_new_blend (gatys, (const NsGatysStyle *const *) made->pdata, (const double *) weights->data,
                                   made->len, error);
}

/* Luminance mode: the previews get the content's chroma back. */
typedef struct {
  NsGatysProgress progress;
  gpointer user_data;
  const NsImage *content_rgb;
  NsImage *chroma;   /* the content at the latest preview's size */
} Recombine;

static void
recombine_progress (int iteration, const NsGatysLosses *losses, const NsImage *preview, gpointer user_data)
{
  Recombine *r = user_data;
  if (preview == NULL)
    {
      r->progress (iteration, losses, NULL, r->user_data);
      return;
    }
  /* Coarse scales preview smaller images. */
  if (r->chroma == NULL || r->chroma->width != preview->width || r->chroma->height != preview->height)
    {
      g_clear_pointer (&r->chroma, ns_image_free);
      r->chroma = preview->width == r->content_rgb->width && preview->height == r->content_rgb->height
                ? ns_image_copy (r->content_rgb)
                : ns_image_resize (r->content_rgb, preview->width, preview->height);
    }
  g_autoptr (NsImage) coloured = ns_colour_combine_luma_chroma (preview, r->chroma);
  r->progress (iteration, losses, coloured, r->user_data);
}

NsImage *
ns_gatys_transfer (NsGatys *gatys, const NsImage *content, const NsGatysTransferOptions *options,
                   NsGatysProgress progress, gpointer user_data, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (options->colour == NS_COLOUR_NONE || options->colour == NS_COLOUR_LUMINANCE
                        || options->colour == NS_COLOUR_MATCH, NULL);
  if (!ns_gatys_check_image (content, _("content"), error)
      || !ns_style_check_weights (options->styles, options->n_styles, error)
      || !ns_style_check_size_and_mask (content, options->style_size, NS_GATYS_MIN_IMAGE_SIDE, options->mask,
                                        options->outside_styles, options->n_outside_styles, error)
      || (options->mask != NULL
          && !ns_style_check_weights (options->outside_styles, options->n_outside_styles, error)))
    return NULL;

  g_autoptr (NsImage) content_rgb = ns_image_to_rgb (content);
  g_autoptr (NsGatysStyle) inside = blend_targets (gatys, options->styles, options->n_styles, content_rgb, options,
                                                   cancellable, error);
  if (inside == NULL)
    return NULL;
  g_autoptr (NsGatysStyle) outside = NULL;
  g_autoptr (NsImage) mask = NULL;
  if (options->mask != NULL)
    {
      outside = blend_targets (gatys, options->outside_styles, options->n_outside_styles, content_rgb, options,
                               cancellable, error);
      if (outside == NULL)
        return NULL;
      mask = ns_style_mask_grey (options->mask);
    }

  /* Luminance mode optimises grey images throughout: the content, the
   * starting image, the styles (above); the colour comes back at the end. */
  gboolean luminance = options->colour == NS_COLOUR_LUMINANCE;
  g_autoptr (NsImage) grey_content = luminance ? ns_colour_grey_rgb (content_rgb) : NULL;
  g_autoptr (NsImage) grey_init = NULL;
  NsGatysOptions optim = options->optim;
  if (luminance && optim.init == NS_GATYS_INIT_IMAGE && optim.init_image != NULL)
    {
      g_autoptr (NsImage) init_rgb = ns_image_to_rgb (optim.init_image);
      optim.init_image = grey_init = ns_colour_grey_rgb (init_rgb);
    }
  const NsGatysTargets targets = { inside, outside, mask };
  Recombine recombine = { progress, user_data, content_rgb, NULL };
  g_autoptr (NsImage) result = ns_gatys_run_targets (gatys, luminance ? grey_content : content_rgb, &targets, &optim,
                                                     luminance && progress != NULL ? recombine_progress : progress,
                                                     luminance ? (gpointer) &recombine : user_data, cancellable,
                                                     error);
  g_clear_pointer (&recombine.chroma, ns_image_free);
  if (result == NULL || !luminance)
    return g_steal_pointer (&result);
  return ns_colour_combine_luma_chroma (result, content_rgb);
}
