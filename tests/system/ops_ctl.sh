#!/usr/bin/env bash
# Operating a live server (docs/control.md): N clients (default 50) each send a known number of
# pings of a known size through their tunnel; `pptpx ctl sessions --json` must show exactly those
# bytes and packets per user (checked with jq); filters and sort; stats and pool agree; Debian's
# Prometheus scrapes /metrics and `promtool check metrics` passes, and a source outside
# [metrics] allowed gets nothing; `ctl kill ID` ends exactly that session and its client prints
# "terminated by operator"; an unknown id exits 1 naming it; an address and user lockout are
# listed and cleared with `ctl unlock`; `ctl reload` applies [log] level and the secrets and
# names what needs a restart; SIGUSR1 reopens the accounting log, which in the end holds one
# start and one stop per session, with the bytes of the server's own end-of-session line.
# Without a server, ctl says so and exits 1. About 40 s with 50 clients.
set -euo pipefail
TN_NAME=opsctl
source "$(dirname "$0")/lib/tunnel_env.sh"
for tool in jq promtool prometheus curl; do
  command -v "$tool" >/dev/null || { echo "ops_ctl: needs $tool (scripts/deps.sh test)"; exit 1; }
done
tn_setup
N=${OPS_CLIENTS:-50}
TN_LOCKOUT_FAILURES=2 tn_server_config '"mschapv2"' true 128 stateless 198.51.100.10-198.51.100.250
cat >>"$WORK/server.toml" <<CONF
[metrics]
listen = "0.0.0.0:9612"
allowed = ["127.0.0.1"]
[accounting]
file = "$WORK/sessions.jsonl"
CONF
tn_start_server
ctl() { ip netns exec "$NS_S" "$BIN" ctl --socket "$WORK/control.sock" "$@"; }
[ "$(stat -c %a "$WORK/control.sock")" = 600 ] || tn_fail "the control socket is not mode 0600"

echo "ops_ctl: no server"
rc=0; out=$("$BIN" ctl --socket "$WORK/none.sock" sessions 2>&1) || rc=$?
[ $rc -eq 1 ] || tn_fail "ctl without a server exited $rc, not 1"
[ "$out" = "no pptpx server at $WORK/none.sock (is it running? see [control] socket)" ] || tn_fail "ctl without a server said: $out"

echo "ops_ctl: $N clients, client i sends (i % 4 + 1) pings of 100 + i bytes of data"
CLIENTS=()
for i in $(seq 1 "$N"); do
  tn_start_client "$WORK/client$i.log" --user "user$i" --tun-name "pxo$i"
  CLIENTS+=("$CLIENT_PID")
done
for i in $(seq 1 "$N"); do
  tn_wait_for "^connected:" "$WORK/client$i.log" "${CLIENTS[$((i - 1))]}" 30 || tn_fail "client $i did not connect"
done
PINGS=()
for i in $(seq 1 "$N"); do
  ip netns exec "$NS_C" ping -n -q -c $((i % 4 + 1)) -i 0.2 -W 3 -s $((100 + i)) -I "pxo$i" 198.51.100.1 \
    >"$WORK/ping$i.log" 2>&1 &
  PINGS+=("$!")
done
for i in $(seq 1 "$N"); do wait "${PINGS[$((i - 1))]}" || tn_fail "ping via pxo$i failed"; done

echo "ops_ctl: ctl sessions"
ctl sessions --json >"$WORK/sessions.json"
[ "$(jq '.sessions | length' "$WORK/sessions.json")" -eq "$N" ] || tn_fail "ctl sessions lists $(jq '.sessions | length' "$WORK/sessions.json") sessions, not $N"
for i in $(seq 1 "$N"); do
  # An echo request of S data bytes is an IP packet of S + 8 (ICMP) + 20 (IPv4) bytes; the reply is as long.
  count=$((i % 4 + 1)); bytes=$((count * (100 + i + 28)))
  got=$(jq -c --arg u "user$i" '.sessions[] | select(.user == $u) | [.received_packets, .received_bytes, .sent_packets, .sent_bytes, .state, .mppe, .auth]' "$WORK/sessions.json")
  want="[$count,$bytes,$count,$bytes,\"up\",\"128-bit stateless\",\"MS-CHAPv2\"]"
  [ "$got" = "$want" ] || tn_fail "user$i: ctl sessions shows $got, expected $want"
done
ctl sessions >"$WORK/sessions.txt"
head -1 "$WORK/sessions.txt" | grep -q "^ID  *USER  *PEER" || tn_fail "the sessions table has no header"
[ "$(grep -c ' up ' "$WORK/sessions.txt")" -eq "$N" ] || tn_fail "the sessions table has not $N up rows"
[ "$(ctl sessions --json --user user3 | jq '.sessions | length')" -eq 1 ] || tn_fail "--user user3 did not give 1 session"
ip3=$(jq -r '.sessions[] | select(.user == "user3") | .ipv4' "$WORK/sessions.json")
[ "$(ctl sessions --json --ip "$ip3" | jq -r '.sessions[0].user')" = user3 ] || tn_fail "--ip $ip3 is not user3's"
[ "$(ctl sessions --json --peer 192.0.2.2 | jq '.sessions | length')" -eq "$N" ] || tn_fail "--peer 192.0.2.2 did not list all"
top=$(ctl sessions --json --sort received_bytes | jq -r '.sessions[0].user')
# The most bytes: the largest (i % 4 + 1) * (128 + i) for i <= N.
best=$(for i in $(seq 1 "$N"); do echo "$(((i % 4 + 1) * (128 + i))) user$i"; done | sort -n | tail -1 | cut -d' ' -f2)
[ "$top" = "$best" ] || tn_fail "--sort received_bytes put $top first, not $best"
rc=0; ctl sessions --sort colour 2>/dev/null || rc=$?
[ $rc -eq 1 ] || tn_fail "--sort colour exited $rc"

echo "ops_ctl: ctl stats and pool"
ctl stats --json >"$WORK/stats.json"
jq -e --argjson n "$N" '.sessions.up == $n and .setups.success == $n and .connections == $n' "$WORK/stats.json" >/dev/null \
  || tn_fail "ctl stats: $(jq -c '{sessions, setups, connections}' "$WORK/stats.json")"
sum=$(jq '[.sessions[].received_bytes] | add' "$WORK/sessions.json")
[ "$(jq '.traffic.received_bytes' "$WORK/stats.json")" -eq "$sum" ] || tn_fail "ctl stats traffic is not the sum of the sessions"
ctl pool --json >"$WORK/pool.json"
jq -e --argjson n "$N" '(.in_use | length) == $n and .capacity == 241 and .free == 241 - $n' "$WORK/pool.json" >/dev/null \
  || tn_fail "ctl pool: $(jq -c '{capacity, free}' "$WORK/pool.json")"
ctl stats | grep -q "^sessions: closing 0, negotiating 0, up $N$" || tn_fail "ctl stats (text) lacks the session line"

echo "ops_ctl: /metrics, promtool and Prometheus"
ip netns exec "$NS_S" curl -sf --max-time 5 http://127.0.0.1:9612/metrics >"$WORK/metrics.txt" || tn_fail "GET /metrics failed"
promtool check metrics <"$WORK/metrics.txt" || tn_fail "promtool check metrics found problems"
grep -qx "pptpx_sessions{state=\"up\"} $N" "$WORK/metrics.txt" || tn_fail "/metrics lacks pptpx_sessions{state=\"up\"} $N"
grep -qx "pptpx_received_bytes_total $sum" "$WORK/metrics.txt" || tn_fail "/metrics pptpx_received_bytes_total is not $sum"
! grep -q 'user=' "$WORK/metrics.txt" || tn_fail "per-user series without [metrics] per_user"
ip netns exec "$NS_S" curl -s --max-time 5 -o /dev/null -w '%{http_code}' http://127.0.0.1:9612/nothing | grep -qx 404 \
  || tn_fail "GET /nothing was not 404"
if ip netns exec "$NS_C" curl -s --max-time 5 http://192.0.2.1:9612/metrics >/dev/null; then
  tn_fail "a source outside [metrics] allowed got an answer"
fi
cat >"$WORK/prometheus.yml" <<CONF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: pptpx
    static_configs:
      - targets: ["127.0.0.1:9612"]
CONF
ip netns exec "$NS_S" prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address=127.0.0.1:9090 >"$WORK/prometheus.log" 2>&1 &
PROM=$!
TN_PIDS+=("$PROM")
scraped=""
for _ in $(seq 1 60); do
  v=$(ip netns exec "$NS_S" curl -s --max-time 2 'http://127.0.0.1:9090/api/v1/query?query=pptpx_sessions%7Bstate%3D%22up%22%7D' \
        | jq -r '.data.result[0].value[1] // empty' 2>/dev/null || true)
  [ "$v" = "$N" ] && { scraped=yes; break; }
  sleep 0.5
done
[ -n "$scraped" ] || { tail -5 "$WORK/prometheus.log"; tn_fail "Prometheus did not scrape pptpx_sessions{state=\"up\"} = $N within 30 s"; }
up=$(ip netns exec "$NS_S" curl -s 'http://127.0.0.1:9090/api/v1/query?query=up%7Bjob%3D%22pptpx%22%7D' | jq -r '.data.result[0].value[1]')
[ "$up" = 1 ] || tn_fail "Prometheus reports up=$up for the pptpx target"
kill -TERM "$PROM"; wait "$PROM" || true
echo "  Prometheus scraped pptpx_sessions{state=\"up\"} = $N"

echo "ops_ctl: ctl kill"
id1=$(jq -r '.sessions[] | select(.user == "user1") | .id' "$WORK/sessions.json")
ctl kill "$id1" | grep -qx "terminated session $id1" || tn_fail "ctl kill $id1 did not report it"
rc=0; wait "${CLIENTS[0]}" || rc=$?
grep -q "terminated by operator" "$WORK/client1.log" || tn_fail "client 1 did not print the reason (exit $rc)"
grep -q "#$id1 .*terminated by operator" "$WORK/server.log" || tn_fail "the server did not log the operator's kill"
for _ in $(seq 1 40); do [ "$(ctl sessions --json | jq '.sessions | length')" -eq $((N - 1)) ] && break; sleep 0.05; done
[ "$(ctl sessions --json | jq '.sessions | length')" -eq $((N - 1)) ] || tn_fail "after the kill, not $((N - 1)) sessions"
for i in $(seq 2 "$N"); do kill -0 "${CLIENTS[$((i - 1))]}" 2>/dev/null || tn_fail "client $i ended with client 1's kill"; done
rc=0; out=$(ctl kill 99999 2>&1) || rc=$?
[ $rc -eq 1 ] && [[ "$out" == *"no session 99999"* ]] || tn_fail "ctl kill 99999: exit $rc, said: $out"
echo "  killed session $id1 only; client 1 said: $(grep -o '[^:]*terminated by operator[^)]*' "$WORK/client1.log" | head -1)"

echo "ops_ctl: lockouts and unlock"
for n in 1 2; do
  ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user bob --password-file "$WORK/wrong-password" >"$WORK/client-wrong$n.log" 2>&1 || true
done
ctl lockouts --json >"$WORK/lockouts.json"
jq -e '[.lockouts[] | "\(.kind) \(.key)"] | sort == ["address 192.0.2.2", "user bob"]' "$WORK/lockouts.json" >/dev/null \
  || tn_fail "ctl lockouts: $(jq -c . "$WORK/lockouts.json")"
ctl unlock 192.0.2.2 >/dev/null || tn_fail "ctl unlock 192.0.2.2 failed"
ctl unlock bob >/dev/null || tn_fail "ctl unlock bob failed"
rc=0; ctl unlock bob 2>/dev/null || rc=$?
[ $rc -eq 1 ] || tn_fail "a second ctl unlock bob exited $rc"
[ "$(ctl lockouts --json | jq '.lockouts | length')" -eq 0 ] || tn_fail "lockouts left after unlock"
tn_start_client "$WORK/client-bob.log" --user bob --tun-name pxobob
BOB=$CLIENT_PID
tn_wait_for "^connected:" "$WORK/client-bob.log" "$BOB" 20 || tn_fail "bob could not connect after unlock"
ctl stats --json | jq -e '[.auth_failures[] | select(.method == "MS-CHAPv2" and .reason == "rejected") | .count] == [2]' >/dev/null \
  || tn_fail "ctl stats auth_failures: $(ctl stats --json | jq -c .auth_failures)"

echo "ops_ctl: ctl reload"
echo 'carol * "Tunnel-Lab-7" *' >>"$WORK/chap-secrets"
sed -i 's/^max_sessions_per_source = 100$/max_sessions_per_source = 99/' "$WORK/server.toml"
printf '[log]\nlevel = "debug"\n' >>"$WORK/server.toml"
ctl reload --json >"$WORK/reload.json"
jq -e '(.applied | index("[log] level = debug")) != null and (.applied[0] | test(": 62 users$"))
       and .needs_restart == ["[limits] max_sessions_per_source"]' "$WORK/reload.json" >/dev/null \
  || tn_fail "ctl reload: $(jq -c . "$WORK/reload.json")"

echo "ops_ctl: logrotate with the shipped snippet; its SIGUSR1 reopens the accounting log"
# dist/logrotate/pptpx as installed, with this test's path and a postrotate that signals this
# server (the snippet's own postrotate goes through systemd, which does not run this server).
sed -e "s|^/var/log/pptpx/sessions.jsonl {|$WORK/sessions.jsonl {|" \
    -e "s|^        systemctl kill .*|        kill -USR1 $SERVER_PID|" "$(dirname "$0")/../../dist/logrotate/pptpx" >"$WORK/logrotate.conf"
grep -q "kill -USR1 $SERVER_PID" "$WORK/logrotate.conf" && grep -q "^$WORK/sessions.jsonl {" "$WORK/logrotate.conf" \
  || tn_fail "dist/logrotate/pptpx no longer has the path or postrotate line this test rewrites"
logrotate -f -s "$WORK/logrotate.state" "$WORK/logrotate.conf" || tn_fail "logrotate failed on dist/logrotate/pptpx"
[ -s "$WORK/sessions.jsonl.1" ] || tn_fail "logrotate did not move the accounting log to sessions.jsonl.1 (delaycompress)"
[ "$(stat -c '%a %G' "$WORK/sessions.jsonl")" = "640 adm" ] || tn_fail "the new accounting log is $(stat -c '%a %G' "$WORK/sessions.jsonl"), not 640 adm"
tn_wait_for "SIGUSR1: reopened the accounting log" "$WORK/server.log" "$SERVER_PID" 5 || tn_fail "no reopen after SIGUSR1"
kill -0 "$SERVER_PID" || tn_fail "SIGUSR1 killed the server"
tn_stop_client "$BOB"
tn_wait_for '"user":"bob".*"event":"stop"\|"event":"stop".*"user":"bob"' "$WORK/sessions.jsonl" "$SERVER_PID" 5 \
  || tn_fail "bob's stop line is not in the reopened accounting log"

echo "ops_ctl: stop everything; one start and one stop line per session"
for i in $(seq 2 "$N"); do kill -TERM "${CLIENTS[$((i - 1))]}"; done
for i in $(seq 2 "$N"); do wait "${CLIENTS[$((i - 1))]}" || tn_fail "client $i exited non-zero"; done
for _ in $(seq 1 60); do [ "$(grep -c "session ended" "$WORK/server.log")" -ge $((N + 3)) ] && break; sleep 0.05; done
tn_stop_server
cat "$WORK/sessions.jsonl.1" "$WORK/sessions.jsonl" >"$WORK/all.jsonl"
jq -e . "$WORK/all.jsonl" >/dev/null || tn_fail "the accounting log is not JSON lines"
sessions=$((N + 1))  # N clients and bob's second try (his wrong-password tries never came up)
starts=$(jq -s '[.[] | select(.event == "start")] | length' "$WORK/all.jsonl")
stops=$(jq -s '[.[] | select(.event == "stop")] | length' "$WORK/all.jsonl")
[ "$starts" -eq "$sessions" ] && [ "$stops" -eq "$sessions" ] || tn_fail "accounting: $starts starts, $stops stops for $sessions sessions"
[ "$(jq -s '[.[] | "\(.session)/\(.call_id)"] | unique | length' "$WORK/all.jsonl")" -eq "$sessions" ] || tn_fail "accounting: sessions do not pair up"
# Each stop line's bytes and packets are those of the server's "session ended" line for that session.
jq -r 'select(.event == "stop") | "#\(.session) \(.received_bytes) \(.received_packets) \(.sent_bytes) \(.sent_packets)"' "$WORK/all.jsonl" \
  | sort >"$WORK/acct-bytes"
# (bob's two wrong-password tries end too, before their link came up: no accounting for them.)
grep -v "session ended after 0 s: authentication failed" "$WORK/server.log" \
  | sed -n 's/^.* \(#[0-9]*\) .*session ended after .*bytes from client \([0-9]*\) (\([0-9]*\) packets), to client \([0-9]*\) (\([0-9]*\) packets).*$/\1 \2 \3 \4 \5/p' \
  | sort >"$WORK/log-bytes"
[ "$(wc -l <"$WORK/log-bytes")" -eq "$sessions" ] || tn_fail "the server logged $(wc -l <"$WORK/log-bytes") session ends with bytes, not $sessions"
diff "$WORK/acct-bytes" "$WORK/log-bytes" || tn_fail "accounting bytes differ from the server's end-of-session lines"
jq -e -s --arg id "$id1" '[.[] | select(.event == "stop" and (.session | tostring) == $id) | .reason] == ["terminated by operator"]' \
  "$WORK/all.jsonl" >/dev/null || tn_fail "the killed session's stop line does not say \"terminated by operator\""
[ ! -e "$WORK/control.sock" ] || tn_fail "the server left its control socket behind"
echo "ops_ctl: PASS"
