#!/usr/bin/env bash
# Failures over real sockets: a wrong password, an unknown user, an MPPE strength mismatch and an
# authentication method mismatch (each three times), bad command lines, and an unreachable
# server. Each time the client must exit non-zero with the reason (the server's MS-CHAP E=691 or
# the policy's), and the server must log why. Afterwards the server must hold no more file
# descriptors than before, have no client routes left on its TUN device, and still serve a good
# client; a server SIGTERM must end that client's session with a reason and exit 0.
set -euo pipefail
TN_NAME=failures
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup
tn_server_config '"mschapv2"' true 128 stateless
tn_start_server
sleep 0.2
fds_before=$(ls /proc/"$SERVER_PID"/fd | wc -l)

# expect_failure LABEL CLIENT_PATTERN SERVER_PATTERN CLIENT_ARGS...
expect_failure() {
  local label=$1 cpat=$2 spat=$3; shift 3
  local rc=0
  timeout 20 ip netns exec "$NS_C" "$BIN" client "${TN_SERVER:-192.0.2.1}" "$@" >"$WORK/client.log" 2>&1 || rc=$?
  [ $rc -ne 0 ] || tn_fail "$label: the client exited 0"
  [ $rc -ne 124 ] || tn_fail "$label: the client hung (timeout)"
  grep -q -- "$cpat" "$WORK/client.log" || tn_fail "$label: the client did not say '$cpat'"
  if [ -n "$spat" ]; then
    grep -q -- "$spat" "$WORK/server.log" || tn_fail "$label: the server did not log '$spat'"
  fi
  echo "  $label: exit $rc, client said: $(grep '^pptpx client:' "$WORK/client.log" | head -1)"
}

echo "tunnel_failures: rejected connections"
for i in 1 2 3; do
  expect_failure "wrong password ($i)" "E=691 authentication failure" 'wrong password for user "bob"' \
    --user bob --password-file "$WORK/wrong-password"
  expect_failure "unknown user ($i)" "E=691 authentication failure" 'unknown user "nobody"' \
    --user nobody --password-file "$WORK/password"
  expect_failure "MPPE 40-bit vs 128-bit ($i)" "policy requires 40-bit" "policy requires 128-bit" \
    --user bob --password-file "$WORK/password" --mppe 40
  expect_failure "PAP vs MS-CHAPv2 ($i)" "policy allows no other method" "policy allows no other method" \
    --user bob --password-file "$WORK/password" --auth pap --mppe none
done

echo "tunnel_failures: bad command lines"
expect_failure "bad --mppe" "is not an MPPE strength" "" --user bob --password-file "$WORK/password" --mppe 64
expect_failure "bad --auth" "is not a method" "" --user bob --password-file "$WORK/password" --auth kerberos
expect_failure "bad --route" "is not an IPv4 network" "" --user bob --password-file "$WORK/password" --route 203.0.113/24
expect_failure "missing password file" "cannot read the password file" "" --user bob --password-file "$WORK/none"
expect_failure "PAP with MPPE" "MPPE keys come from MS-CHAP" "" --user bob --password-file "$WORK/password" --auth pap
rc=0; "$BIN" server --config "$WORK/missing.toml" >"$WORK/client.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q "missing.toml" "$WORK/client.log" || tn_fail "server with a missing config did not fail clearly"
echo "  missing server config: exit $rc, said: $(head -1 "$WORK/client.log")"
TN_SERVER=192.0.2.9 expect_failure "unreachable server" "no answer from 192.0.2.9" "" --user bob \
  --password-file "$WORK/password" --connect-timeout 1

echo "tunnel_failures: leaks"
sleep 0.3
fds_after=$(ls /proc/"$SERVER_PID"/fd | wc -l)
[ "$fds_after" -le "$fds_before" ] || { ls -l /proc/"$SERVER_PID"/fd; tn_fail "server fds grew from $fds_before to $fds_after"; }
ended=$(grep -c "session ended" "$WORK/server.log")
[ "$ended" -eq 12 ] || tn_fail "the server logged $ended session ends for 12 rejected calls"
routes=$(ip -n "$NS_S" -4 route show dev pxsrv0 | grep -c . || true)
[ "$routes" -eq 0 ] || tn_fail "$routes client route(s) left on the server's TUN device"
echo "  server fds $fds_before -> $fds_after, 12 session ends logged, no routes left"

echo "tunnel_failures: a good client still connects; server SIGTERM ends it"
tn_start_client "$WORK/client-good.log" --user bob
tn_wait_for "^connected:" "$WORK/client-good.log" "$CLIENT_PID" 10 || tn_fail "the good client did not connect"
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "ping after the failures"
tn_stop_server
rc=0; wait "$CLIENT_PID" || rc=$?
[ $rc -eq 1 ] || tn_fail "the client exited $rc when the server stopped (want 1)"
grep -q "connection ended:" "$WORK/client-good.log" || tn_fail "the client did not say why the connection ended"
grep -q "connection ended: server shut down" "$WORK/client-good.log" ||
  tn_fail "the client did not say the server shut down (StopCCRQ Reason 3, RFC 2637 §2.3)"
grep -q "the server is shutting down" "$WORK/server.log" || tn_fail "the server did not log its shutdown reason"
echo "  client said: $(grep '^pptpx client:' "$WORK/client-good.log")"

echo "tunnel_failures: [limits.auth_lockout] refuses an address after 2 failures"
: >"$WORK/server.log"
TN_LOCKOUT_FAILURES=2 tn_server_config '"mschapv2"' true 128 stateless
tn_start_server
for i in 1 2; do
  expect_failure "wrong password before lockout ($i)" "E=691" 'wrong password for user "bob"' \
    --user bob --password-file "$WORK/wrong-password"
done
grep -q "2 authentication failures within 60 s: refusing this address" "$WORK/server.log" || tn_fail "no lockout logged"
expect_failure "right password while locked out" "connection failed" "locked out for [0-9]* s more after 2 authentication failures" \
  --user bob --password-file "$WORK/password"
tn_stop_server
echo "tunnel_failures: PASS"
