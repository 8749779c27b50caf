#!/usr/bin/env bash
# `pptpx audit --interface`: live on the server's veth in a namespace tunnel (MS-CHAPv2, MPPE-128
# stateful) while the client connects, pings and hangs up; SIGINT stops the audit, which must
# report that session with user bob, its grade, and the pings decrypted (given the password).
# About 15 s; root (namespaces, CAP_NET_RAW).
set -euo pipefail
TN_NAME=audlive
source "$(dirname "$0")/lib/tunnel_env.sh"
tn_setup
tn_server_config '"mschapv2"' true 128 stateful
tn_start_server
ip netns exec "$NS_S" "$BIN" audit --interface veth-s --json --password bob=Tunnel-Lab-7 -o "$WORK/inner.pcap" \
  >"$WORK/audit.json" 2>"$WORK/audit.log" &
AUDIT_PID=$!
TN_PIDS+=("$AUDIT_PID")
tn_wait_for "capturing on veth-s" "$WORK/audit.log" "$AUDIT_PID" 10 || tn_fail "the audit did not start: $(cat "$WORK/audit.log")"
tn_start_client "$WORK/client.log" --user bob --mppe 128 --mppe-stateful
tn_wait_for "^connected:" "$WORK/client.log" "$CLIENT_PID" 15 || tn_fail "the client did not connect"
ip netns exec "$NS_C" ping -n -q -c 3 -i 0.2 -W 2 198.51.100.1 >/dev/null || tn_fail "ping through the tunnel"
tn_stop_client "$CLIENT_PID"
sleep 0.5  # let the last control messages reach the capture (bounded; not an assertion)
kill -INT "$AUDIT_PID"
rc=0
timeout 20 tail --pid="$AUDIT_PID" -f /dev/null || tn_fail "the audit did not stop on SIGINT"
wait "$AUDIT_PID" || rc=$?
[ $rc -eq 0 ] || tn_fail "the audit exited $rc: $(cat "$WORK/audit.log")"
python3 - "$WORK/audit.json" <<'PY' || tn_fail "audit report: $(head -c 3000 "$WORK/audit.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["sessions"]) == 1, len(r["sessions"])
s = r["sessions"][0]
assert s["pns"]["ip"] == "192.0.2.2" and s["pac"]["ip"] == "192.0.2.1", (s["pns"], s["pac"])
h = s["handshakes"][0]
assert (h["method"], h["user"], h["outcome"]) == ("MS-CHAPv2", "bob", "success"), h
assert s["mppe"]["pns_to_pac"] == "128-bit stateful", s["mppe"]
assert s["grade"]["level"] == "exposed" and any("MS-CHAPv2" in f for f in s["grade"]["findings"]), s["grade"]
t = s["traffic"]
assert t["pns_to_pac"]["decrypted"] >= 3 and t["pac_to_pns"]["decrypted"] >= 3, t
assert s["end_reason"] != "still running when the capture ended", s["end_reason"]
PY
n=$(tshark -r "$WORK/inner.pcap" -Y 'icmp.type==8 || icmp.type==0' 2>/dev/null | wc -l)
[ "$n" -ge 6 ] || tn_fail "the decrypted pcap holds $n ICMP echoes, want 6"
tn_stop_server
echo "audit_live: PASS"
