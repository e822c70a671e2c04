#!/bin/bash
# The seconds from opening the dialog to its first styled preview with an
# empty user cache (ours and PoCL's, both under ~/.cache): (a) with the
# system's program cache DIR (filled by the build and `ninja install`, or by
# `neural-style --prepare --system DIR`), (b) without one, and (c) the
# second open (the user's cache filled by (b)).  Several builds (this one and
# an older one, say) take turns within each repetition, so that their ratios
# come from the same load.  A benchmark, not a test: docs/BENCHMARKS.md.
#
#   tools/bench-first-preview.sh [--system DIR] [--reps N] BENCH...
#
# BENCH: a built first-preview-bench (build/tools/first-preview-bench); the
# system cache applies to the first only (an older build has none).
set -eu
system=
reps=3
while [ $# -gt 0 ]; do
  case $1 in
    --system) system=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    *) break ;;
  esac
done
photo=$(cd "$(dirname "$0")" && pwd)/../../shared/samples/tubingen.jpg
run() {   # run BENCH LABEL SYSTEM_DIR CACHE_HOME
  printf '%s %s: ' "$1" "$2"
  env -u POCL_CACHE_DIR -u NEURAL_STYLE_CACHE_DIR XDG_CACHE_HOME="$4" NEURAL_STYLE_SYSTEM_CACHE_DIR="$3" \
    xvfb-run -a -s '-screen 0 1280x1024x24' "$1" "$photo"
}
for i in $(seq "$reps"); do
  echo "rep $i (load $(cut -d' ' -f1-3 /proc/loadavg))"
  first=1
  for bench in "$@"; do
    home=$(mktemp -d)
    if [ -n "$system" ] && [ $first = 1 ]; then
      run "$bench" "(a) empty user cache, system cache" "$system" "$home/a"
    fi
    run "$bench" "(b) empty user cache, no system cache" "" "$home/b"
    run "$bench" "(c) second open" "" "$home/b"
    rm -rf "$home"
    first=0
  done
done
