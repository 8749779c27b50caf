#!/usr/bin/env bash
# Hostile peers over real sockets (issue 6), against a live server while a real `pptpx client`
# session pings through its tunnel the whole time: garbage on 1723, a wrong cookie, a wrong PPTP
# message type, an unknown control message type, a truncated and an oversized Length, a message out
# of order, a slow sender (one byte / 0.2 s), 200
# half-open connections, GRE for an unknown call from a spoofed source (another address of the
# test's client namespace) and GRE with sequence numbers far outside the window. Each TCP case must
# be closed by the server with a logged reason; the GRE cases must show up in the server's drop
# counters (logged at exit); the ping (30+ packets) must lose at most 1.
set -euo pipefail
TN_NAME=hostile
source "$(dirname "$0")/lib/tunnel_env.sh"
PEER="python3 $(cd "$(dirname "$0")" && pwd)/lib/hostile_peer.py"
tn_setup
tn_server_config '"mschapv2"' true 128 stateless
sed -i 's/^max_sessions_per_source = 100$/max_sessions_per_source = 100\ncontrol_setup_seconds = 3/' "$WORK/server.toml"
tn_start_server
sleep 0.2
ip -n "$NS_C" addr add 192.0.2.3/24 dev veth-c  # the spoofed GRE source

tn_start_client "$WORK/client.log" --user bob
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 10 || tn_fail "the client did not connect"
ip netns exec "$NS_C" ping -n -i 0.2 -W 1 198.51.100.1 >"$WORK/ping.log" 2>&1 &
PING_PID=$!
TN_PIDS+=("$PING_PID")
sleep 1

closed_before=$(grep -c "control connection closed" "$WORK/server.log" || true)
echo "hostile_peers: TCP cases"
n=0
for c in garbage wrong-cookie wrong-pptp-type wrong-control-type truncated oversized out-of-order; do
  out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 "$c" --wait 5) || tn_fail "$out"
  echo "  $out"
  n=$((n + 1))
done
out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 slow-sender --wait 10) || tn_fail "$out"
echo "  $out"; n=$((n + 1))
out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 half-open --count 200 --wait 10) || tn_fail "$out"
echo "  $out"
sleep 0.5
closed_after=$(grep -c "control connection closed" "$WORK/server.log" || true)
[ $((closed_after - closed_before)) -ge "$n" ] ||
  tn_fail "the server logged $((closed_after - closed_before)) closed connections for $n hostile ones"
echo "  reasons logged:"
grep "control connection closed\|refusing a connection" "$WORK/server.log" | sed 's/.*: control connection closed: /    /; s/.*refusing a connection from [^ ]*: /    refused: /' |
  sort | uniq -c | sort -rn | head -12

echo "hostile_peers: GRE cases"
echo "  $(ip netns exec "$NS_C" $PEER 192.0.2.1 gre-unknown-call --count 500 --source 192.0.2.3)"
echo "  $(ip netns exec "$NS_C" $PEER 192.0.2.1 gre-far-seq --count 500)"
sleep 1

kill -INT "$PING_PID"; wait "$PING_PID" || true
stats=$(grep "packets transmitted" "$WORK/ping.log")
echo "  established session ping during the attacks: $stats"
tx=$(echo "$stats" | awk '{print $1}'); rx=$(echo "$stats" | awk '{print $4}')
[ "$tx" -ge 30 ] || tn_fail "only $tx pings were sent"
[ $((tx - rx)) -le 1 ] || tn_fail "the established session lost $((tx - rx)) of $tx pings"
tn_stop_client "$CLIENT_PID"
tn_stop_server
counters=$(grep "GRE: .* datagrams in" "$WORK/server.log" | tail -1)
echo "  server counters: ${counters#* info }"
unknown=$(echo "$counters" | sed -n 's/.* \([0-9]*\) unknown call.*/\1/p')
[ "${unknown:-0}" -ge 500 ] || tn_fail "the server counted ${unknown:-0} GRE datagrams for unknown calls (sent 500+)"
echo "hostile_peers: OK"
