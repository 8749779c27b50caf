// The client's Call ID (RFC 2637 §3.2.2), unique in its network namespace.
//
// GRE is demultiplexed by Call ID (RFC 2637 §4.1: the Call ID in an enhanced GRE header is the
// receiver's). Several pptpx clients in one namespace (same address, same server) each hold a raw
// GRE socket that sees every GRE packet, so two of them with the same Call ID take each other's
// packets. Random IDs (unpredictable, issue 19) make that rare, not impossible: 50 clients clash
// with a chance of about 2 %, and CI saw it. So each client also claims its ID in the namespace:
// it binds an abstract Unix socket named for the ID (abstract names belong to the network
// namespace and go away with the process, even on SIGKILL) and picks another ID when the name is
// taken. pptp-linux and other programs do not take part; pptpx clients never clash among
// themselves.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "pptp/call_id_allocator.hpp"

namespace pptpx::client {

// 32 bits from OpenSSL's CSPRNG, for pptp::RandomCallIdAllocator (as the server's Call IDs).
std::uint32_t random_call_id_bits();

class HostClaimedCallIdAllocator final : public pptp::CallIdAllocator {
 public:
  // `inner` picks the candidates (random, see pptp::RandomCallIdAllocator); `scope` is part of
  // the socket name, so tests can keep their claims apart.
  explicit HostClaimedCallIdAllocator(pptp::CallIdAllocator& inner, std::string scope = "pptpx");
  ~HostClaimedCallIdAllocator() override;
  HostClaimedCallIdAllocator(const HostClaimedCallIdAllocator&) = delete;
  HostClaimedCallIdAllocator& operator=(const HostClaimedCallIdAllocator&) = delete;

  // An ID no other pptpx client in this namespace holds. When the claim cannot be made at all
  // (no socket: out of descriptors), the unclaimed random ID is returned: as before, a clash is
  // unlikely, and a call is better than none.
  std::optional<std::uint16_t> allocate() override;
  void release(std::uint16_t id) override;
  bool in_use(std::uint16_t id) const override { return inner_.in_use(id); }
  bool claimed(std::uint16_t id) const { return claims_.count(id) != 0; }

 private:
  enum class Claim { made, taken, impossible };
  Claim claim(std::uint16_t id);

  pptp::CallIdAllocator& inner_;
  std::string scope_;
  std::map<std::uint16_t, int> claims_;  // ID -> the bound socket holding its name
};

}  // namespace pptpx::client
