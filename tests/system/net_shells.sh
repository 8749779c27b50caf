#!/usr/bin/env bash
# System test for the net/ shells (root): in two network namespaces joined by a veth pair
# (192.0.2.1 <-> 192.0.2.2), gre_echo_tool sends enhanced-GRE packets with sendmmsg from one
# side; the other receives them with recvmmsg and echoes them back, and the sender checks every
# byte. Then a TUN device gets its MTU, addresses and peer routes over rtnetlink and passes ping
# and ping -6 (the tool answers the echo requests that come out of the TUN).
# Needs: $PPTPX_BIN (to find the build dir) or $GRE_ECHO_TOOL; iproute2, iputils-ping.
set -euo pipefail

TOOL=${GRE_ECHO_TOOL:-}
if [ -z "$TOOL" ] && [ -n "${PPTPX_BIN:-}" ]; then
  TOOL="$(cd "$(dirname "$PPTPX_BIN")/../.." && pwd)/tests/net/gre_echo_tool"
fi
if [ -z "$TOOL" ] || [ ! -x "$TOOL" ]; then
  echo "net_shells: gre_echo_tool not found (set GRE_ECHO_TOOL or build the gre_echo_tool target)" >&2
  exit 1
fi
for cmd in ip ping; do
  command -v "$cmd" >/dev/null || { echo "net_shells: '$cmd' is missing (scripts/deps.sh test installs it)" >&2; exit 1; }
done

NS_A="pptpx-net-a-$$"
NS_B="pptpx-net-b-$$"
WORK=$(mktemp -d /tmp/pptpx-net-shells.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns del "$NS_A" 2>/dev/null || true
  ip netns del "$NS_B" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_for_file() {  # wait_for_file PATH PID: up to 5 s, failing early if PID died
  for _ in $(seq 1 100); do
    [ -e "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

ip netns add "$NS_A"
ip netns add "$NS_B"
ip link add veth-pa netns "$NS_A" type veth peer name veth-pb netns "$NS_B"
ip -n "$NS_A" addr add 192.0.2.1/24 dev veth-pa
ip -n "$NS_B" addr add 192.0.2.2/24 dev veth-pb
for ns in "$NS_A" "$NS_B"; do ip -n "$ns" link set lo up; done
ip -n "$NS_A" link set veth-pa up
ip -n "$NS_B" link set veth-pb up

echo "--- GRE: 300 packets in sendmmsg batches of 32, echoed back with recvmmsg/sendmmsg"
ip netns exec "$NS_B" "$TOOL" echo --bind 192.0.2.2 --count 300 --timeout-ms 10000 --ready "$WORK/echo.ready" \
  >"$WORK/echo.log" 2>&1 &
ECHO_PID=$!
PIDS+=("$ECHO_PID")
wait_for_file "$WORK/echo.ready" "$ECHO_PID" || { cat "$WORK/echo.log"; echo "net_shells: echo side did not start"; exit 1; }
ip netns exec "$NS_A" "$TOOL" send --bind 192.0.2.1 --to 192.0.2.2 --count 300 --batch 32 --timeout-ms 10000
wait "$ECHO_PID" || { cat "$WORK/echo.log"; echo "net_shells: echo side failed"; exit 1; }
cat "$WORK/echo.log"

echo "--- TUN: MTU, addresses and routes over rtnetlink, then ping and ping -6 through it"
ip netns exec "$NS_A" "$TOOL" tun --name pptpxt0 --local 198.51.100.1 --peer 198.51.100.2 \
  --local6 2001:db8:5::1 --peer6 2001:db8:5::2 --mtu 1400 --replies 6 --timeout-ms 15000 \
  --ready "$WORK/tun.ready" >"$WORK/tun.log" 2>&1 &
TUN_PID=$!
PIDS+=("$TUN_PID")
wait_for_file "$WORK/tun.ready" "$TUN_PID" || { cat "$WORK/tun.log"; echo "net_shells: tun side did not start"; exit 1; }
# (Output is captured first: `cmd | grep -q` under pipefail fails when grep exits early.)
expect_in() {  # expect_in WHAT PATTERN COMMAND...: fail unless COMMAND's output contains PATTERN
  local what=$1 pattern=$2 out; shift 2
  out=$("$@") || { echo "net_shells: '$*' failed"; exit 1; }
  case "$out" in *"$pattern"*) ;; *) echo "net_shells: $what (no '$pattern' in: $out)"; exit 1 ;; esac
}
expect_in "TUN MTU is not 1400" "mtu 1400" ip -n "$NS_A" link show pptpxt0
expect_in "TUN has no IPv4 address" "inet 198.51.100.1/32" ip -n "$NS_A" -4 addr show dev pptpxt0
expect_in "TUN has no IPv6 address" "inet6 2001:db8:5::1/128" ip -n "$NS_A" -6 addr show dev pptpxt0
expect_in "no route to the peer via the TUN" "dev pptpxt0" ip -n "$NS_A" route get 198.51.100.2
expect_in "no IPv6 route to the peer via the TUN" "dev pptpxt0" ip -n "$NS_A" -6 route get 2001:db8:5::2
ip netns exec "$NS_A" ping -n -c 3 -i 0.2 -W 2 198.51.100.2
ip netns exec "$NS_A" ping -6 -n -c 3 -i 0.2 -W 2 2001:db8:5::2
wait "$TUN_PID" || { cat "$WORK/tun.log"; echo "net_shells: tun side failed"; exit 1; }
cat "$WORK/tun.log"
grep -q "routes removed" "$WORK/tun.log" || { echo "net_shells: routes were not removed"; exit 1; }
echo "net_shells: PASS"
