#!/usr/bin/env bash
# TUN offload A/B (issue 7): one MPPE-128 session between two namespaces, iperf3 up and down with
# the TUNs opened plainly (--no-offload / [tun] offload = false: one packet per read and write)
# and with offloads (IFF_VNET_HDR + TSO: one read per TCP super-segment, split in user space),
# interleaved in ONE run next to the bare veth, so the ratios compare like with like on this
# shared machine. Also: the CPU time (user + system) of the two pptpx processes per GB carried,
# which the load moves much less than Gbit/s; the server's system calls per GRE packet on its
# veth during an upload (perf stat; ~1 GRE packet per tunnelled packet); its offload counters. Prints a Markdown table; writes nothing. Root only.
#
# Usage: sudo scripts/bench_offload.sh [BIN]   (BIN defaults to build/bench/src/cli/pptpx)
# Environment: BENCH_SECONDS (iperf3 seconds, default 8), BENCH_MODES (default "stateful stateless"),
#   BENCH_ROUNDS (off/on pairs per mode, default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/bench/src/cli/pptpx}
BIN=$(realpath "$BIN")
SECS=${BENCH_SECONDS:-8}
MODES=${BENCH_MODES:-stateful stateless}
ROUNDS=${BENCH_ROUNDS:-1}
[ "$(id -u)" -eq 0 ] || { echo "bench_offload: needs root" >&2; exit 1; }
P="pxoff-$$"
NS_C="$P-c" NS_S="$P-s"
WORK=$(mktemp -d "/tmp/$P.XXXXXX")
PIDS=()
cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns del "$NS_C" 2>/dev/null || true
  ip netns del "$NS_S" 2>/dev/null || true
  [ $rc -ne 0 ] && tail -n 5 "$WORK"/*.log >&2
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM
source scripts/lib/bench_env.sh
bench_netns_up "$NS_C" "$NS_S" "$WORK"
ip netns exec "$NS_S" iperf3 -s >"$WORK/iperf-server.log" 2>&1 &
PIDS+=($!)
sleep 0.3
gbps() {  # NS ADDR [ARGS]; also adds the bytes received to $WORK/bytes
  local ns=$1 addr=$2; shift 2
  ip netns exec "$ns" iperf3 -c "$addr" -t "$SECS" -J "$@" >"$WORK/iperf.json"
  python3 -c 'import json,sys; e=json.load(open(sys.argv[1]))["end"]["sum_received"]; open(sys.argv[2],"a").write("%d\n" % e["bytes"]); print("%.2f" % (e["bits_per_second"] / 1e9))' "$WORK/iperf.json" "$WORK/bytes"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system time of a process

echo "bench_offload: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD)"
bare_up=$(gbps "$NS_C" 192.0.2.1)
bare_down=$(gbps "$NS_C" 192.0.2.1 -R)
echo
echo "| path | up (iperf3) | down (-R) | ratio to bare (up / down) | pptpx CPU per GB, client + server (up and down) | server syscalls per GRE packet (upload) |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| bare veth | $bare_up Gbit/s | $bare_down Gbit/s | 1 / 1 | - | - |"
for mode in $MODES; do
  for round in $(seq 1 "$ROUNDS"); do
    for off in false true; do
      bench_server_config "$WORK/server.toml" "$WORK" pxoff0 "$mode" "offload = $off"
      cargs=("${BENCH_CLIENT_ARGS[@]}")
      [ "$off" = false ] && cargs+=(--no-offload)
      log="$WORK/server-$mode-$off-$round.log"
      ip netns exec "$NS_S" "$BIN" server --config "$WORK/server.toml" >"$log" 2>&1 &
      spid=$!
      PIDS+=("$spid")
      bench_wait_for "listening on" "$log" "$spid" 5
      ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user bob --password-file "$WORK/password" "${cargs[@]}" \
        >"$WORK/client.log" 2>&1 &
      cpid=$!
      PIDS+=("$cpid")
      bench_wait_for "^connected:" "$WORK/client.log" "$cpid" 15
      : >"$WORK/bytes"
      c0=$(( $(cpu_ticks "$spid") + $(cpu_ticks "$cpid") ))
      up=$(gbps "$NS_C" 198.51.100.1)
      down=$(gbps "$NS_C" 198.51.100.1 -R)
      c1=$(( $(cpu_ticks "$spid") + $(cpu_ticks "$cpid") ))
      cpu_gb=$(awk -v t="$((c1 - c0))" -v hz="$(getconf CLK_TCK)" -v b="$(awk '{s += $1} END {print s}' "$WORK/bytes")" \
        'BEGIN { printf "%.2f s", t / hz / (b / 1e9) }')
      # Syscalls per packet: 2 s of an upload, the server's system calls over the GRE packets on its veth.
      ip netns exec "$NS_C" iperf3 -c 198.51.100.1 -t 4 -J >"$WORK/iperf-prof.json" &
      ipid=$!
      sleep 1
      p0=$(if_packets "$NS_S" veth-s)
      perf stat -e raw_syscalls:sys_enter -p "$spid" -o "$WORK/perf-stat.txt" -- sleep 2 2>/dev/null || true
      p1=$(if_packets "$NS_S" veth-s)
      wait "$ipid" || true
      sc=$(awk '/raw_syscalls:sys_enter/ {gsub(",", "", $1); print $1}' "$WORK/perf-stat.txt")
      per=$(awk -v s="${sc:-0}" -v p="$((p1 - p0))" 'BEGIN { if (p > 0) printf "%.3f (%d / %d)", s / p, s, p; else print "-" }')
      kill -TERM "$cpid"; wait "$cpid" || true
      kill -TERM "$spid"; wait "$spid" || true
      label="tunnel, MPPE-128 $mode, offload $([ "$off" = true ] && echo on || echo off)"
      ratio=$(awk -v a="$up" -v b="$bare_up" -v c="$down" -v d="$bare_down" 'BEGIN { printf "%.3f / %.3f", a / b, c / d }')
      echo "| $label | $up Gbit/s | $down Gbit/s | $ratio | $cpu_gb | $per |"
      grep -o "TUN offload: .*" "$log" | sed 's/^/  server: /' >>"$WORK/counters.txt" || true
    done
  done
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$WORK/counters.txt" 2>/dev/null || true
