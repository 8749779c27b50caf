#!/usr/bin/env bash
# Every authentication method x MPPE strength and mode the policy allows, over real sockets in two
# network namespaces: PAP and CHAP-MD5 without MPPE; MS-CHAPv1 and MS-CHAPv2 without MPPE and with
# MPPE 40/56/128-bit, stateless and stateful. For each: the client must report the expected
# negotiation, ping must pass both ways, and 20 MB of random data must arrive with the same
# SHA-256 (alternating direction), then the client and the server must exit 0 on SIGTERM.
set -euo pipefail
TN_NAME=modes
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup

MB=${TUNNEL_MODES_MB:-20}
n=0
# run_mode SERVER_METHOD CLIENT_AUTH REQUIRED STRENGTH MODE CLIENT_MPPE_ARGS EXPECT
run_mode() {
  local smethod=$1 cauth=$2 required=$3 strength=$4 mode=$5 cargs=$6 expect=$7
  n=$((n + 1))
  : >"$WORK/server.log"
  tn_server_config "\"$smethod\"" "$required" "$strength" "$mode"
  tn_start_server
  # shellcheck disable=SC2086
  tn_start_client "$WORK/client.log" --user bob --auth "$cauth" $cargs
  tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 15 || tn_fail "mode $n ($expect): the client did not connect"
  grep -q -- "$expect" "$WORK/client.log" ||
    tn_fail "mode $n: expected '$expect', got: $(grep '^connected:' "$WORK/client.log")"
  local addr
  addr=$(sed -n 's/^connected: .* address \([0-9.]*\), peer .*/\1/p' "$WORK/client.log")
  ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "mode $n: client -> server ping"
  ip netns exec "$NS_S" ping -n -q -c 2 -i 0.2 -W 2 "$addr" >/dev/null || tn_fail "mode $n: server -> client ping"
  local t0 t1
  t0=$(date +%s.%N)
  if [ $((n % 2)) -eq 0 ]; then
    tn_transfer "$NS_S" 198.51.100.1 "$NS_C" "$MB"; dir="server->client"
  else
    tn_transfer "$NS_C" "$addr" "$NS_S" "$MB"; dir="client->server"
  fi
  t1=$(date +%s.%N)
  tn_stop_client "$CLIENT_PID"
  tn_stop_server
  grep -q "session ended" "$WORK/server.log" || tn_fail "mode $n: the server did not log the session's end"
  printf '  %-58s ok  (%s MB %s in %s s)\n' "$expect" "$MB" "$dir" "$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")"
}

echo "tunnel_modes: $MB MB per mode"
run_mode pap pap false 128 stateless "--mppe none" "auth PAP, encryption none"
run_mode chap-md5 chap-md5 false 128 stateless "--mppe none" "auth CHAP-MD5, encryption none"
for m in mschapv2:mschapv2:MS-CHAPv2 mschap:mschapv1:MS-CHAPv1; do
  IFS=: read -r smethod cauth label <<<"$m"
  run_mode "$smethod" "$cauth" false 128 stateless "--mppe none" "auth $label, encryption none"
  for bits in 40 56 128; do
    run_mode "$smethod" "$cauth" true "$bits" stateless "--mppe $bits" "auth $label, encryption MPPE $bits-bit stateless"
    run_mode "$smethod" "$cauth" true "$bits" stateful "--mppe $bits --mppe-stateful" \
      "auth $label, encryption MPPE $bits-bit stateful"
  done
done

echo "tunnel_modes: --route and --default-route (and nothing else) are added, and removed on exit"
: >"$WORK/server.log"
tn_server_config '"mschapv2"' true 128 stateless
tn_start_server
ip -n "$NS_S" addr add 203.0.113.1/24 dev lo
before=$(ip -n "$NS_C" -4 route show | sort)
tn_start_client "$WORK/client.log" --user bob --route 203.0.113.0/24 --default-route
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 15 || tn_fail "the client with routes did not connect"
dev=$(sed -n 's/^connected: .* interface \([^ ]*\) .*/\1/p' "$WORK/client.log")
routes=$(ip -n "$NS_C" -4 route show)
for want in "203.0.113.0/24 dev $dev" "0.0.0.0/1 dev $dev" "128.0.0.0/1 dev $dev" "192.0.2.1 dev veth-c"; do
  grep -q "^$want" <<<"$routes" || tn_fail "route '$want' missing; routes are: $routes"
done
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 203.0.113.1 >/dev/null || tn_fail "ping through --route"
tn_stop_client "$CLIENT_PID"
after=$(ip -n "$NS_C" -4 route show | sort)
[ "$before" = "$after" ] || tn_fail "routes differ after the client exited: before '$before', after '$after'"
tn_stop_server
echo "  routes added, used and removed"

echo "tunnel_modes: [tun] per_session = true gives each session its own server device"
: >"$WORK/server.log"
tn_server_config '"mschapv2"' true 128 stateless
sed -i 's/^name = "pxsrv0"/name = "pxs"\nper_session = true/' "$WORK/server.toml"
tn_start_server
PS=()
for i in 1 2 3; do
  tn_start_client "$WORK/client-ps$i.log" --user "user$i" --tun-name "pxps$i"
  PS+=("$CLIENT_PID")
done
for i in 1 2 3; do
  tn_wait_for "^connected:" "$WORK/client-ps$i.log" "${PS[$((i - 1))]}" 15 || tn_fail "per-session client $i did not connect"
  addr=$(sed -n 's/^connected: .* address \([0-9.]*\), peer .*/\1/p' "$WORK/client-ps$i.log")
  # grep reads everything (no -q): an early exit would SIGPIPE ip and fail the pipeline (pipefail).
  ip -n "$NS_S" -4 addr show | grep "inet 198.51.100.1 peer $addr/32 .* pxs[0-9]" >/dev/null ||
    tn_fail "no server device with peer $addr: $(ip -n "$NS_S" -4 addr show)"
  ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 -I "pxps$i" 198.51.100.1 >/dev/null || tn_fail "ping via pxps$i"
done
tn_transfer "$NS_S" 198.51.100.1 "$NS_C" "$MB"
for p in "${PS[@]}"; do tn_stop_client "$p"; done
for _ in $(seq 1 40); do ip -n "$NS_S" link show | grep -q ": pxs[0-9]" || break; sleep 0.05; done
! ip -n "$NS_S" link show | grep -q ": pxs[0-9]" || tn_fail "per-session devices left after the clients left"
tn_stop_server
echo "  3 sessions, 3 server devices, ping and $MB MB, devices removed"
echo "tunnel_modes: PASS ($n modes, routes, per-session TUN)"
