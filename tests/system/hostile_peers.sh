#!/usr/bin/env bash
# Hostile peers over real sockets (issue 6), against a live server while a real `pptpx client`
# session pings through its tunnel the whole time: garbage on 1723, a wrong cookie, a wrong PPTP
# message type, an unknown control message type, a truncated and an oversized Length, a message out
# of order, a slow sender (one byte / 0.2 s), 200
# half-open connections, GRE for an unknown call from a spoofed source (another address of the
# test's client namespace) and GRE with sequence numbers far outside the window. Each TCP case must
# be closed by the server with a logged reason; the GRE cases must show up in the server's drop
# counters (logged at exit); the ping (30+ packets) must lose at most 1.
# On live calls (issue 6): GRE with sequence numbers far outside the window on the pinging
# session's own Call ID (dropped, counted, its ping unharmed); MPPE packets with bad coherency
# counts on a second client's call (from 203.0.113.2, its own namespace); LCP negotiations that
# never converge (Naks / Rejects forever: the server ends the call, logging why), then IPCP ones
# (against a server allowing PAP, after LCP and PAP succeed); and the per-user
# authentication lockout (3 wrong passwords for one user from one address lock the user out
# from every address; the refusal is the wrong-password reply). The pinging session keeps its
# ping going throughout (at most 1 lost, as above; 0 in the runs so far).
# Issue 19 (tests/system/lib/hostile_data.sh, ~25 s): a blind GRE spray (one packet per Call ID,
# 4000 numbers ahead) at the server and at the client, and an MPPE key-change flood on a call of
# its own; bob's own pings right after / during each must lose at most 1.
# Issue 19 item 1 (reauth_lockout_case): failed re-authentications on an up call count toward the
# lockout, and a re-authentication as another user ends the call.
# Issue 19 (lib/hostile_ctl.sh, lib/hostile_ctl_cases.py): control Echo-Requests never read (the
# server's send queue is bounded: closed, RSS flat), a control connection that never opens a call
# (closed after no_call_seconds), the server's Call IDs (not sequential), and,
# on a server restarted with the default [limits] and its own pinging client, 64 connections from
# 8 addresses holding every handshake slot (closed after 60 s, then a real client gets in) and
# frames beyond the MRU (RFC 1661 §6.1). About 2 min 50 s in all (1 min 35 s before issue 19's
# cases; the default 60 s deadline is waited out on purpose).
set -euo pipefail
TN_NAME=hostile
source "$(dirname "$0")/lib/tunnel_env.sh"
source "$(dirname "$0")/lib/hostile_ctl.sh"
PEER="python3 $(cd "$(dirname "$0")" && pwd)/lib/hostile_peer.py"
source "$(dirname "$0")/lib/hostile_data.sh"  # issue 19: GRE spray, MPPE key-change flood
tn_setup
TN_LOCKOUT_FAILURES=3 tn_server_config '"mschapv2"' true 128 stateless
sed -i 's/^max_sessions_per_source = 100$/max_sessions_per_source = 100\ncontrol_setup_seconds = 3\nnetwork_setup_seconds = 4\nno_call_seconds = 5/' "$WORK/server.toml"
# A second client namespace (the MPPE victim, and the lockout's failing address): 203.0.113.2.
NS_V="$TN_PREFIX-v"
trap 'ip netns del "$NS_V" 2>/dev/null || true; tn_cleanup' EXIT
ip netns add "$NS_V"
ip link add veth-v netns "$NS_V" type veth peer name veth-sv netns "$NS_S"
ip -n "$NS_V" addr add 203.0.113.2/24 dev veth-v
ip -n "$NS_S" addr add 203.0.113.1/24 dev veth-sv
ip -n "$NS_V" link set lo up
ip -n "$NS_V" link set veth-v up
ip -n "$NS_S" link set veth-sv up
ip -n "$NS_V" route add 192.0.2.0/24 via 203.0.113.1
# Issue 19 item 1: the lockout cannot be bypassed by re-authenticating an up call. A server offering
# MS-CHAPv2 then PAP (MPPE optional) with a lockout after 3 failures; a real client (MS-CHAPv2 +
# MPPE) pings through it the whole time. The Python peer brings its own call up as bob (PAP, right
# password), renegotiates LCP and re-authenticates as user7 with a wrong password, three times
# from 203.0.113.2: every failure counts, so user7 and that address are locked out. Then, from
# 192.0.2.2: up as bob, re-authenticated as user8 with user8's right password: the server ends
# the call (logged) instead of switching it to user8. About 30-40 s.
reauth_lockout_case() {
  echo "hostile_peers: re-authentication on an up call (lockout after 3 failures)"
  : >"$WORK/server.log"
  TN_LOCKOUT_FAILURES=3 tn_server_config '"mschapv2", "pap"' false 128 stateless
  tn_start_server
  tn_start_client "$WORK/client-re.log" --user bob
  tn_wait_for "^connected:" "$WORK/client-re.log" "$CLIENT_PID" 10 || tn_fail "the client did not connect"
  ip netns exec "$NS_C" ping -n -i 0.2 -W 1 198.51.100.1 >"$WORK/ping-re.log" 2>&1 &
  local ping_pid=$! pw out i
  TN_PIDS+=("$ping_pid")
  pw=$(cat "$WORK/password")
  for i in 1 2 3; do
    out=$(ip netns exec "$NS_V" $PEER 192.0.2.1 reauth --wait 10 --user bob --password "$pw" \
      --as-user user7 --as-password wrong-password) || tn_fail "$out"
    echo "  $out"
  done
  grep -q 'user "user7": 3 authentication failures within 60 s, the last from 203.0.113.2: refusing this user' \
    "$WORK/server.log" || tn_fail "3 failed re-authentications as user7 did not lock user7 out"
  grep -q '203.0.113.2:[0-9]*: 3 authentication failures within 60 s: refusing this address' "$WORK/server.log" ||
    tn_fail "3 failed re-authentications from 203.0.113.2 did not lock the address out"
  out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 reauth --wait 10 --user bob --password "$pw" \
    --as-user user8 --as-password "$pw") || tn_fail "$out"
  echo "  $out"
  grep -q 're-authentication named user "user8", but the call is up as user "bob"' "$WORK/server.log" ||
    tn_fail "the server did not log the re-authentication as another user"
  if grep 'link up' "$WORK/server.log" | grep -q 'user "user8"'; then tn_fail "a call came up as user8"; fi
  grep 'refusing this user\|refusing this address\|re-authentication named' "$WORK/server.log" | sed 's/^.*\] /    /' |
    cut -c1-220
  kill -INT "$ping_pid"; wait "$ping_pid" || true
  local stats tx rx
  stats=$(grep "packets transmitted" "$WORK/ping-re.log")
  echo "  real client's ping during the re-authentications: $stats"
  tx=$(echo "$stats" | awk '{print $1}'); rx=$(echo "$stats" | awk '{print $4}')
  [ "$tx" -ge 10 ] || tn_fail "only $tx pings were sent"
  [ $((tx - rx)) -le 1 ] || tn_fail "the real client lost $((tx - rx)) of $tx pings"
  tn_stop_client "$CLIENT_PID"
  tn_stop_server
}

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

hc_ctl_flood
hc_no_call
hc_call_ids

echo "hostile_peers: GRE cases"
echo "  $(ip netns exec "$NS_C" $PEER 192.0.2.1 gre-unknown-call --count 500 --source 192.0.2.3)"
echo "  $(ip netns exec "$NS_C" $PEER 192.0.2.1 gre-far-seq --count 500)"
out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 gre-live-far-seq --count 400 --iface veth-c) || tn_fail "$out"
echo "  $out"

echo "hostile_peers: MPPE with bad coherency counts on a live call"
: >"$WORK/client-v.log"
ip netns exec "$NS_V" "$BIN" client 192.0.2.1 --password-file "$WORK/password" --user user1 >"$WORK/client-v.log" 2>&1 &
VICTIM_PID=$!
TN_PIDS+=("$VICTIM_PID")
tn_wait_for "^connected:" "$WORK/client-v.log" "$VICTIM_PID" 10 || tn_fail "the second client did not connect"
ip netns exec "$NS_V" ping -n -i 0.2 -W 1 198.51.100.1 >"$WORK/ping-v.log" 2>&1 &
VPING_PID=$!
TN_PIDS+=("$VPING_PID")
sleep 0.5
out=$(ip netns exec "$NS_V" $PEER 192.0.2.1 mppe-bad-count --count 8 --iface veth-v) || tn_fail "$out"
echo "  $out"
sleep 1.5
kill -INT "$VPING_PID"; wait "$VPING_PID" || true
echo "  attacked session's ping: $(grep "packets transmitted" "$WORK/ping-v.log")"
ip netns exec "$NS_V" ping -n -c 3 -i 0.2 -W 2 198.51.100.1 >/dev/null ||
  tn_fail "the attacked session passes no traffic after the bad MPPE packets"
grep -q 'user "user1".*dropping MPPE packets that do not decrypt' "$WORK/server.log" ||
  tn_fail "the server did not log the MPPE drops on user1's call"
tn_stop_client "$VICTIM_PID"
sleep 0.3
mppe_line=$(grep 'user "user1".*session ended' "$WORK/server.log" | tail -1)
stale=$(echo "$mppe_line" | sed -n 's/.*MPPE dropped [0-9]* (stale coherency count \([0-9]*\).*/\1/p')
[ "${stale:-0}" -ge 4 ] || tn_fail "user1's session end line counts ${stale:-0} stale MPPE coherency counts (sent 8): $mppe_line"
echo "  server: ${mppe_line#*session ended}" | cut -c1-400

hd_gre_spray
hd_mppe_key_flood

echo "hostile_peers: LCP negotiations that never converge"
for mode in nak reject; do
  out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 lcp-never-converges --mode "$mode" --wait 15) || tn_fail "$out"
  echo "  $out"
done
sleep 0.3
never=$(grep -c 'session ended after 0 s: .*LCP: [0-9]* Configure-Requests sent' "$WORK/server.log" || true)
[ "$never" -ge 2 ] || tn_fail "the server logged $never never-converging LCP negotiations with counters (2 tried)"
grep 'session ended after 0 s: .*LCP: [0-9]* Configure-Requests sent' "$WORK/server.log" | tail -2 |
  sed 's/.*session ended after 0 s: /    /; s/; bytes from client.*; LCP:/; LCP:/' | cut -c1-300

echo "hostile_peers: per-user authentication lockout"
for i in 1 2 3; do
  ip netns exec "$NS_V" timeout 15 "$BIN" client 192.0.2.1 --password-file "$WORK/wrong-password" --user user7 \
    >"$WORK/client-lock$i.log" 2>&1 && tn_fail "user7 connected with a wrong password"
done
grep -q 'user "user7": 3 authentication failures within 60 s, the last from 203.0.113.2: refusing this user' "$WORK/server.log" ||
  tn_fail "the server did not log user7's lockout with the address"
# The right password, from the other address: refused, with the same reply as a wrong password.
ip netns exec "$NS_C" timeout 15 "$BIN" client 192.0.2.1 --password-file "$WORK/password" --user user7 \
  >"$WORK/client-lock4.log" 2>&1 && tn_fail "locked-out user7 connected"
grep -q 'user "user7" is locked out for' "$WORK/server.log" || tn_fail "the server did not log the refused locked-out attempt"
r3=$(grep -o 'E=691[^"]*' "$WORK/client-lock3.log" | head -1 | sed 's/C=[0-9A-Fa-f]*/C=.../')
r4=$(grep -o 'E=691[^"]*' "$WORK/client-lock4.log" | head -1 | sed 's/C=[0-9A-Fa-f]*/C=.../')
[ -n "$r4" ] && [ "$r3" = "$r4" ] || tn_fail "the locked-out reply \"$r4\" differs from the wrong-password reply \"$r3\""
echo "  user7: 3 wrong passwords from 203.0.113.2 -> locked out; right password from 192.0.2.2 -> \"$r4\" (as a wrong password)"
grep 'refusing this user\|is locked out for\|refusing this address' "$WORK/server.log" | sed 's/^.*\] /    /' | cut -c1-200
sleep 1

kill -INT "$PING_PID"; wait "$PING_PID" || true
stats=$(grep "packets transmitted" "$WORK/ping.log")
echo "  established session ping during the attacks: $stats"
tx=$(echo "$stats" | awk '{print $1}'); rx=$(echo "$stats" | awk '{print $4}')
[ "$tx" -ge 30 ] || tn_fail "only $tx pings were sent"
[ $((tx - rx)) -le 1 ] || tn_fail "the established session lost $((tx - rx)) of $tx pings"
tn_stop_client "$CLIENT_PID"
sleep 0.3
far_line=$(grep 'user "bob".*session ended' "$WORK/server.log" | tail -1)
far=$(echo "$far_line" | sed -n 's/.*GRE dropped \([0-9]*\) out of window (0 resyncs).*/\1/p')
[ "${far:-0}" -ge 400 ] || tn_fail "the live session's end line counts ${far:-0} GRE packets out of window (sent 400): $far_line"
grep -q 'user "bob".*dropping GRE packets whose sequence number is more than 4096' "$WORK/server.log" ||
  tn_fail "the server did not log the out-of-window GRE on the live call"
echo "  live session: GRE dropped $far out of window, 0 resyncs"
hd_end_checks
tn_stop_server
never_up=$(grep "sessions: .* calls ended before their link came up" "$WORK/server.log" | tail -1)
echo "  ${never_up#* info }"
n_never=$(echo "$never_up" | sed -n 's/.*sessions: \([0-9]*\) calls ended before.*/\1/p')
[ "${n_never:-0}" -ge 2 ] || tn_fail "the server counted ${n_never:-0} calls that never came up"
counters=$(grep "GRE: .* datagrams in" "$WORK/server.log" | tail -1)
echo "  server counters: ${counters#* info }"
unknown=$(echo "$counters" | sed -n 's/.* \([0-9]*\) unknown call.*/\1/p')
[ "${unknown:-0}" -ge 500 ] || tn_fail "the server counted ${unknown:-0} GRE datagrams for unknown calls (sent 500+)"

# IPCP that never converges needs a peer that gets through LCP and authentication: a server that
# allows PAP without MPPE (the Python peer has no MS-CHAPv2/MPPE). IPCP's own Max-Failure must end
# it, well before the network-setup deadline (30 s by default).
echo "hostile_peers: IPCP negotiations that never converge (server allowing PAP, no MPPE)"
: >"$WORK/server.log"
tn_server_config '"pap"' false 128 stateless
tn_start_server
for mode in nak reject; do
  out=$(ip netns exec "$NS_C" $PEER 192.0.2.1 ipcp-never-converges --mode "$mode" --wait 15 \
    --user bob --password "$(cat "$WORK/password")") || tn_fail "$out"
  echo "  $out"
done
sleep 0.3
ipcp_never=$(grep -c 'session ended after .*IPCP: [0-9]* Configure-Requests sent' "$WORK/server.log" || true)
[ "$ipcp_never" -ge 2 ] || tn_fail "the server logged $ipcp_never never-converging IPCP negotiations with counters (2 tried)"
n_ipcp=$(grep -c 'session ended after .*IPCP negotiation did not converge' "$WORK/server.log" || true)
[ "$n_ipcp" -ge 2 ] || tn_fail "the server ended $n_ipcp of 2 calls saying IPCP did not converge"
grep 'session ended after .*IPCP: [0-9]* Configure-Requests sent' "$WORK/server.log" | tail -2 |
  sed 's/.*session ended after /    ended after /' | cut -c1-400
tn_stop_server
reauth_lockout_case

# Issue 19 item 3 and the MRU cases, with the default [limits]: a server allowing MS-CHAPv2 (the
# pinging client, MPPE) and PAP without requiring MPPE (the Python peer of the MRU case).
echo "hostile_peers: default limits (server allowing MS-CHAPv2 and PAP, MPPE optional)"
: >"$WORK/server.log"
tn_server_config '"mschapv2", "pap"' false 128 stateless
sed -i '/^\[limits\]$/,/^lockout_seconds = /d' "$WORK/server.toml"
tn_start_server
tn_start_client "$WORK/client.log" --user bob
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 10 || tn_fail "the client did not connect"
ip netns exec "$NS_C" ping -n -i 0.2 -W 1 198.51.100.1 >"$WORK/ping2.log" 2>&1 &
PING_PID=$!
TN_PIDS+=("$PING_PID")
sleep 1
hc_hold_slots
hc_mru
kill -INT "$PING_PID"; wait "$PING_PID" || true
stats=$(grep "packets transmitted" "$WORK/ping2.log")
echo "  established session ping during the attacks: $stats"
tx=$(echo "$stats" | awk '{print $1}'); rx=$(echo "$stats" | awk '{print $4}')
[ "$tx" -ge 30 ] || tn_fail "only $tx pings were sent"
[ $((tx - rx)) -le 1 ] || tn_fail "the established session lost $((tx - rx)) of $tx pings"
tn_stop_client "$CLIENT_PID"
tn_stop_server
grep "control connections closed by the server" "$WORK/server.log" | tail -1 | sed 's/^.*\] /  /'
echo "hostile_peers: OK"
