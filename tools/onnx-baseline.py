#!/usr/bin/env python3
"""The engine's AdaIN against ONNX Runtime on the same processor, in one run.

Builds the AdaIN network (VGG-19 to relu4_1, AdaIN, the decoder) as an ONNX
graph from ../shared/weights, independently of the engine's code: reflection
padding of 1, 3x3 convolutions, 2x2 max-pooling, 2x nearest upsampling, AdaIN
with population variance and eps 1e-5, no clamp at the end.  Then

1. checks it against the engine: `neural-style --style-size 0 -o OUT.pfm` on
   the same content and style (PFM in and out, so no 8-bit rounding), and
   prints the relative L2 difference;
2. times both, interleaved in one run: the engine warm through
   `neural-style-bench --serve`, ONNX Runtime (CPU execution provider,
   --threads threads, full graph optimisation) in this process; a warm-up run
   of each per size, then --rounds rounds (the order alternating), and prints
   the warm medians and engine / ONNX Runtime per size as a Markdown table.

A benchmark, not a product dependency: onnx, onnxruntime and numpy come from a
virtual environment, e.g.

    python3 -m venv ~/.cache/ns-onnx-venv
    ~/.cache/ns-onnx-venv/bin/pip install onnx onnxruntime numpy
    ~/.cache/ns-onnx-venv/bin/python tools/onnx-baseline.py --build build

Without them it says so and exits 0 (skipped).
"""
import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time

EPS = 1e-5
ENCODER = [  # name, in, out; "pool" after conv1_2, conv2_2, conv3_4
    ("conv1_1", 3, 64), ("conv1_2", 64, 64), "pool",
    ("conv2_1", 64, 128), ("conv2_2", 128, 128), "pool",
    ("conv3_1", 128, 256), ("conv3_2", 256, 256), ("conv3_3", 256, 256), ("conv3_4", 256, 256), "pool",
    ("conv4_1", 256, 512),
]
DECODER = [  # every convolution but the last has a ReLU
    ("dec4_1", 512, 256), "up",
    ("dec3_4", 256, 256), ("dec3_3", 256, 256), ("dec3_2", 256, 256), ("dec3_1", 256, 128), "up",
    ("dec2_2", 128, 128), ("dec2_1", 128, 64), "up",
    ("dec1_2", 64, 64), ("dec1_1", 64, 3),
]


# --- the parts that need nothing but Python (tests/test-onnx-baseline.py) ---

def median(values):
    """The median of a non-empty list (the mean of the middle two for an even count)."""
    if not values:
        raise ValueError("no values")
    return statistics.median(values)


def ratio_text(engine_ms, baseline_ms):
    """engine / baseline with two decimals, as the tables print it."""
    if baseline_ms <= 0 or engine_ms <= 0:
        raise ValueError("times must be positive")
    return "%.2f" % (engine_ms / baseline_ms)


def table(rows, labels, threads, baseline=("ort", "ONNX Runtime", "ORT")):
    """Markdown lines for rows of (side, {label: times ms}); baseline: its
    label in the rows, its name and its short name in the head."""
    key, name, short = baseline
    head = "| size | rounds | %s (%d threads) warm median (ms) |" % (name, threads)
    rule = "|---|---|---|"
    for label in labels:
        head += " %s warm median (ms) | %s / %s |" % (label, label, short)
        rule += "---|---|"
    lines = [head, rule]
    for side, times in rows:
        b = median(times[key])
        line = "| %d² | %d | %.1f |" % (side, len(times[key]), b)
        for label in labels:
            e = median(times[label])
            line += " %.1f | %s |" % (e, ratio_text(e, b))
        lines.append(line)
    return lines


def engine_spec(text):
    """LABEL=BUILD[,VAR=VALUE...] as (label, build folder, environment additions)."""
    label, sep, rest = text.partition("=")
    if not sep or not label or not rest:
        raise ValueError("an engine is LABEL=BUILD[,VAR=VALUE...]: %r" % text)
    build, *assignments = rest.split(",")
    env = {}
    for a in assignments:
        name, sep, value = a.partition("=")
        if not sep or not name:
            raise ValueError("not VAR=VALUE: %r" % a)
        env[name] = value
    return label, build, env


def safetensors_header(data):
    """(header dict, offset of the tensor data) of a safetensors file's bytes."""
    if len(data) < 8:
        raise ValueError("shorter than a safetensors header")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError("header length past the end of the file")
    return json.loads(data[8:8 + n].decode("utf-8")), 8 + n


def round_order(round_index, labels, baseline="ort"):
    """Who runs when in a round: the baseline then the engines, or the reverse
    every other round, so that none always follows the same one."""
    order = [baseline] + list(labels)
    return order if round_index % 2 == 0 else order[::-1]


# --- weights, images, the graph (numpy and onnx) ---

def read_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    header, start = safetensors_header(data)
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F16": np.float16, "F32": np.float32}[entry["dtype"]]
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[start + begin:start + end], dtype=dtype).reshape(entry["shape"])
        tensors[name] = array.astype(np.float32)
    return tensors


def write_pfm(path, rgb):
    """rgb: H x W x 3 float32, top row first (PFM stores the bottom row first)."""
    import numpy as np
    h, w, _ = rgb.shape
    with open(path, "wb") as f:
        f.write(b"PF\n%d %d\n-1.0\n" % (w, h))
        f.write(np.ascontiguousarray(rgb[::-1], dtype="<f4").tobytes())


def read_pfm(path):
    import numpy as np
    with open(path, "rb") as f:
        data = f.read()
    parts = data.split(maxsplit=4)
    if parts[0] != b"PF":
        raise ValueError("%s: not an RGB PFM file" % path)
    w, h, scale = int(parts[1]), int(parts[2]), float(parts[3])
    pixels = np.frombuffer(parts[4][-w * h * 12:], dtype="<f4" if scale < 0 else ">f4")
    return pixels.reshape(h, w, 3)[::-1].astype(np.float32)


def test_image(rng, side):
    """A smooth picture with some texture, values in [0, 1]."""
    import numpy as np
    y, x = np.mgrid[0:side, 0:side] / side
    channels = [0.5 + 0.3 * np.sin(2 * np.pi * (f * x + g * y) + p) for f, g, p in ((1, 2, 0), (3, 1, 1), (2, 3, 2))]
    rgb = np.stack(channels, axis=-1) + 0.1 * rng.standard_normal((side, side, 3))
    return np.clip(rgb, 0, 1).astype(np.float32)


class GraphBuilder:
    def __init__(self, weights):
        import onnx
        self.onnx = onnx
        self.weights = weights
        self.nodes = []
        self.initializers = []
        self.count = 0
        self.loaded = set()
        self.constant("pads", [0, 0, 1, 1, 0, 0, 1, 1], onnx.TensorProto.INT64)
        self.constant("scales", [1.0, 1.0, 2.0, 2.0], onnx.TensorProto.FLOAT)
        self.constant("eps", [EPS], onnx.TensorProto.FLOAT)

    def constant(self, name, values, dtype):
        self.initializers.append(self.onnx.helper.make_tensor(name, dtype, [len(values)], values))

    def node(self, op, inputs, **attributes):
        self.count += 1
        out = "%s_%d" % (op.lower(), self.count)
        self.nodes.append(self.onnx.helper.make_node(op, inputs, [out], **attributes))
        return out

    def conv(self, x, name, relu):
        from onnx import numpy_helper
        if name not in self.loaded:  # the encoder runs twice on the same weights
            self.loaded.add(name)
            for part in ("weight", "bias"):
                self.initializers.append(numpy_helper.from_array(self.weights[name + "." + part], name + "." + part))
        padded = self.node("Pad", [x, "pads"], mode="reflect")
        y = self.node("Conv", [padded, name + ".weight", name + ".bias"], kernel_shape=[3, 3])
        return self.node("Relu", [y]) if relu else y

    def layers(self, x, spec, prefix):
        for step in spec:
            if step == "pool":
                x = self.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
            elif step == "up":
                x = self.node("Resize", [x, "", "scales"], mode="nearest",
                              coordinate_transformation_mode="asymmetric", nearest_mode="floor")
            else:
                x = self.conv(x, step[0], relu=prefix == "enc" or step[0] != "dec1_1")
        return x

    def mean_sigma(self, x):
        mean = self.node("ReduceMean", [x], axes=[2, 3], keepdims=1)
        centred = self.node("Sub", [x, mean])
        var = self.node("ReduceMean", [self.node("Mul", [centred, centred])], axes=[2, 3], keepdims=1)
        return centred, mean, self.node("Sqrt", [self.node("Add", [var, "eps"])])

    def model(self, side, decoder_only=False):
        """AdaIN at side x side; decoder_only: the preview's part, relu4_1 features in."""
        helper, TensorProto = self.onnx.helper, self.onnx.TensorProto
        shape = [1, 3, side, side]
        if decoder_only:
            self.initializers = [t for t in self.initializers if t.name != "eps"]   # no statistics
            inputs = [helper.make_tensor_value_info("target", TensorProto.FLOAT, [1, 512, side // 8, side // 8])]
            out = self.layers("target", DECODER, "dec")
        else:
            inputs = [helper.make_tensor_value_info(name, TensorProto.FLOAT, shape) for name in ("content", "style")]
            content = self.layers("content", ENCODER, "enc")
            style = self.layers("style", ENCODER, "enc")
            centred, _, sigma_c = self.mean_sigma(content)
            _, mean_s, sigma_s = self.mean_sigma(style)
            target = self.node("Add", [self.node("Mul", [self.node("Div", [centred, sigma_c]), sigma_s]), mean_s])
            out = self.layers(target, DECODER, "dec")
        graph = helper.make_graph(self.nodes, "adain", inputs,
                                  [helper.make_tensor_value_info(out, TensorProto.FLOAT, shape)],
                                  self.initializers)
        # ReduceMean with axes as an attribute: opset 17.
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        self.onnx.checker.check_model(model)
        return model


def ort_session(weights, side, threads, decoder_only=False):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    model = GraphBuilder(weights).model(side, decoder_only)
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def nchw(rgb):
    import numpy as np
    return np.ascontiguousarray(rgb.transpose(2, 0, 1)[None])


def run_ort(session, *inputs):
    names = [i.name for i in session.get_inputs()]
    return session.run(None, dict(zip(names, inputs)))[0]


def check(build, env, weights, side, threads, device):
    """Relative L2 of ONNX Runtime's output against the engine's PFM."""
    import numpy as np
    rng = np.random.default_rng(1)
    content, style = test_image(rng, side), test_image(rng, side)[::-1, :, ::-1].copy()
    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, n) for n in ("content.pfm", "style.pfm", "out.pfm")]
        write_pfm(paths[0], content)
        write_pfm(paths[1], style)
        subprocess.run([os.path.join(build, "tools", "neural-style"), "--device", str(device), "--style", paths[1],
                        "--style-size", "0", "-o", paths[2], paths[0]], check=True, env=dict(os.environ, **env))
        engine = read_pfm(paths[2])
    ours = run_ort(ort_session(weights, side, threads), nchw(content), nchw(style))[0].transpose(1, 2, 0)
    return float(np.linalg.norm(engine - ours) / np.linalg.norm(ours))


class EngineServer:
    """neural-style-bench --serve: one warm engine, one AdaIN per request."""

    def __init__(self, build, env, device):
        self.process = subprocess.Popen([os.path.join(build, "tools", "neural-style-bench"), "--serve",
                                         "--device", str(device)], env=dict(os.environ, **env),
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ms(self, side, preview=False, what=None):
        """One run's milliseconds: AdaIN, or what (preview, gatys) at side."""
        what = what or ("preview" if preview else None)
        self.process.stdin.write("%d%s\n" % (side, " " + what if what else ""))
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("neural-style-bench --serve stopped")
        return float(answer)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def time_all(engines, weights, sides, rounds, threads, device, preview=False):
    """{side: {label: [ms]}} for the engines (label, build, env) and "ort";
    preview: the preview's render (blend and decoder) against ORT's decoder."""
    import numpy as np
    rng = np.random.default_rng(7)
    sessions, inputs = {}, {}
    for side in sides:
        sessions[side] = ort_session(weights, side, threads, preview)
        if preview:
            inputs[side] = (rng.random((1, 512, side // 8, side // 8), dtype=np.float32),)
        else:
            inputs[side] = (nchw(rng.random((side, side, 3), dtype=np.float32)),
                            nchw(rng.random((side, side, 3), dtype=np.float32)))

    def ort_ms(side):
        start = time.perf_counter()
        run_ort(sessions[side], *inputs[side])
        return (time.perf_counter() - start) * 1e3

    servers = {}
    try:
        for label, build, env in engines:
            servers[label] = EngineServer(build, env, device)
        timers = dict({label: (lambda side, server=server: server.ms(side, preview))
                       for label, server in servers.items()}, ort=ort_ms)
        labels = [label for label, _, _ in engines]
        times = {side: {who: [] for who in timers} for side in sides}
        for side in sides:  # warm-up: buffers, transformed weights, ORT's plans
            for timer in timers.values():
                timer(side)
        for r in range(rounds):
            for side in sides:
                for who in round_order(r, labels):
                    times[side][who].append(timers[who](side))
    finally:
        for server in servers.values():
            server.close()
    return [(side, times[side]) for side in sides]


def add_arguments(parser, baseline, sizes, check_size):
    """The options both baselines take (this one and gatys-baseline.py)."""
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--build", default=os.path.join(here, "..", "build"), help="the engine's build folder")
    parser.add_argument("--weights", default=os.path.join(here, "..", "..", "shared", "weights"))
    parser.add_argument("--sizes", default=sizes, help="image sides to time, comma-separated")
    parser.add_argument("--check-size", type=int, default=check_size, help="side of the accuracy check (0: none)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="%s's threads" % baseline)
    parser.add_argument("--device", type=int, default=0, help="the engine's OpenCL device")
    parser.add_argument("--engine", action="append", type=engine_spec, metavar="LABEL=BUILD[,VAR=VALUE...]",
                        help="time this engine (a build folder, environment variables) instead of --build's; "
                        "repeat to compare several in the same rounds")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_arguments(parser, "ONNX Runtime", "512,1024", 256)
    parser.add_argument("--preview", action="store_true",
                        help="time the preview's render (the blend and the decoder) against ONNX Runtime's decoder")
    args = parser.parse_args()
    try:
        import numpy  # noqa: F401
        import onnx  # noqa: F401
        import onnxruntime
    except ImportError as e:
        print("onnx-baseline: skipped: %s (install onnx, onnxruntime and numpy in a virtual environment)" % e)
        return 0
    weights = read_safetensors(os.path.join(args.weights, "vgg19-conv.safetensors"))
    weights.update(read_safetensors(os.path.join(args.weights, "adain-decoder.safetensors")))
    print("ONNX Runtime %s, CPU execution provider, %d threads, full graph optimisation"
          % (onnxruntime.__version__, args.threads))
    engines = args.engine or [("engine", args.build, {})]
    for label, build, env in engines if args.check_size > 0 else []:
        print("relative L2, %s against ONNX Runtime at %d²: %.2g"
              % (label, args.check_size, check(build, env, weights, args.check_size, args.threads, args.device)))
    sides = [int(s) for s in args.sizes.split(",")]
    rows = time_all(engines, weights, sides, args.rounds, args.threads, args.device, args.preview)
    if args.preview:
        print("\nThe preview's render (the engine) against the decoder alone (ONNX Runtime):")
    print()
    print("\n".join(table(rows, [label for label, _, _ in engines], args.threads)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
