/* The tests' runtime: the options the environment sets (tests/meson.build's
 * caches and algorithms), as the CLI and the plug-ins make theirs. */
#pragma once

#include "neural-style.h"

G_BEGIN_DECLS

/* Asserts that the environment is right. */
NsRuntime *ns_test_runtime_new (void);
/* The test process's one runtime, made on first use and kept to the end,
 * as the plug-in's process has one: for tests that run what the plug-in
 * runs (the dialog's previews, its worker) several times. */
NsRuntime *ns_test_process_runtime (void);
/* AdaIN on `runtime`; asserts that it opens. */
NsAdain *ns_test_adain_new (NsRuntime *runtime);

G_END_DECLS
