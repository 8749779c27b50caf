// The shared captures of the reference Linux PPTP stack (shared/captures/README.md): which files
// there are, what each holds, and where they are. One list for every test that loads them
// (tests/ppp/capture_test.cpp, tests/audit/capture_audit_test.cpp), so a capture added to the
// README is added here once. Layer-neutral: each test maps CaptureAuth and mppe_bits to its
// own layer's types.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "support/capture.hpp"
#include "support/test_paths.hpp"

namespace pptpx::test {

// From the README: the peers, the tunnel addresses and the one account in every file.
inline constexpr std::uint32_t kCaptureClient = ipv4(192, 0, 2, 3);  // pptp-linux + pppd (the PNS)
inline constexpr std::uint32_t kCaptureServer = ipv4(192, 0, 2, 2);  // pptpd + pppd (the PAC)
inline constexpr std::uint32_t kCaptureInnerClient = ipv4(198, 51, 100, 10);
inline constexpr std::uint32_t kCaptureInnerServer = ipv4(198, 51, 100, 1);
inline constexpr const char* kCaptureUser = "bob";
inline constexpr const char* kCapturePassword = "Tunnel-Lab-7";

enum class CaptureAuth { Pap, ChapMd5, MsChapV1, MsChapV2 };

struct SharedCapture {
  const char* file;
  CaptureAuth auth;
  int mppe_bits;  // 0: no MPPE; else stateless MPPE of this strength
  std::string path() const { return capture_path(file); }
};

inline constexpr std::array<SharedCapture, 5> kSharedCaptures{{
    {"mschapv2-mppe128.pcap", CaptureAuth::MsChapV2, 128},
    {"mschapv2-mppe40.pcap", CaptureAuth::MsChapV2, 40},
    {"mschapv1-mppe128.pcap", CaptureAuth::MsChapV1, 128},
    {"chapmd5-plain.pcap", CaptureAuth::ChapMd5, 0},
    {"pap-plain.pcap", CaptureAuth::Pap, 0},
}};

// GoogleTest prints a parameter as its file name.
inline void PrintTo(const SharedCapture& c, std::ostream* os) { *os << c.file; }

// CaptureAuth in a layer's own enum (ppp::AuthMethod, audit::AuthMethod: the same names).
template <typename Method>
constexpr Method auth_as(CaptureAuth a) {
  switch (a) {
    case CaptureAuth::Pap: return Method::Pap;
    case CaptureAuth::ChapMd5: return Method::ChapMd5;
    case CaptureAuth::MsChapV1: return Method::MsChapV1;
    case CaptureAuth::MsChapV2: break;
  }
  return Method::MsChapV2;
}
// mppe_bits as auth::MppeStrength (a template so this header needs no layer).
template <typename Strength>
constexpr std::optional<Strength> mppe_as(int bits) {
  if (bits == 40) return Strength::Bits40;
  if (bits == 56) return Strength::Bits56;
  if (bits == 128) return Strength::Bits128;
  return std::nullopt;
}

// GoogleTest parameter name: "mschapv2-mppe128.pcap" -> "mschapv2_mppe128".
inline std::string capture_param_name(const SharedCapture& c) {
  std::string n = c.file;
  n = n.substr(0, n.find('.'));
  for (char& ch : n) {
    if (ch == '-') ch = '_';
  }
  return n;
}

}  // namespace pptpx::test
