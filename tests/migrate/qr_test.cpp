// QR codes for WireGuard client configurations (migrate/qr.hpp). The structure is checked against
// ISO/IEC 18004 (size 17 + 4 * version; the 7x7 finder patterns and their light separators in
// three corners) and the PNG against its specification (signature, IHDR size); that a real
// decoder reads the config back is tests/system/migrate_wireguard.sh's job (zbarimg).
#include <gtest/gtest.h>

#include <string>

#include "migrate/qr.hpp"

namespace pptpx::migrate {
namespace {

// ISO/IEC 18004 §6.3.3: a finder pattern is a dark 7x7 ring, a light 5x5 ring, a dark 3x3 core.
bool finder_at(const QrMatrix& qr, unsigned x0, unsigned y0) {
  for (unsigned y = 0; y < 7; ++y) {
    for (unsigned x = 0; x < 7; ++x) {
      const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      const bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      if (qr.at(x0 + x, y0 + y) != (ring || core)) return false;
    }
  }
  return true;
}

const std::string kConfig =
    "# WireGuard client configuration for bob, written by `pptpx migrate wireguard`.\n"
    "[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nAddress = 203.0.113.2/32\n"
    "DNS = 198.51.100.53\n\n[Peer]\nPublicKey = HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\n"
    "Endpoint = vpn.example.net:51820\nAllowedIPs = 203.0.113.0/24\nPersistentKeepalive = 25\n";

TEST(Qr, MatrixHasIsoSizeAndFinderPatterns) {
  auto qr = qr_encode(kConfig);
  ASSERT_TRUE(qr.has_value());
  EXPECT_EQ(qr->width, 17 + 4 * qr->version);
  // 346 octets in byte mode at level L need version 11 or more (ISO/IEC 18004 Table 7: version
  // 10-L holds 271 octets, 11-L 321, 12-L 367).
  EXPECT_GE(qr->version, 12u);
  const unsigned far = qr->width - 7;
  EXPECT_TRUE(finder_at(*qr, 0, 0));
  EXPECT_TRUE(finder_at(*qr, far, 0));
  EXPECT_TRUE(finder_at(*qr, 0, far));
  EXPECT_FALSE(finder_at(*qr, far, far));  // the fourth corner has none
  for (unsigned i = 0; i < 8; ++i) {       // light separators (§6.3.3)
    EXPECT_FALSE(qr->at(i, 7));
    EXPECT_FALSE(qr->at(7, i));
  }
}

TEST(Qr, TooLongTextIsRefused) { EXPECT_FALSE(qr_encode(std::string(4000, 'x')).has_value()); }

TEST(Qr, PngHasSignatureAndScaledSize) {
  auto qr = qr_encode("hello");
  ASSERT_TRUE(qr.has_value());
  auto png = qr_png(*qr, 6, 4);
  ASSERT_TRUE(png.has_value());
  ASSERT_GT(png->size(), 33u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->substr(12, 4), "IHDR");
  auto be32 = [&](std::size_t at) {
    return (unsigned{static_cast<unsigned char>((*png)[at])} << 24) |
           (unsigned{static_cast<unsigned char>((*png)[at + 1])} << 16) |
           (unsigned{static_cast<unsigned char>((*png)[at + 2])} << 8) | unsigned{static_cast<unsigned char>((*png)[at + 3])};
  };
  EXPECT_EQ(be32(16), (qr->width + 8) * 6);
  EXPECT_EQ(be32(20), (qr->width + 8) * 6);
  EXPECT_EQ((*png)[24], 1);  // bit depth 1
  EXPECT_EQ((*png)[25], 0);  // grayscale
}

TEST(Qr, TerminalRenderingHasTwoModuleRowsPerLine) {
  auto qr = qr_encode("hello");
  ASSERT_TRUE(qr.has_value());
  const std::string t = qr_terminal_utf8(*qr);
  const unsigned side = qr->width + 4;  // 2-module quiet zone each side
  std::size_t lines = 0;
  for (char c : t) lines += c == '\n';
  EXPECT_EQ(lines, (side + 1) / 2);
  // The first line is quiet zone over quiet zone: all full blocks (3 UTF-8 octets each).
  std::string full;
  for (unsigned i = 0; i < side; ++i) full += "\u2588";
  EXPECT_EQ(t.substr(0, t.find('\n')), full);
}

}  // namespace
}  // namespace pptpx::migrate
