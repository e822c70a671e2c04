#!/usr/bin/env bash
# Installs the Debian packages that building and testing gimp-neural-style need,
# for the Debian release it runs on (read from /etc/os-release): 12 gets GIMP 2.10
# (libgimp2.0-dev), 13 GIMP 3 (libgimp-3.0-dev).  The lists are tools/packages/*.txt.
#
#   tools/install-packages.sh [LIST...]            as root; LIST: build, test, package
#                                                  (default: build test)
#   tools/install-packages.sh --missing [LIST...]  prints the packages of the lists that
#                                                  are not installed; installs nothing
set -eu
lists_dir=$(dirname "$0")/packages

missing_only=false
if [ "${1:-}" = --missing ]; then missing_only=true; shift; fi
[ $# -gt 0 ] || set -- build test

version=$(. /etc/os-release && echo "${VERSION_ID:-}")
case $version in
  12|13) ;;
  *) echo "This is not Debian 12 or 13 (VERSION_ID '$version' in /etc/os-release): install the" \
          "packages of $lists_dir/*.txt that your system calls by other names." >&2
     exit 1 ;;
esac

packages=()
for list in "$@"; do
  for file in "$lists_dir/$list.txt" "$lists_dir/$list-debian-$version.txt"; do
    [ -f "$file" ] || continue
    while read -r name _; do
      case $name in ''|'#'*) ;; *) packages+=("$name") ;; esac
    done <"$file"
  done
  [ -f "$lists_dir/$list.txt" ] || { echo "No package list '$list' in $lists_dir." >&2; exit 2; }
done

if $missing_only; then
  for name in "${packages[@]}"; do
    dpkg-query -W -f '${db:Status-Status}\n' "$name" 2>/dev/null | grep -qx installed || echo "$name"
  done
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "Installing packages needs root: run it with sudo, or as root." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
