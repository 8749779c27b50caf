// Test helper: bytes from a hex string copied out of an RFC or a capture; fails the test on typos.
#pragma once
#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string_view>

#include "util/hex.hpp"

namespace pptpx::test {
inline Bytes hex(std::string_view text) {
  auto b = from_hex(text);
  if (!b) throw std::invalid_argument("bad hex literal in test: " + std::string(text));
  return *b;
}
template <std::size_t N>
std::array<std::uint8_t, N> hex_array(std::string_view text) {
  Bytes b = hex(text);
  if (b.size() != N) throw std::invalid_argument("hex literal has wrong length: " + std::string(text));
  std::array<std::uint8_t, N> a{};
  for (std::size_t i = 0; i < N; ++i) a[i] = b[i];
  return a;
}
}  // namespace pptpx::test
