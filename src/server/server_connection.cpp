#include "server/server_connection.hpp"

#include <arpa/inet.h>

#include <cstring>

#include <spdlog/spdlog.h>

#include "net/ip_packet.hpp"
#include "ppp/auth_machine_base.hpp"
#include "ppp/ccp.hpp"
#include "server/ip_address.hpp"
#include "server/ipv6_addressing.hpp"

namespace pptpx::server {

namespace {
std::string ipv4_text(std::uint32_t host_order) { return to_string(Ipv4Address{host_order}); }

std::string duration_text(Duration d) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  return std::to_string(s) + " s";
}
}  // namespace

Connection::Connection(ConnectionHost& host, std::uint64_t id, asio::ip::tcp::socket socket,
                       const session::SessionConfig& config, pptp::CallIdAllocator& ids, ppp::AuthFactory& auth,
                       asio::io_context& io, ConnectionDeadlines::Limits limits)
    : host_(host), id_(id), timer_(io, [this](Time now) { on_timer(now); }), deadlines_(limits, Clock::now()) {
  std::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (!ec && remote.address().is_v4()) {
    peer_.s_addr = htonl(remote.address().to_v4().to_uint());
    peer_text_ = remote.address().to_string() + ":" + std::to_string(remote.port());
  } else {
    peer_text_ = "unknown peer";
  }
  session::SessionConfig sc = config;
  gre_max_jump_ = config.gre.max_jump;
  sc.control.local_ipv4 = 0;
  sc.control.peer_ipv4 = ntohl(peer_.s_addr);
  session::SessionOutput& out = *this;
  session::CallHooks* hooks = this;
  session_ = std::make_unique<session::Session>(sc, ids, auth, out, hooks);
  stream_ = net::TcpStream::make(
      std::move(socket), [this](ByteView b) { on_bytes(b); }, [this](const std::error_code& e) { on_tcp_closed(e); });
}

Connection::~Connection() {
  if (stream_) stream_->close();
}

void Connection::start(Time now) {
  spdlog::info("connection #{} from {}", id_, peer_text_);
  stream_->start();
  session_->start(now);
  pump(now);
}

void Connection::on_bytes(ByteView bytes) {
  session_->receive_tcp(bytes, Clock::now());
  host_.host_mark_dirty(*this);
  host_.host_flush();
}

void Connection::on_tcp_closed(const std::error_code& why) {
  tcp_gone_ = true;
  const Time now = Clock::now();
  if (why == net::TcpStream::send_queue_full()) {
    // The stream dropped its queue and closed (tcp_listener.hpp): a peer that sends requests and
    // never reads the replies. Say so, as the session's reason too.
    send_queue_overflowed_ = true;
    const std::string reason = "the peer does not read its control messages (more than " +
                               std::to_string(stream_->max_pending() / 1024) + " KiB queued for it)";
    spdlog::warn("connection #{} from {}: closing: {}", id_, peer_text_, reason);
    session_->stop(reason, now);
  } else if (why) {
    spdlog::info("connection #{} from {}: TCP error: {}", id_, peer_text_, why.message());
  }
  session_->on_transport_closed(now);
  host_.host_mark_dirty(*this);
  host_.host_flush();
}

void Connection::receive_gre(ByteView gre, Time now) {
  session_->receive_gre(gre, now);
  // The host checked the 8-octet header that holds the Call ID (RFC 2637 §4.1, octets 6-7).
  if (gre.size() >= 8) note_drops(load_be16(gre.data() + 6), now);
  if (!dirty) host_.host_mark_dirty(*this);
}

namespace {
std::uint64_t mppe_drops(const ppp::LinkCounters& c) {
  return c.mppe_too_short + c.mppe_not_encrypted + c.mppe_bad_header + c.mppe_stale + c.mppe_lost_sync +
         c.mppe_bad_inner + c.mppe_key_budget;
}
}  // namespace

void Connection::note_drops(std::uint16_t call_id, Time now) {
  auto it = calls_.find(call_id);
  const session::CallLink* link = session_->call(call_id);
  if (it == calls_.end() || link == nullptr) return;
  CallRecord& call = it->second;
  // Data-path drops: counted per packet, logged once per call (and summed up when it ends).
  if (!call.warned_gre_window && link->receive_window().counters().out_of_window > 0) {
    call.warned_gre_window = true;
    spdlog::warn("{}: dropping GRE packets whose sequence number is more than {} from the last accepted one "
                 "(spoofed or a peer that jumped; counted)", who(&call), gre_max_jump_);
  }
  if (auto w = call.stale_warning.poll(link->receive_window().counters(), now)) spdlog::warn("{}: {}", who(&call), *w);
  if (!call.warned_mppe && mppe_drops(link->link().counters()) > 0) {
    const auto& c = link->link().counters();
    call.warned_mppe = true;
    spdlog::warn("{}: dropping MPPE packets that do not decrypt (coherency count stale {}, lost sync {}, bad header {}, "
                 "garbage after decryption {}, over the key-change budget {}; counted)", who(&call), c.mppe_stale,
                 c.mppe_lost_sync, c.mppe_bad_header, c.mppe_bad_inner, c.mppe_key_budget);
  }
}

std::string Connection::drop_summary(std::uint16_t call_id, bool never_up) const {
  const session::CallLink* link = session_->call(call_id);
  if (link == nullptr) return {};
  std::string s;
  s += session::gre_drop_summary(link->receive_window().counters());
  const auto& c = link->link().counters();
  if (mppe_drops(c) > 0)
    s += "; MPPE dropped " + std::to_string(mppe_drops(c)) + " (stale coherency count " + std::to_string(c.mppe_stale) +
         ", lost sync " + std::to_string(c.mppe_lost_sync) + ", bad header " + std::to_string(c.mppe_bad_header) +
         ", garbage after decryption " + std::to_string(c.mppe_bad_inner) + ", over the key-change budget " +
         std::to_string(c.mppe_key_budget) + ")";
  if (c.dropped_too_long > 0)  // RFC 1661 §6.1
    s += "; " + std::to_string(c.dropped_too_long) + " frames above the MRU and 1500 octets dropped";
  if (never_up) {  // how far the negotiation got
    for (const ppp::Fsm* f : {&link->link().lcp(), &link->link().ipcp()}) {
      const auto& l = f->counters();
      if (l.requests_sent == 0 && l.naks_sent == 0 && l.rejects_sent == 0) continue;
      s += "; " + f->name() + ": " + std::to_string(l.requests_sent) + " Configure-Requests sent, " +
           std::to_string(l.naks_received) + " Naks and " + std::to_string(l.rejects_received) + " Rejects received, " +
           std::to_string(l.naks_sent) + " Naks and " + std::to_string(l.rejects_sent) + " Rejects sent";
    }
  }
  return s;
}

bool Connection::send_ipv4(std::uint16_t call_id, PacketBuffer& packet, Time now) {
  return send_ip(call_id, packet, now, false);
}

bool Connection::send_ipv6(std::uint16_t call_id, PacketBuffer& packet, Time now) {
  return send_ip(call_id, packet, now, true);
}

bool Connection::send_ip(std::uint16_t call_id, PacketBuffer& packet, Time now, bool v6) {
  auto it = calls_.find(call_id);
  const std::size_t size = packet.size();
  const bool ok = v6 ? session_->send_ipv6(call_id, packet, now) : session_->send_ipv4(call_id, packet, now);
  if (ok && it != calls_.end()) {
    it->second.bytes_out += size;
    ++it->second.packets_out;
  }
  if (!dirty) host_.host_mark_dirty(*this);
  return ok;
}

void Connection::stop(const std::string& reason, Time now, pptp::StopReason code) {
  if (!session_->closed()) session_->stop(reason, now, code);
  pump(now);
}

void Connection::terminate(const std::string& reason, Time now, SessionEnd why) {
  set_end(why);
  if (!session_->closed()) session_->terminate(reason, now);
  pump(now);
}

std::optional<SessionLimits::Expired> Connection::check_limits(Time now) {
  if (closing_) return std::nullopt;
  for (auto& [id, call] : calls_) {
    if (!call.up || !call.limits.any()) continue;
    if (auto e = call.limits.check(now, call.packets_in + call.packets_out)) return e;
  }
  return std::nullopt;
}

bool Connection::change_limits(std::uint16_t call_id, std::optional<std::uint32_t> session_timeout,
                               std::optional<std::uint32_t> idle_timeout) {
  auto it = calls_.find(call_id);
  if (it == calls_.end() || !it->second.up) return false;
  it->second.limits.change(it->second.up_since, session_timeout, idle_timeout);
  spdlog::info("{}: CoA: Session-Timeout {}, Idle-Timeout {}", who(&it->second),
               session_timeout ? std::to_string(*session_timeout) + " s" : std::string("unchanged"),
               idle_timeout ? std::to_string(*idle_timeout) + " s" : std::string("unchanged"));
  return true;
}

void Connection::pump(Time now) {
  dirty = false;
  if (done_) return;
  Bytes out = session_->take_tcp_output();
  if (!out.empty() && !tcp_gone_) stream_->send(out);
  if (session_->closed()) {
    if (!closing_) {
      closing_ = true;
      closing_since_ = now;
    }
    check_drained(now);
    return;
  }
  std::optional<Time> d = session_->deadline();
  if (expired_ == ConnectionDeadlines::Expired::none) {
    if (auto own = deadlines_.deadline(); own && (!d || *own < *d)) d = own;
  }
  if (d) {
    if (timer_.armed() != d) timer_.arm(*d);
  } else {
    timer_.cancel();
  }
}

void Connection::on_timer(Time now) {
  if (closing_) {
    check_drained(now);
    return;
  }
  if (const auto e = deadlines_.expired(now); e != ConnectionDeadlines::Expired::none &&
                                               expired_ == ConnectionDeadlines::Expired::none) {
    expired_ = e;  // no longer a handshake: its slot is free at once
    const std::string reason = deadlines_.reason(e);
    spdlog::warn("connection #{} from {}: closing: {}", id_, peer_text_, reason);
    // Stop-Control-Connection-Request (RFC 2637 §2.3), then close without waiting up to
    // stop_timeout for the reply: this peer has shown it does not follow the protocol.
    session_->stop(reason, now);
    if (Bytes out = session_->take_tcp_output(); !out.empty() && !tcp_gone_) stream_->send(out);
    session_->on_transport_closed(now);
  }
  session_->on_timer(now);
  host_.host_mark_dirty(*this);
  host_.host_flush();
}

// After the Session closed: wait until the last control messages (CDN, StopCCRP) have left,
// then close TCP and let the host delete us.
void Connection::check_drained(Time now) {
  if (done_) return;
  if (tcp_gone_ || stream_->pending_bytes() == 0 || now - closing_since_ >= kDrainLimit) {
    done_ = true;
    timer_.cancel();
    stream_->close();
    host_.host_connection_done(*this);
    return;
  }
  timer_.arm(now + std::chrono::milliseconds(20));
}

std::string Connection::who(const CallRecord* call) const {
  std::string s = "#" + std::to_string(id_) + " " + peer_text_;
  if (call != nullptr) {
    s += " call " + std::to_string(call->call_id);
    if (!call->user.empty()) s += " " + ppp::describe_user(call->user);
  }
  return s;
}

void Connection::send_gre(MutableByteView packet) { host_.host_send_gre(peer_, packet); }

void Connection::deliver_ipv4(std::uint16_t call_id, ByteView packet) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return;
  CallRecord& call = it->second;
  // Anti-spoofing: a client may only send from the address it was given.
  auto addrs = net::ip_addresses(packet);
  if (!addrs || addrs->family != AF_INET || ntohl(addrs->src4.s_addr) != call.address) {
    if (call.spoofed++ == 0)
      spdlog::warn("{}: dropping packets whose source is not {} (counted)", who(&call), ipv4_text(call.address));
    return;
  }
  call.bytes_in += packet.size();
  ++call.packets_in;
  host_.host_write_tun(call, packet);
}

void Connection::deliver_ipv6(std::uint16_t call_id, ByteView packet) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return;
  CallRecord& call = it->second;
  auto addrs = net::ip_addresses(packet);
  if (addrs && addrs->family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&addrs->src6)) {
    // Duplicate Address Detection and MLD before the client's kernel has an address (RFC 4862
    // §5.4, RFC 3810 §5.2.13) use "::": harmless, of no use past the link, not spoofing.
    ++call.ipv6_unspecified;
    return;
  }
  // Anti-spoofing: a client may only send from fe80::<its id> or <prefix>::<its id>.
  std::optional<std::uint64_t> src_id;
  if (addrs && addrs->family == AF_INET6) {
    Ipv6Address src;
    std::memcpy(src.bytes.data(), &addrs->src6, src.bytes.size());
    src_id = host_.host_ipv6_addressing().interface_id(src);
  }
  if (!call.ipv6_id || src_id != call.ipv6_id) {
    if (call.spoofed++ == 0)
      spdlog::warn("{}: dropping packets whose source is not the client's own address (counted)", who(&call));
    return;
  }
  call.bytes_in += packet.size();
  ++call.packets_in;
  host_.host_write_tun(call, packet);
}

void Connection::ipv6_up(CallRecord& call, const ppp::LinkUpInfo& link) {
  if (!link.local_ipv6_id || !link.peer_ipv6_id) return;
  spdlog::info("{}: IPv6 up: client interface id {}, server interface id {}", who(&call),
               to_string(link_local_address(*link.peer_ipv6_id)), to_string(link_local_address(*link.local_ipv6_id)));
  host_.host_ipv6_up(*this, call, *link.local_ipv6_id, *link.peer_ipv6_id);
}

void Connection::on_event(const session::SessionEvent& e) {
  using K = session::SessionEvent::Kind;
  auto it = calls_.find(e.call_id);
  CallRecord* call = it == calls_.end() ? nullptr : &it->second;
  switch (e.kind) {
    case K::ControlUp: spdlog::debug("{}: control connection up", who(nullptr)); break;
    case K::CallUp: spdlog::debug("{}: call {} up, PPP starts", who(nullptr), e.call_id); break;
    case K::LinkUp: {
      if (call == nullptr) break;
      call->up = true;
      call->mtu = e.link.mtu;
      ever_up_ = true;
      deadlines_.link_up();
      call->user = e.link.user;
      call->up_since = Clock::now();
      call->up_wall = std::chrono::system_clock::now();
      call->auth = e.link.auth_method ? std::string(to_string(*e.link.auth_method)) : "none";
      call->mppe = e.link.mppe ? ppp::describe(*e.link.mppe) : "none";
      const std::string auth = e.link.auth_method ? call->auth : "no authentication";
      const std::string mppe = e.link.mppe ? "MPPE " + call->mppe : "no encryption";
      spdlog::info("{}: link up: {}, {}, client address {}, server address {}, MRU {}", who(call), auth, mppe,
                   ipv4_text(e.link.peer_ipv4), ipv4_text(e.link.local_ipv4), e.link.peer_mru);
      host_.host_link_up(*this, *call);
      // IPV6CP may open before IPCP: then LinkUp carries its identifiers and no Ipv6Up follows.
      if (e.link.peer_ipv6_id) ipv6_up(*call, e.link);
      break;
    }
    case K::Ipv6Up:
      if (call != nullptr) ipv6_up(*call, e.link);
      break;
    case K::LinkDown:
      if (call == nullptr) {
        spdlog::info("{}: call {} ended: {}", who(nullptr), e.call_id, e.reason);
        break;
      }
      spdlog::info("{}: session ended after {}: {}; bytes from client {} ({} packets), to client {} ({} packets){}{}",
                   who(call), call->up ? duration_text(Clock::now() - call->up_since) : std::string("0 s"), e.reason,
                   call->bytes_in, call->packets_in, call->bytes_out, call->packets_out,
                   (call->spoofed ? ", spoofed packets dropped " + std::to_string(call->spoofed) : std::string()) +
                       (call->ipv6_unspecified
                            ? ", IPv6 packets from :: dropped " + std::to_string(call->ipv6_unspecified)
                            : std::string()),
                   drop_summary(e.call_id, call->up_since == Time{}));
      {
        // The Link's reason for a failed authentication starts so (ppp/link.cpp fail()). Every one
        // counts toward the lockout, also a re-authentication on an up call (issue 19 item 1).
        const bool auth_failed = e.reason.rfind("authentication failed", 0) == 0;
        if (auth_failed && !call->up && call->auth.empty()) call->auth = negotiated_auth(e.call_id);
        host_.host_link_down(*this, *call, e);
        if (auth_failed) host_.host_auth_failed(*this, e.link.user);
        if (e.reason.rfind("re-authentication named", 0) == 0)
          spdlog::warn("{}: call ended: {}", who(call), e.reason);
      }
      call->up = false;
      break;
    case K::Closed: spdlog::info("{}: control connection closed: {}", who(nullptr), e.reason); break;
    case K::Warning: spdlog::debug("{}: {}", who(call), e.reason); break;
  }
}

bool Connection::prepare_call(std::uint16_t call_id, ppp::LinkConfig& config, std::string& why) {
  CallRecord rec;
  rec.call_id = call_id;
  rec.placed = Clock::now();
  if (!host_.host_prepare_call(*this, rec, config, why)) {
    spdlog::warn("{}: call {} refused: {}", who(nullptr), call_id, why);
    return false;
  }
  calls_[call_id] = rec;
  deadlines_.set_calls(calls_.size(), Clock::now());
  return true;
}

bool Connection::prepare_network(std::uint16_t call_id, const std::string& user, ppp::IpcpConfig& ipcp,
                                 ppp::Ipv6cpConfig&, std::string& why) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) {
    why = "the call is not registered";
    return false;
  }
  if (!host_.host_prepare_network(*this, it->second, user, ipcp, why)) {
    spdlog::warn("{}: no address for user \"{}\": {}", who(&it->second), user, why);
    return false;
  }
  return true;
}

void Connection::call_finished(std::uint16_t call_id) {
  auto it = calls_.find(call_id);
  if (it == calls_.end()) return;
  host_.host_call_finished(*this, it->second);
  calls_.erase(it);
  deadlines_.set_calls(calls_.size(), Clock::now());
}

}  // namespace pptpx::server
