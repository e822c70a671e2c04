#!/usr/bin/env python3
"""Writes the README's Quick start commands, its `sh` blocks, to OUTDIR/1.sh and OUTDIR/2.sh,
so that CI runs exactly what the README says.  Fails unless there are exactly two."""
import pathlib, re, sys

readme, outdir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
text = readme.read_text(encoding='utf-8')
section = re.search(r'^## Quick start\b.*?$(.*?)(?=^## )', text, re.M | re.S)
if not section:
    sys.exit(f'{readme} has no "## Quick start" section')
blocks = re.findall(r'^```sh\n(.*?)^```', section.group(1), re.M | re.S)
if len(blocks) != 2:
    sys.exit(f'the Quick start of {readme} has {len(blocks)} sh blocks; it must have two')
outdir.mkdir(parents=True, exist_ok=True)
for number, block in enumerate(blocks, 1):
    (outdir / f'{number}.sh').write_text('set -e\n' + block, encoding='utf-8')
