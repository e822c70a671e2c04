/* LD_PRELOAD shim for /cli/second-interrupt-while-saving: just before the
 * rename that completes the file named by $NS_TEST_SIGNAL_AT_RENAME, the
 * process gets two SIGINTs, 0.3 s apart, as from a user pressing Ctrl+C
 * twice while the result is being saved; then the rename goes ahead. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
rename (const char *from, const char *to)
{
  int (*real_rename) (const char *, const char *) = (int (*) (const char *, const char *)) dlsym (RTLD_NEXT, "rename");
  const char *target = getenv ("NS_TEST_SIGNAL_AT_RENAME");
  if (target != NULL && strcmp (to, target) == 0)
    for (int i = 0; i < 2; i++)
      {
        kill (getpid (), SIGINT);
        const struct timespec pause = { 0, 300 * 1000 * 1000 };
        nanosleep (&pause, NULL);
      }
  return real_rename (from, to);
}
