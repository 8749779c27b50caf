#!/usr/bin/env bash
# Runs every pptpx test: unit and in-memory tests (Release), the same under ASan+UBSan, and the
# system tests in network namespaces (root). Prints one summary line at the end and exits
# non-zero if anything failed.
#   scripts/test.sh [--quick] [--no-sanitize] [--no-system] [--no-interop]
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=0 SAN=1 SYSTEM=1 INTEROP=1
for a in "$@"; do
  case "$a" in
    --quick) QUICK=1; SAN=0 ;;
    --no-sanitize) SAN=0 ;;
    --no-system) SYSTEM=0 ;;
    --no-interop) INTEROP=0 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option '$a' (see --help)" >&2; exit 2 ;;
  esac
done
: "$QUICK" "$INTEROP"

bash scripts/deps.sh build test || { echo "test.sh: could not install dependencies"; exit 1; }
JOBS=$(nproc)
mkdir -p build
PASSED=0 FAILED=0
declare -a FAILED_STAGES=()

# ctest_stage NAME BUILD_DIR CMAKE_ARGS...: configure, build, run ctest; add its counts.
ctest_stage() {
  local name=$1 dir=$2; shift 2
  echo "=== [$name] configure + build ($dir)"
  if ! cmake -S . -B "$dir" -G Ninja -DPPTPX_SHARED_DIR="$ROOT/../shared" "$@" >"$dir.configure.log" 2>&1; then
    cat "$dir.configure.log"; FAILED=$((FAILED + 1)); FAILED_STAGES+=("$name: configure"); return
  fi
  if ! cmake --build "$dir" -j "$JOBS" >"$dir.build.log" 2>&1; then
    grep -E 'error|FAILED' -A5 "$dir.build.log" | head -n 60
    echo "=== [$name] build FAILED (full log: $dir.build.log)"
    FAILED=$((FAILED + 1)); FAILED_STAGES+=("$name: build"); return
  fi
  echo "=== [$name] ctest"
  local log="$dir/ctest.log"
  (cd "$dir" && ctest --output-on-failure -j "$JOBS" --timeout 300) 2>&1 | tee "$log" | grep -vE '^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed' 
  local total failed
  total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2/p' "$log" | tail -1)
  failed=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
  if [ -z "$total" ]; then
    FAILED=$((FAILED + 1)); FAILED_STAGES+=("$name: ctest did not report"); return
  fi
  PASSED=$((PASSED + total - failed)); FAILED=$((FAILED + failed))
  [ "$failed" -eq 0 ] || FAILED_STAGES+=("$name: $failed test(s)")
}

ctest_stage release build/release -DCMAKE_BUILD_TYPE=Release -DPPTPX_TESTS=ON
if [ $SAN -eq 1 ]; then
  ctest_stage sanitize build/sanitize -DCMAKE_BUILD_TYPE=Sanitize -DPPTPX_TESTS=ON -DPPTPX_BENCH=OFF
fi

# System tests (namespaces, real sockets) register themselves as tests/system/*.sh.
if [ $SYSTEM -eq 1 ] && [ -d tests/system ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "=== [system] skipped: needs root (network namespaces, TUN, raw GRE)"
  else
    for t in tests/system/*.sh; do
      [ -e "$t" ] || continue
      case "$(basename "$t")" in interop_*) [ $INTEROP -eq 1 ] || { echo "=== [system] skipping $t (--no-interop)"; continue; } ;; esac
      echo "=== [system] $t"
      if PPTPX_BIN="$ROOT/build/release/src/cli/pptpx" timeout 1200 bash "$t"; then
        PASSED=$((PASSED + 1)); echo "--- PASS $t"
      else
        FAILED=$((FAILED + 1)); FAILED_STAGES+=("system: $t"); echo "--- FAIL $t"
      fi
    done
  fi
fi

echo
for f in "${FAILED_STAGES[@]}"; do echo "FAILED: $f"; done
echo "pptpx: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
