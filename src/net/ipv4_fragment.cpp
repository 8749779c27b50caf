#include "net/ipv4_fragment.hpp"

#include <algorithm>
#include <cstring>

#include "net/inet_checksum.hpp"

namespace pptpx::net {

namespace {
constexpr std::size_t kHeader = 20;
constexpr std::uint16_t kFlagDf = 0x4000, kFlagMf = 0x2000, kOffsetMask = 0x1fff;
}  // namespace

FragmentResult fragment_ipv4(ByteView p, std::size_t mtu, std::span<PacketBuffer> out) noexcept {
  // A packet whose version, IHL or Total Length disagree with what was read lies about its size.
  if (p.size() < kHeader || (p[0] >> 4) != 4 || (p[0] & 0x0f) != 5) return {};
  const std::size_t total = load_be16(p.data() + 2);
  if (total < kHeader || total > p.size()) return {};
  const std::uint16_t flags_offset = load_be16(p.data() + 6);
  if (total <= mtu) {
    if (out.empty() || out[0].tailroom() < total) return {};
    out[0].reset();
    std::memcpy(out[0].push_back(total), p.data(), total);
    return {FragmentStatus::Ok, 1};
  }
  if ((flags_offset & kFlagDf) != 0) return {FragmentStatus::DontFragment, 0};
  // Every fragment but the last carries a multiple of 8 data octets (the offset unit).
  if (mtu < kHeader + 8) return {};
  const std::size_t chunk = (mtu - kHeader) / 8 * 8;
  const std::size_t data = total - kHeader;
  const std::size_t count = (data + chunk - 1) / chunk;
  if (count > out.size()) return {};
  const std::size_t base_offset = flags_offset & kOffsetMask;  // the packet may itself be a fragment
  const bool more_after = (flags_offset & kFlagMf) != 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t from = i * chunk;
    const std::size_t len = std::min(chunk, data - from);
    PacketBuffer& b = out[i];
    b.reset();
    std::uint8_t* d = b.push_back(kHeader + len);
    if (d == nullptr) return {};
    std::memcpy(d, p.data(), kHeader);
    std::memcpy(d + kHeader, p.data() + kHeader + from, len);
    store_be16(d + 2, static_cast<std::uint16_t>(kHeader + len));
    const bool last = i + 1 == count;
    const std::size_t offset = base_offset + from / 8;
    if (offset > kOffsetMask) return {};
    store_be16(d + 6, static_cast<std::uint16_t>(offset | ((!last || more_after) ? kFlagMf : 0)));
    store_be16(d + 10, 0);
    store_be16(d + 10, checksum_finish(checksum_add(0, ByteView(d, kHeader))));
  }
  return {FragmentStatus::Ok, count};
}

}  // namespace pptpx::net
