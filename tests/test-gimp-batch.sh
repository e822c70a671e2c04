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
# Two pictures of one name in another folder: neither result may replace the other.
mkdir -p "$tmp/twins" "$tmp/twins-out"
"$helper" content "$tmp/twins/twin.png" 48 32 > /dev/null && "$helper" content "$tmp/twin-tall.png" 32 48 > /dev/null \
  && "$helper" convert "$tmp/twin-tall.png" "$tmp/twins/twin.bmp" bmp || exit 1
echo "not matched" > "$tmp/in/notes.txt"
for f in wide tall.photo; do
  "$cli" --style the-scream --alpha 0.7 --style-size 64 -o "$tmp/cli/$f.png" "$tmp/in/$f.png" || exit 1
done

"$cli" --style the-scream --alpha 0.7 --style-size 64 -o "$tmp/cli/twin.png" "$tmp/twins/twin.png" \
  && "$cli" --style the-scream --alpha 0.7 --style-size 64 -o "$tmp/cli/twin-tall.png" "$tmp/twin-tall.png" || exit 1

gimp "$src/plugin/neural-style-batch.scm" \
  "(neural-style-batch \"$tmp/in\" \"*.png\" \"$tmp/out\" \"the-scream\" 0.7 64)" \
  "(neural-style-batch \"$tmp/twins\" \"twin.*\" \"$tmp/twins-out\" \"the-scream\" 0.7 64)" \
  "(neural-style-batch \"$tmp/in\" \"*.png\" \"$tmp/no-such-folder\" \"the-scream\" 0.7 64)"

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
got=$(cd "$tmp/twins-out" && ls | LC_ALL=C sort | tr '\n' ' ')
if [ "$got" = "twin.bmp.png twin.png.png " ]; then ok "two pictures of one name keep their extensions: $got"
else echo "twins-out/ holds: $got" | diag; not_ok "twins-out/ holds twin.bmp.png and twin.png.png"; fi
check "twin.png.png is the PNG's result" "$helper" compare "$tmp/twins-out/twin.png.png" "$tmp/cli/twin.png"
check "twin.bmp.png is the BMP's result" "$helper" compare "$tmp/twins-out/twin.bmp.png" "$tmp/cli/twin-tall.png"
if grep -q "neural-style-batch: restyled 2 of 2 images into $tmp/twins-out" "$log"; then ok "the twins' summary says 2 of 2"
else not_ok "the twins' summary says 2 of 2"; fi
if grep -q "neural-style-batch: the output folder $tmp/no-such-folder does not exist" "$log" && [ ! -e "$tmp/no-such-folder" ]
then ok "a missing output folder is refused before any image"
else not_ok "a missing output folder is refused before any image"; fi
finish
