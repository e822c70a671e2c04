/* The one mapping from the run parameters (NsSettings) to the engine's
 * options, for every front end: the CLI, both GIMP plug-ins and the
 * dialog's preview.  GLib and the engine only. */
#pragma once

#include "neural-style.h"
#include "ns-settings.h"

G_BEGIN_DECLS

NsColourPreservation ns_settings_colour (const NsSettings *settings);

/* The blend of the first style and an optional second one: with a mask the
 * first applies where it is 1 and the second where it is 0; without one the
 * second takes style2_weight of the blend.  A style of weight 0 is left out.
 * Fills the options' styles, mask and outside styles; `inside` and `outside`
 * hold them and must outlive the options. */
void ns_run_options_set_styles (NsAdainOptions *options, const NsImage *style, const NsImage *style2,
                                double style2_weight, const NsImage *mask, NsWeightedStyle inside[2],
                                NsWeightedStyle outside[1]);

/* AdaIN options from the settings (alpha, style size, colour) and the
 * styles, as ns_run_options_set_styles() takes them. */
void ns_run_options_adain (NsAdainOptions *options, const NsSettings *settings, const NsImage *style,
                           const NsImage *style2, const NsImage *mask, NsWeightedStyle inside[2],
                           NsWeightedStyle outside[1]);

/* Gatys options from the settings (iterations, seed) and the style
 * controls (`controls`: as ns_run_options_adain() makes them; its alpha is
 * not used). */
void ns_run_options_gatys (NsGatysTransferOptions *options, const NsSettings *settings,
                           const NsAdainOptions *controls);

G_END_DECLS
