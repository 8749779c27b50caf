#!/usr/bin/env bash
# Benchmarks (issue 7): microbenchmarks, per-packet instruction counts, and the whole-system
# figures of one MPPE-128 session between two network namespaces, each next to its baseline from
# the same run. Writes the generated part of docs/benchmarks.md (between the bench.sh markers;
# the hand-written analysis and plan around them are kept). Root only; never run in CI
# (scripts/test.sh does not call it).
#
#   [client ns] 192.0.2.2 --veth-- 192.0.2.1 [server ns]
#      pptpx client  <== TCP 1723 + GRE, MS-CHAPv2, MPPE-128 ==>  pptpx server, TUN 198.51.100.1
#   bare:   iperf3/ping 192.0.2.2 -> 192.0.2.1      (the veth alone)
#   tunnel: iperf3/ping 192.0.2.2 -> 198.51.100.1   (through the client's TUN, GRE, the server's TUN)
#
# peers:  iperf3/ping through wireguard-go and OpenVPN 2.6 (AES-128-GCM) between the same namespaces
#
# Scale (its own section of docs/benchmarks.md, between the bench.sh:scale markers): `pptpx bench`
# in the client namespace opens BENCH_SESSIONS sessions (MS-CHAPv2 + MPPE-128 + IPCP, an ICMP
# echo through each) to one server (shared TUN, a /32 route per client, pool 198.18.0.0/17 inside
# the namespaces); the server's RSS before and while they are all up, its CPU time, fds and routes.
#
# Wordlist check (issue 13; its own section, between the bench.sh:crack markers; scripts/lib/bench_crack.sh):
# `pptpx audit --wordlist` and `hashcat -m 5500 -a 0` on the same handshake and the same list of
# BENCH_CRACK_WORDS random words, side by side, plus hashcat's device peak (`hashcat -b -m 5500`).
# Skipped, with a line saying so, when hashcat is not installed.
#
# Usage: sudo scripts/bench.sh [--quick] [--no-doc] [--scale-only] [--crack-only]
#   --quick       short runs (3 s iperf3, short microbenchmarks, 1000 sessions): a smoke test of the script
#   --no-doc      print the report instead of writing docs/benchmarks.md
#   --scale-only  only the scale run (builds pptpx alone; rewrites only the scale section)
#   --crack-only  only the wordlist check against hashcat (no root needed; rewrites only its section)
# Environment: BENCH_SECONDS (iperf3 seconds, default 10), BENCH_MODES (default "stateless stateful none";
#   none = the same tunnel without MPPE: what the kernel path and pptpx cost without RC4),
#   BENCH_PEERS (default "wireguard-go openvpn": the VPNs users would pick instead, measured in the
#   same run over the same namespaces; empty to skip them),
#   BENCH_SESSIONS (default 10000), BENCH_RATE (offered sessions/s, default 4000), BENCH_CONCURRENCY
#   (setups in progress at once, default 1000), BENCH_HOLD (seconds all stay up, default 5),
#   BENCH_CRACK_WORDS (default 10000000; --quick 2000000), BENCH_CRACK_ROUNDS (default 2),
#   PPTPX_SHARED_DIR (the captures; default ../shared).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
QUICK=0 WRITE_DOC=1 SCALE_ONLY=0 CRACK_ONLY=0
for a in "$@"; do
  case $a in
    --quick) QUICK=1 ;;
    --no-doc) WRITE_DOC=0 ;;
    --scale-only) SCALE_ONLY=1 ;;
    --crack-only) CRACK_ONLY=1 ;;
    *) echo "bench: unknown argument '$a' (use --quick, --no-doc, --scale-only, --crack-only)" >&2; exit 2 ;;
  esac
done
if [ "$(id -u)" -ne 0 ] && [ $CRACK_ONLY -eq 0 ]; then
  echo "bench: needs root (network namespaces, TUN, raw GRE socket); run it with sudo" >&2
  exit 1
fi
for tool in iperf3 ping python3 cmake ninja openssl; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing (apt-get install $tool)" >&2; exit 1; }
done
SECONDS_RUN=${BENCH_SECONDS:-10}
MIN_TIME=0.5
PINGS=500
if [ $QUICK -eq 1 ]; then SECONDS_RUN=3; MIN_TIME=0.05; PINGS=100; fi
MODES=${BENCH_MODES:-stateless stateful none}
PEERS=${BENCH_PEERS-wireguard-go openvpn}
SCALE_N=${BENCH_SESSIONS:-10000}
[ $QUICK -eq 1 ] && SCALE_N=${BENCH_SESSIONS:-1000}
SCALE_RATE=${BENCH_RATE:-4000}
SCALE_CONC=${BENCH_CONCURRENCY:-1000}
SCALE_HOLD=${BENCH_HOLD:-5}
CRACK_WORDS=${BENCH_CRACK_WORDS:-10000000}
[ $QUICK -eq 1 ] && CRACK_WORDS=${BENCH_CRACK_WORDS:-2000000}
CRACK_CAPTURE=${PPTPX_SHARED_DIR:-$ROOT/../shared}/captures/mschapv2-mppe128.pcap

BUILD=$ROOT/build/bench
P="pxbench-$$"
NS_C="$P-c" NS_S="$P-s"
WORK=$(mktemp -d "/tmp/$P.XXXXXX")
PIDS=()
SERVER_PID="" CLIENT_PID="" IPERF_PID=""
STEP="setup"

cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  [ $rc -ne 0 ] && echo "bench: FAILED at step: $STEP" >&2 &&
    for f in "$WORK"/server*.log "$WORK"/client*.log; do
      [ -f "$f" ] && { echo "--- $(basename "$f") (last 10 lines)" >&2; tail -n 10 "$f" >&2; }
    done
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns del "$NS_C" 2>/dev/null || true
  ip netns del "$NS_S" 2>/dev/null || true
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

source "$ROOT/scripts/lib/bench_env.sh"
source "$ROOT/scripts/lib/bench_crack.sh"

R=$WORK/results.env   # key=value lines, read by the report writer
: >"$R"
put() { printf '%s=%s\n' "$1" "$2" >>"$R"; }

STEP="build (Release, $BUILD)"
echo "bench: building pptpx, pptpx_bench and pptpx_link_profile (Release, -j2)"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPPTPX_TESTS=OFF -DPPTPX_BENCH=ON >"$WORK/cmake.log"
TARGETS=(pptpx pptpx_bench pptpx_link_profile)
[ $SCALE_ONLY -eq 1 ] || [ $CRACK_ONLY -eq 1 ] && TARGETS=(pptpx)
cmake --build "$BUILD" --target "${TARGETS[@]}" -j2 >"$WORK/build.log" ||
  { tail -n 30 "$WORK/build.log" >&2; exit 1; }
BIN=$BUILD/src/cli/pptpx
BENCH=$BUILD/bench/pptpx_bench
PROFILE=$BUILD/bench/pptpx_link_profile

STEP="machine"
put date "$(date -u '+%Y-%m-%d %H:%M UTC')"
put nproc "$(nproc)"
put cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
put kernel "$(uname -r)"
put openssl "$(openssl version | cut -d' ' -f1-2)"
put compiler "$(c++ --version | head -n 1)"
put commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
put load_before "$(cut -d' ' -f1-3 /proc/loadavg)"

# The wordlist check against hashcat, before the tunnel runs so neither shares the CPU with them.
if [ $SCALE_ONLY -eq 0 ]; then
  STEP="wordlist check vs hashcat"
  bench_crack "$WORK" "$BIN" "$CRACK_CAPTURE" "$CRACK_WORDS" "$WORK/crack-report.md"
  {
    printf 'Run of %s at commit `%s`: %s cores, %s, kernel %s.\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
      "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$(nproc)" \
      "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$(uname -r)"
    cat "$WORK/crack-report.md"
  } >"$WORK/crack-section.md"
  if [ $WRITE_DOC -eq 1 ]; then bench_crack_splice "$ROOT/docs/benchmarks.md" "$WORK/crack-section.md"
  else cat "$WORK/crack-section.md"; fi
  if [ $CRACK_ONLY -eq 1 ]; then
    echo "bench: done"
    exit 0
  fi
fi

if [ $SCALE_ONLY -eq 0 ]; then
STEP="microbenchmarks"
echo "bench: microbenchmarks (Google Benchmark, min_time $MIN_TIME s each)"
"$BENCH" --benchmark_min_time="$MIN_TIME" --benchmark_format=json --benchmark_out="$WORK/micro.json" \
  --benchmark_out_format=json >/dev/null 2>"$WORK/micro.err"
echo "bench: openssl speed -evp rc4 (the baseline)"
openssl speed -provider legacy -provider default -seconds 2 -evp rc4 2>/dev/null >"$WORK/openssl.txt"

STEP="per-packet instruction counts (callgrind)"
if command -v valgrind >/dev/null; then
  echo "bench: callgrind, 20000 packets per mode, server -> client through both links"
  for m in "1400 stateless" "1400 stateful" "64 stateless" "64 stateful"; do
    read -r size mode <<<"$m"
    set -- "$size" "$mode"
    valgrind --tool=callgrind --toggle-collect='*run_packets*' --callgrind-out-file="$WORK/cg_$1_$2.out" \
      "$PROFILE" 20000 "$1" "$2" >/dev/null 2>"$WORK/cg_$1_$2.err"
    ir=$(sed -n 's/.*I[[:space:]]*refs:[[:space:]]*//p' "$WORK/cg_$1_$2.err" | tr -d ,)
    put "cg_$1_$2" "$((ir / 20000))"
    callgrind_annotate --inclusive=yes "$WORK/cg_$1_$2.out" 2>/dev/null >"$WORK/cg_$1_$2.txt" || true
  done
  # Where the 1400-octet stateless packet's instructions go (inclusive, both ends, per packet).
  for fn in 'MppeEncryptor::encrypt' 'MppeDecryptor::decrypt' 'auth::mppe_next_key' 'crypto::Rc4::set_key' \
            'crypto::Rc4::apply' 'crypto::sha1' 'ppp::Link::send_ipv4' 'session::CallLink::receive_gre'; do
    v=$(grep -F "$fn(" "$WORK/cg_1400_stateless.txt" | grep -v thunk | head -n 1 | awk '{print $1}' | tr -d ,)
    put "cgfn_${fn//[^A-Za-z0-9_]/_}" "$(( ${v:-0} / 20000 ))"
  done
fi
if command -v heaptrack >/dev/null; then
  for n in 1000 100000; do
    heaptrack -o "$WORK/ht_$n" "$PROFILE" "$n" 1400 >/dev/null 2>&1 || true
    f=$(find "$WORK" -maxdepth 1 -name "ht_$n.*" | head -n 1)
    put "heap_calls_$n" "$(heaptrack_print -f "$f" 2>/dev/null | sed -n 's/^calls to allocation functions: \([0-9]*\).*/\1/p')"
  done
fi

fi  # SCALE_ONLY

STEP="network namespaces"
echo "bench: namespaces $NS_C, $NS_S"
bench_netns_up "$NS_C" "$NS_S" "$WORK"

ip netns exec "$NS_S" iperf3 -s >"$WORK/iperf-server.log" 2>&1 &
IPERF_PID=$!
PIDS+=("$IPERF_PID")
sleep 0.3

# machine_cpu: "busy steal" in USER_HZ ticks since boot, all CPUs (/proc/stat: user + nice +
# system + irq + softirq; steal is time the hypervisor gave to other guests).
machine_cpu() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $9}' /proc/stat; }
# proc_ticks PID...: user + system CPU ticks (USER_HZ) of these processes, all their threads.
proc_ticks() {
  local p t=0
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$t"
}
# iperf_run KEY NS ADDR [ARGS]: one TCP iperf3 run. Puts KEY (received bits per second),
# KEY_cpu_per_gb (CPU seconds the whole machine was busy per GB received, /proc/stat: every
# process and the kernel, both ends, iperf3 included, and whatever else runs on the machine) and
# KEY_pcpu_per_gb (CPU seconds of the path's own processes per GB: the tunnel daemons listed in
# $PATH_PIDS and the iperf3 server from /proc/PID/stat, the iperf3 client from getrusage; kernel
# work counts where it runs in those processes' context, as TUN, socket and veth work does).
iperf_run() {
  local key=$1 ns=$2 addr=$3 b0 b1 s0 s1 p0 p1; shift 3
  # shellcheck disable=SC2086
  p0=$(proc_ticks $PATH_PIDS "$IPERF_PID")
  read -r b0 s0 <<<"$(machine_cpu)"
  ip netns exec "$ns" python3 -c 'import resource, subprocess, sys
rc = subprocess.run(sys.argv[2:]).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{r.ru_utime + r.ru_stime}\n")
sys.exit(rc)' "$WORK/iperf-client.cpu" iperf3 -c "$addr" -t "$SECONDS_RUN" -J "$@" >"$WORK/iperf.json"
  read -r b1 s1 <<<"$(machine_cpu)"
  # shellcheck disable=SC2086
  p1=$(proc_ticks $PATH_PIDS "$IPERF_PID")
  python3 - "$WORK/iperf.json" "$key" "$((b1 - b0))" "$((s1 - s0))" "$((p1 - p0))" "$(cat "$WORK/iperf-client.cpu")" >>"$R" <<'PY'
import json, sys
end = json.load(open(sys.argv[1]))["end"]["sum_received"]
key, busy, steal = sys.argv[2], int(sys.argv[3]) / 100, int(sys.argv[4]) / 100
procs = int(sys.argv[5]) / 100 + float(sys.argv[6])
gb = end["bytes"] / 1e9
print(f"{key}={int(end['bits_per_second'])}")
print(f"{key}_cpu_per_gb={busy / gb:.2f}" if gb > 0 else f"{key}_cpu_per_gb=")
print(f"{key}_pcpu_per_gb={procs / gb:.2f}" if gb > 0 else f"{key}_pcpu_per_gb=")
print(f"{key}_steal={steal:.2f}")
PY
}
PATH_PIDS=""
# ping_stats NS ADDR: "min avg" RTT in microseconds over $PINGS pings, 2 ms apart (low load).
ping_stats() {
  ip netns exec "$1" ping -n -q -c "$PINGS" -i 0.002 -W 1 "$2" |
    sed -n 's|.*= \([0-9.]*\)/\([0-9.]*\)/.*|\1 \2|p' | awk '{printf "%.0f %.0f\n", $1 * 1000, $2 * 1000}'
}

if [ $SCALE_ONLY -eq 0 ]; then
STEP="bare veth baseline"
echo "bench: bare veth: ping, iperf3 up and down (with GSO, then without)"
read -r bmin bavg <<<"$(ping_stats "$NS_C" 192.0.2.1)"
put bare_rtt_min "$bmin"; put bare_rtt_avg "$bavg"
# The latency floor of any user-space TUN tunnel on this machine: socat copying packets between
# a TUN and a UDP socket in each namespace (no crypto, no protocol) has the same two process
# wake-ups per direction as pptpx (TUN -> daemon -> socket, socket -> daemon -> TUN).
if command -v socat >/dev/null; then
  STEP="socat TUN<->UDP latency baseline"
  echo "bench: socat TUN<->UDP tunnel: ping (latency floor of a user-space TUN tunnel)"
  ip netns exec "$NS_S" socat UDP:192.0.2.2:5555,bind=192.0.2.1:5555 \
    TUN:203.0.113.1/24,tun-type=tun,iff-no-pi,iff-up,tun-name=pxsocat0 2>"$WORK/socat-s.log" &
  SOCAT_S=$!
  ip netns exec "$NS_C" socat UDP:192.0.2.1:5555,bind=192.0.2.2:5555 \
    TUN:203.0.113.2/24,tun-type=tun,iff-no-pi,iff-up,tun-name=pxsocat0 2>"$WORK/socat-c.log" &
  SOCAT_C=$!
  PIDS+=("$SOCAT_S" "$SOCAT_C")
  for _ in $(seq 1 50); do ip -n "$NS_C" link show pxsocat0 >/dev/null 2>&1 && break; sleep 0.1; done
  sleep 0.3
  read -r smin savg <<<"$(ping_stats "$NS_C" 203.0.113.1)"
  put socat_rtt_min "$smin"; put socat_rtt_avg "$savg"
  kill -TERM "$SOCAT_S" "$SOCAT_C" 2>/dev/null || true
  wait "$SOCAT_S" "$SOCAT_C" 2>/dev/null || true
fi
iperf_run bare_up "$NS_C" 192.0.2.1
iperf_run bare_down "$NS_C" 192.0.2.1 -R
# The same veth made to carry MTU-sized packets one by one (no GSO super-segments, MTU of the
# tunnel's inner packets + 36): what the kernel alone costs per packet, since the tunnel's GRE
# packets cross the veth one by one and its inner TCP runs without offloads today.
STEP="bare veth, no GSO, MTU 1436"
ip -n "$NS_C" link set veth-c gso_max_segs 1 mtu 1436
ip -n "$NS_S" link set veth-s gso_max_segs 1 mtu 1436
iperf_run bare_nogso_up "$NS_C" 192.0.2.1
iperf_run bare_nogso_down "$NS_C" 192.0.2.1 -R
ip -n "$NS_C" link set veth-c gso_max_segs 65535 mtu 1500
ip -n "$NS_S" link set veth-s gso_max_segs 65535 mtu 1500

for mode in $MODES; do
  STEP="tunnel ($mode)"
  # none: the baseline without RC4, the same tunnel with MPPE not negotiated.
  bench_server_config "$WORK/server.toml" "$WORK" pxbench0 "$mode"
  cargs=("${BENCH_CLIENT_ARGS[@]}")
  ip netns exec "$NS_S" "$BIN" server --config "$WORK/server.toml" >"$WORK/server-$mode.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  bench_wait_for "listening on" "$WORK/server-$mode.log" "$SERVER_PID" 5
  t0=$(date +%s%N)
  ip netns exec "$NS_C" "$BIN" client 192.0.2.1 --user bob --password-file "$WORK/password" "${cargs[@]}" \
    >"$WORK/client-$mode.log" 2>&1 &
  CLIENT_PID=$!
  PIDS+=("$CLIENT_PID")
  bench_wait_for "^connected:" "$WORK/client-$mode.log" "$CLIENT_PID" 15
  t1=$(date +%s%N)
  put "${mode}_connect_ms" "$(( (t1 - t0) / 1000000 ))"
  put "${mode}_negotiated" "$(sed -n 's/^connected: //p' "$WORK/client-$mode.log" | head -n 1)"
  echo "bench: tunnel $mode: $(sed -n 's/^connected: //p' "$WORK/client-$mode.log" | head -n 1)"

  PATH_PIDS="$SERVER_PID $CLIENT_PID"
  read -r tmin tavg <<<"$(ping_stats "$NS_C" 198.51.100.1)"
  put "${mode}_rtt_min" "$tmin"; put "${mode}_rtt_avg" "$tavg"
  echo "bench: tunnel $mode: iperf3 up and down, $SECONDS_RUN s each"
  iperf_run "${mode}_up" "$NS_C" 198.51.100.1
  iperf_run "${mode}_down" "$NS_C" 198.51.100.1 -R

  if command -v perf >/dev/null && [ "$mode" = none ]; then
    STEP="kernel share ($mode)"
    # Which part of the unencrypted tunnel's CPU is the kernel's (TUN, raw socket, veth, IP, both
    # iperf3 TCP stacks): sampled over the whole machine during an upload, idle time excluded.
    echo "bench: profile: kernel share of the CPU during an unencrypted upload"
    ip netns exec "$NS_C" iperf3 -c 198.51.100.1 -t 5 -J >"$WORK/iperf-kshare.json" &
    ip_pid=$!
    sleep 1
    perf record -e cpu-clock -F 999 -a -o "$WORK/perf-kshare.data" -- sleep 3 >/dev/null 2>&1 || true
    wait "$ip_pid" || true
    perf report -i "$WORK/perf-kshare.data" --stdio --sort comm,dso 2>/dev/null | grep -v '^#' | grep '%' |
      python3 -c '
import sys
total = kernel = 0.0
for line in sys.stdin:
    f = line.split()
    if len(f) < 3 or not f[0].endswith("%"):
        continue
    pct, comm, dso = float(f[0].rstrip("%")), f[1], " ".join(f[2:])
    if comm.startswith("swapper"):
        continue  # the idle loop
    total += pct
    if "kernel" in dso:
        kernel += pct
print(f"{kernel / total:.3f}" if total else "")' >"$WORK/kshare.txt" || true
    put none_kernel_share "$(cat "$WORK/kshare.txt")"
  fi
  if command -v perf >/dev/null && [ "$mode" = stateless ]; then
    STEP="profile ($mode)"
    echo "bench: profile: perf record (cpu-clock, whole machine) and syscall counts during an upload"
    ip netns exec "$NS_C" iperf3 -c 198.51.100.1 -t 6 -J >"$WORK/iperf-prof.json" &
    ip_pid=$!
    sleep 1
    p0=$(if_packets "$NS_S" veth-s)
    perf stat -e raw_syscalls:sys_enter -p "$SERVER_PID" -o "$WORK/perf-stat.txt" -- sleep 2 2>/dev/null || true
    p1=$(if_packets "$NS_S" veth-s)
    perf record -e cpu-clock -F 999 -a -o "$WORK/perf.data" -- sleep 2 >/dev/null 2>&1 || true
    wait "$ip_pid" || true
    sc=$(awk '/raw_syscalls:sys_enter/ {gsub(",", "", $1); print $1}' "$WORK/perf-stat.txt")
    put prof_server_syscalls "${sc:-0}"
    put prof_server_gre_packets "$((p1 - p0))"
    perf report -i "$WORK/perf.data" --stdio --sort comm,dso 2>/dev/null | grep -v '^#' | grep -v '^$' |
      head -n 14 >"$WORK/perf-dso.txt" || true
    perf report -i "$WORK/perf.data" --stdio --comm pptpx --sort dso,sym 2>/dev/null | grep -v '^#' | grep -v '^$' |
      head -n 16 >"$WORK/perf-sym.txt" || true
    if command -v strace >/dev/null; then
      ip netns exec "$NS_C" iperf3 -c 198.51.100.1 -t 4 -J >"$WORK/iperf-strace.json" &
      ip_pid=$!
      sleep 1
      p0=$(if_packets "$NS_S" veth-s)
      timeout -s INT 2 strace -c -f -p "$SERVER_PID" -o "$WORK/strace.txt" 2>/dev/null || true
      p1=$(if_packets "$NS_S" veth-s)
      wait "$ip_pid" || true
      put strace_gre_packets "$((p1 - p0))"
    fi
  fi

  STEP="stop ($mode)"
  PATH_PIDS=""
  kill -TERM "$CLIENT_PID"; wait "$CLIENT_PID" || true
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true
  CLIENT_PID="" SERVER_PID=""
done

# The VPNs a user would run instead (issue 17), over the same namespaces and veth with the same
# iperf3 and ping settings, each from its Debian package with its defaults except where noted:
#   wireguard-go: keys from `wg genkey`, configured with `wg set`; inner 203.0.113.33 <-> .34.
#   openvpn: 2.6 peer-to-peer over UDP, TLS with a self-signed EC certificate on each side
#     pinned by --peer-fingerprint (no CA), data channel AES-128-GCM, inner 203.0.113.65 <-> .66;
#     --disable-dco keeps its data path in user space like pptpx's and wireguard-go's (the
#     ovpn-dco kernel module is not a Debian 12 package).
# CPU per GB is measured as for pptpx's rows (iperf_run: whole machine, and the path's processes).
# peer_ready NS ADDR: until one ping gets through (at most ~10 s).
peer_ready() {
  local _
  for _ in $(seq 1 50); do
    ip netns exec "$1" ping -n -q -c 1 -W 0.2 "$2" >/dev/null 2>&1 && return 0
  done
  return 1
}
# peer_measure KEY NS ADDR: ping, iperf3 up and down through a peer VPN's tunnel.
peer_measure() {
  local tmin tavg
  read -r tmin tavg <<<"$(ping_stats "$2" "$3")"
  put "${1}_rtt_min" "$tmin"; put "${1}_rtt_avg" "$tavg"
  echo "bench: $1: iperf3 up and down, $SECONDS_RUN s each"
  iperf_run "${1}_up" "$2" "$3"
  iperf_run "${1}_down" "$2" "$3" -R
}
for peer in $PEERS; do
  case $peer in
    wireguard-go)
      STEP="peer: wireguard-go"
      command -v wireguard-go >/dev/null && command -v wg >/dev/null ||
        { echo "bench: wireguard-go/wg missing (scripts/deps.sh bench)" >&2; exit 1; }
      echo "bench: peer wireguard-go ($(wireguard-go --version 2>&1 | head -n 1))"
      put wg_version "$(wireguard-go --version 2>&1 | head -n 1)"
      WG_S="pxwg$$s" WG_C="pxwg$$c"
      (umask 077; wg genkey >"$WORK/wg-s.key"; wg genkey >"$WORK/wg-c.key")
      pids=()
      for side in "$NS_S $WG_S" "$NS_C $WG_C"; do
        read -r ns ifn <<<"$side"
        ip netns exec "$ns" env WG_PROCESS_FOREGROUND=1 wireguard-go "$ifn" >"$WORK/$ifn.log" 2>&1 &
        pids+=("$!"); PIDS+=("$!")
        for _ in $(seq 1 100); do ip netns exec "$ns" wg show "$ifn" >/dev/null 2>&1 && break; sleep 0.05; done
      done
      ip netns exec "$NS_S" wg set "$WG_S" private-key "$WORK/wg-s.key" listen-port 51820 \
        peer "$(wg pubkey <"$WORK/wg-c.key")" allowed-ips 203.0.113.34/32
      ip netns exec "$NS_C" wg set "$WG_C" private-key "$WORK/wg-c.key" \
        peer "$(wg pubkey <"$WORK/wg-s.key")" allowed-ips 203.0.113.33/32 endpoint 192.0.2.1:51820
      ip -n "$NS_S" addr add 203.0.113.33 peer 203.0.113.34 dev "$WG_S"
      ip -n "$NS_C" addr add 203.0.113.34 peer 203.0.113.33 dev "$WG_C"
      ip -n "$NS_S" link set "$WG_S" up
      ip -n "$NS_C" link set "$WG_C" up
      peer_ready "$NS_C" 203.0.113.33 || { echo "bench: no ping across wireguard-go" >&2; exit 1; }
      PATH_PIDS="${pids[*]}"
      put wg_mtu "$(ip -n "$NS_C" link show "$WG_C" | sed -n 's/.* mtu \([0-9]*\).*/\1/p')"
      peer_measure wg "$NS_C" 203.0.113.33
      PATH_PIDS=""
      kill -TERM "${pids[@]}" 2>/dev/null || true
      wait "${pids[@]}" 2>/dev/null || true
      ;;
    openvpn)
      STEP="peer: openvpn"
      command -v openvpn >/dev/null || { echo "bench: openvpn missing (scripts/deps.sh bench)" >&2; exit 1; }
      echo "bench: peer $(openvpn --version | head -n 1 | cut -d' ' -f1-2), UDP, AES-128-GCM, pinned self-signed certificates"
      put ovpn_version "$(openvpn --version | head -n 1 | cut -d' ' -f1-2)"
      for side in s c; do
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
          -subj "/CN=pxbench-$side" -keyout "$WORK/ovpn-$side.key" -out "$WORK/ovpn-$side.crt" 2>/dev/null
      done
      fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/^[^=]*=//'; }
      OV_S="pxov$$s" OV_C="pxov$$c"
      common=(--dev-type tun --proto udp --tls-version-min 1.2 --data-ciphers AES-128-GCM --disable-dco --verb 3)
      ip netns exec "$NS_S" openvpn "${common[@]}" --dev "$OV_S" --local 192.0.2.1 --lport 1194 \
        --ifconfig 203.0.113.65 203.0.113.66 --tls-server --dh none \
        --cert "$WORK/ovpn-s.crt" --key "$WORK/ovpn-s.key" --peer-fingerprint "$(fp "$WORK/ovpn-c.crt")" \
        >"$WORK/ovpn-s.log" 2>&1 &
      ov_s=$!; PIDS+=("$ov_s")
      ip netns exec "$NS_C" openvpn "${common[@]}" --dev "$OV_C" --remote 192.0.2.1 1194 --nobind \
        --ifconfig 203.0.113.66 203.0.113.65 --tls-client \
        --cert "$WORK/ovpn-c.crt" --key "$WORK/ovpn-c.key" --peer-fingerprint "$(fp "$WORK/ovpn-s.crt")" \
        >"$WORK/ovpn-c.log" 2>&1 &
      ov_c=$!; PIDS+=("$ov_c")
      bench_wait_for "Initialization Sequence Completed" "$WORK/ovpn-c.log" "$ov_c" 20 ||
        { tail -n 20 "$WORK/ovpn-c.log" "$WORK/ovpn-s.log" >&2; exit 1; }
      bench_wait_for "Initialization Sequence Completed" "$WORK/ovpn-s.log" "$ov_s" 20 ||
        { tail -n 20 "$WORK/ovpn-s.log" >&2; exit 1; }
      put ovpn_channel "$(grep -o "Data Channel: cipher '[^']*'" "$WORK/ovpn-c.log" | head -n 1)"
      put ovpn_tls "$(grep -o 'Control Channel: [^,]*' "$WORK/ovpn-c.log" | head -n 1)"
      put ovpn_mtu "$(ip -n "$NS_C" link show "$OV_C" | sed -n 's/.* mtu \([0-9]*\).*/\1/p')"
      peer_ready "$NS_C" 203.0.113.65 || { echo "bench: no ping across openvpn" >&2; exit 1; }
      PATH_PIDS="$ov_s $ov_c"
      peer_measure ovpn "$NS_C" 203.0.113.65
      PATH_PIDS=""
      kill -TERM "$ov_c" "$ov_s" 2>/dev/null || true
      wait "$ov_c" "$ov_s" 2>/dev/null || true
      ;;
    *) echo "bench: unknown peer '$peer' in BENCH_PEERS (wireguard-go, openvpn)" >&2; exit 2 ;;
  esac
done
fi  # SCALE_ONLY

STEP="scale: $SCALE_N sessions from pptpx bench"
# One server, shared TUN, a /32 route per client; every per-source limit lifted (all sessions
# come from the one load-generator address); log level warn (the daemon, not its log, is measured).
# One TCP socket per session on each side: raise the open-files limit to the hard limit.
ulimit -n "$(ulimit -Hn)"
cat >"$WORK/scale.toml" <<CONF
[listen]
address = "192.0.2.1"
[tun]
name = "pxscale0"
[ipv4]
server_address = "198.18.0.1"
pool = "198.18.0.10-198.18.127.254"
[auth]
methods = ["mschapv2"]
secrets_file = "$WORK/chap-secrets"
[mppe]
required = true
strengths = [128]
mode = "stateless"
[limits]
max_sessions = 40000
max_sessions_per_source = 40000
max_handshakes_in_progress = 65535
[limits.auth_lockout]
failures = 0
CONF
proc_kib() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }
proc_cpu() { awk '{printf "%.2f\n", ($14 + $15) / 100}' "/proc/$1/stat"; }  # user+sys seconds (USER_HZ 100)
ip netns exec "$NS_S" "$BIN" server --config "$WORK/scale.toml" --log-level warn >"$WORK/server-scale.log" 2>&1 &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
for _ in $(seq 1 100); do ip -n "$NS_S" link show pxscale0 >/dev/null 2>&1 && break; sleep 0.05; done
sleep 0.5
put scale_sessions "$SCALE_N"; put scale_rate_offered "$SCALE_RATE"; put scale_concurrency "$SCALE_CONC"
put scale_hold "$SCALE_HOLD"
put scale_rss0_kib "$(proc_kib "$SERVER_PID" VmRSS)"
put scale_cpu0 "$(proc_cpu "$SERVER_PID")"
put scale_fds0 "$(find "/proc/$SERVER_PID/fd" -mindepth 1 | wc -l)"
echo "bench: scale: $SCALE_N sessions at up to $SCALE_RATE/s (at most $SCALE_CONC setting up), held $SCALE_HOLD s"
BCMD=(bench 192.0.2.1 --sessions "$SCALE_N" --rate "$SCALE_RATE" --concurrency "$SCALE_CONC" --user bob
      --password-file "$WORK/password" --ping --hold "$SCALE_HOLD" --setup-timeout 60)
put scale_command "pptpx ${BCMD[*]//$WORK\//}"
ip netns exec "$NS_C" "$BIN" "${BCMD[@]}" >"$WORK/scale-bench.log" 2>&1 &
LG_PID=$!
PIDS+=("$LG_PID")
bench_wait_for "^bench: setup finished" "$WORK/scale-bench.log" "$LG_PID" 300 || true
sleep 1
put scale_rss1_kib "$(proc_kib "$SERVER_PID" VmRSS)"
put scale_hwm_kib "$(proc_kib "$SERVER_PID" VmHWM)"
put scale_cpu1 "$(proc_cpu "$SERVER_PID")"
put scale_lg_cpu "$(proc_cpu "$LG_PID")"
put scale_lg_rss_kib "$(proc_kib "$LG_PID" VmRSS)"
put scale_fds1 "$(find "/proc/$SERVER_PID/fd" -mindepth 1 | wc -l)"
put scale_routes "$(ip -n "$NS_S" route show dev pxscale0 | grep -c '^198\.18\.' || true)"
rc=0; wait "$LG_PID" || rc=$?
put scale_exit "$rc"
put scale_result "$(sed -n 's/^result: //p' "$WORK/scale-bench.log")"
cp "$WORK/scale-bench.log" "$WORK/scale-bench.txt"
sleep 0.5
put scale_routes_after "$(ip -n "$NS_S" route show dev pxscale0 | grep -c '^198\.18\.' || true)"
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true
SERVER_PID=""
echo "bench: scale: $(sed -n 's/^result: //p' "$WORK/scale-bench.log")"

put load_after "$(cut -d' ' -f1-3 /proc/loadavg)"

STEP="report"
python3 "$ROOT/scripts/bench_report.py" --scale "$WORK" "$R" >"$WORK/scale-report.md"
[ $SCALE_ONLY -eq 0 ] && python3 "$ROOT/scripts/bench_report.py" "$WORK" "$R" >"$WORK/report.md"
if [ $WRITE_DOC -eq 1 ]; then
  [ $SCALE_ONLY -eq 0 ] && python3 "$ROOT/scripts/bench_report.py" --splice "$ROOT/docs/benchmarks.md" "$WORK/report.md"
  python3 "$ROOT/scripts/bench_report.py" --splice-scale "$ROOT/docs/benchmarks.md" "$WORK/scale-report.md"
  echo "bench: wrote docs/benchmarks.md"
else
  [ $SCALE_ONLY -eq 0 ] && cat "$WORK/report.md"
  cat "$WORK/scale-report.md"
fi
echo "bench: done"
