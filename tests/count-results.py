#!/usr/bin/env python3
"""Counts test results from meson's testlog.json files, one per TAP subtest
(a program that fails without reporting a failing subtest counts once more),
prints "N passed, N failed, N skipped" and exits 1 if anything failed."""
import json, re, sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as log:
        for line in log:
            test = json.loads(line)
            out = test.get('stdout') or ''
            oks = re.findall(r'^ok \d+.*$', out, re.M)
            bad = re.findall(r'^not ok \d+.*$', out, re.M)
            skips = [l for l in oks if re.search(r'#\s*SKIP', l, re.I)]
            result = test['result']
            if not oks and not bad:   # not TAP, or died before any subtest
                if result in ('OK', 'EXPECTEDFAIL'):
                    passed += 1
                elif result == 'SKIP':
                    skipped += 1
                else:
                    failed += 1
                continue
            passed += len(oks) - len(skips)
            skipped += len(skips)
            failed += len(bad)
            if result not in ('OK', 'EXPECTEDFAIL', 'SKIP') and not bad:
                failed += 1
print(f'{passed} passed, {failed} failed, {skipped} skipped')
sys.exit(1 if failed or passed == 0 else 0)
