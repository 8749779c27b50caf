#!/usr/bin/env bash
# Churn (issue 6): PPTPX_CHURN_CYCLES (default 2000) connect/disconnect cycles against one server,
# run by PPTPX_CHURN_WORKERS (default 5) clients in parallel, each cycle a full session: TCP,
# Start-Control-Connection, Outgoing-Call, LCP, MS-CHAPv2, CCP/MPPE-128, IPCP, then SIGTERM
# (Call-Clear-Request, Stop-Control-Connection). Afterwards the server must hold the same number
# of open file descriptors as after its first (warm-up) session, every cycle must have connected,
# and its RSS must have grown by at most PPTPX_CHURN_RSS_KB (default 4096 kB) since then.
set -euo pipefail
TN_NAME=churn
source "$(dirname "$0")/lib/tunnel_env.sh"
CYCLES=${PPTPX_CHURN_CYCLES:-2000}
WORKERS=${PPTPX_CHURN_WORKERS:-5}
RSS_BOUND_KB=${PPTPX_CHURN_RSS_KB:-4096}
tn_setup
tn_server_config '"mschapv2"' true 128 stateless
tn_start_server
sleep 0.2

rss_kb() { awk '$1 == "VmRSS:" {print $2}' /proc/"$SERVER_PID"/status; }
# one_cycle WORKER: one session up and down; returns non-zero if it did not connect or exit 0.
one_cycle() {
  local w=$1 log="$WORK/churn$1.log"
  : >"$log"
  ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --password-file "$WORK/password" --user "user$w" \
    --tun-name "pxch$w" >"$log" 2>&1 &
  local pid=$!
  # Up to 10 s: a setup is ~50 ms, but one lost control packet costs a 3 s PPP restart timer
  # (RFC 1661 §4.6), and this loop's own grep/sleep processes slow down on a loaded machine.
  local deadline=$((SECONDS + 10))
  while [ "$SECONDS" -lt "$deadline" ]; do
    grep -q "^connected:" "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
  if ! grep -q "^connected:" "$log"; then
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    cp "$log" "$WORK/failed-$w-$RANDOM.log"  # kept: the next cycle of this worker reuses $log
    return 1
  fi
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "exit status $rc after SIGTERM" >>"$log"
    cp "$log" "$WORK/failed-$w-$RANDOM.log"
    return 1
  fi
}

echo "tunnel_churn: warm-up session"
one_cycle 1 || tn_fail "the warm-up session failed: $(tail -3 "$WORK/churn1.log")"
sleep 0.3
fds_before=$(ls /proc/"$SERVER_PID"/fd | wc -l)
rss_before=$(rss_kb)

echo "tunnel_churn: $CYCLES cycles, $WORKERS in parallel"
start=$SECONDS
per=$((CYCLES / WORKERS))
for w in $(seq 1 "$WORKERS"); do
  (
    fails=0
    for _ in $(seq 1 "$per"); do one_cycle "$w" || fails=$((fails + 1)); done
    echo "$fails" >"$WORK/fails$w"
  ) &
  TN_PIDS+=("$!")
done
wait_ok=1
for w in $(seq 1 "$WORKERS"); do wait "${TN_PIDS[-$w]}" || wait_ok=0; done
elapsed=$((SECONDS - start))
fails=0
for w in $(seq 1 "$WORKERS"); do fails=$((fails + $(cat "$WORK/fails$w"))); done
sleep 0.5
fds_after=$(ls /proc/"$SERVER_PID"/fd | wc -l)
rss_after=$(rss_kb)
ended=$(grep -c "session ended after" "$WORK/server.log" || true)
echo "  $((per * WORKERS)) cycles in ${elapsed} s, $fails failed; server fds $fds_before -> $fds_after," \
  "RSS $rss_before -> $rss_after kB; $ended session ends logged"
[ "$wait_ok" -eq 1 ] || tn_fail "a churn worker failed"
if [ "$fails" -ne 0 ]; then
  for f in "$WORK"/failed-*.log; do echo "--- $f"; tail -20 "$f"; done
  tn_fail "$fails cycles did not connect or did not exit 0"
fi
[ "$ended" -eq $((per * WORKERS + 1)) ] || tn_fail "the server logged $ended session ends for $((per * WORKERS + 1)) sessions"
[ "$fds_after" -eq "$fds_before" ] || { ls -l /proc/"$SERVER_PID"/fd; tn_fail "server fds went from $fds_before to $fds_after"; }
[ $((rss_after - rss_before)) -le "$RSS_BOUND_KB" ] ||
  tn_fail "server RSS grew by $((rss_after - rss_before)) kB (bound $RSS_BOUND_KB kB)"
tn_stop_server
echo "tunnel_churn: OK"
