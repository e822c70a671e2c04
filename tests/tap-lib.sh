# TAP helpers for the shell tests that run commands as steps (sourced).
#   ok DESCRIPTION COMMAND...  runs the command (or a function) and prints one TAP line,
#                              with the end of its output as diagnostics when it fails
#   is_png FILE                the file is a non-empty PNG
# The caller sets n=0 failed=0 and tap_log (a scratch file), and ends with
# `echo "1..$n"; exit $failed`.
ok () {
  local what=$1; shift
  n=$((n + 1))
  if "$@" >"$tap_log" 2>&1; then echo "ok $n - $what"
  else echo "not ok $n - $what"; tail -40 "$tap_log" | sed 's/^/# /'; failed=1; fi
}
is_png () { [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
