/* The engine's public API, the only header a front end includes (as
 * CLBlast's clblast_c.h): host-neutral, the caller owns every image, and no
 * OpenCL type appears in it or in anything it includes.  One runtime per
 * process (ns-runtime.h) makes AdaIN (ns-adain.h), Gatys (ns-gatys.h) and
 * the metrics (ns-metrics.h).  The command-line tool and the GIMP plug-in
 * are thin adapters over this. */
#pragma once

#include "ns-engine-error.h"
#include "ns-adain.h"
#include "ns-bundled-styles.h"
#include "ns-decoder-train.h"
#include "ns-gatys.h"
#include "ns-image-io.h"
#include "ns-lattice.h"
#include "ns-metrics.h"
#include "ns-runtime.h"
