// Wordlist and NT-hash-list checks on the shared captures' handshakes (password Tunnel-Lab-7).
#include <gtest/gtest.h>

#include "audit/wordlist.hpp"
#include "audit_harness.hpp"
#include "support/test_paths.hpp"

namespace pptpx::audit::test {
namespace {

std::vector<CrackTarget> targets_of(const std::vector<std::string>& files) {
  std::vector<CrackTarget> out;
  for (const auto& f : files) {
    auto r = run_audit(pptpx::test::capture_path(f));
    auto t = crack_targets(r->session());
    out.insert(out.end(), t.begin(), t.end());
  }
  return out;
}

TEST(Wordlist, EveryCapturedHandshakeFallsToAListHoldingThePassword) {
  const auto targets = targets_of({"mschapv2-mppe128.pcap", "mschapv1-mppe128.pcap", "chapmd5-plain.pcap"});
  ASSERT_EQ(targets.size(), 3u);
  std::vector<std::string> words;
  for (int i = 0; i < 20000; ++i) words.push_back("word" + std::to_string(i));
  words.insert(words.begin() + 12345, "Tunnel-Lab-7");
  std::vector<CrackHit> hits;
  const auto st = crack_words(words, targets, hits, 2);
  ASSERT_EQ(hits.size(), 3u);
  for (const auto& h : hits) {
    ASSERT_TRUE(h.password);
    EXPECT_EQ(*h.password, "Tunnel-Lab-7");
    EXPECT_EQ(h.nt_hash, auth::nt_password_hash("Tunnel-Lab-7"));
  }
  EXPECT_GT(st.candidates, 0u);
  EXPECT_LE(st.candidates, words.size());
}

TEST(Wordlist, NothingFallsToAListWithoutThePassword) {
  const auto targets = targets_of({"mschapv2-mppe40.pcap", "chapmd5-plain.pcap"});
  std::vector<std::string> words{"password", "Tunnel-Lab-8", "tunnel-lab-7", ""};
  std::vector<CrackHit> hits;
  const auto st = crack_words(words, targets, hits, 1);
  EXPECT_TRUE(hits.empty());
  EXPECT_EQ(st.candidates, words.size());
}

TEST(Wordlist, NtHashListFindsTheHashAndTheTailFilterRejectsOthers) {
  const auto targets = targets_of({"mschapv2-mppe128.pcap"});
  const auto right = auth::nt_password_hash("Tunnel-Lab-7");
  auth::NtHash same_tail = auth::nt_password_hash("other");
  same_tail[14] = right[14];
  same_tail[15] = right[15];  // passes the two-octet filter, must fail the DES check
  EXPECT_FALSE(nt_hash_matches(targets[0], same_tail));
  EXPECT_TRUE(nt_hash_matches(targets[0], right));
  std::vector<CrackHit> hits;
  crack_nt_hashes({same_tail, right}, targets, hits);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].nt_hash, right);
  EXPECT_FALSE(hits[0].password);
}

}  // namespace
}  // namespace pptpx::audit::test
