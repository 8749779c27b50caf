#include "migrate/qr.hpp"

#include <png.h>
#include <qrencode.h>

#include <memory>

namespace pptpx::migrate {

std::optional<QrMatrix> qr_encode(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_L), &QRcode_free);
  if (!code || code->width <= 0) return std::nullopt;
  QrMatrix m;
  m.width = static_cast<unsigned>(code->width);
  m.version = static_cast<unsigned>(code->version);
  m.dark.resize(std::size_t{m.width} * m.width);
  // qrencode.h: bit 0 of each byte is the module's colour (1 = black).
  for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = code->data[i] & 1u;
  return m;
}

std::string qr_terminal_utf8(const QrMatrix& qr) {
  constexpr unsigned quiet = 2;
  const unsigned side = qr.width + 2 * quiet;
  auto light = [&](unsigned x, unsigned y) {
    if (x < quiet || y < quiet || x >= quiet + qr.width || y >= quiet + qr.width) return true;
    return !qr.at(x - quiet, y - quiet);
  };
  std::string out;
  for (unsigned y = 0; y < side; y += 2) {
    for (unsigned x = 0; x < side; ++x) {
      const bool top = light(x, y), bottom = y + 1 < side ? light(x, y + 1) : false;
      out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
    }
    out += "\n";
  }
  return out;
}

namespace {

void png_append(png_structp png, png_bytep data, png_size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), length);
}
void png_no_flush(png_structp) {}

// The libpng calls alone, on plain data: libpng reports errors by longjmp, so no object with a
// destructor may live in this frame. `bits` holds `side` rows of `stride` bytes, 1 bit a pixel.
bool write_png(const png_byte* bits, png_uint_32 side, std::size_t stride, std::string* out) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, out, png_append, png_no_flush);
  png_set_IHDR(png, info, side, side, 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (png_uint_32 y = 0; y < side; ++y) png_write_row(png, bits + y * stride);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

std::optional<std::string> qr_png(const QrMatrix& qr, unsigned scale, unsigned margin) {
  const unsigned side = (qr.width + 2 * margin) * scale;
  const std::size_t stride = (side + 7) / 8;
  std::vector<png_byte> bits(stride * side, png_byte{0xFF});  // white; a 0 bit is black
  for (unsigned py = 0; py < side; ++py) {
    const unsigned y = py / scale;
    for (unsigned px = 0; px < side; ++px) {
      const unsigned x = px / scale;
      const bool dark = x >= margin && y >= margin && x < margin + qr.width && y < margin + qr.width &&
                        qr.at(x - margin, y - margin);
      auto& b = bits[py * stride + px / 8];
      if (dark) b = static_cast<png_byte>(b & ~(0x80u >> (px % 8)));
    }
  }
  std::string out;
  if (!write_png(bits.data(), side, stride, &out)) return std::nullopt;
  return out;
}

}  // namespace pptpx::migrate
