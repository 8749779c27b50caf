#include "audit/pptp_observer.hpp"

#include <algorithm>
#include <variant>

#include "pptp/control_codec.hpp"
#include "pptp/gre_header.hpp"
#include "pptp/result_codes.hpp"

namespace pptpx::audit {
namespace {
constexpr std::uint8_t kTcp = 6, kGre = 47;
constexpr std::size_t kMaxControlBuffer = 64 * 1024;  // unsynchronised bytes kept while searching

}  // namespace

const std::vector<ControlConnection>& PptpObserver::connections() const {
  conn_list_.clear();
  for (const auto& [k, c] : conns_) conn_list_.push_back(c.info);
  std::sort(conn_list_.begin(), conn_list_.end(),
            [](const ControlConnection& a, const ControlConnection& b) { return a.start < b.start; });
  return conn_list_;
}

void PptpObserver::datagram(const Ipv4Header& ip, Timestamp t) {
  if (ip.protocol == kTcp) return tcp(ip, t);
  if (ip.protocol == kGre) return gre(ip, t);
  ++counters_.other;
}

Session& PptpObserver::new_session(Timestamp t) {
  while (!sessions_.empty() && sessions_.size() >= std::max<std::size_t>(1, limits_.sessions)) evict_session();
  auto s = std::make_unique<Session>();
  s->index = ++sessions_created_;
  s->start = t;
  s->end = t;
  sessions_.push_back(std::move(s));
  Session& added = *sessions_.back();
  ppp_[&added] = std::make_unique<PppObserver>(added, keys_, sink_);
  return added;
}

void PptpObserver::route(std::uint32_t src, std::uint32_t dst, std::uint16_t call_id, Session& session, int dir) {
  routes_[{src, dst, call_id}] = GreRoute{&session, ppp_.at(&session).get(), dir};
}

// TrackingLimits::sessions: the session with the oldest last activity goes, with its GRE routes,
// its decryption state and its place in its control connection.
void PptpObserver::evict_session() {
  const auto victim = std::min_element(sessions_.begin(), sessions_.end(),
                                       [](const auto& a, const auto& b) { return a->end < b->end; });
  const Session* s = victim->get();
  std::erase_if(routes_, [&](const auto& r) { return r.second.session == s; });
  for (auto& entry : conns_) std::erase(entry.second.calls, s);
  ppp_.erase(s);
  sessions_.erase(victim);
  ++evictions_.sessions;
}

std::size_t PptpObserver::held(const Connection& c) {
  return c.dir[0].tcp.held_octets() + c.dir[0].buf.size() + c.dir[1].tcp.held_octets() + c.dir[1].buf.size();
}

void PptpObserver::release(Connection& c, Timestamp t) {
  held_octets_ -= held(c);
  for (int dir = 0; dir < 2; ++dir) {
    c.dir[dir].tcp.flush([&](ByteView data, std::uint64_t gap) { stream_bytes(c, dir, data, gap, t); });
    c.dir[dir].buf.clear();  // a partial message: the stream resynchronises on the next one
    c.dir[dir].synced = false;
  }
}

// TrackingLimits::connections: the connection with the oldest last activity goes (what it held
// handed on first); its calls stay tracked as sessions.
void PptpObserver::evict_connection(Timestamp t) {
  auto victim = std::min_element(conns_.begin(), conns_.end(),
                                 [](const auto& a, const auto& b) { return a.second.info.end < b.second.info.end; });
  release(victim->second, t);
  conns_.erase(victim);
  ++evictions_.connections;
}

// TrackingLimits::reassembly_octets: while over the bound, the connection holding octets with
// the oldest activity hands them on (holes skipped, counted as gaps).
void PptpObserver::bound_reassembly(Timestamp t) {
  while (held_octets_ > limits_.reassembly_octets) {
    Connection* oldest = nullptr;
    for (auto& entry : conns_) {
      if (held(entry.second) > 0 && (!oldest || entry.second.info.end < oldest->info.end)) oldest = &entry.second;
    }
    if (!oldest) break;
    release(*oldest, t);
    ++evictions_.reassembly_flushes;
  }
}

void PptpObserver::end_call(Session& s, const std::string& why, Timestamp t) {
  if (s.end_reason.empty()) s.end_reason = why;
  s.end = std::max(s.end, t);
}

void PptpObserver::tcp(const Ipv4Header& ip, Timestamp t) {
  auto seg = parse_tcp(ip.payload);
  if (!seg) {
    ++counters_.bad_ip;
    return;
  }
  int dir = 0;
  std::tuple<std::uint32_t, std::uint16_t, std::uint32_t> key;
  if (seg->dst_port == pptp::kTcpPort) {
    key = {ip.src, seg->src_port, ip.dst};
    dir = 0;
  } else if (seg->src_port == pptp::kTcpPort) {
    key = {ip.dst, seg->dst_port, ip.src};
    dir = 1;
  } else {
    ++counters_.other;
    return;
  }
  ++counters_.tcp_pptp;
  if (!conns_.contains(key)) {
    while (!conns_.empty() && conns_.size() >= std::max<std::size_t>(1, limits_.connections)) evict_connection(t);
  }
  auto [it, fresh] = conns_.try_emplace(key);
  Connection& c = it->second;
  if (fresh) {
    c.info.client_ip = std::get<0>(key);
    c.info.client_port = std::get<1>(key);
    c.info.server_ip = std::get<2>(key);
    c.info.start = t;
  }
  c.info.end = t;
  if (seg->syn) c.info.saw_syn = true;
  Direction& d = c.dir[dir];
  const std::size_t held_before = held(c);
  d.tcp.segment(*seg, [&](ByteView data, std::uint64_t gap) { stream_bytes(c, dir, data, gap, t); });
  if (seg->fin || seg->rst) {
    d.tcp.flush([&](ByteView data, std::uint64_t gap) { stream_bytes(c, dir, data, gap, t); });
    const std::string why = std::string("control connection closed (TCP ") + (seg->rst ? "RST" : "FIN") + " from " +
                            (dir == 0 ? "client" : "server") + ")";
    if (c.info.end_reason.empty()) c.info.end_reason = why;
    for (auto* s : c.calls) end_call(*s, why, t);
  }
  held_octets_ = held_octets_ - held_before + held(c);
  bound_reassembly(t);
}

// Cuts the reassembled stream into messages. Unlike pptp::ControlStream (which must give up on a
// malformed stream, as a peer does), an observer resynchronises: after a gap, or when the capture
// starts mid-connection, it searches for the next Length/Type/Magic-Cookie that fits (RFC 2637 §1.4).
void PptpObserver::stream_bytes(Connection& c, int dir, ByteView data, std::uint64_t gap, Timestamp t) {
  Direction& d = c.dir[dir];
  if (gap > 0) {
    ++c.info.gaps;
    c.info.gap_octets += gap;
    d.buf.clear();
    d.synced = false;
  }
  d.buf.insert(d.buf.end(), data.begin(), data.end());
  std::size_t pos = 0;
  auto fits = [&](std::size_t at) {
    if (d.buf.size() - at < 12) return false;
    const std::uint16_t len = load_be16(&d.buf[at]);
    return load_be16(&d.buf[at + 2]) == pptp::kPptpControlMessage && load_be32(&d.buf[at + 4]) == pptp::kMagicCookie &&
           pptp::message_length(load_be16(&d.buf[at + 8])) == len;
  };
  if (d.tcp.saw_syn() && c.info.messages == 0 && c.info.gaps == 0) d.synced = true;
  for (;;) {
    if (!d.synced) {
      std::size_t at = pos;
      while (at + 12 <= d.buf.size() && !fits(at)) ++at;
      if (at + 12 > d.buf.size()) {
        pos = d.buf.size() > 11 ? d.buf.size() - 11 : pos;
        break;
      }
      if (at != pos) ++c.info.resyncs;
      pos = at;
      d.synced = true;
    }
    if (d.buf.size() - pos < 12) break;
    if (!fits(pos)) {
      ++c.info.bad_messages;
      d.synced = false;
      ++pos;
      continue;
    }
    const std::size_t len = load_be16(&d.buf[pos]);
    if (d.buf.size() - pos < len) break;
    auto r = pptp::decode(ByteView(d.buf).subspan(pos, len));
    pos += len;
    if (!r.ok()) {
      ++c.info.bad_messages;
      continue;
    }
    ++c.info.messages;
    message(c, dir, *r.message, t);
  }
  d.buf.erase(d.buf.begin(), d.buf.begin() + static_cast<std::ptrdiff_t>(pos));
  if (d.buf.size() > kMaxControlBuffer) d.buf.clear();
}

void PptpObserver::message(Connection& c, int dir, const pptp::ControlMessage& m, Timestamp t) {
  // dir 0: sent by the TCP client; 1: by the server.
  const std::uint32_t sender = dir == 0 ? c.info.client_ip : c.info.server_ip;
  const std::uint32_t receiver = dir == 0 ? c.info.server_ip : c.info.client_ip;
  auto find_call = [&](auto pred) -> Session* {
    for (auto it = c.calls.rbegin(); it != c.calls.rend(); ++it) {
      if (pred(**it)) return *it;
    }
    return nullptr;
  };
  std::visit(
      [&](const auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, pptp::StartControlConnectionRequest>) {
          c.info.saw_start_request = true;
        } else if constexpr (std::is_same_v<T, pptp::OutgoingCallRequest>) {
          Session& s = new_session(t);
          ++c.info.calls;
          s.ip = {sender, receiver};
          s.pns_tcp_port = dir == 0 ? c.info.client_port : pptp::kTcpPort;
          s.pns_call_id = msg.call_id;
          c.calls.push_back(&s);
          route(receiver, sender, msg.call_id, s, 1);  // PAC -> PNS carries the PNS's ID
        } else if constexpr (std::is_same_v<T, pptp::OutgoingCallReply>) {
          Session* s = find_call([&](const Session& x) { return x.pns_call_id == msg.peer_call_id && !x.pac_call_id; });
          if (!s) return;
          s->pac_call_id = msg.call_id;
          s->call_result = pptp::outgoing_result_to_string(msg.result_code);
          if (msg.result_code == 1) {
            route(receiver, sender, msg.call_id, *s, 0);  // PNS -> PAC carries the PAC's ID
          } else {
            end_call(*s, "call refused by the PAC: " + s->call_result, t);
          }
        } else if constexpr (std::is_same_v<T, pptp::IncomingCallRequest>) {
          Session& s = new_session(t);
          ++c.info.calls;
          s.incoming_call = true;
          s.ip = {receiver, sender};
          s.pns_tcp_port = dir == 1 ? c.info.client_port : pptp::kTcpPort;
          s.pac_call_id = msg.call_id;
          c.calls.push_back(&s);
          route(receiver, sender, msg.call_id, s, 0);  // PNS -> PAC carries the PAC's ID
        } else if constexpr (std::is_same_v<T, pptp::IncomingCallReply>) {
          Session* s = find_call([&](const Session& x) { return x.pac_call_id == msg.peer_call_id && !x.pns_call_id; });
          if (!s) return;
          s->pns_call_id = msg.call_id;
          s->call_result = pptp::incoming_result_to_string(msg.result_code);
          if (msg.result_code == 1) {
            route(receiver, sender, msg.call_id, *s, 1);
          } else {
            end_call(*s, "call refused by the PNS: " + s->call_result, t);
          }
        } else if constexpr (std::is_same_v<T, pptp::CallClearRequest>) {
          if (Session* s = find_call([&](const Session& x) { return x.pns_call_id == msg.call_id; })) {
            end_call(*s, "Call-Clear-Request from the PNS", t);
          }
        } else if constexpr (std::is_same_v<T, pptp::CallDisconnectNotify>) {
          if (Session* s = find_call([&](const Session& x) { return x.pac_call_id == msg.call_id; })) {
            std::string why = "Call-Disconnect-Notify from the PAC (" + pptp::disconnect_result_to_string(msg.result_code) + ")";
            // A clear request answered by a disconnect notify keeps the first reason.
            end_call(*s, why, t);
          }
        } else if constexpr (std::is_same_v<T, pptp::StopControlConnectionRequest>) {
          const std::string why = std::string("Stop-Control-Connection-Request from the ") +
                                  (dir == 0 ? "client" : "server") + " (" + pptp::stop_reason_to_string(msg.reason) + ")";
          if (c.info.end_reason.empty()) c.info.end_reason = why;
          for (auto* s : c.calls) end_call(*s, why, t);
        }
      },
      m);
}

void PptpObserver::gre(const Ipv4Header& ip, Timestamp t) {
  ++counters_.gre;
  const auto g = pptp::decode_gre(ip.payload);
  if (!g.ok()) {
    if (g.error != pptp::GreError::Empty) ++counters_.bad_gre;
    return;
  }
  const std::tuple<std::uint32_t, std::uint32_t, std::uint16_t> key{ip.src, ip.dst, g.header.call_id};
  auto it = routes_.find(key);
  if (it == routes_.end()) {
    // Known control connection between these hosts: a GRE packet for a call it never set up.
    bool hosts_known = false;
    for (const auto& [k, c] : conns_) {
      if ((c.info.client_ip == ip.src && c.info.server_ip == ip.dst) ||
          (c.info.client_ip == ip.dst && c.info.server_ip == ip.src)) {
        hosts_known = true;
      }
    }
    if (hosts_known) {
      // Itemised per flow up to the bound (the alerts' evidence); beyond it only counted.
      if (auto u = unknown_gre_.find(key); u != unknown_gre_.end()) {
        ++u->second;
      } else if (unknown_gre_.size() < limits_.unknown_gre_flows) {
        unknown_gre_.emplace(key, 1);
      } else {
        ++evictions_.unknown_gre_packets;
      }
      return;
    }
    // The capture started mid-session: a session from GRE alone; roles unknown, the first
    // sender is called side 0. Its reverse direction joins it when it shows up.
    Session* s = nullptr;
    int dir = 0;
    for (auto& x : sessions_) {
      if (!x->roles_known && x->ip[0] == ip.dst && x->ip[1] == ip.src && !x->pns_call_id) {
        s = x.get();
        dir = 1;
        s->pns_call_id = g.header.call_id;
        break;
      }
    }
    if (!s) {
      s = &new_session(t);
      s->roles_known = false;
      s->started_mid_session = true;
      s->ip = {ip.src, ip.dst};
      s->pac_call_id = g.header.call_id;
      dir = 0;
    }
    route(ip.src, ip.dst, g.header.call_id, *s, dir);
    it = routes_.find(key);
  }
  Session& s = *it->second.session;
  const int dir = it->second.direction;
  auto& st = s.dir[static_cast<std::size_t>(dir)];
  s.end = std::max(s.end, t);
  if (g.payload.empty()) {
    ++st.acks_only;
    return;
  }
  ++st.packets;
  st.octets += g.payload.size();
  if (g.header.sequence) {
    const std::uint32_t seq = *g.header.sequence;
    if (st.last_seq) {
      const auto diff = static_cast<std::int32_t>(seq - *st.last_seq);
      if (diff > 1) {
        st.lost += static_cast<std::uint64_t>(diff - 1);
      } else if (diff <= 0) {
        ++st.reordered;  // late or duplicate; it was counted lost when the gap opened
        if (st.lost > 0) --st.lost;
      }
      if (diff > 0) st.last_seq = seq;
    } else {
      st.last_seq = seq;
    }
  }
  it->second.ppp->frame(dir, t, g.payload);
}

void PptpObserver::finish(Timestamp t) {
  for (auto& entry : conns_) {
    Connection& c = entry.second;  // not a structured binding: lambdas capture it (clang 14)
    for (int dir = 0; dir < 2; ++dir) {
      c.dir[dir].tcp.flush([&](ByteView data, std::uint64_t gap) { stream_bytes(c, dir, data, gap, t); });
      c.info.retransmitted_octets += c.dir[dir].tcp.counters().retransmitted_octets;
    }
  }
  for (auto& s : sessions_) {
    if (s->end_reason.empty()) s->end_reason = "still running when the capture ended";
  }
}

}  // namespace pptpx::audit
