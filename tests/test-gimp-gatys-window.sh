#!/usr/bin/env bash
# The Gatys method's progress window, as a TAP test (run it under `xvfb-run -a`):
#
#   test-gimp-gatys-window.sh BUILD_DIR SOURCE_DIR
#
# A headless GIMP on a virtual X server runs the plug-in twice with the last
# values (method 1, 200 iterations, from the profile's key file), so the
# plug-in shows its own progress window with the image so far, a bar that
# counts the iterations, Stop and Cancel.  xdotool presses Stop (Alt+S) in the
# first run: the best image so far becomes the new layer, named after the
# iteration reached, k, and equal to the CLI's result for k iterations (the
# method is deterministic); a screenshot of the window is kept as an artefact
# (BUILD_DIR/tests/gimp-gatys-window.png).  It presses Cancel (Alt+C) in the
# second: no layer, the image as it was.
set -u
build=${1:?usage: test-gimp-gatys-window.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-gimp-gatys-window.sh BUILD_DIR SOURCE_DIR}
gimp_test_needs="xdotool"
source "$src/tests/gimp-test-lib.sh"
screenshot=$build/tests/gimp-gatys-window.png
rm -f "$screenshot"
[ -n "${DISPLAY:-}" ] || { echo "1..1"; echo "not ok 1 - no \$DISPLAY: run it under xvfb-run"; exit 1; }

printf '[neural-style]\nmethod=1\nstyle_file=starry-night\nalpha=1\niterations=200\npreserve_colour=0\nstyle_size=64\nseed=0\n' \
  > "$GIMP2_DIRECTORY/neural-style.conf"
c=$tmp/content.png
"$helper" content "$c" 64 48 > /dev/null || exit 1

timeout 600 gimp-console-2.10 -i -b "(begin (load \"$src/tests/gimp-plugin-test.scm\")
  (ns-case-gatys-window \"$c\" \"$tmp/stopped.png\"))" -b '(gimp-quit 0)' >> "$log" 2>&1 &
gimp_pid=$!

title='^Restyling the layer \(Gatys\)'

if window=$(wait_window "$title" 300); then
  ok "the progress window opened"
  sleep 15   # a few iterations and previews
  if "$build/tests/x-screenshot" "$screenshot" && [ "$(stat -c %s "$screenshot")" -gt 5000 ]; then
    ok "screenshot of the window with the image so far: $screenshot"
  else not_ok "a screenshot was saved"; fi
  press "$window" alt+s
  wait_gone "$title" 120
  if second=$(wait_window "$title" 300); then
    sleep 2
    press "$second" alt+c
  else not_ok "the progress window opened for the second run"; fi
else
  not_ok "the progress window opened"
fi
wait_gimp

name=$(value stop name)
if [[ $name =~ ^starry-night\ \(Gatys,\ stopped\ at\ iteration\ ([0-9]+)\ of\ 200\)$ ]]; then
  k=${BASH_REMATCH[1]}
  ok "Stop: the new layer is named after the iteration reached: $name"
  if [ "$(value stop layers)" = 2 ] && [ "$(value stop size)" = 64x48 ]; then ok "Stop: the layer was added, 64x48"
  else not_ok "Stop: the layer was added, 64x48"; fi
  if "$cli" --method gatys --style starry-night --style-size 64 --iterations "$k" --seed 0 \
       -o "$tmp/cli-$k.png" "$c" > /dev/null; then
    check "Stop: the layer is the best image of the first $k iterations, as the CLI's --iterations $k" \
      "$helper" compare "$tmp/stopped.png" "$tmp/cli-$k.png"
  else not_ok "the CLI ran $k iterations"; fi
else
  echo "name: ${name:-none}; error: $(value stop error)" | diag
  not_ok "Stop: a new layer named after the iteration it stopped at"
fi
if [ "$(value cancel status)" = cancelled ] && [ "$(value cancel layers)" = 1 ]; then
  ok "Cancel: the run was cancelled and the image kept its one layer"
else echo "status: $(value cancel status), layers: $(value cancel layers)" | diag; not_ok "Cancel left the image alone"; fi
finish
