#!/usr/bin/env bash
# Interop under loss (issue 18): stateful MPPE-128 between pptpx and the Linux kernel's ppp_mppe
# (pppd 2.4.9 in a QEMU VM of the interop lab) recovers fully after random GRE loss, with the loss
# on either side and pptpx in either role:
#   client: `pptpx client --mppe-stateful` -> pptpd + pppd (mppe-stateful) in the VM
#   server: pptp-linux + pppd in the VM -> `pptpx server` (mode = "stateful")
# One VM (192.0.2.2) for both roles. Per role, one session and MLOSS_RUNS loss episodes per
# direction, alternating. An episode: nftables in the lab namespace drops 1 in MLOSS_MOD GRE
# packets at random (numgen; netem does not work here), leaving our side ("out") or reaching it
# ("in"), while 30 pings go out every 0.2 s; then the loss stops, 8 pings (2 s) give the ends
# time to resynchronise, and 15 pings after that must all be answered ("full recovery").
# Each episode prints one RESULT line (docs/robustness.md records them).
# Time: ~2.5 min with the defaults (2 episodes per direction and role) plus one VM boot.
# Needs: root, $PPTPX_BIN, the interop lab (../shared/interop-lab/lab; set up on first use).
# MLOSS_RUNS=10 gives the issue's 40 runs; LAB_NS / LAB_DIR run it in a lab of its own.
set -euo pipefail
IX_NAME=interop_mppe_loss
source "$(dirname "$0")/lib/interop.sh"
ix_require_pptpx client
ix_require_pptpx server
lab_ready

VM=peer
VM_IP=192.0.2.2
US=198.51.100.1        # our end in the server role; pptpd's own end in the client role
RUNS=${MLOSS_RUNS:-2}
MOD=${MLOSS_MOD:-8}
REFUSE="refuse-pap refuse-chap refuse-mschap"
printf '# client server secret addresses\nalice * "%s" *\n' "$LAB_PASSWORD" >"$WORK/chap-secrets"
chmod 600 "$WORK/chap-secrets"

# loss_on out|in: drop GRE leaving (out) or reaching (in) the lab namespace, 1 in $MOD at random.
loss_on() {
  local hook=output
  [ "$1" = in ] && hook=input
  ip netns exec "$NS" nft -f - <<NFT
table inet mppe_loss {
  chain c { type filter hook $hook priority 0; ip protocol gre numgen random mod $MOD == 0 drop; }
}
NFT
}
loss_off() { ip netns exec "$NS" nft delete table inet mppe_loss 2>/dev/null || true; }

# pings COUNT INTERVAL ADDR: how many of COUNT echo requests from our side were answered.
pings() {
  local out
  out=$(ip netns exec "$NS" ping -n -q -c "$1" -i "$2" -W 1 "$3" 2>&1 || true)
  printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p' | grep . || echo 0
}

# episodes ROLE ADDR PID: MLOSS_RUNS loss episodes per direction; fails after the first episode
# without full recovery (the RESULT lines before it stay in the log).
episodes() {
  local role=$1 addr=$2 pid=$3 run dir during settle after
  [ "$(pings 5 0.2 "$addr")" -eq 5 ] || fail "$addr does not answer before any loss"
  for run in $(seq 1 "$RUNS"); do
    for dir in out in; do
      loss_on "$dir"
      during=$(pings 30 0.2 "$addr")
      loss_off
      settle=$(pings 8 0.25 "$addr")
      after=$(pings 15 0.2 "$addr")
      echo "RESULT role=$role loss=$dir run=$run during=$during/30 settle=$settle/8 after=$after/15"
      kill -0 "$pid" 2>/dev/null || fail "pptpx ended during the episode"
      [ "$after" -eq 15 ] || fail "no full recovery after loss ($dir, run $run): $after of 15 pings answered"
    done
  done
}

case_client() {
  pptpd_restart "$VM" require-mschap-v2 require-mppe-128 mppe-stateful $REFUSE
  ip netns exec "$NS" "$BIN" client "$VM_IP" --user "$LAB_USER_NAME" --password-file "$WORK/password" \
    --mppe-stateful >"$WORK/case/client.log" 2>&1 &
  local pid=$!
  case_track "$pid"
  wait_log '^connected:' "$WORK/case/client.log" "$pid" 40 || fail "the client did not connect"
  grep '^connected:' "$WORK/case/client.log" | grep -qF "MPPE 128-bit stateful" ||
    fail "not stateful: $(grep '^connected:' "$WORK/case/client.log")"
  vm_log_has "$VM" "MPPE 128-bit stateful compression enabled" "stateful MPPE"
  episodes client "$US" "$pid"
  ! vx "$VM" 'grep -qE "MPPE errors|disabling compression" /tmp/ppp.log' || fail "pppd gave up on MPPE"
  kill -TERM "$pid"
  wait_exit "$pid" 15 || fail "the client did not exit within 15 s of SIGTERM"
}

case_server() {
  vx "$VM" 'kill $(pidof pptpd pptpctrl pppd) 2>/dev/null; echo' >/dev/null
  cat >"$WORK/case/server.toml" <<CONF
[listen]
address = "192.0.2.1"
[tun]
name = "pxloss0"
[ipv4]
server_address = "$US"
pool = "198.51.100.10-198.51.100.20"
[auth]
methods = ["mschapv2"]
secrets_file = "$WORK/chap-secrets"
[mppe]
required = true
strengths = [128]
mode = "stateful"
CONF
  ip netns exec "$NS" "$BIN" server --config "$WORK/case/server.toml" >"$WORK/case/server.log" 2>&1 &
  local pid=$!
  case_track "$pid"
  wait_log "listening on" "$WORK/case/server.log" "$pid" 10 || fail "the server did not start"
  ix_dial "$VM" 192.0.2.1 "$LAB_USER_NAME" "$LAB_PASSWORD" "" require-mppe-128 mppe-stateful $REFUSE refuse-eap
  vm_wait "$VM" 40 'ip -4 addr show dev ppp0 | grep -q inet' || fail "the VM's ppp0 did not come up"
  local addr; addr=$(vm_ppp_addr "$VM")
  vm_log_has "$VM" "MPPE 128-bit stateful compression enabled" "stateful MPPE"
  episodes server "$addr" "$pid"
  ! vx "$VM" 'grep -qE "MPPE errors|disabling compression" /tmp/ppp.log' || fail "pppd gave up on MPPE"
  kill -TERM "$pid"
  wait_exit "$pid" 15 || fail "the server did not exit within 15 s of SIGTERM"
}

vm_up "$VM" "$VM_IP"
run_case client-stateful-loss case_client
loss_off
run_case server-stateful-loss case_server
loss_off
ix_finish
