#!/usr/bin/env bash
# The live demo (run as root on Debian 12): builds pptpx, walks the RFC 2759 §9.2 MS-CHAPv2
# example (every intermediate value, and the RFC 3079 MPPE keys), then makes three network namespaces on
# documentation addresses, and carries real traffic through a pptpx tunnel:
#
#   [client ns] 192.0.2.2 --veth-- 192.0.2.1 [server ns] 203.0.113.1 --veth-- 203.0.113.2 [LAN ns]
#        pptpxc0 198.51.100.1x  <== PPTP (TCP 1723 + GRE, MS-CHAPv2, MPPE-128) ==>  pxdemo0 198.51.100.1
#
# The client routes 203.0.113.0/24 through the tunnel; the server forwards to the LAN host, which
# routes the pool 198.51.100.0/24 back via 203.0.113.1. Nothing gets a route out of its namespace.
# Then: ping the LAN host through the tunnel, a 5 s iperf3 each way, print what was negotiated and
# the throughput, and remove everything (namespaces, processes, files) on the way out.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ "$(id -u)" -ne 0 ]; then
  echo "demo: needs root (network namespaces, TUN devices, a raw GRE socket); run it with sudo" >&2
  exit 1
fi
bash scripts/deps.sh build demo
echo "demo: building pptpx (Release, build/release)"
mkdir -p build
if ! { cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DPPTPX_BENCH=OFF &&
       cmake --build build/release --target pptpx -j "$(nproc)"; } >build/demo-build.log 2>&1; then
  tail -n 30 build/demo-build.log
  echo "demo: FAILED at step: build (full log: build/demo-build.log)" >&2
  exit 1
fi
BIN=$ROOT/build/release/src/cli/pptpx

# Step 1: the cryptographic core, shown on the published example (RFC 2759 §9.2, RFC 3079 §3.5):
# every intermediate value of an MS-CHAPv2 exchange and the MPPE keys it yields.
echo
if ! "$BIN" rfc-example; then
  echo "demo: FAILED at step: RFC 2759/3079 example (a computed value differs from the RFC)" >&2
  exit 1
fi
echo

P="pxdemo-$$"
NS_C="$P-client" NS_S="$P-server" NS_L="$P-lan"
WORK=$(mktemp -d "/tmp/$P.XXXXXX")
SERVER_PID="" CLIENT_PID="" IPERF_PID=""
STEP="setup"

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ $rc -ne 0 ]; then
    echo "demo: FAILED at step: $STEP"
    [ -f "$WORK/server.log" ] && { echo "--- last lines of the server log"; tail -n 15 "$WORK/server.log"; }
    [ -f "$WORK/client.log" ] && { echo "--- last lines of the client log"; tail -n 15 "$WORK/client.log"; }
  fi
  for pid in $CLIENT_PID $IPERF_PID $SERVER_PID; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $CLIENT_PID $IPERF_PID $SERVER_PID; do wait "$pid" 2>/dev/null || true; done
  for ns in "$NS_C" "$NS_S" "$NS_L"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_for PATTERN FILE PID SECONDS: until FILE has PATTERN; fails early if PID exits.
wait_for() {
  local i
  for i in $(seq 1 $(($4 * 20))); do
    grep -q "$1" "$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

STEP="network namespaces"
ip netns add "$NS_C"; ip netns add "$NS_S"; ip netns add "$NS_L"
ip link add veth-c netns "$NS_C" type veth peer name veth-s netns "$NS_S"
ip link add veth-lan netns "$NS_S" type veth peer name veth-l netns "$NS_L"
ip -n "$NS_C" addr add 192.0.2.2/24 dev veth-c
ip -n "$NS_S" addr add 192.0.2.1/24 dev veth-s
ip -n "$NS_S" addr add 203.0.113.1/24 dev veth-lan
ip -n "$NS_L" addr add 203.0.113.2/24 dev veth-l
for ns in "$NS_C" "$NS_S" "$NS_L"; do ip -n "$ns" link set lo up; done
ip -n "$NS_C" link set veth-c up
ip -n "$NS_S" link set veth-s up
ip -n "$NS_S" link set veth-lan up
ip -n "$NS_L" link set veth-l up
ip -n "$NS_L" route add 198.51.100.0/24 via 203.0.113.1
ip netns exec "$NS_S" sysctl -q -w net.ipv4.ip_forward=1

STEP="server configuration"
umask 077
printf '%s\n' '# client  server  secret          addresses' 'demo      *       "Tunnel-Lab-7"  *' >"$WORK/chap-secrets"
chmod 600 "$WORK/chap-secrets"
printf 'Tunnel-Lab-7\n' >"$WORK/password"
cat >"$WORK/server.toml" <<CONF
[listen]
address = "192.0.2.1"
[tun]
name = "pxdemo0"
[ipv4]
server_address = "198.51.100.1"
pool = "198.51.100.10-198.51.100.20"
dns = ["198.51.100.1"]
[auth]
methods = ["mschapv2"]
secrets_file = "$WORK/chap-secrets"
[mppe]
required = true
strengths = [128]
CONF
"$BIN" server --check-config "$WORK/server.toml"

STEP="start the server"
ip netns exec "$NS_S" "$BIN" server --config "$WORK/server.toml" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait_for "listening on" "$WORK/server.log" "$SERVER_PID" 5

STEP="connect the client"
ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user demo --password-file "$WORK/password" \
  --route 203.0.113.0/24 >"$WORK/client.log" 2>&1 &
CLIENT_PID=$!
wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 15
echo
echo "client: $(grep '^connected:' "$WORK/client.log")"
echo "server: $(grep 'link up' "$WORK/server.log" | sed 's/^[^ ]* [^ ]* //')"

STEP="ping the LAN host 203.0.113.2 through the tunnel"
echo
ip netns exec "$NS_C" ping -n -c 3 -i 0.2 -W 2 203.0.113.2 | sed 's/^/  /'

STEP="iperf3 through the tunnel"
ip netns exec "$NS_L" iperf3 -s -B 203.0.113.2 >"$WORK/iperf-server.log" 2>&1 &
IPERF_PID=$!
sleep 0.5
ip netns exec "$NS_C" iperf3 -c 203.0.113.2 -t 5 >"$WORK/iperf-up.log" 2>&1
ip netns exec "$NS_C" iperf3 -c 203.0.113.2 -t 5 -R >"$WORK/iperf-down.log" 2>&1
up=$(awk '/receiver/ {print $(NF-2), $(NF-1)}' "$WORK/iperf-up.log")
down=$(awk '/receiver/ {print $(NF-2), $(NF-1)}' "$WORK/iperf-down.log")

STEP="disconnect"
kill -TERM "$CLIENT_PID"
wait "$CLIENT_PID" || { echo "demo: the client did not exit cleanly"; exit 1; }
CLIENT_PID=""
sleep 0.2
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || { echo "demo: the server did not exit cleanly"; exit 1; }
SERVER_PID=""

echo
echo "=== pptpx demo: PASS"
grep '^connected:' "$WORK/client.log" | sed 's/^connected: /  negotiated: /'
echo "  throughput client -> LAN: $up; LAN -> client: $down (iperf3, 5 s each, through MPPE)"
echo "  server log:"
grep -E 'connection #|link up|session ended|closed' "$WORK/server.log" | sed 's/^/    /'
