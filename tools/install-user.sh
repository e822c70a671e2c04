#!/usr/bin/env bash
# Installs gimp-neural-style for the current user only, without root (the build
# packages must be there: tools/install-packages.sh lists them):
#   ~/.local/bin/neural-style                        the command-line tool
#   ~/.local/share/gimp-neural-style/                the weights, paintings, sample, batch script
#   ~/.local/share/locale/                           the translations
#   ~/.config/GIMP/2.10/plug-ins/gimp-neural-style/  the plug-in, for GIMP 2.10
#   ~/.config/GIMP/3.0/plug-ins/gimp-neural-style/   the plug-in, for GIMP 3
# The programs are built for the prefix ~/.local, so they find the weights and
# paintings there wherever they run from.  Run from the checkout, ../shared beside it.
#
#   tools/install-user.sh [BUILD_DIR [MESON_ARGS...]]   (default build-user)
#   tools/install-user.sh --uninstall [BUILD_DIR]        removes all of it again
set -eu
cd "$(dirname "$0")/.."
uninstall=false
if [ "${1:-}" = --uninstall ]; then uninstall=true; shift; fi
build=${1:-build-user}
[ $# -gt 0 ] && shift
prefix=$HOME/.local
gimp_config=${XDG_CONFIG_HOME:-$HOME/.config}/GIMP

# The plug-in folders meson installs (<prefix>/lib[/<multiarch>]/gimp/<API>/plug-ins/NAME),
# each with the user's plug-in folder of the GIMP that reads it (API 2.0: GIMP 2.10).
plugin_folders () {
  meson introspect "$build" --installed |
    python3 -c '
import json, re, sys
seen = set()
for path in json.load(sys.stdin).values():
    m = re.match(r"(.*/gimp/(\d+\.\d+)/plug-ins/([^/]+))/", path)
    if m and m.group(1) not in seen:
        seen.add(m.group(1))
        print(m.group(1), {"2.0": "2.10"}.get(m.group(2), m.group(2)), m.group(3))'
}

if $uninstall; then
  [ -f "$build/build.ninja" ] || { echo "No build in $build: nothing was installed from it." >&2; exit 1; }
  plugin_folders | while read -r installed profile name; do
    rm -rf "${gimp_config:?}/$profile/plug-ins/$name"
  done
  ninja -C "$build" uninstall >/dev/null
  echo "gimp-neural-style is uninstalled from $prefix and $gimp_config."
  exit 0
fi

if [ -f "$build/build.ninja" ]; then meson setup --reconfigure "$build" --prefix="$prefix" "$@" >/dev/null
else meson setup "$build" --prefix="$prefix" "$@" >/dev/null; fi
# Only what is installed is built (not the tests and benchmarks).
targets=$(tools/installed-targets.py "$build")
ninja -C "$build" $targets
meson install -C "$build" --no-rebuild --quiet
# GIMP reads plug-ins from its own folder in the user's profile: a copy there.
plugin_folders | while read -r installed profile name; do
  mkdir -p "$gimp_config/$profile/plug-ins"
  rm -rf "${gimp_config:?}/$profile/plug-ins/$name"
  cp -r "$installed" "$gimp_config/$profile/plug-ins/$name"
  echo "The plug-in is in $gimp_config/$profile/plug-ins/$name (restart GIMP to see it)."
done
echo "neural-style is in $prefix/bin (add it to PATH if it is not); the weights and paintings in $prefix/share/gimp-neural-style."
