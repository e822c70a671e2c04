/* neural-style train --contents DIR --styles DIR -o DECODER [--from FILE] [--checkpoint FILE]
 *                    [--iterations N] [--batch N] [--crop N] [--image-size N] [--learning-rate R]
 *                    [--lr-decay D] [--style-weight L] [--reconstruction-weight R] [--tv-weight T]
 *                    [--heldout-contents DIR --heldout-styles DIR] [--heldout-pairs N]
 *                    [--log-every N] [--save-every N] [--seed S] [--device N]
 *
 * Each iteration takes --batch pairs: a random content and a random style,
 * each resized so its shorter side is --image-size pixels and cropped at
 * random to --crop x --crop (the paper's 512 and 256).  Every --log-every
 * iterations it prints the mean losses since the last line and, with held-out
 * folders, the held-out pairs' losses and the median L8 ratio of their results
 * (the i-th content with the i-th style, centre crops); every --save-every
 * iterations and at the end it writes the decoder (and the checkpoint).
 * Ctrl+C stops after the iteration under way and writes both.  Exit status
 * 1 when the run fails, 2 for a wrong command line, 130 when interrupted. */
#include "cli-train.h"

#include "cli-image-list.h"
#include "cli-interrupt.h"
#include "cli-options.h"
#include "neural-style.h"
#include "ns-i18n.h"
#include <math.h>
#include <stdlib.h>

enum { EXIT_RUN_FAILED = 1, EXIT_USAGE = 2 };

typedef struct {
  GPtrArray *contents, *styles;   /* NsCliImageFile */
  int image_size, crop;
  GRand *rand;
} Sampler;

/* The image resized so its shorter side is max (image_size, crop). */
static NsImage *
load_resized (const Sampler *s, const NsCliImageFile *file, GError **error)
{
  g_autoptr (NsImage) image = ns_image_load (file->path, error);
  if (image == NULL)
    return NULL;
  g_autoptr (NsImage) rgb = ns_image_to_rgb (image);
  return ns_image_resize_short_side (rgb, MAX (s->image_size, s->crop));
}

/* A crop x crop window of the image: at random, or its centre. */
static NsImage *
crop_of (const Sampler *s, const NsImage *image, gboolean random)
{
  int x = (image->width - s->crop) / 2, y = (image->height - s->crop) / 2;
  if (random)
    {
      x = g_rand_int_range (s->rand, 0, image->width - s->crop + 1);
      y = g_rand_int_range (s->rand, 0, image->height - s->crop + 1);
    }
  return ns_image_crop (image, x, y, s->crop, s->crop);
}

static NsImage *
random_crop (Sampler *s, GPtrArray *files, GError **error)
{
  const NsCliImageFile *file = files->pdata[g_rand_int_range (s->rand, 0, files->len)];
  g_autoptr (NsImage) image = load_resized (s, file, error);
  return image != NULL ? crop_of (s, image, TRUE) : NULL;
}

static void
print_losses (const char *what, const NsDecoderLosses *l)
{
  g_print (_("%s: content %.4g, style %.4g, reconstruction %.4g, total variation %.4g, total %.4g"), what,
           l->content, l->style, l->reconstruction, l->tv, l->total);
}

/* The held-out pairs' mean losses and the median L8 ratio of their results to their contents. */
static gboolean
log_heldout (NsDecoderTrainer *trainer, NsImage **contents, NsImage **styles, int n, GError **error)
{
  NsDecoderLosses mean = { 0 };
  g_autofree double *ratios = g_new (double, n);
  for (int i = 0; i < n; i++)
    {
      NsDecoderLosses l;
      g_autoptr (NsImage) result = NULL;
      double l8 = 0, content_l8 = 0;
      if (!ns_decoder_trainer_evaluate (trainer, contents[i], styles[i], &l, &result, error))
        return FALSE;
      for (gsize k = 0; k < (gsize) result->width * result->height * result->channels; k++)
        result->data[k] = CLAMP (result->data[k], 0.0f, 1.0f);   /* as the engine's result is saved */
      if (!ns_lattice_energy (result, &l8, error) || !ns_lattice_energy (contents[i], &content_l8, error))
        return FALSE;
      ratios[i] = ns_lattice_ratio (l8, content_l8);
      mean.content += l.content / n, mean.style += l.style / n, mean.reconstruction += l.reconstruction / n;
      mean.tv += l.tv / n, mean.total += l.total / n;
    }
  for (int i = 1; i < n; i++)   /* n is small: insertion sort */
    for (int j = i; j > 0 && ratios[j] < ratios[j - 1]; j--)
      {
        double t = ratios[j];
        ratios[j] = ratios[j - 1], ratios[j - 1] = t;
      }
  double median = n % 2 == 1 ? ratios[n / 2] : 0.5 * (ratios[n / 2 - 1] + ratios[n / 2]);
  g_autofree char *what = g_strdup_printf (_("iteration %d, held-out"), ns_decoder_trainer_get_iteration (trainer));
  print_losses (what, &mean);
  g_print (_(", L8 %.3g times the photo's (median of %d)\n"), median, n);
  return TRUE;
}

static gboolean
save_all (NsDecoderTrainer *trainer, const char *output, const char *checkpoint, GError **error)
{
  return ns_decoder_trainer_save_decoder (trainer, output, error)
      && (checkpoint == NULL || ns_decoder_trainer_save_checkpoint (trainer, checkpoint, error));
}

int
ns_cli_train (int argc, char **argv)
{
  g_autofree char *contents_dir = NULL, *styles_dir = NULL, *output = NULL, *from = NULL, *checkpoint = NULL,
                  *heldout_contents_dir = NULL, *heldout_styles_dir = NULL;
  int iterations = 1000, batch = 8, crop = 256, image_size = 512, heldout_pairs = 4, log_every = 100,
      save_every = 1000, device = -1;
  gint64 seed = 0;
  NsDecoderTrainParams params;
  ns_decoder_train_params_init (&params);
  GOptionEntry entries[] = {
    { "contents", 0, 0, G_OPTION_ARG_FILENAME, &contents_dir, N_("The folder of photographs to train on"), N_("DIR") },
    { "styles", 0, 0, G_OPTION_ARG_FILENAME, &styles_dir, N_("The folder of paintings to train on"), N_("DIR") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The decoder to write, in the engine's layout"), N_("FILE") },
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from,
      N_("The decoder or checkpoint to start from (default: the installed decoder)"), N_("FILE") },
    { "checkpoint", 0, 0, G_OPTION_ARG_FILENAME, &checkpoint,
      N_("Also write a checkpoint (weights and optimiser state) to resume from"), N_("FILE") },
    { "iterations", 0, 0, G_OPTION_ARG_INT, &iterations, N_("Iterations to run (default 1000)"), N_("N") },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Pairs per iteration (default 8)"), N_("N") },
    { "crop", 0, 0, G_OPTION_ARG_INT, &crop, N_("Side of the square crops, a multiple of 8 (default 256)"), N_("N") },
    { "image-size", 0, 0, G_OPTION_ARG_INT, &image_size,
      N_("Shorter side the images are resized to before cropping (default 512)"), N_("N") },
    { "learning-rate", 0, 0, G_OPTION_ARG_DOUBLE, &params.learning_rate, N_("Adam's learning rate (default 1e-4)"), N_("R") },
    { "lr-decay", 0, 0, G_OPTION_ARG_DOUBLE, &params.lr_decay,
      N_("Learning rate decay: the rate over 1 + D × iteration (default 5e-5)"), N_("D") },
    { "style-weight", 0, 0, G_OPTION_ARG_DOUBLE, &params.style_weight, N_("The style loss's weight, lambda (default 10)"), N_("L") },
    { "reconstruction-weight", 0, 0, G_OPTION_ARG_DOUBLE, &params.reconstruction_weight,
      N_("Weight of decoding the photo's own features back to the photo (alpha 0; default 0: off)"), N_("R") },
    { "tv-weight", 0, 0, G_OPTION_ARG_DOUBLE, &params.tv_weight,
      N_("Weight of the result's total variation (default 0: off)"), N_("T") },
    { "heldout-contents", 0, 0, G_OPTION_ARG_FILENAME, &heldout_contents_dir,
      N_("Photographs kept out of training, to log losses and L8 on"), N_("DIR") },
    { "heldout-styles", 0, 0, G_OPTION_ARG_FILENAME, &heldout_styles_dir,
      N_("Paintings kept out of training, to log losses and L8 on"), N_("DIR") },
    { "heldout-pairs", 0, 0, G_OPTION_ARG_INT, &heldout_pairs, N_("Held-out pairs (default 4)"), N_("N") },
    { "log-every", 0, 0, G_OPTION_ARG_INT, &log_every, N_("Print the losses every N iterations (default 100)"), N_("N") },
    { "save-every", 0, 0, G_OPTION_ARG_INT, &save_every, N_("Write the decoder every N iterations (default 1000)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the random crops (default 0)"), N_("S") },
    { "device", 'd', 0, G_OPTION_ARG_INT, &device, N_("OpenCL device number (see --list-devices)"), N_("N") },
    { NULL }
  };
  g_autoptr (GOptionContext) options = g_option_context_new (_("— train the AdaIN decoder"));
  g_option_context_set_translation_domain (options, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("neural-style train: %s\n", error->message);
      return EXIT_USAGE;
    }
  const char *usage = NULL;
  if (argc > 1)
    usage = _("Give no image arguments: the images come from --contents and --styles.");
  else if (contents_dir == NULL || styles_dir == NULL || output == NULL)
    usage = _("Give --contents, --styles and -o.");
  else if (crop < 16 || crop % 8 != 0 || crop > NS_MAX_IMAGE_SIDE)
    usage = _("--crop must be a multiple of 8 of at least 16.");
  else if (iterations < 0 || batch < 1 || heldout_pairs < 1 || log_every < 1 || save_every < 1)
    usage = _("--iterations must not be negative, and --batch, --heldout-pairs, --log-every and --save-every must "
              "be at least 1.");
  else if (!(params.learning_rate > 0) || !(params.lr_decay >= 0) || !(params.style_weight >= 0)
           || !(params.reconstruction_weight >= 0) || !(params.tv_weight >= 0))
    usage = _("The learning rate must be positive, and the decay and the weights must not be negative.");
  else if ((heldout_contents_dir == NULL) != (heldout_styles_dir == NULL))
    usage = _("Give both --heldout-contents and --heldout-styles, or neither.");
  if (usage != NULL)
    {
      g_printerr ("neural-style train: %s\n", usage);
      return EXIT_USAGE;
    }
  Sampler sampler = { NULL, NULL, image_size, crop, NULL };
  g_autoptr (GPtrArray) contents = ns_cli_list_images (contents_dir, &error);
  g_autoptr (GPtrArray) styles = contents != NULL ? ns_cli_list_images (styles_dir, &error) : NULL;
  g_autoptr (GPtrArray) heldout_contents = NULL, heldout_styles = NULL;
  if (styles != NULL && heldout_contents_dir != NULL
      && ((heldout_contents = ns_cli_list_images (heldout_contents_dir, &error)) == NULL
          || (heldout_styles = ns_cli_list_images (heldout_styles_dir, &error)) == NULL))
    g_clear_pointer (&styles, g_ptr_array_unref);
  if (styles == NULL)
    {
      g_printerr ("neural-style train: %s\n", error->message);
      return EXIT_USAGE;
    }
  sampler.contents = contents;
  sampler.styles = styles;
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) seed);
  sampler.rand = rand;

  g_autoptr (NsRuntime) runtime = ns_cli_runtime_new (device, NULL, &error);
  g_autoptr (NsDecoderTrainer) trainer = runtime != NULL ? ns_decoder_trainer_new (runtime, from, &params, &error)
                                                         : NULL;
  if (trainer == NULL)
    {
      g_printerr ("neural-style train: %s\n", error->message);
      return EXIT_RUN_FAILED;
    }
  g_printerr (_("neural-style train: %s, from %s (iteration %d), %d iterations of %d pairs of %d × %d crops.\n"),
              ns_decoder_trainer_get_device_name (trainer), ns_decoder_trainer_get_start_path (trainer),
              ns_decoder_trainer_get_iteration (trainer),
              iterations, batch, crop, crop);

  /* The held-out pairs, the same centre crops at every log. */
  int n_heldout = heldout_contents != NULL ? heldout_pairs : 0;
  g_autoptr (GPtrArray) heldout = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_image_free);
  for (int i = 0; i < 2 * n_heldout; i++)
    {
      GPtrArray *files = i < n_heldout ? heldout_contents : heldout_styles;
      g_autoptr (NsImage) image = load_resized (&sampler, files->pdata[(i % n_heldout) % files->len], &error);
      if (image == NULL)
        {
          g_printerr ("neural-style train: %s\n", error->message);
          return EXIT_RUN_FAILED;
        }
      g_ptr_array_add (heldout, crop_of (&sampler, image, FALSE));
    }
  NsImage **heldout_images = (NsImage **) heldout->pdata;
  if (n_heldout > 0 && !log_heldout (trainer, heldout_images, heldout_images + n_heldout, n_heldout, &error))
    {
      g_printerr ("neural-style train: %s\n", error->message);
      return EXIT_RUN_FAILED;
    }

  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (NsCliInterrupt) interrupt = ns_cli_interrupt_new (cancellable);
  g_autoptr (GPtrArray) pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) ns_image_free);
  NsDecoderLosses sum = { 0 };
  int since_log = 0;
  gint64 log_start = g_get_monotonic_time ();
  for (int it = 1; it <= iterations && !g_cancellable_is_cancelled (cancellable); it++)
    {
      g_ptr_array_set_size (pairs, 0);
      for (int i = 0; i < 2 * batch; i++)
        {
          NsImage *image = random_crop (&sampler, i < batch ? contents : styles, &error);
          if (image == NULL)
            goto failed;
          g_ptr_array_add (pairs, image);
        }
      NsDecoderLosses l;
      NsImage **images = (NsImage **) pairs->pdata;
      if (!ns_decoder_trainer_step (trainer, images, images + batch, batch, &l, &error))
        goto failed;
      sum.content += l.content, sum.style += l.style, sum.reconstruction += l.reconstruction, sum.tv += l.tv;
      sum.total += l.total;
      since_log++;
      if (it % log_every == 0 || it == iterations)
        {
          NsDecoderLosses mean = { sum.content / since_log, sum.style / since_log, sum.reconstruction / since_log,
                                   sum.tv / since_log, sum.total / since_log };
          g_autofree char *what = g_strdup_printf (_("iteration %d"), ns_decoder_trainer_get_iteration (trainer));
          print_losses (what, &mean);
          g_print (_(" (%.2f s an iteration)\n"), (g_get_monotonic_time () - log_start) / 1e6 / since_log);
          sum = (NsDecoderLosses) { 0 };
          since_log = 0;
          if (n_heldout > 0 && !log_heldout (trainer, heldout_images, heldout_images + n_heldout, n_heldout, &error))
            goto failed;
          log_start = g_get_monotonic_time ();
        }
      if (it % save_every == 0 && it < iterations && !save_all (trainer, output, checkpoint, &error))
        goto failed;
    }
  if (!save_all (trainer, output, checkpoint, &error))
    goto failed;
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_printerr (_("neural-style train: interrupted at iteration %d; wrote %s.\n"),
                  ns_decoder_trainer_get_iteration (trainer), output);
      return NS_CLI_EXIT_INTERRUPTED;
    }
  g_printerr (_("neural-style train: wrote %s after iteration %d.\n"), output,
              ns_decoder_trainer_get_iteration (trainer));
  return EXIT_SUCCESS;

failed:
  g_printerr ("neural-style train: %s\n", error->message);
  return EXIT_RUN_FAILED;
}
