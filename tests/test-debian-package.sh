#!/usr/bin/env bash
# The Debian packages (debian/), as root on Debian; prints TAP, exits non-zero on a failure.
#
#   tests/test-debian-package.sh build OUTDIR   in the checkout (../shared beside it): installs
#        what packaging needs, builds gimp-neural-style and gimp-neural-style-data with
#        dpkg-buildpackage -b (weights checked against their sums), runs lintian (no errors
#        allowed) and copies the two .deb files to OUTDIR
#   tests/test-debian-package.sh check DEBDIR   on a clean Debian (CI makes a fresh root):
#        installs DEBDIR's packages with apt, restyles the sample with the installed CLI and
#        with each installed plug-in in headless GIMP (tests/gimp-restyle.sh), purges them
#        and checks that nothing of theirs is left
set -u
mode=${1:-} dir=${2:-}
[ -n "$dir" ] && { [ "$mode" = build ] || [ "$mode" = check ]; } ||
  { echo "usage: $0 build OUTDIR | check DEBDIR" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "$0 installs packages: run it as root (in a throw-away root or machine)." >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
. "$(dirname "$0")/tap-lib.sh"
n=0 failed=0
tap_log=$(mktemp)
trap 'rm -f "$tap_log"' EXIT

if [ $mode = build ]; then
  cd "$(dirname "$0")/.."
  ok "the packaging tools are installed" tools/install-packages.sh build package
  rm -f ../gimp-neural-style*_*
  ok "dpkg-buildpackage -b builds the packages" dpkg-buildpackage -b -us -uc
  ok "lintian reports no errors" lintian --fail-on error ../gimp-neural-style_*.changes
  mkdir -p "$dir"
  ok "the two packages are there" \
    cp ../gimp-neural-style_*.deb ../gimp-neural-style-data_*_all.deb "$dir/"
  echo "1..$n"
  exit $failed
fi

# check: on a clean system.
dir=$(cd "$dir" && pwd)
work=$(mktemp -d)
trap 'rm -f "$tap_log"; rm -rf "$work"' EXIT
packages=(gimp-neural-style gimp-neural-style-data)
# gimp for the plug-in's test: the packages only recommend it.
ok "apt installs the packages (and GIMP)" \
  bash -c "apt-get update -qq && apt-get install -y --no-install-recommends $dir/gimp-neural-style_*.deb $dir/gimp-neural-style-data_*_all.deb gimp"

system_cache_made () {  # the postinst compiled the kernels for the device (PoCL here)
  ls -l /var/cache/gimp-neural-style/programs && [ -n "$(ls -A /var/cache/gimp-neural-style/programs)" ]
}
ok "the postinst compiled the kernels into the system's program cache" system_cache_made

cli_restyle () {
  neural-style --style starry-night -o "$work/cli.png" /usr/share/gimp-neural-style/samples/tubingen.jpg &&
    is_png "$work/cli.png"
}
ok "the installed CLI restyles the installed sample" cli_restyle

. "$(dirname "$0")/gimp-restyle.sh"
restyle_in_gimp () {  # with each installed plug-in (GIMP 2.10's, GIMP 3's)
  local plugin status=1
  for plugin in $(dpkg -L gimp-neural-style | grep '/plug-ins/gimp-neural-style/gimp-neural-style$'); do
    rm -f "$work/gimp.png"
    gimp_restyle "$plugin" /usr/share/gimp-neural-style/scripts \
      /usr/share/gimp-neural-style/samples/tubingen.jpg "$work/gimp.png" && status=0 || return 1
  done
  return $status   # (no plug-in installed: a failure)
}
ok "the installed plug-in restyles the sample in headless GIMP" restyle_in_gimp

# Every file the packages put down, before they go.
dpkg -L "${packages[@]}" 2>/dev/null | sort -u >"$work/files"
ok "apt purges the packages" apt-get purge -y "${packages[@]}"
no_package_left () {  # dpkg has forgotten both packages (not even their configuration)
  local left
  left=$(dpkg-query -W -f '${Package} ${db:Status-Abbrev}\n' "${packages[@]}" 2>/dev/null | grep -v ' un *$')
  [ -z "$left" ] || { echo "still known to dpkg: $left"; return 1; }
}
no_file_left () {
  local path left=0
  while read -r path; do  # the packages' files (the folders they share with others aside)
    if [ -e "$path" ] && [ ! -d "$path" ]; then echo "left: $path"; left=1; fi
  done <"$work/files"
  # Anything else named after the project: caches, folders made by maintainer scripts.
  # Users' own files (/root, /home: GIMP's profile) and this test's are not the packages'.
  local found
  found=$(find / -xdev \( -path /root -o -path /home -o -path /tmp -o -path "$dir" -o -path "$work" \) -prune \
            -o \( -iname '*neural-style*' -o -iname '*neural_style*' \) -print)
  [ -z "$found" ] || { echo "$found" | sed 's/^/left: /'; left=1; }
  return $left
}
ok "dpkg knows neither package any more" no_package_left
ok "nothing of the packages is left" no_file_left
echo "1..$n"
exit $failed
