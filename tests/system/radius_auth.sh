#!/usr/bin/env bash
# pptpx authenticating through a real FreeRADIUS 3.2 (Debian's freeradius, started here with a
# generated configuration inside the server's namespace on 127.0.0.1, so its ports clash with
# nothing): PAP, CHAP-MD5, MS-CHAPv1 and MS-CHAPv2 via RADIUS, MS-CHAPv2 with MPPE-128 keys from
# RADIUS (MS-MPPE-Send/Recv-Key); for each a client connects and pings through. A wrong password
# reaches the client as E=691 and counts toward the lockout; with FreeRADIUS stopped,
# "radius-then-secrets" falls back to the secrets file and "radius" refuses. Accounting: Accounting-On/
# Off, Start, Interim-Update and Stop in FreeRADIUS's detail file with the octets the server
# counted (ctl sessions --json, its end-of-session line), Framed-IP-Address, Class and DNS from the
# Accept, Session-Timeout, Idle-Timeout and `ctl kill` with their Acct-Terminate-Cause, a Stop
# queued through a FreeRADIUS restart (Acct-Delay-Time). One FreeRADIUS serves every case (it is
# restarted once, on its own configuration). About 35 s.
set -euo pipefail
TN_NAME=radius
source "$(dirname "$0")/lib/tunnel_env.sh"
source "$(dirname "$0")/lib/radius_env.sh"
for tool in freeradius jq; do
  command -v "$tool" >/dev/null || { echo "radius_auth: $tool missing (scripts/deps.sh test)"; exit 1; }
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
