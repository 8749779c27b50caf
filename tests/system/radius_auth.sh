#!/usr/bin/env bash
# pptpx authenticating through a real FreeRADIUS 3.2 (Debian's freeradius, started here with a
# generated configuration inside the server's namespace on 127.0.0.1, so its ports clash with
# nothing): PAP, CHAP-MD5, MS-CHAPv1 and MS-CHAPv2 via RADIUS, MS-CHAPv2 with MPPE-128 keys from
# RADIUS (MS-MPPE-Send/Recv-Key); for each a client connects and pings through. A wrong password
# reaches the client as E=691 and counts toward the lockout; with FreeRADIUS stopped,
# "radius-then-secrets" falls back to the secrets file and "radius" refuses. One FreeRADIUS
# serves every case. About 30 s.
set -euo pipefail
TN_NAME=radius
source "$(dirname "$0")/lib/tunnel_env.sh"
source "$(dirname "$0")/lib/radius_env.sh"
command -v freeradius >/dev/null || { echo "radius_auth: FreeRADIUS missing (scripts/deps.sh test)"; exit 1; }
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

echo "  FreeRADIUS stopped: radius-then-secrets falls back, radius refuses"
radius_stop "$RADIUS_PID"
connect "fallback to the secrets file" mschapv2 true radius-then-secrets "--auth mschapv2 --mppe 128" \
  "auth MS-CHAPv2, encryption MPPE 128-bit"
: >"$WORK/server.log"
server_config mschapv2 true radius
tn_start_server
ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user bob --password-file "$WORK/password" --auth mschapv2 \
  >"$WORK/client.log" 2>&1 && tn_fail "connected with source = radius and no RADIUS server"
grep -q "no RADIUS server answered" "$WORK/server.log" || tn_fail "the server did not say that no RADIUS server answered"
tn_stop_server
echo "radius_auth: ok ($(($(date +%s) - t0)) s)"
