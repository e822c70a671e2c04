/* The plug-in's work, with every GIMP call on the calling thread and the
 * engine in a worker (plugin-worker.c).  Nothing touches the image until the
 * result is ready, so an error or a cancel leaves it as it was. */
#include "plugin-run.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include "ns-image-io.h"
#include "plugin-dialog.h"
#include "plugin-pixels.h"
#include "ns-progress-text.h"
#include "ns-progress-window.h"

static gboolean
calling_error (GError **error, const char *message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

static gboolean
style_file_exists (const char *style)
{
  g_autofree char *path = ns_settings_resolve_style (style);
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* What only GIMP can judge of the second style (ns_settings_validate() judges the rest). */
static gboolean
check_style2 (const NsSettings *s, gint32 drawable, GError **error)
{
  g_autofree char *m = NULL;
  if (s->style2_drawable >= 0
      && !(ns_gimp_item_is_valid (s->style2_drawable) && ns_gimp_item_is_drawable (s->style2_drawable)))
    m = g_strdup_printf (_("The second style drawable (style2-drawable) %d does not exist."), s->style2_drawable);
  else if (s->style2_file[0] != '\0' && !style_file_exists (s->style2_file))
    m = g_strdup_printf (_("The second style file (style2-file) \"%s\" does not exist and is not the name of a "
                           "bundled style."), s->style2_file);
  else if (ns_settings_has_style2 (s) && s->style2_mode == NS_STYLE2_OUTSIDE_LAYER_MASK
           && ns_gimp_layer_get_mask (drawable) == -1)
    return calling_error (error, _("The second style's mode (style2-mode) is 2, outside the layer mask, but the "
                                   "layer has no layer mask."));
  return m == NULL || calling_error (error, m);
}

gboolean
ns_plugin_check (const NsSettings *s, gint32 image, gint32 drawable, GError **error)
{
  if (!ns_gimp_image_is_valid (image))
    return calling_error (error, _("The image does not exist."));
  if (!ns_gimp_item_is_valid (drawable) || !ns_gimp_item_is_layer (drawable) || ns_gimp_item_get_image (drawable) != image)
    return calling_error (error, _("The drawable must be a layer of the image."));
  if (!ns_settings_validate (s, error))
    return FALSE;
  if (s->style_drawable >= 0 && !(ns_gimp_item_is_valid (s->style_drawable) && ns_gimp_item_is_drawable (s->style_drawable)))
    {
      g_autofree char *m = g_strdup_printf (_("The style drawable %d does not exist."), s->style_drawable);
      return calling_error (error, m);
    }
  if (s->style_file[0] != '\0' && !style_file_exists (s->style_file))
    {
      g_autofree char *m = g_strdup_printf (
        _("The style file \"%s\" does not exist and is not the name of a bundled style."), s->style_file);
      return calling_error (error, m);
    }
  return check_style2 (s, drawable, error);
}

/* A style (a drawable, or else a file) as an RGB image, and a short name for it. */
static NsImage *
load_style (const char *file, gint32 drawable, char **label, GError **error)
{
  if (drawable >= 0)
    {
      *label = ns_gimp_item_get_name (drawable);
      g_autoptr (NsImage) rgba = ns_plugin_read_rgba (drawable, 0, 0, ns_gimp_drawable_width (drawable),
                                                      ns_gimp_drawable_height (drawable));
      return ns_image_to_rgb (rgba);
    }
  g_autofree char *path = ns_settings_resolve_style (file);
  *label = ns_settings_style_label (path);
  return ns_image_load (path, error);
}

gint32
ns_plugin_restyle (const NsSettings *s, gint32 image, gint32 drawable, const NsPluginProgress *progress,
                   GError **error)
{
  gboolean second = ns_settings_has_style2 (s);
  /* With the second style outside the selection, the selection draws the
   * border between the styles: the whole layer is restyled, without a mask. */
  gboolean by_selection = second && s->style2_mode == NS_STYLE2_OUTSIDE_SELECTION;
  gboolean by_layer_mask = second && s->style2_mode == NS_STYLE2_OUTSIDE_LAYER_MASK;
  int x = 0, y = 0, width, height, ox, oy;
  if (by_selection)
    width = ns_gimp_drawable_width (drawable), height = ns_gimp_drawable_height (drawable);
  else if (!ns_gimp_drawable_mask_intersect (drawable, &x, &y, &width, &height) || width <= 0 || height <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The selection does not touch the layer: there is nothing to restyle."));
      return -1;
    }
  ns_gimp_drawable_offsets (drawable, &ox, &oy);

  g_autofree char *label1 = NULL, *label2 = NULL;
  g_autoptr (NsImage) style = load_style (s->style_file, s->style_drawable, &label1, error);
  if (style == NULL)
    return -1;
  g_autoptr (NsImage) style2 = second ? load_style (s->style2_file, s->style2_drawable, &label2, error) : NULL;
  if (second && style2 == NULL)
    return -1;
  g_autoptr (NsImage) content = ns_plugin_read_rgba (drawable, x, y, width, height);
  g_autoptr (NsImage) mask = NULL;
  if (by_selection)
    mask = ns_gimp_selection_is_empty (image)
      ? ns_plugin_mask_all (width, height)   /* nothing selected means everything */
      : ns_plugin_read_mask (ns_gimp_image_get_selection (image), ox, oy, width, height);
  else if (by_layer_mask)
    mask = ns_plugin_read_mask (ns_gimp_layer_get_mask (drawable), x, y, width, height);

  NsPluginInput input = { content, style, style2, mask, progress->previews };
  int stopped_at = -1;
  g_autoptr (NsImage) result = ns_plugin_stylise (&input, s, progress->cancellable, progress->stop, &stopped_at,
                                                  progress->tick, progress->tick_data, error);
  if (result == NULL)
    return -1;

  gboolean add_mask = !by_selection && !ns_gimp_selection_is_empty (image)
    && !ns_plugin_selection_is_full (image, ox + x, oy + y, width, height);
  g_autofree char *label = second ? g_strdup_printf ("%s + %s", label1, label2) : g_strdup (label1);
  g_autofree char *name = NULL;
  if (s->method != NS_METHOD_GATYS)
    name = g_strdup_printf (_("%s (AdaIN, alpha %.2f)"), label, s->alpha);
  else if (stopped_at >= 0)
    name = g_strdup_printf (_("%s (Gatys, stopped at iteration %d of %d)"), label, stopped_at, s->iterations);
  else
    name = g_strdup_printf (_("%s (Gatys, %d iterations)"), label, s->iterations);
  gint32 layer = ns_plugin_insert_layer (image, drawable, name, ox + x, oy + y, result, content, add_mask);
  if (layer == -1)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("GIMP could not add the new layer to the image."));
  return layer;
}

/* Where the translations are: $NEURAL_STYLE_LOCALEDIR lets an uninstalled
 * build (and its tests) use its own, as in the CLI; else the installed ones.
 * GIMP translates the menu label with the directory registered in query(). */
const char *
ns_plugin_localedir (void)
{
  const char *localedir = g_getenv ("NEURAL_STYLE_LOCALEDIR");
  return localedir != NULL && *localedir != '\0' ? localedir : NS_LOCALEDIR;
}

/* GIMP's progress bar, the one indication of a run's progress, and the
 * plug-in's own window when there is one: Cancel, and for Gatys the image so
 * far, its count and Stop. */
typedef struct {
  GtkWidget *window;   /* or NULL */
  char *text;          /* what GIMP's bar says now */
} RunProgress;

static void
set_gimp_text (RunProgress *p, const char *text)
{
  if (g_strcmp0 (text, p->text) == 0)
    return;
  g_free (p->text);
  p->text = g_strdup (text);
  gimp_progress_set_text (text);
}

/* Called about ten times a second while the engine works. */
static void
tick (gpointer data, const NsTick *t)
{
  RunProgress *p = data;
  g_autofree char *count = t->iterations > 0 ? ns_progress_text_iteration (t->iteration, t->iterations, t->scale,
                                                                          t->scales)
                                             : NULL;
  set_gimp_text (p, count != NULL ? count : ns_progress_text_adain (t->fraction));
  if (t->fraction < 0)
    gimp_progress_pulse ();
  else
    gimp_progress_update (t->fraction);
  if (p->window == NULL)
    return;
  if (t->preview != NULL)
    ns_progress_window_set_preview (p->window, t->preview);
  ns_progress_window_set_fraction (p->window, t->fraction, count);
}

gboolean
ns_plugin_ask (NsSettings *settings, gint32 image, gint32 drawable, gboolean interactive, gboolean *have_ui,
               GError **error)
{
  /* Filters > Repeat (with last values) shows the Cancel window too, when there is a display. */
  *have_ui = ns_plugin_ui_init ();
  if (!interactive || !ns_gimp_item_is_valid (drawable))
    return TRUE;   /* ns_plugin_run() says what is wrong with the drawable */
  if (!*have_ui)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The dialog needs a display."));
      return FALSE;
    }
  return ns_plugin_dialog (settings, image, drawable, error);
}

gint32
ns_plugin_run (const NsSettings *settings, gint32 image, gint32 drawable, gboolean have_ui, GError **error)
{
  if (!ns_plugin_check (settings, image, drawable, error))
    return -1;
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  gboolean gatys = settings->method == NS_METHOD_GATYS;
  gimp_progress_init (_("Neural style transfer"));
  RunProgress run_progress = { NULL, NULL };
  if (have_ui && gatys)   /* an optimisation: the image so far, Stop and Cancel */
    run_progress.window = ns_progress_window_new_with_stop (_("Restyling the layer (Gatys)…"), cancellable, stop,
                                                            ns_plugin_set_parent, NULL);
  else if (have_ui)       /* Cancel only: GIMP's bar shows the progress */
    run_progress.window = ns_progress_window_new (_("Restyling the layer…"), cancellable, ns_plugin_set_parent, NULL);
  NsPluginProgress progress = { cancellable, gatys ? stop : NULL, tick, &run_progress, run_progress.window != NULL };
  gint32 layer = ns_plugin_restyle (settings, image, drawable, &progress, error);
  g_clear_pointer (&run_progress.window, gtk_widget_destroy);
  g_free (run_progress.text);
  gimp_progress_update (1.0);
  return layer;
}

const char *
ns_plugin_help (void)
{
  return "Restyles the layer, inside the selection's bounds, after a painting or any style image, and adds the "
         "result as a new layer above it, in one undo step: with AdaIN (method adain, Huang & Belongie 2017, fast) "
         "or by optimising the pixels (method gatys, Gatys et al. 2016, slow; iterations and seed; its progress "
         "window shows the image so far, Stop keeps it as the new layer, Cancel leaves the image as it was). The "
         "source's alpha is kept; a non-rectangular or feathered selection becomes the new layer's mask; an "
         "indexed image's layer takes its palette. Colour preservation keeps the layer's colours (luminance: "
         "luminance only; match: the style recoloured first). A second style (style2-file or style2-drawable) is "
         "blended in with style2-weight (style2-mode blend), or goes where the first does not: outside the "
         "selection, restyling the whole layer (outside-selection), or where the layer's mask is black "
         "(outside-layer-mask); the selection's or the mask's soft edges mix the two. In GIMP 2.10 the choices "
         "are numbers (their order), a drawable argument is an ID or -1, and the second style's four arguments "
         "come after those of earlier versions.";
}
