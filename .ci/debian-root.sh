# Brand-new Debian roots for CI, sourced by .ci/run.
#
#   root_base RELEASE        -> NS_CI_BASE: the cached minbase root (debootstrapped once, kept
#                               in $NS_CI_CACHE keyed by the release and the debootstrap arguments)
#   root_fresh RELEASE DIR   -> DIR becomes a fresh copy of that root (so each run installs
#                               everything itself), with /proc, /sys and /dev mounted
#   root_release DIR         -> unmounts what is mounted under DIR and deletes DIR
#   root_release_all         -> the same for every root still held (for the EXIT trap)
#   root_bind_caches DIR RELEASE -> binds the caches a root shares with later runs
#   root_copy_sources DIR    -> the checkout to DIR/src/gimp-neural-style, ../shared to DIR/src/shared
#   root_run DIR CWD SCRIPT  -> runs SCRIPT with bash as root in DIR, in CWD
#
# The caller sets `trap root_release_all EXIT` so that no mount outlives the script.

NS_CI_CACHE=${NS_CI_CACHE:-/var/cache/gimp-neural-style-ci}
NS_CI_MIRROR=${NS_CI_MIRROR:-http://deb.debian.org/debian}
NS_CI_WORK=${NS_CI_WORK:-/var/tmp/gimp-neural-style-ci}
NS_CI_ROOTS=()

root_base () {  # sets NS_CI_BASE
  local release=$1
  local args=(--variant=minbase "$release")
  local key
  key=$(printf '%s\n' "${args[@]}" "$NS_CI_MIRROR" "$(dpkg-query -W -f '${Version}' debootstrap)" |
        sha256sum | cut -c1-12)
  NS_CI_BASE=$NS_CI_CACHE/$release-$key
  [ -f "$NS_CI_BASE/.complete" ] && return 0
  echo "debootstrap ${args[*]} (kept in $NS_CI_BASE)" >&2
  local tmp=$NS_CI_BASE.tmp
  NS_CI_ROOTS+=("$tmp")  # debootstrap mounts /proc and /sys in it: released on any exit
  root_release "$tmp" || return 1
  mkdir -p "$NS_CI_CACHE"
  debootstrap "${args[@]}" "$tmp" "$NS_CI_MIRROR" >"$NS_CI_BASE.log" 2>&1 ||
    { tail -20 "$NS_CI_BASE.log" >&2; echo "debootstrap $release failed" >&2; return 1; }
  root_unmount "$tmp" || return 1
  touch "$tmp/.complete"
  rm -rf --one-file-system "$NS_CI_BASE"
  mv "$tmp" "$NS_CI_BASE"
}

root_fresh () {
  local release=$1 dir=$2
  root_base "$release" || return 1
  NS_CI_ROOTS+=("$dir")
  root_release "$dir" || return 1
  mkdir -p "$(dirname "$dir")"
  cp -a "$NS_CI_BASE" "$dir"
  rm -f "$dir/.complete"
  cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
  mount -t proc proc "$dir/proc"
  mount -t sysfs sysfs "$dir/sys"
  mount --rbind /dev "$dir/dev"
  mount --make-rslave "$dir/dev"
}

# Binds a host folder (created if missing) over a folder of the root.
root_bind () {  # root_bind ROOT HOST_DIR ROOT_DIR
  mkdir -p "$2" "$1$3"
  mount --bind "$2" "$1$3"
}

# The caches a root shares with later runs: downloaded packages, and PoCL's compiled
# kernels (keyed by the PoCL version the root is about to install).
root_bind_caches () {  # root_bind_caches ROOT RELEASE
  local root=$1 release=$2 pocl
  root_bind "$root" "$NS_CI_CACHE/apt-archives-$release" /var/cache/apt/archives
  root_run "$root" / 'apt-get update -qq'
  pocl=$(root_run "$root" / 'apt-cache policy pocl-opencl-icd' | awk '/Candidate:/ { print $2 }')
  root_bind "$root" "$NS_CI_CACHE/pocl-$release-${pocl:-unknown}" /root/.cache/pocl
}

# Ends what still runs chrooted in DIR (a daemon a test started), then unmounts everything
# under DIR, deepest first (binds under /root, /dev's submounts, ...).
root_unmount () {
  local dir=$1 m pid
  for pid in $(ls /proc | grep -x '[0-9]*'); do
    case $(readlink "/proc/$pid/root" 2>/dev/null) in
      "$dir"|"$dir"/*) kill -KILL "$pid" 2>/dev/null || true ;;
    esac
  done
  mounts_under () { awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo; }
  for m in $(mounts_under | sort -r); do umount -l "$m" 2>/dev/null || true; done
  [ -z "$(mounts_under)" ] || { echo "could not unmount everything under $dir" >&2; return 1; }
}

root_release () {
  local dir=$1
  [ -n "$dir" ] && [ -e "$dir" ] || return 0
  root_unmount "$dir" || return 1
  rm -rf --one-file-system "$dir"
}

root_release_all () {
  local dir
  for dir in "${NS_CI_ROOTS[@]}"; do root_release "$dir" || true; done
  NS_CI_ROOTS=()
}

root_copy_sources () {  # root_copy_sources ROOT (from the checkout, the current directory)
  local root=$1
  mkdir -p "$root/src/gimp-neural-style" "$root/src/shared"
  # What a fresh clone holds: the tracked files and new ones not ignored (no build folders).
  git ls-files -z --cached --others --exclude-standard |
    tar --null -T - -cf - | tar -xf - -C "$root/src/gimp-neural-style"
  cp -a ../shared/. "$root/src/shared/"
}

# Runs a bash script as root inside ROOT, in DIR, with a clean environment.
root_run () {  # root_run ROOT DIR SCRIPT
  chroot "$1" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive \
    /bin/bash -c "cd \"\$1\" && eval \"\$2\"" bash "$2" "$3"
}
