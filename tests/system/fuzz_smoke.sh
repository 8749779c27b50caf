#!/usr/bin/env bash
# Fuzz smoke test: every libFuzzer target runs for a bounded time (FUZZ_SMOKE_SECONDS, default
# 20 s each) from its seed corpus. Passes when nothing crashes; on a crash prints the target and
# the reproducer path and fails. Needs clang-14 (scripts/deps.sh fuzz); no root, no network.
#   FUZZ_SMOKE_SECONDS=20 FUZZ_SMOKE_TARGETS="gre mppe" bash tests/system/fuzz_smoke.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SECONDS_EACH=${FUZZ_SMOKE_SECONDS:-20}
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build/fuzz}
TARGETS=${FUZZ_SMOKE_TARGETS:-"pptp_control gre ppp_link ppp_auth mppe config secrets radius session audit"}

if ! command -v clang++-14 >/dev/null; then
  bash scripts/deps.sh fuzz || { echo "fuzz_smoke: clang-14 missing (scripts/deps.sh fuzz)"; exit 1; }
fi
if ! CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPPTPX_FUZZ=ON \
     -DPPTPX_TESTS=OFF -DPPTPX_BENCH=OFF -DPPTPX_SHARED_DIR="$ROOT/../shared" >"$BUILD.configure.log" 2>&1; then
  cat "$BUILD.configure.log"; echo "fuzz_smoke: configure failed"; exit 1
fi
cmake --build "$BUILD" -j "${FUZZ_BUILD_JOBS:-2}" --target fuzzers >"$BUILD.build.log" 2>&1 || {
  tail -40 "$BUILD.build.log"; echo "fuzz_smoke: build failed"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
for t in $TARGETS; do
  bin="$BUILD/fuzz/fuzz_$t"
  [ -x "$bin" ] || { echo "FAIL fuzz_$t: no such target"; failed=1; continue; }
  work="$tmp/corpus/$t" art="$BUILD/smoke-artifacts/$t/"
  mkdir -p "$work" "$art"
  cp fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
  log="$BUILD/smoke-$t.log"
  "$bin" "$work" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$art" >"$log" 2>&1
  rc=$?
  stats=$(grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse|INITED)' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    echo "ok   fuzz_$t: $stats"
  else
    repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    echo "FAIL fuzz_$t (exit $rc): reproducer ${repro:-none written}; log $log"
    grep -E 'ERROR|SUMMARY|invariant|runtime error' "$log" | head -5
    echo "     rerun: $bin ${repro:-<input>}"
    failed=1
  fi
done
exit $failed
