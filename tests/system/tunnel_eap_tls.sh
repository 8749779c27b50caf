#!/usr/bin/env bash
# EAP-TLS (RFC 5216) over a real tunnel: pptpx client and server in namespaces with certificates
# made here by the openssl CLI (a CA, the server, alice; a second CA's mallory). alice connects
# with MPPE-128 and pings through the tunnel, the server naming her from her certificate's CN;
# mallory (another CA) and a client expecting another server name are refused with the reason;
# an MS-CHAPv2-only client still gets in with methods = ["eap-tls", "mschapv2"] (it Naks EAP).
# About 10 s.
set -euo pipefail
TN_NAME=eaptls
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup

P="$WORK/pki"
mkdir -p "$P"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
openssl req -x509 "${ec[@]}" -days 2 -subj "/CN=Test VPN CA" -keyout "$P/ca.key" -out "$P/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -x509 "${ec[@]}" -days 2 -subj "/CN=Other CA" -keyout "$P/other.key" -out "$P/other.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
leaf() {  # leaf NAME CN CA [EXTFILE-TEXT]
  openssl req "${ec[@]}" -subj "/CN=$2" -keyout "$P/$1.key" -out "$P/$1.csr" 2>/dev/null
  openssl x509 -req -in "$P/$1.csr" -CA "$P/$3.pem" -CAkey "$P/$3.key" -CAcreateserial -days 1 \
    -out "$P/$1.pem" -extfile <(printf '%b' "${4:-basicConstraints=CA:FALSE\n}") 2>/dev/null
}
leaf server vpn.example.test ca 'subjectAltName=DNS:vpn.example.test\nextendedKeyUsage=serverAuth\n'
leaf alice alice ca 'extendedKeyUsage=clientAuth\n'
leaf mallory mallory other 'extendedKeyUsage=clientAuth\n'

tn_server_config '"eap-tls", "mschapv2"' true 128 stateless
cat >>"$WORK/server.toml" <<CONF
[eap_tls]
ca = "$P/ca.pem"
cert = "$P/server.pem"
key = "$P/server.key"
CONF
tn_start_server
grep -q "security: auth eap-tls: no password-derived secret" "$WORK/server.log" ||
  tn_fail "the server did not say what EAP-TLS protects at start"

eap=(--auth eap-tls --ca "$P/ca.pem")
echo "tunnel_eap_tls: alice with a good certificate, MPPE-128, ping"
tn_start_client "$WORK/client-alice.log" --user alice "${eap[@]}" --cert "$P/alice.pem" --key "$P/alice.key" \
  --server-name vpn.example.test
tn_wait_for "^connected:" "$WORK/client-alice.log" "$CLIENT_PID" 10 || tn_fail "alice did not connect"
grep -q "^connected: auth EAP-TLS, encryption MPPE 128-bit stateless" "$WORK/client-alice.log" ||
  tn_fail "alice's link is not EAP-TLS with MPPE-128: $(grep '^connected' "$WORK/client-alice.log")"
ip netns exec "$NS_C" ping -n -q -c 3 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "no ping through the EAP-TLS tunnel"
grep -q 'user "alice": link up: EAP-TLS, MPPE 128-bit' "$WORK/server.log" ||
  tn_fail "the server did not log alice's EAP-TLS link (user from the CN)"
echo "  $(grep '^connected:' "$WORK/client-alice.log" | cut -c1-80)"
tn_stop_client "$CLIENT_PID"

# expect_refused LABEL CLIENT_PATTERN SERVER_PATTERN ARGS...
expect_refused() {
  local label=$1 cpat=$2 spat=$3; shift 3
  local rc=0
  timeout 20 ip netns exec "$NS_C" "$BIN" client 192.0.2.1 "$@" >"$WORK/client-refused.log" 2>&1 || rc=$?
  [ $rc -ne 0 ] || tn_fail "$label: the client exited 0"
  [ $rc -ne 124 ] || tn_fail "$label: the client hung"
  grep -q -- "$cpat" "$WORK/client-refused.log" || tn_fail "$label: the client did not say '$cpat'"
  [ -z "$spat" ] || tn_wait_for "$spat" "$WORK/server.log" "$SERVER_PID" 5 || tn_fail "$label: the server did not log '$spat'"
  echo "  $label: exit $rc: $(grep '^pptpx client:' "$WORK/client-refused.log" | head -1 | cut -c1-150)"
}
echo "tunnel_eap_tls: refusals"
expect_refused "mallory (another CA)" "authentication failed (EAP-TLS)" "certificate was refused" \
  --user mallory "${eap[@]}" --cert "$P/mallory.pem" --key "$P/mallory.key"
expect_refused "wrong server name" "hostname mismatch" "" \
  --user alice "${eap[@]}" --cert "$P/alice.pem" --key "$P/alice.key" --server-name other.example.test
expect_refused "no certificate given" "needs --cert" "" --user alice --auth eap-tls

echo "tunnel_eap_tls: an MS-CHAPv2-only client Naks EAP and gets MS-CHAPv2"
tn_start_client "$WORK/client-bob.log" --user bob
tn_wait_for "^connected:" "$WORK/client-bob.log" "$CLIENT_PID" 10 || tn_fail "bob (MS-CHAPv2) did not connect"
grep -q "^connected: auth MS-CHAPv2" "$WORK/client-bob.log" || tn_fail "bob's link is not MS-CHAPv2"
ip netns exec "$NS_C" ping -n -q -c 2 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "no ping for bob"
tn_stop_client "$CLIENT_PID"
tn_stop_server
echo "tunnel_eap_tls: PASS"
