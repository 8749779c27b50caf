#!/usr/bin/env bash
# Interop, EAP-TLS (RFC 5216): pptp-linux + pppd 2.4.9 (built with EAP-TLS) in a QEMU VM dial
# `pptpx server` with a certificate; MPPE-128 must come up with keys from the TLS handshake
# (pppd and pptpx derive them independently: a mismatch shows as no ping) and ping must pass both
# ways. The reverse too: the pptpx client dials pptpd + pppd with EAP-TLS, MPPE-128 and ping. Then
# a certificate from another CA is refused. Certificates are made here (openssl CLI)
# and copied into the VM. About 60-90 s (one VM boot).
# Needs: root, $PPTPX_BIN, the interop lab (../shared/interop-lab/lab).
set -euo pipefail
IX_NAME=interop_eap_tls
source "$(dirname "$0")/lib/interop.sh"
ix_require_pptpx server
lab_ready

VM=eapdialer
VM_IP=192.0.2.3
US=198.51.100.1
P="$WORK/pki"
mkdir -p "$P"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
openssl req -x509 "${ec[@]}" -days 2 -subj "/CN=Lab CA" -keyout "$P/ca.key" -out "$P/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -x509 "${ec[@]}" -days 2 -subj "/CN=Other CA" -keyout "$P/other.key" -out "$P/other.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
leaf() {  # leaf NAME CN CA
  openssl req "${ec[@]}" -subj "/CN=$2" -keyout "$P/$1.key" -out "$P/$1.csr" 2>/dev/null
  openssl x509 -req -in "$P/$1.csr" -CA "$P/$3.pem" -CAkey "$P/$3.key" -CAcreateserial -days 1 -out "$P/$1.pem" 2>/dev/null
}
# pppd checks the server certificate's CN against `remotename` (ix_dial: "pptp").
leaf server pptp ca
leaf alice "$LAB_USER_NAME" ca
leaf mallory "$LAB_USER_NAME" other
# pptpd's pppd (`name pptpd`) as the authenticator: its certificate, checked by our --server-name.
leaf pppdserver pptpd ca
printf '# client server secret addresses\n' >"$WORK/chap-secrets"
chmod 600 "$WORK/chap-secrets"

vm_up "$VM" "$VM_IP"
# Copy the client side's files into the VM (base64 through the console).
for f in ca.pem alice.pem alice.key mallory.pem mallory.key pppdserver.pem pppdserver.key; do
  vx "$VM" "mkdir -p /tmp/eap; echo '$(base64 -w0 "$P/$f")' | base64 -d > /tmp/eap/$f; echo" >/dev/null
done

server() {
  cat >"$WORK/case/server.toml" <<CONF
[listen]
address = "192.0.2.1"
[tun]
name = "pxsrv0"
[ipv4]
server_address = "$US"
pool = "198.51.100.10-198.51.100.20"
[auth]
methods = ["eap-tls"]
secrets_file = "$WORK/chap-secrets"
[eap_tls]
ca = "$P/ca.pem"
cert = "$P/server.pem"
key = "$P/server.key"
[mppe]
required = true
strengths = [128]
CONF
  ip netns exec "$NS" "$BIN" server --config "$WORK/case/server.toml" --log-level debug >"$WORK/case/server.log" 2>&1 &
  SERVER_PID=$!
  case_track "$SERVER_PID"
  wait_log "listening on" "$WORK/case/server.log" "$SERVER_PID" 10 || fail "the server did not start"
}

# dial_eap CERT: pppd authenticates itself with /tmp/eap/CERT.pem and checks our certificate.
dial_eap() {
  ix_dial "$VM" 192.0.2.1 "$LAB_USER_NAME" x "" ca /tmp/eap/ca.pem cert "/tmp/eap/$1.pem" key "/tmp/eap/$1.key" \
    require-mppe-128 refuse-pap refuse-chap refuse-mschap refuse-mschap-v2
}

good() {
  server
  dial_eap alice
  wait_log 'link up: EAP-TLS, MPPE 128-bit' "$WORK/case/server.log" "$SERVER_PID" 40 ||
    fail "pppd's EAP-TLS link did not come up"
  grep -q "user \"$LAB_USER_NAME\": link up: EAP-TLS" "$WORK/case/server.log" || fail "the user is not the certificate's CN"
  vm_wait "$VM" 15 "ip -4 addr show dev ppp0 | grep -q inet"
  vm_log_has "$VM" 'MPPE 128-bit stateless compression enabled' "MPPE-128 up"
  vm_log_has "$VM" 'EAP-TLS' "EAP-TLS"
  ping_host "$(vm_ppp_addr "$VM")"
  ping_vm "$VM" "$US"
  vx "$VM" 'kill $(pidof pppd) 2>/dev/null; echo' >/dev/null
}

wrong_ca() {
  server
  dial_eap mallory
  wait_log 'certificate was refused' "$WORK/case/server.log" "$SERVER_PID" 40 || fail "the server did not refuse mallory"
  ! grep -q 'link up' "$WORK/case/server.log" || fail "a link came up with a certificate from another CA"
  vx "$VM" 'kill $(pidof pppd) 2>/dev/null; echo' >/dev/null
}

# The reverse: the pptpx client dials pptpd + pppd 2.4.9 with EAP-TLS (pppd requires EAP; its
# /etc/ppp/eaptls-server names its certificate, key and CA for any client).
pptpx_dials() {
  vx "$VM" "printf '%s\\n' '* pptpd - /tmp/eap/pppdserver.pem /tmp/eap/ca.pem /tmp/eap/pppdserver.key *' > /etc/ppp/eaptls-server; chmod 600 /etc/ppp/eaptls-server; echo" >/dev/null
  pptpd_restart "$VM" require-eap require-mppe-128 refuse-pap refuse-chap refuse-mschap refuse-mschap-v2
  ip netns exec "$NS" "$BIN" client "$VM_IP" --log-level debug --user "$LAB_USER_NAME" --auth eap-tls \
    --cert "$P/alice.pem" --key "$P/alice.key" --ca "$P/ca.pem" --server-name pptpd >"$WORK/case/client.log" 2>&1 &
  local pid=$!
  case_track "$pid"
  wait_log '^connected:' "$WORK/case/client.log" "$pid" 40 || fail "the pptpx client did not connect with EAP-TLS"
  grep -q '^connected: auth EAP-TLS, encryption MPPE 128-bit' "$WORK/case/client.log" || fail "not EAP-TLS + MPPE-128"
  vm_log_has "$VM" 'MPPE 128-bit stateless compression enabled' "MPPE-128 up"
  ping_host 198.51.100.1
  local ours
  ours=$(sed -n 's/.*address \([0-9.]*\), peer.*/\1/p' "$WORK/case/client.log" | head -1)
  [ -n "$ours" ] || fail "no tunnel address in the connected line"
  ping_vm "$VM" "$ours"
  kill -TERM "$pid"
  wait_exit "$pid" 10 || fail "the client did not stop"
}

run_case eap-tls-pppd-dials-pptpx good
run_case eap-tls-pptpx-dials-pptpd pptpx_dials
run_case eap-tls-wrong-ca-refused wrong_ca
ix_finish
