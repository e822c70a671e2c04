#!/usr/bin/env bash
# The bundled paintings' titles and artists in Chinese, as a TAP test: the
# CLI's `--list-styles` and the dialog's style picker show 星月夜 by 文森特·梵高
# (and the others' established Chinese titles) in zh_CN.  Run under xvfb-run.
#
#   test-style-names-zh.sh BUILD_DIR SOURCE_DIR
set -u
build=${1:?usage: test-style-names-zh.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-style-names-zh.sh BUILD_DIR SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$src/tests/zh-locale.sh"
zh_locale_prepare "$tmp"
zh=(env "${zh_env[@]}" NEURAL_STYLE_LOCALEDIR="$build/po")

echo "1..3"
failed=0
list=$("${zh[@]}" "$build/tools/neural-style" --list-styles 2>&1)
printf '%s\n' "$list" | sed 's/^/# /'
if grep -qx 'starry-night  *星月夜 — 文森特·梵高' <<<"$list" \
   && grep -qx 'great-wave  *神奈川冲浪里 — 葛饰北斋' <<<"$list" \
   && grep -qx 'the-scream  *呐喊 — 爱德华·蒙克' <<<"$list" \
   && grep -qx 'the-kiss  *吻 — 古斯塔夫·克里姆特' <<<"$list" \
   && grep -qx 'water-lilies  *睡莲 — 克劳德·莫奈' <<<"$list"; then
  echo "ok 1 - neural-style --list-styles names the paintings in Chinese"
else echo "not ok 1 - neural-style --list-styles names the paintings in Chinese"; failed=1; fi
list=$(env -u LANGUAGE LC_ALL=C.UTF-8 "$build/tools/neural-style" --list-styles 2>&1)
if grep -qx 'starry-night  *The Starry Night — Vincent van Gogh' <<<"$list"; then
  echo "ok 2 - and in English without a Chinese locale"
else printf '%s\n' "$list" | sed 's/^/# /'; echo "not ok 2 - and in English without a Chinese locale"; failed=1; fi
if out=$("${zh[@]}" NSTEST_TITLE=星月夜 NSTEST_ARTIST=文森特·梵高 \
         "$build/tests/test-dialog-presets" -p /dialog-presets/painting-names 2>&1); then
  echo "ok 3 - the dialog's style picker shows 星月夜 by 文森特·梵高"
else printf '%s\n' "$out" | sed 's/^/# /'; echo "not ok 3 - the dialog's style picker shows 星月夜 by 文森特·梵高"; failed=1; fi
exit $failed
