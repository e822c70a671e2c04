#!/usr/bin/env bash
# The checks to run on a lent NVIDIA GPU (see ../shared/gpu/README.md), as one
# device call.  Here, once per checkout:
#   cp -r ../shared/gpu .gpu && echo /.gpu/ >> .git/info/exclude
#   mkdir -p .gpu/lib .gpu/shared && cp -r ../shared/{weights,goldens} .gpu/shared/
#   cp ../shared/samples/tubingen.jpg ../shared/styles/starry-night.jpg .gpu/shared/
#   ldd build/tools/neural-style build/tools/conv-bench | awk '/=>/ {print $3}' | grep -vE 'lib(c|m|OpenCL|stdc\+\+|gcc_s|clblast)\.so' \
#     | xargs -I{} cp -L {} .gpu/lib/        # GLib, gdk-pixbuf, json-glib...: that machine lacks them
#   mkdir -p .gpu/share/mime && cp /usr/share/mime/{mime.cache,magic,globs2,types,aliases,subclasses} .gpu/share/mime/
#   meson setup build && ninja -C build
# then run `bash tools/gpu-check.sh` with carry [".gpu", "build"].
set -u
source .gpu/env.sh
export LD_LIBRARY_PATH=$PWD/.gpu/lib:$LD_LIBRARY_PATH
export NEURAL_STYLE_WEIGHTS=$PWD/.gpu/shared/weights
export NEURAL_STYLE_SHARED_DIR=$PWD/.gpu/shared
# gdk-pixbuf tells formats apart through the shared MIME database, absent there.
export XDG_DATA_DIRS=$PWD/.gpu/share:${XDG_DATA_DIRS:-/usr/share}
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
nvidia-smi -L
build/tools/neural-style --list-devices
echo "== kernels against the C reference"; build/tests/test-ops 2>&1 | tee "$OUT/test-ops.log" | grep -E '^(ok|not ok)|Bail'
echo "== goldens"; build/tests/test-goldens 2>&1 | tee "$OUT/test-goldens.log" | grep -E '^(ok|not ok)|relative|Bail'
# The CLI's first run on an empty cache tunes the convolutions: its debug
# lines give every way's time per layer shape; the choices file what won.
export NEURAL_STYLE_CACHE_DIR=$PWD/.gpu/cache; rm -rf "$NEURAL_STYLE_CACHE_DIR"
echo "== CLI"; G_MESSAGES_DEBUG=all build/tools/neural-style -v --style .gpu/shared/starry-night.jpg \
  -o "$OUT/tubingen-starry-night.png" .gpu/shared/tubingen.jpg 2>&1 | tee "$OUT/cli.log" | grep -v '^.*DEBUG'
echo "== the tuner's choices"; cat "$NEURAL_STYLE_CACHE_DIR"/*.conv-choices | tee "$OUT/conv-choices.txt"
gpu=$(build/tools/neural-style --list-devices | awk -F: '/GPU/ {print $1; exit}')
# The default (auto: on a GPU, the tuned choice per layer shape).  Each size
# starts from an empty cache: the cold column pays for the tuning, the warm
# cache column and the median do not.  Cold starts mean it: NVIDIA's driver
# keeps its own cache of compiled kernels.
echo "== engine benchmark (auto = tuned)"; CUDA_CACHE_DISABLE=1 build/tools/neural-style-bench --device "$gpu" \
  --sizes 256,512,1024,2048 | tee "$OUT/bench.md"
echo "== engine benchmark, im2col (the first engine's path)"; NEURAL_STYLE_CONV=im2col build/tools/neural-style-bench \
  --device "$gpu" --sizes 512,1024 | tee "$OUT/bench-im2col.md"
# Every way to run each layer at 1024², side by side.
echo "== convolutions"; build/tools/conv-bench --device "$gpu" --size 1024 --reps 3 | tee "$OUT/conv.md"
echo "== PyTorch baseline"; timeout 240 python3 .gpu/torch_baseline.py 2>&1 | tee "$OUT/torch.log"
echo "== ratios"; python3 tools/bench-ratios.py "$OUT/bench.md" "$OUT/torch.log" | tee "$OUT/ratios.md"
echo "== ratios, im2col"; python3 tools/bench-ratios.py "$OUT/bench-im2col.md" "$OUT/torch.log" | tee "$OUT/ratios-im2col.md"
