#!/usr/bin/env bash
# Faults over real sockets (issue 6): GRE loses 5% of its packets each way (nftables random drop
# inside the test's own namespaces) while a transfer still completes with matching SHA-256; the
# peer disappears (client SIGSTOPped: TCP stays open, nothing answers) and the server's echo
# timeouts end the session within the configured time; the TCP connection dies with the client
# (SIGKILL) and the server ends the session and says why. Afterwards a new client still connects
# and the server holds no more file descriptors than after its first session.
set -euo pipefail
TN_NAME=faults
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup
tn_server_config '"mschapv2"' true 128 stateless
# Short keepalives: LCP Echo every 1 s, 3 unanswered end the link; control Echo after 2 s idle.
cat >>"$WORK/server.toml" <<CONF
[echo]
control_interval_seconds = 2
lcp_interval_seconds = 1
lcp_failures = 3
CONF
tn_start_server
sleep 0.2

ended() { grep -c "session ended after" "$WORK/server.log" || true; }

echo "tunnel_faults: GRE loses 5% of packets each way; a 4 MB transfer still completes"
tn_start_client "$WORK/client.log" --user bob
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 10 || tn_fail "the client did not connect"
fds_before=$(ls /proc/"$SERVER_PID"/fd | wc -l)
for ns in "$NS_S" "$NS_C"; do
  ip netns exec "$ns" nft add table inet pxfault
  ip netns exec "$ns" nft add chain inet pxfault input '{ type filter hook input priority 0; }'
  ip netns exec "$ns" nft add rule inet pxfault input ip protocol gre numgen random mod 100 '<' 5 counter drop
done
tn_transfer "$NS_S" 198.51.100.1 "$NS_C" 4
dropped=0
for ns in "$NS_S" "$NS_C"; do
  n=$(ip netns exec "$ns" nft list chain inet pxfault input | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
  dropped=$((dropped + n))
  ip netns exec "$ns" nft delete table inet pxfault
done
echo "  SHA-256 matches; nftables dropped $dropped GRE packets"
[ "$dropped" -gt 0 ] || tn_fail "nftables dropped no GRE packets: the loss was not exercised"
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "ping after the lossy transfer"

echo "tunnel_faults: the peer disappears (SIGSTOP); echo timeouts end the session"
before=$(ended)
kill -STOP "$CLIENT_PID"
t0=$(date +%s.%N)
deadline=$((SECONDS + 15))
while [ "$(ended)" -eq "$before" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
t1=$(date +%s.%N)
[ "$(ended)" -gt "$before" ] || tn_fail "the server did not end the silent peer's session within 15 s"
why=$(grep "session ended after" "$WORK/server.log" | tail -1 | sed 's/.*session ended after [^:]*: \([^;]*\);.*/\1/')
printf '  ended after %.1f s (LCP echo 1 s x 3): %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" "$why"
kill -KILL "$CLIENT_PID"; wait "$CLIENT_PID" 2>/dev/null || true

echo "tunnel_faults: the client is killed (SIGKILL); the server ends the session and says why"
tn_start_client "$WORK/client2.log" --user bob
tn_wait_for "^connected:" "$WORK/client2.log" "$CLIENT_PID" 10 || tn_fail "the second client did not connect"
before=$(ended)
kill -KILL "$CLIENT_PID"; wait "$CLIENT_PID" 2>/dev/null || true
deadline=$((SECONDS + 10))
while [ "$(ended)" -eq "$before" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
[ "$(ended)" -gt "$before" ] || tn_fail "the server did not end the killed client's session within 10 s"
why=$(grep "session ended after" "$WORK/server.log" | tail -1 | sed 's/.*session ended after [^:]*: \([^;]*\);.*/\1/')
[ -n "$why" ] || tn_fail "the server gave no reason"
echo "  server said: $why"

echo "tunnel_faults: a new client still connects; no descriptors left behind"
tn_start_client "$WORK/client3.log" --user bob
tn_wait_for "^connected:" "$WORK/client3.log" "$CLIENT_PID" 10 || tn_fail "the third client did not connect"
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "ping after the faults"
fds_after=$(ls /proc/"$SERVER_PID"/fd | wc -l)
[ "$fds_after" -le "$fds_before" ] || tn_fail "server fds grew from $fds_before to $fds_after"
tn_stop_client "$CLIENT_PID"
tn_stop_server
echo "tunnel_faults: OK"
