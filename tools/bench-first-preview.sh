#!/bin/bash
# The seconds from opening the dialog to its first styled preview with an
# empty user cache (ours and PoCL's, both under ~/.cache): (a) with the
# system's program cache DIR (filled by `ninja install` as root, or by
# `neural-style --prepare --system DIR`), (b) without one, and (c) the
# second open (the user's cache filled by (b)).  A benchmark, not a test:
# numbers go to docs/BENCHMARKS.md.
#
#   tools/bench-first-preview.sh BENCH [SYSTEM_CACHE_DIR] [REPS]
#
# BENCH: a built first-preview-bench (build/tools/first-preview-bench).
set -eu
bench=$1
system=${2:-}
reps=${3:-3}
photo=$(dirname "$0")/../../shared/samples/tubingen.jpg
run() {   # run LABEL SYSTEM_DIR CACHE_HOME
  printf '%s: ' "$1"
  env -u POCL_CACHE_DIR -u NEURAL_STYLE_CACHE_DIR XDG_CACHE_HOME="$3" NEURAL_STYLE_SYSTEM_CACHE_DIR="$2" \
    xvfb-run -a -s '-screen 0 1280x1024x24' "$bench" "$photo"
}
for i in $(seq "$reps"); do
  home=$(mktemp -d)
  echo "rep $i (load $(cut -d' ' -f1-3 /proc/loadavg))"
  if [ -n "$system" ]; then
    run "(a) empty user cache, system cache" "$system" "$home/a"
  fi
  run "(b) empty user cache, no system cache" "" "$home/b"
  run "(c) second open" "" "$home/b"
  rm -rf "$home"
done
