#!/usr/bin/env bash
# tools/eval-compare.py, as a TAP test: on a hand-made results.csv whose
# answers are known, it must merge two files, group by method and setting,
# find the pairs both methods ran, pick the AdaIN alpha of nearest mean C
# and E for each Gatys setting, and count the per-pair wins right.
#
#   test-eval-compare.sh SOURCE_DIR
set -u
src=${1:?usage: test-eval-compare.sh SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..3"
failed=0
header=content,style,method,setting,E,C,content_loss,gram_style_loss,adain_style_loss,seconds,peak_mib
# AdaIN on pairs a/s, b/s and c/t (c/t has no Gatys run); Gatys on a/s and b/s.
cat >"$tmp/adain.csv" <<CSV
$header
a,s,adain,0.5,2.0,0.50,1,1,1,1,10
a,s,adain,1,4.0,0.30,1,1,1,1,10
b,s,adain,0.5,2.2,0.40,1,1,1,1,10
b,s,adain,1,4.4,0.20,1,1,1,1,10
c,t,adain,0.5,9.0,0.90,1,1,1,1,10
c,t,adain,1,9.0,0.90,1,1,1,1,10
CSV
cat >"$tmp/gatys.csv" <<CSV
$header
a,s,gatys,3000,4.1,0.45,1,1,1,60,20
b,s,gatys,3000,4.2,0.45,1,1,1,60,20
CSV
out=$(python3 "$src/tools/eval-compare.py" "$tmp/adain.csv" "$tmp/gatys.csv" 2>&1)
status=$?
[ $status = 0 ] && echo "ok 1 - eval-compare.py ran on two files" || { echo "$out" | sed 's/^/# /'; echo "not ok 1 - eval-compare.py ran"; failed=1; }
# Every result: AdaIN alpha 1 over 3 pairs has mean E (4+4.4+9)/3 = 5.8.
echo "$out" | grep -qF '| adain | 1 | 3 | 5.800 ±' && echo "$out" | grep -qF '### The 2 pairs both methods ran' \
  && echo "ok 2 - groups every row and finds the 2 shared pairs" \
  || { echo "$out" | sed 's/^/# /'; echo "not ok 2 - groups every row and finds the 2 shared pairs"; failed=1; }
# Shared pairs: Gatys E 4.15, C 0.45; AdaIN 0.5: E 2.1, C 0.45 (equal C), the higher C on pair a
# only (0.50 > 0.45); AdaIN 1: E 4.2 (equal E), C 0.25, the higher E on pair b only (4.4 > 4.2).
echo "$out" | grep -qF '| 3000 | equal C | 0.5 | 4.150 / 0.450 | 2.100 / 0.450 | 0/2 | 1/2 | 0/2 |' \
  && echo "$out" | grep -qF '| 3000 | equal E | 1 | 4.150 / 0.450 | 4.200 / 0.250 | 1/2 | 0/2 | 0/2 |' \
  && echo "ok 3 - the equal-balance rows pick the right alphas and count the wins" \
  || { echo "$out" | sed 's/^/# /'; echo "not ok 3 - the equal-balance rows pick the right alphas and count the wins"; failed=1; }
exit $failed
