#!/usr/bin/env python3
"""Prints the ninja paths (relative to BUILD_DIR) of the targets `meson install` installs, so that
a build for installing can skip the tests and benchmarks:  ninja -C BUILD $(tools/installed-targets.py BUILD)"""
import json, os, subprocess, sys

build = sys.argv[1]
targets = json.loads(subprocess.run(['meson', 'introspect', build, '--targets'],
                                    check=True, capture_output=True, text=True).stdout)
print(' '.join(os.path.relpath(f, build) for t in targets if t['installed'] for f in t['filename']))
