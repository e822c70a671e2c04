#!/usr/bin/env bash
# The per-user install (tools/install-user.sh) and `ninja uninstall`, as a TAP test,
# in a throw-away home:
#   1. it builds and installs without root into ~/.local and GIMP's profile;
#   2. the CLI, weights, paintings and translations are under ~/.local, the plug-in in
#      ~/.config/GIMP/<version>/plug-ins/gimp-neural-style/ (when the build has one);
#   3. with the build's own data gone (its shared_dir, the fallback for the weights and
#      paintings, is deleted) the installed CLI restyles the installed sample;
#   4. GIMP, started with that home, runs the plug-in from the user's folder (GIMP 2.10:
#      the Script-Fu batch script; GIMP 3: Script-Fu v3) and writes the result;
#   5. --uninstall (ninja uninstall) leaves no file of the install behind (the compiled
#      kernels in <prefix>/var/cache included).
#
#   test-install-user.sh SOURCE_DIR PLUGIN_BUILT(true|false)
set -u
src=${1:?usage: test-install-user.sh SOURCE_DIR PLUGIN_BUILT}
plugin_built=${2:?usage: test-install-user.sh SOURCE_DIR PLUGIN_BUILT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# PoCL's kernel cache stays the caller's (a new home would compile everything again).
export POCL_CACHE_DIR=${POCL_CACHE_DIR:-$HOME/.cache/pocl}
export HOME=$tmp/home
unset XDG_CONFIG_HOME XDG_DATA_HOME NEURAL_STYLE_WEIGHTS NEURAL_STYLE_LOCALEDIR
mkdir -p "$HOME"
shared=$(cd "$src/../shared" && pwd)
# The build's data, removed after the install so only the user's copies remain.
mkdir -p "$tmp/shared"
for d in weights styles samples goldens; do ln -s "$shared/$d" "$tmp/shared/$d"; done

. "$src/tests/tap-lib.sh"
n=0 failed=0
tap_log=$tmp/log

ok "tools/install-user.sh builds and installs without root" \
  "$src/tools/install-user.sh" "$tmp/build" -Dshared_dir="$tmp/shared" -Dfuzzing=disabled

find "$HOME" >"$tmp/installed"   # all of it the install's, and GIMP's user folders
data=$HOME/.local/share/gimp-neural-style
plugins=()
for f in "$HOME"/.config/GIMP/*/plug-ins/gimp-neural-style/gimp-neural-style; do
  [ -x "$f" ] && plugins+=("$f")
done
installed_where_expected () {
  local f status=0
  for f in "$HOME/.local/bin/neural-style" "$data/weights/vgg19-conv.safetensors" \
           "$data/weights/adain-decoder.safetensors" "$data/styles/starry-night.jpg" \
           "$data/styles/STYLES.tsv" "$data/samples/tubingen.jpg" \
           "$HOME/.local/share/locale/zh_CN/LC_MESSAGES/gimp-neural-style.mo"; do
    [ -s "$f" ] || { echo "missing: $f"; status=1; }
  done
  # The kernels compiled while building, for this machine's device, in the prefix's program cache.
  local programs=$HOME/.local/var/cache/gimp-neural-style/programs
  [ -n "$(ls -A "$programs" 2>/dev/null)" ] || { echo "no compiled kernels in $programs"; status=1; }
  if $plugin_built && [ ${#plugins[@]} = 0 ]; then
    echo "no plug-in in $HOME/.config/GIMP/*/plug-ins/gimp-neural-style/"; status=1
  fi
  find "$HOME" -type f | sed "s|^$HOME/||"
  return $status
}
ok "the CLI, weights, paintings, translations in ~/.local; the plug-in in GIMP's user folder" \
  installed_where_expected

rm -rf "$tmp/shared"
ok "the installed CLI restyles the installed sample with the installed weights and painting" \
  bash -c "'$HOME/.local/bin/neural-style' --style starry-night -o '$tmp/cli.png' '$data/samples/tubingen.jpg' &&
           [ -s '$tmp/cli.png' ]"

. "$src/tests/gimp-restyle.sh"
run_plugin_in_gimp () {  # each GIMP whose user folder holds the plug-in runs it
  local f status=0
  for f in "${plugins[@]}"; do
    rm -f "$tmp/gimp.png"
    gimp_restyle "$f" "$data/scripts" "$data/samples/tubingen.jpg" "$tmp/gimp.png" || status=1
  done
  return $status
}
if $plugin_built; then
  ok "GIMP runs the plug-in from the user's plug-in folder" run_plugin_in_gimp
fi

nothing_left () {  # what the install put down: files, and folders now empty
  "$src/tools/install-user.sh" --uninstall "$tmp/build" || return 1
  local path left=
  while read -r path; do
    case $path in "$HOME"|"$HOME/.config"|"$HOME/.config/GIMP"|"$HOME"/.config/GIMP/*/plug-ins) continue ;; esac
    if [ -d "$path" ]; then [ -n "$(ls -A "$path")" ] || left+="$path"$'\n'
    elif [ -e "$path" ]; then left+="$path"$'\n'; fi
  done <"$tmp/installed"
  [ -z "$left" ] || { echo "left behind:"; echo -n "$left"; return 1; }
}
ok "--uninstall (ninja uninstall) removes everything the install put down" nothing_left
echo "1..$n"
exit $failed
