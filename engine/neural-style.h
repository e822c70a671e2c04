/* The engine's public API: host-neutral, the caller owns every image.
 * The command-line tool and the GIMP plug-in are thin adapters over this. */
#pragma once

#include "ns-cl-context.h"
#include "ns-image.h"
#include <gio/gio.h>

G_BEGIN_DECLS

#define NS_ENGINE_ERROR (ns_engine_error_quark ())
GQuark ns_engine_error_quark (void);

typedef enum {
  NS_ENGINE_ERROR_IMAGE_TOO_SMALL,
  NS_ENGINE_ERROR_IMAGE_TOO_LARGE,
  NS_ENGINE_ERROR_INVALID_ARGUMENT,
} NsEngineError;

/* The smallest side an image may have (the encoder pools three times and
 * each convolution needs two pixels), and the largest. */
#define NS_MIN_IMAGE_SIDE 16
#define NS_MAX_IMAGE_SIDE NS_IMAGE_MAX_SIDE

typedef struct _NsEngine NsEngine;

/* Opens OpenCL device `device_index`, builds the kernels and loads the AdaIN
 * weights.  device_index < 0: $NEURAL_STYLE_DEVICE, else the best device
 * that works (a GPU first; see ns-cl-fallback.h). */
NsEngine *ns_engine_new (int device_index, GError **error);

/* How far the first use of a device has come: `done` of `total` OpenCL
 * programs compiled (called with 0 first, and `total` when done), on the
 * engine's thread, only while programs no cache holds are compiled. */
typedef void (*NsKernelProgress) (guint done, guint total, gpointer user_data);

typedef struct {
  int device_index;              /* as ns_engine_new()'s */
  NsKernelProgress progress;     /* NULL: no one asks */
  gpointer progress_data;
  const char *cache_dir;         /* where compiled programs go; NULL: the user's cache */
  gboolean no_system_cache;      /* do not read the system's (when preparing it) */
} NsEngineOptions;

NsEngine *ns_engine_new_with_options (const NsEngineOptions *options, GError **error);
void ns_engine_free (NsEngine *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsEngine, ns_engine_free)
/* NULL, or a sentence for the user: the device that should have run could
 * not, why, and which one runs instead. */
const char *ns_engine_get_device_note (NsEngine *engine);

const NsClDeviceInfo *ns_engine_get_device (NsEngine *engine);
/* Device memory held by the engine now and at most since the last reset. */
gsize ns_engine_get_memory_in_use (NsEngine *engine);
gsize ns_engine_get_peak_memory (NsEngine *engine);
void ns_engine_reset_peak_memory (NsEngine *engine);
/* TRUE when the kernels came from the on-disk binary caches. */
gboolean ns_engine_kernels_were_cached (NsEngine *engine);
/* Stores the kernels compiled from source in the user's cache (best
 * effort; ns_engine_free() does it too).  Storing may cost the driver some
 * work, so callers do it after their first result. */
void ns_engine_save_kernels (NsEngine *engine);
/* Compiles every kernel the engine may need (Gatys's too), runs a few
 * preview-sized images so that lazily compiling drivers finish their work,
 * and stores the result: `neural-style --prepare`. */
gboolean ns_engine_prepare_kernels (NsEngine *engine, GError **error);

/* AdaIN style transfer: `content` restyled after `style` with strength
 * alpha in [0, 1].  style_size > 0 resizes the style so its shorter side has
 * that many pixels; 0 takes it as given.  Any image of at least
 * NS_MIN_IMAGE_SIDE pixels a side, grey, RGB or RGBA (alpha is ignored); the
 * result is RGB of the content's exact size, not clamped. */
NsImage *ns_engine_stylise (NsEngine *engine, const NsImage *content, const NsImage *style,
                            double alpha, int style_size, GCancellable *cancellable, GError **error);

/* The network alone, without the padding ns_engine_stylise() adds: returns
 * (H / 8) * 8 x (W / 8) * 8 pixels.  RGB inputs. */
NsImage *ns_engine_adain_network (NsEngine *engine, const NsImage *content, const NsImage *style,
                                  double alpha, GCancellable *cancellable, GError **error);

/* Colour preservation: none, the content's colours through luminance-only
 * transfer, or the style recoloured to the content's colour distribution. */
typedef enum {
  NS_COLOUR_NONE,
  NS_COLOUR_LUMINANCE,
  NS_COLOUR_MATCH,
} NsColourPreservation;

/* A style image and its share in a blend (weights >= 0, not all 0; normalised). */
typedef struct {
  const NsImage *image;
  double weight;
} NsWeightedStyle;

/* How far a long run has come: `fraction` of its work done, in (0, 1].
 * Called on the thread that runs the engine. */
typedef void (*NsAdainProgress) (double fraction, gpointer user_data);

/* Everything an AdaIN run can be told.  Set with ns_adain_options_init(). */
typedef struct {
  double alpha;                        /* style strength, [0, 1]; default 1 */
  int style_size;                      /* shorter side of each style, 0: as given; default 512 */
  NsColourPreservation colour;         /* default NS_COLOUR_NONE */
  const NsWeightedStyle *styles;       /* the blend of styles (where the mask is 1) */
  guint n_styles;                      /* at least 1 */
  /* Spatial control (Huang & Belongie, section 7.2): with a mask (content-sized,
   * first channel, values in [0, 1]), `styles` apply where it is 1 and
   * `outside_styles` where it is 0, mixed in feature space. */
  const NsImage *mask;
  const NsWeightedStyle *outside_styles;
  guint n_outside_styles;
  /* Large images run in overlapping tiles, each with the whole image's
   * content statistics, blended across the seams.  tile_size: the side of a
   * tile's own area in pixels (rounded to a multiple of 8, at least 64);
   * 0 chooses one when the image would not fit memory_budget. */
  int tile_size;
  /* The most device memory a run may hold, in bytes; 0: 1 GiB, or half the
   * device's memory when that is less.  Running out of device memory anyway
   * retries with smaller tiles before giving up. */
  gsize memory_budget;
  /* A tiled run calls this after each tile of its two passes (NULL: no one
   * asks); an untiled run, one pass through the networks, does not. */
  NsAdainProgress progress;
  gpointer progress_data;
} NsAdainOptions;

void ns_adain_options_init (NsAdainOptions *options);
/* ns_adain_options_init() for one style at full weight and this style size;
 * `one` is filled in and must outlive the options. */
void ns_adain_options_init_single (NsAdainOptions *options, NsWeightedStyle *one, const NsImage *style,
                                   int style_size);
NsImage *ns_engine_stylise_with_options (NsEngine *engine, const NsImage *content, const NsAdainOptions *options,
                                         GCancellable *cancellable, GError **error);

/* A prepared AdaIN pair for a live preview: the content and style are
 * encoded once (with the padding and style resizing of ns_engine_stylise()),
 * and each render runs only the blend and the decoder, so following an alpha
 * slider costs one decode.  Holds device memory until freed; uses the engine,
 * which must outlive it.  An engine serves one thread at a time. */
typedef struct _NsAdainPrepared NsAdainPrepared;

NsAdainPrepared *ns_adain_prepared_new (NsEngine *engine, const NsImage *content, const NsImage *style,
                                        int style_size, GCancellable *cancellable, GError **error);
/* The same, for every option but alpha (options->alpha is not used). */
NsAdainPrepared *ns_adain_prepared_new_with_options (NsEngine *engine, const NsImage *content,
                                                     const NsAdainOptions *options, GCancellable *cancellable,
                                                     GError **error);
/* The same result as ns_engine_stylise() with this alpha. */
NsImage *ns_adain_prepared_render (NsAdainPrepared *prepared, double alpha, GCancellable *cancellable,
                                   GError **error);
void ns_adain_prepared_free (NsAdainPrepared *prepared);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsAdainPrepared, ns_adain_prepared_free)

/* The result of ns_engine_stylise_with_options() a region at a time, for a
 * true 1:1 preview: the run's own plan (untiled, or its tiles), the whole
 * image's statistics and the same arithmetic, so a region's pixels are those
 * of the same region of the whole run (unless that run has to retry with
 * smaller tiles for lack of device memory).  Everything but alpha and the
 * region is done once (a tiled run's first pass, its features kept as the run
 * keeps them); a new alpha costs one decode of the tiles under the region
 * (untiled: of the image), another region at the same alpha only the tiles
 * not decoded yet.  Uses the engine, which must outlive it. */
typedef struct _NsAdainRegions NsAdainRegions;

NsAdainRegions *ns_adain_regions_new (NsEngine *engine, const NsImage *content, const NsAdainOptions *options,
                                      GCancellable *cancellable, GError **error);
/* The rectangle (x, y, width, height) of the result with this alpha; it must lie inside the content. */
NsImage *ns_adain_regions_render (NsAdainRegions *regions, int x, int y, int width, int height, double alpha,
                                  GCancellable *cancellable, GError **error);
/* The side of the run's tiles, 0 when it runs untiled. */
int ns_adain_regions_get_tile_size (const NsAdainRegions *regions);
void ns_adain_regions_free (NsAdainRegions *regions);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NsAdainRegions, ns_adain_regions_free)

/* Per-channel mean and population standard deviation (no epsilon) of the
 * image's relu4_1 features, into arrays of 512 floats. */
gboolean ns_engine_relu4_1_stats (NsEngine *engine, const NsImage *image, float *mean, float *std,
                                  GError **error);

G_END_DECLS
