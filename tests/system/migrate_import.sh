#!/usr/bin/env bash
# `pptpx import pptpd` end to end (issue 14): import the Debian-style fixtures under
# tests/migrate/fixtures/ with --hash-secrets, check the result with `pptpx server --check-config`,
# start a pptpx server from it in a namespace, and connect pptpx clients as two imported users:
# "alice smith" (quoted name and secret) gets her static address from chap-secrets, bob gets a
# pool address; both ping the server. Bad input leaves no output directory. Then `pptpx import
# accel-ppp` the same way: the RADIUS fixture (secret files mode 0600, no secret in the report)
# and the local-users fixture, served, with alice (static address) and carol (pool) connecting;
# then `pptpx migrate status` on that server's accounting log and the users.csv of `pptpx migrate
# wireguard`. About 8 s.
set -euo pipefail
TN_NAME=migimp
source "$(dirname "$0")/lib/tunnel_env.sh"
FIX=$(cd "$(dirname "$0")/../migrate/fixtures" && pwd)
tn_setup

echo "migrate_import: bad input fails with file:line and leaves nothing behind"
printf 'require-mschap-v2\nfrobnicate 3\n' >"$WORK/bad-options"
rc=0
"$BIN" import pptpd --pptpd-conf "$FIX/pptpd.conf" --options "$WORK/bad-options" \
  --chap-secrets "$FIX/chap-secrets" --out "$WORK/bad-out" >"$WORK/bad.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || tn_fail "an unknown pppd option was accepted"
grep -q "bad-options:2: unknown pppd option \`frobnicate\`" "$WORK/bad.log" || { cat "$WORK/bad.log"; tn_fail "no file:line message"; }
[ ! -e "$WORK/bad-out" ] || tn_fail "a partial output directory was left behind"
ls "$WORK" | grep -q 'bad-out.import-' && tn_fail "a temporary output directory was left behind"

echo "migrate_import: import and --check-config"
"$BIN" import pptpd --pptpd-conf "$FIX/pptpd.conf" --options "$FIX/options.pptpd" \
  --chap-secrets "$FIX/chap-secrets" --out "$WORK/out" --hash-secrets >"$WORK/import.log" 2>&1 ||
  { cat "$WORK/import.log"; tn_fail "the import failed"; }
[ "$(stat -c %a "$WORK/out/chap-secrets")" = 600 ] || tn_fail "chap-secrets is not mode 0600"
grep -q '^"alice smith" pptpd nthash:[0-9A-F]\{32\} 198.51.100.240$' "$WORK/out/chap-secrets" ||
  tn_fail "alice's line is not hashed with her static address"
grep -q 'proxyarp | not supported' "$WORK/out/import-report.txt" || tn_fail "the report does not account for proxyarp"
"$BIN" server --check-config "$WORK/out/server.toml" >"$WORK/check.log" 2>&1 ||
  { cat "$WORK/check.log"; tn_fail "--check-config refused the imported configuration"; }

# The test's own control socket, so it cannot meet another server's default one.
printf '\n[control]\nsocket = "%s"\n' "$WORK/control.sock" >>"$WORK/out/server.toml"
ip netns exec "$NS_S" "$BIN" server --config "$WORK/out/server.toml" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
TN_PIDS+=("$SERVER_PID")
tn_wait_for "listening on" "$WORK/server.log" "$SERVER_PID" 5 || tn_fail "the server did not start"

addr_of() { sed -n 's/^connected: .*, address \([0-9.]*\),.*/\1/p' "$1" | head -1; }

echo "migrate_import: \"alice smith\" connects with her imported static address"
printf 'pass word # not a comment\n' >"$WORK/password"
tn_start_client "$WORK/client-alice.log" --user "alice smith"
ALICE=$CLIENT_PID
tn_wait_for "^connected:" "$WORK/client-alice.log" "$ALICE" 10 || tn_fail "alice did not connect"
[ "$(addr_of "$WORK/client-alice.log")" = 198.51.100.240 ] || tn_fail "alice got $(addr_of "$WORK/client-alice.log")"
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "no ping from alice"
tn_stop_client "$ALICE"

echo "migrate_import: bob connects with a pool address"
printf 'Tunnel-Lab-7\n' >"$WORK/password"
tn_start_client "$WORK/client-bob.log" --user bob
BOB=$CLIENT_PID
tn_wait_for "^connected:" "$WORK/client-bob.log" "$BOB" 10 || tn_fail "bob did not connect"
a=$(addr_of "$WORK/client-bob.log")
case "$a" in 198.51.100.23[4-9]|198.51.100.24[0-6]) ;; *) tn_fail "bob got '$a', outside 198.51.100.234-246" ;; esac
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "no ping from bob"
tn_stop_client "$BOB"

echo "migrate_import: dave (another server's line) was not imported"
rc=0
timeout 20 ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user dave --password-file "$WORK/password" \
  >"$WORK/client-dave.log" 2>&1 || rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || tn_fail "dave (not imported) exited $rc"
tn_stop_server

echo "migrate_import: pptpd with pppd's radius plugin: [[radius.servers]] with 0600 secret files, --check-config"
(cd "$FIX" && "$BIN" import pptpd --pptpd-conf pptpd.conf --options options.pptpd-radius --chap-secrets chap-secrets \
  --out "$WORK/pptpd-radius") >"$WORK/pptpd-radius.log" 2>&1 || { cat "$WORK/pptpd-radius.log"; tn_fail "the radius import failed"; }
grep -q '^source = "radius"$' "$WORK/pptpd-radius/server.toml" || tn_fail "no [auth] source = radius"
[ "$(stat -c %a "$WORK/pptpd-radius/radius-secret-192.0.2.11")" = 600 ] || tn_fail "a RADIUS secret file is not 0600"
! grep -q Sh4red "$WORK/pptpd-radius.log" "$WORK/pptpd-radius/server.toml" || tn_fail "a RADIUS secret leaked"
"$BIN" server --check-config "$WORK/pptpd-radius/server.toml" >"$WORK/check-pptpd-radius.log" 2>&1 ||
  { cat "$WORK/check-pptpd-radius.log"; tn_fail "--check-config refused the imported radius configuration"; }

echo "migrate_import: accel-ppp: bad input fails with file:line and leaves nothing behind"
cp "$FIX/chap-secrets.accel" "$WORK/"
sed 's/^mppe=require$/mppe=sometimes/' "$FIX/accel-ppp-local.conf" >"$WORK/bad-accel.conf"
rc=0
"$BIN" import accel-ppp "$WORK/bad-accel.conf" --out "$WORK/bad-accel" >"$WORK/bad-accel.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || tn_fail "mppe=sometimes was accepted"
grep -q "bad-accel.conf:21: mppe=sometimes is not one of deny, allow, prefer, require" "$WORK/bad-accel.log" ||
  { cat "$WORK/bad-accel.log"; tn_fail "no file:line message for mppe=sometimes"; }
[ ! -e "$WORK/bad-accel" ] || tn_fail "a partial accel-ppp output directory was left behind"

echo "migrate_import: accel-ppp with RADIUS: secret files 0600, secrets kept out of the report"
"$BIN" import accel-ppp "$FIX/accel-ppp.conf" --out "$WORK/accel-radius" >"$WORK/accel-radius.log" 2>&1 ||
  { cat "$WORK/accel-radius.log"; tn_fail "the accel-ppp RADIUS import failed"; }
[ "$(stat -c %a "$WORK/accel-radius/radius-secret-192.0.2.10")" = 600 ] || tn_fail "a RADIUS secret file is not 0600"
[ "$(cat "$WORK/accel-radius/radius-secret-192.0.2.10")" = s3cr3t-Radius-one ] || tn_fail "wrong RADIUS secret"
! grep -q s3cr3t "$WORK/accel-radius.log" "$WORK/accel-radius/import-report.txt" "$WORK/accel-radius/server.toml" ||
  tn_fail "a RADIUS secret is in the report or server.toml"
"$BIN" server --check-config "$WORK/accel-radius/server.toml" >"$WORK/check-radius.log" 2>&1 ||
  { cat "$WORK/check-radius.log"; tn_fail "--check-config refused the imported RADIUS configuration"; }

echo "migrate_import: accel-ppp with local users: import, --check-config, serve"
"$BIN" import accel-ppp "$FIX/accel-ppp-local.conf" --out "$WORK/accel" >"$WORK/accel.log" 2>&1 ||
  { cat "$WORK/accel.log"; tn_fail "the accel-ppp import failed"; }
grep -q '^alice \* "correct horse" 198.51.100.201$' "$WORK/accel/chap-secrets" || tn_fail "alice's accel-ppp line"
"$BIN" server --check-config "$WORK/accel/server.toml" >"$WORK/check-accel.log" 2>&1 ||
  { cat "$WORK/check-accel.log"; tn_fail "--check-config refused the imported accel-ppp configuration"; }
printf '\n[control]\nsocket = "%s"\n[accounting]\nfile = "%s"\n' "$WORK/control.sock" "$WORK/sessions.jsonl" \
  >>"$WORK/accel/server.toml"
: >"$WORK/server.log"
ip netns exec "$NS_S" "$BIN" server --config "$WORK/accel/server.toml" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
TN_PIDS+=("$SERVER_PID")
tn_wait_for "listening on" "$WORK/server.log" "$SERVER_PID" 5 || tn_fail "the server (accel-ppp import) did not start"
printf 'correct horse\n' >"$WORK/password"
tn_start_client "$WORK/client-alice2.log" --user alice
ALICE=$CLIENT_PID
tn_wait_for "^connected:" "$WORK/client-alice2.log" "$ALICE" 10 || tn_fail "alice (accel-ppp) did not connect"
[ "$(addr_of "$WORK/client-alice2.log")" = 198.51.100.201 ] || tn_fail "alice got $(addr_of "$WORK/client-alice2.log")"
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "no ping from alice (accel-ppp)"
tn_stop_client "$ALICE"
printf 'carol pass #1\n' >"$WORK/password"
tn_start_client "$WORK/client-carol.log" --user carol
CAROL=$CLIENT_PID
tn_wait_for "^connected:" "$WORK/client-carol.log" "$CAROL" 10 || tn_fail "carol (accel-ppp) did not connect"
a=$(addr_of "$WORK/client-carol.log")
case "$a" in 198.51.100.[1-4][0-9]|198.51.100.50) ;; *) tn_fail "carol got '$a', outside 198.51.100.10-50" ;; esac
tn_stop_client "$CAROL"
tn_stop_server

echo "migrate_import: migrate status from the server's accounting log and migrate wireguard's users.csv"
"$BIN" migrate wireguard --config "$WORK/accel/server.toml" --endpoint 192.0.2.1:51820 --pool 203.0.113.0/24 \
  --out "$WORK/wg" >"$WORK/wg.log" 2>&1 || { cat "$WORK/wg.log"; tn_fail "migrate wireguard failed"; }
"$BIN" migrate status --config "$WORK/accel/server.toml" --users-csv "$WORK/wg/users.csv" >"$WORK/status.txt" 2>&1 ||
  { cat "$WORK/status.txt"; tn_fail "migrate status failed"; }
today="20[0-9][0-9]-[01][0-9]-[0-3][0-9]"  # a date; the run may cross midnight
grep -q "^alice | on PPTP | ${today}T[0-9:.]*Z | 0 | 1 | 198.51.100.201 | -$" "$WORK/status.txt" ||
  { cat "$WORK/status.txt"; tn_fail "alice's status line"; }
grep -q "^carol | on PPTP | ${today}T[0-9:.]*Z | 0 | 1 | 203.0.113.[0-9]* | -$" "$WORK/status.txt" ||
  { cat "$WORK/status.txt"; tn_fail "carol's status line"; }
grep -q "^bob | never seen | - | - | 0 | 203.0.113.[0-9]* | -$" "$WORK/status.txt" ||
  { cat "$WORK/status.txt"; tn_fail "bob's status line"; }
grep -q "^2 on PPTP, 0 moved to WireGuard, 2 never seen$" "$WORK/status.txt" ||
  { cat "$WORK/status.txt"; tn_fail "the status summary"; }
"$BIN" migrate status --config "$WORK/accel/server.toml" --json >"$WORK/status.json" ||
  tn_fail "migrate status --json failed"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); u={x["user"]:x for x in d["users"]}; assert u["alice"]["state"]=="pptp" and u["alice"]["pptp_sessions"]==1 and u["dave"]["state"]=="never-seen", d' \
  "$WORK/status.json" || tn_fail "migrate status --json"
rc=0
"$BIN" migrate status --config "$WORK/accel/server.toml" --accounting "$WORK/server.log" >"$WORK/status-bad.log" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "server.log:1: not a pptpx accounting line" "$WORK/status-bad.log" ||
  { cat "$WORK/status-bad.log"; tn_fail "a server log given as accounting log was not refused with file:line"; }
echo "migrate_import: PASS"
