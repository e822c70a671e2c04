#!/usr/bin/env bash
# The GIMP plug-in inside a headless GIMP 2.10, as a TAP test.
#
#   test-gimp-plugin.sh BUILD_DIR SOURCE_DIR
#
# A throw-away profile (GIMP2_DIRECTORY) whose gimprc adds a folder holding the
# built plug-in (in its own subfolder, as GIMP wants) to plug-in-path; Script-Fu
# (gimp-plugin-test.scm) calls plug-in-neural-style and reports with
# "NSTEST case key=value" messages; the layers it saves are compared with the
# command-line tool's output for the same settings by gimp-test-helper.
# GIMP exits 0 even when a batch command fails, so only the messages and the
# files count; it always runs under `timeout`.
set -u
build=${1:?usage: test-gimp-plugin.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-gimp-plugin.sh BUILD_DIR SOURCE_DIR}
source "$src/tests/gimp-test-lib.sh"
expect () {  # expect CASE KEY EXPECTED
  local got; got=$(value "$1" "$2")
  if [ "$got" = "$3" ]; then ok "$1: $2 is $3"; else echo "expected '$3', got '$got'" | diag; not_ok "$1: $2"; fi
}
expect_error () {  # expect_error CASE WORDS: the call failed, naming WORDS, and left the image alone
  local got; got=$(value "bad-$1" error)
  if [[ $got == *"failed on invalid input arguments"* && ${got,,} == *"$2"* ]]; then
    ok "bad $1: calling error naming '$2': ${got#*arguments: }"
  else echo "got: $got" | diag; not_ok "bad $1: a calling error naming '$2'"; fi
  expect "bad-$1" layers 1
}
scm=$src/tests/gimp-plugin-test.scm
c=$tmp/content.png ca=$tmp/content-alpha.png style=$shared/goldens/gatys_a_style.png
"$helper" content "$c" 64 48 > /dev/null && "$helper" content "$ca" 64 48 alpha > /dev/null \
  && "$helper" crop "$c" 10 8 32 24 "$tmp/c-rect.png" > /dev/null \
  && "$helper" crop "$c" 8 4 40 32 "$tmp/c-ellipse.png" > /dev/null || exit 1
# The command-line tool's answers for the same settings.
"$cli" --style starry-night --alpha 0.8 --style-size 64 -o "$tmp/cli-full.png" "$c" \
  && "$cli" --style starry-night --alpha 0.8 --style-size 64 -o "$tmp/cli-rect.png" "$tmp/c-rect.png" \
  && "$cli" --style starry-night --alpha 0.8 --style-size 64 -o "$tmp/cli-ellipse.png" "$tmp/c-ellipse.png" \
  && "$cli" --style starry-night --alpha 0.6 --style-size 64 -o "$tmp/cli-alpha.png" "$ca" \
  && "$cli" --style "$style" --alpha 1 --style-size 0 -o "$tmp/cli-style-layer.png" "$c" || exit 1

# The user's last choices in the dialog, as it saves them: the batch runs below
# must leave them alone, and the second GIMP's Repeat (last values) uses them.
printf '[neural-style]\nmethod=0\nstyle_file=starry-night\nalpha=0.6\niterations=77\nstyle_size=64\n' \
  > "$GIMP2_DIRECTORY/neural-style.conf"
cp "$GIMP2_DIRECTORY/neural-style.conf" "$tmp/settings-before.conf"
gimp "$scm" "(ns-case-full \"$c\" \"$tmp/full.png\" 0.8)" \
     "(ns-case-rect \"$c\" \"$tmp/rect.png\")" \
     "(ns-case-ellipse \"$c\" \"$tmp/ellipse.png\")" \
     "(ns-case-grey \"$c\")" \
     "(ns-case-indexed \"$c\")" \
     "(ns-case-feather \"$c\")" \
     "(ns-case-style-layer \"$c\" \"$style\" \"$tmp/style-layer.png\")" \
     "(ns-case-bad \"$c\")" \
     "(ns-case-float \"$ca\" \"$tmp/float.png\")"
cp "$GIMP2_DIRECTORY/neural-style.conf" "$tmp/settings-after-first.conf" 2> /dev/null
# Second GIMP: the last values survive the restart.
gimp "$scm" "(ns-case-last \"$ca\" \"$tmp/last.png\")" "(ns-case-args)"
# Third GIMP, in Chinese: the plug-in's messages are translated.
mkdir -p "$tmp/locale/zh_CN/LC_MESSAGES"
msgfmt -o "$tmp/locale/zh_CN/LC_MESSAGES/gimp-neural-style.mo" "$src/po/zh_CN.po" || exit 1
(export "${zh_env[@]}" NEURAL_STYLE_LOCALEDIR=$tmp/locale
 gimp "$scm" "(ns-case-bad-alpha \"$c\" \"zh\")")

# The arguments GIMP 2.10 shows are the parameter table's, in its order, of the PDB type of each kind
# (2.10 keeps no defaults or ranges for a plug-in's arguments: the table's are checked by the calls).
i=3 mismatches=""
while IFS='|' read -r name kind _; do
  case $kind in double) type=3 ;; style) type=4 ;; *) type=0 ;; esac   # FLOAT, STRING, INT32
  got=$(value args $i)
  [ "$got" = "$name:$type" ] || mismatches="$mismatches $i: $got, not $name:$type;"
  i=$((i + 1))
done < <("$build/tests/test-params" --dump)
if [ -z "$mismatches" ] && [ -z "$(value args $i)" ] && [ $i -gt 3 ]; then ok "the arguments are the table's ($((i - 3)))"
else echo "$mismatches extra: $(value args $i)" | diag; not_ok "the arguments are the table's"; fi

expect full name "starry-night (AdaIN, alpha 0.80)"
expect full size 64x48
expect full offsets 5,7
expect full layers 2
expect full position 0,1
expect full mask none
check "full: the layer's pixels equal the CLI's" "$helper" compare "$tmp/full.png" "$tmp/cli-full.png"

expect rect size 32x24
expect rect offsets 10,8
expect rect mask none
check "rect: a rectangular selection limits the result to the CLI's on the crop" \
  "$helper" compare "$tmp/rect.png" "$tmp/cli-rect.png"

expect ellipse size 40x32
expect ellipse offsets 8,4
expect ellipse mask yes
check "ellipse: the selection's bounds restyled as the CLI does" "$helper" compare "$tmp/ellipse.png" "$tmp/cli-ellipse.png"

expect feather mask yes
expect feather layers 2

expect grey size 64x48
expect grey is-gray 1
expect indexed layers 2
expect indexed is-indexed 1

expect style-layer name "gatys_a_style.png (AdaIN, alpha 1.00)"
check "style-layer: a layer as the style equals the CLI with that file" \
  "$helper" compare "$tmp/style-layer.png" "$tmp/cli-style-layer.png"

expect_error alpha "alpha"
expect_error method "method"
expect_error no-style "give a style"
expect_error two-styles "not both"
expect_error missing-file "style file"
expect_error style-drawable "style drawable"
expect_error iterations "iterations"
expect_error preserve "preserve-colour"
expect_error style-size "style-size"
got=$(value bad-tiny error)
if [[ $got == *"Procedure execution of plug-in-neural-style failed: "*16* ]]; then
  ok "tiny selection: the engine's sentence as an execution error: ${got#*failed: }"
else echo "got: $got" | diag; not_ok "tiny selection: an execution error with the engine's sentence"; fi
expect bad-tiny layers 1

expect float name "starry-night (AdaIN, alpha 0.60)"
expect float size 64x48
check "float: a float linear image gives the CLI's colours" "$helper" compare "$tmp/float.png" "$tmp/cli-alpha.png"
check "float: the source's alpha is kept" "$helper" compare-alpha "$tmp/float.png" "$ca"

if cmp -s "$tmp/settings-before.conf" "$tmp/settings-after-first.conf"; then
  ok "batch runs leave the user's last settings in $(basename "$GIMP2_DIRECTORY")/neural-style.conf alone"
else cat "$tmp/settings-after-first.conf" 2>&1 | diag; not_ok "batch runs left the key file alone"; fi
got=$(value bad-zh error)
if [[ $got == *"alpha 为 1.5"* ]]; then ok "in Chinese: ${got##*: }"
else echo "got: $got" | diag; not_ok "the calling error in Chinese"; fi
expect last name "starry-night (AdaIN, alpha 0.60)"
check "last: with-last-vals after a restart gives the same pixels" "$helper" compare "$tmp/last.png" "$tmp/cli-alpha.png"

# Fourth GIMP: colour preservation, a second style (blended, outside the
# selection, outside the layer mask) and the Gatys method, each against the
# CLI with the same settings; the bad values of the new parameters.
gimp "$scm" "(ns-case-controls \"luminance\" \"$c\" \"$tmp/luminance.png\" 1 \"\" 0)" \
     "(ns-case-controls \"match\" \"$c\" \"$tmp/match.png\" 2 \"\" 0)" \
     "(ns-case-controls \"blend\" \"$c\" \"$tmp/blend.png\" 0 \"the-scream\" 0.3)" \
     "(ns-case-outside-selection \"$c\" \"$tmp/outside-selection.png\" \"$tmp/ellipse-mask.png\")" \
     "(ns-case-outside-mask \"$c\" \"$tmp/outside-mask.png\")" \
     "(ns-case-gatys \"$c\" \"$tmp/gatys.png\")" \
     "(ns-case-bad-style2 \"$c\")"
adain=(--style-size 64 --alpha 0.8)
"$helper" crop "$tmp/ellipse-mask.png" 10 8 32 24 "$tmp/ellipse-mask-rect.png" > /dev/null
"$cli" "${adain[@]}" --style starry-night --preserve-color luminance -o "$tmp/cli-luminance.png" "$c" \
  && "$cli" "${adain[@]}" --style starry-night --preserve-color match -o "$tmp/cli-match.png" "$c" \
  && "$cli" "${adain[@]}" --style starry-night:0.7 --style the-scream:0.3 -o "$tmp/cli-blend.png" "$c" \
  && "$cli" "${adain[@]}" --style starry-night --mask "$tmp/ellipse-mask.png" --outside-style the-scream \
       -o "$tmp/cli-outside-selection.png" "$c" \
  && "$cli" "${adain[@]}" --style starry-night --mask "$tmp/ellipse-mask-rect.png" --outside-style the-scream \
       -o "$tmp/cli-outside-mask.png" "$tmp/c-rect.png" \
  && "$cli" --method gatys --style starry-night --style-size 64 --iterations 5 --seed 3 -o "$tmp/cli-gatys.png" "$c" \
  > /dev/null || { echo "the CLI failed" | diag; not_ok "the CLI's results for the controls"; }

expect luminance name "starry-night (AdaIN, alpha 0.80)"
check "preserve-colour 1: luminance as the CLI's --preserve-color luminance" \
  "$helper" compare "$tmp/luminance.png" "$tmp/cli-luminance.png"
check "preserve-colour 2: colour matching as the CLI's --preserve-color match" \
  "$helper" compare "$tmp/match.png" "$tmp/cli-match.png"
expect blend name "starry-night + the-scream (AdaIN, alpha 0.80)"
check "style2-weight 0.3: the blend equals the CLI's --style starry-night:0.7 --style the-scream:0.3" \
  "$helper" compare "$tmp/blend.png" "$tmp/cli-blend.png"
expect outside-selection size 64x48
expect outside-selection offsets 0,0
expect outside-selection mask none
expect outside-selection layers 2
check "style2-mode 1: the whole layer, the second style outside an elliptic selection, as the CLI's --mask --outside-style" \
  "$helper" compare "$tmp/outside-selection.png" "$tmp/cli-outside-selection.png"
expect outside-mask size 32x24
expect outside-mask offsets 10,8
expect outside-mask mask none
check "style2-mode 2: the layer mask over the selection's bounds decides the styles, as the CLI on the crop" \
  "$helper" compare "$tmp/outside-mask.png" "$tmp/cli-outside-mask.png"
expect gatys name "starry-night (Gatys, 5 iterations)"
expect gatys size 64x48
expect gatys layers 2
check "method 1: Gatys, 5 iterations from seed 3, equals the CLI's --method gatys" \
  "$helper" compare "$tmp/gatys.png" "$tmp/cli-gatys.png"
expect_error style2-weight "style2-weight"
expect_error style2-mode "style2-mode"
expect_error style2-drawable "style2-drawable"
expect_error style2-both "not both"
expect_error style2-file "style2-file"
expect_error style2-no-mask "no layer mask"
expect_error preserve-3 "preserve-colour"

finish
