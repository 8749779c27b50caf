"""What the hostile peers (hostile_peer.py, hostile_ctl_cases.py, hostile_data.py) put on the wire
and read back, in one place. Layouts from RFC 2637 §2 (control messages: Length, PPTP Message Type
1, Magic Cookie 0x1A2B3C4D, Control Message Type, Reserved0) and §4.1 (enhanced GRE), RFC 1661
(PPP frames, §6.5/§6.6 compression; Configure-style packets: Code, Identifier, Length)."""
import select, socket, struct

COOKIE = 0x1A2B3C4D


def ctrl(msg_type, body, length=None, cookie=COOKIE, pptp_type=1):
    n = 12 + len(body) if length is None else length
    return struct.pack("!HHIHH", n, pptp_type, cookie, msg_type, 0) + body


def sccrq_body():
    # RFC 2637 §2.1: version 1.0, reserved, framing, bearer, max channels, firmware, host, vendor
    return struct.pack("!HHIIHH", 0x0100, 0, 3, 3, 0, 1) + b"hostile".ljust(64, b"\0") + b"test".ljust(64, b"\0")


def ocrq_body(call_id=7, serial=1):
    # RFC 2637 §2.7: Outgoing-Call-Request, 168 bytes in all
    return struct.pack("!HHIIIIHHHH", call_id, serial, 300, 1000000, 3, 3, 64, 0, 0, 0) + b"\0" * 128


def echo_request(ident):
    return ctrl(5, struct.pack("!I", ident))  # RFC 2637 §2.4


def echo_reply(request):
    return ctrl(6, request[12:16] + struct.pack("!BBH", 1, 0, 0))  # RFC 2637 §2.5: Result 1


def read_msgs(buf):
    """Whole control messages at the front of buf: (list of (type, message), rest)."""
    out = []
    while len(buf) >= 10:
        (n,) = struct.unpack("!H", buf[:2])
        if n < 12 or len(buf) < n:
            break
        out.append((struct.unpack("!H", buf[8:10])[0], buf[:n]))
        buf = buf[n:]
    return out, buf


def cp_options(data):
    """(type, whole option) of a Configure packet's options (RFC 1661 §6), up to the first bad one."""
    opts, i = [], 0
    while i + 2 <= len(data):
        t, n = data[i], data[i + 1]
        if n < 2 or i + n > len(data):
            break
        opts.append((t, data[i:i + n]))
        i += n
    return opts


def gre_packet(call_id, seq, payload, ack=None):
    """RFC 2637 §4.1 enhanced GRE: C R K S s Recur A Flags Ver=1, protocol 0x880B, Key = payload
    length + Call ID, Sequence Number, optional Acknowledgment Number."""
    flags = 0x3001 | (0x0080 if ack is not None else 0)
    h = struct.pack("!HHHHI", flags, 0x880B, len(payload), call_id, seq & 0xFFFFFFFF)
    if ack is not None:
        h += struct.pack("!I", ack & 0xFFFFFFFF)
    return h + payload


def ppp_protocol(ppp):
    """(protocol, rest) of a PPP frame from the server, with or without Address/Control and
    Protocol-Field compression (RFC 1661 §6.5/§6.6); (None, b"") if too short."""
    if ppp[:2] == b"\xff\x03":
        ppp = ppp[2:]
    if len(ppp) >= 1 and ppp[0] & 1:
        return ppp[0], ppp[1:]
    if len(ppp) < 2:
        return None, b""
    return struct.unpack("!H", ppp[:2])[0], ppp[2:]


class Frame:
    """A PPP control packet from the server: protocol, code, identifier, length, options (the data
    after the 4-octet header, up to length) and the whole packet."""

    def __init__(self, proto, body):
        self.proto, self.body = proto, body
        self.code, self.rid, self.rlen = body[0], body[1], struct.unpack("!H", body[2:4])[0]
        self.opts = body[4:self.rlen]


class GreCall:
    """A call set up by hand (open_call in hostile_peer.py), driven frame by frame: PPP over GRE
    to the server from a raw socket, acknowledging what the server sends."""

    CLOSED = "closed"

    def __init__(self, server, tcp, server_call, my_call):
        self.server, self.s, self.server_call, self.my_call = server, tcp, server_call, my_call
        self.g = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
        self.g.setblocking(False)
        self.s.setblocking(False)
        self.seq, self.ack = 0, None

    def send(self, proto, payload):
        self.g.sendto(gre_packet(self.server_call, self.seq, b"\xff\x03" + struct.pack("!H", proto) + payload,
                                 self.ack), (self.server, 0))
        self.seq += 1

    def send_cp(self, proto, code, ident, body):
        self.send(proto, struct.pack("!BBH", code, ident, 4 + len(body)) + body)

    def poll(self, timeout=0.1):
        """Waits up to `timeout`: GreCall.CLOSED once the server ended the call (TCP closed, or a
        Call-Disconnect-Notify (RFC 2637 §2.13) or Stop-Control-Connection-Request (§2.3)); a Frame
        for a PPP packet of 4+ octets from the server on this call; None for anything else."""
        r, _, _ = select.select([self.g, self.s], [], [], timeout)
        if self.s in r:
            try:
                data = self.s.recv(4096)
                # (Control messages are read whole: the server sends each in one segment, and
                # only their type is looked at.)
                if not data or (len(data) >= 10 and struct.unpack("!H", data[8:10])[0] in (3, 13)):
                    return GreCall.CLOSED
            except ConnectionResetError:
                return GreCall.CLOSED
            except BlockingIOError:
                pass
        if self.g not in r:
            return None
        try:
            pkt, src = self.g.recvfrom(65535)
        except BlockingIOError:
            return None
        if src[0] != self.server:
            return None
        ip = pkt[(pkt[0] & 0x0F) * 4:]
        if len(ip) < 12 or struct.unpack("!H", ip[6:8])[0] != self.my_call or not ip[0] & 0x10:
            return None
        self.ack = struct.unpack("!I", ip[8:12])[0]
        proto, body = ppp_protocol(ip[12 + (4 if ip[1] & 0x80 else 0):])
        if proto is None or len(body) < 4:
            return None
        return Frame(proto, body)
