#!/usr/bin/env bash
# The GIMP 3 plug-in inside a headless GIMP 3, as a TAP test: the procedure's
# arguments are the parameter table's (names, defaults, ranges, choices); calls
# from Python-Fu (gimp3-plugin-test.py) and from Script-Fu v3 with named
# arguments give the command-line tool's pixels; a failed call leaves the
# image clean and says why; a paletted image works; batch runs keep the last
# values; GIMP 3's batch exit statuses (0, 69, 70) are what its documentation says.
#
#   test-gimp3-plugin.sh BUILD_DIR SOURCE_DIR
set -u
build=${1:?usage: test-gimp3-plugin.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-gimp3-plugin.sh BUILD_DIR SOURCE_DIR}
gimp_version=3
source "$src/tests/gimp-test-lib.sh"
py=$src/tests/gimp3-plugin-test.py

# py3 CASE [VAR=VALUE...]: one headless GIMP 3 running a case of $py; its output goes to $log, its status to $status.
py3 () {
  local case=$1; shift
  env NSTEST_CASE="$case" "$@" timeout 600 "$console" -i --batch-interpreter=python-fu-eval \
    -b "exec(open('$py').read())" --quit >> "$log" 2>&1
  status=$?
  echo "# $case: gimp exited with status $status"
}
expect () {  # expect CASE KEY EXPECTED
  local got; got=$(value "$1" "$2")
  if [ "$got" = "$3" ]; then ok "$1: $2 is $3"; else echo "expected '$3', got '$got'" | diag; not_ok "$1: $2"; fi
}
expect_status () {  # expect_status WHAT EXPECTED
  if [ "$status" = "$2" ]; then ok "$1: GIMP's exit status is $2"
  else echo "status $status" | diag; not_ok "$1: GIMP's exit status is $2"; fi
}

c=$tmp/content.png
"$helper" content "$c" 64 48 > /dev/null || exit 1
"$cli" --style starry-night --alpha 0.8 --style-size 64 -o "$tmp/cli-full.png" "$c" \
  && "$cli" --style starry-night:0.75 --style the-scream:0.25 --style-size 64 --preserve-color luminance \
       -o "$tmp/cli-choices.png" "$c" || exit 1

# 1. The arguments GIMP 3 shows are the table's: each name, default and range.
"$build/tests/test-params" --dump > "$tmp/table.txt" || exit 1
py3 params NSTEST_TABLE="$tmp/table.txt"
expect_status "params" 0
expect params mismatches none

# 2. Python-Fu: the layer equals the CLI's result, above the source, in place.
py3 full NSTEST_CONTENT="$c" NSTEST_OUT="$tmp/full.png"
expect_status "full" 0
expect full status success
expect full name "starry-night (AdaIN, alpha 0.80)"
expect full size 64x48
expect full offsets 5,7
expect full layers 2
expect full position 0
check "full: the layer's pixels equal the CLI's" "$helper" compare "$tmp/full.png" "$tmp/cli-full.png"

# 3. Choices by their nicks, a blend of two styles.
py3 choices NSTEST_CONTENT="$c" NSTEST_OUT="$tmp/choices.png"
expect choices status success
check "choices: luminance and a 0.25 blend as the CLI makes them" "$helper" compare "$tmp/choices.png" "$tmp/cli-choices.png"
py3 bad-choice NSTEST_CONTENT="$c"
expect bad-choice accepted False

# 4. A failing call: the reason, the image as it was, not even dirty.
py3 bad NSTEST_CONTENT="$c"
expect bad status calling-error
expect bad layers 1
expect bad dirty False
if [[ $(value bad error) == *"/nonexistent/painting.png"* ]]; then ok "bad: the error names the file: $(value bad error)"
else echo "error: $(value bad error)" | diag; not_ok "bad: the error names the missing file"; fi

# 5. A paletted image: restyled into its palette.
py3 indexed NSTEST_CONTENT="$c"
expect indexed status success
expect indexed layers 2
expect indexed indexed True

# 6. Batch runs are not the user's choices: Repeat (last values) still uses the defaults.
py3 last NSTEST_CONTENT="$c"
expect last status success
expect last name "starry-night (AdaIN, alpha 1.00)"

# 7. Script-Fu v3 with named arguments.
"$console" -i --batch-interpreter=plug-in-script-fu-eval -b "(begin (script-fu-use-v3)
  (let* ((img (gimp-file-load RUN-NONINTERACTIVE \"$c\"))
         (src (vector-ref (gimp-image-get-layers img) 0))
         (layer (plug-in-neural-style #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector src)
                  #:style-file \"starry-night\" #:alpha 0.8 #:style-size 64)))
    (gimp-layer-set-offsets layer 0 0)
    (gimp-image-resize-to-layers img)
    (gimp-item-set-visible src #f)
    (gimp-file-save RUN-NONINTERACTIVE (gimp-image-duplicate img) \"$tmp/script-fu.png\" -1)))" --quit >> "$log" 2>&1
status=$?
expect_status "script-fu" 0
check "script-fu: named arguments give the CLI's pixels" "$helper" compare "$tmp/script-fu.png" "$tmp/cli-full.png"

# 8. GIMP 3's batch statuses: a call that fails is an execution error (70), an unknown interpreter 69.
"$console" -i --batch-interpreter=plug-in-script-fu-eval -b "(begin (script-fu-use-v3)
  (let* ((img (gimp-file-load RUN-NONINTERACTIVE \"$c\")))
    (plug-in-neural-style #:run-mode RUN-NONINTERACTIVE #:image img
      #:drawables (vector (vector-ref (gimp-image-get-layers img) 0)) #:style-file \"/nonexistent/painting.png\")))" \
  --quit >> "$log" 2>&1
status=$?
expect_status "a batch whose call fails" 70
"$console" -i --batch-interpreter=no-such-interpreter -b '1' --quit >> "$log" 2>&1
status=$?
expect_status "an unknown batch interpreter" 69
# 9. In Chinese, with a profile of its own (GIMP keeps the menu label it registered): the menu and the errors.
mkdir -p "$tmp/locale/zh_CN/LC_MESSAGES" "$tmp/profile-zh"
msgfmt -o "$tmp/locale/zh_CN/LC_MESSAGES/gimp-neural-style.mo" "$src/po/zh_CN.po" || exit 1
cp "$profile/gimprc" "$tmp/profile-zh/"
py3 zh NSTEST_CONTENT="$c" GIMP3_DIRECTORY="$tmp/profile-zh" "${zh_env[@]}" \
  NEURAL_STYLE_LOCALEDIR="$tmp/locale"
expect zh label "神经风格迁移(_T)..."
if [[ $(value zh error) == *"风格文件“/nonexistent/painting.png”不存在"* ]]; then ok "zh: the error in Chinese: $(value zh error)"
else echo "error: $(value zh error)" | diag; not_ok "zh: the error in Chinese"; fi

# 10. The batch script: every picture, two of one name kept apart, a broken one reported; the
# summary on standard output, nothing as a warning; status 70 when one failed, 0 when all were
# restyled; the installed script's header names its installed path.
mkdir -p "$tmp/in" "$tmp/good" "$tmp/out" "$tmp/out-good"
"$helper" content "$tmp/tall.png" 32 48 > /dev/null && cp "$c" "$tmp/in/twin.png" \
  && "$helper" convert "$tmp/tall.png" "$tmp/in/twin.bmp" bmp && cp "$c" "$tmp/good/one.png" || exit 1
echo "not a picture" > "$tmp/in/broken.png"
"$cli" --style the-scream --alpha 0.7 --style-size 64 -o "$tmp/cli-tall.png" "$tmp/tall.png" \
  && "$cli" --style the-scream --alpha 0.7 --style-size 64 -o "$tmp/cli-content.png" "$c" || exit 1
batch () {  # batch IN OUT: the installed script's call; its standard output in $tmp/batch.out
  "$console" -i --batch-interpreter=plug-in-script-fu-eval -b "(begin (load \"$src/plugin/neural-style-batch-3.scm\")
    (neural-style-batch \"$1\" \"*\" \"$2\" \"the-scream\" 0.7 64))" --quit > "$tmp/batch.out" 2>> "$tmp/batch.err"
  status=$?
  cat "$tmp/batch.out" >> "$log"
}
batch "$tmp/in" "$tmp/out"
expect_status "batch with a broken picture" 70
got=$(cd "$tmp/out" && ls | LC_ALL=C sort | tr '\n' ' ')
if [ "$got" = "twin.bmp.png twin.png.png " ]; then ok "batch: two pictures of one name keep their extensions: $got"
else echo "out/ holds: $got" | diag; not_ok "batch: out/ holds twin.bmp.png and twin.png.png"; fi
check "batch: twin.png.png is the CLI's" "$helper" compare "$tmp/out/twin.png.png" "$tmp/cli-content.png"
check "batch: twin.bmp.png is the CLI's" "$helper" compare "$tmp/out/twin.bmp.png" "$tmp/cli-tall.png"
if [ "$(tail -n 1 "$tmp/batch.out")" = "neural-style-batch: restyled 2 of 3 images into $tmp/out" ] \
   && grep -q "^neural-style-batch: $tmp/in/broken.png: " "$tmp/batch.out"; then
  ok "batch: the broken picture is reported and the last line says 2 of 3"
else diag < "$tmp/batch.out"; not_ok "batch: the report on standard output"; fi
batch "$tmp/good" "$tmp/out-good"
expect_status "batch where every picture works" 0
batch "$tmp/good" "$tmp/no-such-folder"
expect_status "batch into a missing folder" 70
cat "$tmp/batch.err" >> "$log"
# (GIMP 3 itself greets a new profile with a "GIMP-Warning": only the script's lines count.)
if grep -q "Warning.*neural-style-batch" "$tmp/batch.err"; then
  grep "Warning" "$tmp/batch.err" | diag; not_ok "batch: no progress as a warning"
else ok "batch: no progress as a warning"; fi
installed=$(python3 -c 'import json, sys
for built, path in json.load(open(sys.argv[1])).items():
    if built.endswith("/neural-style-batch-3.scm"): print(path)' "$build/meson-info/intro-installed.json")
if [ -n "$installed" ] && grep -q "(load \"$installed\")" "$build/plugin/neural-style-batch-3.scm"; then
  ok "batch: the installed script's header loads it from $installed"
else not_ok "batch: the installed script's header names its installed path (${installed:-not installed})"; fi
finish
