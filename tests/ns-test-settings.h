/* Settings for the tests of the presets and the dialog, made by walking the
 * parameter table, so that a new parameter is covered without a change. */
#pragma once

#include "ns-settings.h"

/* Valid settings in which every field but the drawables (none, as a preset
 * keeps them) differs from the table's default. */
void ns_test_settings_unlike_defaults (NsSettings *settings);
/* Fails naming the first field of the table in which `a` and `b` differ. */
void ns_test_assert_same_settings (const NsSettings *a, const NsSettings *b);
