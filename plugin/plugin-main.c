/* The GIMP 2.10 entry point: registers plug-in-neural-style and dispatches
 * its three run modes.  Every other GIMP call lives in plugin-run.c and
 * plugin-pixels.c; the dialog is ui/ (GTK 3, no GIMP calls). */
#include "ns-i18n.h"
#include "ns-progress-window.h"
#include "ns-settings.h"
#include "plugin-dialog.h"
#include "plugin-run.h"
#include <libgimp/gimp.h>
#include <string.h>

#define PROCEDURE "plug-in-neural-style"
#define SETTINGS_FILE "neural-style.conf"

static const GimpParamDef params[] = {
  { GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1), RUN-WITH-LAST-VALS (2) }" },
  { GIMP_PDB_IMAGE, "image", "Input image" },
  { GIMP_PDB_DRAWABLE, "drawable", "The layer to restyle (within the selection's bounds)" },
  { GIMP_PDB_INT32, "method", "0: AdaIN (fast), 1: Gatys (optimisation of the pixels, slow, finest)" },
  { GIMP_PDB_STRING, "style-file", "The style: an image file or a bundled style's name (starry-night, ...); empty when style-drawable is used" },
  { GIMP_PDB_INT32, "style-drawable", "A drawable whose pixels are the style, or -1 for none" },
  { GIMP_PDB_FLOAT, "alpha", "AdaIN's style strength, 0 (the content) to 1 (full style)" },
  { GIMP_PDB_INT32, "iterations", "Iterations of the Gatys method (1 to 10000)" },
  { GIMP_PDB_INT32, "preserve-colour", "Colour preservation: 0 none, 1 luminance (transfer on luminance, keep the layer's colours), 2 colour matching (the styles recoloured to the layer's colours first)" },
  { GIMP_PDB_INT32, "style-size", "Resize the style so its shorter side has this many pixels; 0 takes it as given" },
  { GIMP_PDB_INT32, "seed", "Random seed of the Gatys method" },
  { GIMP_PDB_STRING, "style2-file", "A second style: an image file or a bundled style's name; \"\" for none" },
  { GIMP_PDB_INT32, "style2-drawable", "A drawable whose pixels are the second style, or -1 for none" },
  { GIMP_PDB_FLOAT, "style2-weight", "With style2-mode 0: the second style's share in the blend, 0 to 1" },
  { GIMP_PDB_INT32, "style2-mode", "How the second style combines with the first: 0 blended everywhere (style2-weight), 1 the first style inside the selection and the second outside (the whole layer is restyled), 2 the first where the layer's mask is white and the second where it is black" },
};

/* The parameters of earlier versions, before the second style's. */
#define N_PARAMS_V1 11

static const GimpParamDef return_vals[] = {
  { GIMP_PDB_LAYER, "layer", "The new layer" },
};

/* Where the translations are: $NEURAL_STYLE_LOCALEDIR lets an uninstalled
 * build (and its tests) use its own, as in the CLI; else the installed ones.
 * GIMP translates the menu label with the directory registered in query(). */
static const char *
ns_plugin_localedir (void)
{
  const char *localedir = g_getenv ("NEURAL_STYLE_LOCALEDIR");
  return localedir != NULL && *localedir != '\0' ? localedir : NS_LOCALEDIR;
}

static void
query (void)
{
  gimp_install_procedure (PROCEDURE, N_("Restyle the layer after a painting (neural style transfer)"),
                          "Restyles the active layer, inside the selection's bounds, after a painting or "
                          "any style image, and adds the result as a new layer above it, in one undo step: "
                          "with AdaIN (method 0, Huang & Belongie 2017, fast) or by optimising the pixels "
                          "(method 1, Gatys et al. 2016, slow; iterations and seed; its progress window shows "
                          "the image so far, Stop keeps it as the new layer, Cancel leaves the image as it "
                          "was). The source's alpha is kept; a non-rectangular or feathered selection becomes "
                          "the new layer's mask. Colour preservation keeps the layer's colours (1: luminance "
                          "only, 2: the style recoloured first). A second style (style2-file or "
                          "style2-drawable) is blended in with style2-weight (style2-mode 0), or goes where "
                          "the first does not: outside the selection, restyling the whole layer (mode 1), or "
                          "where the layer's mask is black (mode 2); the selection's or the mask's soft edges "
                          "mix the two. The second style's four parameters come after those of earlier versions.",
                          "gimp-neural-style developers", "GPL-3.0-or-later", "2026",
                          N_("Neural Style _Transfer..."), "RGB*, GRAY*", GIMP_PLUGIN,
                          G_N_ELEMENTS (params), G_N_ELEMENTS (return_vals), params, return_vals);
  gimp_plugin_menu_register (PROCEDURE, "<Image>/Filters/Artistic");
  gimp_plugin_domain_register (GETTEXT_PACKAGE, ns_plugin_localedir ());
}

static gboolean
copy_path (char *dest, gsize size, const char *value, const char *too_long, GError **error)
{
  const char *v = value != NULL ? value : "";
  if (strlen (v) >= size)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, too_long);
      return FALSE;
    }
  g_strlcpy (dest, v, size);
  return TRUE;
}

/* The first N_PARAMS_V1 parameters, and the second style's when given. */
static gboolean
settings_from_params (NsSettings *s, gint nparams, const GimpParam *param, GError **error)
{
  s->method = param[3].data.d_int32;
  if (!copy_path (s->style_file, sizeof s->style_file, param[4].data.d_string,
                  _("The style file's name is too long."), error))
    return FALSE;
  s->style_drawable = param[5].data.d_int32;
  s->alpha = param[6].data.d_float;
  s->iterations = param[7].data.d_int32;
  s->preserve_colour = param[8].data.d_int32;
  s->style_size = param[9].data.d_int32;
  s->seed = param[10].data.d_int32;
  /* No second style (the defaults) from an older caller: with 11 values, or
   * with GIMP's fill for the missing ones (a NULL string and 0). */
  if (nparams == N_PARAMS_V1 || (param[11].data.d_string == NULL && param[12].data.d_int32 == 0))
    return TRUE;
  if (!copy_path (s->style2_file, sizeof s->style2_file, param[11].data.d_string,
                  _("The second style file's name (style2-file) is too long."), error))
    return FALSE;
  s->style2_drawable = param[12].data.d_int32;
  s->style2_weight = param[13].data.d_float;
  s->style2_mode = param[14].data.d_int32;
  return TRUE;
}

/* The last values of this session, else those of the key file, else the defaults. */
static void
last_settings (NsSettings *s, const char *key_file)
{
  ns_settings_init_defaults (s);
  if (gimp_get_data_size (PROCEDURE) == sizeof *s)
    gimp_get_data (PROCEDURE, s);
  else
    ns_settings_load (s, key_file, NULL);   /* a broken file leaves the defaults */
}

static void
remember (const NsSettings *s, const char *key_file)
{
  gimp_set_data (PROCEDURE, s, sizeof *s);
  g_autoptr (GError) error = NULL;
  if (!ns_settings_save (s, key_file, &error))
    g_printerr ("%s: %s\n", PROCEDURE, error->message);   /* the run itself succeeded */
}

/* Called about ten times a second while the engine works: GIMP's progress
 * bar, and the plug-in's own window with Stop and Cancel when there is one.
 * `fraction` < 0: not known (AdaIN, unless it runs in tiles). */
static void
tick (gpointer data, double fraction, int iteration, int iterations, const NsImage *preview)
{
  if (fraction < 0)
    gimp_progress_pulse ();
  else
    gimp_progress_update (fraction);
  if (data == NULL)
    return;
  if (preview != NULL)
    ns_progress_window_set_preview (data, preview);
  if (fraction < 0)
    ns_progress_window_pulse (data);
  else
    {
      g_autofree char *text = iterations > 0 ? g_strdup_printf (_("Iteration %d of %d"), iteration, iterations) : NULL;
      ns_progress_window_set_fraction (data, fraction, text);
    }
}

static void
run (const gchar *name, gint nparams, const GimpParam *param, gint *nreturn_vals, GimpParam **return_values)
{
  static GimpParam values[2];
  static char *message;   /* the error sentence must outlive run() until GIMP has read it */
  *nreturn_vals = 1;
  *return_values = values;
  values[0].type = GIMP_PDB_STATUS;
  values[0].data.d_status = GIMP_PDB_SUCCESS;

  bindtextdomain (GETTEXT_PACKAGE, ns_plugin_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  gegl_init (NULL, NULL);

  GimpRunMode mode = nparams > 0 ? param[0].data.d_int32 : GIMP_RUN_NONINTERACTIVE;
  g_autofree char *key_file = g_build_filename (gimp_directory (), SETTINGS_FILE, NULL);
  g_autoptr (GError) error = NULL;
  NsSettings settings;
  gint32 image = nparams > 1 ? param[1].data.d_image : -1;
  gint32 drawable = nparams > 2 ? param[2].data.d_drawable : -1;
  gint32 layer = -1;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  gboolean ok, have_ui = FALSE;

  if (mode == GIMP_RUN_NONINTERACTIVE)
    {
      ns_settings_init_defaults (&settings);
      ok = nparams == G_N_ELEMENTS (params) || nparams == N_PARAMS_V1;
      if (!ok)
        g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("%s takes %d parameters, not %d."),
                     PROCEDURE, (int) G_N_ELEMENTS (params), nparams);
      else
        ok = settings_from_params (&settings, nparams, param, &error);
    }
  else
    {
      last_settings (&settings, key_file);
      ok = TRUE;
      /* Filters > Repeat (with last values) shows the Cancel window too, when there is a display. */
      have_ui = ns_plugin_ui_init ();
      if (mode == GIMP_RUN_INTERACTIVE && gimp_item_is_valid (drawable) && have_ui)
        ok = ns_plugin_dialog (&settings, image, drawable, &error);
      else if (mode == GIMP_RUN_INTERACTIVE && gimp_item_is_valid (drawable))
        {
          g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The dialog needs a display."));
          ok = FALSE;
        }
    }
  ok = ok && ns_plugin_check (&settings, image, drawable, &error);
  if (ok)
    {
      gboolean gatys = settings.method == NS_METHOD_GATYS;
      gimp_progress_init (_("Neural style transfer"));
      GtkWidget *window = NULL;
      if (have_ui && gatys)   /* an optimisation: the image so far, Stop and Cancel */
        window = ns_progress_window_new_with_stop (_("Restyling the layer (Gatys)…"), cancellable, stop,
                                                   ns_plugin_parent_window ());
      else if (have_ui)
        window = ns_progress_window_new (_("Restyling the layer…"), cancellable, ns_plugin_parent_window ());
      NsPluginProgress progress = { cancellable, gatys ? stop : NULL, tick, window, window != NULL };
      layer = ns_plugin_restyle (&settings, image, drawable, &progress, &error);
      ok = layer != -1;
      g_clear_pointer (&window, gtk_widget_destroy);
      gimp_progress_update (1.0);
    }

  if (ok)
    {
      remember (&settings, key_file);
      if (mode != GIMP_RUN_NONINTERACTIVE)
        gimp_displays_flush ();
      *nreturn_vals = 2;
      values[1].type = GIMP_PDB_LAYER;
      values[1].data.d_layer = layer;
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      values[0].data.d_status = GIMP_PDB_CANCEL;
      return;
    }
  values[0].data.d_status = g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE)
                              ? GIMP_PDB_CALLING_ERROR : GIMP_PDB_EXECUTION_ERROR;
  g_free (message);
  message = g_strdup (error->message);
  *nreturn_vals = 2;
  values[1].type = GIMP_PDB_STRING;
  values[1].data.d_string = message;
  if (mode == GIMP_RUN_INTERACTIVE)
    g_message ("%s", message);
}

const GimpPlugInInfo PLUG_IN_INFO = { NULL, NULL, query, run };

MAIN ()
