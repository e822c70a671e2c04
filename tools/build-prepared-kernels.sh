#!/bin/sh
# Run by the build (the `prepared-programs` target of tools/meson.build): compiles the
# OpenCL kernels for every device of this machine into OUT_DIR, which `ninja install`
# then copies into the system-wide program cache and records in meson's install log,
# so that `ninja uninstall` removes them again.  No device here (a container, say)
# leaves OUT_DIR empty: users then compile on first use; never a build failure.
# Usage: build-prepared-kernels.sh BUILD_DIR/tools/neural-style OUT_DIR
cli="$1"
out="$2"
rm -rf "$out"
mkdir -p "$out"
if ! "$cli" --prepare --system "$out"; then
  rm -rf "$out"
  mkdir -p "$out"
  echo "The OpenCL kernels were not compiled ahead of time; users compile them on first use."
fi
exit 0
