#!/usr/bin/env bash
# `pptpx audit --html`: headless Chromium (Debian's chromium) opens the page, its DOM must hold
# the sessions table (five rows for the five shared captures) and the SVG timeline (five session
# bars), and its screenshot must show the timeline bars: at least 4,000 more pixels of the
# "broken" colour (#e67e22, four sessions) than a screenshot of the same page without its SVG
# (the grade badges alone). About 30 s; no root, no network.
set -euo pipefail
BIN=${PPTPX_BIN:?set PPTPX_BIN to the pptpx binary}
CAPS=${PPTPX_SHARED_DIR:-$(cd "$(dirname "$0")/../.." && pwd)/../shared}/captures
command -v chromium >/dev/null || { echo "audit_html: FAIL: chromium missing (scripts/deps.sh test)"; exit 1; }
WORK=$(mktemp -d /tmp/pptpx-audit-html.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "audit_html: FAIL: $*"; exit 1; }
"$BIN" audit "$CAPS"/mschapv2-mppe128.pcap "$CAPS"/mschapv2-mppe40.pcap "$CAPS"/mschapv1-mppe128.pcap \
  "$CAPS"/chapmd5-plain.pcap "$CAPS"/pap-plain.pcap --html "$WORK/r.html" >/dev/null
chrome() { timeout 90 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/profile" "$@" 2>/dev/null; }
chrome --dump-dom "file://$WORK/r.html" >"$WORK/dom.html" || fail "chromium could not load the page"
python3 - "$WORK/dom.html" <<'PY' || fail "DOM"
import sys, html.parser
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.stack = []; s.rows = 0; s.bars = 0; s.svg = False; s.table = False
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == "table" and a.get("id") == "sessions": s.table = True
        if tag == "tr" and s.table: s.rows += 1
        if tag == "svg" and a.get("id") == "timeline": s.svg = True
        if tag == "rect" and a.get("class") == "session": s.bars += 1
    def handle_endtag(s, tag):
        if tag == "table": s.table = False
p = P(); p.feed(open(sys.argv[1]).read())
assert p.svg, "no timeline"
assert p.rows == 6, f"{p.rows} table rows, want header + 5"
assert p.bars == 5, f"{p.bars} session bars, want 5"
PY
python3 -c "import re,sys; t=open(sys.argv[1]).read(); open(sys.argv[2],'w').write(re.sub(r'<svg.*?</svg>', '', t, flags=re.S))" \
  "$WORK/r.html" "$WORK/nosvg.html"
count() {  # PNG -> pixels of #e67e22
python3 - "$1" <<'PY'
# PNG decoder for 8-bit RGB/RGBA (RFC 2083), enough to count pixels without extra packages.
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat = 8, b''
while pos < len(d):
    n, = struct.unpack('>I', d[pos:pos+4]); kind = d[pos+4:pos+8]; body = d[pos+8:pos+8+n]; pos += 12 + n
    if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    if kind == b'IDAT': idat += body
assert depth == 8 and ctype in (2, 6), (depth, ctype)
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(idat); stride = w * bpp; prev = bytearray(stride); i = 0; orange = 0
for y in range(h):
    f = raw[i]; line = bytearray(raw[i+1:i+1+stride]); i += 1 + stride
    for x in range(stride):
        a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p-a), abs(p-b), abs(p-c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        if abs(line[x]-230) < 6 and abs(line[x+1]-126) < 6 and abs(line[x+2]-34) < 6: orange += 1
    prev = line
print(orange)
PY
}
chrome --screenshot="$WORK/shot.png" --window-size=1000,2200 "file://$WORK/r.html" >/dev/null || fail "no screenshot"
chrome --screenshot="$WORK/nosvg.png" --window-size=1000,2200 "file://$WORK/nosvg.html" >/dev/null || fail "no screenshot"
with=$(count "$WORK/shot.png") || fail "cannot read the screenshot"
without=$(count "$WORK/nosvg.png") || fail "cannot read the screenshot"
echo "  #e67e22 pixels: $with with the timeline, $without without"
[ "$without" -gt 1000 ] || fail "the grade badges did not render ($without pixels)"
[ $((with - without)) -ge 4000 ] || fail "the timeline bars did not render ($with vs $without pixels)"
echo "audit_html: PASS"
