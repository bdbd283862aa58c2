// QR code symbols (ISO/IEC 18004) through libqrencode, and their SVG drawing.
//
// libqrencode returns the symbol as one byte per module, the least significant bit
// set for dark; the other bits describe the module's role and are not needed here.
// It reports failures through errno: EINVAL for bad input, ERANGE for input too large
// for any version, ENOMEM when allocation fails.
#include "kernel/auth/qr_code.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <new>

namespace zhengwu::auth {
namespace {

struct QrCodeFree {
  void operator()(QRcode* q) const { QRcode_free(q); }
};

}  // namespace

Result<QrMatrix> qr_matrix(std::string_view text) {
  if (text.empty()) return Error::invalid("text", "is empty");
  if (text.find('\0') != std::string_view::npos) return Error::invalid("text", "contains a NUL byte");
  std::string copy(text);  // libqrencode reads a NUL-terminated string
  errno = 0;
  std::unique_ptr<QRcode, QrCodeFree> code(QRcode_encodeString(copy.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) {
    int err = errno;
    if (err == ERANGE) {
      return Error{ErrorCode::too_large,
                   "text of " + std::to_string(text.size()) + " bytes does not fit in a QR code at level M",
                   {}};
    }
    if (err == ENOMEM) throw std::bad_alloc();
    return Error::invalid("text", "cannot be encoded as a QR code");
  }
  QrMatrix m;
  m.size = code->width;
  m.version = code->version;
  auto n = static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size);
  m.dark.resize(n);
  for (std::size_t i = 0; i < n; ++i) m.dark[i] = (code->data[i] & 1) != 0;
  return m;
}

Result<std::string> qr_svg(std::string_view text, int module_px, int margin_modules) {
  if (module_px < 1 || module_px > 64) return Error::invalid("module_px", "must be 1..64");
  if (margin_modules < 0 || margin_modules > 16) return Error::invalid("margin_modules", "must be 0..16");
  auto matrix = qr_matrix(text);
  if (!matrix) return matrix.error();
  const QrMatrix& m = *matrix;
  const std::string side = std::to_string(m.size + 2 * margin_modules);
  const std::string pixels = std::to_string((m.size + 2 * margin_modules) * module_px);

  std::string svg;
  svg.reserve(static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size) * 4 + 300);
  svg += R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" + pixels + R"(" height=")" + pixels +
         R"(" viewBox="0 0 )" + side + " " + side + R"(" shape-rendering="crispEdges">)";
  svg += R"(<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d=")";
  // Each horizontal run of dark modules becomes one rectangle: M x y h len v1 h -len z.
  for (int y = 0; y < m.size; ++y) {
    for (int x = 0; x < m.size;) {
      if (!m.at(x, y)) {
        ++x;
        continue;
      }
      int start = x;
      while (x < m.size && m.at(x, y)) ++x;
      const std::string run = std::to_string(x - start);
      svg += 'M';
      svg += std::to_string(start + margin_modules);
      svg += ' ';
      svg += std::to_string(y + margin_modules);
      svg += 'h';
      svg += run;
      svg += "v1h-";
      svg += run;
      svg += 'z';
    }
  }
  svg += R"("/></svg>)";
  return svg;
}

}  // namespace zhengwu::auth
