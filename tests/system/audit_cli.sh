#!/usr/bin/env bash
# `pptpx audit` from the command line over the shared captures (about 5 s, no root needed):
# the JSON report's fields and grade, decryption to a pcap that tshark reads back (six ICMP
# echoes with the capture's original timestamps), the export lines, and bad input (not a
# capture, unknown link type, truncated capture, no PPTP) failing with one clear message and the
# documented exit status; the tracking bounds' evictions.
set -euo pipefail
BIN=${PPTPX_BIN:?set PPTPX_BIN to the pptpx binary}
CAPS=${PPTPX_SHARED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}/captures
WORK=$(mktemp -d /tmp/pptpx-audit-cli.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "audit_cli: FAIL: $*"; exit 1; }

# 1. JSON: one session, MS-CHAPv2 success for bob, MPPE-128 stateless both ways, the NT hash
#    tail (the last two octets of MD4("Tunnel-Lab-7" in UTF-16LE), computed here by Python).
"$BIN" audit "$CAPS/mschapv2-mppe128.pcap" --json >"$WORK/r.json"
tail2=$(python3 - <<'PY'
# MD4 (RFC 1320) written out here, independent of pptpx and of OpenSSL's legacy provider.
import struct
def md4(m):
    f=lambda x,y,z:(x&y)|(~x&z); g=lambda x,y,z:(x&y)|(x&z)|(y&z); h=lambda x,y,z:x^y^z
    rl=lambda x,n:((x<<n)|(x>>(32-n)))&0xffffffff
    l=len(m)*8; m+=b'\x80'; m+=b'\0'*((56-len(m)%64)%64); m+=struct.pack('<Q',l)
    a,b,c,d=0x67452301,0xefcdab89,0x98badcfe,0x10325476
    for i in range(0,len(m),64):
        X=struct.unpack('<16I',m[i:i+64]); A,B,C,D=a,b,c,d
        for k in range(16):
            s=[3,7,11,19][k%4]; t=(A+f(B,C,D)+X[k])&0xffffffff; A,B,C,D=D,rl(t,s),B,C
        for k in range(16):
            s=[3,5,9,13][k%4]; j=[0,4,8,12,1,5,9,13,2,6,10,14,3,7,11,15][k]; t=(A+g(B,C,D)+X[j]+0x5a827999)&0xffffffff; A,B,C,D=D,rl(t,s),B,C
        for k in range(16):
            s=[3,9,11,15][k%4]; j=[0,8,4,12,2,10,6,14,1,9,5,13,3,11,7,15][k]; t=(A+h(B,C,D)+X[j]+0x6ed9eba1)&0xffffffff; A,B,C,D=D,rl(t,s),B,C
        a,b,c,d=(a+A)&0xffffffff,(b+B)&0xffffffff,(c+C)&0xffffffff,(d+D)&0xffffffff
    return struct.pack('<4I',a,b,c,d)
print(md4("Tunnel-Lab-7".encode('utf-16le'))[14:].hex())
PY
)
python3 - "$WORK/r.json" "$tail2" <<'PY' || fail "JSON report"
import json, sys
r = json.load(open(sys.argv[1])); tail = sys.argv[2]
assert r["version"] == 1 and len(r["sessions"]) == 1, r
s = r["sessions"][0]
assert s["pns"]["ip"] == "192.0.2.3" and s["pac"]["ip"] == "192.0.2.2", s
h = s["handshakes"][0]
assert (h["method"], h["user"], h["outcome"]) == ("MS-CHAPv2", "bob", "success"), h
assert h["nt_hash_last2"] == tail, (h["nt_hash_last2"], tail)
assert s["mppe"] == {"pns_to_pac": "128-bit stateless", "pac_to_pns": "128-bit stateless"}, s["mppe"]
assert s["ipcp"] == {"pns": "198.51.100.10", "pac": "198.51.100.1"}, s["ipcp"]
assert s["grade"]["level"] == "broken", s["grade"]
assert h["exports"]["chapcrack"].startswith("$99$") and h["exports"]["hashcat_5500"].startswith("bob::::")
PY

# 2. Decryption to a pcap: tshark must read six ICMP echoes (3 requests, 3 replies), with the
#    timestamps of the GRE packets that carried them in the original capture.
"$BIN" audit "$CAPS/mschapv2-mppe40.pcap" --password bob=Tunnel-Lab-7 -o "$WORK/inner.pcap" >"$WORK/r.txt"
grep -q "inner IP packets written to $WORK/inner.pcap" "$WORK/r.txt" || fail "no decrypted count"
n=$(tshark -r "$WORK/inner.pcap" -Y 'icmp.type==8 || icmp.type==0' 2>/dev/null | wc -l)
[ "$n" = 6 ] || fail "tshark saw $n ICMP echoes in the decrypted pcap, want 6"
t_inner=$(tshark -r "$WORK/inner.pcap" -Y 'icmp.type==8' -T fields -e frame.time_epoch 2>/dev/null | head -1)
t_outer=$(tshark -r "$CAPS/mschapv2-mppe40.pcap" -Y 'gre && frame.len > 130' -T fields -e frame.time_epoch 2>/dev/null |
          grep -c "^${t_inner%???}" || true)
[ "$t_outer" -ge 1 ] || fail "the first echo request's time $t_inner is not a GRE packet's time in the capture"

# 3. Export lines, one per handshake.
"$BIN" audit "$CAPS/mschapv1-mppe128.pcap" --export hashcat-5500 >"$WORK/e"
[ "$(wc -l <"$WORK/e")" = 1 ] && grep -Eq '^bob::::[0-9a-f]{48}:[0-9a-f]{16}$' "$WORK/e" || fail "5500 export: $(cat "$WORK/e")"
"$BIN" audit "$CAPS/chapmd5-plain.pcap" --export hashcat-4800 >"$WORK/e"
grep -Eq '^[0-9a-f]{32}:[0-9a-f]{32}:[0-9a-f]{2}$' "$WORK/e" || fail "4800 export: $(cat "$WORK/e")"

# 4. Wordlist: the handshake falls (the password itself is only printed with --show), the second
#    pass decrypts with it; `audit secrets` names the users whose password is in the list.
printf 'password\nTunnel-Lab-7\nhunter2\n' >"$WORK/words"
"$BIN" audit "$CAPS/mschapv1-mppe128.pcap" --wordlist "$WORK/words" -o "$WORK/wl.pcap" >"$WORK/r.txt"
grep -q "fell       session 1 MS-CHAPv1 user 'bob': password found (12 characters" "$WORK/r.txt" || fail "wordlist: $(tail -4 "$WORK/r.txt")"
grep -q "candidates/s" "$WORK/r.txt" || fail "no candidates/s"
! grep -q "Tunnel-Lab-7" "$WORK/r.txt" || fail "the password printed without --show"
[ "$(tshark -r "$WORK/wl.pcap" -Y 'icmp' 2>/dev/null | wc -l)" = 6 ] || fail "wordlist hit did not decrypt"
printf 'bob * "Tunnel-Lab-7" *\ncarol * nthash:44EBBA8D5312B8D611474411F56989AE *\ndave * "not-in-the-list" *\n' >"$WORK/secrets"
printf 'clientPass\n' >>"$WORK/words"
set +e; "$BIN" audit secrets "$WORK/secrets" --wordlist "$WORK/words" >"$WORK/s.txt"; rc=$?; set -e
[ $rc = 1 ] || fail "audit secrets exited $rc, want 1 (users found)"
grep -q "user 'bob' (plaintext): password in the wordlist" "$WORK/s.txt" || fail "secrets: $(cat "$WORK/s.txt")"
grep -q "user 'carol' (nthash): password in the wordlist" "$WORK/s.txt" || fail "secrets: $(cat "$WORK/s.txt")"
! grep -q "dave\|Tunnel-Lab-7\|clientPass" "$WORK/s.txt" || fail "secrets printed too much: $(cat "$WORK/s.txt")"

# 5. Bad input. Exit status: 2 nothing readable, 1 no PPTP, 3 truncated part way.
expect_fail() {  # STATUS PATTERN ARGS...
  local want=$1 pat=$2; shift 2
  set +e; "$BIN" audit "$@" >"$WORK/out" 2>"$WORK/err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || fail "audit $* exited $rc, want $want ($(cat "$WORK/err"))"
  grep -q "$pat" "$WORK/err" || fail "audit $*: message '$(cat "$WORK/err")' lacks '$pat'"
  [ "$(wc -l <"$WORK/err")" -le 2 ] || fail "audit $*: more than one sentence: $(cat "$WORK/err")"
}
echo "not a capture" >"$WORK/text.pcap"
expect_fail 2 "cannot read $WORK/text.pcap as a pcap or pcapng capture" "$WORK/text.pcap"
expect_fail 2 "cannot read $WORK/missing.pcap" "$WORK/missing.pcap"
python3 - "$WORK" <<'PY'
import struct, sys
w = sys.argv[1]
# pcap with link type 189 (USB Linux) and one frame; and an Ethernet pcap with one UDP datagram.
hdr = lambda lt: struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, lt)
open(w + '/usb.pcap', 'wb').write(hdr(189) + struct.pack('<IIII', 1, 0, 4, 4) + b'abcd')
ip = bytes.fromhex('4500001c00010000401100000a0000010a000002') + bytes.fromhex('0035003500080000')
eth = b'\x02' * 12 + b'\x08\x00' + ip
open(w + '/udp.pcap', 'wb').write(hdr(1) + struct.pack('<IIII', 1, 0, len(eth), len(eth)) + eth)
PY
expect_fail 2 "link type 189" "$WORK/usb.pcap"
expect_fail 1 "no PPTP found" "$WORK/udp.pcap"
size=$(stat -c %s "$CAPS/pap-plain.pcap")
head -c $((size / 2 + 7)) "$CAPS/pap-plain.pcap" >"$WORK/cut.pcap"
expect_fail 3 "corrupt or truncated after frame" "$WORK/cut.pcap"
grep -q "session 1" "$WORK/out" || fail "no report for the frames before the damage"
expect_fail 2 "USER=PASSWORD" "$CAPS/pap-plain.pcap" --password bob
expect_fail 2 "max-sessions must be at least 1" "$CAPS/pap-plain.pcap" --max-sessions 0

# 6. Tracking bounds (docs/audit.md "Bounded memory"): three captures read as one input with room
#    for one session and one control connection keep the last of each and report the rest.
"$BIN" audit "$CAPS/pap-plain.pcap" "$CAPS/chapmd5-plain.pcap" "$CAPS/mschapv2-mppe40.pcap" \
  --max-sessions 1 --max-connections 1 --json >"$WORK/b.json"
python3 - "$WORK/b.json" <<'PY' || fail "tracking bounds: $(head -c 600 "$WORK/b.json")"
import json, sys
j = json.load(open(sys.argv[1]))
ev, lim = j["tracking"]["evicted"], j["tracking"]["limits"]
assert lim["sessions"] == 1 and lim["connections"] == 1, lim
assert ev["sessions"] == 2 and ev["connections"] == 2, ev
assert len(j["sessions"]) == 1 and j["sessions"][0]["index"] == 3, j["sessions"]
PY
echo "audit_cli: PASS"
