#!/usr/bin/env python3
"""tools/onnx-baseline.py's parts that need neither onnxruntime nor numpy, as a
TAP test: medians and ratios as the table prints them, the engine option's
parsing, the alternating order of a round, its layer list against the
weights' own headers, and a clean skip where onnxruntime is missing.

    test-onnx-baseline.py SOURCE_DIR
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap_check import Tap, raises  # noqa: E402

src = sys.argv[1]
spec = importlib.util.spec_from_file_location("onnx_baseline", os.path.join(src, "tools", "onnx-baseline.py"))
baseline = importlib.util.module_from_spec(spec)
spec.loader.exec_module(baseline)

tap = Tap()
check = tap.check


check("median of odd and even counts", baseline.median([3, 1, 2]) == 2 and baseline.median([4, 1, 3, 2]) == 2.5)
check("ratio with two decimals", baseline.ratio_text(1726.0, 1110.0) == "1.55" and baseline.ratio_text(50, 100) == "0.50")
check("no ratio of non-positive times", raises(baseline.ratio_text, 1.0, 0.0) and raises(baseline.ratio_text, -1.0, 2.0))

lines = baseline.table([(512, {"ort": [100.0, 120.0, 110.0], "a": [90.0, 400.0, 80.0]}),
                        (1024, {"ort": [400.0], "a": [600.0]})], ["a"], 2)
want = ["| size | rounds | ONNX Runtime (2 threads) warm median (ms) | a warm median (ms) | a / ORT |",
        "|---|---|---|---|---|",
        "| 512² | 3 | 110.0 | 90.0 | 0.82 |",
        "| 1024² | 1 | 400.0 | 600.0 | 1.50 |"]
check("Markdown table of medians and ratios", lines == want, "\n".join(lines))

check("engine option", baseline.engine_spec("f4=build,NEURAL_STYLE_CONV=winograd4,X=1")
      == ("f4", "build", {"NEURAL_STYLE_CONV": "winograd4", "X": "1"}))
check("bad engine options refused", raises(baseline.engine_spec, "build") and raises(baseline.engine_spec, "a=b,c"))

orders = [baseline.round_order(r, ["a", "b"]) for r in range(2)]
check("rounds alternate the order", orders == [["ort", "a", "b"], ["b", "a", "ort"]], orders)

weights = os.path.join(src, "..", "shared", "weights")
ok, detail = True, []
for file, layers in (("vgg19-conv.safetensors", baseline.ENCODER), ("adain-decoder.safetensors", baseline.DECODER)):
    with open(os.path.join(weights, file), "rb") as f:
        data = f.read()
    header, _ = baseline.safetensors_header(data)
    for layer in layers:
        if isinstance(layer, tuple):
            name, c_in, c_out = layer
            shape = header.get(name + ".weight", {}).get("shape")
            if shape != [c_out, c_in, 3, 3]:
                ok = False
                detail.append("%s: %s" % (name, shape))
check("every layer of the graph is in the weights with its shape", ok, detail)
check("encoder to relu4_1, decoder back: 9 convolutions and 3 resamplings each",
      [len([s for s in spec if isinstance(s, tuple)]) for spec in (baseline.ENCODER, baseline.DECODER)] == [9, 9]
      and baseline.ENCODER.count("pool") == 3 and baseline.DECODER.count("up") == 3)
check("a truncated safetensors header is refused", raises(baseline.safetensors_header, b"\x10\0\0\0\0\0\0\0{}"))

with tempfile.TemporaryDirectory() as tmp:  # an onnxruntime that does not import
    with open(os.path.join(tmp, "onnxruntime.py"), "w") as f:
        f.write("raise ImportError('No module named onnxruntime (test)')\n")
    run = subprocess.run([sys.executable, os.path.join(src, "tools", "onnx-baseline.py"), "--build", tmp],
                         env=dict(os.environ, PYTHONPATH=tmp), capture_output=True, text=True, timeout=60)
check("skips with a message and status 0 without onnxruntime",
      run.returncode == 0 and "skipped" in run.stdout, run.stdout + run.stderr)

tap.finish()
