/* The runtime (issue 19): one per process, from which AdaIN, Gatys and the
 * metrics are made.  One context and one VGG-19 load for all three, the
 * decoder only when AdaIN comes; one device-choice policy (the same sentence
 * through each method); one memory budget (the same default, and the same
 * sentence when it is too small); the environment's options read in one
 * place and settable per runtime; `neural-style eval` opening one context. */
#include "neural-style.h"
#include "ns-cl-error.h"
#include "ns-runtime-private.h"
#include "ns-test-runtime.h"
#include "ns-test-util.h"
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* Gatys and the metrics, then AdaIN twice: one context, each of VGG-19's 13
 * convolutions through relu5_1 read once, the decoder once and only for AdaIN. */
static void
test_loads_once (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();
  NsRuntimeCounts counts;
  ns_runtime_get_counts (runtime, &counts);
  g_assert_cmpuint (counts.contexts, ==, 0);   /* nothing opened until used */
  g_assert_null (ns_runtime_get_device (runtime));

  g_autoptr (NsGatys) gatys = ns_gatys_new (runtime, &error);
  g_assert_no_error (error);
  g_autoptr (NsMetrics) metrics = ns_metrics_new (runtime, &error);
  g_assert_no_error (error);
  ns_runtime_get_counts (runtime, &counts);
  g_assert_cmpuint (counts.contexts, ==, 1);
  g_assert_cmpuint (counts.vgg_layers_read, ==, 13);
  g_assert_cmpuint (counts.decoder_loads, ==, 0);   /* Gatys and the metrics need no decoder */

  g_autoptr (NsAdain) adain = ns_adain_new (runtime, &error);
  g_assert_no_error (error);
  g_autoptr (NsAdain) again = ns_adain_new (runtime, &error);
  g_assert_no_error (error);
  ns_runtime_get_counts (runtime, &counts);
  g_assert_cmpuint (counts.contexts, ==, 1);
  g_assert_cmpuint (counts.vgg_layers_read, ==, 13);
  g_assert_cmpuint (counts.decoder_loads, ==, 1);
  g_assert_true (ns_adain_get_runtime (adain) == runtime && ns_gatys_get_runtime (gatys) == runtime);
  g_assert_nonnull (ns_runtime_get_device (runtime));

  /* All three work on the shared device. */
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair00_content.png");
  g_autoptr (NsImage) painting = ns_test_load_shared_image ("goldens", "pair00_style.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, 48, 40);
  g_autoptr (NsImage) style = ns_image_resize (painting, 40, 40);
  g_autoptr (NsImage) result = ns_adain_stylise (adain, content, style, 1.0, 0, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (NsGatysStyle) targets = ns_gatys_style_new (gatys, style, NULL, &error);
  g_assert_no_error (error);
  NsGatysOptions options;
  ns_gatys_options_init (&options);
  options.iterations = 2;
  g_autoptr (NsImage) optimised = ns_gatys_run (gatys, content, targets, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  double e = 0;
  g_assert_true (ns_metrics_effectiveness (metrics, result, style, 4, 0, &e, &error));
  g_assert_no_error (error);
  g_assert_true (optimised->width == content->width && isfinite (e));
}

/* AdaIN alone reads VGG-19 to relu4_1 (9 convolutions); Gatys after it
 * reads the 4 more it needs, and nothing twice. */
static void
test_vgg_extends (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();
  g_autoptr (NsAdain) adain = ns_adain_new (runtime, &error);
  g_assert_no_error (error);
  NsRuntimeCounts counts;
  ns_runtime_get_counts (runtime, &counts);
  g_assert_cmpuint (counts.vgg_layers_read, ==, 9);
  g_autoptr (NsGatys) gatys = ns_gatys_new (runtime, &error);
  g_assert_no_error (error);
  ns_runtime_get_counts (runtime, &counts);
  g_assert_cmpuint (counts.vgg_layers_read, ==, 13);
  g_assert_cmpuint (counts.contexts, ==, 1);
  /* AdaIN still encodes to relu4_1 after the network grew. */
  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair01_content.png");
  g_autoptr (NsImage) image = ns_image_resize (photo, 40, 32);
  float mean[512], std[512];
  g_assert_true (ns_adain_relu4_1_stats (adain, image, mean, std, &error));
  g_assert_no_error (error);
}

/* A device the machine lacks, named in the environment: the same sentence
 * from AdaIN, Gatys and the metrics, each on a runtime of its own. */
static void
test_device_policy (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) devices = ns_devices_list (&error);
  g_assert_no_error (error);
  g_autofree char *missing = g_strdup_printf ("%u", devices->len + 7);
  g_setenv ("NEURAL_STYLE_DEVICE", missing, TRUE);
  NsRuntimeOptions options;
  ns_runtime_options_init (&options);
  g_assert_true (ns_runtime_options_from_environment (&options, &error));
  g_assert_cmpint (options.device_index, ==, (int) devices->len + 7);
  g_autoptr (GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);
  for (int method = 0; method < 3; method++)
    {
      g_autoptr (NsRuntime) runtime = ns_runtime_new (&options);
      gpointer made = method == 0 ? (gpointer) ns_adain_new (runtime, &error)
                    : method == 1 ? (gpointer) ns_gatys_new (runtime, &error)
                                  : (gpointer) ns_metrics_new (runtime, &error);
      g_assert_null (made);
      g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_NO_DEVICE);
      g_ptr_array_add (sentences, g_strdup (error->message));
      g_clear_error (&error);
    }
  g_test_message ("%s", (const char *) sentences->pdata[0]);
  g_assert_nonnull (strstr (sentences->pdata[0], missing));
  g_assert_cmpstr (sentences->pdata[0], ==, sentences->pdata[1]);
  g_assert_cmpstr (sentences->pdata[0], ==, sentences->pdata[2]);

  /* Not a number: said where the environment is read. */
  g_setenv ("NEURAL_STYLE_DEVICE", "gpu please", TRUE);
  ns_runtime_options_init (&options);
  g_assert_false (ns_runtime_options_from_environment (&options, &error));
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_NO_DEVICE);
  g_assert_nonnull (strstr (error->message, "gpu please"));
  g_clear_error (&error);
  g_unsetenv ("NEURAL_STYLE_DEVICE");

  /* Unset: the best device that works, as a device of the list. */
  g_autoptr (NsRuntime) best = ns_test_runtime_new ();
  g_assert_true (ns_runtime_open (best, &error));
  g_assert_no_error (error);
  const NsDevice *chosen = ns_runtime_get_device (best);
  g_assert_cmpuint (chosen->index, <, devices->len);
  g_assert_cmpstr (chosen->name, ==, ((NsDevice *) devices->pdata[chosen->index])->name);
}

/* The default budget is the device's half (at most NS_HOST_MEMORY_BUDGET on
 * a processor) for both methods: with the device made small, AdaIN and
 * Gatys refuse with the same sentence and the same number of MiB. */
static void
test_budget_policy (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (NsRuntime) runtime = ns_test_runtime_new ();
  g_autoptr (NsAdain) adain = ns_adain_new (runtime, &error);
  g_assert_no_error (error);
  g_autoptr (NsGatys) gatys = ns_gatys_new (runtime, &error);
  g_assert_no_error (error);
  const NsDevice *device = ns_runtime_get_device (runtime);
  gsize half = device->global_mem / 2;
  g_assert_cmpuint (ns_runtime_memory_budget (runtime, 0), ==,
                    device->kind == NS_DEVICE_CPU ? MIN (half, NS_HOST_MEMORY_BUDGET) : half);
  g_assert_cmpuint (ns_runtime_memory_budget (runtime, 12345), ==, 12345);   /* a run's own comes first */

  g_autoptr (NsImage) photo = ns_test_load_shared_image ("goldens", "pair00_content.png");
  g_autoptr (NsImage) painting = ns_test_load_shared_image ("goldens", "pair00_style.png");
  g_autoptr (NsImage) content = ns_image_resize (photo, 96, 64);
  g_autoptr (NsImage) style = ns_image_resize (painting, 64, 64);
  g_autoptr (NsGatysStyle) targets = ns_gatys_style_new (gatys, style, NULL, &error);
  g_assert_no_error (error);

  /* A device with 1 MiB more than the runtime holds, twice over: its half leaves no room for a tile. */
  NsClContext *ctx = ns_runtime_get_context (runtime);
  const cl_ulong real_memory = ctx->info->global_mem;
  ctx->info->global_mem = 2 * (ctx->mem_current + ((gsize) 1 << 20));
  gsize budget = ns_runtime_memory_budget (runtime, 0);
  g_assert_cmpuint (budget, ==, ctx->info->global_mem / 2);
  g_autofree char *want = g_strdup_printf ("A device memory budget of %zu MiB is too small even for the smallest tiles.",
                                           budget >> 20);
  NsWeightedStyle one;
  NsAdainOptions adain_options;
  ns_adain_options_init_single (&adain_options, &one, style, 0);
  g_autoptr (NsImage) a = ns_adain_stylise_with_options (adain, content, &adain_options, NULL, &error);
  g_assert_null (a);
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY);
  g_assert_cmpstr (error->message, ==, want);
  g_clear_error (&error);
  NsGatysOptions gatys_options;
  ns_gatys_options_init (&gatys_options);
  gatys_options.iterations = 1;
  g_autoptr (NsImage) g = ns_gatys_run (gatys, content, targets, &gatys_options, NULL, NULL, NULL, &error);
  g_assert_null (g);
  g_assert_error (error, NS_CL_ERROR, NS_CL_ERROR_OUT_OF_MEMORY);
  g_assert_cmpstr (error->message, ==, want);
  ctx->info->global_mem = real_memory;
}

/* The environment's variables become options, read in one place, and a
 * caller sets them per runtime: two runtimes of one process, two algorithms. */
static void
test_options (void)
{
  const char *const variables[][2] = {
    { "NEURAL_STYLE_CONV", "direct" }, { "NEURAL_STYLE_WINOGRAD_GEMM", "tiled" }, { "NEURAL_STYLE_GRAM", "clblast" },
    { "NEURAL_STYLE_CACHE_DIR", "/nonexistent/cache" }, { "NEURAL_STYLE_SYSTEM_CACHE_DIR", "" },
    { "NEURAL_STYLE_PROFILE", "1" }, { "NEURAL_STYLE_KEEP_BUFFERS", "0" }, { "NEURAL_STYLE_DEVICE", "0" },
  };
  g_auto (GStrv) saved = g_get_environ ();
  for (gsize i = 0; i < G_N_ELEMENTS (variables); i++)
    g_setenv (variables[i][0], variables[i][1], TRUE);
  NsRuntimeOptions options;
  ns_runtime_options_init (&options);
  g_assert_true (options.keep_buffers && !options.profile && options.conv == NULL && options.device_index < 0);
  g_autoptr (GError) error = NULL;
  g_assert_true (ns_runtime_options_from_environment (&options, &error));
  g_assert_cmpstr (options.conv, ==, "direct");
  g_assert_cmpstr (options.winograd_gemm, ==, "tiled");
  g_assert_cmpstr (options.gram, ==, "clblast");
  g_assert_cmpstr (options.cache_dir, ==, "/nonexistent/cache");
  g_assert_cmpstr (options.system_cache_dir, ==, "");
  g_assert_true (options.profile && !options.keep_buffers && options.device_index == 0);
  for (gsize i = 0; i < G_N_ELEMENTS (variables); i++)
    g_unsetenv (variables[i][0]);
  for (char **e = saved; *e != NULL; e++)   /* as the test started (test_env's caches) */
    {
      g_auto (GStrv) kv = g_strsplit (*e, "=", 2);
      if (g_str_has_prefix (kv[0], "NEURAL_STYLE_"))
        g_setenv (kv[0], kv[1], TRUE);
    }

  /* No environment at all: options set by the caller, per runtime. */
  NsRuntimeOptions direct, im2col;
  ns_runtime_options_init (&direct);
  ns_runtime_options_init (&im2col);
  direct.conv = "direct";
  im2col.conv = "im2col";
  direct.system_cache_dir = im2col.system_cache_dir = "";
  g_autoptr (NsRuntime) a = ns_runtime_new (&direct);
  g_autoptr (NsRuntime) b = ns_runtime_new (&im2col);
  g_assert_true (ns_runtime_open (a, &error) && ns_runtime_open (b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ns_ops_get_conv_algorithm (ns_runtime_get_ops (a)), ==, NS_CONV_DIRECT);
  g_assert_cmpint (ns_ops_get_conv_algorithm (ns_runtime_get_ops (b)), ==, NS_CONV_IM2COL);
  NsOps *gradient = ns_runtime_get_gradient_ops (b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ns_ops_get_conv_algorithm (gradient), ==, NS_CONV_IM2COL);   /* Gatys's operations too */
  g_assert_null (ns_runtime_get_context (a)->profile);
}

/* The number of tables NEURAL_STYLE_PROFILE prints: one per OpenCL context, when it closes. */
static guint
count_profile_tables (const char *stderr_text)
{
  guint n = 0;
  for (const char *p = stderr_text; (p = strstr (p, "| kernel | launches |")) != NULL; p++)
    n++;
  return n;
}

/* `neural-style eval` runs AdaIN, Gatys and the metrics: one context. */
static void
test_eval_one_context (void)
{
  g_autofree char *dir = ns_test_make_temp_dir ("ns-runtime-eval-XXXXXX");
  g_autofree char *contents = g_build_filename (dir, "contents", NULL);
  g_autofree char *styles = g_build_filename (dir, "styles", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_assert_cmpint (g_mkdir (contents, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (styles, 0755), ==, 0);
  const char *const inputs[][3] = {
    { "contents", "a.png", "pair00_content.png" }, { "contents", "b.png", "pair01_content.png" },
    { "styles", "x.png", "pair00_style.png" }, { "styles", "y.png", "pair01_style.png" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (NsImage) image = ns_test_load_shared_image ("goldens", inputs[i][2]);
      g_autoptr (NsImage) small = ns_image_resize (image, 48, 48);
      g_autofree char *path = g_build_filename (dir, inputs[i][0], inputs[i][1], NULL);
      g_assert_true (ns_image_save_png (small, path, &error));
    }
  const char *env[] = { "NEURAL_STYLE_PROFILE=1", NULL };
  g_auto (NsTestRun) run = { 0 };
  ns_test_run (&run, env, FALSE, NS_CLI_PATH, "eval", "--contents", contents, "--styles", styles, "--out", out,
               "--size", "48", "--alphas", "1", "--style-weights", "1000", "--iterations", "2", "--no-images", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (count_profile_tables (run.err), ==, 1);
  ns_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/loads-once", test_loads_once);
  g_test_add_func ("/runtime/vgg-extends", test_vgg_extends);
  g_test_add_func ("/runtime/device-policy", test_device_policy);
  g_test_add_func ("/runtime/budget-policy", test_budget_policy);
  g_test_add_func ("/runtime/options", test_options);
  g_test_add_func ("/runtime/eval-one-context", test_eval_one_context);
  return g_test_run ();
}
