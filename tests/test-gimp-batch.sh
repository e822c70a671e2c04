#!/usr/bin/env bash
# plugin/neural-style-batch.scm in a headless GIMP, as a TAP test: it restyles
# every matching image of a folder into another, skipping (and reporting) a
# broken file, and each result equals the command-line tool's.  Its progress
# and summary are lines on standard output (not "script-fu-Warning" messages),
# a run where an image failed or the output folder is missing ends in GIMP's
# "execution error", and the installed script's header names where it is installed.
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

# One GIMP, each command on its own (-b); standard output apart from the log (standard error).
batch=()
for c in "(neural-style-batch \"$tmp/in\" \"*.png\" \"$tmp/out\" \"the-scream\" 0.7 64)" \
         "(neural-style-batch \"$tmp/twins\" \"twin.*\" \"$tmp/twins-out\" \"the-scream\" 0.7 64)" \
         "(neural-style-batch \"$tmp/in\" \"*.png\" \"$tmp/no-such-folder\" \"the-scream\" 0.7 64)"; do
  batch+=(-b "(begin (load \"$src/plugin/neural-style-batch.scm\") $c)")
done
timeout 600 gimp-console-2.10 -i "${batch[@]}" -b '(gimp-quit 0)' > "$tmp/batch.out" 2>> "$log"
echo "# gimp exited with status $?"
diag < "$tmp/batch.out"

got=$(cd "$tmp/out" && ls | LC_ALL=C sort | tr '\n' ' ')
if [ "$got" = "tall.photo.png wide.png " ]; then ok "the two pictures were restyled: $got"
else echo "out/ holds: $got" | diag; not_ok "out/ holds tall.photo.png and wide.png"; fi
for f in wide tall.photo; do
  check "$f.png equals the CLI's" "$helper" compare "$tmp/out/$f.png" "$tmp/cli/$f.png"
done
if grep -q "^neural-style-batch: $tmp/in/broken.png: " "$tmp/batch.out"; then ok "the broken file is reported on standard output"
else not_ok "the broken file is reported on standard output"; fi
if grep -qx "neural-style-batch: $tmp/in/wide.png -> $tmp/out/wide.png" "$tmp/batch.out"; then
  ok "each result is a line on standard output"
else not_ok "each result is a line on standard output"; fi
if grep -qx "neural-style-batch: restyled 2 of 3 images into $tmp/out" "$tmp/batch.out"; then ok "the summary says 2 of 3"
else not_ok "the summary says 2 of 3"; fi
if grep -q "Warning.*neural-style-batch" "$tmp/batch.out" "$log"; then grep "Warning" "$log" | diag; not_ok "no progress as a warning"
else ok "no progress as a warning"; fi
if [ "$(grep -c "batch command experienced an execution error" "$log")" = 2 ] \
   && grep -q "^Error: neural-style-batch: restyled 2 of 3 images into $tmp/out" "$log"; then
  ok "the runs with a failure (a broken file, a missing folder) end in an execution error"
else diag < "$log"; not_ok "the runs with a failure end in an execution error"; fi
got=$(cd "$tmp/twins-out" && ls | LC_ALL=C sort | tr '\n' ' ')
if [ "$got" = "twin.bmp.png twin.png.png " ]; then ok "two pictures of one name keep their extensions: $got"
else echo "twins-out/ holds: $got" | diag; not_ok "twins-out/ holds twin.bmp.png and twin.png.png"; fi
check "twin.png.png is the PNG's result" "$helper" compare "$tmp/twins-out/twin.png.png" "$tmp/cli/twin.png"
check "twin.bmp.png is the BMP's result" "$helper" compare "$tmp/twins-out/twin.bmp.png" "$tmp/cli/twin-tall.png"
if grep -qx "neural-style-batch: restyled 2 of 2 images into $tmp/twins-out" "$tmp/batch.out"; then ok "the twins' summary says 2 of 2"
else not_ok "the twins' summary says 2 of 2"; fi
if grep -q "neural-style-batch: the output folder $tmp/no-such-folder does not exist" "$log" && [ ! -e "$tmp/no-such-folder" ]
then ok "a missing output folder is refused before any image"
else not_ok "a missing output folder is refused before any image"; fi
# The script as installed names its installed path in its header's example.
installed=$(python3 -c 'import json, sys
for built, path in json.load(open(sys.argv[1])).items():
    if built.endswith("/neural-style-batch.scm"): print(path)' "$build/meson-info/intro-installed.json")
if [ -n "$installed" ] && grep -q "(load \"$installed\")" "$build/plugin/neural-style-batch.scm" \
   && ! grep -q "@SCRIPTS_DIR@" "$build/plugin/neural-style-batch.scm"; then
  ok "the installed script's header loads it from $installed"
else not_ok "the installed script's header names its installed path (${installed:-not installed})"; fi
finish
