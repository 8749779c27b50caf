#!/usr/bin/env bash
# Static per-user addresses (chap-secrets' 4th column): the server chooses a call's address after
# PPP has authenticated the user. A user with a static address inside the pool gets it, one with
# an address outside the pool gets that one and traffic is routed to it, a user holding "-" gets
# no address (the client exits non-zero with the reason), a second session of the same static
# user is refused (the address is in use), and a pool user never gets someone's static address.
set -euo pipefail
TN_NAME=static
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup
{ echo 'carol * "Tunnel-Lab-7" 198.51.100.10'   # the first pool address: reserved for carol
  echo 'dave * "Tunnel-Lab-7" 198.51.100.40'    # outside the pool
  echo 'eve * "Tunnel-Lab-7" -'                 # no address at all
} >>"$WORK/chap-secrets"
tn_server_config '"mschapv2"' true 128 stateless
tn_start_server

addr_of() { sed -n 's/^connected: .*, address \([0-9.]*\),.*/\1/p' "$1" | head -1; }

# Clients share one namespace, so only one is connected while traffic is checked (each client's
# peer route to 198.51.100.1 would otherwise pick the first interface).
echo "tunnel_static_address: a pool user does not get carol's reserved address"
tn_start_client "$WORK/client-bob.log" --user bob
BOB=$CLIENT_PID
tn_wait_for "^connected:" "$WORK/client-bob.log" "$BOB" 10 || tn_fail "bob did not connect"
a=$(addr_of "$WORK/client-bob.log")
[ -n "$a" ] && [ "$a" != 198.51.100.10 ] || tn_fail "bob got address '$a' (198.51.100.10 is carol's)"
tn_stop_client "$BOB"
echo "  bob: $a"

echo "tunnel_static_address: carol gets her address inside the pool; a second carol is refused"
tn_start_client "$WORK/client-carol.log" --user carol
CAROL=$CLIENT_PID
tn_wait_for "^connected:" "$WORK/client-carol.log" "$CAROL" 10 || tn_fail "carol did not connect"
[ "$(addr_of "$WORK/client-carol.log")" = 198.51.100.10 ] || tn_fail "carol got $(addr_of "$WORK/client-carol.log")"
ip netns exec "$NS_S" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.10 >/dev/null || tn_fail "no ping to carol at 198.51.100.10"
rc=0
timeout 20 ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user carol --password-file "$WORK/password" \
  >"$WORK/client-carol2.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || tn_fail "a second carol session exited $rc"
grep -q "198.51.100.10.*already in use" "$WORK/server.log" || tn_fail "the server did not log why carol's second session got no address"
tn_stop_client "$CAROL"
echo "  carol: 198.51.100.10 (ping), second session refused: $(grep '^pptpx client:' "$WORK/client-carol2.log" | head -1)"

echo "tunnel_static_address: dave gets his address outside the pool, routed both ways"
tn_start_client "$WORK/client-dave.log" --user dave
DAVE=$CLIENT_PID
tn_wait_for "^connected:" "$WORK/client-dave.log" "$DAVE" 10 || tn_fail "dave did not connect"
[ "$(addr_of "$WORK/client-dave.log")" = 198.51.100.40 ] || tn_fail "dave got $(addr_of "$WORK/client-dave.log")"
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "no ping from dave"
ip netns exec "$NS_S" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.40 >/dev/null || tn_fail "no ping to dave at 198.51.100.40"
tn_stop_client "$DAVE"
echo "  dave: 198.51.100.40 (pings both ways)"

echo "tunnel_static_address: eve (\"-\") gets no address"
rc=0
timeout 20 ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user eve --password-file "$WORK/password" \
  >"$WORK/client-eve.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || tn_fail "eve (no address) exited $rc"
grep -q 'gives "eve" no address' "$WORK/server.log" || tn_fail "the server did not log why eve got no address"
echo "  eve: exit $rc"

echo "tunnel_static_address: carol's address was returned when her session ended"
tn_start_client "$WORK/client-carol3.log" --user carol
CAROL=$CLIENT_PID
tn_wait_for "^connected:" "$WORK/client-carol3.log" "$CAROL" 10 || tn_fail "carol did not reconnect"
[ "$(addr_of "$WORK/client-carol3.log")" = 198.51.100.10 ] || tn_fail "carol got $(addr_of "$WORK/client-carol3.log") again"
tn_stop_client "$CAROL"
routes=$(ip -n "$NS_S" -4 route show dev pxsrv0 | grep -c . || true)
tn_stop_server
[ "$routes" -eq 0 ] || tn_fail "$routes client route(s) left on the server's TUN device"
echo "tunnel_static_address: PASS"
