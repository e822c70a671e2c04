#!/usr/bin/env python3
"""AdaIN against Gatys on the pairs both methods ran, from results.csv files.

    python3 tools/eval-compare.py RESULTS.csv [MORE.csv ...]

Reads the rows of `neural-style eval` (several files are merged: e.g. a full
AdaIN grid and a Gatys subset) and prints Markdown:
  1. per method and setting, over every row: count, mean and standard
     deviation of E and C, mean losses and seconds;
  2. on the content x style pairs that both methods ran: the same means, and
     for each Gatys setting the AdaIN alpha of nearest mean C ("equal content
     balance") and of nearest mean E ("equal style strength"), with the
     per-pair wins of each method at that balance.
Standard library only.
"""
import csv
import statistics
import sys
from collections import defaultdict


def load(paths):
    rows = []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                for k in ("E", "C", "content_loss", "gram_style_loss", "adain_style_loss", "seconds", "peak_mib"):
                    r[k] = float(r[k])
                rows.append(r)
    return rows


def groups(rows):
    g = defaultdict(list)
    for r in rows:
        g[(r["method"], float(r["setting"]))].append(r)
    return dict(sorted(g.items()))


def mean_sd(values):
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def table(rows, title):
    print(f"\n### {title}\n")
    print("| method | setting | results | E mean ± sd | C mean ± sd | content loss | Gram style loss | AdaIN style loss | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (method, setting), rs in groups(rows).items():
        e, esd = mean_sd([r["E"] for r in rs])
        c, csd = mean_sd([r["C"] for r in rs])
        print(f"| {method} | {setting:g} | {len(rs)} | {e:.3f} ± {esd:.3f} | {c:.3f} ± {csd:.3f} "
              f"| {statistics.fmean(r['content_loss'] for r in rs):.4g} "
              f"| {statistics.fmean(r['gram_style_loss'] for r in rs):.4g} "
              f"| {statistics.fmean(r['adain_style_loss'] for r in rs):.4g} "
              f"| {statistics.fmean(r['seconds'] for r in rs):.2f} |")


def compare(rows):
    pairs = defaultdict(set)
    for r in rows:
        pairs[r["method"]].add((r["content"], r["style"]))
    common = pairs.get("adain", set()) & pairs.get("gatys", set())
    if not common:
        print("\nNo content x style pair was run by both methods.")
        return
    shared = [r for r in rows if (r["content"], r["style"]) in common]
    table(shared, f"The {len(common)} pairs both methods ran")
    g = groups(shared)
    by_pair = {key: {(r["content"], r["style"]): r for r in rs} for key, rs in g.items()}
    adain = {s: rs for (m, s), rs in g.items() if m == "adain"}
    print("\n### Gatys against AdaIN at equal balance (per pair)\n")
    print("| Gatys style weight | balance | AdaIN alpha | Gatys E / C | AdaIN E / C | pairs where AdaIN has higher E | higher C | both |")
    print("|---|---|---|---|---|---|---|---|")
    for (method, setting), rs in g.items():
        if method != "gatys":
            continue
        ge = statistics.fmean(r["E"] for r in rs)
        gc = statistics.fmean(r["C"] for r in rs)
        for balance, key in (("equal C", "C"), ("equal E", "E")):
            target = gc if key == "C" else ge
            alpha = min(adain, key=lambda a: abs(statistics.fmean(r[key] for r in adain[a]) - target))
            ae = statistics.fmean(r["E"] for r in adain[alpha])
            ac = statistics.fmean(r["C"] for r in adain[alpha])
            wins_e = wins_c = wins_both = 0
            for pair, gr in by_pair[(method, setting)].items():
                ar = by_pair[("adain", alpha)][pair]
                wins_e += ar["E"] > gr["E"]
                wins_c += ar["C"] > gr["C"]
                wins_both += ar["E"] > gr["E"] and ar["C"] > gr["C"]
            n = len(rs)
            print(f"| {setting:g} | {balance} | {alpha:g} | {ge:.3f} / {gc:.3f} | {ae:.3f} / {ac:.3f} "
                  f"| {wins_e}/{n} | {wins_c}/{n} | {wins_both}/{n} |")


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    rows = load(argv[1:])
    table(rows, "Every result")
    compare(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
