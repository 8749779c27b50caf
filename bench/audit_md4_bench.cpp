// The wordlist check's per-word cost (issue 13): NtPasswordHash through OpenSSL's EVP MD4 (one
// call per word, as crypto::md4 does) against the side-by-side one-block MD4 of
// audit/md4_lanes.hpp (whole digests, and only the two-octet tails the filter needs), and the whole per-word check (crack_words on one thread: NT hash, the
// two-octet filter, DES for the 1 in 65 536 that pass) over words held in memory. Items/s are
// candidates per second on one core; scripts/bench.sh compares the CLI's rate with hashcat.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "audit/md4_lanes.hpp"
#include "audit/wordlist.hpp"
#include "auth/mschap.hpp"
#include "crypto/digest.hpp"

namespace pptpx::bench {
namespace {

std::vector<std::string> words(std::size_t n) {
  std::vector<std::string> out;
  out.reserve(n);
  std::uint32_t x = 12345;
  for (std::size_t i = 0; i < n; ++i) {
    std::string w;
    const std::size_t len = 6 + i % 7;
    for (std::size_t k = 0; k < len; ++k) {
      x = x * 1103515245u + 12345u;
      w.push_back(static_cast<char>('a' + (x >> 16) % 26));
    }
    out.push_back(std::move(w));
  }
  return out;
}

void BM_NtHashEvpMd4(benchmark::State& state) {
  const auto ws = words(1024);
  std::size_t i = 0;
  Bytes utf16;
  for (auto _ : state) {
    auth::password_to_utf16le(ws[i++ % ws.size()], utf16);
    benchmark::DoNotOptimize(crypto::md4({ByteView(utf16)}));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_NtHashEvpMd4);

void BM_NtHashLanes(benchmark::State& state) {
  const auto ws = words(1024);
  std::vector<std::string_view> views(ws.begin(), ws.end());
  std::array<crypto::Md4Digest, audit::kMd4Lanes> out;
  std::size_t i = 0;
  for (auto _ : state) {
    audit::nt_hash_lanes(views.data() + i, audit::kMd4Lanes, out.data());
    i = (i + audit::kMd4Lanes) % ws.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * audit::kMd4Lanes));
}
BENCHMARK(BM_NtHashLanes);

void BM_NtHashTailLanes(benchmark::State& state) {
  const auto ws = words(1024);
  std::vector<std::string_view> views(ws.begin(), ws.end());
  std::array<std::uint16_t, audit::kMd4Lanes> out;
  std::size_t i = 0;
  for (auto _ : state) {
    audit::nt_hash_tail_lanes(views.data() + i, audit::kMd4Lanes, out.data());
    i = (i + audit::kMd4Lanes) % ws.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * audit::kMd4Lanes));
}
BENCHMARK(BM_NtHashTailLanes);

// One MS-CHAPv2 target (RFC 2759 §9.2's challenge and a response from another password), so no
// word falls and every word is checked.
void BM_CrackWordsOneThread(benchmark::State& state) {
  const auto ws = words(1 << 20);
  audit::CrackTarget t;
  t.method = audit::AuthMethod::MsChapV2;
  t.des_challenge = auth::Challenge8{0xd0, 0x2e, 0x43, 0x86, 0xbc, 0xe9, 0x12, 0x26};
  const auto nt = auth::nt_password_hash("not in the list");
  t.nt_response = auth::challenge_response(t.des_challenge, nt);
  t.tail = static_cast<std::uint16_t>((nt[14] << 8) | nt[15]);
  const std::vector<audit::CrackTarget> targets{t};
  for (auto _ : state) {
    std::vector<audit::CrackHit> hits;
    benchmark::DoNotOptimize(audit::crack_words(ws, targets, hits, 1));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * ws.size()));
}
BENCHMARK(BM_CrackWordsOneThread)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace pptpx::bench
