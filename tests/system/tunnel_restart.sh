#!/usr/bin/env bash
# Server restarts under connected clients: 5 clients with --persist are up; the server is stopped
# with SIGTERM (orderly: CDN + Stop-Control-Connection) and started again, then killed with
# SIGKILL (no goodbye: the clients see TCP close) and started again. After each restart every
# client must come back by itself and pass ping; at the end SIGTERM makes every client exit 0.
set -euo pipefail
TN_NAME=restart
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup
N=5
tn_server_config '"mschapv2"' true 128 stateless
tn_start_server

CLIENTS=()
for i in $(seq 1 $N); do
  tn_start_client "$WORK/client$i.log" --user "user$i" --tun-name "pxr$i" --persist --max-backoff 2
  CLIENTS+=("$CLIENT_PID")
done

# all_up ROUND: every client log shows ROUND "connected:" lines, and ping works through each.
all_up() {
  local round=$1 i n
  for i in $(seq 1 $N); do
    for _ in $(seq 1 200); do
      n=$(grep -c "^connected:" "$WORK/client$i.log" || true)
      [ "$n" -ge "$round" ] && break
      kill -0 "${CLIENTS[$((i - 1))]}" 2>/dev/null || tn_fail "client $i exited (round $round)"
      sleep 0.05
    done
    [ "$n" -ge "$round" ] || tn_fail "client $i did not reconnect (round $round)"
  done
  for i in $(seq 1 $N); do
    for _ in $(seq 1 20); do  # the TUN device can take a moment to get its address again
      ip netns exec "$NS_C" ping -n -q -c 1 -W 1 -I "pxr$i" 198.51.100.1 >/dev/null 2>&1 && continue 2
      sleep 0.1
    done
    tn_fail "no ping through pxr$i (round $round)"
  done
  echo "  round $round: all $N clients connected, ping passes through each"
}

all_up 1
echo "tunnel_restart: SIGTERM the server and start it again"
tn_stop_server
grep -q "connection ended" "$WORK/client1.log" || tn_fail "client 1 did not notice the server stopping"
tn_start_server
all_up 2
echo "tunnel_restart: SIGKILL the server and start it again"
kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
# The kernel removes the dead server's TUN device; wait for it before the new server makes one.
for _ in $(seq 1 40); do ip -n "$NS_S" link show pxsrv0 >/dev/null 2>&1 || break; sleep 0.05; done
tn_start_server
all_up 3

echo "tunnel_restart: SIGHUP re-reads the secrets file without dropping sessions"
echo 'carol * "Carol-Lab-9" *' >>"$WORK/chap-secrets"
printf 'Carol-Lab-9\n' >"$WORK/carol-password"
kill -HUP "$SERVER_PID"
tn_wait_for "reload:" "$WORK/server.log" "$SERVER_PID" 5 || tn_fail "the server did not log the reload"
grep -q "reload: 62 users" "$WORK/server.log" || tn_fail "the reload did not pick up the new user: $(grep reload: "$WORK/server.log")"
rc=0
timeout 20 ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user carol --password-file "$WORK/carol-password" \
  --tun-name pxcarol >"$WORK/client-carol.log" 2>&1 &
CAROL=$!
TN_PIDS+=("$CAROL")
tn_wait_for "^connected:" "$WORK/client-carol.log" "$CAROL" 10 || tn_fail "the user added by SIGHUP could not connect"
kill -TERM "$CAROL"; wait "$CAROL" || tn_fail "carol's client did not exit 0"
for i in $(seq 1 $N); do
  [ "$(grep -c "^connected:" "$WORK/client$i.log")" -eq 3 ] || tn_fail "client $i reconnected during the reload"
  ip netns exec "$NS_C" ping -n -q -c 1 -W 1 -I "pxr$i" 198.51.100.1 >/dev/null || tn_fail "no ping through pxr$i after the reload"
done
echo "  reload: new user connected, the $N sessions stayed up"

echo "tunnel_restart: SIGTERM every client"
for p in "${CLIENTS[@]}"; do kill -TERM "$p"; done
for i in $(seq 1 $N); do
  rc=0; wait "${CLIENTS[$((i - 1))]}" || rc=$?
  [ $rc -eq 0 ] || tn_fail "client $i exited $rc after SIGTERM"
done
tn_stop_server
echo "tunnel_restart: PASS"
