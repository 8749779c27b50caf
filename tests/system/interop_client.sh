#!/usr/bin/env bash
# Interop: `pptpx client` (on the lab bridge, 192.0.2.1) -> pptpd 1.4.0 + pppd 2.4.9 in a QEMU VM
# (192.0.2.2; stock Debian kernel with ppp_mppe). One VM for every case; pptpd is restarted with
# the pppd options of each case. Per case: the negotiated mode on both sides, ping both ways at 56,
# 1472 and 3000 bytes, 1 MiB each way with matching MD5, teardown seen by the peer, and a tshark
# capture on br0 without Malformed packets or expert errors.
# Needs: root, $PPTPX_BIN, the interop lab (../shared/interop-lab/lab; set up on first use).
set -euo pipefail
IX_NAME=interop_client
source "$(dirname "$0")/lib/interop.sh"
ix_require_pptpx client
lab_ready

VM=pptpd
VM_IP=192.0.2.2
PEER=198.51.100.1   # pptpd's own end of every tunnel
STD_REFUSE="refuse-pap refuse-chap refuse-mschap"

# start_client ARGS...: pptpx client in the lab namespace; pid in CLIENT_PID, log client.log.
start_client() {
  ip netns exec "$NS" "$BIN" client "$VM_IP" --log-level debug "$@" >"$WORK/case/client.log" 2>&1 &
  CLIENT_PID=$!
  case_track "$CLIENT_PID"
}

# connected EXPECT: wait for the client's "connected:" line, which must contain EXPECT; prints
# our tunnel address.
connected() {
  wait_log '^connected:' "$WORK/case/client.log" "$CLIENT_PID" 40 || fail "the client did not connect"
  grep '^connected:' "$WORK/case/client.log" | grep -qF -- "$1" ||
    fail "expected '$1' in: $(grep '^connected:' "$WORK/case/client.log")"
  sed -n 's/^connected: .* address \([0-9.]*\), peer .*/\1/p' "$WORK/case/client.log"
}

# our_teardown: SIGTERM the client; it exits 0, pppd in the VM sees LCP Terminate, its pppd
# ends, and the capture shows our LCP Terminate-Request and Call-Clear-Request. (pptpctrl closes
# the control connection as soon as its pppd has ended, with a RST since our Call-Clear-Request
# is still unread: no Call-Disconnect-Notify or Stop-Control-Connection exchange is possible.)
our_teardown() {
  kill -TERM "$CLIENT_PID"
  wait_exit "$CLIENT_PID" 15 || fail "the client did not exit within 15 s of SIGTERM"
  [ "$IX_RC" -eq 0 ] || fail "the client exited with status $IX_RC after SIGTERM"
  vm_wait "$VM" 15 '! pidof pppd' || fail "pppd in the VM still runs 15 s after our disconnect"
  vm_log_has "$VM" 'rcvd \[LCP TermReq' "our LCP Terminate-Request"
  capture_stop_case
  capture_filter "$CAP" "ip.src == 192.0.2.1 && lcp && ppp.code == 5" "LCP Terminate-Request from us"
  capture_filter "$CAP" "ip.src == $VM_IP && lcp && ppp.code == 6" "LCP Terminate-Ack from pppd"
  capture_has "$CAP" 192.0.2.1 "$PPTP_CCRQ" "Call-Clear-Request"
  capture_check "$CAP"
}

capture_start_case() { CAP=$WORK/case/capture.pcapng; capture_start "$CAP"; TSHARK_CASE_PID=$IX_TSHARK_PID; case_track "$IX_TSHARK_PID"; }
capture_stop_case() { IX_TSHARK_PID=$TSHARK_CASE_PID; capture_stop; }

# ok_case EXPECT PPPD-LOG-PATTERN CLIENT-ARGS -- PPPD-OPTIONS...: a successful negotiation.
ok_case() {
  local expect=$1 pattern=$2 args=$3; shift 4
  pptpd_restart "$VM" "$@"
  capture_start_case
  local t0; t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  start_client --user "$LAB_USER_NAME" --password-file "$WORK/password" $args
  local addr; addr=$(connected "$expect")
  echo "connected $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s after the start: $(grep '^connected:' "$WORK/case/client.log" | cut -c1-90)"
  vm_log_has "$VM" "$pattern" "'$pattern'"
  ping_host "$PEER"
  ping_vm "$VM" "$addr"
  transfer "$VM" "$PEER" 1024
  our_teardown
}

case_domain_user() {
  # `lab pptpd` writes LAB_SECRETS inside double quotes in the VM's shell: \\\\ -> \\ in the file,
  # which pppd reads as one backslash.
  LAB_SECRETS='LAB\\\\alice * S3cret-pass *' pptpd_restart "$VM"
  vx "$VM" 'cat /etc/ppp/chap-secrets' | grep -qF 'LAB\\alice *' || fail "pptpd's secrets do not hold LAB\\alice"
  capture_start_case
  start_client --user 'LAB\alice' --password-file "$WORK/password"
  local addr; addr=$(connected "auth MS-CHAPv2, encryption MPPE 128-bit stateless")
  vm_log_has "$VM" 'name = "LAB.{1,2}alice"' 'the name LAB\alice in the CHAP Response'
  ping_host "$PEER"
  our_teardown
}

case_wrong_password() {
  pptpd_restart "$VM"
  capture_start_case
  start_client --user "$LAB_USER_NAME" --password-file "$WORK/wrong-password"
  wait_exit "$CLIENT_PID" 40 || fail "the client still runs 40 s after a wrong password"
  [ "$IX_RC" -ne 0 ] || fail "the client exited 0 after a wrong password"
  ! grep -q '^connected:' "$WORK/case/client.log" || fail "the client reported a connection"
  grep -qiE 'auth|password|rejected|failure' "$WORK/case/client.log" ||
    fail "the client's log does not say that authentication failed"
  vm_log_has "$VM" 'CHAP Failure|authentication failed' "an authentication failure"
  echo "client exit status $IX_RC; its last lines:"; tail -3 "$WORK/case/client.log" | sed 's/^/  /'
  capture_stop_case
  capture_check "$CAP"
}

# idle: pppd sends an LCP Echo-Request every 2 s and gives up after 3 unanswered; after 12 s of
# silence the link must be up and pppd must have seen our Echo-Replies.
case_idle() {
  pptpd_restart "$VM" require-mschap-v2 require-mppe-128 $STD_REFUSE lcp-echo-interval 2 lcp-echo-failure 3
  capture_start_case
  start_client --user "$LAB_USER_NAME" --password-file "$WORK/password"
  connected "MPPE 128-bit" >/dev/null
  sleep 12
  kill -0 "$CLIENT_PID" 2>/dev/null || fail "the client ended during the idle period"
  ! vx "$VM" 'grep -q "No response to" /tmp/ppp.log' || fail "pppd reports unanswered echoes"
  ping_host "$PEER"
  our_teardown
  # pppd stops logging echoes once the link is up (debug level 1): count them in the capture
  local rq rp
  rq=$(capture_count "$CAP" "ip.src == $VM_IP && lcp && ppp.code == 9")
  rp=$(capture_count "$CAP" "ip.src == 192.0.2.1 && lcp && ppp.code == 10")
  echo "LCP Echo-Requests from pppd: $rq, Echo-Replies from pptpx: $rp"
  [ "$rq" -ge 5 ] || fail "pppd sent only $rq LCP Echo-Requests in 12 s"
  [ "$rp" -ge "$((rq - 1))" ] || fail "pptpx answered $rp of $rq LCP Echo-Requests"
}

# the VM hangs up: pppd in the VM ends; pptpd clears the call; the client must notice and exit.
case_vm_teardown() {
  pptpd_restart "$VM"
  capture_start_case
  start_client --user "$LAB_USER_NAME" --password-file "$WORK/password"
  connected "MPPE 128-bit" >/dev/null
  vx "$VM" 'kill $(pidof pppd); echo' >/dev/null
  wait_exit "$CLIENT_PID" 20 || fail "the client still runs 20 s after the VM hung up"
  echo "client exit status $IX_RC after the peer hung up; its last lines:"; tail -4 "$WORK/case/client.log" | sed 's/^/  /'
  ! ip netns exec "$NS" ip link show | grep -q pptpxc || fail "the client's TUN device is still there"
  vm_wait "$VM" 10 '! pidof pptpctrl' || fail "pptpctrl in the VM still runs"
  capture_stop_case
  echo "PPTP control messages (src dst type):"; capture_pptp "$CAP" | sed 's/^/  /'
  capture_check "$CAP"
}

# Issue 16 item 4: pppd (behind pptpd) has no secret for the user, and refuses with a Failure whose
# message is empty. The client must say in plain words that the server refused without a reason
# and what usually causes it, not `failure without an error code: ""`. About 10 s.
case_no_secret() {
  pptpd_restart "$VM"
  capture_start_case
  start_client --user nobody-here --password-file "$WORK/password"
  wait_exit "$CLIENT_PID" 40 || fail "the client still runs 40 s after the refusal"
  [ "$IX_RC" -ne 0 ] || fail "the client exited 0 after the refusal"
  vm_log_has "$VM" 'No CHAP secret found|sent \[CHAP Failure' "its refusal"
  echo "pppd: $(vx "$VM" 'grep -E "No CHAP secret|sent \[CHAP Failure" /tmp/ppp.log | head -2; echo' | tr '\n' ' ')"
  grep -q 'the server refused without giving a reason' "$WORK/case/client.log" ||
    fail "the client does not explain the empty Failure: $(grep -i fail "$WORK/case/client.log" | tail -2)"
  ! grep -q 'failure without an error code: ""' "$WORK/case/client.log" || fail "the client still prints the bare empty Failure"
  echo "client: $(grep -o 'the server refused without giving a reason.*' "$WORK/case/client.log" | head -1 | cut -c1-200)"
  capture_stop_case
  capture_check "$CAP"
}

vm_up "$VM" "$VM_IP"
run_case mschapv2-mppe128-stateless ok_case "auth MS-CHAPv2, encryption MPPE 128-bit stateless" \
  "MPPE 128-bit stateless compression enabled" "" -- require-mschap-v2 require-mppe-128 $STD_REFUSE
run_case mschapv2-mppe40 ok_case "auth MS-CHAPv2, encryption MPPE 40-bit stateless" \
  "MPPE 40-bit stateless compression enabled" "--mppe 40" -- require-mschap-v2 require-mppe-40 $STD_REFUSE
# pppd offers stateless first; with mppe-stateful it accepts stateful when asked. pptpx must ask
# (Nak +H with -H): `--mppe-stateful` has to mean "prefer stateful", not only "also accept it".
run_case mschapv2-mppe128-stateful ok_case "auth MS-CHAPv2, encryption MPPE 128-bit stateful" \
  "MPPE 128-bit stateful compression enabled" "--mppe-stateful" -- require-mschap-v2 require-mppe-128 mppe-stateful $STD_REFUSE
run_case mschapv1-mppe128 ok_case "encryption MPPE 128-bit stateless" \
  "MPPE 128-bit stateless compression enabled" "--auth mschapv1" -- require-mschap require-mppe-128 refuse-pap refuse-chap refuse-mschap-v2
run_case chap-md5-nomppe ok_case "encryption none" "CHAP peer authentication succeeded|peer from calling number" \
  "--auth chap-md5 --mppe none" -- require-chap nomppe refuse-pap refuse-mschap refuse-mschap-v2
run_case pap-nomppe ok_case "encryption none" "PAP peer authentication succeeded|peer from calling number" \
  "--auth pap --mppe none" -- require-pap nomppe refuse-chap refuse-mschap refuse-mschap-v2
run_case wrong-password case_wrong_password
run_case no-secret case_no_secret
run_case domain-user case_domain_user
run_case idle-echo case_idle
run_case teardown-from-vm case_vm_teardown
ix_finish
