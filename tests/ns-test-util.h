/* Helpers shared by the test programs. */
#pragma once

#include "ns-image.h"
#include <gio/gio.h>
#include <stdarg.h>

/* ../shared beside the checkout, where the build found it, unless
 * $NEURAL_STYLE_SHARED_DIR says otherwise (another machine, e.g. a lent GPU). */
const char *ns_test_shared_dir (void);
/* A newly allocated path under the shared directory. */
char *ns_test_shared_path (const char *first, ...) G_GNUC_NULL_TERMINATED;
/* The image shared/dir/name, asserting that it loads. */
NsImage *ns_test_load_shared_image (const char *dir, const char *name);

/* A fresh temporary folder from a g_dir_make_tmp() template, asserting success. */
char *ns_test_make_temp_dir (const char *tmpl);
/* Removes a folder and everything in it. */
void ns_test_remove_tree (const char *dir);

/* A finished program: its exit status, stdout (NULL unless kept) and stderr. */
typedef struct {
  int status;
  char *out;
  char *err;
} NsTestRun;
void ns_test_run_clear (NsTestRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NsTestRun, ns_test_run_clear)
/* Runs program [first_arg] args... (NULL-terminated) with "NAME=value" entries
 * of env_extra (NULL: none) over this environment, asserting it started and
 * exited; keep_stdout: stdout into run->out, else to /dev/null. */
void ns_test_run_valist (NsTestRun *run, const char *const *env_extra, gboolean keep_stdout, const char *program,
                         const char *first_arg, va_list args);
void ns_test_run (NsTestRun *run, const char *const *env_extra, gboolean keep_stdout, const char *program, ...)
  G_GNUC_NULL_TERMINATED;

/* A program started with LC_ALL=C and its stdout and stderr piped, for a
 * test that talks to it while it runs (NULL-terminated arguments). */
GSubprocess *ns_test_spawn (const char *program, ...) G_GNUC_NULL_TERMINATED;
/* Reads lines of `stream` until one contains `text`: that line (newly
 * allocated), or NULL at the end of the stream. */
char *ns_test_read_until (GDataInputStream *stream, const char *text);

/* Reflection padding's index: -1 reads 1, n reads n - 2. */
static inline int
ns_test_reflect (int i, int n)
{
  return i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i);
}

/* Uniform values in [lo, hi) from a seeded generator (never all zeros). */
void ns_test_fill_random (GRand *rand, float *data, gsize n, float lo, float hi);
NsImage *ns_test_random_image (GRand *rand, int width, int height, int channels);
/* ||a - b|| / ||b|| in double precision. */
double ns_test_relative_l2 (const float *a, const float *b, gsize n);
/* max |a - b| / (max |b| + tiny) */
double ns_test_max_relative_error (const float *a, const float *b, gsize n);
/* Asserts rel-L2 < bound, printing the error either way. */
#define ns_test_assert_close(a, b, n, bound, what)                                   \
  G_STMT_START {                                                                     \
    double _e = ns_test_relative_l2 ((a), (b), (n));                                 \
    g_test_message ("%s: relative L2 error %.3g (bound %.1g)", (what), _e, (bound)); \
    g_assert_cmpfloat (_e, <, (bound));                                              \
  } G_STMT_END

/* A PNG whose header claims width x height pixels and which holds no pixel
 * data: what must be refused by its size before any decoding. */
void ns_test_write_png_header_only (const char *path, guint32 width, guint32 height);
