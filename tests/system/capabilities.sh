#!/usr/bin/env bash
# Secure defaults on a live server (issue 6): once its sockets and TUN device are open, the server
# keeps only CAP_NET_ADMIN (bit 12 of <linux/capability.h>) in its effective, permitted and
# bounding sets, with no_new_privs set; and at start it logged, once at warn level, what the
# default MS-CHAPv2 + MPPE-128 mode exposes. A client must still connect and pass traffic, and
# keep only CAP_NET_ADMIN itself once its raw GRE socket is open.
set -euo pipefail
TN_NAME=caps
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup
tn_server_config '"mschapv2"' true 128 stateless
tn_start_server
sleep 0.2

echo "capabilities: server capability sets after start"
status=/proc/"$SERVER_PID"/status
want=$(printf '%016x' $((1 << 12)))  # CAP_NET_ADMIN only
for set in CapEff CapPrm CapBnd; do
  got=$(awk -v k="$set:" '$1 == k {print $2}' "$status")
  echo "  $set $got (want $want)"
  [ "$got" = "$want" ] || tn_fail "server $set is $got, want $want (CAP_NET_ADMIN only)"
done
got=$(awk '$1 == "CapInh:" {print $2}' "$status")
[ "$got" = "0000000000000000" ] || tn_fail "server CapInh is $got, want 0"
nnp=$(awk '$1 == "NoNewPrivs:" {print $2}' "$status")
[ "$nnp" = "1" ] || tn_fail "server NoNewPrivs is $nnp, want 1"

echo "capabilities: start-up security warnings, once"
n=$(grep -c "warn.*security: auth mschapv2: .*one DES key (2^56 work)" "$WORK/server.log" || true)
[ "$n" -eq 1 ] || tn_fail "the server logged the MS-CHAPv2 warning $n times (want once)"

echo "capabilities: a client still connects and passes traffic"
tn_start_client "$WORK/client.log" --user bob
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 10 || tn_fail "the client did not connect"
ip netns exec "$NS_C" ping -n -q -c 3 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "no traffic through the tunnel"
echo "capabilities: client capability sets once connected"
for set in CapEff CapPrm CapBnd; do
  got=$(awk -v k="$set:" '$1 == k {print $2}' /proc/"$CLIENT_PID"/status)
  echo "  $set $got (want $want)"
  [ "$got" = "$want" ] || tn_fail "client $set is $got, want $want (CAP_NET_ADMIN only)"
done
tn_stop_client "$CLIENT_PID"
n=$(grep -c "security:" "$WORK/server.log" || true)
[ "$n" -eq 1 ] || tn_fail "security warnings logged $n times during the run (want once, at start)"
tn_stop_server
echo "capabilities: OK"
