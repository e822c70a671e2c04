#!/usr/bin/env python3
"""Ratios of the engine's times to PyTorch's, from one device call.

    python3 tools/bench-ratios.py BENCH.md TORCH.LOG

BENCH.md is neural-style-bench's Markdown output, TORCH.LOG what
../shared/gpu/torch_baseline.py printed in the same call.  Prints a Markdown
table: per method and size, the engine's warm median, PyTorch float32 (TF32
off) and with TF32, and engine / PyTorch fp32 (below 1: the engine is faster).
Standard library only: it runs on the lent machine.
"""
import re
import sys

TORCH_LINE = re.compile(r"^(adain|gatys fwd\+bwd) tf32=(True|False) (\d+)x\d+: median ([\d.]+) ms")
BENCH_ROW = re.compile(r"^\| (AdaIN|Gatys iteration) \| (\d+)² \|(.*)\|\s*$")
DEVICE = re.compile(r"^### (.*)")


def torch_times(lines):
    times = {}
    for line in lines:
        m = TORCH_LINE.match(line.strip())
        if m:
            method = "AdaIN" if m.group(1) == "adain" else "Gatys iteration"
            times[(method, int(m.group(3)), m.group(2) == "True")] = float(m.group(4))
    return times


def engine_times(lines):
    """{device: {(method, size): warm median ms}} in the order of the file."""
    devices, current = {}, None
    for line in lines:
        m = DEVICE.match(line)
        if m:
            current = devices.setdefault(m.group(1), {})
            continue
        m = BENCH_ROW.match(line)
        if m and current is not None:
            cells = [c.strip() for c in m.group(3).split("|")]
            current[(m.group(1), int(m.group(2)))] = float(cells[2])   # the warm median
    return devices


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        engine = engine_times(f.read().splitlines())
    with open(argv[2], encoding="utf-8") as f:
        torch = torch_times(f.read().splitlines())
    if not engine or not torch:
        sys.stderr.write("bench-ratios: no engine rows or no PyTorch lines found\n")
        return 1
    for device, rows in engine.items():
        print(f"\n### {device} against PyTorch in the same call\n")
        print("| method | size | engine warm median (ms) | PyTorch fp32 (ms) | engine / PyTorch fp32 | PyTorch TF32 (ms) |")
        print("|---|---|---|---|---|---|")
        for (method, size), ms in rows.items():
            fp32, tf32 = torch.get((method, size, False)), torch.get((method, size, True))
            if fp32 is None:
                continue
            tf32_text = f"{tf32:.2f}" if tf32 is not None else "–"
            print(f"| {method} | {size}² | {ms:.2f} | {fp32:.2f} | {ms / fp32:.2f} | {tf32_text} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
