#!/usr/bin/env bash
# Operating pptpx (issue 12): logs on stderr in text, JSON and journald style; sd_notify
# READY/STATUS/RELOADING/STOPPING against a listening datagram socket; --check-config rejecting
# special and local pool/server/static addresses in one pass, and warning on an empty secrets
# file; client parse errors exiting 2; pre-dial checks (--tun-name, CAP_NET_ADMIN, an unreadable
# /dev/net/tun) with no connection made; a client profile (--profile, flags winning); a
# locked-out address told why; --route host bits.
# About 20 s.
set -euo pipefail
TN_NAME=ops
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup
tn_server_config '"mschapv2"' true 128 stateless

echo "operations: logs go to stderr; sd_notify messages"
NOTIFY="$WORK/notify.sock"
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
with open(sys.argv[2], "a", buffering=1) as f:
    while True:
        try:
            m = s.recv(4096).decode()
        except socket.timeout:
            break
        f.write(m.replace("\n", "|") + "\n")
' "$NOTIFY" "$WORK/notify.log" &
TN_PIDS+=("$!")
for _ in $(seq 1 100); do [ -S "$NOTIFY" ] && break; sleep 0.05; done
[ -S "$NOTIFY" ] || tn_fail "the notify listener did not start"
: >"$WORK/notify.log"
ip netns exec "$NS_S" env NOTIFY_SOCKET="$NOTIFY" "$BIN" server --config "$WORK/server.toml" \
  >"$WORK/server.stdout" 2>>"$WORK/server.log" &
SERVER_PID=$!
TN_PIDS+=("$SERVER_PID")
tn_wait_for "listening on" "$WORK/server.log" "$SERVER_PID" 5 || tn_fail "the server did not start"
tn_wait_for "^READY=1|STATUS=listening on 192.0.2.1:1723, 0 sessions$" "$WORK/notify.log" "$SERVER_PID" 5 ||
  tn_fail "no READY=1 with a STATUS after listening: $(cat "$WORK/notify.log")"
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12} info listening on' "$WORK/server.log" ||
  tn_fail "the text log line has no timestamp/level: $(grep listening "$WORK/server.log")"
tn_start_client "$WORK/client.log" --user bob --route 203.0.113.5/24
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 10 || tn_fail "the client did not connect"
tn_wait_for "^STATUS=1 session$" "$WORK/notify.log" "$SERVER_PID" 5 || tn_fail "no STATUS=1 session"
grep -q "warning --route 203.0.113.5/24 has host bits set; routing the network 203.0.113.0/24" "$WORK/client.log" ||
  tn_fail "the client did not warn about --route host bits"
grep -q "^connected: .*routes 203.0.113.0/24," "$WORK/client.log" || tn_fail "the connected line shows another route"
ip -n "$NS_C" route show 203.0.113.0/24 | grep -q . || tn_fail "no route 203.0.113.0/24 in the client namespace"
kill -HUP "$SERVER_PID"
tn_wait_for "^RELOADING=1|STATUS=reloading$" "$WORK/notify.log" "$SERVER_PID" 5 || tn_fail "no RELOADING=1 on SIGHUP"
tn_wait_for "^READY=1|STATUS=reloaded; 1 session$" "$WORK/notify.log" "$SERVER_PID" 5 || tn_fail "no READY=1 after reload"
tn_stop_client "$CLIENT_PID"
tn_wait_for "^STATUS=0 sessions$" "$WORK/notify.log" "$SERVER_PID" 5 || tn_fail "no STATUS=0 sessions"
tn_stop_server
grep -q "^STOPPING=1" "$WORK/notify.log" || tn_fail "no STOPPING=1"
[ ! -s "$WORK/server.stdout" ] || tn_fail "the server wrote to stdout: $(head -3 "$WORK/server.stdout")"
echo "  notify: $(tr '\n' ' ' <"$WORK/notify.log")"

echo "operations: --log-format json, and journald style"
ip netns exec "$NS_S" "$BIN" server --config "$WORK/server.toml" --log-format json 2>"$WORK/json.log" &
SERVER_PID=$!
TN_PIDS+=("$SERVER_PID")
tn_wait_for "listening on" "$WORK/json.log" "$SERVER_PID" 5 || tn_fail "the JSON server did not start"
tn_stop_server
jq -e -s 'length > 3 and all(.[]; (.time | test("^[0-9]{4}-")) and (.level | type == "string") and (.message | type == "string"))' \
  "$WORK/json.log" >/dev/null || tn_fail "the JSON log does not parse: $(head -2 "$WORK/json.log")"
jq -e -s 'any(.[]; .level == "info" and (.message | startswith("listening on")))' "$WORK/json.log" >/dev/null ||
  tn_fail "no JSON 'listening on' line"
: >"$WORK/journal.log"
JS=$(stat -c '%d:%i' "$WORK/journal.log")
ip netns exec "$NS_S" env JOURNAL_STREAM="$JS" "$BIN" server --config "$WORK/server.toml" 2>>"$WORK/journal.log" &
SERVER_PID=$!
TN_PIDS+=("$SERVER_PID")
tn_wait_for "listening on" "$WORK/journal.log" "$SERVER_PID" 5 || tn_fail "the journald-style server did not start"
tn_stop_server
grep -q '^<6>info listening on 192.0.2.1:1723' "$WORK/journal.log" || tn_fail "no <6> line: $(head -3 "$WORK/journal.log")"
grep -q '^<4>warning security: ' "$WORK/journal.log" || tn_fail "no <4> warning line"
! grep -Eq '^<[0-9]>[0-9]{4}-' "$WORK/journal.log" || tn_fail "journald lines carry their own timestamps"
echo "  JSON and journald lines OK ($(wc -l <"$WORK/json.log") JSON lines)"

echo "operations: --check-config rejects special and local addresses, all in one pass"
cp "$WORK/server.toml" "$WORK/good.toml"
sed -e 's/^pool = .*/pool = "192.0.2.1-192.0.2.9"/' -e 's/^server_address = .*/server_address = "0.0.0.0"/' \
  "$WORK/good.toml" >"$WORK/bad.toml"
cp "$WORK/chap-secrets" "$WORK/bad-secrets"
echo 'mallory * "x" 224.0.0.1' >>"$WORK/bad-secrets"
sed -i "s|$WORK/chap-secrets|$WORK/bad-secrets|; s/^mode = .*/mode = \"sideways\"/" "$WORK/bad.toml"
rc=0; ip netns exec "$NS_S" "$BIN" server --check-config "$WORK/bad.toml" >"$WORK/check.out" 2>"$WORK/check.err" || rc=$?
[ $rc -eq 1 ] || tn_fail "--check-config exited $rc on the bad files"
for want in '\[mppe\] mode "sideways"' 'static address 224.0.0.1 of "mallory" is a multicast address' 'server_address 0.0.0.0 is a "this network" address' \
    'pool 192.0.2.1-192.0.2.9 contains the \[listen\] address 192.0.2.1' '4 problems found'; do
  grep -q -- "$want" "$WORK/check.err" || tn_fail "--check-config did not say '$want': $(cat "$WORK/check.err")"
done
sed -e 's/^pool = .*/pool = "224.0.0.10-224.0.0.20"/' "$WORK/good.toml" >"$WORK/multicast.toml"
rc=0; "$BIN" server --check-config "$WORK/multicast.toml" >/dev/null 2>"$WORK/check.err" || rc=$?
[ $rc -eq 1 ] && grep -q "contains 224.0.0.10, a multicast address" "$WORK/check.err" || tn_fail "a multicast pool passed"
# An address of this host other than the listen address (the veth's 192.0.2.1 is both; add one).
ip -n "$NS_S" addr add 192.0.2.77/32 dev lo
sed -e 's/^pool = .*/pool = "192.0.2.70-192.0.2.80"/' "$WORK/good.toml" >"$WORK/local.toml"
rc=0; ip netns exec "$NS_S" "$BIN" server --check-config "$WORK/local.toml" >/dev/null 2>"$WORK/check.err" || rc=$?
[ $rc -eq 1 ] && grep -q "contains 192.0.2.77, an address of this host (lo)" "$WORK/check.err" ||
  tn_fail "a pool holding a local address passed: $(cat "$WORK/check.err")"
rc=0; ip netns exec "$NS_S" "$BIN" server --config "$WORK/local.toml" >/dev/null 2>"$WORK/check.err" || rc=$?
[ $rc -eq 1 ] && grep -q "not started" "$WORK/check.err" || tn_fail "the server started with a pool holding a local address"
echo "  $(head -1 "$WORK/check.err")"

echo "operations: an empty secrets file warns"
printf '# nobody yet\n' >"$WORK/empty-secrets"
chmod 600 "$WORK/empty-secrets"
sed "s|$WORK/chap-secrets|$WORK/empty-secrets|" "$WORK/good.toml" >"$WORK/empty.toml"
ip netns exec "$NS_S" "$BIN" server --check-config "$WORK/empty.toml" >"$WORK/check.out" 2>"$WORK/check.err" ||
  tn_fail "--check-config refused an empty secrets file"
grep -q "has no entries for this server, so no one can log in" "$WORK/check.err" || tn_fail "no warning at --check-config"
ip netns exec "$NS_S" "$BIN" server --config "$WORK/empty.toml" 2>"$WORK/empty.log" &
SERVER_PID=$!
TN_PIDS+=("$SERVER_PID")
tn_wait_for "listening on" "$WORK/empty.log" "$SERVER_PID" 5 || tn_fail "the server with no users did not start"
tn_stop_server
grep -q "warning .*has no entries for this server" "$WORK/empty.log" || tn_fail "no warning at start"

echo "operations: client command lines and pre-dial checks"
tn_start_server
conns() { grep -c "connection from\|control connection" "$WORK/server.log" || true; }
before=$(conns)
expect_exit() {  # expect_exit CODE PATTERN ARGS...
  local want=$1 pat=$2; shift 2
  local rc=0
  timeout 20 ip netns exec "$NS_C" "$@" >"$WORK/c.out" 2>"$WORK/c.err" || rc=$?
  [ $rc -eq "$want" ] || tn_fail "exit $rc (want $want) for: $* ($(cat "$WORK/c.err"))"
  grep -q -- "$pat" "$WORK/c.err" || tn_fail "no '$pat' for: $* ($(cat "$WORK/c.err"))"
  ! grep -q "connecting to" "$WORK/c.err" || tn_fail "the client dialled for: $*"
  echo "  exit $rc: $(head -1 "$WORK/c.err")"
}
C=("$BIN" client 192.0.2.1 --user bob --password-file "$WORK/password")
expect_exit 2 '"abc" is not a number' "${C[@]}" --mtu abc
expect_exit 2 'out of range' "${C[@]}" --mtu 9000
expect_exit 2 'not expected' "${C[@]}" --no-such-flag
expect_exit 2 'no --user given' "$BIN" client 192.0.2.1 --password-file "$WORK/password"
expect_exit 2 '--tun-name "much-too-long-name" is 18 characters' "${C[@]}" --tun-name much-too-long-name
expect_exit 1 'lacks CAP_NET_ADMIN' setpriv --bounding-set=-net_admin --inh-caps=-net_admin "${C[@]}"
# As nobody with both capabilities, /dev/net/tun mode 0600 root (in a private mount namespace).
PUB=$(mktemp -d /tmp/pxops-pub.XXXXXX)
chmod 755 "$PUB"
cp "$WORK/password" "$PUB/password"
chmod 644 "$PUB/password"
mknod "$PUB/tun" c 10 200
chmod 600 "$PUB/tun"
rc=0
timeout 20 ip netns exec "$NS_C" unshare -m bash -c "mount --bind '$PUB/tun' /dev/net/tun &&
  exec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+net_admin,+net_raw \
    --ambient-caps=+net_admin,+net_raw '$BIN' client 192.0.2.1 --user bob --password-file '$PUB/password'" \
  >"$WORK/c.out" 2>"$WORK/c.err" || rc=$?
rm -rf "$PUB"
[ $rc -eq 1 ] || tn_fail "unreadable /dev/net/tun: exit $rc ($(cat "$WORK/c.err"))"
grep -q "the device file is not readable and writable by uid 65534 (mode 0600, owner uid 0" "$WORK/c.err" ||
  tn_fail "unreadable /dev/net/tun not reported as such: $(cat "$WORK/c.err")"
! grep -q "connecting to" "$WORK/c.err" || tn_fail "the client dialled with an unreadable /dev/net/tun"
echo "  exit 1: $(head -1 "$WORK/c.err")"
[ "$(conns)" = "$before" ] || tn_fail "the server saw connections from clients that should not have dialled"
tn_stop_server

echo "operations: a client profile carries the options; the command line wins and adds routes"
cat >"$WORK/work.toml" <<PROFILE
server = "192.0.2.1"
user = "bob"
password_file = "$WORK/password"
tun_name = "pxprof%d"
mtu = 1300
routes = ["203.0.113.0/25"]
log_format = "json"
PROFILE
tn_start_server
: >"$WORK/client-profile.log"
ip netns exec "$NS_C" "$BIN" client --profile "$WORK/work.toml" --mtu 1280 --route 203.0.113.128/25 \
  >"$WORK/client-profile.log" 2>"$WORK/client-profile.err" &
CLIENT_PID=$!
TN_PIDS+=("$CLIENT_PID")
tn_wait_for "^connected:" "$WORK/client-profile.log" "$CLIENT_PID" 10 || tn_fail "the profile client did not connect: $(cat "$WORK/client-profile.err")"
grep -q "interface pxprof0 (MTU 1280), routes 203.0.113.0/25, 203.0.113.128/25," "$WORK/client-profile.log" ||
  tn_fail "profile options not applied: $(cat "$WORK/client-profile.log")"
jq -e -s 'any(.[]; .message | startswith("connecting to 192.0.2.1:1723"))' "$WORK/client-profile.err" >/dev/null ||
  tn_fail "the profile's log_format = json was not applied: $(head -2 "$WORK/client-profile.err")"
tn_stop_client "$CLIENT_PID"
printf 'server = "192.0.2.1"\nuser = 7\n' >"$WORK/bad-profile.toml"
expect_exit 2 'bad-profile.toml:2:8: user must be a string' "$BIN" client --profile "$WORK/bad-profile.toml"
tn_stop_server
echo "  $(grep '^connected:' "$WORK/client-profile.log" | cut -c1-60)..."

echo "operations: a locked-out address is told why"
TN_LOCKOUT_FAILURES=2 tn_server_config '"mschapv2"' true 128 stateless
tn_start_server
for i in 1 2; do
  timeout 20 ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user bob --password-file "$WORK/wrong-password" \
    >/dev/null 2>&1 && tn_fail "a wrong password connected"
done
rc=0
timeout 20 ip netns exec "$NS_C" "${C[@]}" >"$WORK/c.out" 2>"$WORK/c.err" || rc=$?
[ $rc -eq 1 ] || tn_fail "the locked-out client exited $rc"
grep -q 'peer refused the control connection: requester not authorized ("address locked out for [0-9]* s after 2 failed logins")' \
  "$WORK/c.err" || tn_fail "the locked-out client was not told why: $(cat "$WORK/c.err")"
echo "  $(grep 'pptpx client:' "$WORK/c.err")"
tn_stop_server
echo "operations: PASS"
