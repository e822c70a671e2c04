/* The run parameters, declared once: name, label, help, type, range,
 * default and choices of each.  GLib only.  The GIMP 2.10 and GIMP 3
 * procedures, the command-line tool's options, validation, the dialog's
 * ranges and the saved settings are all made from this table, so that no
 * front end can drift from another (tests/test-params.c walks it). */
#pragma once

#include "ns-settings.h"

G_BEGIN_DECLS

typedef enum {
  NS_PARAM_CHOICE,     /* an enumeration: a gint32 field, named values (nicks) */
  NS_PARAM_INT,        /* a gint32 field */
  NS_PARAM_DOUBLE,     /* a double field */
  NS_PARAM_STYLE,      /* a char[NS_SETTINGS_PATH_MAX] field: a file or a bundled style's name */
  NS_PARAM_DRAWABLE,   /* a gint32 field: the host's drawable ID, -1 for none */
} NsParamType;

typedef struct {
  int value;
  const char *nick;    /* "adain": the GIMP 3 choice and the CLI's word */
  const char *label;   /* N_(), for the dialog and the GIMP 3 choice */
} NsParamChoice;

typedef struct {
  const char *name;        /* the PDB argument ("style-size"); the key file's key with '_' for '-' */
  const char *cli_name;    /* the CLI's long option, or NULL where the CLI has its own form */
  char cli_short;          /* its short option, or 0 */
  const char *label;       /* N_(), with a mnemonic: the dialog's and GIMP 3's nick */
  const char *help;        /* N_(): the PDB's blurb, the CLI's help, the tooltip */
  NsParamType type;
  double min, max;         /* INT, DOUBLE (and the drawable's -1 .. G_MAXINT32) */
  int nonzero_min;         /* INT: when not 0, a value of 1 .. nonzero_min - 1 is refused (0 keeps its meaning) */
  double default_value;    /* INT, DOUBLE, CHOICE, DRAWABLE */
  const char *default_string; /* STYLE */
  const NsParamChoice *choices;
  guint n_choices;
  gsize offset;            /* of the field in NsSettings */
} NsParam;

/* The table, in the order of the procedures' arguments. */
const NsParam *ns_params (guint *n_params);
/* The parameter named `name`, or NULL. */
const NsParam *ns_param_find (const char *name);
/* The choice of `param` with this nick (NULL: none) or value (NULL: none). */
const NsParamChoice *ns_param_choice_by_nick (const NsParam *param, const char *nick);
const NsParamChoice *ns_param_choice_by_value (const NsParam *param, int value);

/* A field's value as a double (INT, CHOICE, DRAWABLE, DOUBLE), and set from one. */
double ns_param_get_number (const NsParam *param, const NsSettings *settings);
void ns_param_set_number (const NsParam *param, NsSettings *settings, double value);
/* A STYLE field's string (borrowed), and set (FALSE when too long). */
const char *ns_param_get_string (const NsParam *param, const NsSettings *settings);
gboolean ns_param_set_string (const NsParam *param, NsSettings *settings, const char *value);

/* Whether `value` lies in the parameter's range; else a sentence naming the
 * parameter by `shown_name` (the PDB's or the CLI's name). */
gboolean ns_param_check_number (const NsParam *param, double value, const char *shown_name, GError **error);
/* Parses a CLI word for the parameter (a number, or a choice's nick) and
 * stores it: G_OPTION_ERROR_BAD_VALUE with a sentence when it is not one. */
gboolean ns_param_parse (const NsParam *param, NsSettings *settings, const char *text, const char *shown_name,
                         GError **error);
/* The nicks of a choice joined by `separator` ("adain, gatys" for messages,
 * "adain|gatys" for the CLI's help).  Newly allocated. */
char *ns_param_nicks (const NsParam *param, const char *separator);

G_END_DECLS
