#!/bin/sh
# Run by `ninja install` (meson.add_install_script): compiles the OpenCL
# kernels for every device present into the system-wide program cache, so
# that no user waits for them on first use.  Skipped, with a note, when
# installing into a staging folder (DESTDIR: a package build, whose postinst
# runs the same command) or without the rights to write the cache (not root).
# A failure here does not fail the installation: users compile on first use.
# Usage: install-prepare-kernels.sh BINDIR/neural-style CACHE_DIR
cli="$1"
dir="$2"
# Meson 1.0 shows an install script's output only when it fails: the notes
# go to the terminal when there is one.
say() {
  if { true >/dev/tty; } 2>/dev/null; then echo "$*" >/dev/tty; else echo "$*"; fi
}
if [ -n "${DESTDIR}" ]; then
  say "Not compiling the OpenCL kernels ahead of time: DESTDIR is set (a package's postinst runs: $cli --prepare --system $dir)"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  say "Not compiling the OpenCL kernels ahead of time: not root (run as root: $cli --prepare --system $dir)"
  exit 0
fi
say "Compiling the OpenCL kernels for every device into $dir (once; users then start without compiling)"
"$cli" --prepare --system "$dir" || say "The kernels were not compiled ahead of time; users compile them on first use."
exit 0
