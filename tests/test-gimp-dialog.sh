#!/usr/bin/env bash
# The plug-in's dialog inside GIMP 2.10 with its user interface, on a virtual
# X server, as a TAP test (run it under `xvfb-run -a`):
#
#   test-gimp-dialog.sh BUILD_DIR SOURCE_DIR
#
# Script-Fu opens an image in a window and calls the plug-in interactively; the
# dialog must appear over GIMP with the settings of the profile's key file; a
# screenshot of the screen is kept as a test artefact
# (BUILD_DIR/tests/gimp-dialog-screenshot.png); xdotool presses OK (Alt+O); the
# new layer must equal the command-line tool's result for those settings.  Then,
# on a larger image, OK and Cancel (Alt+C) in the progress window: the run
# stops and the image keeps its one layer.
set -u
build=${1:?usage: test-gimp-dialog.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-gimp-dialog.sh BUILD_DIR SOURCE_DIR}
gimp_test_needs="gimp-2.10 xdotool"
source "$src/tests/gimp-test-lib.sh"
screenshot=$build/tests/gimp-dialog-screenshot.png
rm -f "$screenshot"

printf '[neural-style]\nmethod=0\nstyle_file=the-scream\nalpha=0.7\niterations=100\npreserve_colour=0\nstyle_size=64\nseed=0\n' \
  > "$GIMP2_DIRECTORY/neural-style.conf"
c=$tmp/content.png
big=$tmp/big.png
"$helper" content "$c" 64 48 > /dev/null && "$helper" content "$big" 640 480 > /dev/null || exit 1
"$cli" --style the-scream --alpha 0.7 --style-size 64 -o "$tmp/cli.png" "$c" || exit 1

# GIMP with its windows (-n: a new instance, -s: no splash, -d/-f: no brushes or fonts to load).
timeout 240 gimp-2.10 -n -s -d -f -b "(begin (load \"$src/tests/gimp-plugin-test.scm\")
  (ns-case-dialog \"$c\" \"$big\" \"$tmp/out.png\" \"$tmp\"))" >> "$log" 2>&1 &
gimp_pid=$!

ok_then_cancel "$screenshot"
wait_gimp
check "OK restyled the layer with the key file's settings, as the CLI does" "$helper" compare "$tmp/out.png" "$tmp/cli.png"
if grep -qx 'alpha=0.7' "$GIMP2_DIRECTORY/neural-style.conf" && grep -qx 'style_file=the-scream' "$GIMP2_DIRECTORY/neural-style.conf"; then
  ok "the settings were kept"
else diag < "$GIMP2_DIRECTORY/neural-style.conf"; not_ok "the settings were kept"; fi
got=$(cd "$tmp" && ls cancel-*.png 2> /dev/null)
if [ "$got" = "cancel-cancelled-1.png" ] && [ $pressed = yes ]; then
  ok "Cancel in the progress window stopped the run (no layer returned) and left the image with its one layer"
elif [ "$got" = "cancel-layer-2.png" ] && [ $pressed = no ]; then
  ok "Cancel # SKIP the device finished before Cancel could be pressed"
else echo "found: ${got:-nothing}; Cancel pressed: $pressed" | diag; not_ok "Cancel stopped the run and left the image alone"; fi
finish
