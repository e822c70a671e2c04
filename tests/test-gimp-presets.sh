#!/usr/bin/env bash
# The dialog's presets row inside GIMP (2.10, or 3 with a third argument 3), on a
# virtual X server, as a TAP test (run it under `xvfb-run -a`):
#
#   test-gimp-presets.sh BUILD_DIR SOURCE_DIR [2|3]
#
# The user's presets file ($XDG_CONFIG_HOME/gimp-neural-style/presets.conf, the
# same for both GIMPs) holds a preset; GIMP opens an image in a window and calls
# the plug-in interactively twice.  In the first dialog xdotool chooses the
# preset from the keyboard (Alt+P, Down) and presses OK: the new layer must equal
# the command-line tool's result for the preset.  The second dialog opens with
# those last values; Reset to defaults (Alt+U) and OK: the layer must equal the
# tool's result for the defaults.  A screenshot of the first dialog is kept
# (BUILD_DIR/tests/gimpN-presets-screenshot.png).
set -u
build=${1:?usage: test-gimp-presets.sh BUILD_DIR SOURCE_DIR [2|3]}
src=${2:?usage: test-gimp-presets.sh BUILD_DIR SOURCE_DIR [2|3]}
gimp_version=${3:-2}
if [ "$gimp_version" = 3 ]; then gimp_test_needs="gimp-3.0 xdotool"; else gimp_test_needs="gimp-2.10 xdotool"; fi
source "$src/tests/gimp-test-lib.sh"
screenshot=$build/tests/gimp$gimp_version-presets-screenshot.png
rm -f "$screenshot"

export XDG_CONFIG_HOME=$tmp/config
mkdir -p "$XDG_CONFIG_HOME/gimp-neural-style"
printf '[Scream, light]\nmethod=0\nstyle_file=the-scream\nalpha=0.7\nstyle_size=64\npreserve_colour=1\n' \
  > "$XDG_CONFIG_HOME/gimp-neural-style/presets.conf"
c=$tmp/content.png
"$helper" content "$c" 64 48 > /dev/null || exit 1
"$cli" --style the-scream --alpha 0.7 --style-size 64 --preserve-color luminance -o "$tmp/cli-preset.png" "$c" \
  && "$cli" --style starry-night -o "$tmp/cli-defaults.png" "$c" || exit 1

# GIMP with its windows (-n: a new instance, -s: no splash, -d/-f: no brushes or fonts to load).
if [ "$gimp_version" = 3 ]; then
  NSTEST_CASE=presets NSTEST_CONTENT=$c NSTEST_OUT=$tmp/preset.png NSTEST_OUT_RESET=$tmp/reset.png \
    timeout 400 gimp-3.0 -n -s -d -f --batch-interpreter=python-fu-eval \
    -b "exec(open('$src/tests/gimp3-plugin-test.py').read())" --quit >> "$log" 2>&1 &
else
  timeout 400 gimp-2.10 -n -s -d -f -b "(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$c\" \"$c\")))
      (src (car (gimp-image-get-active-layer img)))
      (display (gimp-display-new img))
      (first (car (plug-in-neural-style RUN-INTERACTIVE img src 0 \"\" -1 0 0 0 0 0 \"\" -1 0 0))))
    (file-png-save2 RUN-NONINTERACTIVE img first \"$tmp/preset.png\" \"$tmp/preset.png\" 0 9 0 0 0 0 0 0 0)
    (let ((second (car (plug-in-neural-style RUN-INTERACTIVE img src 0 \"\" -1 0 0 0 0 0 \"\" -1 0 0))))
      (file-png-save2 RUN-NONINTERACTIVE img second \"$tmp/reset.png\" \"$tmp/reset.png\" 0 9 0 0 0 0 0 0 0))
    (gimp-quit 1))" >> "$log" 2>&1 &
fi
gimp_pid=$!

if window=$(wait_window '^Neural Style Transfer$' 200); then
  ok "the dialog opened over GIMP"
  press "$window" alt+p && sleep 0.5 && xdotool key Down && sleep 3
  "$build/tests/x-screenshot" "$screenshot" || true
  press "$window" alt+o
else not_ok "the dialog opened over GIMP"; fi
wait_gone '^Neural Style Transfer$'
wait_gone '^Restyling the layer'
if window=$(wait_window '^Neural Style Transfer$' 200); then
  press "$window" alt+u && sleep 1 && press "$window" alt+o
else not_ok "the dialog opened a second time"; fi
wait_gimp
check "the preset chosen with Alt+P, Down gave the CLI's result for its settings" \
  "$helper" compare "$tmp/preset.png" "$tmp/cli-preset.png"
check "Reset to defaults (Alt+U) gave the CLI's result for the defaults" \
  "$helper" compare "$tmp/reset.png" "$tmp/cli-defaults.png"
finish
