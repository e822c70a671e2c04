/* The GIMP 3 entry point: a GimpPlugIn whose image procedure
 * plug-in-neural-style takes the parameter table's arguments (choices by
 * their nicks, drawables as objects), and the run that maps its
 * GimpProcedureConfig to NsSettings and back.  GIMP 3 keeps the last values
 * itself (after interactive runs only).  Everything else is the glue shared
 * with GIMP 2.10 (plugin-run.c). */
#include "ns-i18n.h"
#include "ns-params.h"
#include "ns-settings.h"
#include "plugin-run.h"
#include <libgimp/gimp.h>

#define PROCEDURE "plug-in-neural-style"

#define NS_TYPE_PLUG_IN (ns_plug_in_get_type ())
G_DECLARE_FINAL_TYPE (NsPlugIn, ns_plug_in, NS, PLUG_IN, GimpPlugIn)

struct _NsPlugIn {
  GimpPlugIn parent_instance;
};

G_DEFINE_TYPE (NsPlugIn, ns_plug_in, GIMP_TYPE_PLUG_IN)

static GList *
query_procedures (GimpPlugIn *plug_in)
{
  return g_list_append (NULL, g_strdup (PROCEDURE));
}

/* GIMP 3 accepts catalogues only inside the plug-in's folder; ours are the
 * system's (or $NEURAL_STYLE_LOCALEDIR's), so the plug-in binds its domain itself. */
static gboolean
set_i18n (GimpPlugIn *plug_in, const gchar *name, gchar **gettext_domain, gchar **catalog_dir)
{
  bindtextdomain (GETTEXT_PACKAGE, ns_plugin_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  return FALSE;
}

static GimpChoice *
choice_of (const NsParam *p)
{
  GimpChoice *choice = gimp_choice_new ();
  for (guint i = 0; i < p->n_choices; i++)
    gimp_choice_add (choice, p->choices[i].nick, p->choices[i].value, _(p->choices[i].label), NULL);
  return choice;
}

/* A label without its mnemonic and colon, for GIMP's nick. */
static char *
nick_of (const NsParam *p)
{
  GString *s = g_string_new (NULL);
  for (const char *c = _(p->label); *c != '\0'; c++)
    if (*c != '_')
      g_string_append_c (s, *c);
  while (s->len > 0 && (s->str[s->len - 1] == ':' || s->str[s->len - 1] == ' '))
    g_string_truncate (s, s->len - 1);
  /* A full-width colon (zh_CN) is three bytes. */
  if (g_str_has_suffix (s->str, "："))
    g_string_truncate (s, s->len - strlen ("："));
  return g_string_free (s, FALSE);
}

static void
add_arguments (GimpProcedure *procedure)
{
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      g_autofree char *nick = nick_of (p);
      const char *blurb = _(p->help);
      switch (p->type)
        {
        case NS_PARAM_CHOICE:
          gimp_procedure_add_choice_argument (procedure, p->name, nick, blurb, choice_of (p),
                                              ns_param_choice_by_value (p, (int) p->default_value)->nick,
                                              G_PARAM_READWRITE);
          break;
        case NS_PARAM_INT:
          gimp_procedure_add_int_argument (procedure, p->name, nick, blurb, (int) p->min, (int) p->max,
                                           (int) p->default_value, G_PARAM_READWRITE);
          break;
        case NS_PARAM_DOUBLE:
          gimp_procedure_add_double_argument (procedure, p->name, nick, blurb, p->min, p->max, p->default_value,
                                              G_PARAM_READWRITE);
          break;
        case NS_PARAM_STYLE:
          gimp_procedure_add_string_argument (procedure, p->name, nick, blurb, p->default_string, G_PARAM_READWRITE);
          break;
        case NS_PARAM_DRAWABLE:
          gimp_procedure_add_drawable_argument (procedure, p->name, nick, blurb, TRUE, G_PARAM_READWRITE);
          break;
        }
    }
}

/* The config's values as settings (drawables as their IDs, -1 for none). */
static gboolean
settings_from_config (NsSettings *s, GimpProcedureConfig *config, GError **error)
{
  ns_settings_init_defaults (s);
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      if (p->type == NS_PARAM_CHOICE)
        ns_param_set_number (p, s, gimp_procedure_config_get_choice_id (config, p->name));
      else if (p->type == NS_PARAM_INT)
        {
          int v;
          g_object_get (config, p->name, &v, NULL);
          ns_param_set_number (p, s, v);
        }
      else if (p->type == NS_PARAM_DOUBLE)
        {
          double v;
          g_object_get (config, p->name, &v, NULL);
          ns_param_set_number (p, s, v);
        }
      else if (p->type == NS_PARAM_DRAWABLE)
        {
          g_autoptr (GimpDrawable) drawable = NULL;
          g_object_get (config, p->name, &drawable, NULL);
          ns_param_set_number (p, s, drawable != NULL ? gimp_item_get_id (GIMP_ITEM (drawable)) : -1);
        }
      else
        {
          g_autofree char *v = NULL;
          g_object_get (config, p->name, &v, NULL);
          if (!ns_param_set_string (p, s, v))
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("%s is too long."), p->name);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* The dialog's choices back into the config, which GIMP keeps as the last values. */
static void
settings_to_config (const NsSettings *s, GimpProcedureConfig *config)
{
  guint n;
  const NsParam *params = ns_params (&n);
  for (guint i = 0; i < n; i++)
    {
      const NsParam *p = &params[i];
      double v = p->type != NS_PARAM_STYLE ? ns_param_get_number (p, s) : 0.0;
      if (p->type == NS_PARAM_CHOICE)
        g_object_set (config, p->name, ns_param_choice_by_value (p, (int) v)->nick, NULL);
      else if (p->type == NS_PARAM_INT)
        g_object_set (config, p->name, (int) v, NULL);
      else if (p->type == NS_PARAM_DOUBLE)
        g_object_set (config, p->name, v, NULL);
      else if (p->type == NS_PARAM_DRAWABLE)
        g_object_set (config, p->name, v >= 0 ? gimp_drawable_get_by_id ((gint32) v) : NULL, NULL);
      else
        g_object_set (config, p->name, ns_param_get_string (p, s), NULL);
    }
}

static GimpValueArray *
run (GimpProcedure *procedure, GimpRunMode mode, GimpImage *image, GimpDrawable **drawables,
     GimpProcedureConfig *config, gpointer data)
{
  gegl_init (NULL, NULL);
  g_autoptr (GError) error = NULL;
  NsSettings settings;
  gint32 layer = -1;
  gboolean have_ui = FALSE;
  gboolean ok = settings_from_config (&settings, config, &error);
  /* The process's runtime: the dialog's preview and the run share it. */
  g_autoptr (NsRuntime) runtime = ok ? ns_plugin_runtime_new (&error) : NULL;
  ok = runtime != NULL;
  if (ok && (drawables == NULL || drawables[0] == NULL || drawables[1] != NULL))
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Neural style transfer works on exactly one layer: select one."));
      ok = FALSE;
    }
  gint32 drawable = ok ? gimp_item_get_id (GIMP_ITEM (drawables[0])) : -1;
  if (ok && mode != GIMP_RUN_NONINTERACTIVE)
    {
      ok = ns_plugin_ask (runtime, &settings, gimp_image_get_id (image), drawable, mode == GIMP_RUN_INTERACTIVE,
                          &have_ui, &error);
      if (ok && mode == GIMP_RUN_INTERACTIVE)
        settings_to_config (&settings, config);
    }
  if (ok)
    {
      layer = ns_plugin_run (runtime, &settings, gimp_image_get_id (image), drawable, have_ui, &error);
      ok = layer != -1;
    }
  if (ok)
    {
      if (mode != GIMP_RUN_NONINTERACTIVE)
        gimp_displays_flush ();
      GimpValueArray *values = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS, NULL);
      GIMP_VALUES_SET_LAYER (values, 1, gimp_layer_get_by_id (layer));
      return values;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL, NULL);
  GimpPDBStatusType status = g_error_matches (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE)
                               ? GIMP_PDB_CALLING_ERROR : GIMP_PDB_EXECUTION_ERROR;
  /* GIMP shows the message of a failed interactive run and hands it to a script. */
  return gimp_procedure_new_return_values (procedure, status, g_steal_pointer (&error));
}

static GimpProcedure *
create_procedure (GimpPlugIn *plug_in, const gchar *name)
{
  if (g_strcmp0 (name, PROCEDURE) != 0)
    return NULL;
  GimpProcedure *procedure = gimp_image_procedure_new (plug_in, name, GIMP_PDB_PROC_TYPE_PLUGIN, run, NULL, NULL);
  gimp_procedure_set_image_types (procedure, "RGB*, GRAY*, INDEXED*");
  gimp_procedure_set_sensitivity_mask (procedure, GIMP_PROCEDURE_SENSITIVE_DRAWABLE);
  gimp_procedure_set_menu_label (procedure, _("Neural Style _Transfer..."));
  gimp_procedure_add_menu_path (procedure, "<Image>/Filters/Artistic");
  gimp_procedure_set_documentation (procedure, _("Restyle the layer after a painting (neural style transfer)"),
                                    ns_plugin_help (), name);
  gimp_procedure_set_attribution (procedure, "gimp-neural-style developers", "GPL-3.0-or-later", "2026");
  add_arguments (procedure);
  gimp_procedure_add_layer_return_value (procedure, "layer", _("Layer"), _("The new layer"), FALSE, G_PARAM_READWRITE);
  return procedure;
}

static void
ns_plug_in_class_init (NsPlugInClass *klass)
{
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS (klass);
  plug_in_class->query_procedures = query_procedures;
  plug_in_class->create_procedure = create_procedure;
  plug_in_class->set_i18n = set_i18n;
}

static void
ns_plug_in_init (NsPlugIn *plug_in)
{
}

GIMP_MAIN (NS_TYPE_PLUG_IN)
