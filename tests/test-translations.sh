#!/usr/bin/env bash
# The gettext translations, as a TAP test.
#
#   test-translations.sh BUILD_DIR SOURCE_DIR
#
#   1. po/zh_CN.po compiles with `msgfmt --check`, with nothing untranslated or fuzzy;
#   2. every message the sources hold today (extracted afresh with xgettext from the
#      files in po/POTFILES) is translated in po/zh_CN.po, and no C file that marks
#      strings for translation is missing from po/POTFILES;
#   3. the built CLI, pointed at the compiled catalogue through $NEURAL_STYLE_LOCALEDIR,
#      prints its messages in Chinese.
#
# Needs gettext (msgfmt, msgcmp, xgettext, gettext) and, on Debian 13, the locales
# package (the CLI's check builds a zh_CN.UTF-8 locale in its scratch folder; Debian
# 12's built-in C.UTF-8 serves when it is missing).
set -u

build=${1:?usage: test-translations.sh BUILD_DIR SOURCE_DIR}
src=${2:?usage: test-translations.sh BUILD_DIR SOURCE_DIR}
domain=gimp-neural-style
po=$src/po/zh_CN.po

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
ok () { echo "ok $1 - $2"; }
not_ok () { echo "not ok $1 - $2"; failed=1; }
diag () { sed 's/^/# /'; }

echo "1..3"

# --- 1: the catalogue is valid and complete -------------------------------------------
if stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) \
   && ! grep -qE 'untranslated|fuzzy' <<<"$stats"; then
  ok 1 "zh_CN.po compiles cleanly: $stats"
else
  printf '%s\n' "$stats" | diag
  not_ok 1 "zh_CN.po: msgfmt --check failed or messages are untranslated or fuzzy"
fi

# --- 2: every message in the sources has a translation --------------------------------
# The same keywords as meson's i18n.gettext(preset: 'glib').
xgettext_args=(--from-code=UTF-8 --language=C
               --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
               --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3)
problems=$tmp/problems
: > "$problems"
if ! (cd "$src" && LC_ALL=C xgettext "${xgettext_args[@]}" --force-po \
        --package-name="$domain" --files-from=po/POTFILES -o "$tmp/new.pot") 2> "$tmp/xgettext.log"; then
  { echo "xgettext failed:"; cat "$tmp/xgettext.log"; } >> "$problems"
elif ! LC_ALL=C msgcmp -N "$po" "$tmp/new.pot" > "$tmp/msgcmp.log" 2>&1; then
  { echo "messages in the sources without a translation in po/zh_CN.po" \
         "(run 'ninja -C BUILD $domain-update-po' and translate them):"
    cat "$tmp/msgcmp.log"; } >> "$problems"
fi
# A C file that marks strings but is not in POTFILES would go untranslated silently.
for dir in opencl weights engine tools plugin; do
  [ -d "$src/$dir" ] || continue
  while IFS= read -r file; do
    grep -qxF "$file" "$src/po/POTFILES" && continue
    rm -f "$tmp/one.pot"
    (cd "$src" && LC_ALL=C xgettext "${xgettext_args[@]}" -o "$tmp/one.pot" "$file") 2>/dev/null
    if [ -s "$tmp/one.pot" ]; then
      echo "$file marks strings for translation but is not listed in po/POTFILES" >> "$problems"
    fi
  done < <(cd "$src" && find "$dir" -name '*.c' -type f | LC_ALL=C sort)
done
if [ -s "$problems" ]; then
  diag < "$problems"
  not_ok 2 "po/zh_CN.po and po/POTFILES are out of date with the sources"
else
  ok 2 "every message in the files of po/POTFILES is translated ($(grep -c '^msgid ' "$tmp/new.pot") msgids incl. header)"
fi

# --- 3: the CLI speaks Chinese ---------------------------------------------------------
cli=$build/tools/neural-style
mkdir -p "$tmp/locale/zh_CN/LC_MESSAGES"
msgid='%s is %s; it must lie between %s and %s.'
if [ ! -x "$cli" ]; then
  not_ok 3 "the CLI $cli was not built"
elif ! msgfmt -o "$tmp/locale/zh_CN/LC_MESSAGES/$domain.mo" "$po" 2> "$tmp/msgfmt.log"; then
  diag < "$tmp/msgfmt.log"
  not_ok 3 "msgfmt could not compile $po"
else
  source "$src/tests/zh-locale.sh"
  zh_locale_prepare "$tmp"
  l10n_env=(NEURAL_STYLE_LOCALEDIR="$tmp/locale" "${zh_env[@]}")
  # The expected text, looked up in the same catalogue by gettext(1).
  msgstr=$(env "${l10n_env[@]}" TEXTDOMAINDIR="$tmp/locale" gettext -e -d "$domain" -- "$msgid")
  # shellcheck disable=SC2059  # the translation is the format, as in the CLI
  expected=$(LC_ALL=C.UTF-8 printf -- "$msgstr" --alpha 1.5 0 1)
  env "${l10n_env[@]}" "$cli" --alpha 1.5 --style x -o "$tmp/never.png" y \
    > "$tmp/stdout" 2> "$tmp/stderr"
  status=$?
  if [ "$msgstr" = "$(printf '%b' "$msgid")" ] || [ "${msgstr//[[:ascii:]]/}" = "" ]; then
    echo "gettext(1) did not translate \"$msgid\" with LANGUAGE=zh_CN LC_ALL=$zh_locale" | diag
    not_ok 3 "the catalogue has no Chinese translation of the --alpha message (or the locale does not work)"
  elif [ "$status" -ne 2 ] || ! grep -qF -- "$expected" "$tmp/stderr" || [ -e "$tmp/never.png" ]; then
    { echo "exit status $status (expected 2)"; echo "expected on stderr: $expected"
      echo "stderr was:"; cat "$tmp/stderr"; } | diag
    not_ok 3 "neural-style did not report the bad --alpha in Chinese"
  else
    ok 3 "neural-style --alpha 1.5 says: $expected"
  fi
fi

exit "$failed"
