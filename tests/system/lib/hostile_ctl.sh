# Control-channel cases of tests/system/hostile_peers.sh (issue 19 items 2, 3, 6 and the MRU
# cases), sourced by it after tunnel_env.sh; each function is one case against the running server
# ($SERVER_PID, $WORK/server.log) while the script's pinging client goes on. Python side:
# lib/hostile_ctl_cases.py (through $PEER).

# Item 2: Echo-Requests streamed without reading a reply. The server must close the connection
# (send queue bounded at 64 KiB), log why, count it, and its memory must not grow.
hc_ctl_flood() {
  echo "hostile_peers: control Echo-Requests without reading the replies (send queue bound)"
  local rss0 rss1 out
  rss0=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
  out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 ctl-flood --wait 5) || tn_fail "$out"
  echo "  $out"
  sleep 0.3
  rss1=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")
  echo "  server RSS: ${rss0} kB before, ${rss1} kB after"
  [ $((rss1 - rss0)) -le 8192 ] || tn_fail "the server's RSS grew by $((rss1 - rss0)) kB under the Echo-Request flood"
  grep -q "the peer does not read its control messages" "$WORK/server.log" ||
    tn_fail "the server did not log why it closed the flooding connection"
}

# Item 3, the other deadline: a control connection that never opens a call, kept alive by control
# Echo-Requests, is closed after [limits] no_call_seconds (5 s in the script's first server).
hc_no_call() {
  echo "hostile_peers: a control connection without a call (no_call_seconds = 5)"
  local out
  out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 no-call --wait 10) || tn_fail "$out"
  echo "  $out"
  sleep 0.2
  grep -q "control connection closed: no call for 5 s (\[limits\] no_call_seconds)" "$WORK/server.log" ||
    tn_fail "the server did not log closing the connection without a call"
  local closed
  closed=$(ip netns exec "$NS_S" "$BIN" ctl --socket "$WORK/control.sock" stats --json | jq -c .connections_closed) ||
    tn_fail "pptpx ctl stats failed"
  echo "  ctl stats: connections_closed $closed"
  echo "$closed" | jq -e '.no_call >= 1' >/dev/null || tn_fail "ctl stats does not count the connection closed for no call"
}

# Item 6: server Call IDs of 12 calls, one per connection: not sequential.
hc_call_ids() {
  echo "hostile_peers: server Call IDs"
  local out
  out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 call-ids --count 12) || tn_fail "$out"
  echo "  $out"
}

# Also seen (RFC 1661 §6.1, §5.8): against a server allowing PAP without MPPE, MRU 1400 (the
# default [tun] mtu). An LCP Echo-Request longer than 1500 octets gets no reply; one that fits
# 1500 is answered within the peer's MRU (1000); an IPv4 packet of 1450 octets is delivered
# (the MUST of §6.1: receive 1500 whatever was negotiated), one of 1600 is dropped and counted.
hc_mru() {
  echo "hostile_peers: frames longer than the MRU (server allowing PAP, no MPPE)"
  local out line
  out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 mru --wait 15 --user bob --password "$(cat "$WORK/password")") ||
    tn_fail "$out"
  echo "  $out"
  sleep 0.5
  line=$(grep 'user "bob".*session ended' "$WORK/server.log" | tail -1)
  echo "  server: ${line#*session ended}" | cut -c1-300
  echo "$line" | grep -q "bytes from client 1450 (1 packets)" ||
    tn_fail "the server did not deliver exactly the 1450-octet packet: $line"
  echo "$line" | grep -q "2 frames above the MRU and 1500 octets dropped" ||
    tn_fail "the server did not count the 2 frames longer than 1500 octets: $line"
}

# Item 3, with the default [limits]: 64 connections from 8 addresses hold every
# max_handshakes_in_progress slot (a control connection and calls, never any GRE, kept alive by
# control Echo-Requests). A real client is refused at first; the server must close them all
# within control_setup_seconds + network_setup_seconds (60 s), and the client then connects.
# Expects a server started with the default limits and a pinging client up.
hc_hold_slots() {
  echo "hostile_peers: 64 connections from 8 addresses holding the handshake slots (default limits)"
  local srcs="" i t0 hold_pid connected=0 tries=0 held
  for i in $(seq 10 17); do
    ip -n "$NS_C" addr add "192.0.2.$i/24" dev veth-c 2>/dev/null || true
    srcs="$srcs${srcs:+,}192.0.2.$i"
  done
  ip netns exec "$NS_C" $PEER 192.0.2.1 hold-slots --count 64 --source "$srcs" --wait 80 >"$WORK/hold.log" 2>&1 &
  hold_pid=$!
  TN_PIDS+=("$hold_pid")
  for i in $(seq 1 50); do
    held=$(grep -c "connection #.* from 192.0.2.1[0-7]:" "$WORK/server.log" || true)
    [ "$held" -ge 64 ] && break
    sleep 0.2
  done
  [ "$held" -ge 64 ] || tn_fail "only $held of the 64 holding connections were accepted"
  t0=$(date +%s)  # all 64 accepted (within 0.2 s)
  # While they hold on: refused, as the limit says (the log names the limit).
  ip netns exec "$NS_V" timeout 10 "$BIN" client 192.0.2.1 --password-file "$WORK/password" --user user1 \
    >"$WORK/client-slot0.log" 2>&1 && tn_fail "a client connected while 64 handshakes were in progress"
  grep -q "64 handshakes in progress is the limit" "$WORK/server.log" ||
    tn_fail "the server did not refuse a client while 64 handshakes were in progress"
  # Then it must get in once the server closed them (60 s after they connected), bounded at 75 s.
  while [ $(($(date +%s) - t0)) -lt 75 ]; do
    tries=$((tries + 1))
    : >"$WORK/client-slot.log"
    ip netns exec "$NS_V" "$BIN" client 192.0.2.1 --password-file "$WORK/password" --user user1 \
      >"$WORK/client-slot.log" 2>&1 &
    local cpid=$!
    TN_PIDS+=("$cpid")
    if tn_wait_for "^connected:" "$WORK/client-slot.log" "$cpid" 8; then
      connected=$(($(date +%s) - t0))
      tn_stop_client "$cpid"
      break
    fi
    kill "$cpid" 2>/dev/null || true
    wait "$cpid" 2>/dev/null || true
    sleep 1
  done
  [ "$connected" -gt 0 ] || tn_fail "no client could connect within 75 s while the 64 connections held on"
  echo "  a real client: refused at first, connected $connected s after the 64 were accepted ($tries attempts)"
  wait "$hold_pid" || tn_fail "$(cat "$WORK/hold.log")"
  echo "  $(cat "$WORK/hold.log")"
  local n
  n=$(grep -c "control connection closed: no link up within 60 s of the connection" "$WORK/server.log" || true)
  [ "$n" -ge 64 ] || tn_fail "the server logged $n of 64 connections closed for no link up within 60 s"
}
