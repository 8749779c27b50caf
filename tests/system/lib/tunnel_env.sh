# Shared by tests/system/tunnel_*.sh (sourced, not run): two network namespaces joined by a veth
# pair (client 192.0.2.2, server 192.0.2.1), a work directory, pptpx server/client start and
# stop helpers, and cleanup by pid and namespace name on exit.
# Needs: $PPTPX_BIN, root, iproute2, iputils-ping, python3.

BIN=${PPTPX_BIN:?set PPTPX_BIN to the pptpx binary}
TN_NAME=${TN_NAME:-tunnel}
TN_PREFIX="px${TN_NAME:0:6}-$$"
NS_C="$TN_PREFIX-c"
NS_S="$TN_PREFIX-s"
WORK=$(mktemp -d "/tmp/$TN_PREFIX.XXXXXX")
TN_PIDS=()
SERVER_PID=""

tn_fail() {  # tn_fail MESSAGE: print why (and the logs' last lines) and exit 1
  echo "$TN_NAME: FAIL: $*"
  [ -f "$WORK/server.log" ] && { echo "--- server log (last 15 lines)"; tail -n 15 "$WORK/server.log"; }
  for f in "$WORK"/client*.log; do
    [ -f "$f" ] && { echo "--- $(basename "$f") (last 8 lines)"; tail -n 8 "$f"; }
  done
  exit 1
}

tn_cleanup() {
  local p
  for p in "${TN_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${TN_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns del "$NS_C" 2>/dev/null || true
  ip netns del "$NS_S" 2>/dev/null || true
  rm -rf "$WORK"
}
trap tn_cleanup EXIT

# wait_for PATTERN FILE PID SECONDS: until FILE contains PATTERN; fails early if PID is gone.
tn_wait_for() {
  local i
  for i in $(seq 1 $(($4 * 20))); do
    grep -q -- "$1" "$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { grep -q -- "$1" "$2" 2>/dev/null; return; }
    sleep 0.05
  done
  return 1
}

tn_setup() {
  ip netns add "$NS_C"
  ip netns add "$NS_S"
  ip link add veth-c netns "$NS_C" type veth peer name veth-s netns "$NS_S"
  ip -n "$NS_C" addr add 192.0.2.2/24 dev veth-c
  ip -n "$NS_S" addr add 192.0.2.1/24 dev veth-s
  local ns
  for ns in "$NS_C" "$NS_S"; do ip -n "$ns" link set lo up; done
  ip -n "$NS_C" link set veth-c up
  ip -n "$NS_S" link set veth-s up
  printf 'Tunnel-Lab-7\n' >"$WORK/password"
  printf 'wrong-password\n' >"$WORK/wrong-password"
  { echo '# client server secret addresses'
    echo 'bob * "Tunnel-Lab-7" *'
    for i in $(seq 1 60); do echo "user$i * \"Tunnel-Lab-7\" *"; done
  } >"$WORK/chap-secrets"
  chmod 600 "$WORK/chap-secrets"
}

# tn_server_config METHODS REQUIRED STRENGTHS MODE [POOL]: writes $WORK/server.toml.
# $TN_LOCKOUT_FAILURES: [limits.auth_lockout] failures (default 0 = off, tests fail on purpose).
tn_server_config() {
  cat >"$WORK/server.toml" <<CONF
[listen]
address = "192.0.2.1"
[tun]
name = "pxsrv0"
[ipv4]
server_address = "198.51.100.1"
pool = "${5:-198.51.100.10-198.51.100.20}"
dns = ["198.51.100.1"]
[auth]
methods = [$1]
secrets_file = "$WORK/chap-secrets"
[mppe]
required = $2
strengths = [$3]
mode = "$4"
[limits]
max_sessions_per_source = 100
[limits.auth_lockout]
failures = ${TN_LOCKOUT_FAILURES:-0}
window_seconds = 60
lockout_seconds = 60
[control]
socket = "$WORK/control.sock"
CONF
}

tn_start_server() {
  ip netns exec "$NS_S" "$BIN" server --config "$WORK/server.toml" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  TN_PIDS+=("$SERVER_PID")
  tn_wait_for "listening on" "$WORK/server.log" "$SERVER_PID" 5 || tn_fail "the server did not start"
}

tn_stop_server() {  # SIGTERM; the server must exit 0
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=""
  [ $rc -eq 0 ] || tn_fail "the server exited with status $rc after SIGTERM"
}

# tn_start_client LOG ARGS...: starts a client in the background (pid in CLIENT_PID).
tn_start_client() {
  local log=$1; shift
  : >"$log"  # now, not in the background job: a waiter must not see the previous run's lines
  ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --password-file "$WORK/password" "$@" >"$log" 2>&1 &
  CLIENT_PID=$!
  TN_PIDS+=("$CLIENT_PID")
}

tn_stop_client() {  # tn_stop_client PID: SIGTERM; the client must exit 0
  kill -TERM "$1"
  local rc=0
  wait "$1" || rc=$?
  [ $rc -eq 0 ] || tn_fail "client $1 exited with status $rc after SIGTERM"
}

# tn_transfer SEND_NS LISTEN_ADDR RECV_NS MBYTES: RECV_NS fetches MBYTES of random data served
# from SEND_NS on LISTEN_ADDR:5001 and the SHA-256 sums of both ends must match.
tn_transfer() {
  local send_ns=$1 addr=$2 recv_ns=$3 mb=$4
  head -c "${mb}M" /dev/urandom >"$WORK/send.bin"
  rm -f "$WORK/recv.bin" "$WORK/listen.ready"
  ip netns exec "$send_ns" python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5001))
s.listen(1)
open(sys.argv[3], "w").write("ready\n")
s.settimeout(20)
c, _ = s.accept()
with open(sys.argv[2], "rb") as f:
    c.sendfile(f)
c.close()
' "$addr" "$WORK/send.bin" "$WORK/listen.ready" &
  local lp=$!
  TN_PIDS+=("$lp")
  tn_wait_for ready "$WORK/listen.ready" "$lp" 5 || tn_fail "the transfer listener did not start on $addr"
  timeout 60 ip netns exec "$recv_ns" bash -c "cat </dev/tcp/$addr/5001 >'$WORK/recv.bin'" ||
    tn_fail "the ${mb} MB transfer from $addr failed"
  wait "$lp" || true
  local a b
  a=$(sha256sum <"$WORK/send.bin" | cut -d' ' -f1)
  b=$(sha256sum <"$WORK/recv.bin" | cut -d' ' -f1)
  [ "$a" = "$b" ] || tn_fail "SHA-256 differs after the transfer from $addr: sent $a, received $b ($(stat -c %s "$WORK/recv.bin") bytes)"
}
