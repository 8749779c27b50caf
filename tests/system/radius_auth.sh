#!/usr/bin/env bash
# pptpx authenticating through a real FreeRADIUS 3.2 (Debian's freeradius, started here with a
# generated configuration inside the server's namespace on 127.0.0.1, so its ports clash with
# nothing): PAP, CHAP-MD5, MS-CHAPv1 and MS-CHAPv2 via RADIUS; MS-CHAPv1 with MPPE-128 keys from
# RADIUS (MS-CHAP-MPPE-Keys) and MS-CHAPv2 with MPPE-128 keys from RADIUS (MS-MPPE-Send/Recv-Key);
# for each a client connects and pings through. A wrong password reaches the client as E=691 and
# counts toward the lockout, and a user locked out here is refused without an Access-Request; with
# FreeRADIUS stopped, "radius-then-secrets" falls back to the secrets file and "radius" refuses.
# Accounting: Accounting-On/Off, Start, Interim-Update and Stop in FreeRADIUS's detail file with
# the octets the server counted (ctl sessions --json, its end-of-session line), Framed-IP-Address,
# Class and DNS from the Accept, Session-Timeout, Idle-Timeout and `ctl kill` with their
# Acct-Terminate-Cause, a Stop queued through a FreeRADIUS restart (Acct-Delay-Time). Dynamic
# Authorization (RFC 5176) with FreeRADIUS's radclient as the DAE client: a Disconnect-Request
# ends the session it names (the client prints "disconnected by RADIUS"; Stop with Admin-Reset)
# and is ACKed; a CoA Session-Timeout ends a session at the new time and a CoA Idle-Timeout an
# idle one, with their reasons; a bad DAE secret and a stale Event-Timestamp get no answer and are
# counted; no match gets a NAK with Error-Cause 503. One FreeRADIUS serves every case (it is
# restarted once, on its own configuration). About 50 s.
set -euo pipefail
TN_NAME=radius
source "$(dirname "$0")/lib/tunnel_env.sh"
source "$(dirname "$0")/lib/radius_env.sh"
for tool in freeradius radclient jq; do
  command -v "$tool" >/dev/null || { echo "radius_auth: needs $tool (scripts/deps.sh test)"; exit 1; }
done
tn_setup
RSECRET="s3cret-$$"
radius_gen_config "$WORK/raddb" 127.0.0.1 1812 1813 "$RSECRET"
radius_start "$NS_S" "$WORK/raddb" "$WORK/freeradius.log"

# server_config METHOD REQUIRED SOURCE: the tunnel config with [auth] source and [radius].
server_config() {
  tn_server_config "\"$1\"" "$2" 128 stateless
  sed -i "s/^\[auth\]$/[auth]\nsource = \"$3\"/" "$WORK/server.toml"
  cat >>"$WORK/server.toml" <<CONF
[radius]
nas_identifier = "pptpx-test"
timeout_seconds = 1
retries = 1
[[radius.servers]]
address = "127.0.0.1"
secret = "$RSECRET"
CONF
  if [ -n "${DAE:-}" ]; then
    cat >>"$WORK/server.toml" <<CONF
[radius.dae]
listen = "127.0.0.1:3799"
[[radius.dae.clients]]
address = "127.0.0.1"
secret = "$DSECRET"
CONF
  fi
}

# connect CASE SMETHOD REQUIRED SOURCE CLIENT_ARGS EXPECT
connect() {
  local name=$1 smethod=$2 required=$3 source=$4 cargs=$5 expect=$6
  : >"$WORK/server.log"
  server_config "$smethod" "$required" "$source"
  tn_start_server
  # shellcheck disable=SC2086
  tn_start_client "$WORK/client.log" --user bob $cargs
  tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 15 || tn_fail "$name: the client did not connect"
  grep -q -- "$expect" "$WORK/client.log" || tn_fail "$name: expected '$expect', got: $(grep '^connected:' "$WORK/client.log")"
  ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "$name: ping through the tunnel"
  tn_stop_client "$CLIENT_PID"
  tn_stop_server
  echo "  $name: ok"
}

t0=$(date +%s)
connect "PAP via RADIUS" pap false radius "--auth pap --mppe none" "auth PAP, encryption none"
connect "CHAP-MD5 via RADIUS" chap-md5 false radius "--auth chap-md5 --mppe none" "auth CHAP-MD5, encryption none"
connect "MS-CHAPv1 via RADIUS" mschap false radius "--auth mschapv1 --mppe none" "auth MS-CHAPv1, encryption none"
connect "MS-CHAPv1 via RADIUS, MPPE-128 keys from RADIUS (MS-CHAP-MPPE-Keys)" mschap true radius \
  "--auth mschapv1 --mppe 128" "auth MS-CHAPv1, encryption MPPE 128-bit"
grep -q "MS-CHAP-MPPE-Keys" "$WORK/freeradius.log" || tn_fail "FreeRADIUS sent no MS-CHAP-MPPE-Keys"
connect "MS-CHAPv2 via RADIUS, MPPE-128 keys from RADIUS" mschapv2 true radius "--auth mschapv2 --mppe 128" \
  "auth MS-CHAPv2, encryption MPPE 128-bit"
grep -q "MS-MPPE-Send-Key" "$WORK/freeradius.log" || tn_fail "FreeRADIUS sent no MS-MPPE-Send-Key"

echo "  wrong password: E=691 at the client, counted toward the lockout"
: >"$WORK/server.log"
TN_LOCKOUT_FAILURES=1 server_config mschapv2 true radius
tn_start_server
ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user bob --password-file "$WORK/wrong-password" --auth mschapv2 \
  >"$WORK/client.log" 2>&1 && tn_fail "a wrong password connected"
grep -q "691" "$WORK/client.log" || tn_fail "the client was not told E=691: $(tail -3 "$WORK/client.log")"
grep -qi "Login incorrect" "$WORK/freeradius.log" || tn_fail "FreeRADIUS did not log the rejected login"
tn_start_client "$WORK/client2.log" --user bob --auth mschapv2
wait "$CLIENT_PID" && tn_fail "a locked-out user connected"
grep -qi "locked out" "$WORK/server.log" || tn_fail "the server did not lock the user or address out: $(tail -3 "$WORK/server.log")"
echo "  a user locked out here is refused before any Access-Request"
ip netns exec "$NS_S" "$BIN" ctl --socket "$WORK/control.sock" unlock 192.0.2.2 >/dev/null || tn_fail "ctl unlock 192.0.2.2"
asked=$(grep -c "Received Access-Request" "$WORK/freeradius.log")
tn_start_client "$WORK/client3.log" --user bob --auth mschapv2
wait "$CLIENT_PID" && tn_fail "a locked-out user connected with the right password"
grep -q "691" "$WORK/client3.log" || tn_fail "the locked-out user was not told E=691: $(tail -2 "$WORK/client3.log")"
grep -q "RADIUS was not asked" "$WORK/server.log" || tn_fail "the server did not refuse the locked-out user itself"
[ "$(grep -c "Received Access-Request" "$WORK/freeradius.log")" -eq "$asked" ] ||
  tn_fail "FreeRADIUS was asked about a locked-out user"
tn_stop_server

echo "  Disconnect-Request and CoA-Request (RFC 5176) from radclient"
DSECRET="dae-$$-secret"
ctl() { ip netns exec "$NS_S" "$BIN" ctl --socket "$WORK/control.sock" "$@"; }
# dae TYPE SECRET ATTRS...: radclient's answer (its exit status is ignored: a NAK is not an error here).
dae() {
  local type=$1 secret=$2; shift 2
  printf '%s\n' "$@" | ip netns exec "$NS_S" timeout 10 radclient -d "$WORK/raddb" -x -r 1 -t 1 127.0.0.1:3799 \
    "$type" "$secret" 2>&1 || true
}
stat_of() { ctl stats --json | jq -r ".radius_dae.$1"; }
: >"$WORK/server.log"
DAE=1 server_config mschapv2 true radius
tn_start_server
grep -q "RADIUS Disconnect/CoA (RFC 5176): listening on 127.0.0.1:3799" "$WORK/server.log" || tn_fail "no DAE listener"
declare -A DPID DADDR DID DSID
for n in 1 2 3; do
  tn_start_client "$WORK/dae$n.log" --user bob --auth mschapv2
  DPID[$n]=$CLIENT_PID
  tn_wait_for "^connected:" "$WORK/dae$n.log" "$CLIENT_PID" 15 || tn_fail "DAE client $n did not connect"
  DADDR[$n]=$(grep -o 'address [0-9.]*' "$WORK/dae$n.log" | head -1 | cut -d' ' -f2)
  DID[$n]=$(ctl sessions --json | jq -r ".sessions[] | select(.ipv4 == \"${DADDR[$n]}\") | .id")
  DSID[$n]=$(ctl sessions --json | jq -r ".sessions[] | select(.ipv4 == \"${DADDR[$n]}\") | .acct_session_id")
  [ -n "${DID[$n]}" ] && [ -n "${DSID[$n]}" ] || tn_fail "DAE client $n (${DADDR[$n]}) is not in ctl sessions"
done
out=$(dae disconnect "wrong-$DSECRET" "User-Name = bob")
grep -q "Received Disconnect" <<<"$out" && tn_fail "a Disconnect-Request with a bad secret was answered: $out"
[ "$(stat_of dropped_bad_authenticator)" -ge 1 ] || tn_fail "the bad DAE secret was not counted: $(ctl stats --json | jq -c .radius_dae)"
out=$(dae disconnect "$DSECRET" "User-Name = bob" "Event-Timestamp = $(($(date +%s) - 3600))")
grep -q "Received Disconnect" <<<"$out" && tn_fail "a Disconnect-Request an hour old was answered: $out"
[ "$(stat_of dropped_event_timestamp)" -eq 1 ] || tn_fail "the stale Event-Timestamp was not counted"
for n in 1 2 3; do kill -0 "${DPID[$n]}" 2>/dev/null || tn_fail "DAE client $n ended by a dropped request"; done
echo "    bad secret and stale Event-Timestamp: no answer, counted; every session still up"
out=$(dae disconnect "$DSECRET" "User-Name = nobody")
grep -q "Received Disconnect-NAK" <<<"$out" && grep -q "Error-Cause = Session-Context-Not-Found" <<<"$out" ||
  tn_fail "no match: not a Disconnect-NAK with Error-Cause 503: $out"
out=$(dae coa "$DSECRET" "User-Name = bob" "Framed-IP-Address = 198.51.100.99" "Session-Timeout = 5")
grep -q "Received CoA-NAK" <<<"$out" && grep -q "Session-Context-Not-Found" <<<"$out" ||
  tn_fail "User-Name matches, Framed-IP-Address does not: not a CoA-NAK 503: $out"
echo "    no match: NAK with Error-Cause 503 (Session-Context-Not-Found)"
out=$(dae disconnect "$DSECRET" "User-Name = bob" "Framed-IP-Address = ${DADDR[3]}" "Calling-Station-Id = 192.0.2.2" \
  "Event-Timestamp = $(date +%s)")
grep -q "Received Disconnect-ACK" <<<"$out" || tn_fail "the Disconnect-Request was not ACKed: $out"
rc=0; timeout 10 tail --pid="${DPID[3]}" -f /dev/null || rc=$?
[ $rc -eq 0 ] || tn_fail "DAE client 3 still runs 10 s after the Disconnect-ACK"
grep -q "disconnected by RADIUS" "$WORK/dae3.log" || tn_fail "client 3 did not print the reason: $(tail -3 "$WORK/dae3.log")"
grep -q "#${DID[3]} .*disconnected by RADIUS" "$WORK/server.log" || tn_fail "the server did not log the disconnect"
for n in 1 2; do kill -0 "${DPID[$n]}" 2>/dev/null || tn_fail "DAE client $n ended with client 3's disconnect"; done
# Its accounting Stop says Admin-Reset (RFC 5176 §3: the RADIUS server asked for it).
for _ in $(seq 1 100); do
  stop=$(awk -v RS= -v s="Acct-Session-Id = \"${DSID[3]}\"" 'index($0, s) && index($0, "Acct-Status-Type = Stop")' \
    "$WORK/raddb/radacct/detail")
  [ -n "$stop" ] && break; sleep 0.05
done
grep -q "Acct-Terminate-Cause = Admin-Reset" <<<"$stop" || tn_fail "client 3's Stop is not Admin-Reset: $stop"
echo "    Disconnect-ACK, Stop with Admin-Reset; client 3 said: $(grep -o '[^:]*disconnected by RADIUS[^)]*' "$WORK/dae3.log" | head -1)"
# CoA: client 1 gets a Session-Timeout 3 s past its uptime (counted from link up, RFC 2865
# §5.27), client 2 an Idle-Timeout of 2 s (it sends nothing).
up1=$(ctl sessions --json | jq -r ".sessions[] | select(.id == ${DID[1]}) | .uptime")
t_coa=$(date +%s%N)
out=$(dae coa "$DSECRET" "Acct-Session-Id = \"${DSID[1]}\"" "Session-Timeout = $((up1 + 3))")
grep -q "Received CoA-ACK" <<<"$out" || tn_fail "the CoA Session-Timeout was not ACKed: $out"
out=$(dae coa "$DSECRET" "Framed-IP-Address = ${DADDR[2]}" "Idle-Timeout = 2")
grep -q "Received CoA-ACK" <<<"$out" || tn_fail "the CoA Idle-Timeout was not ACKed: $out"
rc=0; timeout 10 tail --pid="${DPID[1]}" -f /dev/null || rc=$?
[ $rc -eq 0 ] || tn_fail "client 1 still runs 10 s after a CoA gave it 3 s more"
ms=$((($(date +%s%N) - t_coa) / 1000000))
# Its deadline was 2..3 s after the CoA (uptime is whole seconds), checked once a second; allow
# for the client's exit.
[ "$ms" -ge 1500 ] && [ "$ms" -le 8000 ] || tn_fail "client 1 ended $ms ms after the CoA, not about 3 s"
grep -q "Session-Timeout of $((up1 + 3)) s reached" "$WORK/dae1.log" ||
  tn_fail "client 1 did not print the Session-Timeout reason: $(tail -3 "$WORK/dae1.log")"
rc=0; timeout 10 tail --pid="${DPID[2]}" -f /dev/null || rc=$?
[ $rc -eq 0 ] || tn_fail "client 2 still runs 10 s after a CoA Idle-Timeout of 2 s"
grep -q "Idle-Timeout of 2 s reached" "$WORK/dae2.log" || tn_fail "client 2 did not print the Idle-Timeout reason: $(tail -3 "$WORK/dae2.log")"
echo "    CoA: client 1 ended $ms ms after the CoA (its new deadline: 2-3 s), client 2 idle after 2 s"
[ "$(stat_of disconnect_ack)" -eq 1 ] && [ "$(stat_of coa_ack)" -eq 2 ] && [ "$(stat_of disconnect_nak)" -eq 1 ] &&
  [ "$(stat_of coa_nak)" -eq 1 ] || tn_fail "DAE counters: $(ctl stats --json | jq -c .radius_dae)"
ctl stats | grep -q "RADIUS Disconnect/CoA" || tn_fail "ctl stats does not show the DAE counters"
tn_stop_server

# Accounting (RFC 2866) and the Access-Accept's attributes, against the same FreeRADIUS: its
# detail file must show what the server did. About 20 s.
echo "  accounting: Accounting-On, Start, Interim-Update, Stop; Framed-IP-Address, Class, DNS from the Accept"
D=$WORK/raddb
ctl() { ip netns exec "$NS_S" "$BIN" ctl --socket "$WORK/control.sock" "$@"; }
# wait_record STATUS USER SECONDS [MIN_COUNT]: until the detail file has MIN_COUNT (default 1) such records.
wait_record() {
  local i n
  for i in $(seq 1 $(($3 * 20))); do
    n=$(awk -v RS= -v st="Acct-Status-Type = $1" -v u="User-Name = \"$2\"" -v user="$2" \
      'index($0, st) && (user == "" || index($0, u)) { n++ } END { print n + 0 }' "$D/radacct/detail" 2>/dev/null || echo 0)
    [ "$n" -ge "${4:-1}" ] && return 0
    sleep 0.05
  done
  return 1
}
: >"$WORK/server.log"
server_config mschapv2 true radius
sed -i "s/^\[radius\]$/[radius]\ninterim_interval_seconds = 0/" "$WORK/server.toml"
tn_start_server
wait_record Accounting-On "" 5 || tn_fail "no Accounting-On in FreeRADIUS's detail file"
tn_start_client "$WORK/client.log" --user acct1 --auth mschapv2 --mppe 128
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 15 || tn_fail "acct1 did not connect"
grep -q "address 198.51.100.77," "$WORK/client.log" || tn_fail "the Framed-IP-Address was not used: $(grep '^connected:' "$WORK/client.log")"
grep -q "DNS 192.0.2.53" "$WORK/client.log" || tn_fail "MS-Primary-DNS-Server was not handed on: $(grep '^connected:' "$WORK/client.log")"
wait_record Start acct1 5 || tn_fail "no accounting Start for acct1"
start=$(radius_detail_record "$D" Start acct1)
sid=$(radius_attr Acct-Session-Id <<<"$start")
[ -n "$sid" ] || tn_fail "the Start carries no Acct-Session-Id: $start"
[ "$(radius_attr Framed-IP-Address <<<"$start")" = 198.51.100.77 ] || tn_fail "Start: Framed-IP-Address: $start"
[ "$(radius_attr Calling-Station-Id <<<"$start")" = 192.0.2.2 ] || tn_fail "Start: Calling-Station-Id: $start"
[ "$(radius_attr NAS-Port-Type <<<"$start")" = Virtual ] || tn_fail "Start: NAS-Port-Type: $start"
[ "$(radius_attr NAS-Identifier <<<"$start")" = pptpx-test ] || tn_fail "Start: NAS-Identifier: $start"
grep -Eq 'Class = (0x676f6c642d636c617373|"gold-class")' <<<"$start" || tn_fail "Start: the Class was not echoed: $start"
ip netns exec "$NS_C" ping -n -q -c 5 -i 0.2 -s 1000 -W 2 198.51.100.1 >/dev/null || tn_fail "acct1: ping through the tunnel"
ctl sessions --json >"$WORK/acct.json"
jq -e --arg sid "$sid" '.sessions[0].acct_session_id == $sid' "$WORK/acct.json" >/dev/null ||
  tn_fail "ctl sessions does not show Acct-Session-Id $sid: $(cat "$WORK/acct.json")"
rx=$(jq '.sessions[0].received_bytes' "$WORK/acct.json"); tx=$(jq '.sessions[0].sent_bytes' "$WORK/acct.json")
[ "$rx" -ge 5140 ] || tn_fail "the server counted $rx bytes from the client, fewer than the pings"
# The next Interim-Update (every 2 s, Acct-Interim-Interval) carries exactly these counters.
n=$(awk -v RS= 'index($0, "Interim-Update") { n++ } END { print n + 0 }' "$D/radacct/detail")
wait_record Interim-Update acct1 6 $((n + 1)) || tn_fail "no Interim-Update every 2 s for acct1"
interim=$(radius_detail_record "$D" Interim-Update acct1)
[ "$(radius_attr Acct-Input-Octets <<<"$interim")" = "$rx" ] && [ "$(radius_attr Acct-Output-Octets <<<"$interim")" = "$tx" ] ||
  tn_fail "Interim-Update octets differ from ctl sessions (in $rx, out $tx): $interim"
[ "$(radius_attr Acct-Input-Packets <<<"$interim")" = "$(jq '.sessions[0].received_packets' "$WORK/acct.json")" ] ||
  tn_fail "Interim-Update packets differ from ctl sessions: $interim"
tn_stop_client "$CLIENT_PID"
wait_record Stop acct1 5 || tn_fail "no accounting Stop for acct1"
stop=$(radius_detail_record "$D" Stop acct1)
[ "$(radius_attr Acct-Session-Id <<<"$stop")" = "$sid" ] || tn_fail "the Stop has another Acct-Session-Id: $stop"
[ "$(radius_attr Acct-Terminate-Cause <<<"$stop")" = User-Request ] || tn_fail "Stop: cause not User-Request: $stop"
# The server's own end-of-session line: "bytes from client N (P packets), to client M (Q packets)".
end=$(grep "acct1.*session ended" "$WORK/server.log" | tail -1)
[ "$(radius_attr Acct-Input-Octets <<<"$stop")" = "$(sed -n 's/.*bytes from client \([0-9]*\) .*/\1/p' <<<"$end")" ] &&
  [ "$(radius_attr Acct-Output-Octets <<<"$stop")" = "$(sed -n 's/.*to client \([0-9]*\) .*/\1/p' <<<"$end")" ] ||
  tn_fail "Stop octets differ from the server's counters ($end): $stop"
ctl stats >"$WORK/stats.txt"
grep -q "^RADIUS accounting: .*acknowledged [1-9]" "$WORK/stats.txt" || tn_fail "ctl stats shows no RADIUS accounting: $(cat "$WORK/stats.txt")"
echo "  accounting: ok; Session-Timeout, Idle-Timeout and ctl kill end sessions with their Acct-Terminate-Cause"
tn_start_client "$WORK/stout.log" --user stout --auth mschapv2 --mppe 128
STOUT=$CLIENT_PID
tn_start_client "$WORK/idler.log" --user idler --auth mschapv2 --mppe 128
IDLER=$CLIENT_PID
tn_start_client "$WORK/killed.log" --user acct1 --auth mschapv2 --mppe 128
KILLED=$CLIENT_PID
t1=$(date +%s)
tn_wait_for "^connected:" "$WORK/killed.log" "$KILLED" 10 || tn_fail "acct1 did not connect a second time"
ctl kill --user acct1 >/dev/null || tn_fail "ctl kill --user acct1 failed"
# Both limits are at most 4 s after the link came up: 10 s is the bound.
for _ in $(seq 1 200); do
  kill -0 "$STOUT" 2>/dev/null || kill -0 "$IDLER" 2>/dev/null || break; sleep 0.05; done
kill -0 "$STOUT" 2>/dev/null && tn_fail "Session-Timeout 4 s: stout still connected after $(($(date +%s) - t1)) s"
kill -0 "$IDLER" 2>/dev/null && tn_fail "Idle-Timeout 3 s: idler still connected after $(($(date +%s) - t1)) s"
wait_record Stop stout 5 && wait_record Stop idler 5 && wait_record Stop acct1 5 2 || tn_fail "no Stop for stout, idler or the killed acct1"
stop=$(radius_detail_record "$D" Stop stout)
[ "$(radius_attr Acct-Terminate-Cause <<<"$stop")" = Session-Timeout ] || tn_fail "stout: cause not Session-Timeout: $stop"
[ "$(radius_attr Acct-Session-Time <<<"$stop")" -ge 4 ] || tn_fail "stout: ended before its Session-Timeout: $stop"
stop=$(radius_detail_record "$D" Stop acct1)
[ "$(radius_attr Acct-Terminate-Cause <<<"$stop")" = Admin-Reset ] || tn_fail "acct1: ctl kill, cause not Admin-Reset: $stop"
stop=$(radius_detail_record "$D" Stop idler)
[ "$(radius_attr Acct-Terminate-Cause <<<"$stop")" = Idle-Timeout ] || tn_fail "idler: cause not Idle-Timeout: $stop"
grep -q "Session-Timeout of 4 s reached" "$WORK/server.log" || tn_fail "the server did not say why stout ended"
grep -q "Idle-Timeout of 3 s reached" "$WORK/server.log" || tn_fail "the server did not say why idler ended"
tn_stop_server
wait_record Accounting-Off "" 3 || tn_fail "no Accounting-Off in the detail file when the server stopped"
echo "  timeouts: ok"
# [auth] source = "secrets" with [radius] servers: accounting only, Acct-Authentic Local.
connect "accounting with the secrets file" mschapv2 true secrets "--auth mschapv2 --mppe 128" "auth MS-CHAPv2"
wait_record Stop bob 3 || tn_fail "no accounting Stop for a session authenticated by the secrets file"
[ "$(radius_detail_record "$D" Stop bob | radius_attr Acct-Authentic)" = Local ] ||
  tn_fail "a secrets-file session is not Acct-Authentic Local: $(radius_detail_record "$D" Stop bob)"

echo "  a Stop survives a short RADIUS outage: queued, sent again with Acct-Delay-Time"
: >"$WORK/server.log"
server_config mschapv2 true secrets
sed -i "s/^\[radius\]$/[radius]\nstop_retry_seconds = 1/" "$WORK/server.toml"
tn_start_server
tn_start_client "$WORK/client.log" --user bob --auth mschapv2 --mppe 128
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 15 || tn_fail "outage: bob did not connect"
n=$(awk -v RS= 'index($0, "Acct-Status-Type = Stop") && index($0, "User-Name = \"bob\"") { n++ } END { print n + 0 }' "$D/radacct/detail")
radius_stop "$RADIUS_PID"
tn_stop_client "$CLIENT_PID"
# 1 s timeout, 1 retry: after 2 s the Stop is queued; FreeRADIUS comes back and gets it.
tn_wait_for "RADIUS accounting Stop" "$WORK/server.log" "$SERVER_PID" 5 || tn_fail "outage: no Stop made"
# FreeRADIUS back before the retransmission would take the Stop unqueued (Acct-Delay-Time 1):
# restart it only once the Stop waits in the queue.
for _ in $(seq 1 100); do
  [ "$(ctl stats --json | jq '.radius.accounting.stops_queued')" -ge 1 ] && break; sleep 0.05
done
[ "$(ctl stats --json | jq '.radius.accounting.stops_queued')" -ge 1 ] || tn_fail "outage: the Stop was not queued within 5 s"
radius_start "$NS_S" "$D" "$WORK/freeradius2.log"
wait_record Stop bob 10 $((n + 1)) || tn_fail "outage: the queued Stop never reached FreeRADIUS"
delay=$(radius_detail_record "$D" Stop bob | radius_attr Acct-Delay-Time)
[ -n "$delay" ] && [ "$delay" -ge 2 ] || tn_fail "outage: the resent Stop has Acct-Delay-Time '$delay': $(radius_detail_record "$D" Stop bob)"
grep -q "Stop dropped" "$WORK/server.log" && tn_fail "outage: a Stop was dropped"
tn_stop_server
echo "  outage: ok (Acct-Delay-Time $delay)"

echo "  FreeRADIUS stopped: radius-then-secrets falls back, radius refuses"
radius_stop "$RADIUS_PID"
connect "fallback to the secrets file" mschapv2 true radius-then-secrets "--auth mschapv2 --mppe 128" \
  "auth MS-CHAPv2, encryption MPPE 128-bit"
# No server took its accounting Stop: the server's exit logs it with its contents.
grep -q 'RADIUS accounting Stop dropped: .*Acct-Status-Type=Stop .*User-Name="bob".*Acct-Terminate-Cause=User-Request' \
  "$WORK/server.log" || tn_fail "the unacknowledged Stop was not logged with its contents at exit"
: >"$WORK/server.log"
server_config mschapv2 true radius
tn_start_server
ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user bob --password-file "$WORK/password" --auth mschapv2 \
  >"$WORK/client.log" 2>&1 && tn_fail "connected with source = radius and no RADIUS server"
grep -q "no RADIUS server answered" "$WORK/server.log" || tn_fail "the server did not say that no RADIUS server answered"
tn_stop_server
echo "radius_auth: ok ($(($(date +%s) - t0)) s)"
