#!/usr/bin/env bash
# The plug-in's whole change is ONE undo step, in GIMP 2.10 with its user
# interface on a virtual X server, as a TAP test (run it under `xvfb-run -a`):
#
#   test-gimp-undo.sh BUILD_DIR SOURCE_DIR
#
# GIMP's PDB has no undo call, so the undo is the user's: GIMP runs its
# Script-Fu server (plug-in-script-fu-server on a free local port) and
# tests/script-fu-client.py talks to it.  Through it: an image is opened in a
# window, an elliptic selection made (so the plug-in adds a layer, its pixels
# and a mask), a marker change made (the layer inverted inside the selection:
# one undo step of its own), the state noted, plug-in-neural-style run
# non-interactively.  Then xdotool presses Ctrl+Z once in the image window:
# the layers, their pixels (saved as PNG, compared byte for byte), masks and
# the selection must be exactly as before the call; a second Ctrl+Z must undo
# the marker, so one step covered the plug-in's whole change.
set -u
build=${1:?usage: test-gimp-undo.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-gimp-undo.sh BUILD_DIR SOURCE_DIR}
gimp_test_needs="gimp-2.10 xdotool python3"
source "$src/tests/gimp-test-lib.sh"
c=$tmp/content.png
states=$tmp/states
mkdir -p "$states"
"$helper" content "$c" 64 48 > /dev/null || exit 1
# No metadata in the PNGs (its dates would differ between two saves of the same pixels).
printf '(export-metadata-exif no)\n(export-metadata-xmp no)\n(export-metadata-iptc no)\n' >> "$GIMP2_DIRECTORY/gimprc"

start_script_fu_server
bail () {  # bail WHY: the rest cannot run
  not_ok "$1"
  quit
  finish
}
state () {  # state TAG: the image's state line (and its layers in $states/TAG-*.png)
  sf "(ns-state $img \"$states\" \"$1\")"
}
same_pixels () {  # same_pixels TAG1 TAG2: the same layer files, byte for byte
  local a b
  a=$(cd "$states" && ls "$1"-*.png | sed "s/^$1-//")
  b=$(cd "$states" && ls "$2"-*.png | sed "s/^$2-//")
  [ "$a" = "$b" ] || return 1
  for f in $a; do cmp -s "$states/$1-$f" "$states/$2-$f" || return 1; done
}
wait_state () {  # wait_state TAG EXPECTED: the state once it is EXPECTED, or the last seen after 30 s
  local s
  for _ in $(seq 1 60); do
    s=$(state "$1")
    [ "$s" = "$2" ] && break
    sleep 0.5
  done
  echo "$s"
}
ctrl_z () {  # ctrl_z: one Ctrl+Z in the image window
  xdotool windowfocus --sync "$window" && sleep 0.5 && xdotool key ctrl+z
}

sf "(load \"$src/tests/gimp-undo-test.scm\")" > /dev/null || bail "GIMP's Script-Fu server answered on port $port"
ok "GIMP's Script-Fu server answered on port $port"
img=$(sf "(let ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$c\" \"$c\"))))
            (gimp-display-new img) (gimp-displays-flush) img)") || bail "the image was opened in a window"
layer=$(sf "(car (gimp-image-get-active-layer $img))")
sf "(gimp-image-select-ellipse $img CHANNEL-OP-REPLACE 8 4 40 32)" > /dev/null
s0=$(state s0)
sf "(gimp-drawable-invert $layer FALSE)" > /dev/null   # the marker: one undo step
s1=$(state s1)
if [ -n "$s0" ] && [ "$s0" != "$s1" ]; then ok "the marker changed the layer: $s1"
else echo "before: $s0; after: $s1" | diag; not_ok "the marker changed the layer"; fi

new=$(sf "(car (plug-in-neural-style RUN-NONINTERACTIVE $img $layer 0 \"starry-night\" -1 0.8 1 0 64 0 \"\" -1 0.5 0))")
sf "(gimp-displays-flush)" > /dev/null
s2=$(state s2)
new_layer_re="^\"layers=2;$new:[^;]*:mask=[0-9]"
if [ -n "$new" ] && [[ $s2 =~ $new_layer_re ]]; then ok "the plug-in added layer $new with a mask: $s2"
else echo "new layer: '$new'; state: $s2" | diag; bail "the plug-in added a layer with a mask"; fi

if window=$(wait_window 'content\.png-[0-9.]* \(.* – GIMP$' 60) && [ -n "$window" ]; then
  ok "the image window is shown ($(xdotool getwindowname "$window"))"
else
  for w in $(xdotool search --onlyvisible --name '.' 2> /dev/null); do xdotool getwindowname "$w"; done | diag
  bail "the image window is shown"
fi

ctrl_z
s3=$(wait_state u1 "$s1")
if [ "$s3" = "$s1" ]; then ok "one Ctrl+Z: the layers, masks and selection are as before the call: $s3"
else printf 'before the call: %s\nafter one undo:  %s\n' "$s1" "$s3" | diag; not_ok "one Ctrl+Z restored the layers as before the call"; fi
if same_pixels s1 u1; then ok "one Ctrl+Z: every layer's pixels are exactly as before the call"
else not_ok "one Ctrl+Z: the pixels are as before the call"; fi

ctrl_z
s4=$(wait_state u2 "$s0")
if [ "$s4" = "$s0" ] && same_pixels s0 u2; then
  ok "a second Ctrl+Z undid the marker made before the call: one undo step held the plug-in's whole change"
else printf 'before the marker: %s\nafter two undos:   %s\n' "$s0" "$s4" | diag
  not_ok "a second Ctrl+Z undid the marker, and exactly it"; fi
quit
finish
