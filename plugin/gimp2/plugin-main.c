/* The GIMP 2.10 entry point: registers plug-in-neural-style with the
 * parameter table's arguments and dispatches its three run modes.  The rest
 * of the glue (plugin-run.c, plugin-pixels.c, plugin-dialog.c) is GIMP 3's
 * too; the dialog is ui/ (GTK 3, no GIMP calls). */
#include "ns-i18n.h"
#include "ns-params.h"
#include "ns-settings.h"
#include "plugin-run.h"
#include <libgimp/gimp.h>
#include <string.h>

#define PROCEDURE "plug-in-neural-style"
#define SETTINGS_FILE "neural-style.conf"

/* The procedure's own arguments come after these, from the parameter table (ns-params.h). */
static const GimpParamDef leading_params[] = {
  { GIMP_PDB_INT32, "run-mode", "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1), RUN-WITH-LAST-VALS (2) }" },
  { GIMP_PDB_IMAGE, "image", "Input image" },
  { GIMP_PDB_DRAWABLE, "drawable", "The layer to restyle (within the selection's bounds)" },
};
#define N_LEADING G_N_ELEMENTS (leading_params)

/* The parameters of earlier versions, before the second style's. */
#define N_PARAMS_V1 11

/* GIMP 2.10 has no enumerations for plug-ins: a choice is an INT32 whose
 * values the description lists. */
static GimpPDBArgType
pdb_type (const NsParam *p)
{
  switch (p->type)
    {
    case NS_PARAM_DOUBLE:
      return GIMP_PDB_FLOAT;
    case NS_PARAM_STYLE:
      return GIMP_PDB_STRING;
    default:
      return GIMP_PDB_INT32;
    }
}

static char *
pdb_description (const NsParam *p)
{
  if (p->type != NS_PARAM_CHOICE)
    return g_strdup (p->help);
  GString *s = g_string_new (p->help);
  g_string_append (s, ":");
  for (guint i = 0; i < p->n_choices; i++)
    g_string_append_printf (s, "%s %d %s", i > 0 ? "," : "", p->choices[i].value, p->choices[i].nick);
  return g_string_free (s, FALSE);
}

/* The whole argument list; the descriptions are in `strings`. */
static GArray *
pdb_params (GPtrArray *strings)
{
  GArray *defs = g_array_new (FALSE, FALSE, sizeof (GimpParamDef));
  g_array_append_vals (defs, leading_params, N_LEADING);
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      char *description = pdb_description (&params[i]);
      g_ptr_array_add (strings, description);
      GimpParamDef def = { pdb_type (&params[i]), (gchar *) params[i].name, description };
      g_array_append_val (defs, def);
    }
  return defs;
}

static guint
n_pdb_params (void)
{
  guint n;
  ns_params (&n);
  return N_LEADING + n;
}

static const GimpParamDef return_vals[] = {
  { GIMP_PDB_LAYER, "layer", "The new layer" },
};

static void
query (void)
{
  g_autoptr (GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) defs = pdb_params (strings);
  gimp_install_procedure (PROCEDURE, N_("Restyle the layer after a painting (neural style transfer)"),
                          ns_plugin_help (),
                          "gimp-neural-style developers", "GPL-3.0-or-later", "2026",
                          N_("Neural Style _Transfer..."), "RGB*, GRAY*, INDEXED*", GIMP_PLUGIN,
                          defs->len, G_N_ELEMENTS (return_vals), (GimpParamDef *) defs->data, return_vals);
  gimp_plugin_menu_register (PROCEDURE, "<Image>/Filters/Artistic");
  gimp_plugin_domain_register (GETTEXT_PACKAGE, ns_plugin_localedir ());
}

/* The arguments after the leading three, in the table's order; an older
 * caller's N_PARAMS_V1 leave the second style's at their defaults. */
static gboolean
settings_from_params (NsSettings *s, gint nparams, const GimpParam *param, GError **error)
{
  guint n;
  const NsParam *params = ns_params (&n);
  /* No second style from an older caller: 11 values, or GIMP's fill for the
   * missing ones (a NULL string and 0). */
  gint style2 = N_LEADING + (ns_param_find ("style2-file") - params);
  gboolean v1 = nparams == N_PARAMS_V1
                || (param[style2].data.d_string == NULL && param[style2 + 1].data.d_int32 == 0);
  for (guint i = 0; i < n && (!v1 || N_LEADING + i < N_PARAMS_V1); i++)
    {
      const GimpParam *v = &param[N_LEADING + i];
      if (params[i].type == NS_PARAM_STYLE && !ns_param_set_string (&params[i], s, v->data.d_string))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("%s is too long."), params[i].name);
          return FALSE;
        }
      else if (params[i].type != NS_PARAM_STYLE)
        ns_param_set_number (&params[i], s, params[i].type == NS_PARAM_DOUBLE ? v->data.d_float : v->data.d_int32);
    }
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
  gboolean ok, have_ui = FALSE;
  g_autoptr (NsRuntime) runtime = ns_plugin_runtime_new (&error);   /* the dialog's preview and the run share it */

  if (runtime == NULL)
    ok = FALSE;
  else if (mode == GIMP_RUN_NONINTERACTIVE)
    {
      ns_settings_init_defaults (&settings);
      ok = nparams == (gint) n_pdb_params () || nparams == N_PARAMS_V1;
      if (!ok)
        g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("%s takes %d parameters, not %d."),
                     PROCEDURE, (int) n_pdb_params (), nparams);
      else
        ok = settings_from_params (&settings, nparams, param, &error);
    }
  else
    {
      last_settings (&settings, key_file);
      ok = ns_plugin_ask (runtime, &settings, image, drawable, mode == GIMP_RUN_INTERACTIVE, &have_ui, &error);
    }
  if (ok)
    {
      layer = ns_plugin_run (runtime, &settings, image, drawable, have_ui, &error);
      ok = layer != -1;
    }

  if (ok)
    {
      /* A script's values are not the user's: only the dialog's are remembered. */
      if (mode == GIMP_RUN_INTERACTIVE)
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
