#include "eval-plot.h"

#include "ns-i18n.h"
#include <cairo.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* ---- ec.png ---- */

static double
nice_step (double range, int target)
{
  double raw = range / target, magnitude = pow (10, floor (log10 (raw))), f = raw / magnitude;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
}

typedef struct {
  double lo, hi, step;
  int decimals;
} Axis;

static Axis
make_axis (double lo, double hi)
{
  if (!(hi >= lo))
    lo = 0, hi = 1;
  if (hi - lo < 1e-9 * fmax (1, fabs (hi)))
    lo -= 0.05 * fmax (1, fabs (lo)), hi += 0.05 * fmax (1, fabs (hi));
  double pad = 0.04 * (hi - lo);
  Axis axis;
  axis.step = nice_step (hi - lo + 2 * pad, 6);
  axis.lo = floor ((lo - pad) / axis.step) * axis.step;
  axis.hi = ceil ((hi + pad) / axis.step) * axis.step;
  axis.decimals = MAX (0, (int) -floor (log10 (axis.step) + 1e-9));
  return axis;
}

static void
draw_marker (cairo_t *cr, int shape, double x, double y, double r)
{
  cairo_new_path (cr);
  switch (shape % 3)
    {
    case 0:
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    case 1:
      cairo_rectangle (cr, x - 0.9 * r, y - 0.9 * r, 1.8 * r, 1.8 * r);
      break;
    default:
      cairo_move_to (cr, x, y - 1.2 * r);
      cairo_line_to (cr, x + 1.1 * r, y + 0.8 * r);
      cairo_line_to (cr, x - 1.1 * r, y + 0.8 * r);
      cairo_close_path (cr);
      break;
    }
}

static void
show_text_at (cairo_t *cr, const char *text, double x, double y, double align_x, double align_y)
{
  cairo_text_extents_t ext;
  cairo_text_extents (cr, text, &ext);
  cairo_move_to (cr, x - align_x * ext.width - ext.x_bearing, y - align_y * ext.height - ext.y_bearing);
  cairo_show_text (cr, text);
}

static void
line (cairo_t *cr, double x0, double y0, double x1, double y1)
{
  cairo_move_to (cr, x0, y0), cairo_line_to (cr, x1, y1), cairo_stroke (cr);
}

/* An axis's grid lines, tick marks and labels in the plot area; vertical: the
 * y axis (values upwards from bottom), else the x axis (rightwards from left). */
static void
draw_ticks (cairo_t *cr, const Axis *axis, gboolean vertical, double left, double right, double top, double bottom)
{
  for (int i = 0; axis->lo + i * axis->step <= axis->hi + 1e-9 * axis->step; i++)
    {
      double v = axis->lo + i * axis->step, at = (v - axis->lo) / (axis->hi - axis->lo);
      double p = round (vertical ? bottom - at * (bottom - top) : left + at * (right - left)) + 0.5;
      char label[64];
      g_snprintf (label, sizeof label, "%.*f", axis->decimals, v);
      g_strdelimit (label, ",", '.');
      cairo_set_source_rgb (cr, 0.9, 0.9, 0.9);
      if (vertical)
        line (cr, left, p, right, p);
      else
        line (cr, p, top, p, bottom);
      cairo_set_source_rgb (cr, 0, 0, 0);
      if (vertical)
        line (cr, left - 5, p, left, p), show_text_at (cr, label, left - 8, p, 1, 0.5);
      else
        line (cr, p, bottom, p, bottom + 5), show_text_at (cr, label, p, bottom + 9, 0.5, 0);
    }
}

/* Each method and setting a colour (palette[g]) and each method a shape. */
static const double palette[][3] = {
  { 0.122, 0.467, 0.706 }, { 1.000, 0.498, 0.055 }, { 0.173, 0.627, 0.173 }, { 0.839, 0.153, 0.157 },
  { 0.580, 0.404, 0.741 }, { 0.549, 0.337, 0.294 }, { 0.890, 0.467, 0.761 }, { 0.498, 0.498, 0.498 },
  { 0.737, 0.741, 0.133 }, { 0.090, 0.745, 0.812 },
};
#define GROUP_RGB(g) palette[(g) % G_N_ELEMENTS (palette)]

/* A large marker in the group's colour with a black outline. */
static void
draw_group_marker (cairo_t *cr, int shape, guint g, double x, double y, double r)
{
  const double *rgb = GROUP_RGB (g);
  draw_marker (cr, shape, x, y, r);
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_stroke (cr);
}

/* E on x and C on y, as Yeh et al. draw their E-C plots: up and to the right
 * is better on both; each method and setting one colour (a shape per
 * method), each result a small marker, the setting's mean a large one, and
 * each method's means joined in the order of its settings. */
static void
draw_ec_panel (cairo_t *cr, GPtrArray *rows, GArray *groups, const int *shapes)
{
  const double W = NS_EVAL_PLOT_WIDTH, H = NS_EVAL_PLOT_EC_HEIGHT;
  const double left = 80, right = W - 230, top = 50, bottom = H - 70;
  double e_lo = INFINITY, e_hi = -INFINITY, c_lo = INFINITY, c_hi = -INFINITY;
  for (guint i = 0; i < rows->len; i++)
    {
      const EvalRow *row = rows->pdata[i];
      if (isfinite (row->values[EVAL_E]) && isfinite (row->values[EVAL_C]))
        {
          e_lo = fmin (e_lo, row->values[EVAL_E]), e_hi = fmax (e_hi, row->values[EVAL_E]);
          c_lo = fmin (c_lo, row->values[EVAL_C]), c_hi = fmax (c_hi, row->values[EVAL_C]);
        }
    }
  Axis ax = make_axis (e_lo, e_hi), ay = make_axis (c_lo, c_hi);
#define PX(e) (left + ((e) - ax.lo) / (ax.hi - ax.lo) * (right - left))
#define PY(c) (bottom - ((c) - ay.lo) / (ay.hi - ay.lo) * (bottom - top))

  /* Grid, ticks and their labels. */
  cairo_set_font_size (cr, 12);
  cairo_set_line_width (cr, 1);
  draw_ticks (cr, &ax, FALSE, left, right, top, bottom);
  draw_ticks (cr, &ay, TRUE, left, right, top, bottom);
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_rectangle (cr, left + 0.5, top + 0.5, right - left, bottom - top);
  cairo_stroke (cr);

  /* Axis labels and the title. */
  cairo_set_font_size (cr, 14);
  show_text_at (cr, "E: effectiveness (higher: closer to the style)", (left + right) / 2, H - 22, 0.5, 0.5);
  cairo_save (cr);
  cairo_translate (cr, 22, (top + bottom) / 2);
  cairo_rotate (cr, -G_PI / 2);
  show_text_at (cr, "C: coherence, SSIM with the content", 0, 0, 0.5, 0.5);
  cairo_restore (cr);
  cairo_set_font_size (cr, 16);
  char title[128];
  g_snprintf (title, sizeof title, "E-C plot of %u results", rows->len);
  show_text_at (cr, title, (left + right) / 2, 25, 0.5, 0.5);

  /* The results, then each method's means joined, then the means. */
  double *mean_e = g_newa (double, groups->len + 1), *mean_c = g_newa (double, groups->len + 1);
  cairo_save (cr);
  cairo_rectangle (cr, left, top, right - left, bottom - top);
  cairo_clip (cr);
  for (guint g = 0; g < groups->len; g++)
    {
      const EvalGroup *group = &g_array_index (groups, EvalGroup, g);
      const double *rgb = GROUP_RGB (g);
      double sd;
      eval_group_stats (group, EVAL_E, &mean_e[g], &sd);
      eval_group_stats (group, EVAL_C, &mean_c[g], &sd);
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.55);
      for (guint i = 0; i < group->rows->len; i++)
        {
          const EvalRow *row = group->rows->pdata[i];
          draw_marker (cr, shapes[g], PX (row->values[EVAL_E]), PY (row->values[EVAL_C]), 3.5);
          cairo_fill (cr);
        }
    }
  cairo_set_line_width (cr, 1.5);
  cairo_set_source_rgba (cr, 0.2, 0.2, 0.2, 0.7);
  for (guint g = 1; g < groups->len; g++)
    if (strcmp (g_array_index (groups, EvalGroup, g).method, g_array_index (groups, EvalGroup, g - 1).method) == 0)
      {
        cairo_move_to (cr, PX (mean_e[g - 1]), PY (mean_c[g - 1]));
        cairo_line_to (cr, PX (mean_e[g]), PY (mean_c[g]));
        cairo_stroke (cr);
      }
  cairo_set_line_width (cr, 1);
  for (guint g = 0; g < groups->len; g++)
    draw_group_marker (cr, shapes[g], g, PX (mean_e[g]), PY (mean_c[g]), 8);
  cairo_restore (cr);

  /* The legend. */
  cairo_set_font_size (cr, 13);
  double lx = right + 25, ly = top + 10;
  cairo_set_source_rgb (cr, 0, 0, 0);
  show_text_at (cr, "method, setting", lx, ly, 0, 0.5);
  ly += 24;
  for (guint g = 0; g < groups->len && ly < bottom - 40; g++, ly += 22)
    {
      const EvalGroup *group = &g_array_index (groups, EvalGroup, g);
      cairo_set_line_width (cr, 1);
      draw_group_marker (cr, shapes[g], g, lx + 8, ly, 6);
      char label[128];
      g_snprintf (label, sizeof label, "%s %s %s", group->method,
                  strcmp (group->method, "adain") == 0 ? "alpha" : "style weight", group->setting);
      show_text_at (cr, label, lx + 22, ly, 0, 0.5);
    }
  cairo_set_font_size (cr, 11);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  show_text_at (cr, "small: one result", lx, ly + 8, 0, 0.5);
  show_text_at (cr, "large: the mean", lx, ly + 24, 0, 0.5);
#undef PX
#undef PY
}

/* Below the E-C plot: a row per method and setting, each result's L8 ratio
 * to its content across on a log scale, the row's median a large marker and
 * the photo's own lattice (ratio 1) a dark line. */
static void
draw_l8_panel (cairo_t *cr, GArray *groups, const int *shapes)
{
  const double W = NS_EVAL_PLOT_WIDTH, H = NS_EVAL_PLOT_HEIGHT;
  const double left = 110, right = W - 230, top = NS_EVAL_PLOT_EC_HEIGHT + 30, bottom = H - 60;
  double lo = INFINITY, hi = -INFINITY;
  for (guint g = 0; g < groups->len; g++)
    {
      const EvalGroup *group = &g_array_index (groups, EvalGroup, g);
      for (guint i = 0; i < group->rows->len; i++)
        {
          double r = ((EvalRow *) group->rows->pdata[i])->values[EVAL_L8_RATIO];
          if (isfinite (r) && r > 0)
            lo = fmin (lo, log10 (r)), hi = fmax (hi, log10 (r));
        }
    }
  /* Whole decades, always holding 1 (the photo's lattice). */
  lo = isfinite (lo) ? floor (fmin (lo, 0)) : -1;
  hi = isfinite (hi) ? ceil (fmax (hi, 0)) : 1;
  if (hi - lo < 1)
    hi = lo + 1;
#define PX(log_ratio) (left + ((log_ratio) - lo) / (hi - lo) * (right - left))
  cairo_set_font_size (cr, 12);
  cairo_set_line_width (cr, 1);
  for (int d = (int) lo; d <= (int) hi; d++)
    {
      double p = round (PX (d)) + 0.5;
      char label[32];
      g_snprintf (label, sizeof label, "%g", pow (10, d));
      cairo_set_source_rgb (cr, d == 0 ? 0.35 : 0.9, d == 0 ? 0.35 : 0.9, d == 0 ? 0.35 : 0.9);
      line (cr, p, top, p, bottom);
      cairo_set_source_rgb (cr, 0, 0, 0);
      line (cr, p, bottom, p, bottom + 5);
      show_text_at (cr, label, p, bottom + 9, 0.5, 0);
    }
  cairo_rectangle (cr, left + 0.5, top + 0.5, right - left, bottom - top);
  cairo_stroke (cr);
  cairo_set_font_size (cr, 14);
  show_text_at (cr, "L8 ratio: the result's 8-pixel lattice energy over its content's (log scale; 1: the photo's)",
                (left + right) / 2, H - 22, 0.5, 0.5);
  double row_height = (bottom - top) / MAX (1, groups->len);
  cairo_set_font_size (cr, 12);
  for (guint g = 0; g < groups->len; g++)
    {
      const EvalGroup *group = &g_array_index (groups, EvalGroup, g);
      const double *rgb = GROUP_RGB (g);
      double y = top + (g + 0.5) * row_height;
      char label[128];
      g_snprintf (label, sizeof label, "%s %s", group->method, group->setting);
      cairo_set_source_rgb (cr, 0, 0, 0);
      show_text_at (cr, label, left - 8, y, 1, 0.5);
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.55);
      for (guint i = 0; i < group->rows->len; i++)
        {
          double r = ((EvalRow *) group->rows->pdata[i])->values[EVAL_L8_RATIO];
          if (isfinite (r) && r > 0)
            {
              draw_marker (cr, shapes[g], PX (log10 (r)), y, 3.5);
              cairo_fill (cr);
            }
        }
      double median = eval_group_median (group, EVAL_L8_RATIO);
      if (isfinite (median) && median > 0)
        draw_group_marker (cr, shapes[g], g, PX (log10 (median)), y, 7);
    }
  cairo_set_font_size (cr, 11);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  show_text_at (cr, "small: one result", right + 25, top + 8, 0, 0.5);
  show_text_at (cr, "large: the median", right + 25, top + 24, 0, 0.5);
#undef PX
}

gboolean
eval_draw_ec_plot (const char *path, GPtrArray *rows, GArray *groups, GError **error)
{
  /* One shape per method, in the order the methods first appear. */
  g_autoptr (GPtrArray) methods = g_ptr_array_new ();
  g_autofree int *shapes = g_new0 (int, groups->len + 1);
  for (guint g = 0; g < groups->len; g++)
    {
      const char *method = g_array_index (groups, EvalGroup, g).method;
      guint m = 0;
      while (m < methods->len && strcmp (methods->pdata[m], method) != 0)
        m++;
      if (m == methods->len)
        g_ptr_array_add (methods, (gpointer) method);
      shapes[g] = (int) m;
    }
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, NS_EVAL_PLOT_WIDTH, NS_EVAL_PLOT_HEIGHT);
  cairo_t *cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  draw_ec_panel (cr, rows, groups, shapes);
  draw_l8_panel (cr, groups, shapes);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  cairo_status_t status = cairo_surface_status (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png (surface, tmp);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_remove (tmp);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not draw %s: %s."), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_remove (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write %s: %s."), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
