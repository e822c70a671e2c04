#include "ns-progress-text.h"

#include "ns-i18n.h"
#include <math.h>

/* A pace measured over less than this says little (the first iterations also
 * build kernels and measure convolutions). */
#define MIN_SECONDS_FOR_PACE 3.0

char *
ns_progress_text (const char *text, double t0, double f0, double t, double f)
{
  g_autofree char *left = NULL;
  if (t - t0 >= MIN_SECONDS_FOR_PACE && f > f0 && f < 1.0)
    {
      double seconds = (t - t0) / (f - f0) * (1.0 - f);
      if (seconds < 60)
        left = g_strdup_printf (_("about %d s left"), MAX (1, (int) ceil (seconds)));
      else if (seconds < 3600)
        left = g_strdup_printf (_("about %d min left"), (int) ceil (seconds / 60));
      else
        {
          int minutes = (int) ceil (seconds / 60);
          left = g_strdup_printf (_("about %d h %02d min left"), minutes / 60, minutes % 60);
        }
    }
  if (text == NULL || left == NULL)
    return g_strdup (text != NULL ? text : left);
  /* TRANSLATORS: the progress so far, then the time left, e.g. "Iteration 12 of 300, about 4 min left" */
  return g_strdup_printf (_("%s, %s"), text, left);
}

char *
ns_progress_text_kernels (guint done, guint total)
{
  return g_strdup_printf (_("Preparing the OpenCL kernels for this device, first use only: %u of %u"), done, total);
}

char *
ns_progress_text_iteration (int iteration, int iterations, int scale, int scales)
{
  if (scales > 1)
    /* TRANSLATORS: the iterations are the run's total over all its scales, e.g. "Iteration 212 of 300 (scale 2 of 2)" */
    return g_strdup_printf (_("Iteration %d of %d (scale %d of %d)"), iteration, iterations, scale, scales);
  return g_strdup_printf (_("Iteration %d of %d"), iteration, iterations);
}

const char *
ns_progress_text_adain (double fraction)
{
  return fraction < 0 ? _("Restyling the layer in one pass (AdaIN)…") : _("Restyling the layer in tiles (AdaIN)…");
}
