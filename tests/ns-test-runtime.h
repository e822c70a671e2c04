/* The tests' runtime: the options the environment sets (tests/meson.build's
 * caches and algorithms), as the CLI and the plug-ins make theirs. */
#pragma once

#include "neural-style.h"

G_BEGIN_DECLS

/* Asserts that the environment is right. */
NsRuntime *ns_test_runtime_new (void);

G_END_DECLS
