#!/usr/bin/env bash
# Stateful MPPE under GRE loss (issue 18): TCP throughput of one pptpx client -> pptpx server
# session between two namespaces (scripts/lib/bench_env.sh), with nftables dropping a share of
# the GRE packets leaving each namespace (netem does not work here). Prints one line per
# (binary, mode, loss): iperf3's received rate, the retransmissions, and the session's MPPE
# resynchronisation counters from the server's end line. Root only; never run in CI.
#
# Usage: sudo scripts/bench_mppe_loss.sh PPTPX_BINARY [PPTPX_BINARY...]
# Environment: LOSSES (percent, default "0 1 5"), MODES (default "stateful stateless"),
#   SECONDS_PER_RUN (iperf3 -t, default 10).
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "bench_mppe_loss.sh: needs root (namespaces)"; exit 1; }
[ $# -ge 1 ] || { echo "usage: $0 PPTPX_BINARY [PPTPX_BINARY...]"; exit 1; }
source "$(dirname "$0")/lib/bench_env.sh"
LOSSES=${LOSSES:-"0 1 5"}
MODES=${MODES:-"stateful stateless"}
T=${SECONDS_PER_RUN:-10}
NC=mlb-c-$$ NS=mlb-s-$$
WORK=$(mktemp -d /tmp/bench_mppe_loss.XXXXXX)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.3
  ip netns del "$NC" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
bench_netns_up "$NC" "$NS" "$WORK"

loss() {  # NS PERCENT
  ip netns exec "$1" nft delete table inet bench_loss 2>/dev/null || true
  [ "$2" -gt 0 ] || return 0
  ip netns exec "$1" nft -f - <<NFT
table inet bench_loss {
  chain c { type filter hook output priority 0; ip protocol gre numgen random mod 100 < $2 drop; }
}
NFT
}

printf '%-28s %-9s %5s %10s %8s  %s\n' binary mode loss Mbit/s retrans "server: MPPE drops of the upload"
for bin in "$@"; do
  for mode in $MODES; do
    for l in $LOSSES; do
      bench_server_config "$WORK/server.toml" "$WORK" mlbs0 "$mode"
      ip netns exec "$NS" "$bin" server --config "$WORK/server.toml" --log-level info >"$WORK/server.log" 2>&1 &
      spid=$!; PIDS+=("$spid")
      bench_wait_for "listening on" "$WORK/server.log" "$spid" 10
      ip netns exec "$NS" iperf3 -s -1 -B 198.51.100.1 >/dev/null 2>&1 &
      ipid=$!; PIDS+=("$ipid")
      ip netns exec "$NC" "$bin" client 192.0.2.1 --user bob --password-file "$WORK/password" "${BENCH_CLIENT_ARGS[@]}" \
        >"$WORK/client.log" 2>&1 &
      cpid=$!; PIDS+=("$cpid")
      bench_wait_for "^connected:" "$WORK/client.log" "$cpid" 20
      loss "$NC" "$l"; loss "$NS" "$l"
      out=$(timeout $((T + 20)) ip netns exec "$NC" iperf3 -c 198.51.100.1 -t "$T" -J 2>/dev/null || true)
      loss "$NC" 0; loss "$NS" 0
      rate=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.1f %d" % (d["end"]["sum_received"]["bits_per_second"]/1e6, d["end"]["sum_sent"].get("retransmits", 0)))' 2>/dev/null || echo "fail -")
      kill "$cpid" 2>/dev/null || true; wait "$cpid" 2>/dev/null || true
      kill "$ipid" 2>/dev/null || true; wait "$ipid" 2>/dev/null || true
      sleep 0.5
      kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true
      endline=$(grep -o 'session ended.*' "$WORK/server.log" | head -1 | grep -oE 'MPPE dropped [0-9]+ \([^)]*\)' || true)
      printf '%-28s %-9s %4s%% %10s %8s  %s\n' "$(basename "$bin")" "$mode" "$l" ${rate} "${endline:--}"
    done
  done
done
