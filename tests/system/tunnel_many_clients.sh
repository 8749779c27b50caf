#!/usr/bin/env bash
# 50 clients at once against one server (clients share one namespace, each with its own TUN
# device): every client must come up with a distinct address from the pool, pass ping through its
# own tunnel (ping -I its device), and on SIGTERM leave cleanly; the server must log 50 link-ups
# and 50 session ends and keep no client route afterwards.
set -euo pipefail
TN_NAME=many
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup
N=${TUNNEL_CLIENTS:-50}
tn_server_config '"mschapv2"' true 128 stateless 198.51.100.10-198.51.100.250
tn_start_server

echo "tunnel_many_clients: starting $N clients"
CLIENTS=()
for i in $(seq 1 "$N"); do
  tn_start_client "$WORK/client$i.log" --user "user$i" --tun-name "pxm$i"
  CLIENTS+=("$CLIENT_PID")
done
for i in $(seq 1 "$N"); do
  tn_wait_for "^connected:" "$WORK/client$i.log" "${CLIENTS[$((i - 1))]}" 30 || tn_fail "client $i did not connect"
done
distinct=$(cat "$WORK"/client*.log | sed -n 's/^connected: .* address \([0-9.]*\), peer .*/\1/p' | sort -u | wc -l)
[ "$distinct" -eq "$N" ] || tn_fail "$N clients got only $distinct distinct addresses"
ups=$(grep -c "link up" "$WORK/server.log")
[ "$ups" -eq "$N" ] || tn_fail "the server logged $ups link-ups for $N clients"
echo "  $N clients up with $distinct distinct addresses"

echo "tunnel_many_clients: ping through every tunnel at once"
PINGS=()
for i in $(seq 1 "$N"); do
  ip netns exec "$NS_C" ping -n -q -c 3 -i 0.2 -W 3 -I "pxm$i" 198.51.100.1 >"$WORK/ping$i.log" 2>&1 &
  PINGS+=("$!")
done
failed=0
for i in $(seq 1 "$N"); do
  wait "${PINGS[$((i - 1))]}" || { failed=$((failed + 1)); echo "  ping via pxm$i failed: $(tail -2 "$WORK/ping$i.log" | head -1)"; }
done
[ "$failed" -eq 0 ] || tn_fail "$failed of $N tunnels did not pass ping"
echo "  all $N tunnels passed ping"

echo "tunnel_many_clients: SIGTERM every client"
for p in "${CLIENTS[@]}"; do kill -TERM "$p"; done
for i in $(seq 1 "$N"); do
  rc=0; wait "${CLIENTS[$((i - 1))]}" || rc=$?
  [ $rc -eq 0 ] || tn_fail "client $i exited $rc after SIGTERM"
done
for _ in $(seq 1 40); do
  [ "$(grep -c "session ended" "$WORK/server.log")" -ge "$N" ] && break
  sleep 0.05
done
ended=$(grep -c "session ended" "$WORK/server.log")
[ "$ended" -eq "$N" ] || tn_fail "the server logged $ended session ends for $N clients"
routes=$(ip -n "$NS_S" -4 route show dev pxsrv0 | grep -c . || true)
[ "$routes" -eq 0 ] || tn_fail "$routes client route(s) left on the server's TUN device"
tn_stop_server
echo "tunnel_many_clients: PASS"
