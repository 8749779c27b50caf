#!/usr/bin/env python3
"""Hostile PPTP peers for tests/system/hostile_peers.sh (issue 6). Each case talks to a live
server and prints one line "case: outcome". TCP cases must end with the server closing the
connection (recv -> b'' or a reset) within --wait seconds; GRE cases only send (the server
drops and counts). Message layout from RFC 2637 §2 (Length, PPTP Message Type 1, Magic Cookie
0x1A2B3C4D, Control Message Type, Reserved0) and §4.1 (enhanced GRE header).
Usage: hostile_peer.py SERVER CASE [--wait S] [--count N] [--source ADDR]"""
import argparse, socket, struct, sys, time

COOKIE = 0x1A2B3C4D


def ctrl(msg_type, body, length=None, cookie=COOKIE, pptp_type=1):
    n = 12 + len(body) if length is None else length
    return struct.pack("!HHIHH", n, pptp_type, cookie, msg_type, 0) + body


def sccrq_body():
    # RFC 2637 §2.1: version 1.0, reserved, framing, bearer, max channels, firmware, host, vendor
    return struct.pack("!HHIIHH", 0x0100, 0, 3, 3, 0, 1) + b"hostile".ljust(64, b"\0") + b"test".ljust(64, b"\0")


def ocrq_body(call_id=7):
    # RFC 2637 §2.7: Outgoing-Call-Request, 168 bytes in all
    return struct.pack("!HHIIIIHHHH", call_id, 1, 300, 1000000, 3, 3, 64, 0, 0, 0) + b"\0" * 64 + b"\0" * 64


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("server")
    ap.add_argument("case")
    ap.add_argument("--wait", type=float, default=5)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--source", default="")
    a = ap.parse_args()
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
    print(f"unknown case {a.case}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
