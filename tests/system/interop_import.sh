#!/usr/bin/env bash
# Interop (issue 14): "replace pptpd without touching a single client". `pptpx import pptpd`
# translates the Debian-style pptpd fixtures (tests/migrate/fixtures/: pptpd.conf, options.pptpd
# with `name pptpd`, chap-secrets) with --hash-secrets; `pptpx server` runs that configuration
# on the lab bridge (192.0.2.1, where the fixture's `listen` points), and pptp-linux 1.10.0 +
# pppd 2.4.9 in a QEMU VM dial it, set up as pptpd's clients are:
#  - bob: chap-secrets `bob pptpd "Tunnel-Lab-7" *` and no `remotename`, so pppd finds his secret
#    under the Name of our Challenge, which must be the imported "pptpd"; MPPE-128 stateless; an
#    address from the imported pool 198.51.100.234-246; ping both ways.
#  - "alice smith" (quoted name and password with '#' in the fixture): her imported static
#    address 198.51.100.240.
# Then the same VM dials the import of tests/migrate/fixtures/accel-ppp-local.conf as alice, who
# must get her static address from accel-ppp's chap-secrets.
# One VM boot for all. Needs root, $PPTPX_BIN and the interop lab. About 50-80 s.
set -euo pipefail
IX_NAME=interop_import
source "$(dirname "$0")/lib/interop.sh"
ix_require_pptpx server
lab_ready

VM=dialer
VM_IP=192.0.2.3
US=198.51.100.1
FIX=$(cd "$(dirname "$0")/../migrate/fixtures" && pwd)
REFUSE_NON_V2="refuse-pap refuse-chap refuse-mschap refuse-eap"

"$BIN" import pptpd --pptpd-conf "$FIX/pptpd.conf" --options "$FIX/options.pptpd" \
  --chap-secrets "$FIX/chap-secrets" --out "$WORK/imported" --hash-secrets >"$WORK/import.log" 2>&1 ||
  { cat "$WORK/import.log"; echo "FAIL: the import failed"; exit 1; }
# Our own TUN name and control socket beside other tests; everything else as imported.
sed -i 's/^\[tun\]$/[tun]\nname = "pximp0"/' "$WORK/imported/server.toml"
printf '\n[control]\nsocket = "%s"\n' "$WORK/control.sock" >>"$WORK/imported/server.toml"

start_server() {
  ip netns exec "$NS" "$BIN" server --config "${SERVER_TOML:-$WORK/imported/server.toml}" --log-level debug >"$WORK/case/server.log" 2>&1 &
  SERVER_PID=$!
  case_track "$SERVER_PID"
  wait_log "listening on" "$WORK/case/server.log" "$SERVER_PID" 10 || fail "the imported server did not start"
}

# hang_up ADDR: pppd in the VM hangs up; the server logs the end and exits 0 on SIGTERM.
hang_up() {
  vx "$VM" 'kill $(pidof pppd); echo' >/dev/null
  vm_wait "$VM" 20 '! pidof pppd pptp' || fail "pppd or pptp in the VM still runs 20 s after SIGTERM"
  wait_log "session ended" "$WORK/case/server.log" "$SERVER_PID" 10 || fail "the server did not log the end of the session"
  kill -TERM "$SERVER_PID"
  wait_exit "$SERVER_PID" 15 || fail "the server did not exit within 15 s of SIGTERM"
  [ "$IX_RC" -eq 0 ] || fail "the server exited with status $IX_RC after SIGTERM"
}

up_addr() {
  vm_wait "$VM" 40 'ip -4 addr show dev ppp0 | grep -q inet' || fail "the VM's ppp0 did not come up"
  vm_ppp_addr "$VM"
}

case_pptpd_client() {
  start_server
  vx "$VM" "kill \$(pidof pppd pptp) 2>/dev/null; i=0; while pidof pppd pptp >/dev/null && [ \$i -lt 30 ]; do sleep 0.2; i=\$((i+1)); done
    rm -f /tmp/ppp.log; : > /tmp/syslog
    printf '%s\n' 'bob pptpd \"Tunnel-Lab-7\" *' > /etc/ppp/chap-secrets; chmod 600 /etc/ppp/chap-secrets
    pppd pty 'pptp 192.0.2.1 --nolaunchpppd' name bob noauth nodefaultroute nobsdcomp nodeflate novj \
      logfile /tmp/ppp.log debug require-mppe-128 $REFUSE_NON_V2; echo" >/dev/null || fail "could not start pppd + pptp"
  local addr; addr=$(up_addr)
  echo "bob's address: $addr"
  case "$addr" in 198.51.100.23[4-9]|198.51.100.24[0-6]) ;; *) fail "bob got '$addr', outside the imported 198.51.100.234-246" ;; esac
  vm_log_has "$VM" 'rcvd \[CHAP Challenge id=0x[0-9a-f]+ <[0-9a-f]+>, name = "pptpd"\]' 'our Challenge named "pptpd"'
  vm_log_has "$VM" "MPPE 128-bit stateless compression enabled" "MPPE 128-bit stateless"
  ping_host "$addr"
  ping_vm "$VM" "$US"
  hang_up "$addr"
}

case_static_address() {
  start_server
  ix_dial "$VM" 192.0.2.1 "alice smith" "pass word # not a comment" "" require-mppe-128 $REFUSE_NON_V2
  local addr; addr=$(up_addr)
  [ "$addr" = 198.51.100.240 ] || fail "alice smith got '$addr', not her imported static 198.51.100.240"
  ping_host "$addr"
  hang_up "$addr"
}

# The accel-ppp import (tests/migrate/fixtures/accel-ppp-local.conf): alice, as accel-ppp's
# clients dial it, gets her static address from accel-ppp's chap-secrets, with MPPE-128.
case_accel_ppp() {
  SERVER_TOML=$WORK/imported-accel/server.toml start_server
  ix_dial "$VM" 192.0.2.1 alice "correct horse" "" require-mppe-128 $REFUSE_NON_V2
  local addr; addr=$(up_addr)
  [ "$addr" = 198.51.100.201 ] || fail "alice got '$addr', not her static 198.51.100.201 from accel-ppp's chap-secrets"
  vm_log_has "$VM" "MPPE 128-bit stateless compression enabled" "MPPE 128-bit stateless"
  ping_host "$addr"
  hang_up "$addr"
}

"$BIN" import accel-ppp "$FIX/accel-ppp-local.conf" --out "$WORK/imported-accel" >"$WORK/import-accel.log" 2>&1 ||
  { cat "$WORK/import-accel.log"; echo "FAIL: the accel-ppp import failed"; exit 1; }
sed -i 's/^\[tun\]$/[tun]\nname = "pximp0"/' "$WORK/imported-accel/server.toml"
printf '\n[control]\nsocket = "%s"\n' "$WORK/control.sock" >>"$WORK/imported-accel/server.toml"

vm_up "$VM" "$VM_IP"
run_case pptpd-client-unchanged case_pptpd_client
run_case imported-static-address case_static_address
run_case accel-ppp-import case_accel_ppp
ix_finish
