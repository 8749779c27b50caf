// Runs the audit pipeline over a capture file in-process, collecting the decrypted inner packets.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "audit/analyzer.hpp"
#include "audit/frame_source.hpp"

namespace pptpx::audit::test {

struct InnerPacket {
  std::size_t session;
  int direction;
  Timestamp time;
  Bytes ip;
};

struct AuditRun {
  KeyBook keys;
  std::vector<InnerPacket> inner;
  std::unique_ptr<Analyzer> analyzer;
  const Session& session(std::size_t i = 0) const { return *analyzer->observer().sessions().at(i); }
  std::size_t sessions() const { return analyzer->observer().sessions().size(); }
};

inline std::unique_ptr<AuditRun> run_audit(const std::string& path, KeyBook keys = {}) {
  auto r = std::make_unique<AuditRun>();
  r->keys = std::move(keys);
  AuditRun* raw = r.get();
  r->analyzer = std::make_unique<Analyzer>(r->keys, [raw](const Session& s, int d, Timestamp t, ByteView ip) {
    raw->inner.push_back(InnerPacket{s.index, d, t, Bytes(ip.begin(), ip.end())});
  });
  auto src = FrameSource::open_file(path);
  while (auto f = src.next()) r->analyzer->frame(src.link_type(), f->time, f->data, f->wire_length);
  r->analyzer->finish(MonitorThresholds{});
  return r;
}

inline KeyBook password_book(const std::string& user, const std::string& password) {
  KeyBook k;
  k.users[user] = KeyBook::Entry{auth::nt_password_hash(password), password, "--password"};
  return k;
}

// RFC 1071 checksum over `b`, independent of the code under test; 0 for a valid header.
inline std::uint16_t inet_checksum(ByteView b) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < b.size(); i += 2) sum += static_cast<std::uint32_t>(b[i] << 8 | b[i + 1]);
  if (b.size() % 2) sum += static_cast<std::uint32_t>(b.back() << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

}  // namespace pptpx::audit::test
