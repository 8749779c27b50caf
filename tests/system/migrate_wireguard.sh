#!/usr/bin/env bash
# `pptpx migrate wireguard` end to end (issue 14): from a pptpx server.toml and chap-secrets,
# write the WireGuard files; every generated file must pass `wg-quick strip` + `wg setconf`; then
# wireguard-go runs the server config in one namespace and bob's client config in another, and
# bob pings the server across. Keys must be mode 0600 and a bad --pool must leave nothing behind.
# With --qr, zbarimg must read each PNG and terminal QR code back as the client config byte for byte.
# Then `pptpx migrate status` reads the server's `wg show dump` with an accounting log in the
# documented format, shows bob as moved, and --disable-after 7 --apply comments out his line.
# Needs wireguard-go, wireguard-tools and zbar-tools (scripts/deps.sh test). About 20 s.
set -euo pipefail
TN_NAME=migwg
source "$(dirname "$0")/lib/tunnel_env.sh"
command -v wireguard-go >/dev/null && command -v wg >/dev/null && command -v wg-quick >/dev/null ||
  tn_fail "wireguard-go and wireguard-tools are not installed (bash scripts/deps.sh test)"
command -v zbarimg >/dev/null || tn_fail "zbarimg is not installed (zbar-tools; bash scripts/deps.sh test)"
tn_setup
echo 'carol * "Tunnel-Lab-7" 198.51.100.15' >>"$WORK/chap-secrets"
cat >"$WORK/server.toml" <<CONF
[ipv4]
server_address = "198.51.100.1"
pool = "198.51.100.10-198.51.100.20"
dns = ["198.51.100.53"]
[auth]
secrets_file = "$WORK/chap-secrets"
CONF

echo "migrate_wireguard: a pool overlapping the PPTP pool is refused and leaves nothing"
rc=0
"$BIN" migrate wireguard --config "$WORK/server.toml" --endpoint 192.0.2.1:51820 --pool 198.51.100.0/24 \
  --out "$WORK/bad" >"$WORK/bad.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || tn_fail "an overlapping pool was accepted"
grep -q "overlaps the PPTP pool" "$WORK/bad.log" || { cat "$WORK/bad.log"; tn_fail "no reason given"; }
ls "$WORK" | grep -qE '^bad($|\.migrate-)' && tn_fail "a partial output directory was left behind"

echo "migrate_wireguard: generate"
"$BIN" migrate wireguard --config "$WORK/server.toml" --endpoint 192.0.2.1:51820 --pool 203.0.113.0/24 \
  --out "$WORK/wg" --qr >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log"; tn_fail "migrate wireguard failed"; }
n=$(ls "$WORK/wg/clients"/*.conf | wc -l)
[ "$n" = 62 ] || tn_fail "$n client files, want 62 (bob, user1..60, carol)"
bad=$(find "$WORK/wg" -type f \( -name '*.conf' -o -name '*.png' -o -name '*.qr.txt' \) ! -perm 600 | head -1)
[ -z "$bad" ] || tn_fail "$bad is not mode 0600"
grep -q '^carol,198.51.100.15,clients/carol.conf,' "$WORK/wg/users.csv" || tn_fail "carol's static address was not kept"
grep -q '^bob,203.0.113.2,clients/bob.conf,' "$WORK/wg/users.csv" || tn_fail "bob did not get 203.0.113.2"

echo "migrate_wireguard: zbarimg reads each QR code (PNG and terminal text) back as the client config"
for u in bob carol; do
  zbarimg --raw -q "$WORK/wg/clients/$u.png" 2>/dev/null | head -c -1 >"$WORK/$u.decoded" ||
    tn_fail "zbarimg could not read $u.png"
  cmp -s "$WORK/$u.decoded" "$WORK/wg/clients/$u.conf" || tn_fail "$u.png does not decode to $u.conf"
  python3 "$(dirname "$0")/lib/qr_text_to_pbm.py" "$WORK/wg/clients/$u.qr.txt" "$WORK/$u.pbm"
  zbarimg --raw -q "$WORK/$u.pbm" 2>/dev/null | head -c -1 >"$WORK/$u.decoded-text" || tn_fail "zbarimg could not read $u.qr.txt"
  cmp -s "$WORK/$u.decoded-text" "$WORK/wg/clients/$u.conf" || tn_fail "$u.qr.txt does not decode to $u.conf"
done
"$BIN" migrate qr "$WORK/wg/clients/bob.conf" | cmp -s - "$WORK/wg/clients/bob.qr.txt" ||
  tn_fail "pptpx migrate qr does not print bob.qr.txt"
rc=0
"$BIN" migrate qr "$WORK/server.toml" >"$WORK/qr-bad.log" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "is not a WireGuard client configuration" "$WORK/qr-bad.log" || tn_fail "migrate qr took a non-config"

IF_S="pxwg$$s"; IF_C="pxwg$$c"
start_wg() {  # start_wg NS IF
  ip netns exec "$1" env WG_PROCESS_FOREGROUND=1 wireguard-go "$2" >>"$WORK/wg-$2.log" 2>&1 &
  TN_PIDS+=("$!")
  local i
  for i in $(seq 1 100); do
    ip netns exec "$1" wg show "$2" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  tn_fail "wireguard-go did not bring up $2 in $1"
}
start_wg "$NS_S" "$IF_S"
start_wg "$NS_C" "$IF_C"

echo "migrate_wireguard: wg-quick strip and wg setconf accept every generated file"
for f in "$WORK/wg/wg0.conf" "$WORK/wg/clients/"*.conf; do
  wg-quick strip "$f" >"$WORK/stripped.conf" 2>"$WORK/strip.err" || { cat "$WORK/strip.err"; tn_fail "wg-quick strip refused $f"; }
  ip netns exec "$NS_C" wg setconf "$IF_C" "$WORK/stripped.conf" 2>"$WORK/setconf.err" ||
    { cat "$WORK/setconf.err"; tn_fail "wg setconf refused $f"; }
done

echo "migrate_wireguard: bob pings the server across WireGuard"
wg-quick strip "$WORK/wg/wg0.conf" >"$WORK/server.wg"
ip netns exec "$NS_S" wg setconf "$IF_S" "$WORK/server.wg"
ip -n "$NS_S" addr add 203.0.113.1/24 dev "$IF_S"
ip -n "$NS_S" link set "$IF_S" up
wg-quick strip "$WORK/wg/clients/bob.conf" >"$WORK/bob.wg"
ip netns exec "$NS_C" wg setconf "$IF_C" "$WORK/bob.wg"
ip -n "$NS_C" addr add 203.0.113.2/32 dev "$IF_C"
ip -n "$NS_C" link set "$IF_C" up
ip -n "$NS_C" route add 203.0.113.0/24 dev "$IF_C"
ip netns exec "$NS_C" ping -n -q -c 5 -i 0.2 -W 2 203.0.113.1 >"$WORK/ping.log" 2>&1 ||
  { cat "$WORK/ping.log"; tn_fail "no ping across WireGuard"; }
ip netns exec "$NS_S" wg show "$IF_S" latest-handshakes | awk '$2 > 0 {n++} END {exit n == 1 ? 0 : 1}' ||
  tn_fail "the server does not show exactly one peer with a handshake"

echo "migrate_wireguard: migrate status sees bob moved (wg show dump), and --disable-after disables him"
# Accounting lines in docs/control.md's format: bob's last PPTP use 30 days ago, carol's 2 days ago.
ago() { date -u -d "$1" +%Y-%m-%dT%H:%M:%S.000Z; }
printf '{"event":"start","session":1,"call_id":5,"time":"%s","user":"bob"}\n{"event":"stop","session":1,"call_id":5,"time":"%s","user":"bob"}\n{"event":"start","session":2,"call_id":6,"time":"%s","user":"carol"}\n{"event":"stop","session":2,"call_id":6,"time":"%s","user":"carol"}\n' \
  "$(ago '30 days ago 1 hour ago')" "$(ago '30 days ago')" "$(ago '2 days ago 1 hour ago')" "$(ago '2 days ago')" \
  >"$WORK/sessions.jsonl"
ip netns exec "$NS_S" wg show "$IF_S" dump >"$WORK/wg.dump"
cp "$WORK/chap-secrets" "$WORK/chap-secrets.before"
"$BIN" migrate status --config "$WORK/server.toml" --accounting "$WORK/sessions.jsonl" --users-csv "$WORK/wg/users.csv" \
  --wg-dump "$WORK/wg.dump" --disable-after 7 >"$WORK/status.txt" 2>&1 || { cat "$WORK/status.txt"; tn_fail "migrate status failed"; }
grep -q '^bob | moved to WireGuard | [0-9T:.-]*Z | 30 | 1 | 203.0.113.2 | [0-9T:-]*Z$' "$WORK/status.txt" ||
  { cat "$WORK/status.txt"; tn_fail "bob is not shown as moved to WireGuard 30 days after his last PPTP use"; }
grep -q '^carol | on PPTP | [0-9T:.-]*Z | 2 | 1 | 198.51.100.15 | -$' "$WORK/status.txt" ||
  { cat "$WORK/status.txt"; tn_fail "carol's status line"; }
grep -q '^1 on PPTP, 1 moved to WireGuard, 60 never seen$' "$WORK/status.txt" || { cat "$WORK/status.txt"; tn_fail "summary"; }
grep -q '^+# disabled by `pptpx migrate status` on .* (moved to WireGuard): bob ' "$WORK/status.txt" ||
  { cat "$WORK/status.txt"; tn_fail "no planned change for bob"; }
cmp -s "$WORK/chap-secrets" "$WORK/chap-secrets.before" || tn_fail "the secrets file changed without --apply"
"$BIN" migrate status --config "$WORK/server.toml" --accounting "$WORK/sessions.jsonl" --users-csv "$WORK/wg/users.csv" \
  --wg-dump "$WORK/wg.dump" --disable-after 7 --apply >"$WORK/apply.txt" 2>&1 || { cat "$WORK/apply.txt"; tn_fail "--apply failed"; }
grep -q '^# disabled by .*: bob ' "$WORK/chap-secrets" || tn_fail "bob's line was not commented out"
[ "$(diff "$WORK/chap-secrets.before" "$WORK/chap-secrets" | grep -c '^[<>]')" = 2 ] || tn_fail "more than bob's line changed"
"$BIN" server --check-config "$WORK/server.toml" >"$WORK/check.log" 2>&1 || { cat "$WORK/check.log"; tn_fail "--check-config after --apply"; }
echo "migrate_wireguard: PASS"
