#!/usr/bin/env bash
# IPv6 through the tunnel (RFC 5072 IPV6CP) over real sockets in two network namespaces: a server
# with [ipv6] enabled and prefix 2001:db8:1::/64 (the documentation range, only inside this
# test's namespaces), a client with --ipv6-prefix. Checks: the server's TUN has fe80::1/64 and
# 2001:db8:1::1/128 and no kernel-made address; the client's TUN has fe80::<its id>; the server
# routes fe80::<id>/128 and 2001:db8:1::<id>/128 to the client; ping -6 both ways over the
# link-local and the prefix addresses; 5 MB each way over IPv6 TCP with matching SHA-256; IPv4 in
# the same session; a spoofed IPv6 source is dropped; the routes are gone after the client
# leaves. Then a client with --no-ipv6, [tun] per_session with IPv6, and a server without
# [ipv6] (IPV6CP Protocol-Rejected): IPv4 only, still working.
set -euo pipefail
TN_NAME=ipv6
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup

MB=${TUNNEL_IPV6_MB:-5}

# transfer6 SEND_NS LISTEN_ADDR RECV_NS: 5 MB over TCP/IPv6, SHA-256 compared.
transfer6() {
  local send_ns=$1 addr=$2 recv_ns=$3
  head -c "${MB}M" /dev/urandom >"$WORK/send6.bin"
  rm -f "$WORK/recv6.bin" "$WORK/listen6.ready"
  ip netns exec "$send_ns" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5006))
s.listen(1)
open(sys.argv[3], "w").write("ready\n")
s.settimeout(20)
c, _ = s.accept()
with open(sys.argv[2], "rb") as f:
    c.sendfile(f)
c.close()
' "$addr" "$WORK/send6.bin" "$WORK/listen6.ready" &
  local lp=$!
  TN_PIDS+=("$lp")
  tn_wait_for ready "$WORK/listen6.ready" "$lp" 5 || tn_fail "the IPv6 listener did not start on $addr"
  timeout 60 ip netns exec "$recv_ns" python3 -c '
import socket, sys
c = socket.create_connection((sys.argv[1], 5006), timeout=20)
with open(sys.argv[2], "wb") as f:
    while True:
        b = c.recv(65536)
        if not b:
            break
        f.write(b)
' "$addr" "$WORK/recv6.bin" || tn_fail "the ${MB} MB IPv6 transfer from $addr failed"
  wait "$lp" || true
  local a b
  a=$(sha256sum <"$WORK/send6.bin" | cut -d' ' -f1)
  b=$(sha256sum <"$WORK/recv6.bin" | cut -d' ' -f1)
  [ "$a" = "$b" ] || tn_fail "SHA-256 differs after the IPv6 transfer from $addr: sent $a, received $b"
}

ping6() {  # ping6 NS TARGET WHAT
  ip netns exec "$1" ping -6 -n -q -c 2 -i 0.2 -W 2 "$2" >/dev/null || tn_fail "ping -6 $3 ($2)"
}

echo "tunnel_ipv6: [ipv6] enabled, prefix 2001:db8:1::/64"
tn_server_config '"mschapv2"' true 128 stateless
printf '[ipv6]\nenabled = true\nprefix = "2001:db8:1::/64"\n' >>"$WORK/server.toml"
tn_start_server
srv6=$(ip -n "$NS_S" -6 addr show dev pxsrv0)
grep -q "inet6 fe80::1/64" <<<"$srv6" || tn_fail "server TUN lacks fe80::1/64: $srv6"
grep -q "inet6 2001:db8:1::1/128" <<<"$srv6" || tn_fail "server TUN lacks 2001:db8:1::1/128: $srv6"
[ "$(grep -c "inet6" <<<"$srv6")" -eq 2 ] || tn_fail "server TUN has addresses beyond ours (kernel autoconf?): $srv6"

tn_start_client "$WORK/client.log" --user bob --ipv6-prefix 2001:db8:1::/64
tn_wait_for "^ipv6:" "$WORK/client.log" "$CLIENT_PID" 15 || tn_fail "the client did not bring IPv6 up"
grep -q "^connected:" "$WORK/client.log" || tn_fail "no connected: line"
line=$(grep "^ipv6:" "$WORK/client.log")
ll=$(sed -n 's/^ipv6: address \(fe80::[0-9a-f:]*\)\/64, .*/\1/p' <<<"$line")
peer=$(sed -n 's/^ipv6: .* peer \(fe80::[0-9a-f:]*\), .*/\1/p' <<<"$line")
dev=$(sed -n 's/^ipv6: .* interface \([^ ,]*\).*/\1/p' <<<"$line")
g=$(sed -n 's/^ipv6: .*, address \(2001:db8:1:[0-9a-f:]*\)\/64.*/\1/p' <<<"$line")
[ -n "$ll" ] && [ -n "$dev" ] && [ -n "$g" ] || tn_fail "cannot read the ipv6: line: $line"
[ "$peer" = "fe80::1" ] || tn_fail "the server's interface id should be ::1 (server_interface_id default), got $peer"
[[ "$g" == *":${ll#fe80::}" ]] ||
  tn_fail "link-local $ll and prefix address $g do not share the interface id"
addr4=$(sed -n 's/^connected: .* address \([0-9.]*\), peer .*/\1/p' "$WORK/client.log")
echo "  client $ll / $g on $dev, IPv4 $addr4"

cli6=$(ip -n "$NS_C" -6 addr show dev "$dev")
[ "$(grep -c "inet6 fe80::" <<<"$cli6")" -eq 1 ] || tn_fail "client TUN should have exactly its own fe80:: address: $cli6"
routes=$(ip -n "$NS_S" -6 route show dev pxsrv0)
for want in "$ll" "$g"; do
  grep -q "^$want " <<<"$routes" || tn_fail "server has no route to $want: $routes"
done
tn_wait_for "IPv6 up" "$WORK/server.log" "$SERVER_PID" 2 || tn_fail "the server did not log IPv6 up"

ping6 "$NS_C" "fe80::1%$dev" "client -> server link-local"
ping6 "$NS_C" 2001:db8:1::1 "client -> server prefix address"
ping6 "$NS_S" "$ll%pxsrv0" "server -> client link-local"
ping6 "$NS_S" "$g" "server -> client prefix address"
echo "  ping -6 both ways over link-local and prefix addresses"

transfer6 "$NS_S" 2001:db8:1::1 "$NS_C"
transfer6 "$NS_C" "$g" "$NS_S"
echo "  $MB MB each way over IPv6, SHA-256 match"

ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "IPv4 client -> server ping"
ip netns exec "$NS_S" ping -n -q -c 2 -i 0.2 -W 2 "$addr4" >/dev/null || tn_fail "IPv4 server -> client ping"
tn_transfer "$NS_S" 198.51.100.1 "$NS_C" 1
echo "  IPv4 in the same session: ping both ways and 1 MB"

# A source that is not the client's own: dropped by the server (anti-spoofing) and counted.
ip -n "$NS_C" -6 addr add 2001:db8:1::dead/128 dev "$dev" nodad
! ip netns exec "$NS_C" ping -6 -n -q -c 2 -i 0.2 -W 1 -I 2001:db8:1::dead 2001:db8:1::1 >/dev/null 2>&1 ||
  tn_fail "a ping from a spoofed IPv6 source got an answer"
tn_wait_for "dropping packets whose source is not the client's own address" "$WORK/server.log" "$SERVER_PID" 2 ||
  tn_fail "the server did not report the spoofed IPv6 source"
tn_stop_client "$CLIENT_PID"
tn_wait_for "spoofed packets dropped" "$WORK/server.log" "$SERVER_PID" 2 || tn_fail "no spoofed count at session end"
echo "  spoofed IPv6 source dropped and counted"
for _ in $(seq 1 40); do
  ip -n "$NS_S" -6 route show dev pxsrv0 | grep -q -e "^$ll " -e "^$g " || break
  sleep 0.05
done
routes=$(ip -n "$NS_S" -6 route show dev pxsrv0)
! grep -q -e "^$ll " -e "^$g " <<<"$routes" || tn_fail "the client's IPv6 routes are left after it left: $routes"
echo "  routes removed when the client left"

echo "tunnel_ipv6: a client with --mtu 1300 on the 1400 shared TUN: ICMPv6 Packet Too Big (RFC 4443 §3.2)"
tn_start_client "$WORK/client-mtu.log" --user bob --ipv6-prefix 2001:db8:1::/64 --mtu 1300
tn_wait_for "^ipv6:" "$WORK/client-mtu.log" "$CLIENT_PID" 15 || tn_fail "the --mtu 1300 client did not bring IPv6 up"
g2=$(sed -n 's/^ipv6: .*, address \(2001:db8:1:[0-9a-f:]*\)\/64.*/\1/p' "$WORK/client-mtu.log")
[ -n "$g2" ] || tn_fail "cannot read the --mtu 1300 client's prefix address"
if out=$(ip netns exec "$NS_S" ping -6 -n -c 2 -i 0.2 -W 1 -M do -s 1300 "$g2" 2>&1); then
  tn_fail "a 1348-octet IPv6 ping reached a client with MTU 1300"
fi
grep -qi "packet too big: mtu=1300" <<<"$out" || tn_fail "no ICMPv6 Packet Too Big (mtu 1300) for the big ping: $out"
out=$(ip netns exec "$NS_S" ping -6 -n -c 1 -W 1 -M do -s 1300 "$g2" 2>&1 || true)
grep -q "message too long, mtu[=: ]*1300" <<<"$out" || tn_fail "the sender did not learn the path MTU 1300: $out"
tn_stop_client "$CLIENT_PID"
echo "  ICMPv6 Packet Too Big with mtu 1300; the sender learnt the path MTU"

echo "tunnel_ipv6: --no-ipv6 client against the same server"
tn_start_client "$WORK/client-no6.log" --user bob --no-ipv6
tn_wait_for "^connected:" "$WORK/client-no6.log" "$CLIENT_PID" 15 || tn_fail "the --no-ipv6 client did not connect"
grep -q "IPv6 off$" "$WORK/client-no6.log" || tn_fail "expected 'IPv6 off': $(grep '^connected:' "$WORK/client-no6.log")"
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "IPv4 ping with --no-ipv6"
tn_stop_client "$CLIENT_PID"
tn_stop_server
grep -q "IPv6 interface id collisions" "$WORK/server.log" || tn_fail "the server's exit counters lack the IPv6 line"

echo "tunnel_ipv6: [tun] per_session = true with [ipv6]: the session's own device holds the addresses and routes"
: >"$WORK/server.log"
tn_server_config '"mschapv2"' true 128 stateless
sed -i 's/^name = "pxsrv0"/name = "pxs"\nper_session = true/' "$WORK/server.toml"
printf '[ipv6]\nenabled = true\nprefix = "2001:db8:1::/64"\n' >>"$WORK/server.toml"
tn_start_server
tn_start_client "$WORK/client-ps.log" --user bob --ipv6-prefix 2001:db8:1::/64
tn_wait_for "^ipv6:" "$WORK/client-ps.log" "$CLIENT_PID" 15 || tn_fail "per-session: the client did not bring IPv6 up"
line=$(grep "^ipv6:" "$WORK/client-ps.log")
ll=$(sed -n 's/^ipv6: address \(fe80::[0-9a-f:]*\)\/64, .*/\1/p' <<<"$line")
g=$(sed -n 's/^ipv6: .*, address \(2001:db8:1:[0-9a-f:]*\)\/64.*/\1/p' <<<"$line")
sdev=$(ip -n "$NS_S" -o link show | sed -n 's/^[0-9]*: \(pxs[0-9]*\).*/\1/p' | head -n 1)
[ -n "$sdev" ] || tn_fail "per-session: no server device"
routes=$(ip -n "$NS_S" -6 route show dev "$sdev")
grep -q "^$g " <<<"$routes" || tn_fail "per-session: no route to $g on $sdev: $routes"
ping6 "$NS_S" "$g" "per-session server -> client prefix address"
ping6 "$NS_S" "$ll%$sdev" "per-session server -> client link-local"
ping6 "$NS_C" 2001:db8:1::1 "per-session client -> server prefix address"
tn_stop_client "$CLIENT_PID"
for _ in $(seq 1 40); do ip -n "$NS_S" link show | grep -q ": pxs[0-9]" || break; sleep 0.05; done
! ip -n "$NS_S" link show | grep -q ": pxs[0-9]" || tn_fail "per-session device left after the client left"
tn_stop_server
echo "  per-session device: routes, ping -6 both ways, removed"

echo "tunnel_ipv6: server without [ipv6], client with IPv6 on (IPV6CP is Protocol-Rejected)"
: >"$WORK/server.log"
tn_server_config '"mschapv2"' true 128 stateless
tn_start_server
tn_start_client "$WORK/client-v4.log" --user bob
tn_wait_for "^connected:" "$WORK/client-v4.log" "$CLIENT_PID" 15 || tn_fail "the client did not connect to an IPv4-only server"
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "IPv4 ping to an IPv4-only server"
! grep -q "^ipv6:" "$WORK/client-v4.log" || tn_fail "IPv6 came up against a server without [ipv6]"
grep -q "IPv6 refused by the server (IPv4 only)$" "$WORK/client-v4.log" ||
  tn_fail "expected 'IPv6 refused by the server (IPv4 only)': $(grep '^connected:' "$WORK/client-v4.log")"
tn_stop_client "$CLIENT_PID"
tn_stop_server
echo "tunnel_ipv6: PASS"
