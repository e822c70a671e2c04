#include "ns-cl-program-set.h"

#include "ns-cl-error.h"
#include "ns-i18n.h"
#include <string.h>

struct _NsClProgramSet {
  NsClContext *ctx;
  const NsClSource *sources;
  guint n_sources;
  char *options;
  NsClProgram **programs;   /* per source, NULL until made ready */
};

NsClProgramSet *
ns_cl_program_set_new (NsClContext *ctx, const NsClSource *sources, guint n_sources, const char *options)
{
  NsClProgramSet *set = g_new0 (NsClProgramSet, 1);
  set->ctx = ctx;
  set->sources = sources;
  set->n_sources = n_sources;
  set->options = g_strdup (options);
  set->programs = g_new0 (NsClProgram *, n_sources);
  return set;
}

void
ns_cl_program_set_free (NsClProgramSet *set)
{
  if (set == NULL)
    return;
  for (guint i = 0; i < set->n_sources; i++)
    ns_cl_program_free (set->programs[i]);
  g_free (set->programs);
  g_free (set->options);
  g_free (set);
}

static gboolean
source_has_kernel (const NsClSource *source, const char *name)
{
  gsize len = strlen (name);
  for (const char *p = source->kernels; (p = strstr (p, name)) != NULL; p += len)
    if ((p == source->kernels || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
      return TRUE;
  return FALSE;
}

static int
source_of (NsClProgramSet *set, const char *name)
{
  for (guint i = 0; i < set->n_sources; i++)
    if (source_has_kernel (&set->sources[i], name))
      return (int) i;
  return -1;
}

gboolean
ns_cl_program_set_prepare (NsClProgramSet *set, const char *const *kernels, GError **error)
{
  NsClContext *ctx = set->ctx;
  g_autofree gboolean *wanted = g_new0 (gboolean, set->n_sources);
  for (guint i = 0; i < set->n_sources; i++)
    wanted[i] = kernels == NULL;
  for (gsize k = 0; kernels != NULL && kernels[k] != NULL; k++)
    {
      int i = source_of (set, kernels[k]);
      if (i < 0)
        {
          g_set_error (error, NS_CL_ERROR, NS_CL_ERROR_BUILD, _("No OpenCL program holds the kernel “%s”."),
                       kernels[k]);
          return FALSE;
        }
      wanted[i] = TRUE;
    }
  /* The caches first, so that the count is of the builds alone. */
  guint total = 0, done = 0;
  for (guint i = 0; i < set->n_sources; i++)
    if (wanted[i] && set->programs[i] == NULL
        && (set->programs[i] = ns_cl_program_load (ctx, set->sources[i].source, set->options)) == NULL)
      total++;
  for (guint i = 0; i < set->n_sources && done < total; i++)
    if (wanted[i] && set->programs[i] == NULL)
      {
        if (ctx->build_progress != NULL)
          ctx->build_progress (done, total, ctx->build_progress_data);
        if ((set->programs[i] = ns_cl_program_build (ctx, set->sources[i].source, set->options, error)) == NULL)
          return FALSE;
        g_debug ("built %s from source", set->sources[i].file);
        done++;
      }
  if (total > 0 && ctx->build_progress != NULL)
    ctx->build_progress (done, total, ctx->build_progress_data);
  return TRUE;
}

cl_kernel
ns_cl_program_set_create_kernel (NsClProgramSet *set, const char *name, GError **error)
{
  const char *const one[] = { name, NULL };
  if (!ns_cl_program_set_prepare (set, one, error))
    return NULL;
  return ns_cl_program_create_kernel (set->programs[source_of (set, name)], name, error);
}

void
ns_cl_program_set_save (NsClProgramSet *set)
{
  for (guint i = 0; i < set->n_sources; i++)
    if (set->programs[i] != NULL)
      ns_cl_program_save (set->ctx, set->programs[i]);
}

gboolean
ns_cl_program_set_all_cached (NsClProgramSet *set)
{
  for (guint i = 0; i < set->n_sources; i++)
    if (set->programs[i] != NULL && !set->programs[i]->from_cache)
      return FALSE;
  return TRUE;
}
