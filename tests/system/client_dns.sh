#!/usr/bin/env bash
# Client --dns with openresolv's resolvconf inside the client's network namespace (ip netns exec
# bind-mounts /etc/netns/NS/resolv.conf and resolvconf.conf over /etc's, so the host's files are
# never touched): the pushed server is added while connected and removed on exit, and after a
# SIGKILL the next start removes it. Also --up-script/--down-script (pppd ip-up arguments and
# environment) and --echo-interval/--echo-failures noticing a frozen server. About 20 s.
set -euo pipefail
TN_NAME=dns
source "$(dirname "$0")/lib/tunnel_env.sh"
command -v resolvconf >/dev/null || { echo "client_dns: SKIP: resolvconf (openresolv) is not installed"; exit 0; }
ETC_NS="/etc/netns/$NS_C"
dns_cleanup() { tn_cleanup; rm -rf "$ETC_NS"; }
trap dns_cleanup EXIT
tn_setup
tn_server_config '"mschapv2"' true 128 stateless
mkdir -p "$ETC_NS" "$WORK/resolvconf-state"
printf '# this namespace only\n' >"$ETC_NS/resolv.conf"
printf 'resolv_conf=/etc/resolv.conf\nstate_dir=%s\n' "$WORK/resolvconf-state" >"$ETC_NS/resolvconf.conf"
export PPTPX_STATE_DIR="$WORK/state"
# The namespace's own resolver (as DHCP would have given it), kept throughout.
echo "nameserver 192.0.2.53" | ip netns exec "$NS_C" resolvconf -a veth-c.dhcp
RC="$ETC_NS/resolv.conf"
grep -q "^nameserver 192.0.2.53" "$RC" || tn_fail "resolvconf did not write the namespace's resolv.conf"
tn_start_server

cat >"$WORK/hook" <<'HOOK'
#!/bin/sh
{ echo "args=$*"; echo "IFNAME=$IFNAME IPLOCAL=$IPLOCAL IPREMOTE=$IPREMOTE DNS1=$DNS1 PEERNAME=$PEERNAME"
  echo "USEPEERDNS=$USEPEERDNS PPTPX_USER=$PPTPX_USER PPTPX_MTU=$PPTPX_MTU PPTPX_ENCRYPTION=$PPTPX_ENCRYPTION"
  echo "PPTPX_REASON=$PPTPX_REASON"; } >"$0.$(basename "$0").$1.out"
HOOK
chmod 755 "$WORK/hook"
ln -s hook "$WORK/up"
ln -s hook "$WORK/down"

echo "client_dns: --dns adds the pushed server while connected and removes it on exit"
tn_start_client "$WORK/client.log" --user bob --dns --up-script "$WORK/up" --down-script "$WORK/down"
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 10 || tn_fail "the client did not connect"
tn_wait_for "DNS servers 198.51.100.1 applied via resolvconf" "$WORK/client.log" "$CLIENT_PID" 5 ||
  tn_fail "the client did not apply DNS"
grep -q "^nameserver 198.51.100.1" "$RC" || tn_fail "198.51.100.1 not in the namespace's resolv.conf: $(cat "$RC")"
grep -q "^nameserver 192.0.2.53" "$RC" || tn_fail "the namespace's own resolver went missing"
ls "$WORK/state"/*.dns >/dev/null 2>&1 || tn_fail "no DNS state file"
up=$(cat "$WORK"/up.up.*.out)
echo "$up" | grep -q "^args=pptpxc0 pptpx 0 198.51.100.1[0-9] 198.51.100.1 192.0.2.1$" || tn_fail "up-script args: $up"
echo "$up" | grep -q "IFNAME=pptpxc0 IPLOCAL=198.51.100.1[0-9] IPREMOTE=198.51.100.1 DNS1=198.51.100.1 PEERNAME=192.0.2.1" ||
  tn_fail "up-script environment: $up"
echo "$up" | grep -q "USEPEERDNS=1 PPTPX_USER=bob PPTPX_MTU=1400 PPTPX_ENCRYPTION=MPPE 128-bit stateless" ||
  tn_fail "up-script PPTPX_ environment: $up"
tn_stop_client "$CLIENT_PID"
! grep -q "198.51.100.1" "$RC" || tn_fail "198.51.100.1 left in resolv.conf after exit: $(cat "$RC")"
grep -q "^nameserver 192.0.2.53" "$RC" || tn_fail "the namespace's own resolver went missing on exit"
! ls "$WORK/state"/*.dns >/dev/null 2>&1 || tn_fail "a DNS state file was left after a clean exit"
grep -q "^PPTPX_REASON=the user disconnected" "$WORK"/down.down.*.out || tn_fail "down-script: $(cat "$WORK"/down.down.*.out)"
echo "  up-script: $(head -1 "$WORK"/up.up.*.out)"

echo "client_dns: after SIGKILL, the next start removes what was left"
rm -f "$WORK"/*.out
tn_start_client "$WORK/client-killed.log" --user bob --dns
tn_wait_for "DNS servers 198.51.100.1 applied" "$WORK/client-killed.log" "$CLIENT_PID" 10 || tn_fail "no DNS the 2nd time"
kill -KILL "$CLIENT_PID"
wait "$CLIENT_PID" 2>/dev/null || true
grep -q "^nameserver 198.51.100.1" "$RC" || tn_fail "expected the killed client's server still in resolv.conf"
rc=0
timeout 20 ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user bob --password-file "$WORK/wrong-password" --dns \
  >"$WORK/client-next.log" 2>&1 || rc=$?
[ $rc -eq 1 ] || tn_fail "the next client exited $rc"
grep -q "removed the DNS servers a previous client (pid [0-9]*) left on pptpxc0 via resolvconf" "$WORK/client-next.log" ||
  tn_fail "the next start did not say it removed the leftovers: $(cat "$WORK/client-next.log")"
! grep -q "198.51.100.1" "$RC" || tn_fail "the killed client's DNS server is still in resolv.conf"
echo "  $(grep 'removed the DNS' "$WORK/client-next.log")"

echo "client_dns: --echo-interval 1 --echo-failures 2 notices a frozen server within seconds"
tn_start_client "$WORK/client-echo.log" --user bob --echo-interval 1 --echo-failures 2
tn_wait_for "^connected:" "$WORK/client-echo.log" "$CLIENT_PID" 10 || tn_fail "the echo client did not connect"
kill -STOP "$SERVER_PID"
start=$(date +%s%N)
rc=0
tn_wait_for "link down: peer did not answer 2 LCP Echo-Requests" "$WORK/client-echo.log" "$CLIENT_PID" 15 || rc=$?
took=$(( ($(date +%s%N) - start) / 1000000 ))
kill -CONT "$SERVER_PID"
[ $rc -eq 0 ] || tn_fail "the client did not notice the frozen server within 15 s"
# The server answers the client's Stop-Control-Connection-Request once it runs again.
timeout 20 tail --pid="$CLIENT_PID" -f /dev/null || tn_fail "the client did not exit after noticing"
grep -q "connection ended: peer did not answer 2 LCP Echo-Requests" "$WORK/client-echo.log" ||
  tn_fail "the client did not say the echoes went unanswered: $(tail -3 "$WORK/client-echo.log")"
echo "  noticed after ${took} ms (default settings: 150 s)"
tn_stop_server
echo "client_dns: PASS"
