#!/usr/bin/env bash
# plugin/neural-style-batch.scm in a headless GIMP, as a TAP test: it restyles
# every matching image of a folder into another, skipping (and reporting) a
# broken file, and each result equals the command-line tool's.
#
#   test-gimp-batch.sh BUILD_DIR SOURCE_DIR
set -u
build=${1:?usage: test-gimp-batch.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-gimp-batch.sh BUILD_DIR SOURCE_DIR}
source "$src/tests/gimp-test-lib.sh"

mkdir -p "$tmp/in" "$tmp/out" "$tmp/cli"
"$helper" content "$tmp/in/wide.png" 64 48 > /dev/null && "$helper" content "$tmp/in/tall.photo.png" 40 56 > /dev/null \
  || exit 1
echo "not a picture" > "$tmp/in/broken.png"
echo "not matched" > "$tmp/in/notes.txt"
for f in wide tall.photo; do
  "$cli" --style the-scream --alpha 0.7 --style-size 64 -o "$tmp/cli/$f.png" "$tmp/in/$f.png" || exit 1
done

gimp "$src/plugin/neural-style-batch.scm" \
  "(neural-style-batch \"$tmp/in\" \"*.png\" \"$tmp/out\" \"the-scream\" 0.7 64)"

got=$(cd "$tmp/out" && ls | LC_ALL=C sort | tr '\n' ' ')
if [ "$got" = "tall.photo.png wide.png " ]; then ok "the two pictures were restyled: $got"
else echo "out/ holds: $got" | diag; not_ok "out/ holds tall.photo.png and wide.png"; fi
for f in wide tall.photo; do
  check "$f.png equals the CLI's" "$helper" compare "$tmp/out/$f.png" "$tmp/cli/$f.png"
done
if grep -q "neural-style-batch: $tmp/in/broken.png: " "$log"; then ok "the broken file is reported"
else not_ok "the broken file is reported"; fi
if grep -q "neural-style-batch: restyled 2 of 3 images into $tmp/out" "$log"; then ok "the summary says 2 of 3"
else not_ok "the summary says 2 of 3"; fi
finish
