// What `pptpx ctl sessions`, /metrics and the accounting log read about a connection's calls.
#include <arpa/inet.h>

#include <cstdlib>

#include "ppp/lcp.hpp"
#include "server/ip_address.hpp"
#include "server/ipv6_addressing.hpp"
#include "server/server_connection.hpp"

namespace pptpx::server {

std::string Connection::negotiated_auth(std::uint16_t call_id) const {
  const session::CallLink* link = session_->call(call_id);
  if (link == nullptr) return {};
  const auto& m = link->link().lcp_result().we_authenticate;
  return m ? std::string(to_string(*m)) : std::string();
}

control::SessionInfo Connection::describe_call(const CallRecord& call, Time now) const {
  control::SessionInfo s;
  s.id = id_;
  s.user = call.user;
  char addr[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &peer_, addr, sizeof addr);
  s.peer_address = addr;
  if (const auto colon = peer_text_.rfind(':'); colon != std::string::npos)
    s.peer_port = static_cast<std::uint16_t>(std::strtoul(peer_text_.c_str() + colon + 1, nullptr, 10));
  s.call_id = call.call_id;
  if (call.address != 0) s.ipv4 = to_string(Ipv4Address{call.address});
  if (call.ipv6_id) s.ipv6 = to_string(link_local_address(*call.ipv6_id));
  s.interface = call.interface;
  s.auth = call.auth;
  s.mppe = call.mppe;
  s.state = closing_ || session_->closed() ? "closing" : call.up ? "up" : "negotiating";
  if (call.up_since != Time{}) {
    s.started = std::chrono::duration_cast<std::chrono::seconds>(call.up_wall.time_since_epoch()).count();
    s.uptime_seconds = std::chrono::duration_cast<std::chrono::seconds>(now - call.up_since).count();
  }
  s.received_bytes = call.bytes_in;
  s.sent_bytes = call.bytes_out;
  s.received_packets = call.packets_in;
  s.sent_packets = call.packets_out;
  s.acct_session_id = call.acct_session_id;
  return s;
}

void Connection::describe(std::vector<control::SessionInfo>& out, Time now) const {
  for (const auto& [id, call] : calls_) out.push_back(describe_call(call, now));
}

}  // namespace pptpx::server
