// QR codes of the WireGuard client configurations (`pptpx migrate wireguard --qr`), as the
// WireGuard mobile apps import them: the whole config text, 8-bit mode, error correction level L
// (as `qrencode -t ansiutf8 < client.conf` makes it). Encoding by libqrencode, PNG by libpng.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pptpx::migrate {

struct QrMatrix {
  unsigned width = 0;                // modules per side (17 + 4 * version)
  unsigned version = 0;
  std::vector<std::uint8_t> dark;    // width * width, row-major, 1 = dark module
  bool at(unsigned x, unsigned y) const { return dark[std::size_t{y} * width + x] != 0; }
};

// nullopt if the text does not fit a QR code (more than about 2.9 KB at level L).
std::optional<QrMatrix> qr_encode(const std::string& text);

// For a terminal with light text on a dark background (as `qrencode -t UTF8` draws it): two
// rows of modules per line in UTF-8 half blocks, light modules drawn, with a 2-module quiet zone.
std::string qr_terminal_utf8(const QrMatrix& qr);

// A 1-bit grayscale PNG, `scale` pixels per module, with a `margin`-module quiet zone.
std::optional<std::string> qr_png(const QrMatrix& qr, unsigned scale = 6, unsigned margin = 4);

}  // namespace pptpx::migrate
