/* The settings of one restyling, shared by the dialog (ui/) and the GIMP glue
 * (plugin/): GLib only.  A flat struct so that GIMP can keep it as the
 * procedure's last values byte for byte. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  NS_METHOD_ADAIN = 0,
  NS_METHOD_GATYS = 1,
} NsMethod;

typedef enum {
  NS_PRESERVE_NONE = 0,
  NS_PRESERVE_LUMINANCE = 1,   /* transfer on luminance, keep the content's chroma */
  NS_PRESERVE_MATCH = 2,       /* recolour the style to the content's colours first */
} NsPreserveColour;

/* How a second style combines with the first. */
typedef enum {
  NS_STYLE2_BLEND = 0,               /* everywhere, mixed by style2_weight */
  NS_STYLE2_OUTSIDE_SELECTION = 1,   /* the first style inside the selection, the second outside */
  NS_STYLE2_OUTSIDE_LAYER_MASK = 2,  /* the first where the drawable's layer mask is white */
} NsStyle2Mode;

#define NS_SETTINGS_PATH_MAX 4096

typedef struct {
  gint32 method;                       /* NsMethod */
  char style_file[NS_SETTINGS_PATH_MAX]; /* a file or a bundled style's name; "" when a layer is the style */
  gint32 style_drawable;               /* a drawable ID, -1 for none */
  double alpha;                        /* 0 (the content) .. 1 (full style) */
  gint32 iterations;                   /* Gatys */
  gint32 preserve_colour;              /* NsPreserveColour */
  gint32 style_size;                   /* 0: the style as given */
  gint32 seed;
  /* A second style (none when both its file is "" and its drawable is -1). */
  char style2_file[NS_SETTINGS_PATH_MAX];
  gint32 style2_drawable;
  double style2_weight;                /* blend: the second style's share, 0 .. 1 */
  gint32 style2_mode;                  /* NsStyle2Mode */
} NsSettings;

void ns_settings_init_defaults (NsSettings *settings);
/* Whether a second style is given (a file or a drawable). */
gboolean ns_settings_has_style2 (const NsSettings *settings);

/* Checks every value that needs no host (GIMP) to judge; the error
 * (G_OPTION_ERROR_BAD_VALUE) is a sentence naming the parameter. */
gboolean ns_settings_validate (const NsSettings *settings, GError **error);

/* A bundled style's name ("starry-night") resolved to its file in the
 * installed presets, or ../shared/styles when uninstalled; anything else is
 * returned as it is.  Newly allocated. */
char *ns_settings_resolve_style (const char *style);
/* A short name for a style file: its base name without the extension. */
char *ns_settings_style_label (const char *style_file);

/* The settings that survive a restart, in a key file (group [neural-style]).
 * Loading leaves missing or bad keys at their current values; a missing file
 * is no error. */
gboolean ns_settings_load (NsSettings *settings, const char *path, GError **error);
gboolean ns_settings_save (const NsSettings *settings, const char *path, GError **error);
/* The same for one group of a key file (the presets keep one group each):
 * drawables are not stored, and reading leaves missing or bad keys as they
 * are and any value out of its range keeps every setting as it was. */
void ns_settings_read_group (NsSettings *settings, GKeyFile *file, const char *group);
void ns_settings_write_group (const NsSettings *settings, GKeyFile *file, const char *group);

G_END_DECLS
