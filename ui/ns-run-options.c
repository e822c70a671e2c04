#include "ns-run-options.h"

NsColourPreservation
ns_settings_colour (const NsSettings *settings)
{
  switch (settings->preserve_colour)
    {
    case NS_PRESERVE_LUMINANCE:
      return NS_COLOUR_LUMINANCE;
    case NS_PRESERVE_MATCH:
      return NS_COLOUR_MATCH;
    default:
      return NS_COLOUR_NONE;
    }
}

void
ns_run_options_set_styles (NsAdainOptions *options, const NsImage *style, const NsImage *style2,
                           double style2_weight, const NsImage *mask, NsWeightedStyle inside[2],
                           NsWeightedStyle outside[1])
{
  guint n = 0;
  options->mask = NULL;
  options->outside_styles = NULL;
  options->n_outside_styles = 0;
  if (style2 != NULL && mask != NULL)
    {
      inside[n++] = (NsWeightedStyle) { style, 1.0 };
      outside[0] = (NsWeightedStyle) { style2, 1.0 };
      options->mask = mask;
      options->outside_styles = outside;
      options->n_outside_styles = 1;
    }
  else
    {
      double w2 = style2 != NULL ? CLAMP (style2_weight, 0.0, 1.0) : 0.0;
      if (w2 < 1.0)
        inside[n++] = (NsWeightedStyle) { style, 1.0 - w2 };
      if (w2 > 0.0)
        inside[n++] = (NsWeightedStyle) { style2, w2 };
    }
  options->styles = inside;
  options->n_styles = n;
}

void
ns_run_options_adain (NsAdainOptions *options, const NsSettings *settings, const NsImage *style,
                      const NsImage *style2, const NsImage *mask, NsWeightedStyle inside[2],
                      NsWeightedStyle outside[1])
{
  ns_adain_options_init (options);
  options->alpha = settings->alpha;
  options->style_size = settings->style_size;
  options->colour = ns_settings_colour (settings);
  ns_run_options_set_styles (options, style, style2, settings->style2_weight, mask, inside, outside);
}

void
ns_run_options_gatys (NsGatysTransferOptions *options, const NsSettings *settings, const NsAdainOptions *controls)
{
  ns_gatys_transfer_options_init (options);
  ns_gatys_transfer_options_set_controls (options, controls);
  options->optim.iterations = settings->iterations;
  options->optim.seed = (guint32) settings->seed;
}
