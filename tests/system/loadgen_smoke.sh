#!/usr/bin/env bash
# `pptpx bench` against a real server in a namespace: 200 sessions (MS-CHAPv2 + MPPE-128 +
# IPCP, an ICMP echo answered through each tunnel) from another namespace must all come up, the server's
# log must show as many link-ups and, after the bench tears them down, as many session ends and
# no session left; then a wrong-password run where every session fails with the reason reported.
# The server's per-source limits are raised (one load-generator address). Under ~30 s.
set -euo pipefail
TN_NAME=loadgen
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup
N=${LOADGEN_SESSIONS:-200}
tn_server_config '"mschapv2"' true 128 stateless 198.18.0.10-198.18.3.250
# One load-generator address: lift the per-source limits (tn_server_config sets 100).
sed -i -e 's/^max_sessions_per_source = .*/max_sessions_per_source = 20000\nmax_sessions = 20000\nmax_handshakes_in_progress = 1000/' \
  -e 's/^server_address = .*/server_address = "198.18.0.1"/' -e 's/^dns = .*/dns = []/' "$WORK/server.toml"
tn_start_server

echo "loadgen_smoke: $N sessions at 400/s with --ping"
rc=0
ip netns exec "$NS_C" timeout 60 "$BIN" bench 192.0.2.1 --sessions "$N" --rate 400 --concurrency 100 --user bob \
  --password-file "$WORK/password" --ping --hold 1 >"$WORK/bench.log" 2>&1 || rc=$?
sed 's/^/  /' "$WORK/bench.log"
[ $rc -eq 0 ] || tn_fail "pptpx bench exited $rc (expected 0: all up, echoed and closed)"
result=$(grep '^result:' "$WORK/bench.log") || tn_fail "no result line"
for want in "attempted=$N" "up=$N" "failed=0" "echo_ok=$N" "lost=0" "closed_clean=$N"; do
  [[ " $result " == *" $want "* ]] || tn_fail "bench result lacks $want: $result"
done
ups=$(grep -c "link up" "$WORK/server.log" || true)
[ "$ups" -eq "$N" ] || tn_fail "the server logged $ups link-ups for $N bench sessions"
for _ in $(seq 1 100); do
  [ "$(grep -c "session ended" "$WORK/server.log" || true)" -ge "$N" ] && break
  sleep 0.05
done
ended=$(grep -c "session ended" "$WORK/server.log" || true)
[ "$ended" -eq "$N" ] || tn_fail "the server logged $ended session ends for $N bench sessions"
routes=$(ip -n "$NS_S" route show dev pxsrv0 | grep -c '^198\.18\.' || true)
[ "$routes" -eq 0 ] || tn_fail "$routes client routes left on the server after teardown"
echo "  server: $ups link-ups, $ended session ends, no client route left"

echo "loadgen_smoke: 20 sessions with a wrong password"
rc=0
ip netns exec "$NS_C" timeout 60 "$BIN" bench 192.0.2.1 --sessions 20 --rate 200 --user bob \
  --password-file "$WORK/wrong-password" >"$WORK/bench-wrong.log" 2>&1 || rc=$?
sed 's/^/  /' "$WORK/bench-wrong.log"
[ $rc -eq 1 ] || tn_fail "pptpx bench with a wrong password exited $rc (expected 1)"
grep -q '^result: attempted=20 up=0 failed=20 ' "$WORK/bench-wrong.log" || tn_fail "not all 20 failed"
grep -Eq '^  20 x .*(691|authentication)' "$WORK/bench-wrong.log" ||
  tn_fail "the 20 failures were not grouped under one authentication reason"

tn_stop_server
grep -q "stopping 0 session(s)" "$WORK/server.log" || tn_fail "the server still had sessions at shutdown: $(grep 'stopping' "$WORK/server.log")"
echo "loadgen_smoke: PASS"
