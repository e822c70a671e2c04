#!/usr/bin/env bash
# The plug-in's whole change is ONE undo step, in GIMP 3 with its user
# interface on a virtual X server, as a TAP test (run it under `xvfb-run -a`):
#
#   test-gimp3-undo.sh BUILD_DIR SOURCE_DIR
#
# GIMP's PDB has no undo call, so the undo is the user's: Python-Fu
# (gimp3-plugin-test.py, case undo) opens an image in a window, makes an
# elliptic selection (so the plug-in adds a layer, its pixels and a mask), a
# marker change (the layer inverted: one undo step of its own) and runs the
# plug-in, noting the state after each; then it waits while xdotool presses
# Ctrl+Z once in the image window: the layers, their pixels, masks and the
# selection must be exactly as before the call; a second Ctrl+Z must undo the
# marker, so one step covered the plug-in's whole change.
set -u
build=${1:?usage: test-gimp3-undo.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-gimp3-undo.sh BUILD_DIR SOURCE_DIR}
gimp_version=3
gimp_test_needs="gimp-3.0 xdotool"
source "$src/tests/gimp-test-lib.sh"
c=$tmp/content.png
"$helper" content "$c" 64 48 > /dev/null || exit 1

NSTEST_CASE=undo NSTEST_CONTENT=$c NSTEST_DIR=$tmp timeout 400 gimp-3.0 -n -s -d -f \
  --batch-interpreter=python-fu-eval -b "exec(open('$src/tests/gimp3-plugin-test.py').read())" >> "$log" 2>&1 &
gimp_pid=$!

undo_after () {  # undo_after NAME: once the script is ready, one Ctrl+Z in the image window, then go on
  local i
  for ((i = 0; i < 1500; i++)); do [ -e "$tmp/$1.ready" ] && break; kill -0 "$gimp_pid" 2> /dev/null || return 1; sleep 0.2; done
  [ -e "$tmp/$1.ready" ] || return 1
  window=$(wait_window ' – GIMP$' 30) || return 1
  xdotool windowfocus --sync "$window" && sleep 1 && xdotool key ctrl+z && sleep 2
  touch "$tmp/$1.go"
}
if undo_after first && undo_after second; then ok "Ctrl+Z pressed twice in the image window"
else not_ok "Ctrl+Z pressed twice in the image window"; fi
wait_gimp
s0=$(value undo s0) s1=$(value undo s1) s2=$(value undo s2) s3=$(value undo s3) s4=$(value undo s4)
if [ -n "$s0" ] && [ "$s0" != "$s1" ]; then ok "the marker changed the layer: $s1"; else not_ok "the marker changed the layer"; fi
if [[ $s2 == layers=2\;*mask=True* ]]; then ok "the plug-in added a layer with a mask: $s2"
else echo "state: $s2" | diag; not_ok "the plug-in added a layer with a mask"; fi
if [ -n "$s3" ] && [ "$s3" = "$s1" ]; then ok "one Ctrl+Z: the image is exactly as before the plug-in"
else printf 'before: %s\nafter:  %s\n' "$s1" "$s3" | diag; not_ok "one Ctrl+Z undid the plug-in's whole change"; fi
if [ -n "$s4" ] && [ "$s4" = "$s0" ]; then ok "a second Ctrl+Z undid the marker: the plug-in was one step"
else printf 'expected: %s\ngot:      %s\n' "$s0" "$s4" | diag; not_ok "the second Ctrl+Z undid the marker"; fi
finish
