// From a captured frame to whole IPv4 datagrams: link header (Ethernet with 802.1Q/802.1ad tags,
// Linux cooked SLL and SLL2, raw IP, BSD loopback), the IPv4 header (RFC 791 §3.1) and
// fragment reassembly (RFC 791 §3.2, RFC 815's hole list reduced to a sorted map). Sans-I/O.
//
// Written here rather than taken from libtins (Debian libtins-dev): see docs/architecture.md,
// "The audit layer" — PPTP needs only IPv4 + TCP + GRE, and the audit must count and explain
// every octet it could not use (snaplen cuts, gaps, overlaps), which libtins' reassemblers hide.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "audit/frame_source.hpp"
#include "audit/limits.hpp"
#include "util/bytes.hpp"

namespace pptpx::audit {

// The IPv4 datagram inside a frame (header included), cut to its Total Length (link padding
// dropped); nullopt when the frame carries something else (ARP, IPv6, LLC, ...).
std::optional<ByteView> ipv4_in_frame(int link_type, ByteView frame);

struct Ipv4Header {
  std::uint32_t src = 0, dst = 0;  // host order
  std::uint8_t protocol = 0;
  std::uint16_t id = 0;
  std::uint16_t fragment_offset = 0;  // octets
  bool more_fragments = false;
  ByteView payload;  // after the header, up to Total Length
  bool fragment() const { return more_fragments || fragment_offset != 0; }
};

enum class Ipv4Error : std::uint8_t { None, NotIpv4, BadHeader, Truncated };
struct Ipv4Parse {
  Ipv4Error error = Ipv4Error::None;
  Ipv4Header header;
};
Ipv4Parse parse_ipv4(ByteView datagram);

std::string ipv4_to_string(std::uint32_t a);

// A whole datagram: either the unfragmented original (payload a view into it) or reassembled
// (payload a view into `storage`).
struct Ipv4Datagram {
  Ipv4Header header;
  Bytes storage;
};

struct DefragCounters {
  std::uint64_t fragments = 0, reassembled = 0, expired = 0, overlaps = 0, dropped_oversize = 0;
  std::uint64_t evicted = 0;  // incomplete datagrams dropped at a TrackingLimits bound (oldest first)
};

class Ipv4Defragmenter {
 public:
  static constexpr Timestamp kTimeout = 30'000'000;  // 30 s, like Linux ipfrag_time

  explicit Ipv4Defragmenter(const TrackingLimits& limits = {}) : limits_(limits) {}

  // A fragment: stores it and returns the whole datagram once every octet is there.
  std::optional<Ipv4Datagram> add(const Ipv4Header& fragment, Timestamp now);
  const DefragCounters& counters() const { return counters_; }
  std::size_t pending() const { return pending_.size(); }
  std::size_t held_fragments() const { return held_fragments_; }

 private:
  struct Key {
    std::uint32_t src, dst;
    std::uint16_t id;
    std::uint8_t protocol;
    auto operator<=>(const Key&) const = default;
  };
  struct Pending {
    std::map<std::uint32_t, Bytes> pieces;  // offset -> octets
    std::optional<std::uint32_t> total;     // known once the last fragment (MF clear) came
    Timestamp first = 0;
  };
  void expire(Timestamp now);
  void evict_oldest();

  TrackingLimits limits_;
  std::map<Key, Pending> pending_;
  std::size_t held_fragments_ = 0;  // sum of pieces.size() over pending_
  DefragCounters counters_;
};

}  // namespace pptpx::audit
