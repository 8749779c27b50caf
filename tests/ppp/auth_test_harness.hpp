// Test harness for the authentication machines: recording sinks, a scripted random source, an
// in-memory credential store, and an authenticator ⇄ peer pair wired through their sinks under a
// fake clock (no sleeps).
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/credentials.hpp"
#include "auth/mschap.hpp"
#include "ppp/auth_factory_impl.hpp"
#include "ppp/auth_machine_base.hpp"

namespace pptpx::ppp::authtest {

struct SentFrame {
  Protocol protocol;
  Bytes information;
};

class RecordingSink final : public FrameSink {
 public:
  void send_frame(Protocol protocol, ByteView information) override {
    frames.push_back({protocol, Bytes(information.begin(), information.end())});
  }
  std::vector<SentFrame> frames;
};

// Hands out queued bytes first (known challenges), then a fixed deterministic pattern.
class ScriptedRandom final : public RandomSource {
 public:
  void push(ByteView bytes) { queue_.insert(queue_.end(), bytes.begin(), bytes.end()); }
  void push(std::uint8_t byte) { queue_.push_back(byte); }
  void fill(MutableByteView out) override {
    for (auto& b : out) {
      if (!queue_.empty()) {
        b = queue_.front();
        queue_.pop_front();
      } else {
        b = static_cast<std::uint8_t>(counter_++ * 37u + 11u);
      }
    }
  }

 private:
  std::deque<std::uint8_t> queue_;
  unsigned counter_ = 0;
};

class MemoryStore final : public auth::CredentialStore {
 public:
  void add_password(const std::string& user, const std::string& password) {
    auth::Credential c;
    c.password = password;
    c.nt_hash = auth::nt_password_hash(password);
    users_[user] = c;
  }
  void add_nt_hash(const std::string& user, const auth::NtHash& hash) {
    auth::Credential c;
    c.nt_hash = hash;
    users_[user] = c;
  }
  std::optional<auth::Credential> find(std::string_view user_name) const override {
    ++lookups;
    last_lookup = std::string(user_name);
    auto it = users_.find(std::string(user_name));
    if (it == users_.end()) return std::nullopt;
    return it->second;
  }
  mutable int lookups = 0;
  mutable std::string last_lookup;

 private:
  std::map<std::string, auth::Credential> users_;
};

inline const AuthCounters& counters_of(const AuthMachine& m) {
  const AuthCounters* c = auth_counters(m);
  if (!c) throw std::logic_error("machine without counters");
  return *c;
}

inline std::string text_of(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// An authenticator and a peer of one method, connected through their sinks.
class AuthPair {
 public:
  // Return true to drop the frame. `to_peer` = sent by the authenticator.
  using DropRule = std::function<bool(bool to_peer, const SentFrame& frame)>;

  AuthPair(AuthMethod method, AuthConfig config)
      : config_(std::move(config)) {
    config_.authenticator.credentials = &store;
    AuthConfig a = config_;
    a.random = &auth_random;
    AuthConfig p = config_;
    p.random = &peer_random;
    authenticator = make_auth_machine(method, AuthRole::Authenticator, a, from_authenticator);
    peer = make_auth_machine(method, AuthRole::Peer, p, from_peer);
  }

  void start() {
    authenticator->start(now);
    peer->start(now);
    pump();
  }

  // Delivers every frame not yet delivered, both ways, until nothing new is sent.
  void pump() {
    while (delivered_a_ < from_authenticator.frames.size() || delivered_p_ < from_peer.frames.size()) {
      while (delivered_a_ < from_authenticator.frames.size()) {
        const SentFrame f = from_authenticator.frames[delivered_a_++];
        if (drop && drop(true, f)) continue;
        peer->receive(f.information, now);
      }
      while (delivered_p_ < from_peer.frames.size()) {
        const SentFrame f = from_peer.frames[delivered_p_++];
        if (drop && drop(false, f)) continue;
        authenticator->receive(f.information, now);
      }
    }
  }

  // Jumps the fake clock from deadline to deadline (firing timers, delivering frames) until
  // neither machine has a deadline at or before `now + horizon`.
  void run_for(Duration horizon) {
    const Time until = now + horizon;
    for (;;) {
      std::optional<Time> next;
      for (AuthMachine* m : {authenticator.get(), peer.get()}) {
        if (auto d = m->deadline(); d && (!next || *d < *next)) next = d;
      }
      if (!next || *next > until) break;
      now = std::max(now, *next);
      authenticator->on_timer(now);
      peer->on_timer(now);
      pump();
    }
    now = until;
  }

  MemoryStore store;
  ScriptedRandom auth_random;
  ScriptedRandom peer_random;
  RecordingSink from_authenticator;
  RecordingSink from_peer;
  std::unique_ptr<AuthMachine> authenticator;
  std::unique_ptr<AuthMachine> peer;
  DropRule drop;
  Time now = Time{} + 100s;

 private:
  AuthConfig config_;
  std::size_t delivered_a_ = 0;
  std::size_t delivered_p_ = 0;
};

// A peer's settings: a user name and, unless nullopt, its plaintext password.
inline AuthPeerConfig peer_settings(std::string user, std::optional<std::string> password) {
  AuthPeerConfig c;
  c.user_name = std::move(user);
  c.password = std::move(password);
  return c;
}

inline AuthConfig peer_config(std::string user, std::optional<std::string> password) {
  AuthConfig c;
  c.peer = peer_settings(std::move(user), std::move(password));
  return c;
}

// What a standalone authenticator machine is built from: a store, a random source scripted with
// the Identifier and Challenge it will draw (if given), a sink and a config using the store.
struct AuthenticatorRig {
  AuthenticatorRig() { cfg.credentials = &store; }
  AuthenticatorRig(std::uint8_t identifier, ByteView challenge) : AuthenticatorRig() {
    random.push(identifier);
    random.push(challenge);
  }
  AuthenticatorRig(const AuthenticatorRig&) = delete;  // cfg points into store
  AuthenticatorRig& operator=(const AuthenticatorRig&) = delete;
  MemoryStore store;
  ScriptedRandom random;
  RecordingSink sink;
  AuthenticatorConfig cfg;
};

// ---- Packet builders, written from the RFC figures (not from our packet code). ----

inline Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// RFC 1994 §4.1 Challenge (Code 1) / Response (Code 2): Code, Identifier, Length (2 octets),
// Value-Size, Value, Name.
inline Bytes chap_packet(std::uint8_t code, std::uint8_t identifier, ByteView value,
                         std::string_view name = {}) {
  const std::size_t length = 4 + 1 + value.size() + name.size();
  Bytes p{code, identifier, static_cast<std::uint8_t>(length >> 8),
          static_cast<std::uint8_t>(length), static_cast<std::uint8_t>(value.size())};
  p.insert(p.end(), value.begin(), value.end());
  p.insert(p.end(), name.begin(), name.end());
  return p;
}

// RFC 1994 §4.2 Success (Code 3) / Failure (Code 4): Code, Identifier, Length, Message.
inline Bytes chap_status_packet(std::uint8_t code, std::uint8_t identifier,
                                std::string_view message) {
  const std::size_t length = 4 + message.size();
  Bytes p{code, identifier, static_cast<std::uint8_t>(length >> 8),
          static_cast<std::uint8_t>(length)};
  p.insert(p.end(), message.begin(), message.end());
  return p;
}

}  // namespace pptpx::ppp::authtest
