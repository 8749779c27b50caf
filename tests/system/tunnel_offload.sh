#!/usr/bin/env bash
# TUN offloads, MSS clamping and a client MTU below the server's, over real sockets in two
# network namespaces (issue 7):
# 1. [tun] offload = true / --offload and false / --no-offload: 20 MB each way with the same
#    SHA-256; with offloads the server must have split TCP super-segments read from its TUN and
#    joined received segments into GSO writes (its exit counters); without, neither.
# 2. A client with --mtu 1200 on the server's shared TUN (MTU 1400): its interface gets MTU 1200;
#    a 1300-octet ping from the server side with DF set is dropped and counted, without DF it is
#    fragmented and answered; a TCP transfer started from the server side has its SYN's MSS
#    clamped (counted) and arrives intact.
set -euo pipefail
TN_NAME=offload
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup

# counter NAME: the number before NAME on the server's "TUN offload:" exit line.
counter() { grep "TUN offload:" "$WORK/server.log" | tail -n 1 | grep -o "[0-9][0-9]* $1" | awk '{print $1}'; }

for off in true false; do
  : >"$WORK/server.log"
  tn_server_config '"mschapv2"' true 128 stateless
  sed -i "s/^name = \"pxsrv0\"$/name = \"pxsrv0\"\noffload = $off/" "$WORK/server.toml"
  tn_start_server
  cargs=()
  [ "$off" = false ] && cargs=(--no-offload)
  tn_start_client "$WORK/client.log" --user bob "${cargs[@]}"
  tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 15 || tn_fail "offload $off: the client did not connect"
  addr=$(sed -n 's/^connected: .* address \([0-9.]*\), peer .*/\1/p' "$WORK/client.log")
  tn_transfer "$NS_S" 198.51.100.1 "$NS_C" 20
  tn_transfer "$NS_C" "$addr" "$NS_S" 20
  tn_stop_client "$CLIENT_PID"
  tn_stop_server
  split=$(counter "super-segments")
  joined=$(counter "segments$")
  [ -n "$split" ] && [ -n "$joined" ] || tn_fail "offload $off: no 'TUN offload:' line in the server log"
  if [ "$off" = true ]; then
    [ "$split" -gt 0 ] || tn_fail "offload on: the server split no super-segment"
    [ "$joined" -gt 0 ] || tn_fail "offload on: the server joined no received segments into a GSO write"
  else
    [ "$split" -eq 0 ] || tn_fail "offload off: the server split $split super-segments"
    [ "$joined" -eq 0 ] || tn_fail "offload off: the server joined $joined segments"
  fi
  echo "  offload $off: 20 MB each way, SHA-256 equal; the server split $split super-segments and joined $joined received segments"
done

: >"$WORK/server.log"
tn_server_config '"mschapv2"' true 128 stateless
tn_start_server
tn_start_client "$WORK/client.log" --user bob --mtu 1200
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 15 || tn_fail "--mtu 1200: the client did not connect"
grep -q "(MTU 1200)" "$WORK/client.log" || tn_fail "--mtu 1200: $(grep '^connected:' "$WORK/client.log")"
addr=$(sed -n 's/^connected: .* address \([0-9.]*\), peer .*/\1/p' "$WORK/client.log")
# The transfer first: once the sender has learnt the path MTU below, its SYNs need no clamping.
tn_transfer "$NS_C" "$addr" "$NS_S" 5
# First, without DF (before the sender learns the path MTU and fragments itself): the server fragments.
ip netns exec "$NS_S" ping -n -q -c 2 -i 0.2 -W 2 -M dont -s 1300 "$addr" >/dev/null ||
  tn_fail "a 1328-octet ping without DF did not reach a client with MTU 1200 (fragmentation)"
# Path-MTU discovery through the tunnel (RFC 1191 §4): the server drops the DF ping and answers
# "fragmentation needed" with the client's MTU; the sender's kernel then knows the path MTU.
if out=$(ip netns exec "$NS_S" ping -n -c 2 -i 0.2 -W 1 -M do -s 1300 "$addr" 2>&1); then
  tn_fail "a 1328-octet ping with DF reached a client with MTU 1200"
fi
echo "$out" | grep -q "Frag needed and DF set (mtu = 1200)" ||
  tn_fail "no ICMP fragmentation needed (mtu 1200) for the DF ping: $out"
out=$(ip netns exec "$NS_S" ping -n -c 1 -W 1 -M do -s 1300 "$addr" 2>&1 || true)
echo "$out" | grep -q "message too long, mtu=1200" || tn_fail "the sender did not learn the path MTU 1200: $out"
tn_stop_client "$CLIENT_PID"
tn_stop_server
dropped=$(counter "above a client's MTU dropped")
fragmented=$(counter "fragmented")
clamped=$(counter "MSS clamped")
icmp=$(counter "ICMP too-big sent")
[ "${dropped:-0}" -ge 1 ] || tn_fail "the DF pings were not counted as dropped ($dropped)"
[ "${icmp:-0}" -ge 1 ] || tn_fail "no ICMP too-big error was counted ($icmp)"
[ "${fragmented:-0}" -ge 2 ] || tn_fail "the non-DF pings were not counted as fragmented ($fragmented)"
[ "${clamped:-0}" -ge 1 ] || tn_fail "no SYN had its MSS clamped ($clamped)"
echo "  --mtu 1200 on a 1400 shared TUN: DF dropped ($dropped) and answered (ICMP $icmp, PMTU 1200 learnt), fragmented ($fragmented), MSS clamped ($clamped), 5 MB intact"
echo "tunnel_offload: PASS"
