#!/usr/bin/env bash
# The plug-in's dialog inside GIMP 3 with its user interface, on a virtual X
# server, as a TAP test (run it under `xvfb-run -a`):
#
#   test-gimp3-dialog.sh BUILD_DIR SOURCE_DIR
#
# Python-Fu opens an image in a window and calls the plug-in interactively
# (gimp3-plugin-test.py, case dialog): the dialog must appear over GIMP; a
# screenshot is kept as a test artefact (BUILD_DIR/tests/gimp3-dialog-screenshot.png);
# xdotool presses OK; the new layer must equal the command-line tool's result
# for the defaults, and Repeat (last values) must give it again.  Then, on a
# larger image, OK and Cancel in the progress window: the run stops and the
# image keeps its one layer.
set -u
build=${1:?usage: test-gimp3-dialog.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-gimp3-dialog.sh BUILD_DIR SOURCE_DIR}
gimp_version=3
gimp_test_needs="gimp-3.0 xdotool"
source "$src/tests/gimp-test-lib.sh"
screenshot=$build/tests/gimp3-dialog-screenshot.png
rm -f "$screenshot"
c=$tmp/content.png big=$tmp/big.png
"$helper" content "$c" 64 48 > /dev/null && "$helper" content "$big" 640 480 > /dev/null || exit 1
"$cli" --style starry-night -o "$tmp/cli.png" "$c" || exit 1

# GIMP with its windows (-n: a new instance, -s: no splash, -d/-f: no brushes or fonts to load).
NSTEST_CASE=dialog NSTEST_CONTENT=$c NSTEST_BIG=$big NSTEST_OUT=$tmp/out.png NSTEST_OUT_REPEAT=$tmp/repeat.png \
  timeout 400 gimp-3.0 -n -s -d -f --batch-interpreter=python-fu-eval \
  -b "exec(open('$src/tests/gimp3-plugin-test.py').read())" >> "$log" 2>&1 &
gimp_pid=$!

ok_then_cancel "$screenshot" 200
wait_gimp
[ "$(value dialog status)" = success ] && ok "OK: the run succeeded" || not_ok "OK: the run succeeded ($(value dialog status))"
check "OK restyled the layer with the defaults, as the CLI does" "$helper" compare "$tmp/out.png" "$tmp/cli.png"
check "Repeat used the dialog's values" "$helper" compare "$tmp/repeat.png" "$tmp/cli.png"
got="$(value cancel status) $(value cancel layers)"
if [ "$got" = "cancel 1" ] && [ $pressed = yes ]; then
  ok "Cancel in the progress window stopped the run and left the image with its one layer"
elif [ "$got" = "success 2" ] && [ $pressed = no ]; then
  ok "Cancel # SKIP the device finished before Cancel could be pressed"
else echo "got: $got; Cancel pressed: $pressed" | diag; not_ok "Cancel stopped the run and left the image alone"; fi
finish
