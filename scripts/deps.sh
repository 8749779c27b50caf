#!/usr/bin/env bash
# Installs the Debian 12 packages pptpx needs to build, test and demo, if any are missing.
# Usage: scripts/deps.sh [build|test|demo|bench|fuzz]...   (default: build)
set -euo pipefail
want=(cmake ninja-build g++ pkg-config libssl-dev libpcap-dev libgtest-dev libgmock-dev libbenchmark-dev
      libasio-dev libcli11-dev libtomlplusplus-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
      libsystemd-dev prometheus-cpp-dev libqrencode-dev libpng-dev)
for role in "${@:-build}"; do
  case "$role" in
    build) ;;
    test|demo) want+=(iproute2 iputils-ping iperf3 nftables procps psmisc tshark python3 openresolv
               jq dpkg-dev man-db systemd logrotate freeradius freeradius-utils curl prometheus) ;;&
    test) want+=(hashcat pocl-opencl-icd chromium wireguard-go wireguard-tools zbar-tools openssl) ;;
    demo) ;;
    bench) want+=(iperf3 valgrind linux-perf socat wireguard-go wireguard-tools openvpn) ;;
    fuzz) want+=(clang-14 libclang-rt-14-dev) ;;
    *) echo "deps.sh: unknown role '$role' (use build, test, demo, bench or fuzz)" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "deps.sh: missing Debian packages: ${missing[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  echo "deps.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
