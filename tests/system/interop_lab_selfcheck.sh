#!/usr/bin/env bash
# Interop lab self-check (no pptpx involved): pptp-linux + pppd in one VM (192.0.2.3) dial pptpd +
# pppd in another (192.0.2.2), MS-CHAPv2 + MPPE-128. Proves that the lab and the harness in
# lib/interop.sh work: boot, the init-shell workaround (both VMs must survive pppd exiting), ping
# at 56/1472/3000 bytes, 1 MiB each way with matching MD5 between the VMs, teardown, and a tshark
# capture on br0 without Malformed packets or expert errors. When interop_client/interop_server
# fail and this passes, look at pptpx; when this fails too, look at the lab.
# Needs: root, the interop lab (../shared/interop-lab/lab; set up on first use).
set -euo pipefail
IX_NAME=interop_lab_selfcheck
source "$(dirname "$0")/lib/interop.sh"
lab_ready

capture_start_case() { CAP=$WORK/case/capture.pcapng; capture_start "$CAP"; TSHARK_CASE_PID=$IX_TSHARK_PID; case_track "$IX_TSHARK_PID"; }
capture_stop_case() { IX_TSHARK_PID=$TSHARK_CASE_PID; capture_stop; }

selfcheck() {
  pptpd_restart labsrv
  capture_start_case
  local t0; t0=$(date +%s)
  "$LAB" pptp labcli 192.0.2.2 >/dev/null || fail "lab pptp labcli 192.0.2.2 failed"
  vm_wait labcli 40 'ip -4 addr show dev ppp0 | grep -q inet' || fail "ppp0 did not come up in labcli"
  echo "tunnel up $(($(date +%s) - t0)) s after 'lab pptp'"
  vm_log_has labcli "MPPE 128-bit stateless compression enabled" "MPPE 128 stateless"
  vm_log_has labsrv "MPPE 128-bit stateless compression enabled" "MPPE 128 stateless"
  local s
  for s in 56 1472 3000; do
    vx labcli "ping -q -c 2 -W 3 -s $s 198.51.100.1" >/dev/null || fail "ping -s $s labcli -> labsrv"
    vx labsrv "ping -q -c 2 -W 3 -s $s 198.51.100.10" >/dev/null || fail "ping -s $s labsrv -> labcli"
  done
  # 1 MiB each way, labsrv listening (nc -e: the listener ends when the data has been written)
  local a b
  a=$(vx labsrv "kill \$(pidof nc) 2>/dev/null; rm -f /tmp/rx; dd if=/dev/urandom of=/tmp/tx bs=1024 count=1024 2>/dev/null
    nc -l -p 5001 -e sh -c 'cat > /tmp/rx' </dev/null >/dev/null 2>&1 &
    nc -l -p 5002 -e cat /tmp/tx </dev/null >/dev/null 2>&1 &
    sleep 0.5; md5sum /tmp/tx | cut -d' ' -f1")
  b=$(vx labcli "dd if=/dev/urandom of=/tmp/tx bs=1024 count=1024 2>/dev/null; nc 198.51.100.1 5001 < /tmp/tx
    nc 198.51.100.1 5002 </dev/null > /tmp/rx; md5sum /tmp/tx /tmp/rx | cut -d' ' -f1 | tr '\n' ' '; echo")
  [ "$(echo "$b" | cut -d' ' -f2)" = "$a" ] || fail "labsrv -> labcli: MD5 $a sent, $(echo "$b" | cut -d' ' -f2) received"
  sleep 0.5
  [ "$(vx labsrv "md5sum /tmp/rx | cut -d' ' -f1")" = "$(echo "$b" | cut -d' ' -f1)" ] || fail "labcli -> labsrv: MD5 differs"
  # teardown from the dialling side: both pppds end, both VMs stay alive
  vx labcli 'kill $(pidof pppd); echo' >/dev/null
  vm_wait labcli 20 '! pidof pppd pptp' || fail "pppd or pptp still runs in labcli"
  vm_wait labsrv 20 '! pidof pppd pptpctrl' || fail "pppd or pptpctrl still runs in labsrv"
  ix_vm_alive labcli && ix_vm_alive labsrv || fail "a VM died when pppd exited (init-shell workaround broken)"
  capture_stop_case
  echo "PPTP control messages (src dst type):"; capture_pptp "$CAP" | sed 's/^/  /'
  capture_has "$CAP" 192.0.2.3 "$PPTP_CCRQ" "Call-Clear-Request"
  capture_check "$CAP"
}

vm_up labsrv 192.0.2.2
vm_up labcli 192.0.2.3
run_case pptpd-vs-pptp-linux selfcheck
ix_finish
