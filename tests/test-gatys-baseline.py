#!/usr/bin/env python3
"""tools/gatys-baseline.py as a TAP test: its parts that need no PyTorch (the
losses' line, the differences and their bounds, the table, the network's
layers against the weights' own headers, a clean skip without torch, the
benchmark's server answering Gatys requests), then,
where PyTorch is installed, its correctness check: the engine's Gatys
objective and gradient against PyTorch's at 64², which must pass.  Without
PyTorch (the oracle) that one is skipped, saying so.  The interpreter with
torch: $NS_TORCH_PYTHON, else ~/.cache/ns-torch-venv/bin/python, else this
one.  Nothing here uses the network.

    test-gatys-baseline.py SOURCE_DIR BUILD_DIR
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap_check import Tap, raises  # noqa: E402

src, build = sys.argv[1], sys.argv[2]
script = os.path.join(src, "tools", "gatys-baseline.py")
spec = importlib.util.spec_from_file_location("gatys_baseline", script)
baseline = importlib.util.module_from_spec(spec)
spec.loader.exec_module(baseline)

tap = Tap()
check = tap.check


check("the engine's losses line", baseline.parse_losses("content=1.5 style=2e-3 total=3.5")
      == {"content": 1.5, "style": 2e-3, "total": 3.5})
check("a losses line without all three is refused", raises(baseline.parse_losses, "content=1 style=2")
      and raises(baseline.parse_losses, "content=1 style total=2"))
check("relative differences", baseline.relative_difference(1.1, 1.0) - 0.1 < 1e-12
      and baseline.relative_difference(0.0, 0.0) == 0.0 and baseline.relative_difference(1.0, 0.0) == float("inf"))
good = {"content": 1e-6, "style": 1e-6, "total": 1e-6, "gradient": 1e-5}
check("the check's bounds", baseline.check_passes(good)
      and not baseline.check_passes(dict(good, style=1e-2)) and not baseline.check_passes(dict(good, gradient=0.1)))

lines = baseline.base.table([(256, {"torch": [100.0, 300.0, 200.0], "engine": [150.0, 140.0, 160.0]})], ["engine"], 2,
                            ("torch", "PyTorch", "PyTorch"))
check("Markdown table against PyTorch", lines == [
    "| size | rounds | PyTorch (2 threads) warm median (ms) | engine warm median (ms) | engine / PyTorch |",
    "|---|---|---|---|---|",
    "| 256² | 3 | 200.0 | 150.0 | 0.75 |"], "\n".join(lines))
check("rounds alternate, PyTorch first", [baseline.base.round_order(r, ["engine"], "torch") for r in range(2)]
      == [["torch", "engine"], ["engine", "torch"]])

with open(os.path.join(src, "..", "shared", "weights", "vgg19-conv.safetensors"), "rb") as f:
    header, _ = baseline.base.safetensors_header(f.read())
wrong = ["%s: %s" % (name, header.get(name + ".weight", {}).get("shape")) for name, c_in, c_out in
         (s for s in baseline.VGG if isinstance(s, tuple))
         if header.get(name + ".weight", {}).get("shape") != [c_out, c_in, 3, 3]]
check("every layer to conv5_1 is in the weights with its shape", not wrong, wrong)
check("VGG-19 to relu5_1: 13 convolutions, 4 poolings", len([s for s in baseline.VGG if isinstance(s, tuple)]) == 13
      and baseline.VGG.count("pool") == 4)

with tempfile.TemporaryDirectory() as tmp:  # a torch that does not import
    with open(os.path.join(tmp, "torch.py"), "w") as f:
        f.write("raise ImportError('No module named torch (test)')\n")
    run = subprocess.run([sys.executable, script, "--build", tmp], env=dict(os.environ, PYTHONPATH=tmp),
                         capture_output=True, text=True, timeout=60)
check("skips with a message and status 0 without torch", run.returncode == 0 and "skipped" in run.stdout,
      run.stdout + run.stderr)

serve = subprocess.run([os.path.join(build, "tools", "neural-style-bench"), "--serve"], input="64 gatys\n64 gatys\n0\n",
                       capture_output=True, text=True, timeout=300)
answers = serve.stdout.split()
check("neural-style-bench --serve times Gatys iterations", serve.returncode == 0 and len(answers) == 2
      and all(float(a) > 0 for a in answers), serve.stdout + serve.stderr)


def python_with_torch():
    candidates = [os.environ.get("NS_TORCH_PYTHON"),
                  os.path.expanduser("~/.cache/ns-torch-venv/bin/python"), sys.executable]
    for python in candidates:
        if python and os.access(python, os.X_OK) and subprocess.run(
                [python, "-c", "import numpy, torch"], capture_output=True, timeout=120).returncode == 0:
            return python
    return None


python = python_with_torch()
if python is None:
    tap.skip("the engine's objective and gradient against PyTorch's",
             "no PyTorch (the oracle): neither $NS_TORCH_PYTHON, ~/.cache/ns-torch-venv nor %s imports torch and numpy"
             % sys.executable)
else:
    run = subprocess.run([python, script, "--build", build, "--check-only", "--check-size", "64"],
                         capture_output=True, text=True, timeout=600)
    print("# " + run.stdout.strip().replace("\n", "\n# "))
    check("the engine's objective and gradient against PyTorch's (%s)" % python,
          run.returncode == 0 and "check passed" in run.stdout, run.stderr)

tap.finish()
