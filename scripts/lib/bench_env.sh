# Shared by scripts/bench.sh and scripts/bench_offload.sh: two namespaces joined by a veth
# (192.0.2.2 client side, 192.0.2.1 server side, no route out), the test user's secrets, and the
# server configuration of one MPPE-128 (or unencrypted) tunnel. Source it; the caller owns
# $WORK, the namespace names and the clean-up.

# bench_wait_for PATTERN FILE PID SECONDS: until PATTERN shows in FILE; fails if PID exits or time runs out.
bench_wait_for() {
  local _
  for _ in $(seq 1 $(($4 * 20))); do
    grep -q -- "$1" "$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# bench_netns_up NS_C NS_S WORK: the namespaces, the veth, and WORK/password + WORK/chap-secrets (user bob).
bench_netns_up() {
  local nc=$1 ns=$2 work=$3
  ip netns add "$nc"
  ip netns add "$ns"
  ip link add veth-c netns "$nc" type veth peer name veth-s netns "$ns"
  ip -n "$nc" addr add 192.0.2.2/24 dev veth-c
  ip -n "$ns" addr add 192.0.2.1/24 dev veth-s
  ip -n "$nc" link set lo up
  ip -n "$ns" link set lo up
  ip -n "$nc" link set veth-c up
  ip -n "$ns" link set veth-s up
  (umask 077
   printf 'Tunnel-Lab-7\n' >"$work/password"
   printf '%s\n' '# client server secret addresses' 'bob * "Tunnel-Lab-7" *' >"$work/chap-secrets")
}

# if_packets NS DEV: RX + TX packets of an interface (on the veth: the GRE packets; a TUN with
# offloads counts a 64 KiB super-segment as one packet).
if_packets() {
  ip -n "$1" -s link show "$2" | awk '/RX:/ {getline; rx=$2} /TX:/ {getline; tx=$2} END {print rx + tx}'
}

# bench_server_config FILE WORK TUN_NAME MODE [TUN_LINE...]: the server's TOML for one tunnel,
# MODE stateless|stateful (MPPE-128 required) or none (MPPE not negotiated: a baseline, never a
# deployment setting). Sets the array BENCH_CLIENT_ARGS to the matching client options.
bench_server_config() {
  local file=$1 work=$2 tun=$3 mode=$4 line; shift 4
  {
    printf '[listen]\naddress = "192.0.2.1"\n[tun]\nname = "%s"\n' "$tun"
    for line in "$@"; do printf '%s\n' "$line"; done
    printf '[ipv4]\nserver_address = "198.51.100.1"\npool = "198.51.100.10-198.51.100.20"\n'
    printf '[auth]\nmethods = ["mschapv2"]\nsecrets_file = "%s"\n' "$work/chap-secrets"
    if [ "$mode" = none ]; then
      printf '[mppe]\nrequired = false\n'
    else
      printf '[mppe]\nrequired = true\nstrengths = [128]\nmode = "%s"\n' "$mode"
    fi
  } >"$file"
  case $mode in
    none) BENCH_CLIENT_ARGS=(--mppe none --mppe-optional) ;;
    stateful) BENCH_CLIENT_ARGS=(--mppe 128 --mppe-stateful) ;;
    *) BENCH_CLIENT_ARGS=(--mppe 128) ;;
  esac
}
