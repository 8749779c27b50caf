# Shared by tests/system/interop_*.sh (sourced, not run): interop cases between pptpx and the
# reference Linux PPTP stack (pppd 2.4.9 + pptpd 1.4.0 + pptp-linux 1.10.0 on a stock Debian
# kernel) in the QEMU VMs of the interop lab (../shared/interop-lab/lab, see its README).
#
#   IX_NAME=interop_x; source lib/interop.sh
#   ix_require_pptpx client|server   SKIP (exit 0) when that pptpx subcommand does not exist yet
#   lab_ready                        lock the lab, install what is missing, `lab setup` if needed
#                                    (LAB_NS / LAB_DIR select another lab instance, see below)
#   vm_up NAME IP                    boot one VM, make its shell survive orphans (see below)
#   vx NAME CMD                      run CMD in the VM (its output; its exit status)
#   run_case NAME FUNCTION ARGS...   one case in a subshell: prints the name, PASS/FAIL with the
#                                    time, and on failure pppd's log from the VM and our log
#                                    (IX_CASES=REGEX runs only the cases whose name matches)
#   ix_finish                        summary line; exit status 1 if any case failed
# Cleanup (trap on EXIT): our processes by pid, `lab down`, the work dir (kept on failure).
#
# Lab deviations from its README, worked around here (details in the functions):
#  1. The VM's init is an interactive busybox sh. When any orphaned process (a daemonized pppd or
#     pptp, a background nc) exits while that shell waits for input, the shell exits -> "Attempted
#     to kill init" -> kernel panic -> the VM is gone and `lab exec` times out. vm_up replaces it
#     with a non-interactive reader loop, by writing straight to the VM's console input file.
#  2. `lab exec` loses the last line of output when it does not end in a newline, and a
#     command with a syntax error never returns (timeout). Commands here always end in a newline.
#  3. `lab setup` does not install tshark; `lab pptpd` takes one secrets line only (LAB_SECRETS
#     must not hold a newline); `lab pptp` cannot quote a DOMAIN\user name or pass pptp options
#     (e.g. --idle-wait), so ix_dial runs the same pppd + pptp command line itself.
#  4. A VM that crashed still counts as "up" for `lab up` until `lab down NAME`.
#  5. Boot takes 12-25 s here (README: ~10 s), depending on the load of the machine.
#  6. The initramfs has more tools than setup()'s symlink list: busybox sh runs every applet
#     (md5sum, dd, timeout, ...). But busybox nc without -e half-closes at once when its stdin is
#     at EOF and the sender quits early (78 KiB of 1 MiB arrived): the VM listens with `nc -e`.
#     The host has no nc: `busybox nc` (busybox-static, installed by `lab setup`).
#  7. pppd logs no LCP echoes once the link is up (debug level 1): echoes are counted in tshark.
#  8. "pppd offers stateless MPPE first" holds only with require-mppe-*: without it (e.g. the
#     options.pptp that pptp-linux ships) pppd 2.4.9 Configure-Rejects MPPE. pppd also runs
#     IPV6CP by default (pptpx Protocol-Rejects it unless IPv6 is enabled).
#  9. pptpd never sends Call-Disconnect-Notify or Stop-Control-Connection-Request: when its pppd
#     ends it closes the control connection (RST if our Call-Clear-Request is unread). pptp-linux
#     hangs up with Call-Clear-Request + FIN without waiting, and sends Call-Clear-Request even
#     after answering our Stop-Control-Connection-Request.
set -euo pipefail

BIN=${PPTPX_BIN:-}   # the pptpx binary (the lab self-check does not need it)
IX_NAME=${IX_NAME:-interop}
IX_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
LAB=${PPTPX_LAB:-$IX_ROOT/../shared/interop-lab/lab}
# LAB_NS + LAB_DIR: a second lab beside the shared one (copy vmlinuz and initrd.gz from
# /var/tmp/pptp-lab into the new LAB_DIR to skip `lab setup`); each namespace has its own lock.
export LAB_DIR=${LAB_DIR:-/var/tmp/pptp-lab}
export LAB_NS=${LAB_NS:-lab}
NS=$LAB_NS
LAB_USER_NAME=alice
LAB_PASSWORD=S3cret-pass
WORK=$(mktemp -d "/tmp/pptpx-$IX_NAME.XXXXXX")
IX_T0=$(date +%s)
IX_PASSED=0 IX_FAILED=0
IX_FAILED_NAMES=()
IX_VMS=()
declare -A IX_VM_IP=()
IX_TSHARK_PID=""
: >"$WORK/pids"

ix_say() { printf '[%s +%ss] %s\n' "$IX_NAME" "$(($(date +%s) - IX_T0))" "$*"; }

# ix_kill SIGNAL PID: signal PID only if it is still one of ours (pptpx or tshark), not a
# recycled pid of somebody else's process.
ix_kill() {
  [ -n "$2" ] && grep -qaE 'pptpx|tshark' "/proc/$2/cmdline" 2>/dev/null && kill "-$1" "$2" 2>/dev/null || true
}

ix_cleanup() {
  local rc=$? p
  [ -n "$IX_TSHARK_PID" ] && ix_kill TERM "$IX_TSHARK_PID"
  while read -r p; do ix_kill TERM "$p"; done <"$WORK/pids"
  sleep 0.5
  while read -r p; do ix_kill KILL "$p"; done <"$WORK/pids"
  if [ ${#IX_VMS[@]} -gt 0 ]; then "$LAB" down >/dev/null 2>&1 || true; fi
  if [ $rc -eq 0 ] && [ $IX_FAILED -eq 0 ]; then rm -rf "$WORK"; else echo "[$IX_NAME] logs kept in $WORK"; fi
}
trap ix_cleanup EXIT
trap 'exit 130' INT TERM

ix_track() { echo "$1" >>"$WORK/pids"; }  # a pid that cleanup must stop

# ix_require_pptpx SUBCOMMAND: the pptpx cases need `pptpx client` / `pptpx server`.
ix_require_pptpx() {
  [ -n "$BIN" ] || { echo "$IX_NAME: set PPTPX_BIN to the pptpx binary"; exit 1; }
  if ! "$BIN" "$1" --help >/dev/null 2>&1; then
    echo "SKIP: pptpx $1 not built yet ($BIN $1 --help failed)"
    exit 0
  fi
}

# lab_ready: one interop file at a time owns the lab (flock); host tools; `lab setup` when the
# kernel or initramfs is missing. `lab setup` itself skips the apt install when its packages are
# present and the kernel download when vmlinuz exists, but always rebuilds the initramfs.
lab_ready() {
  [ "$(id -u)" -eq 0 ] || { echo "$IX_NAME: needs root (QEMU taps, network namespace)"; exit 1; }
  [ -x "$LAB" ] || { echo "$IX_NAME: interop lab script not found at $LAB (set PPTPX_LAB)"; exit 1; }
  if [ "$NS" = lab ]; then exec 9>"/var/tmp/pptpx-interop.lock"; else exec 9>"/var/tmp/pptpx-interop-$NS.lock"; fi
  if ! flock -n 9; then
    ix_say "waiting for another interop run to release the lab"
    flock -w 1200 9 || { echo "$IX_NAME: the lab stayed busy"; exit 1; }
  fi
  if [ ! -s "$LAB_DIR/vmlinuz" ] || [ ! -s "$LAB_DIR/initrd.gz" ] || ! command -v qemu-system-x86_64 >/dev/null ||
     ! command -v busybox >/dev/null; then
    ix_say "running 'lab setup' (first use on this machine; ~2 min)"
    "$LAB" setup || { echo "$IX_NAME: lab setup failed"; exit 1; }
  fi
  if ! command -v tshark >/dev/null; then  # lab deviation 3: not installed by `lab setup`
    ix_say "installing tshark"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tshark >/dev/null 2>&1 ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tshark >/dev/null; } ||
      { echo "$IX_NAME: could not install tshark"; exit 1; }
  fi
  printf '%s\n' "$LAB_PASSWORD" >"$WORK/password"
  printf 'not-%s\n' "$LAB_PASSWORD" >"$WORK/wrong-password"
}

# vx NAME CMD: run CMD in the VM; LAB_TIMEOUT (s) bounds it (default 60).
vx() { local n=$1; shift; LAB_TIMEOUT=${VX_TIMEOUT:-60} "$LAB" exec "$n" "$*"; }

# vm_up NAME IP: boot; replace the interactive init shell (lab deviation 1) by
#   sh -c 'while :; do sh -s 2>&1 | cat; done'
# PID 1 then only waits (reaping orphans); `sh -s` reads the console without line editing
# (stdout is a pipe, so it is not interactive) and comes back after a syntax error.
vm_up() {
  local name=$1 ip=$2 t0 i
  "$LAB" down "$name" >/dev/null 2>&1 || true   # lab deviation 4: a crashed VM still looks up
  t0=$(date +%s)
  "$LAB" up "$name" "$ip" >/dev/null || { echo "$IX_NAME: VM $name did not boot"; tail -20 "$LAB_DIR/vm/$name/console.log"; return 1; }
  [ -n "${IX_VM_IP[$name]:-}" ] || IX_VMS+=("$name")
  IX_VM_IP[$name]=$ip
  printf '%s\n' "exec sh -c 'while :; do sh -s 2>&1 | cat; done'" >>"$LAB_DIR/vm/$name/in"
  for i in 1 2 3 4 5; do
    [ "$(VX_TIMEOUT=5 vx "$name" 'cat /proc/1/cmdline | tr "\0" " "; echo' 2>/dev/null)" = "sh -c while :; do sh -s 2>&1 | cat; done " ] && break
    [ "$i" -lt 5 ] || { echo "$IX_NAME: could not replace the init shell of $name"; return 1; }
    sleep 1
  done
  ix_say "VM $name up at $ip after $(($(date +%s) - t0)) s"
}

ix_vm_alive() { VX_TIMEOUT=5 vx "$1" 'echo alive' >/dev/null 2>&1; }

# ---- captures on br0 -------------------------------------------------------------------------

# capture_start FILE: tshark on br0 (PPTP control and GRE only) until capture_stop.
capture_start() {
  local f=$1 i
  ip netns exec "$NS" tshark -i br0 -f 'tcp port 1723 or ip proto 47' -w "$f" -q >"$f.log" 2>&1 &
  IX_TSHARK_PID=$!
  ix_track "$IX_TSHARK_PID"
  for i in $(seq 1 100); do
    grep -q "Capture started\|Capturing on" "$f.log" 2>/dev/null && [ -e "$f" ] && return 0
    kill -0 "$IX_TSHARK_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "tshark did not start: $(cat "$f.log")"; return 1
}

capture_stop() {
  [ -n "$IX_TSHARK_PID" ] || return 0
  sleep 0.5   # the last packets
  kill -INT "$IX_TSHARK_PID" 2>/dev/null || true
  wait "$IX_TSHARK_PID" 2>/dev/null || true
  IX_TSHARK_PID=""
}

# ix_tshark ARGS...: tshark that reports bad filters or fields instead of printing nothing.
ix_tshark() {
  local rc=0
  tshark "$@" 2>"$WORK/tshark.err" || rc=$?
  if [ $rc -ne 0 ] || grep -qiE "not valid|aren't valid|isn't a valid|unexpected|error" "$WORK/tshark.err"; then
    echo "tshark $* failed: $(grep -v 'Running as user' "$WORK/tshark.err")" >&2
    return 1
  fi
}

# capture_check FILE: no Malformed packet and no expert error anywhere in the capture.
capture_check() {
  local f=$1 bad
  # The transfers' random payload (ports 5001/5002) is decoded as plain data: inside an unencrypted
  # tunnel, tshark's heuristics would otherwise take it for Thrift etc. and report "errors".
  bad=$(ix_tshark -r "$f" -d 'tcp.port==5001,data' -d 'tcp.port==5002,data' \
    -Y '_ws.malformed || _ws.expert.severity == "Error"') || return 1
  bad=$(printf '%s\n' "$bad" | head -20)
  if [ -n "$bad" ]; then
    echo "tshark reports malformed packets or expert errors in $f:" >&2; echo "$bad" >&2
    tshark -r "$f" -d 'tcp.port==5001,data' -d 'tcp.port==5002,data' -q -z expert,error 2>/dev/null | head -30
    return 1
  fi
}

# capture_pptp FILE: one line per PPTP control message: "SRC DST TYPE-NUMBER".
capture_pptp() {
  ix_tshark -r "$1" -Y pptp -T fields -e ip.src -e ip.dst -e pptp.control_message_type
}
# capture_has FILE SRC TYPE WHAT: FILE holds a PPTP control message TYPE sent by SRC.
capture_has() {
  capture_pptp "$1" | awk -v s="$2" -v t="$3" '$1 == s && $3 == t { f = 1 } END { exit !f }' ||
    { echo "capture: no $4 (PPTP type $3) from $2; PPTP messages seen:" >&2; capture_pptp "$1" | sed 's/^/  /' >&2; return 1; }
}
# capture_filter FILE DISPLAY-FILTER WHAT: at least one packet matches.
capture_filter() {
  local out; out=$(ix_tshark -r "$1" -Y "$2") || return 1
  [ -n "$out" ] || { echo "capture: no $3 ($2)" >&2; return 1; }
}
# capture_count FILE DISPLAY-FILTER: how many packets match.
capture_count() {
  local out; out=$(ix_tshark -r "$1" -Y "$2") || return 1
  printf '%s' "$out" | grep -c . || true
}
PPTP_SCCRQ=1 PPTP_SCCRP=2 PPTP_STOPCCRQ=3 PPTP_STOPCCRP=4 PPTP_ECHORQ=5 PPTP_ECHORP=6
PPTP_OCRQ=7 PPTP_OCRP=8 PPTP_CCRQ=12 PPTP_CDN=13

# ---- checks ----------------------------------------------------------------------------------

fail() { echo "FAIL: $*" >&2; exit 1; }   # inside a case (a subshell): ends the case

# wait_log PATTERN FILE PID SECONDS: until FILE matches (grep -E); fails early if PID is gone.
wait_log() {
  local i
  for i in $(seq 1 $(($4 * 10))); do
    grep -qE -- "$1" "$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { sleep 0.2; grep -qE -- "$1" "$2" 2>/dev/null; return; }
    sleep 0.1
  done
  return 1
}

# wait_exit PID SECONDS: the process ended within SECONDS; its exit status in IX_RC.
wait_exit() {
  local i
  for i in $(seq 1 $(($2 * 10))); do
    kill -0 "$1" 2>/dev/null || { IX_RC=0; wait "$1" || IX_RC=$?; return 0; }
    sleep 0.1
  done
  return 1
}

# vm_wait NAME SECONDS SHELL-CONDITION: poll inside the VM (twice a second).
vm_wait() {
  local n=$1 s=$2; shift 2
  VX_TIMEOUT=$((s + 10)) vx "$n" "i=0; while ! { $*; } >/dev/null 2>&1; do i=\$((i+1)); [ \$i -lt $((s * 2)) ] || exit 1; sleep 0.5; done; echo ok" >/dev/null
}

# ping_host ADDR: from the lab namespace (our side) to ADDR: 56, 1472 (full 1500-byte IP packet,
# fragmented to the tunnel MTU) and 3000 bytes (fragmented before the tunnel).
ping_host() {
  local s
  for s in 56 1472 3000; do
    ip netns exec "$NS" ping -n -q -c 2 -i 0.3 -W 3 -s "$s" "$1" >"$WORK/ping.log" 2>&1 ||
      { cat "$WORK/ping.log"; fail "ping -s $s from our side to $1"; }
  done
}
# ping_vm NAME ADDR: the same from the VM (busybox ping) to our side.
ping_vm() {
  local s
  for s in 56 1472 3000; do
    vx "$1" "ping -q -c 2 -W 3 -s $s $2" >"$WORK/ping.log" 2>&1 ||
      { cat "$WORK/ping.log"; fail "ping -s $s from VM $1 to $2"; }
  done
}

# transfer NAME VM_TUNNEL_ADDR KBYTES: KBYTES of random data each way between our side and the
# VM through the tunnel (busybox nc at both ends; the VM listens), MD5 compared at both ends.
transfer() {
  local n=$1 addr=$2 kb=${3:-1024} vsum rsum
  head -c "$((kb * 1024))" /dev/urandom >"$WORK/up.bin"
  vx "$n" "kill \$(pidof nc) 2>/dev/null; rm -f /tmp/rx; dd if=/dev/urandom of=/tmp/tx bs=1024 count=$kb 2>/dev/null
    nc -l -p 5001 -e sh -c 'cat > /tmp/rx' </dev/null >/dev/null 2>&1 &
    nc -l -p 5002 -e cat /tmp/tx </dev/null >/dev/null 2>&1 &
    i=0; while [ \$(netstat -ltn | grep -c ':500[12] ') -lt 2 ] && [ \$i -lt 20 ]; do sleep 0.1; i=\$((i+1)); done
    md5sum /tmp/tx | cut -d' ' -f1" >"$WORK/vm_tx.md5" || fail "could not start the listeners in $n"
  timeout 90 ip netns exec "$NS" busybox nc "$addr" 5001 <"$WORK/up.bin" >/dev/null ||
    fail "upload of $kb KiB to $addr:5001 failed"
  timeout 90 ip netns exec "$NS" busybox nc "$addr" 5002 </dev/null >"$WORK/down.bin" ||
    fail "download of $kb KiB from $addr:5002 failed"
  vsum=$(vx "$n" "i=0; while [ \$(wc -c < /tmp/rx) -lt $((kb * 1024)) ] && [ \$i -lt 20 ]; do sleep 0.25; i=\$((i+1)); done; md5sum /tmp/rx | cut -d' ' -f1")
  rsum=$(md5sum <"$WORK/up.bin" | cut -d' ' -f1)
  [ "$vsum" = "$rsum" ] || fail "upload: MD5 sent $rsum, the VM received $vsum ($(vx "$n" 'wc -c < /tmp/rx') bytes)"
  rsum=$(md5sum <"$WORK/down.bin" | cut -d' ' -f1)
  [ "$(cat "$WORK/vm_tx.md5")" = "$rsum" ] ||
    fail "download: MD5 sent $(cat "$WORK/vm_tx.md5"), received $rsum ($(stat -c %s "$WORK/down.bin") bytes)"
}

# vm_log_has NAME PATTERN WHAT: pppd's log in the VM matches PATTERN (grep -E).
vm_log_has() {
  vx "$1" "grep -qE '$2' /tmp/ppp.log" || fail "pppd's log in $1 lacks $3 (/$2/)"
}

# ---- the reference stack in a VM ---------------------------------------------------------------

# pptpd_restart NAME [PPPD-OPTION...]: stop pptpd and its pppds, clear the logs, start `lab pptpd`.
pptpd_restart() {
  local n=$1; shift
  vx "$n" 'kill $(pidof pptpd pptpctrl pppd) 2>/dev/null; i=0
    while pidof pptpd pptpctrl pppd >/dev/null && [ $i -lt 30 ]; do sleep 0.2; i=$((i+1)); done
    rm -f /tmp/ppp.log; : > /tmp/syslog; echo' >/dev/null
  "$LAB" pptpd "$n" "$@" >/dev/null || fail "lab pptpd $n $* failed"
}

# ix_dial NAME SERVER USER PASSWORD PPTP-EXTRA [PPPD-OPTION...]: pptp-linux + pppd in the VM dial
# SERVER (what `lab pptp` does, with the user name quoted and pptp options allowed).
ix_dial() {
  local n=$1 server=$2 user=$3 pass=$4 extra=$5; shift 5
  local esc=${user//\\/\\\\}
  vx "$n" "kill \$(pidof pppd pptp) 2>/dev/null; i=0; while pidof pppd pptp >/dev/null && [ \$i -lt 30 ]; do sleep 0.2; i=\$((i+1)); done
    rm -f /tmp/ppp.log; : > /tmp/syslog
    printf '%s\n' '\"$esc\" * \"$pass\" *' | tee /etc/ppp/chap-secrets > /etc/ppp/pap-secrets; chmod 600 /etc/ppp/*-secrets
    pppd pty 'pptp $server --nolaunchpppd $extra' name '$user' remotename pptp noauth nodefaultroute nobsdcomp nodeflate novj \
      logfile /tmp/ppp.log debug $*; echo" >/dev/null || fail "could not start pppd + pptp in $n"
}

# vm_ppp_addr NAME: the VM's address on ppp0 (empty when there is none).
vm_ppp_addr() {
  vx "$1" "ip -4 addr show dev ppp0 2>/dev/null | sed -n 's/.*inet \([0-9.]*\) .*/\1/p'; echo" | head -1
}

# ---- cases -----------------------------------------------------------------------------------

# run_case NAME FUNCTION ARGS...: FUNCTION runs in a subshell with `set -e`; it writes our logs
# to $WORK/case/ and captures to $WORK/case/capture.pcapng. On failure: pppd's log and syslog
# from every VM, our logs, the VM console's tail if the VM died.
run_case() {
  local name=$1 t0 rc n f; shift
  if [ -n "${IX_CASES:-}" ] && ! [[ $name =~ $IX_CASES ]]; then return 0; fi  # IX_CASES=regex: a subset
  t0=$(date +%s)
  ix_say "=== case $name"
  rm -rf "$WORK/case"; mkdir -p "$WORK/case"
  set +e
  (set -e; "$@")
  rc=$?
  set -e
  capture_stop
  if [ $rc -eq 0 ]; then
    IX_PASSED=$((IX_PASSED + 1)); ix_say "--- PASS $name ($(($(date +%s) - t0)) s)"
  else
    IX_FAILED=$((IX_FAILED + 1)); IX_FAILED_NAMES+=("$name")
    ix_say "--- FAIL $name ($(($(date +%s) - t0)) s)"
    for n in "${IX_VMS[@]}"; do
      if ix_vm_alive "$n"; then
        echo "----- VM $n: /tmp/ppp.log"; vx "$n" 'cat /tmp/ppp.log 2>/dev/null; echo' | tail -60 || true
        echo "----- VM $n: /tmp/syslog (not pppd)"; vx "$n" 'grep -v pppd /tmp/syslog | tail -20; echo' || true
      else
        echo "----- VM $n is dead; console tail:"; tail -25 "$LAB_DIR/vm/$n/console.log" || true
      fi
    done
    for f in "$WORK"/case/*.log; do
      [ -f "$f" ] && { echo "----- our $(basename "$f") (last 40 lines)"; tail -40 "$f"; }
    done
    mkdir -p "$WORK/failed/$name" && cp -r "$WORK/case/." "$WORK/failed/$name/" 2>/dev/null || true
    for n in "${IX_VMS[@]}"; do  # a dead VM would fail every later case: boot it again
      ix_vm_alive "$n" || vm_up "$n" "${IX_VM_IP[$n]}" || true
    done
  fi
  # a case that failed half-way may have left our processes running: stop them
  [ -f "$WORK/case/pids" ] && while read -r n; do ix_kill TERM "$n"; done <"$WORK/case/pids"
  return 0
}

# case_track PID: a process of this case (stopped after the case whatever happens).
case_track() { echo "$1" >>"$WORK/case/pids"; ix_track "$1"; }

ix_finish() {
  ix_say "$IX_PASSED passed, $IX_FAILED failed in $(($(date +%s) - IX_T0)) s"
  local f
  for f in "${IX_FAILED_NAMES[@]}"; do echo "FAILED: $IX_NAME/$f"; done
  [ "$IX_FAILED" -eq 0 ]
}
