#!/usr/bin/env bash
# The benchmark program and its ratio script, as a TAP test: a tiny run of
# neural-style-bench must print a well-formed Markdown row per method and
# size with positive times, and tools/bench-ratios.py must pair those rows
# with a PyTorch log written in torch_baseline.py's format.
#
#   test-bench.sh BENCH_EXE SOURCE_DIR
set -u
bench=${1:?usage: test-bench.sh BENCH_EXE SOURCE_DIR}
src=${2:?usage: test-bench.sh BENCH_EXE SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
ok () { echo "ok $1 - $2"; }
not_ok () { echo "not ok $1 - $2"; failed=1; }
echo "1..3"

if "$bench" --device 0 --sizes 32,48 --reps 1 >"$tmp/bench.md" 2>"$tmp/err"; then
  ok 1 "neural-style-bench ran"
else
  sed 's/^/# /' "$tmp/err"; not_ok 1 "neural-style-bench ran"
fi

# Rows: | method | N² | cold s | cached s | median ms | runs | preview | peak MiB |, every number > 0.
rows=$(python3 - "$tmp/bench.md" <<'PY'
import re, sys
good = 0
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"^\| (AdaIN|Gatys iteration) \| (\d+)² \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| (\d+) \| ([\d.]+|–) \| ([\d.]+) \|$", line.strip())
    if m and all(float(m.group(i)) > 0 for i in (3, 4, 5, 8)) and (m.group(7) != "–") == (m.group(1) == "AdaIN"):
        good += 1
print(good)
PY
)
if [ "$rows" = 4 ]; then ok 2 "four well-formed rows (AdaIN and Gatys at 32² and 48²)"
else sed 's/^/# /' "$tmp/bench.md"; not_ok 2 "four well-formed rows, found $rows"; fi

cat >"$tmp/torch.log" <<'LOG'
adain tf32=False 32x32: median 2.00 ms, peak 10 MiB
adain tf32=True 32x32: median 1.00 ms, peak 10 MiB
gatys fwd+bwd tf32=False 48x48: median 4.00 ms, peak 10 MiB
LOG
python3 "$src/tools/bench-ratios.py" "$tmp/bench.md" "$tmp/torch.log" >"$tmp/ratios.md" 2>&1
if python3 - "$tmp/bench.md" "$tmp/ratios.md" <<'PY'
import re, sys
bench = {}
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"^\| (AdaIN|Gatys iteration) \| (\d+)² \|[^|]*\|[^|]*\| ([\d.]+) \|", line)
    if m:
        bench[(m.group(1), m.group(2))] = float(m.group(3))
ratios = {}
for line in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r"^\| (AdaIN|Gatys iteration) \| (\d+)² \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|", line)
    if m:
        ratios[(m.group(1), m.group(2))] = float(m.group(5))
want = {("AdaIN", "32"): bench[("AdaIN", "32")] / 2.0, ("Gatys iteration", "48"): bench[("Gatys iteration", "48")] / 4.0}
assert set(ratios) == set(want), ratios
for key, value in want.items():
    assert abs(ratios[key] - value) <= 0.01 * value + 0.005, (key, ratios[key], value)
PY
then ok 3 "bench-ratios.py pairs the rows with PyTorch's and divides right"
else sed 's/^/# /' "$tmp/ratios.md"; not_ok 3 "bench-ratios.py pairs the rows with PyTorch's and divides right"; fi
exit $failed
