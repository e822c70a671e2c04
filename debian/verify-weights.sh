#!/bin/sh
# Checks the weights in DIR against the sha256 sums listed in DIR/README.md
# ("- NAME: SUM" lines under "## Checksums"), before they go into the package.
set -eu
dir=$1
sums=$(sed -n 's/^- \([^ :]*\.safetensors\): \([0-9a-f]\{64\}\)$/\2  \1/p' "$dir/README.md")
[ -n "$sums" ] || { echo "No checksums in $dir/README.md." >&2; exit 1; }
for file in vgg19-conv.safetensors adain-decoder.safetensors; do
  echo "$sums" | grep -q "  $file\$" || { echo "No checksum for $file in $dir/README.md." >&2; exit 1; }
done
(cd "$dir" && echo "$sums" | sha256sum --check --strict)
