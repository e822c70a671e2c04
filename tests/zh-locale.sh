# Sourced by the tests in Chinese.  zh_locale_prepare SCRATCH sets $zh_locale, the
# locale to run them in, and $zh_env, the variables to run them with.  LANGUAGE=zh_CN
# needs a locale that gettext does not take for C: Debian 12's C.UTF-8 is one, Debian
# 13's (glibc's own) is not; so an installed zh_CN.UTF-8, or one built in SCRATCH with
# localedef from the locales package's sources (a fresh Debian 13 has none generated),
# else C.UTF-8.
zh_locale_prepare () {
  zh_locale=C.UTF-8
  zh_env=()
  if locale -a 2> /dev/null | grep -qix 'zh_CN\.utf-\?8'; then
    zh_locale=zh_CN.UTF-8
  elif [ -d /usr/share/i18n/locales ] && mkdir -p "$1/locales" \
       && localedef -i zh_CN -f UTF-8 "$1/locales/zh_CN.UTF-8" 2> /dev/null; then
    zh_locale=zh_CN.UTF-8
    zh_env=(LOCPATH="$1/locales")
  fi
  zh_env+=(LANGUAGE=zh_CN LANG="$zh_locale" LC_ALL="$zh_locale")
}
