#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, ASan + UBSan) and runs them, one at a time.
#   scripts/fuzz.sh [--build-only] [--seeds] [--time SECONDS] [--jobs N] [TARGET...]
#     TARGET      e.g. ppp_link or fuzz_ppp_link (default: every target)
#     --time S    seconds per target (default 60; env FUZZ_TIME)
#     --jobs N    libFuzzer -jobs/-workers (default 1; the machine is shared)
#     --seeds     regenerate fuzz/corpus from shared/captures and in-process peers first
# Each target runs on a scratch copy of fuzz/corpus/<target> in build/fuzz/corpus/<target>
# (new inputs stay out of the repository); crashes land in build/fuzz/artifacts/<target>/.
# The final libFuzzer stats line of each run is printed; exits 1 if any target crashed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build/fuzz}
TIME=${FUZZ_TIME:-60}
JOBS=1 BUILD_ONLY=0 SEEDS=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build-only) BUILD_ONLY=1 ;;
    --seeds) SEEDS=1 ;;
    --time) TIME=$2; shift ;;
    --jobs) JOBS=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) targets+=("${1#fuzz_}") ;;
  esac
  shift
done
ALL=(pptp_control gre ppp_link ppp_auth mppe config secrets radius session audit eap)
[ ${#targets[@]} -gt 0 ] || targets=("${ALL[@]}")

bash scripts/deps.sh build fuzz || exit 1
if ! CC=clang-14 CXX=clang++-14 cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPPTPX_FUZZ=ON \
     -DPPTPX_TESTS=OFF -DPPTPX_BENCH=OFF -DPPTPX_SHARED_DIR="$ROOT/../shared" >"$BUILD.configure.log" 2>&1; then
  cat "$BUILD.configure.log"; exit 1
fi
cmake --build "$BUILD" -j "${FUZZ_BUILD_JOBS:-2}" --target fuzzers make_seeds || exit 1
if [ $SEEDS -eq 1 ]; then
  rm -rf "$BUILD/seeds" && "$BUILD/fuzz/make_seeds" "$ROOT/../shared/captures" "$BUILD/seeds" || exit 1
  mkdir -p fuzz/corpus && cp -r "$BUILD/seeds"/. fuzz/corpus/  # keeps the regress-* inputs
fi
[ $BUILD_ONLY -eq 1 ] && exit 0

crashed=()
for t in "${targets[@]}"; do
  bin="$BUILD/fuzz/fuzz_$t"
  [ -x "$bin" ] || { echo "fuzz.sh: no target fuzz_$t" >&2; exit 2; }
  work="$BUILD/corpus/$t" art="$BUILD/artifacts/$t"
  mkdir -p "$work" "$art"
  [ -d "fuzz/corpus/$t" ] && cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
  log="$BUILD/fuzz_$t.log"
  echo "=== fuzz_$t: ${TIME}s"
  par=()  # -jobs=1 would still fork a worker writing ./fuzz-0.log: only ask for N > 1
  [ "$JOBS" -gt 1 ] && par=(-jobs="$JOBS" -workers="$JOBS")
  (cd "$BUILD" && "$bin" "$work" -max_total_time="$TIME" "${par[@]}" -print_final_stats=1 \
      -artifact_prefix="$art/" -timeout=10 -rss_limit_mb=2048) >"$log" 2>&1
  rc=$?
  grep -E '^#[0-9]+[[:space:]]+(DONE|NEW|REDUCE|pulse)' "$log" | tail -1
  grep -E '^stat::number_of_executed_units' "$log" | tail -1
  if [ $rc -ne 0 ]; then
    echo "--- fuzz_$t CRASHED (log $log):"
    grep -E 'ERROR|SUMMARY|invariant|runtime error|Test unit written' "$log" | head -8
    crashed+=("$t")
  fi
done
[ ${#crashed[@]} -eq 0 ] || { echo "fuzz.sh: crashes in: ${crashed[*]}"; exit 1; }
