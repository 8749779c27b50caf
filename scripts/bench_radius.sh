#!/usr/bin/env bash
# Full MS-CHAPv2 + MPPE-128 setups/s through a real FreeRADIUS 3.2 next to the same run against
# the secrets file (a benchmark, never run in CI). Two namespaces joined by a veth; the server
# namespace runs pptpx server and FreeRADIUS (127.0.0.1, no debug output), the client namespace
# `pptpx bench`. FreeRADIUS, pptpx server and pptpx bench share the machine's cores.
#   sudo PPTPX_BIN=build/release/src/cli/pptpx scripts/bench_radius.sh [SESSIONS] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
export PPTPX_BIN=${PPTPX_BIN:-$PWD/build/release/src/cli/pptpx}
N=${1:-2000}
RATE=${2:-3000}
TN_NAME=bradius
source tests/system/lib/tunnel_env.sh
source tests/system/lib/radius_env.sh
tn_setup
RSECRET="bench-secret-0123456789"
radius_gen_config "$WORK/raddb" 127.0.0.1 1812 1813 "$RSECRET"
sed -i 's/^  auth = yes/  auth = no/; s/max_servers = 4/max_servers = 2/' "$WORK/raddb/radiusd.conf"
ip netns exec "$NS_S" freeradius -f -d "$WORK/raddb" >"$WORK/freeradius.log" 2>&1 &
TN_PIDS+=("$!")
for _ in $(seq 1 100); do
  echo "User-Name=bob,User-Password=Tunnel-Lab-7,Message-Authenticator=0x00" |
    ip netns exec "$NS_S" radclient -q -r 1 -t 1 127.0.0.1:1812 auth "$RSECRET" >/dev/null 2>&1 && break
  sleep 0.1
done

run() {  # run SOURCE [ACCOUNTING]: accounting (Start/Stop per session) off unless "true"
  cat >"$WORK/server.toml" <<CONF
[listen]
address = "192.0.2.1"
[tun]
name = "pxsrv0"
[ipv4]
server_address = "198.18.0.1"
pool = "198.18.0.10-198.18.127.250"
[auth]
methods = ["mschapv2"]
secrets_file = "$WORK/chap-secrets"
source = "$1"
[mppe]
required = true
strengths = [128]
[limits]
max_sessions = 20000
max_sessions_per_source = 20000
max_handshakes_in_progress = 2000
[limits.auth_lockout]
failures = 0
[radius]
accounting = ${2:-false}
[[radius.servers]]
address = "127.0.0.1"
secret = "$RSECRET"
CONF
  : >"$WORK/server.log"
  tn_start_server
  ip netns exec "$NS_C" "$BIN" bench 192.0.2.1 --user bob --password-file "$WORK/password" --sessions "$N" \
    --rate "$RATE" --concurrency 500 --hold 1 | grep '^result:' | sed "s/^/$1${2:+ accounting=$2}: /"
  tn_stop_server
}
run secrets
run radius
run radius true
