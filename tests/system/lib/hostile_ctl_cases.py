"""Hostile control-channel peers for tests/system/hostile_peers.sh (issue 19 items 2, 3, 6 and the
MRU cases), called from hostile_peer.py. Message layouts from RFC 2637 §2: Echo-Request (type 5,
§2.4: Identifier), Echo-Reply (6), Outgoing-Call-Request/-Reply (7/8, §2.7-§2.8),
Call-Disconnect-Notify (13, §2.13), Stop-Control-Connection-Request (3, §2.3).
  ctl-flood   Start-Control-Connection-Request, then Echo-Requests as fast as TCP takes them while
              never reading a reply (a tiny receive buffer): the server must close the connection
              (its send queue is bounded), not queue the replies without end.
  hold-slots  --count connections spread over --source (comma-separated addresses), each with a
              control connection and a call that never gets any GRE, kept alive with control
              Echo-Requests and a new Outgoing-Call-Request whenever a call is cleared: the server
              must close every one within --wait seconds (its first link is never up).
  no-call     a control connection that never opens a call, kept alive with an Echo-Request every
              second (answering the server's): the server must close it within --wait seconds.
  call-ids    --count control connections with one call each: the server's Call IDs must not be
              sequential (nor all increasing).
  mru         PPTP, LCP (asking for MRU 1000), PAP and IPCP done right, then LCP Echo-Requests
              longer than 1500 octets and longer than our MRU, and IP packets of 1450 and 1600
              octets (the server's MRU is 1400): says what came back."""
import select, socket, struct, time

from pptp_wire import GreCall, ctrl, echo_reply, echo_request, ocrq_body, read_msgs, sccrq_body


def _handshake(server, source="", rcvbuf=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    if source:
        s.bind((source, 0))
    s.settimeout(5)
    s.connect((server, 1723))
    s.sendall(ctrl(1, sccrq_body()))
    return s


def ctl_flood(a):
    s = _handshake(a.server, rcvbuf=4096)
    buf = b""
    while True:  # the Start-Control-Connection-Reply, so that the connection is established
        msgs, buf = read_msgs(buf)
        if any(t == 2 for t, _ in msgs):
            break
        d = s.recv(4096)
        if not d:
            print(f"{a.case}: no Start-Control-Connection-Reply")
            return 1
        buf += d
    batch = b"".join(echo_request(i) for i in range(256))  # 4 KiB of Echo-Requests per send
    sent, start, closed, why = 0, time.monotonic(), False, "still open"
    s.settimeout(0.5)
    while time.monotonic() - start < a.wait:
        try:
            sent += s.send(batch)
        except socket.timeout:  # the server stopped reading: wait for it to close
            pass
        except (ConnectionResetError, BrokenPipeError) as e:
            closed, why = True, type(e).__name__
            break
    if not closed:
        try:  # a FIN (or a reset) may be waiting behind the replies we never read
            s.settimeout(1)
            s.shutdown(socket.SHUT_WR)
            while True:
                d = s.recv(65536)
                if not d:
                    closed, why = True, "EOF"
                    break
        except (ConnectionResetError, BrokenPipeError):
            closed, why = True, "ConnectionResetError"
        except socket.timeout:
            pass
    s.close()
    print(f"{a.case}: sent {sent // 16} Echo-Requests ({sent} octets) in {time.monotonic() - start:.1f} s, read none; "
          f"{'closed by the server (' + why + ')' if closed else 'NOT closed by the server'}")
    return 0 if closed else 1


def hold_slots(a):
    sources = [x for x in a.source.split(",") if x] or [""]
    conns = []  # dicts: sock, buf, opened, closed_at, calls
    start = time.monotonic()
    for i in range(a.count):
        try:
            s = _handshake(a.server, sources[i % len(sources)])
        except OSError as e:
            print(f"{a.case}: connection {i} failed: {e}")
            return 1
        s.setblocking(False)
        conns.append({"sock": s, "buf": b"", "open": True, "closed_at": None, "calls": 0, "id": 0x5000 + i})
    next_echo = time.monotonic() + 10
    while time.monotonic() - start < a.wait and any(c["open"] for c in conns):
        live = [c for c in conns if c["open"]]
        r, _, _ = select.select([c["sock"] for c in live], [], [], 0.2)
        now = time.monotonic()
        for c in live:
            s = c["sock"]
            if s in r:
                try:
                    d = s.recv(4096)
                except (ConnectionResetError, BlockingIOError) as e:
                    d = b"" if isinstance(e, ConnectionResetError) else None
                if d == b"":
                    c["open"], c["closed_at"] = False, now - start
                    continue
                if d:
                    msgs, c["buf"] = read_msgs(c["buf"] + d)
                    for t, m in msgs:
                        try:
                            if t in (2, 13):  # SCCRP, or the server cleared the call: ask again
                                s.sendall(ctrl(7, ocrq_body(c["id"], c["calls"] + 1)))
                                c["calls"] += 1
                            elif t == 5:  # the server's Echo-Request: Echo-Reply, Result 1
                                s.sendall(echo_reply(m))
                            elif t == 3:  # Stop-Control-Connection-Request: it is closing us
                                pass
                        except OSError:
                            pass
            if now >= next_echo:
                try:
                    s.sendall(echo_request(int(now)))
                except OSError:
                    pass
        if now >= next_echo:
            next_echo = now + 10
    still = [c for c in conns if c["open"]]
    for c in conns:
        c["sock"].close()
    times = sorted(c["closed_at"] for c in conns if c["closed_at"] is not None)
    span = f", after {times[0]:.1f}-{times[-1]:.1f} s" if times else ""
    print(f"{a.case}: {len(conns)} connections from {len(sources)} addresses, {sum(c['calls'] for c in conns)} "
          f"Outgoing-Call-Requests, never any GRE; {len(conns) - len(still)} closed by the server{span}")
    return 0 if not still else 1


def no_call(a):
    s = _handshake(a.server)
    s.setblocking(False)
    start, next_echo, buf, closed = time.monotonic(), 0.0, b"", False
    while time.monotonic() - start < a.wait and not closed:
        now = time.monotonic()
        try:
            if now >= next_echo:
                s.sendall(echo_request(int(now)))
                next_echo = now + 1.0
            r, _, _ = select.select([s], [], [], 0.2)
            if r:
                d = s.recv(4096)
                if not d:
                    closed = True
                    break
                msgs, buf = read_msgs(buf + d)
                for t, m in msgs:
                    if t == 5:  # the server's Echo-Request: Echo-Reply, Result 1 (RFC 2637 §2.5)
                        s.sendall(echo_reply(m))
        except (ConnectionResetError, BrokenPipeError):
            closed = True
        except BlockingIOError:
            pass
    s.close()
    print(f"{a.case}: control connection without a call, Echo-Requests every second: "
          f"{'closed by the server' if closed else 'NOT closed'} after {time.monotonic() - start:.1f} s")
    return 0 if closed else 1


def call_ids(a):
    ids, socks = [], []
    for i in range(a.count):
        s = _handshake(a.server)
        buf, got = b"", None
        while got is None:
            d = s.recv(4096)
            if not d:
                print(f"{a.case}: connection {i} closed before its Outgoing-Call-Reply")
                return 1
            msgs, buf = read_msgs(buf + d)
            for t, m in msgs:
                if t == 2:
                    s.sendall(ctrl(7, ocrq_body(0x6000 + i)))
                elif t == 8:
                    got = struct.unpack("!H", m[12:14])[0]  # RFC 2637 §2.8: the server's Call ID
        ids.append(got)
        socks.append(s)
    for s in socks:
        s.close()
    successors = sum(1 for x, y in zip(ids, ids[1:]) if y == (x + 1) & 0xFFFF)
    increasing = all(y > x for x, y in zip(ids, ids[1:]))
    print(f"{a.case}: server Call IDs {' '.join(map(str, ids))}; {successors} of {len(ids) - 1} follow the previous by 1")
    return 0 if successors <= 1 and not increasing else 1


def mru(a):
    from hostile_peer import open_call, pap_request
    from pptp_wire import cp_options
    c = open_call(a, 0x4444)
    if c is None:
        return 1
    lcp_acked = lcp_theirs = auth_ok = ipcp_acked = ipcp_theirs = False
    addr = b"\0\0\0\0"
    echo_replies = {}  # identifier -> length of the Echo-Reply's LCP packet
    ident, next_req, start, phase_sent = 0x30, 0.0, time.monotonic(), False
    while time.monotonic() - start < a.wait:
        now = time.monotonic()
        lcp_done, ipcp_done = lcp_acked and lcp_theirs, ipcp_acked and ipcp_theirs
        up = lcp_done and auth_ok and ipcp_done
        if now >= next_req and not up:
            if not lcp_acked:  # our MRU is 1000 (RFC 1661 §6.1)
                c.send_cp(0xC021, 1, ident, bytes([1, 4]) + struct.pack("!H", 1000))
            elif not auth_ok:
                c.send_cp(0xC023, 1, ident, pap_request(a.user, a.password))
            elif not ipcp_acked:
                c.send_cp(0x8021, 1, ident, bytes([3, 6]) + addr)
            ident, next_req = (ident + 1) & 0xFF, now + 1.0
        if up and not phase_sent:
            phase_sent, sent_at = True, now
            magic = b"\0\0\0\0"
            c.send_cp(0xC021, 9, 0xA1, magic + b"\xAA" * 1560)  # LCP 1568 octets: above 1500 and 1400
            c.send_cp(0xC021, 9, 0xA2, magic + b"\xBB" * 1200)  # 1208: fits 1500, not our MRU 1000
            for size in (1450, 1600):  # IPv4 ICMP Echo, from our address, to the server's
                hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, size, 0x1234, 0, 64, 1, 0, addr, bytes([198, 51, 100, 1]))
                c.send(0x0021, hdr + struct.pack("!BBHHH", 8, 0, 0, 1, 1) + b"\0" * (size - 28))
        if phase_sent and now - sent_at > 1.5:
            break
        f = c.poll()
        if f == GreCall.CLOSED:
            break
        if f is None:
            continue
        if f.proto == 0xC021:
            if f.code == 1:  # the server's request: Ack it, unless it asks for an authentication
                # protocol other than PAP (RFC 1661 §6.2): then Nak that with PAP (RFC 1334 §2.1)
                auth = [o for t, o in cp_options(f.opts) if t == 3]
                if auth and auth[0][2:4] != b"\xc0\x23":
                    c.send_cp(0xC021, 3, f.rid, bytes([3, 4, 0xC0, 0x23]))
                else:
                    c.send_cp(0xC021, 2, f.rid, f.opts)
                    lcp_theirs = True
            elif f.code == 2:
                lcp_acked, next_req = True, 0.0
            elif f.code == 9:
                c.send_cp(0xC021, 10, f.rid, b"\0\0\0\0" + f.opts[4:])
            elif f.code == 10:
                echo_replies[f.rid] = f.rlen
        elif f.proto == 0xC023 and f.code == 2:
            auth_ok, next_req = True, 0.0
        elif f.proto == 0xC023 and f.code == 3:
            print(f"{a.case}: PAP refused; check --user/--password")
            return 1
        elif f.proto == 0x80FD and f.code == 1:  # CCP: Protocol-Reject (no MPPE in this peer)
            c.send_cp(0xC021, 8, ident, struct.pack("!H", f.proto) + f.body[:f.rlen])
            ident = (ident + 1) & 0xFF
        elif f.proto == 0x8021:
            if f.code == 1:
                c.send_cp(0x8021, 2, f.rid, f.opts)
                ipcp_theirs = True
            elif f.code == 3 and len(f.opts) >= 6 and f.opts[0] == 3:  # Nak: the address to use
                addr, next_req = f.opts[2:6], 0.0
            elif f.code == 2:
                ipcp_acked, next_req = True, 0.0
    c.s.close()
    if not phase_sent:
        print(f"{a.case}: the link did not come up (LCP {lcp_acked}/{lcp_theirs}, PAP {auth_ok}, "
              f"IPCP {ipcp_acked}/{ipcp_theirs})")
        return 1
    big, fit = echo_replies.get(0xA1), echo_replies.get(0xA2)
    print(f"{a.case}: address {socket.inet_ntoa(addr)}; Echo-Request of 1568 octets: "
          f"{'no reply' if big is None else f'a reply of {big} octets'}; Echo-Request of 1208 octets with our MRU 1000: "
          f"{'no reply' if fit is None else f'a reply of {fit} octets'}; sent IPv4 packets of 1450 and 1600 octets")
    return 0 if big is None and fit is not None and fit <= 1000 else 1
