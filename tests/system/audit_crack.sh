#!/usr/bin/env bash
# hashcat (Debian's package, CPU through pocl) must recover the shared captures' password from
# pptpx audit's own export lines: -m 5500 for MS-CHAPv2 and MS-CHAPv1, -m 4800 for CHAP-MD5,
# with a four-word list. Bounded: each hashcat run has a 400 s limit. The first run on a machine
# compiles hashcat's OpenCL kernels (about 2-3 min per mode on 2 cores); later runs take ~15 s
# each from the kernel cache.
set -euo pipefail
BIN=${PPTPX_BIN:?set PPTPX_BIN to the pptpx binary}
CAPS=${PPTPX_SHARED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}/captures
command -v hashcat >/dev/null || { echo "audit_crack: FAIL: hashcat missing (scripts/deps.sh test)"; exit 1; }
WORK=$(mktemp -d /tmp/pptpx-audit-crack.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
printf 'password\nletmein\nTunnel-Lab-7\nhunter2\n' >"$WORK/words"
crack() {  # MODE CAPTURE FORMAT
  "$BIN" audit "$CAPS/$2" --export "$3" >"$WORK/h"
  [ -s "$WORK/h" ] || { echo "audit_crack: FAIL: no $3 line from $2"; exit 1; }
  timeout 400 nice hashcat -m "$1" -a 0 --potfile-disable --quiet --force -D 1,2 \
    --session "pptpx-audit-$$" -o "$WORK/found" --outfile-format 2 "$WORK/h" "$WORK/words" >"$WORK/log" 2>&1 || true
  if [ "$(cat "$WORK/found" 2>/dev/null)" != "Tunnel-Lab-7" ]; then
    tail -5 "$WORK/log"; echo "audit_crack: FAIL: hashcat -m $1 did not recover the password from $2 ($3)"; exit 1
  fi
  rm -f "$WORK/found"
  echo "  hashcat -m $1: $2 -> Tunnel-Lab-7"
}
crack 5500 mschapv2-mppe128.pcap hashcat-5500
crack 5500 mschapv1-mppe128.pcap hashcat-5500
crack 4800 chapmd5-plain.pcap hashcat-4800
echo "audit_crack: PASS"
