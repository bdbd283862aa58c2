// QR codes (ISO/IEC 18004) for TOTP enrolment: the otpauth URI of totp.hpp drawn as a
// standalone SVG that the enrolment page shows and an authenticator app scans.
//
// Encoding is libqrencode's, at error-correction level M (15 % of codewords
// recoverable: enough for a screen, and smaller than Q or H), in the smallest version
// that holds the text, with the segment modes (numeric, alphanumeric, 8-bit) chosen to
// keep it small. Text is encoded as its bytes: UTF-8, which every scanner reads for
// URIs.
//
// The SVG is one `<path>` of dark modules (runs along each row merged into one
// rectangle) on a white background, in module units through the viewBox, with
// `shape-rendering="crispEdges"` so that no anti-aliasing blurs module edges. The quiet
// zone is `margin_modules` wide; ISO/IEC 18004 asks for 4.
//
// Thread-safety: both functions are safe to call from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.hpp"

namespace zhengwu::auth {

// The modules of a QR symbol, row by row from the top left, without quiet zone.
struct QrMatrix {
  int size = 0;            // modules per side: 21 for version 1, 4 more per version up to 177
  int version = 0;         // 1..40
  std::vector<bool> dark;  // size * size entries, dark[y * size + x]

  bool at(int x, int y) const {
    return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) + static_cast<std::size_t>(x)];
  }
};

// Encodes `text` at level M. Fails with ErrorCode::invalid for empty text or text with a
// NUL byte, and ErrorCode::too_large for text that no QR version holds at level M
// (version 40 holds 2331 bytes of general text; more when much of it is digits or
// upper-case letters).
Result<QrMatrix> qr_matrix(std::string_view text);

// The QR code of `text` as an SVG document (UTF-8, no XML declaration), each module
// `module_px` pixels wide (1..64) with a quiet zone of `margin_modules` (0..16) modules.
// Fails as qr_matrix does, and with ErrorCode::invalid for sizes outside those ranges.
Result<std::string> qr_svg(std::string_view text, int module_px = 4, int margin_modules = 4);

}  // namespace zhengwu::auth
