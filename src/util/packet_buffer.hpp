// A fixed-capacity packet buffer with headroom, so each layer prepends its header in place
// (IP packet -> PPP protocol -> MPPE -> PPP address/control -> GRE -> outer IP) without copying
// or allocating per packet (ARCHITECTURE.md "Packet path").
//
//   bytes_: [ ..... headroom ..... | data (size_) | ..... tailroom ..... ]
//           0                      head_          head_ + size_           kCapacity
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "util/bytes.hpp"

namespace pptpx {

class PacketBuffer {
 public:
  static constexpr std::size_t kCapacity = 2048;
  // Enough for outer IPv4 (20) + enhanced GRE (16) + PPP address/control (2) + protocol (2) +
  // MPPE header (2) + inner protocol (2), rounded up with room to spare.
  static constexpr std::size_t kDefaultHeadroom = 96;

  explicit PacketBuffer(std::size_t headroom = kDefaultHeadroom) noexcept { reset(headroom); }

  // Empties the buffer and places the data start `headroom` bytes in.
  void reset(std::size_t headroom = kDefaultHeadroom) noexcept {
    head_ = headroom < kCapacity ? headroom : kCapacity;
    size_ = 0;
  }

  std::uint8_t* data() noexcept { return bytes_.data() + head_; }
  const std::uint8_t* data() const noexcept { return bytes_.data() + head_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t headroom() const noexcept { return head_; }
  std::size_t tailroom() const noexcept { return kCapacity - head_ - size_; }
  MutableByteView view() noexcept { return {data(), size_}; }
  ByteView view() const noexcept { return {data(), size_}; }

  // Grows the data `n` bytes to the front; returns the new start, or nullptr (buffer unchanged)
  // when the headroom is too small.
  std::uint8_t* push_front(std::size_t n) noexcept {
    if (n > head_) return nullptr;
    head_ -= n;
    size_ += n;
    return data();
  }
  // Grows the data `n` bytes at the end; returns the start of the new bytes or nullptr.
  std::uint8_t* push_back(std::size_t n) noexcept {
    if (n > tailroom()) return nullptr;
    std::uint8_t* p = data() + size_;
    size_ += n;
    return p;
  }
  // Drops `n` bytes from the front (a header consumed); false if there are fewer.
  bool pull_front(std::size_t n) noexcept {
    if (n > size_) return false;
    head_ += n;
    size_ -= n;
    return true;
  }
  // Shortens the data to `n` bytes; false if it is shorter already.
  bool truncate(std::size_t n) noexcept {
    if (n > size_) return false;
    size_ = n;
    return true;
  }
  // Replaces the contents with `bytes` after `headroom`; false if they do not fit.
  bool assign(ByteView bytes, std::size_t headroom = kDefaultHeadroom) noexcept {
    if (headroom > kCapacity || bytes.size() > kCapacity - headroom) return false;
    head_ = headroom;
    size_ = bytes.size();
    if (!bytes.empty()) std::memcpy(data(), bytes.data(), bytes.size());
    return true;
  }
  bool append(ByteView bytes) noexcept {
    std::uint8_t* p = push_back(bytes.size());
    if (p == nullptr) return false;
    if (!bytes.empty()) std::memcpy(p, bytes.data(), bytes.size());
    return true;
  }

 private:
  std::array<std::uint8_t, kCapacity> bytes_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace pptpx
