#!/usr/bin/env python3
"""Hostile PPTP peers for tests/system/hostile_peers.sh (issue 6). Each case talks to a live
server and prints one line "case: outcome". TCP cases must end with the server closing the
connection (recv -> b'' or a reset) within --wait seconds; GRE cases only send (the server
drops and counts). Message layout from RFC 2637 §2 (Length, PPTP Message Type 1, Magic Cookie
0x1A2B3C4D, Control Message Type, Reserved0) and §4.1 (enhanced GRE header).
Cases on a live call (issue 6) learn its Call ID and sequence numbers by watching the client's
own GRE packets to the server on --iface (an AF_PACKET socket in the client's namespace), then
send from the client's address:
  gre-live-far-seq  sequence numbers far outside the window (a consistent run 5000+ ahead, and
                    scattered ones half the number space away): dropped and counted;
  mppe-bad-count    PPP frames with MPPE headers whose coherency count is stale (the current one,
                    one behind, and 2048+ ahead: RFC 3078 §8.1 / mppe.hpp), with the next
                    sequence numbers so that the GRE window passes them to MPPE: dropped, counted.
lcp-never-converges runs PPTP control and a call correctly, then answers every LCP
Configure-Request of the server with a Configure-Nak (--mode nak) or Configure-Reject of all its
options (--mode reject), and sends Configure-Requests with an unknown option: the server must end
the call by itself (setup deadline, Max-Configure or Max-Failure, RFC 1661 §4.6).
ipcp-never-converges does PPTP, LCP and PAP right (the server must allow PAP: --user/--password),
Protocol-Rejects CCP, then Naks (--mode nak: a new address each time) or Rejects (--mode reject)
every IPCP Configure-Request of the server and keeps asking for 0.0.0.0 whatever the server
Naks: the server must end the call by itself (IPCP's Max-Failure, RFC 1661 §4.6, then
Terminate-Request, which this peer Acks; the network-setup deadline is the backstop).
gre-spray and mppe-key-flood (issue 19): see hostile_data.py.
Usage: hostile_peer.py SERVER CASE [--wait S] [--count N] [--source ADDR] [--iface IF] [--mode M]
                       [--user U --password P]"""
import argparse, random, select, socket, struct, sys, time

from pptp_wire import GreCall, cp_options, ctrl, gre_packet, ocrq_body, sccrq_body

def closed_by_server(s, wait):
    """True if the server closes (FIN or RST) within `wait` seconds, reading whatever it sends."""
    s.settimeout(wait)
    end = time.monotonic() + wait
    try:
        while time.monotonic() < end:
            if not s.recv(4096):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False


def tcp_case(server, payload, wait, trickle=0.0):
    s = socket.create_connection((server, 1723), timeout=5)
    try:
        if trickle:
            for b in payload:
                s.send(bytes([b]))
                time.sleep(trickle)
        else:
            s.sendall(payload)
    except (ConnectionResetError, BrokenPipeError):
        return True
    ok = closed_by_server(s, wait)
    s.close()
    return ok


def watch_client_gre(iface, server, wait, a_needs_mppe=False):
    """The next data packet the client sends to `server` (seen on `iface`): (Call ID, seq, its
    MPPE coherency count or None)."""
    ETH_P_ALL = 0x0003  # only "all protocols" taps see outgoing packets
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    dst = socket.inet_aton(server)
    end = time.monotonic() + wait
    try:
        while time.monotonic() < end:
            r, _, _ = select.select([s], [], [], 0.2)
            if not r:
                continue
            frame, addr = s.recvfrom(65535)
            if addr[2] != socket.PACKET_OUTGOING:
                continue
            if frame[12:14] != b"\x08\x00":  # Ethernet type IPv4
                continue
            ip = frame[14:]
            if len(ip) < 20 or ip[9] != 47 or ip[16:20] != dst:
                continue
            gre = ip[(ip[0] & 0x0F) * 4:]
            if len(gre) < 12 or not gre[0] & 0x10:  # S bit: a data packet carries a number
                continue
            call_id, seq = struct.unpack("!HI", gre[6:12])
            ppp = gre[12 + (4 if gre[1] & 0x80 else 0):]
            if ppp[:2] == b"\xff\x03":
                ppp = ppp[2:]
            proto_len = 1 if ppp[:1] == b"\xfd" else 2  # RFC 1661 §6.5 protocol field compression
            count = None
            if ppp[:proto_len] in (b"\xfd", b"\x00\xfd") and len(ppp) >= proto_len + 2:
                count = struct.unpack("!H", ppp[proto_len:proto_len + 2])[0] & 0x0FFF
            if a_needs_mppe and count is None:
                continue
            return call_id, seq, count
    finally:
        s.close()
    return None


def gre_live_case(a):
    seen = watch_client_gre(a.iface, a.server, a.wait, a.case == "mppe-bad-count")
    if seen is None:
        print(f"{a.case}: saw no GRE data packet from the client on {a.iface}")
        return 1
    call_id, seq, mppe_count = seen
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
    sent = 0
    if a.case == "gre-live-far-seq":
        ppp = b"\xff\x03\x00\xfd" + b"\x90\x00" + bytes(40)  # never reaches PPP
        for i in range(a.count // 2):  # a consistent run, each just after the previous
            r.sendto(gre_packet(call_id, seq + 5000 + i, ppp), (a.server, 0))
            sent += 1
        rnd = random.Random(6)
        for i in range(a.count - a.count // 2):  # scattered around the far half of the space
            r.sendto(gre_packet(call_id, seq + 0x80000000 + rnd.randrange(-2**30, 2**30), ppp), (a.server, 0))
            sent += 1
        print(f"{a.case}: client call {call_id} at sequence {seq}; sent {sent} datagrams 5000+ and ~2^31 ahead")
        return 0
    # mppe-bad-count: the very next numbers, so the window delivers them to MPPE (the client's
    # own packets with these numbers are then duplicates: it loses as many as we send).
    rnd = random.Random(7)
    for i in range(a.count):
        # Relative to the count the client just used (the server's receiver is there or a few
        # packets further): the same count, one and 100 behind, and 2064+ ahead, which a 12-bit
        # space cannot tell from old (RFC 3078 §8.1; mppe.hpp kMppeMaxStatelessJump).
        delta = [0, -1, -100, 2064 + rnd.randrange(0, 2000)][i % 4]
        count = (mppe_count + delta) & 0x0FFF
        # RFC 3078 §3.1: A (flushed) | D (encrypted) | 12-bit coherency count; protocol 0x00FD.
        hdr = 0x9000 | count
        ppp = b"\xff\x03\x00\xfd" + struct.pack("!H", hdr) + bytes(rnd.randrange(256) for _ in range(60))
        r.sendto(gre_packet(call_id, seq + 1 + i, ppp), (a.server, 0))
        sent += 1
    print(f"{a.case}: client call {call_id} after sequence {seq}; sent {sent} MPPE packets with bad coherency counts")
    return 0


def read_exact(s, n):
    b = b""
    while len(b) < n:
        c = s.recv(n - len(b))
        if not c:
            raise ConnectionError("closed")
        b += c
    return b


def read_ctrl(s):
    hdr = read_exact(s, 2)
    (n,) = struct.unpack("!H", hdr)
    return hdr + read_exact(s, n - 2)


def open_call(a, my_call):
    """PPTP control connection and Outgoing-Call done right (RFC 2637 §2.1-§2.8). Returns a
    GreCall, or None after saying what went wrong."""
    s = socket.create_connection((a.server, 1723), timeout=5)
    s.sendall(ctrl(1, sccrq_body()))
    m = read_ctrl(s)
    if struct.unpack("!H", m[8:10])[0] != 2:
        print(f"{a.case}: no Start-Control-Connection-Reply")
        return None
    s.sendall(ctrl(7, ocrq_body(my_call)))
    m = read_ctrl(s)
    if struct.unpack("!H", m[8:10])[0] != 8 or m[16] != 1:  # RFC 2637 §2.8: Result 1 = connected
        print(f"{a.case}: no Outgoing-Call-Reply with Result 1")
        return None
    return GreCall(a.server, s, struct.unpack("!H", m[12:14])[0], my_call)


def pap_request(user, password):
    u, pw = user.encode(), password.encode()  # RFC 1334 §2.2.1: Authenticate-Request
    return bytes([len(u)]) + u + bytes([len(pw)]) + pw


def lcp_case(a):
    """PPTP control and a call done right, then an LCP negotiation that never converges."""
    start = time.monotonic()
    c = open_call(a, 0x4242)
    if c is None:
        return 1
    ident = 0x10
    naks = rejects = requests = 0
    rnd = random.Random(5)
    next_req = 0.0
    closed = False
    while time.monotonic() - start < a.wait:
        now = time.monotonic()
        if now >= next_req:  # our own request: an option nobody knows, so it is always rejected
            c.send_cp(0xC021, 1, ident, bytes([0xFE, 4, 0, 0]))
            ident, requests, next_req = (ident + 1) & 0xFF, requests + 1, now + 1.0
        f = c.poll()
        if f == GreCall.CLOSED:
            closed = True
            break
        if f is None or f.proto != 0xC021 or f.code != 1:  # only its Configure-Requests
            continue
        opts = cp_options(f.opts)
        if a.mode == "reject":
            body = b"".join(o for _, o in opts) or bytes([0xFE, 2])
            code = 4
            rejects += 1
        else:  # Nak its Magic-Number with a new one every time (RFC 1661 §6.4: it must pick
            # another), and its MRU with another value: agreement never comes
            out = [struct.pack("!BBI", 5, 6, rnd.getrandbits(32) | 1)]
            for t, o in opts:
                if t == 1 and len(o) == 4:
                    mru = struct.unpack("!H", o[2:4])[0]
                    out.append(struct.pack("!BBH", 1, 4, mru - 1 if mru > 1400 else mru + 1))
            body = b"".join(out)
            code = 3
            naks += 1
        c.send_cp(0xC021, code, f.rid, body)
    if not closed:
        closed = closed_by_server(c.s, 1)
    print(f"{a.case} ({a.mode}): {'call ended by the server' if closed else 'NOT ended'} after "
          f"{time.monotonic() - start:.1f} s; sent {requests} Configure-Requests, {naks} Naks, {rejects} Rejects")
    return 0 if closed else 1


def ipcp_case(a):
    """PPTP, LCP and PAP done right, then an IPCP negotiation that never converges."""
    start = time.monotonic()
    c = open_call(a, 0x4343)
    if c is None:
        return 1
    rnd = random.Random(7)
    lcp_acked = auth_ok = False
    ident, next_req = 0x20, 0.0
    ipcp_naks = ipcp_rejects = ipcp_requests = 0
    closed = False
    while time.monotonic() - start < a.wait:
        now = time.monotonic()
        if now >= next_req:
            if not lcp_acked:  # RFC 1661 §5.1: our LCP Configure-Request, no options
                c.send_cp(0xC021, 1, ident, b"")
            elif not auth_ok:
                c.send_cp(0xC023, 1, ident, pap_request(a.user, a.password))
            else:  # RFC 1332 §3.3: IP-Address 0.0.0.0 ("give me one"), whatever the server Naks
                c.send_cp(0x8021, 1, ident, bytes([3, 6, 0, 0, 0, 0]))
                ipcp_requests += 1
            ident, next_req = (ident + 1) & 0xFF, now + 1.0
        f = c.poll()
        if f == GreCall.CLOSED:
            closed = True
            break
        if f is None:
            continue
        if f.proto == 0xC021:
            if f.code == 1:  # the server's LCP request: Ack it as it is
                c.send_cp(0xC021, 2, f.rid, f.opts)
            elif f.code == 2:
                lcp_acked, next_req = True, 0.0
            elif f.code == 9:  # Echo-Request: Echo-Reply with magic 0
                c.send_cp(0xC021, 10, f.rid, b"\0\0\0\0" + f.opts[4:])
            elif f.code == 5:  # Terminate-Request (the server gives up): Terminate-Ack, RFC 1661 §5.5
                c.send_cp(0xC021, 6, f.rid, b"")
        elif f.proto == 0xC023 and f.code == 2:  # PAP Authenticate-Ack
            auth_ok, next_req = True, 0.0
        elif f.proto == 0xC023 and f.code == 3:
            print(f"{a.case}: PAP refused; check --user/--password")
            return 1
        elif f.proto == 0x80FD and f.code == 1:  # CCP: RFC 1661 §5.7 Protocol-Reject
            c.send_cp(0xC021, 8, ident, struct.pack("!H", f.proto) + f.body[:f.rlen])
            ident = (ident + 1) & 0xFF
        elif f.proto == 0x8021 and f.code == 5:  # IPCP Terminate-Request (the server gives up): Ack it
            c.send_cp(0x8021, 6, f.rid, b"")
        elif f.proto == 0x8021 and f.code == 1:  # the server's IPCP request: never agree
            if a.mode == "reject":
                c.send_cp(0x8021, 4, f.rid, f.opts or bytes([0xFE, 2]))
                ipcp_rejects += 1
            else:
                c.send_cp(0x8021, 3, f.rid, bytes([3, 6, 198, 51, 100, rnd.randrange(100, 200)]))
                ipcp_naks += 1
    if not closed:
        closed = closed_by_server(c.s, 1)
    print(f"{a.case} ({a.mode}): {'call ended by the server' if closed else 'NOT ended'} after "
          f"{time.monotonic() - start:.1f} s; LCP {'open' if lcp_acked else 'not open'}, PAP "
          f"{'ok' if auth_ok else 'not done'}; sent {ipcp_requests} IPCP Configure-Requests, {ipcp_naks} Naks, "
          f"{ipcp_rejects} Rejects")
    return 0 if closed and auth_ok else 1


def reauth_case(a):
    """Issue 19 item 1: PPTP, LCP, PAP (as --user) and IPCP done right, so the call is up; then an
    LCP Configure-Request on the open link and a PAP re-authentication as --as-user/--as-password.
    Prints how the server answered (PAP Ack or Nak) and whether it ended the call; exit 0 when
    the call was up and the server ended it after the re-authentication."""
    start = time.monotonic()
    c = open_call(a, 0x4444)
    if c is None:
        return 1
    phase = "lcp"  # lcp -> pap -> ipcp -> up -> relcp -> repap -> done
    ident, next_req = 0x30, 0.0
    my_addr = bytes(4)
    ipcp_ours = ipcp_theirs = False
    reply = "none"
    closed = False
    terminate = b""
    while time.monotonic() - start < a.wait:
        now = time.monotonic()
        if now >= next_req and phase != "done":
            if phase in ("lcp", "relcp"):  # RFC 1661 §5.1: our LCP Configure-Request, no options
                c.send_cp(0xC021, 1, ident, b"")
            elif phase in ("pap", "repap"):
                c.send_cp(0xC023, 1, ident, pap_request(a.user, a.password) if phase == "pap"
                          else pap_request(a.as_user, a.as_password))
            elif phase == "ipcp" and not ipcp_ours:  # RFC 1332 §3.3 IP-Address
                c.send_cp(0x8021, 1, ident, bytes([3, 6]) + my_addr)
            elif phase == "up":  # the call is up: renegotiate LCP (RFC 1661 §4.3, Configure-Request in Opened)
                phase = "relcp"
                c.send_cp(0xC021, 1, ident, b"")
            ident, next_req = (ident + 1) & 0xFF, now + 1.0
        f = c.poll()
        if f == GreCall.CLOSED:
            closed = True
            break
        if f is None:
            continue
        if f.proto == 0xC021:
            auth = [o for t, o in cp_options(f.opts) if t == 3]
            if f.code == 1 and auth and auth[0][2:4] != b"\xc0\x23":  # RFC 1661 §5.3: Nak, ask for PAP
                c.send_cp(0xC021, 3, f.rid, bytes([3, 4, 0xC0, 0x23]))
            elif f.code == 1:  # the server's LCP request: Ack it as it is
                c.send_cp(0xC021, 2, f.rid, f.opts)
            elif f.code == 2 and phase in ("lcp", "relcp"):
                phase, next_req = ("pap" if phase == "lcp" else "repap"), 0.0
            elif f.code == 9:  # Echo-Request: Echo-Reply with magic 0
                c.send_cp(0xC021, 10, f.rid, b"\0\0\0\0" + f.opts[4:])
            elif f.code == 5:  # Terminate-Request: Terminate-Ack, RFC 1661 §5.5
                terminate = f.opts
                c.send_cp(0xC021, 6, f.rid, b"")
        elif f.proto == 0xC023 and f.code in (2, 3):  # PAP Authenticate-Ack / -Nak
            if phase == "pap":
                if f.code == 3:
                    print(f"{a.case}: PAP refused for {a.user}; check --user/--password")
                    return 1
                phase, next_req = "ipcp", 0.0
            elif phase == "repap":
                reply, phase = ("Ack" if f.code == 2 else "Nak"), "done"
        elif f.proto in (0x80FD, 0x8057) and f.code == 1:  # CCP, IPV6CP: RFC 1661 §5.7 Protocol-Reject
            c.send_cp(0xC021, 8, ident, struct.pack("!H", f.proto) + f.body[:f.rlen])
            ident = (ident + 1) & 0xFF
        elif f.proto == 0x8021 and phase == "ipcp":
            if f.code == 1:  # the server's IPCP request: Ack it
                c.send_cp(0x8021, 2, f.rid, f.opts)
                ipcp_theirs = True
            elif f.code == 3:  # Nak: take the address it offers
                for t, o in cp_options(f.opts):
                    if t == 3 and len(o) == 6:
                        my_addr = o[2:6]
                next_req = 0.0
            elif f.code == 2:
                ipcp_ours = True
            if ipcp_ours and ipcp_theirs:
                phase, next_req = "up", now + 0.5  # up: renegotiate shortly after
    if not closed:
        closed = closed_by_server(c.s, 2)
    text = terminate.decode("ascii", "replace")
    print(f"{a.case}: up as {a.user}, re-authenticated as {a.as_user}: PAP {reply}; "
          f"{'call ended by the server' if closed else 'call NOT ended'}; Terminate-Request \"{text}\"")
    return 0 if closed and phase == "done" else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("case")
    ap.add_argument("--wait", type=float, default=5)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--source", default="")
    ap.add_argument("--iface", default="veth-c")
    ap.add_argument("--mode", default="nak", choices=["nak", "reject"])
    ap.add_argument("--user", default="bob")
    ap.add_argument("--password", default="")
    import hostile_data  # issue 19's data-plane cases (their own module)
    hostile_data.add_arguments(ap)
    ap.add_argument("--as-user", default="")  # reauth: the name of the re-authentication
    ap.add_argument("--as-password", default="")
    a = ap.parse_args()
    if a.case in hostile_data.CASES:
        return hostile_data.CASES[a.case](a)
    sv, w = a.server, a.wait
    tcp = {
        "garbage": b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + bytes(range(256)) * 4,
        "wrong-cookie": ctrl(1, sccrq_body(), cookie=0xDEADBEEF),
        "wrong-pptp-type": ctrl(1, sccrq_body(), pptp_type=2),
        "wrong-control-type": ctrl(99, b"\0" * 16),
        "truncated": ctrl(1, sccrq_body(), length=8),  # Length smaller than the header itself
        "oversized": ctrl(1, sccrq_body() + b"\0" * 2000, length=65535),
        "out-of-order": ctrl(7, ocrq_body()),  # Outgoing-Call-Request before Start-Control-Connection
        "call-before-reply": ctrl(1, sccrq_body()) + ctrl(1, sccrq_body()),  # SCCRQ twice
    }
    if a.case in tcp:
        ok = tcp_case(sv, tcp[a.case], w)
        print(f"{a.case}: {'closed by the server' if ok else 'NOT closed'}")
        return 0 if ok else 1
    if a.case == "slow-sender":
        # One byte of a valid SCCRQ every 0.2 s: the control-setup deadline must close it.
        s = socket.create_connection((sv, 1723), timeout=5)
        msg = ctrl(1, sccrq_body())
        s.settimeout(0.2)
        start = time.monotonic()
        closed = False
        try:
            for b in msg:
                s.send(bytes([b]))
                try:
                    if not s.recv(4096):
                        closed = True
                        break
                except socket.timeout:
                    pass
                if time.monotonic() - start > w:
                    break
        except (ConnectionResetError, BrokenPipeError):
            closed = True
        if not closed:
            closed = closed_by_server(s, 1)
        print(f"slow-sender: {'closed by the server' if closed else 'NOT closed'} after {time.monotonic() - start:.1f} s")
        return 0 if closed else 1
    if a.case == "half-open":
        # N connections that never send: must not stop the established session (checked by the
        # caller's ping); each is closed by the server (limit or deadline) within --wait.
        socks = []
        for _ in range(a.count):
            try:
                socks.append(socket.create_connection((sv, 1723), timeout=2))
            except OSError:
                pass
        end = time.monotonic() + w
        pending = list(socks)
        closed = 0
        while pending and time.monotonic() < end:
            left = []
            for s in pending:
                s.setblocking(False)
                try:
                    if not s.recv(4096):
                        closed += 1
                        continue
                except BlockingIOError:
                    left.append(s)
                    continue
                except ConnectionResetError:
                    closed += 1
                    continue
                left.append(s)
            pending = left
            time.sleep(0.1)
        for s in socks:
            s.close()
        print(f"half-open: {len(socks)} connected, {closed} closed by the server")
        return 0 if closed == len(socks) else 1
    if a.case in ("gre-unknown-call", "gre-far-seq"):
        r = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
        if a.source:
            r.bind((a.source, 0))
        for i in range(a.count):
            call_id = 0xBEEF if a.case == "gre-unknown-call" else (i % 8)
            seq = 0x80000000 + i if a.case == "gre-far-seq" else i
            payload = b"\xff\x03\x00\x21" + b"\x45" + b"\0" * 27
            hdr = struct.pack("!HHHHI", 0x3001, 0x880B, len(payload), call_id, seq)
            r.sendto(hdr + payload, (sv, 0))
        print(f"{a.case}: sent {a.count} datagrams" + (f" from {a.source}" if a.source else ""))
        return 0
    if a.case in ("gre-live-far-seq", "mppe-bad-count"):
        return gre_live_case(a)
    if a.case == "lcp-never-converges":
        return lcp_case(a)
    if a.case == "ipcp-never-converges":
        return ipcp_case(a)
    if a.case == "reauth":
        return reauth_case(a)
    import hostile_ctl_cases  # issue 19: control-channel cases (items 2, 3, 6; MRU)
    ctl = {"ctl-flood": hostile_ctl_cases.ctl_flood, "hold-slots": hostile_ctl_cases.hold_slots,
           "call-ids": hostile_ctl_cases.call_ids, "mru": hostile_ctl_cases.mru, "no-call": hostile_ctl_cases.no_call}
    if a.case in ctl:
        return ctl[a.case](a)
    print(f"unknown case {a.case}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
