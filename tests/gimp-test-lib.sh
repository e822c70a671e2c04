# Shared by the headless GIMP tests (sourced): a throw-away GIMP profile that
# finds the built plug-in, TAP helpers, and `gimp` to run Script-Fu commands.
#
# Needs: $build, $src (and $gimp_test_needs: more programs to require; $gimp_version: 2 (2.10, the
# default) or 3).  Sets: $tmp (removed on exit), $log, $helper, $cli, $console (the headless GIMP).
gimp_version=${gimp_version:-2}
plugin=$build/plugin/gimp$gimp_version/gimp-neural-style
cli=$build/tools/neural-style
helper=$build/tests/gimp-test-helper
shared=${NEURAL_STYLE_SHARED_DIR:-$src/../shared}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# GIMP wants each plug-in in a folder of its own name; the build's folder holds
# other files, so a folder here links to it.
profile=$tmp/profile
if [ "$gimp_version" = 3 ]; then export GIMP3_DIRECTORY=$profile console=gimp-console-3.0
else export GIMP2_DIRECTORY=$profile console=gimp-console-2.10; fi
mkdir -p "$profile" "$tmp/plug-ins/gimp-neural-style"
ln -s "$(realpath "$plugin")" "$tmp/plug-ins/gimp-neural-style/gimp-neural-style"
printf '(plug-in-path "${gimp_dir}/plug-ins:${gimp_plug_in_dir}/plug-ins:%s")\n' "$tmp/plug-ins" \
  > "$profile/gimprc"
unset GIMP2_PLUGINDIR   # it would hide Script-Fu and make GIMP hang
# The locale for the tests in Chinese ($zh_locale, and $zh_env to run them with).
source "$src/tests/zh-locale.sh"
zh_locale_prepare "$tmp"
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
# value CASE KEY: what the Script-Fu side reported ("NSTEST CASE KEY=value" in $log)
value () { sed -n "s/^.*NSTEST $1 $2=//p" "$log" | tail -n 1; }

# --- GIMP with its windows, in the background as $gimp_pid ---
wait_gimp () {  # waits for GIMP to exit and reports its status
  wait "$gimp_pid"
  echo "# gimp exited with status $?"
}
wait_window () {  # wait_window NAME-REGEX [SECONDS]: prints the ID of the window once it is shown (default 120 s)
  local w i
  for ((i = 0; i < ${2:-120} * 5; i++)); do
    w=$(xdotool search --onlyvisible --name "$1" 2> /dev/null | head -n 1)
    [ -n "$w" ] && { echo "$w"; return 0; }
    kill -0 "$gimp_pid" 2> /dev/null || return 1
    sleep 0.2
  done
  return 1
}
wait_gone () {  # wait_gone NAME-REGEX [SECONDS]: until no such window is shown (IDs are reused; default 60 s)
  local i
  for ((i = 0; i < ${2:-60} * 5; i++)); do
    xdotool search --onlyvisible --name "$1" > /dev/null 2>&1 || return 0
    sleep 0.2
  done
  return 1
}
press () {  # press WINDOW KEY
  xdotool windowfocus --sync "$1" && sleep 0.5 && xdotool key "$2"
}
# GIMP (-n: a new instance, -s: no splash, -d/-f: no brushes or fonts to load)
# running its Script-Fu server on a free local port: sets $port and $gimp_pid.
start_script_fu_server () {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  timeout 500 gimp-2.10 -n -s -d -f \
    -b "(plug-in-script-fu-server RUN-NONINTERACTIVE \"127.0.0.1\" $port \"\")" >> "$log" 2>&1 &
  gimp_pid=$!
}
sf () {  # sf EXPRESSION...: the server's replies, one a line; fails on an error reply
  python3 "$src/tests/script-fu-client.py" --wait 300 "$port" "$@" 2>> "$log"
}
quit () {  # asks the server's GIMP to quit, and stops it if it does not
  python3 "$src/tests/script-fu-client.py" "$port" '(gimp-quit 1)' > /dev/null 2>&1
  for _ in $(seq 1 60); do kill -0 "$gimp_pid" 2> /dev/null || break; sleep 0.5; done
  kill "$gimp_pid" 2> /dev/null   # still there: `timeout` passes the signal on to GIMP
  wait_gimp
}

# ok_then_cancel SCREENSHOT [SECONDS]: the dialog of the first interactive run (a screenshot of the
# screen once its preview had time to appear), OK; then the second run's dialog, OK, and Cancel in
# its progress window.  Sets $pressed (yes: Cancel was pressed; on a fast device the run may end
# before its window can be caught, and then the layer is there).
ok_then_cancel () {
  local window second progress
  if window=$(wait_window '^Neural Style Transfer$' "${2:-120}"); then ok "the dialog opened over GIMP"
  else not_ok "the dialog opened over GIMP"; fi
  sleep 10   # the engine starts and the preview appears
  if [ -n "$window" ] && "$build/tests/x-screenshot" "$1" && [ "$(stat -c %s "$1")" -gt 10000 ]; then
    ok "screenshot of the dialog over GIMP: $1"
  else not_ok "a screenshot was saved"; fi
  [ -n "$window" ] && press "$window" alt+o
  wait_gone '^Neural Style Transfer$'
  wait_gone '^Restyling the layer'
  pressed=no
  if second=$(wait_window '^Neural Style Transfer$'); then
    press "$second" alt+o
    if progress=$(wait_window '^Restyling the layer') && press "$progress" alt+c; then pressed=yes; fi
  else not_ok "the dialog opened a second time"; fi
}

finish () {  # prints the plan (and GIMP's log on failure) and exits
  if [ "$failed" -ne 0 ]; then echo "# GIMP's log:"; diag < "$log"; fi
  echo "1..$n"
  exit "$failed"
}
for f in "$plugin" "$cli" "$helper"; do
  [ -x "$f" ] || { echo "1..1"; echo "not ok 1 - $f was not built"; exit 1; }
done
for p in $console ${gimp_test_needs:-}; do
  command -v "$p" > /dev/null || { echo "1..1"; echo "not ok 1 - $p is missing (tools/install-packages.sh installs it)"; exit 1; }
done
