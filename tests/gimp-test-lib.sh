# Shared by the headless GIMP tests (sourced): a throw-away GIMP profile that
# finds the built plug-in, TAP helpers, and `gimp` to run Script-Fu commands.
#
# Needs: $build, $src (and $gimp_test_needs: more programs to require).  Sets: $tmp (removed on exit), $log, $helper, $cli.
plugin=$build/plugin/gimp-neural-style
cli=$build/tools/neural-style
helper=$build/tests/gimp-test-helper
shared=${NEURAL_STYLE_SHARED_DIR:-$src/../shared}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# GIMP wants each plug-in in a folder of its own name; the build's folder holds
# other files, so a folder here links to it.
export GIMP2_DIRECTORY=$tmp/profile
mkdir -p "$GIMP2_DIRECTORY" "$tmp/plug-ins/gimp-neural-style"
ln -s "$(realpath "$plugin")" "$tmp/plug-ins/gimp-neural-style/gimp-neural-style"
printf '(plug-in-path "${gimp_dir}/plug-ins:${gimp_plug_in_dir}/plug-ins:%s")\n' "$tmp/plug-ins" \
  > "$GIMP2_DIRECTORY/gimprc"
unset GIMP2_PLUGINDIR   # it would hide Script-Fu and make GIMP hang
log=$tmp/gimp.log
: > "$log"

n=0 failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); echo "not ok $n - $1"; failed=1; }
diag () { sed 's/^/# /'; }
check () {  # check DESCRIPTION COMMAND...: ok when the command succeeds
  local what=$1 out; shift
  if out=$("$@" 2>&1); then ok "$what: $out"; else printf '%s\n' "$out" | diag; not_ok "$what"; fi
}
# gimp SCHEME-FILE COMMAND...: one headless GIMP running each command after
# loading SCHEME-FILE (each -b starts afresh); its messages go to $log.
gimp () {
  local scm=$1 args=() c; shift
  for c in "$@"; do args+=(-b "(begin (load \"$scm\") $c)"); done
  timeout 600 gimp-console-2.10 -i "${args[@]}" -b '(gimp-quit 0)' >> "$log" 2>&1
  echo "# gimp exited with status $?"
}
finish () {  # prints the plan (and GIMP's log on failure) and exits
  if [ "$failed" -ne 0 ]; then echo "# GIMP's log:"; diag < "$log"; fi
  echo "1..$n"
  exit "$failed"
}
for f in "$plugin" "$cli" "$helper"; do
  [ -x "$f" ] || { echo "1..1"; echo "not ok 1 - $f was not built"; exit 1; }
done
for p in gimp-console-2.10 ${gimp_test_needs:-}; do
  command -v "$p" > /dev/null || { echo "1..1"; echo "not ok 1 - $p is missing (see tests/ci-packages.txt)"; exit 1; }
done
