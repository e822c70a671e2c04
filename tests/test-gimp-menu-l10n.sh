#!/usr/bin/env bash
# The plug-in's menu entry in Chinese, in GIMP 2.10 with its user interface on
# a virtual X server, as a TAP test (run it under `xvfb-run -a`):
#
#   test-gimp-menu-l10n.sh BUILD_DIR SOURCE_DIR
#
# GIMP runs with LANGUAGE=zh_CN (LANG=LC_ALL=$zh_locale, see gimp-test-lib.sh) and
# NEURAL_STYLE_LOCALEDIR pointing at the build's compiled catalogues
# (BUILD_DIR/po).  Checked:
#   1. the pluginrc that GIMP wrote in the throw-away profile registers the
#      plug-in's gettext domain (locale-def) with its locale directory, and the
#      procedure under <Image>/Filters/Artistic with the menu label
#      "Neural Style _Transfer...";
#   2. the catalogue in that directory (msgunfmt) translates that exact msgid
#      into Chinese;
#   3. GIMP's Filters ▸ Artistic menu, opened with the keyboard over an image,
#      is saved as a screenshot artefact (BUILD_DIR/tests/gimp-menu-zh_CN.png),
#      to be looked at: it shows the label as GIMP translates it.
set -u
build=$(realpath "${1:?usage: test-gimp-menu-l10n.sh BUILD_DIR SOURCE_DIR}")
src=${2:?usage: test-gimp-menu-l10n.sh BUILD_DIR SOURCE_DIR}
gimp_test_needs="gimp-2.10 xdotool msgunfmt python3"
source "$src/tests/gimp-test-lib.sh"
domain=gimp-neural-style
label='Neural Style _Transfer...'
build_mo=$build/po/zh_CN/LC_MESSAGES/$domain.mo
screenshot=$build/tests/gimp-menu-zh_CN.png
rm -f "$screenshot"
[ -f "$build_mo" ] || { echo "1..1"; echo "not ok 1 - $build_mo was not built"; exit 1; }
if ! locale -a 2> /dev/null | grep -qixE 'c\.utf-?8'; then
  echo "1..1"; echo "not ok 1 - the C.UTF-8 locale is missing (glibc >= 2.35 has it built in)"; exit 1
fi
c=$tmp/content.png
"$helper" content "$c" 64 48 > /dev/null || exit 1
export "${zh_env[@]}" NEURAL_STYLE_LOCALEDIR=$build/po

start_script_fu_server

# GIMP writes pluginrc once it has queried the new plug-ins, before the server starts.
img=$(sf "(let ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$c\" \"$c\"))))
            (gimp-display-new img) (gimp-displays-flush) img)")
[ -n "$img" ] && ok "GIMP started in Chinese and opened an image (Script-Fu server on port $port)" \
  || not_ok "GIMP started and its Script-Fu server answered"

# --- 1: the registration ---------------------------------------------------------------
pluginrc=$GIMP2_DIRECTORY/pluginrc
# The plug-in's own (plug-in-def ...) block: from its line to the next plug-in-def.
def=$(awk '/^\(plug-in-def / { on = index($0, "gimp-neural-style/gimp-neural-style") > 0 } on' "$pluginrc" 2> /dev/null)
# GIMP writes paths under its own prefix as ${gimp_installation_dir}/...
gimp_prefix=$(dirname "$(dirname "$(realpath "$(command -v gimp-2.10)")")")
dir=$(printf '%s\n' "$def" | sed -n "s/^ *(locale-def \"$domain\" \"\(.*\)\"))*\$/\1/p" | head -n 1)
dir=${dir//'${gimp_installation_dir}'/$gimp_prefix}
dir=${dir//'${gimp_dir}'/$GIMP2_DIRECTORY}
# The plug-in registers $NEURAL_STYLE_LOCALEDIR (the build's catalogues) when set, as here.
if [ "$dir" = "$build/po" ]; then
  ok "pluginrc registers the domain $domain with the locale directory $dir"
else
  printf '%s\n' "$def" | head -n 40 | diag
  not_ok "pluginrc registers the domain $domain with $build/po, not '$dir'"
fi
if printf '%s\n' "$def" | sed 's/^ *//' | grep -qxF '(menu-path "<Image>/Filters/Artistic")' \
   && printf '%s\n' "$def" | sed 's/^ *//' | grep -qxF "\"$label\""; then
  ok "pluginrc has the menu label \"$label\" under <Image>/Filters/Artistic"
else not_ok "pluginrc has the menu label \"$label\" under <Image>/Filters/Artistic"; fi

# --- 2: the catalogue translates the exact label ----------------------------------------
mo=$build_mo
# The msgstr of exactly that msgid; Chinese (CJK ideographs) with the same mnemonic.
if msgstr=$(msgunfmt "$mo" 2>&1 | python3 -c '
import re, sys
text = sys.stdin.read()
m = re.search(r"^msgid \"" + re.escape(sys.argv[1]) + r"\"\nmsgstr ((?:\".*\"\n?)+)", text, re.M)
s = "".join(re.findall(r"\"(.*)\"", m.group(1))) if m else ""
print(s)
sys.exit(0 if any("\u4e00" <= ch <= "\u9fff" for ch in s) and "(_T)" in s else 1)' "$label"); then
  ok "$mo translates \"$label\" as \"$msgstr\""
else echo "msgstr: '$msgstr'" | diag; not_ok "$mo translates \"$label\" into Chinese"; fi

# --- 3: the menu itself, as a screenshot -------------------------------------------------
# gimp-display-new returns before the window is mapped: wait for it (a busy CI machine is slow).
window=$(wait_window 'content\.png-[0-9.]* \(.* – GIMP$' 60)
if [ -z "$window" ]; then
  for w in $(xdotool search --onlyvisible --name '.' 2> /dev/null); do xdotool getwindowname "$w"; done | diag
  not_ok "the image window is shown"
else
  # Filte_rs (滤镜(_R)), then _Artistic (艺术(_A)).
  xdotool windowfocus --sync "$window" && sleep 1 && xdotool key alt+r && sleep 1 && xdotool key a && sleep 2
  if "$build/tests/x-screenshot" "$screenshot" && [ "$(stat -c %s "$screenshot")" -gt 10000 ]; then
    ok "screenshot of Filters ▸ Artistic in Chinese: $screenshot"
  else not_ok "a screenshot of the menu was saved"; fi
  xdotool key Escape Escape Escape
fi
quit
finish
