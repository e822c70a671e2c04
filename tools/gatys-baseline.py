#!/usr/bin/env python3
"""The engine's Gatys iteration against PyTorch on the same processor, in one run.

A Gatys iteration is one evaluation of the objective and its gradient at the
pixels (ns-gatys.h): VGG-19 forward to relu5_1, the content term on relu4_2,
the style terms on the Gram matrices of relu1_1 .. relu5_1, and the backward
pass to the pixels.  This script builds VGG-19 in PyTorch from
../shared/weights, independently of the engine's code (reflection padding of
1, 3x3 convolutions, ReLU, 2x2 max-pooling; the preprocessing is in conv1_1's
weights), with the engine's objective

    L  = cw Lc + sw Ls,  Lc = 1/2 sum (F4_2(x) - F4_2(c))^2,
    Ls = sum over the five layers of 1/5 sum (G(x) - G(s))^2 / (4 N^2),  G = F F^T / M,

then

1. checks it against the engine: `neural-style gatys-objective` at an image
   x (the content with noise), PFM in and out: the relative differences of
   the losses and the relative L2 difference of the gradients;
2. times both, interleaved in one run: the engine warm through
   `neural-style-bench --serve` ("SIDE gatys": x = the content, the targets
   made once, one evaluation per request), PyTorch (--threads threads) in
   this process with the same targets made once; a warm-up of each per size,
   then --rounds rounds (the order alternating), and prints the warm medians
   and engine / PyTorch per size as a Markdown table.

A benchmark, not a product dependency: torch and numpy come from a virtual
environment, e.g.

    python3 -m venv ~/.cache/ns-torch-venv
    ~/.cache/ns-torch-venv/bin/pip install torch numpy
    ~/.cache/ns-torch-venv/bin/python tools/gatys-baseline.py --build build

Without them it says so and exits 0 (skipped).  --check-only runs the check
alone and exits 1 when it fails (tests/test-gatys-baseline.py).
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("onnx_baseline", os.path.join(HERE, "onnx-baseline.py"))
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

VGG = [  # name, in, out; "pool" after conv1_2, conv2_2, conv3_4, conv4_4
    ("conv1_1", 3, 64), ("conv1_2", 64, 64), "pool",
    ("conv2_1", 64, 128), ("conv2_2", 128, 128), "pool",
    ("conv3_1", 128, 256), ("conv3_2", 256, 256), ("conv3_3", 256, 256), ("conv3_4", 256, 256), "pool",
    ("conv4_1", 256, 512), ("conv4_2", 512, 512), ("conv4_3", 512, 512), ("conv4_4", 512, 512), "pool",
    ("conv5_1", 512, 512),
]
STYLE_LAYERS = ("conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1")
CONTENT_LAYER = "conv4_2"
CONTENT_WEIGHT, STYLE_WEIGHT = 1.0, 1e3   # neural-style gatys-objective's defaults
RUN_WEIGHTS = (1.0, 3e3)   # a run's defaults (ns_gatys_options_init), which the benchmark's step takes
# What the check accepts: float32 sums over up to 10^6 terms, two implementations.
LOSS_TOLERANCE, GRADIENT_TOLERANCE = 1e-4, 1e-3


def parse_losses(line):
    """neural-style gatys-objective's "content=A style=B total=C" as a dict of floats."""
    losses = {}
    for part in line.split():
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError("not NAME=VALUE: %r" % part)
        losses[name] = float(value)
    if set(losses) != {"content", "style", "total"}:
        raise ValueError("expected content, style and total: %r" % line)
    return losses


def relative_difference(a, b):
    """|a - b| / |b|, 0 when both are 0."""
    if a == b:
        return 0.0
    return abs(a - b) / abs(b) if b != 0 else float("inf")


def check_passes(differences):
    """Whether the check's differences (losses and gradient) are within the tolerances."""
    return (all(differences[k] <= LOSS_TOLERANCE for k in ("content", "style", "total"))
            and differences["gradient"] <= GRADIENT_TOLERANCE)


# --- the network and the objective (torch) ---

class Vgg:
    def __init__(self, weights, threads):
        import torch
        torch.set_num_threads(threads)
        self.torch = torch
        self.layers = []
        for step in VGG:
            if step == "pool":
                self.layers.append(step)
            else:
                name = step[0]
                self.layers.append((name, torch.from_numpy(weights[name + ".weight"].copy()),
                                    torch.from_numpy(weights[name + ".bias"].copy())))

    def features(self, x):
        """{layer name: its ReLU's output} for the style and content layers."""
        functional = self.torch.nn.functional
        out = {}
        for layer in self.layers:
            if layer == "pool":
                x = functional.max_pool2d(x, 2)
                continue
            name, weight, bias = layer
            x = functional.relu(functional.conv2d(functional.pad(x, (1, 1, 1, 1), mode="reflect"), weight, bias))
            if name in STYLE_LAYERS or name == CONTENT_LAYER:
                out[name] = x
        return out

    @staticmethod
    def gram(f):
        n, m = f.shape[1], f.shape[2] * f.shape[3]
        flat = f.reshape(n, m)
        return flat @ flat.t() / m

    def targets(self, content, style):
        with self.torch.no_grad():
            return (self.features(content)[CONTENT_LAYER],
                    {k: self.gram(v) for k, v in self.features(style).items() if k in STYLE_LAYERS})

    def objective(self, x, targets, content_weight=CONTENT_WEIGHT, style_weight=STYLE_WEIGHT):
        """(losses as floats, dL/dx) at x (1 x 3 x H x W)."""
        content_target, grams = targets
        x = x.detach().requires_grad_(True)
        f = self.features(x)
        lc = 0.5 * ((f[CONTENT_LAYER] - content_target) ** 2).sum()
        ls = 0
        for name in STYLE_LAYERS:
            n = f[name].shape[1]
            ls = ls + ((self.gram(f[name]) - grams[name]) ** 2).sum() / (4.0 * n * n) / len(STYLE_LAYERS)
        total = content_weight * lc + style_weight * ls
        total.backward()
        return {"content": lc.item(), "style": ls.item(), "total": total.item()}, x.grad


def tensor(rgb):
    import torch
    return torch.from_numpy(base.nchw(rgb))


def check(build, weights, side, threads, device):
    """The differences of the losses and the gradient, engine against PyTorch, at one x."""
    import numpy as np
    rng = np.random.default_rng(3)
    content, style = base.test_image(rng, side), base.test_image(rng, side)[::-1, :, ::-1].copy()
    x = np.clip(content + 0.1 * rng.standard_normal(content.shape), 0, 1).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, n) for n in ("x.pfm", "content.pfm", "style.pfm", "grad.pfm")]
        for path, image in zip(paths, (x, content, style)):
            base.write_pfm(path, image)
        run = subprocess.run([os.path.join(build, "tools", "neural-style"), "gatys-objective", "--device", str(device),
                              "--x", paths[0], "--content", paths[1], "--style", paths[2], "-o", paths[3]],
                             check=True, capture_output=True, text=True)
        engine_losses = parse_losses(run.stdout.strip().splitlines()[-1])
        engine_grad = base.read_pfm(paths[3])
    vgg = Vgg(weights, threads)
    losses, grad = vgg.objective(tensor(x), vgg.targets(tensor(content), tensor(style)))
    ours = grad[0].numpy().transpose(1, 2, 0)
    differences = {k: relative_difference(engine_losses[k], losses[k]) for k in losses}
    differences["gradient"] = float(np.linalg.norm(engine_grad - ours) / np.linalg.norm(ours))
    return differences


def time_all(engines, weights, sides, rounds, threads, device):
    """[(side, {label: [ms], "torch": [ms]})] for the engines (label, build, env), interleaved."""
    import numpy as np
    rng = np.random.default_rng(7)
    vgg = Vgg(weights, threads)
    steps = {}
    for side in sides:
        content, style = (tensor(rng.random((side, side, 3), dtype=np.float32)) for _ in range(2))
        steps[side] = (content, vgg.targets(content, style))

    def torch_ms(side):
        start = time.perf_counter()
        vgg.objective(steps[side][0], steps[side][1], *RUN_WEIGHTS)
        return (time.perf_counter() - start) * 1e3

    servers = {}
    try:
        for label, build, env in engines:
            servers[label] = base.EngineServer(build, env, device)
        timers = dict({label: (lambda side, server=server: server.ms(side, what="gatys"))
                       for label, server in servers.items()}, torch=torch_ms)
        times = {side: {who: [] for who in timers} for side in sides}
        for side in sides:  # warm-up: the engine's targets and buffers, PyTorch's allocations
            for timer in timers.values():
                timer(side)
        for r in range(rounds):
            for side in sides:
                for who in base.round_order(r, list(servers), "torch"):
                    times[side][who].append(timers[who](side))
    finally:
        for server in servers.values():
            server.close()
    return [(side, times[side]) for side in sides]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    base.add_arguments(parser, "PyTorch", "256,512", 128)
    parser.add_argument("--check-only", action="store_true", help="the accuracy check alone; status 1 when it fails")
    args = parser.parse_args()
    try:
        import numpy  # noqa: F401
        import torch
    except ImportError as e:
        print("gatys-baseline: skipped: %s (install torch and numpy in a virtual environment)" % e)
        return 0
    weights = base.read_safetensors(os.path.join(args.weights, "vgg19-conv.safetensors"))
    print("PyTorch %s on the processor, %d threads" % (torch.__version__, args.threads))
    if args.check_size > 0 or args.check_only:
        side = args.check_size if args.check_size > 0 else 128
        d = check(args.build, weights, side, args.threads, args.device)
        print("engine against PyTorch at %d²: relative difference of the content loss %.2g, style loss %.2g, "
              "total %.2g; relative L2 of the gradient %.2g" % (side, d["content"], d["style"], d["total"],
                                                                  d["gradient"]))
        if args.check_only:
            ok = check_passes(d)
            print("check %s (bounds: losses %g, gradient %g)" % ("passed" if ok else "FAILED", LOSS_TOLERANCE,
                                                                   GRADIENT_TOLERANCE))
            return 0 if ok else 1
    sides = [int(s) for s in args.sizes.split(",")]
    engines = args.engine or [("engine", args.build, {})]
    rows = time_all(engines, weights, sides, args.rounds, args.threads, args.device)
    print()
    print("\n".join(base.table(rows, [label for label, _, _ in engines], args.threads, ("torch", "PyTorch", "PyTorch"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
