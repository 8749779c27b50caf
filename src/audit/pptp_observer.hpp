// The passive PPTP observer: control connections (TCP port 1723, both directions reassembled and
// cut into messages with pptpx's control codec), the calls they set up, and the GRE packets
// (pptpx's GRE header codec) routed to each call's PppObserver by address and Call ID. A call
// whose setup is not in the capture is picked up from its GRE alone. Sans-I/O: IPv4 datagrams in.
#pragma once
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include "audit/ip_layer.hpp"
#include "audit/limits.hpp"
#include "audit/ppp_observer.hpp"
#include "audit/session_report.hpp"
#include "audit/tcp_reassembly.hpp"
#include "pptp/control_message.hpp"

namespace pptpx::audit {

// Something an operator should look at (see monitor thresholds in AuditOptions).
struct Alert {
  std::string kind;  // "brute-force", "scan", "unknown-call", "hijack"
  Timestamp first = 0, last = 0;
  std::string source;
  std::string text;
  std::uint64_t evidence_packets = 0;
};

struct ObserverCounters {
  std::uint64_t ipv4 = 0, not_ipv4 = 0, truncated = 0, bad_ip = 0, tcp_pptp = 0, gre = 0, bad_gre = 0, other = 0;
};

class PptpObserver {
 public:
  PptpObserver(const KeyBook& keys, InnerSink sink, const TrackingLimits& limits = {})
      : keys_(keys), sink_(std::move(sink)), limits_(limits) {}
  // A whole IPv4 datagram (already reassembled).
  void datagram(const Ipv4Header& ip, Timestamp t);
  // End of input: flush the TCP streams (reporting holes) and mark calls still open.
  void finish(Timestamp t);

  const std::vector<std::unique_ptr<Session>>& sessions() const { return sessions_; }
  std::vector<std::unique_ptr<Session>>& sessions() { return sessions_; }
  const std::vector<ControlConnection>& connections() const;
  ObserverCounters& counters() { return counters_; }
  const ObserverCounters& counters() const { return counters_; }
  // GRE packets for calls the observer never saw set up, per (src, dst, call id).
  const std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint16_t>, std::uint64_t>& unknown_gre() const {
    return unknown_gre_;
  }
  // What is tracked now (each under its TrackingLimits bound) and what was evicted to keep it so.
  std::size_t tracked_connections() const { return conns_.size(); }
  std::size_t held_reassembly_octets() const { return held_octets_; }
  std::size_t gre_routes() const { return routes_.size(); }
  const EvictionCounters& evictions() const { return evictions_; }

 private:
  struct Direction {
    TcpStream tcp;
    Bytes buf;
    bool synced = false;
  };
  struct Connection {
    ControlConnection info;
    Direction dir[2];  // 0 = client -> server (port 1723), 1 = server -> client
    std::vector<Session*> calls;  // in sessions_
  };
  struct GreRoute {
    Session* session;
    PppObserver* ppp;
    int direction;
  };

  void tcp(const Ipv4Header& ip, Timestamp t);
  void stream_bytes(Connection& c, int dir, ByteView data, std::uint64_t gap, Timestamp t);
  void message(Connection& c, int dir, const pptp::ControlMessage& m, Timestamp t);
  void gre(const Ipv4Header& ip, Timestamp t);
  Session& new_session(Timestamp t);
  void end_call(Session& s, const std::string& why, Timestamp t);
  void route(std::uint32_t src, std::uint32_t dst, std::uint16_t call_id, Session& session, int dir);
  // TrackingLimits: octets a connection holds (TCP beyond holes + control bytes not yet cut).
  static std::size_t held(const Connection& c);
  // Hands on everything a connection holds (holes skipped and counted as gaps).
  void release(Connection& c, Timestamp t);
  void evict_connection(Timestamp t);
  void evict_session();
  void bound_reassembly(Timestamp t);

  const KeyBook& keys_;
  InnerSink sink_;
  TrackingLimits limits_;
  EvictionCounters evictions_;
  std::size_t held_octets_ = 0;      // sum of held() over conns_
  std::size_t sessions_created_ = 0;  // Session::index numbering survives evictions
  std::vector<std::unique_ptr<Session>> sessions_;
  std::map<const Session*, std::unique_ptr<PppObserver>> ppp_;
  // (client ip, client port, server ip) -> connection
  std::map<std::tuple<std::uint32_t, std::uint16_t, std::uint32_t>, Connection> conns_;
  mutable std::vector<ControlConnection> conn_list_;
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint16_t>, GreRoute> routes_;
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint16_t>, std::uint64_t> unknown_gre_;
  ObserverCounters counters_;
};

}  // namespace pptpx::audit
