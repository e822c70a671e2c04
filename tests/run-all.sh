#!/usr/bin/env bash
# Builds the project and runs its whole test suite on the OpenCL devices of
# this machine (PoCL on the processor when there is no GPU), then prints one
# line "N passed, N failed, N skipped" and exits non-zero on any failure.
#
#   tests/run-all.sh            (from the checkout; ../shared must be beside it)
#
# Three builds: the product as the README builds it (the default compiler), a
# clang build for the libFuzzer target of the weights reader, and an
# AddressSanitizer + UndefinedBehaviorSanitizer build for a subset of the suite.
set -u
cd "$(dirname "$0")/.."
# The packages the build and the tests need (tools/packages/*.txt): installed
# when run as root, else named.
missing=$(tools/install-packages.sh --missing build test 2>/dev/null) || missing=
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing what the tests need: $(echo $missing)" >&2
    tools/install-packages.sh build test >/dev/null || exit 1
  else
    echo "The tests need these packages: $(echo $missing). Install them with" \
         "'sudo tools/install-packages.sh', then run this again." >&2
    exit 1
  fi
fi
# PoCL compiles each kernel once, slowly: keep its cache between runs.
export POCL_CACHE_DIR=${POCL_CACHE_DIR:-$HOME/.cache/pocl}
mkdir -p "$POCL_CACHE_DIR"

setup () {  # setup DIR [meson args...]
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then meson setup --reconfigure "$dir" "$@" >/dev/null
  else meson setup "$dir" "$@" >/dev/null; fi
}

status=0
# (-Dprepared_kernels=false: the kernels are not compiled at every rebuild of the CLI; the
# per-user install test and the Quick start build them.)
setup build-tests -Dprepared_kernels=false || exit 1
ninja -C build-tests || exit 1
meson test -C build-tests --no-rebuild --print-errorlogs --no-suite fuzz || status=1
logs=(build-tests/meson-logs/testlog.json)

if command -v clang >/dev/null; then
  CC=clang setup build-fuzz -Dfuzzing=enabled -Dinstall_weights=false -Dprepared_kernels=false || exit 1
  ninja -C build-fuzz weights/fuzz-safetensors || exit 1
  meson test -C build-fuzz --no-rebuild --print-errorlogs --suite fuzz || status=1
  logs+=(build-fuzz/meson-logs/testlog.json)
else
  echo "clang is missing: the fuzz target was not built" >&2
  status=1
fi

# --- ASan and UBSan: the host code (images, weights, settings, colour, the
# translations' CLI runs) and the command-line tool end to end, within a few
# minutes on two cores; the engine's device tests are left to the first build.
# Any report aborts the program, failing its test.  Leaks are checked, but for
# what the OpenCL driver keeps (tests/lsan-driver.supp; full stacks, so that
# the suppressions see the driver's frames).
setup build-asan -Db_sanitize=address,undefined -Dplugin=disabled -Dprepared_kernels=false || exit 1
ninja -C build-asan || exit 1
ASAN_OPTIONS=abort_on_error=1:fast_unwind_on_malloc=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
LSAN_OPTIONS=suppressions=$PWD/tests/lsan-driver.supp:print_suppressions=0 \
  meson test -C build-asan --no-rebuild --print-errorlogs --timeout-multiplier 3 \
    safetensors image colour settings translations cli || status=1
logs+=(build-asan/meson-logs/testlog.json)

python3 tests/count-results.py "${logs[@]}" || status=1
exit $status
