#include "audit/wordlist.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "audit/md4_lanes.hpp"
#include "auth/chap_md5.hpp"
#include "auth/mschap.hpp"
#include "crypto/digest.hpp"

namespace pptpx::audit {

std::vector<CrackTarget> crack_targets(const Session& s) {
  std::vector<CrackTarget> out;
  for (std::size_t i = 0; i < s.handshakes.size(); ++i) {
    const Handshake& h = s.handshakes[i];
    CrackTarget t;
    t.session = s.index;
    t.handshake = i;
    t.method = h.method;
    t.name = h.name;
    if ((h.method == AuthMethod::MsChapV1 || h.method == AuthMethod::MsChapV2) && h.nt_response &&
        h.des_challenge && h.nt_hash_tail) {
      t.des_challenge = *h.des_challenge;
      t.nt_response = *h.nt_response;
      t.tail = *h.nt_hash_tail;
      out.push_back(std::move(t));
    } else if (h.method == AuthMethod::ChapMd5 && h.response.size() == 16) {
      t.identifier = h.identifier;
      t.challenge = h.challenge;
      t.response = h.response;
      out.push_back(std::move(t));
    }
  }
  return out;
}

bool nt_hash_matches(const CrackTarget& t, const auth::NtHash& nt) {
  if (((nt[14] << 8) | nt[15]) != t.tail) return false;  // 1 in 65 536 gets past this
  return auth::challenge_response(t.des_challenge, nt) == t.nt_response;
}

namespace {

// UTF-16LE the way password_to_utf16le does for ASCII (the common case, no allocation), else
// the full conversion.
bool to_utf16(std::string_view w, Bytes& out) {
  if (std::all_of(w.begin(), w.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    if (w.size() > 256) return false;
    out.resize(w.size() * 2);
    for (std::size_t i = 0; i < w.size(); ++i) {
      out[2 * i] = static_cast<std::uint8_t>(w[i]);
      out[2 * i + 1] = 0;
    }
    return true;
  }
  return auth::password_to_utf16le(w, out);
}

template <typename Item, typename Check>
CrackStats run_parallel(const std::vector<Item>& items, const std::vector<CrackTarget>& targets,
                        std::vector<CrackHit>& hits, unsigned threads, Check check) {
  CrackStats st;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(1, items.size() / 1024 + 1)));
  st.threads = threads;
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> tried{0};
  std::vector<std::atomic<bool>> found(targets.size());
  std::atomic<std::size_t> remaining{targets.size()};
  std::mutex m;
  const auto t0 = std::chrono::steady_clock::now();
  auto worker = [&] {
    constexpr std::size_t kChunk = 4096;
    std::uint64_t local = 0;
    Bytes scratch;
    for (;;) {
      if (remaining.load(std::memory_order_relaxed) == 0) break;
      const std::size_t begin = next.fetch_add(kChunk);
      if (begin >= items.size()) break;
      const std::size_t end = std::min(items.size(), begin + kChunk);
      local += end - begin;
      check(items.data() + begin, end - begin, scratch, [&](std::size_t ti, const CrackHit& hit) {
        if (found[ti].exchange(true)) return;
        --remaining;
        std::lock_guard<std::mutex> g(m);
        hits.push_back(hit);
      });
    }
    tried += local;
  };
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  st.candidates = tried.load();
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::sort(hits.begin(), hits.end(), [](const CrackHit& a, const CrackHit& b) { return a.target < b.target; });
  return st;
}

}  // namespace

CrackStats crack_words(const std::vector<std::string>& words, const std::vector<CrackTarget>& targets,
                       std::vector<CrackHit>& hits, unsigned threads) {
  return crack_words(std::vector<std::string_view>(words.begin(), words.end()), targets, hits, threads);
}

CrackStats crack_words(const std::vector<std::string_view>& words, const std::vector<CrackTarget>& targets,
                       std::vector<CrackHit>& hits, unsigned threads) {
  bool any_mschap = false, any_md5 = false;
  for (const auto& t : targets) {
    any_mschap = any_mschap || t.method == AuthMethod::MsChapV1 || t.method == AuthMethod::MsChapV2;
    any_md5 = any_md5 || t.method == AuthMethod::ChapMd5;
  }
  auto mschap = [&](std::string_view w, const auth::NtHash& nt, auto&& report) {
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const auto& t = targets[i];
      if (t.method != AuthMethod::ChapMd5 && nt_hash_matches(t, nt)) report(i, CrackHit{i, std::string(w), nt});
    }
  };
  return run_parallel(words, targets, hits, threads, [&](const std::string_view* ws, std::size_t n, Bytes& utf16, auto&& report) {
    if (any_mschap) {
      // Short ASCII words kMd4Lanes at a time through the side-by-side MD4, which gives only the
      // NT hash's last two octets: the filter. The 1 word in 65 536 that passes a target's has
      // its hash computed in full for the DES check. Other words one by one through OpenSSL.
      std::array<std::string_view, kMd4Lanes> lane_words;
      std::array<std::string_view, kMd4Lanes> lane_src{};
      std::array<std::uint16_t, kMd4Lanes> lane_tail{};
      std::size_t lanes = 0;
      auto flush = [&] {
        nt_hash_tail_lanes(lane_words.data(), lanes, lane_tail.data());
        for (std::size_t l = 0; l < lanes; ++l) {
          for (const auto& t : targets) {
            if (t.method != AuthMethod::ChapMd5 && t.tail == lane_tail[l]) {
              mschap(lane_src[l], auth::nt_password_hash(lane_src[l]), report);
              break;
            }
          }
        }
        lanes = 0;
      };
      for (std::size_t k = 0; k < n; ++k) {
        const std::string_view w = ws[k];
        if (nt_hash_fast_path(w)) {
          lane_words[lanes] = w;
          lane_src[lanes] = w;
          if (++lanes == kMd4Lanes) flush();
        } else if (to_utf16(w, utf16)) {
          mschap(w, crypto::md4({ByteView(utf16)}), report);
        }
      }
      if (lanes > 0) flush();
    }
    if (any_md5) {
      for (std::size_t k = 0; k < n; ++k) {
        const std::string_view w = ws[k];
        for (std::size_t i = 0; i < targets.size(); ++i) {
          const auto& t = targets[i];
          if (t.method != AuthMethod::ChapMd5) continue;
          const auto r = auth::chap_md5_response(t.identifier, w, t.challenge);
          if (std::equal(r.begin(), r.end(), t.response.begin())) {
            CrackHit hit{i, std::string(w), {}};
            Bytes u;
            if (auth::password_to_utf16le(w, u)) hit.nt_hash = auth::nt_password_hash(w);
            report(i, hit);
          }
        }
      }
    }
  });
}

CrackStats crack_nt_hashes(const std::vector<auth::NtHash>& hashes, const std::vector<CrackTarget>& targets,
                           std::vector<CrackHit>& hits) {
  return run_parallel(hashes, targets, hits, 0, [&](const auth::NtHash* hs, std::size_t n, Bytes&, auto&& report) {
    for (std::size_t k = 0; k < n; ++k) {
      for (std::size_t i = 0; i < targets.size(); ++i) {
        if (targets[i].method != AuthMethod::ChapMd5 && nt_hash_matches(targets[i], hs[k])) {
          report(i, CrackHit{i, std::nullopt, hs[k]});
        }
      }
    }
  });
}

}  // namespace pptpx::audit
