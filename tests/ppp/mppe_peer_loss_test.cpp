// Stateful MPPE (RFC 3078 §8.2) between pptpx and independent models of its peers (Linux
// ppp_mppe + pppd, and RFC 3078 read literally; tests/ppp/mppe_peer_models.hpp), under scripted
// and random loss of data packets, of the FLUSHED packet that answers a Reset-Request, and of the
// Reset-Requests and Reset-Acks themselves. Fake clock: one data packet every 10 ms, every
// message 15 ms on the wire. After the last loss, every packet must arrive decrypted correctly
// within kRecoveryMs, and no packet may ever be "decrypted" with a wrong key.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "auth/mppe_keys.hpp"
#include "mppe_peer_models.hpp"
#include "ppp/mppe.hpp"
#include "ppp/mppe_reset.hpp"
#include "support/hex_literal.hpp"

namespace pptpx::ppp {
namespace {

using test::PeerStyle;

constexpr std::int64_t kPacketMs = 10, kWireMs = 15;
// pppd repeats an unanswered Reset-Request after RACKTIMEOUT (1 s), and only then.
constexpr std::int64_t kRecoveryMs = 2500;

auth::MppeKey start_key() {
  auth::MppeKey k;
  const Bytes b = pptpx::test::hex("8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB");
  for (std::size_t i = 0; i < 16; ++i) k.bytes[i] = b[i];
  return k;
}

// PPP protocol 0x0021 and a 20-octet IPv4 header (Total Length right), numbered by `i`.
Bytes plain_for(int i) {
  Bytes b = {0x00, 0x21, 0x45, 0x00, 0x00, 20, static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i >> 8)};
  b.resize(22, 0x11);
  return b;
}

struct Script {
  std::string name;
  std::set<int> data;      // data packets lost, by index (0 = the first packet)
  std::set<int> answers;   // FLUSHED answers to Reset-Requests lost, by ordinal (1 = the first)
  std::set<int> requests;  // Reset-Requests lost, by ordinal
  std::set<int> acks;      // Reset-Acks lost, by ordinal
  double random = 0;       // and each data packet (or, with random_ctrl, CCP message) lost with
  bool random_ctrl = false;  // this probability while its index / send time is before random_until
  int random_until = 0;
  std::uint64_t seed = 1;
  int packets = 800;
  std::int64_t spacing = kPacketMs;  // ms between data packets
};
std::ostream& operator<<(std::ostream& o, const Script& s) { return o << s.name; }

struct Outcome {
  int garbage = 0;            // accepted with a wrong key
  int delivered = 0, dropped = 0;
  std::int64_t last_loss = 0;  // ms
  std::vector<int> missing_after_recovery;
  int resets = 0;
};

class Rng {  // xorshift64*
 public:
  explicit Rng(std::uint64_t s) : s_(s * 2654435761u + 1) {}
  double next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return static_cast<double>((s_ * 2685821657736338717ull) >> 11) / 9007199254740992.0;
  }

 private:
  std::uint64_t s_;
};

// The wire and the clock, for either direction. `Send` encrypts packet i; `Receive` returns
// whether it was accepted (data decrypted in place) and may send a Reset-Request; the sender's
// CCP answers each Reset-Request at once with a Reset-Ack of the same id.
class Sim {
 public:
  explicit Sim(const Script& s) : s_(s), rng_(s.seed) {}
  std::int64_t now() const { return now_; }

  std::function<std::uint16_t(MutableByteView)> encrypt;
  std::function<bool(std::uint16_t, MutableByteView)> decrypt;
  std::function<void()> sender_reset;                      // the sender got a Reset-Request
  std::function<std::optional<std::uint8_t>(bool ok)> after_receive;  // -> Reset-Request id
  std::function<void(std::uint8_t)> receiver_ack;          // the receiver got a Reset-Ack
  std::function<std::optional<std::uint8_t>(std::int64_t)> receiver_timer;

  Outcome run() {
    Outcome out;
    for (int i = 0; i < s_.packets; ++i) {
      at(i * s_.spacing, [this, i, &out] { send_data(i, out); });
    }
    for (std::int64_t t = 0; t < s_.packets * s_.spacing + 2000; t += 100) {
      at(t, [this, &out] {
        if (receiver_timer) {
          if (auto id = receiver_timer(now_)) send_request(*id, out);
        }
      });
    }
    while (!events_.empty()) {
      auto it = events_.begin();
      now_ = it->first;
      auto f = std::move(it->second);
      events_.erase(it);
      f();
    }
    const std::int64_t from = out.last_loss + kRecoveryMs;
    for (int i = 0; i < s_.packets; ++i) {
      if (i * s_.spacing >= from && !ok_.count(i)) out.missing_after_recovery.push_back(i);
    }
    return out;
  }

 private:
  void at(std::int64_t t, std::function<void()> f) { events_.emplace(t, std::move(f)); }
  bool random_loss(bool ctrl, int index) {
    if (s_.random <= 0 || (ctrl && !s_.random_ctrl)) return false;
    const bool in_window = ctrl ? now_ < s_.random_until * s_.spacing : index < s_.random_until;
    return in_window && rng_.next() < s_.random;
  }
  void lost(Outcome& out) { out.last_loss = now_; }

  void send_data(int i, Outcome& out) {
    Bytes data = plain_for(i);
    const std::uint16_t header = encrypt(data);
    bool lose = s_.data.count(i) > 0;
    if (answer_pending_) {  // the first packet after the sender took a Reset-Request
      answer_pending_ = false;
      if (s_.answers.count(++answers_)) lose = true;
    }
    if (random_loss(false, i)) lose = true;
    if (lose) return lost(out);
    at(now_ + kWireMs, [this, i, header, data, &out]() mutable {
      const bool ok = decrypt(header, data);
      if (ok && data == plain_for(i)) {
        ++out.delivered;
        ok_.insert(i);
      } else if (ok) {
        ++out.garbage;
      } else {
        ++out.dropped;
      }
      if (auto id = after_receive(ok)) send_request(*id, out);
    });
  }
  void send_request(std::uint8_t id, Outcome& out) {
    ++out.resets;
    if (s_.requests.count(++requests_) || random_loss(true, 0)) return lost(out);
    at(now_ + kWireMs, [this, id, &out] {
      sender_reset();
      answer_pending_ = true;
      if (s_.acks.count(++acks_) || random_loss(true, 0)) return lost(out);
      at(now_ + kWireMs, [this, id] { receiver_ack(id); });
    });
  }

  const Script& s_;
  Rng rng_;
  std::multimap<std::int64_t, std::function<void()>> events_;
  std::int64_t now_ = 0;
  std::set<int> ok_;
  bool answer_pending_ = false;
  int answers_ = 0, requests_ = 0, acks_ = 0;
};

std::string describe(const Outcome& o) {
  std::ostringstream s;
  s << o.delivered << " delivered, " << o.dropped << " dropped, " << o.garbage << " decrypted with a wrong key, "
    << o.resets << " Reset-Requests; last loss at " << o.last_loss << " ms; " << o.missing_after_recovery.size()
    << " packets missing " << kRecoveryMs << " ms after it";
  if (!o.missing_after_recovery.empty()) s << " (first " << o.missing_after_recovery.front() << ")";
  return s.str();
}

Script scripted(std::string name, std::set<int> data, std::set<int> answers = {}, std::set<int> requests = {},
                std::set<int> acks = {}) {
  Script s;
  s.name = std::move(name);
  s.data = std::move(data);
  s.answers = std::move(answers);
  s.requests = std::move(requests);
  s.acks = std::move(acks);
  return s;
}

Script random_loss(std::string name, double p, bool ctrl, int until, std::uint64_t seed, int packets) {
  Script s;
  s.name = std::move(name);
  s.random = p;
  s.random_ctrl = ctrl;
  s.random_until = until;
  s.seed = seed;
  s.packets = packets;
  return s;
}

std::vector<Script> scripts() {
  std::set<int> burst;
  for (int i = 200; i < 560; ++i) burst.insert(i);
  std::vector<Script> v = {
      scripted("one_data_packet", {100}),
      scripted("a_natural_flag_packet", {255}),
      scripted("a_burst_across_two_flags", burst),
      scripted("the_flushed_answer", {100}, {1}),
      scripted("two_flushed_answers_in_a_row", {100}, {1, 2}),
      scripted("answer_then_a_new_loss", {100, 140}, {2}),
      scripted("a_reset_request", {100}, {}, {1}),
      scripted("a_reset_ack", {100}, {}, {}, {1}),
      scripted("request_answer_and_ack", {100, 300}, {1}, {2}, {3}),
  };
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    v.push_back(random_loss("random_data_loss_seed" + std::to_string(seed), 0.125, false, 500, seed, 900));
    v.push_back(random_loss("random_data_and_ccp_loss_seed" + std::to_string(seed), 0.125, true, 500, seed, 900));
  }
  // Sparse traffic, as in the lab's ping runs: one packet every 200 ms.
  for (auto sc : {scripted("sparse_the_flushed_answer", {20}, {1}), scripted("sparse_two_answers", {20}, {1, 2}),
                  scripted("sparse_a_reset_request", {20}, {}, {1}), scripted("sparse_a_reset_ack", {20}, {}, {}, {1}),
                  random_loss("sparse_random_loss", 0.125, true, 60, 7, 100)}) {
    sc.spacing = 200;
    if (sc.packets == 800) sc.packets = 60;
    v.push_back(sc);
  }
  // A long, heavily lossy stretch, CCP included.
  v.push_back(random_loss("heavy_loss_long", 0.3, true, 2000, 99, 2600));
  return v;
}

class PptpxSends : public ::testing::TestWithParam<std::tuple<PeerStyle, Script>> {};

// pptpx's encryptor (with its Link's answer: on_reset_request + Reset-Ack) to a peer receiver.
TEST_P(PptpxSends, PeerReceiverRecoversAfterLoss) {
  const auto& [style, script] = GetParam();
  MppeEncryptor enc(start_key(), {auth::MppeStrength::Bits128, false});
  test::ModelMppeReceiver peer(start_key(), style);
  test::ResetRequester pppd;
  Sim sim(script);
  sim.encrypt = [&](MutableByteView d) { return enc.encrypt(d); };
  sim.decrypt = [&](std::uint16_t h, MutableByteView d) { return peer.decrypt(h, d); };
  sim.sender_reset = [&] { enc.on_reset_request(); };
  sim.after_receive = [&](bool ok) -> std::optional<std::uint8_t> {
    if (ok) return std::nullopt;
    return pppd.on_decrypt_error(sim.now());
  };
  sim.receiver_ack = [&](std::uint8_t id) { pppd.on_reset_ack(id); };
  sim.receiver_timer = [&](std::int64_t t) { return pppd.on_timer(t); };
  const Outcome o = sim.run();
  EXPECT_EQ(o.garbage, 0) << describe(o);
  EXPECT_TRUE(o.missing_after_recovery.empty()) << describe(o);
}

class PptpxReceives : public ::testing::TestWithParam<std::tuple<PeerStyle, Script>> {};

// A peer sender (answering Reset-Requests with Reset-Ack) to pptpx's decryptor, with the Link's
// Reset-Request policy (MppeResetRequests, as Link::receive_mppe uses it).
TEST_P(PptpxReceives, PptpxRecoversAfterLoss) {
  const auto& [style, script] = GetParam();
  test::ModelMppeSender peer(start_key(), style);
  MppeDecryptor dec(start_key(), {auth::MppeStrength::Bits128, false});
  MppeResetRequests requests;
  std::uint8_t id = 0;
  Sim sim(script);
  sim.encrypt = [&](MutableByteView d) { return peer.encrypt(d); };
  sim.decrypt = [&](std::uint16_t h, MutableByteView d) { return dec.decrypt(h, d) == MppeDecryptResult::Ok; };
  sim.sender_reset = [&] { peer.on_reset_request(); };
  sim.after_receive = [&](bool ok) -> std::optional<std::uint8_t> {
    const Time now = Time{} + std::chrono::milliseconds(sim.now());
    if (!requests.due(dec.take_reset_request(), !ok && dec.awaiting_flush(), now)) return std::nullopt;
    requests.sent(++id, now);
    return id;
  };
  sim.receiver_ack = [&](std::uint8_t ack) { requests.on_reset_ack(ack); };
  const Outcome o = sim.run();
  EXPECT_EQ(o.garbage, 0) << describe(o);
  EXPECT_TRUE(o.missing_after_recovery.empty()) << describe(o);
}

std::string case_name(const ::testing::TestParamInfo<std::tuple<PeerStyle, Script>>& i) {
  return std::string(test::to_string(std::get<0>(i.param))) + "_" + std::get<1>(i.param).name;
}

INSTANTIATE_TEST_SUITE_P(Losses, PptpxSends,
                         ::testing::Combine(::testing::Values(PeerStyle::Linux, PeerStyle::Rfc3078), ::testing::ValuesIn(scripts())),
                         case_name);
INSTANTIATE_TEST_SUITE_P(Losses, PptpxReceives,
                         ::testing::Combine(::testing::Values(PeerStyle::Linux, PeerStyle::Rfc3078), ::testing::ValuesIn(scripts())),
                         case_name);

}  // namespace
}  // namespace pptpx::ppp
