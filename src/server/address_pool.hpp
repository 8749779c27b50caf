// Client tunnel addresses: an IPv4 pool (range or CIDR from [ipv4] pool, never handing out the
// server's own address), static per-user reservations (4th column of chap-secrets), and IPv6
// interface identifiers (RFC 5072 §4.1) unique among the server's links.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "server/ip_address.hpp"

namespace pptpx::server {

class Ipv4Pool {
 public:
  Ipv4Pool(Ipv4Range range, Ipv4Address server_address);

  // Static addresses by user. They are handed only to their user; those inside the range are
  // removed from the dynamic pool. Replaces earlier reservations (call again after a reload);
  // addresses already allocated stay allocated.
  void set_reservations(const std::vector<std::pair<std::string, Ipv4Address>>& reservations);

  struct Allocation {
    std::optional<Ipv4Address> address;
    std::string error;  // set when address is not: one sentence with the fix
  };
  // `static_address`: the user's own address from the secrets file, if any.
  Allocation allocate(std::string_view user, std::optional<Ipv4Address> static_address);
  // Returns an address; releasing one not allocated is ignored (and reported false).
  bool release(Ipv4Address a);

  bool in_use(Ipv4Address a) const { return used_.count(a.value) != 0; }
  std::size_t allocated() const { return used_.size(); }
  // Addresses the dynamic pool can hand out in total (range less server and reservations).
  std::uint64_t dynamic_capacity() const;
  // For `pptpx ctl pool`.
  const Ipv4Range& range() const { return range_; }
  Ipv4Address server_address() const { return server_; }
  const std::unordered_set<std::uint32_t>& allocated_addresses() const { return used_; }
  const std::unordered_map<std::uint32_t, std::string>& reservations() const { return reserved_; }

 private:
  std::string describe() const;
  bool reserved(std::uint32_t a) const { return reserved_.count(a) != 0; }
  Ipv4Range range_;
  Ipv4Address server_;
  std::unordered_set<std::uint32_t> used_;
  std::unordered_map<std::uint32_t, std::string> reserved_;  // address -> user
  std::unordered_set<std::uint32_t> dynamic_;  // the subset of used_ the dynamic pool gave out
  std::uint32_t cursor_;  // next-fit: where the next dynamic search starts
};

// 64-bit IPv6 interface identifiers handed to peers in IPV6CP.
class Ipv6InterfaceIds {
 public:
  // The "u" (universal/local) bit of a modified EUI-64 interface identifier (RFC 4291 App. A).
  static constexpr std::uint64_t kUniversalBit = 0x0200'0000'0000'0000ULL;
  explicit Ipv6InterfaceIds(std::uint64_t server_id) : server_id_(server_id) {}
  // Accepts the peer's proposal when it is usable (non-zero, not the server's, not taken);
  // otherwise picks one starting from `random_bits` (the caller's random source, so tests are
  // deterministic). RFC 5072 §4.1: a zero proposal means the peer has no identifier and asks
  // for one; a randomly chosen identifier MUST have its "u" bit (kUniversalBit) set to zero.
  std::uint64_t allocate(std::optional<std::uint64_t> proposed, std::uint64_t random_bits);
  bool release(std::uint64_t id) { return used_.erase(id) != 0; }
  bool in_use(std::uint64_t id) const { return used_.count(id) != 0; }
  // prefix (a /64 or shorter) with the low 64 bits replaced by `id`.
  static Ipv6Address address(const Ipv6Prefix& prefix, std::uint64_t id);

 private:
  bool usable(std::uint64_t id) const { return id != 0 && id != server_id_ && used_.count(id) == 0; }
  std::uint64_t server_id_;
  std::unordered_set<std::uint64_t> used_;
};

}  // namespace pptpx::server
