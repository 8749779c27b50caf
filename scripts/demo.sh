#!/usr/bin/env bash
# The main job. For now: builds pptpx and walks the RFC 2759 §9.2 MS-CHAPv2 example.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh build
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DPPTPX_TESTS=OFF -DPPTPX_BENCH=OFF >/dev/null
cmake --build build/release --target pptpx -j "$(nproc)" >/dev/null
./build/release/src/cli/pptpx rfc-example
