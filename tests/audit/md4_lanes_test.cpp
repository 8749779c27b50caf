// The wordlist check's side-by-side MD4 against RFC 1320 §A.5's test suite and against OpenSSL
// (crypto::md4) on random input, and its NT hashes against RFC 2759 §9.2.
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "audit/md4_lanes.hpp"
#include "auth/mschap.hpp"
#include "util/hex.hpp"

namespace pptpx::audit::test {
namespace {

ByteView view(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

TEST(Md4Lanes, Rfc1320TestSuite) {
  // RFC 1320 §A.5 (the one-block messages; the 80-digit one is two blocks, not this path's job).
  const std::vector<std::pair<std::string, std::string>> suite{
      {"", "31d6cfe0d16ae931b73c59d7e0c089c0"},
      {"a", "bde52cb31de33e46245e05fbdbd6fb24"},
      {"abc", "a448017aaf21d8525fc10ae87aa6729d"},
      {"message digest", "d9130a8164549fe818874806e1c7014b"},
      {"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"},
  };
  std::vector<ByteView> msgs;
  for (const auto& [m, _] : suite) msgs.push_back(view(m));
  // 62 octets do not fit one block: check the others here, that one through OpenSSL below.
  msgs.pop_back();
  std::vector<crypto::Md4Digest> out(msgs.size());
  md4_one_block_lanes(msgs.data(), msgs.size(), out.data());
  for (std::size_t i = 0; i < msgs.size(); ++i) EXPECT_EQ(to_hex(out[i]), suite[i].second) << suite[i].first;
}

TEST(Md4Lanes, MatchesOpenSslOnRandomInputOfEveryOneBlockLength) {
  std::mt19937 rng(1320);
  for (int round = 0; round < 200; ++round) {
    const std::size_t n = 1 + static_cast<std::size_t>(rng() % kMd4Lanes);
    std::vector<Bytes> data(n);
    std::vector<ByteView> msgs;
    for (std::size_t i = 0; i < n; ++i) {
      data[i].resize(static_cast<std::size_t>(rng() % (kMd4OneBlockMax + 1)));
      for (auto& b : data[i]) b = static_cast<std::uint8_t>(rng());
      msgs.emplace_back(data[i]);
    }
    std::vector<crypto::Md4Digest> out(n);
    md4_one_block_lanes(msgs.data(), n, out.data());
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], crypto::md4({msgs[i]})) << "length " << msgs[i].size();
  }
}

TEST(Md4Lanes, NtHashesMatchRfc2759AndOpenSsl) {
  // RFC 2759 §9.2: Password "clientPass", PasswordHash 44EBBA8D5312B8D611474411F56989AE.
  std::vector<std::string> words{"clientPass", "", "Tunnel-Lab-7", std::string(27, 'z'), "MyPw"};
  std::mt19937 rng(2759);
  while (words.size() < 3 * kMd4Lanes) {
    std::string w(static_cast<std::size_t>(rng() % 28), ' ');
    for (auto& c : w) c = static_cast<char>(0x20 + rng() % 0x5f);
    words.push_back(w);
  }
  for (std::size_t start = 0; start < words.size(); start += kMd4Lanes) {
    const std::size_t n = std::min(kMd4Lanes, words.size() - start);
    std::vector<std::string_view> v(words.begin() + static_cast<std::ptrdiff_t>(start),
                                    words.begin() + static_cast<std::ptrdiff_t>(start + n));
    std::vector<crypto::Md4Digest> out(n);
    for (auto w : v) ASSERT_TRUE(nt_hash_fast_path(w));
    nt_hash_lanes(v.data(), n, out.data());
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], auth::nt_password_hash(std::string(v[i]))) << v[i];
  }
  crypto::Md4Digest one;
  const std::string_view client_pass = "clientPass";
  nt_hash_lanes(&client_pass, 1, &one);
  EXPECT_EQ(to_hex(one), "44ebba8d5312b8d611474411f56989ae");
}

TEST(Md4Lanes, TailsAreTheNtHashesLastTwoOctets) {
  std::mt19937 rng(65536);
  std::vector<std::string> words{"Tunnel-Lab-7", "clientPass", ""};
  while (words.size() < kMd4Lanes) {
    std::string w(static_cast<std::size_t>(rng() % 28), ' ');
    for (auto& c : w) c = static_cast<char>(0x20 + rng() % 0x5f);
    words.push_back(w);
  }
  std::vector<std::string_view> v(words.begin(), words.end());
  std::array<std::uint16_t, kMd4Lanes> tails{};
  nt_hash_tail_lanes(v.data(), v.size(), tails.data());
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto nt = auth::nt_password_hash(words[i]);
    EXPECT_EQ(tails[i], (nt[14] << 8) | nt[15]) << words[i];
  }
  // RFC 2759 §9.2: PasswordHash 44EBBA8D5312B8D611474411F56989AE ends 89 AE.
  EXPECT_EQ(tails[1], 0x89ae);
}

TEST(Md4Lanes, FastPathOnlyForShortAscii) {
  EXPECT_TRUE(nt_hash_fast_path(std::string(27, 'a')));
  EXPECT_FALSE(nt_hash_fast_path(std::string(28, 'a')));
  EXPECT_FALSE(nt_hash_fast_path("p\xc3\xa4ss"));
}

}  // namespace
}  // namespace pptpx::audit::test
