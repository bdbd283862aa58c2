// QR codes (ISO/IEC 18004) for TOTP enrolment: the SVG is parsed back into its module
// matrix and compared, module by module, with what libqrencode produces for the same
// text; sizes follow the version; bad input and bad drawing sizes are errors.
#include "kernel/auth/qr_code.hpp"

#include <gtest/gtest.h>
#include <qrencode.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace zhengwu::auth {
namespace {

constexpr const char* kUri =
    "otpauth://totp/%E6%94%BF%E5%8A%A1:admin%40zj.gov.cn?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    "&issuer=%E6%94%BF%E5%8A%A1&algorithm=SHA1&digits=6&period=30";

// The symbol straight from libqrencode, as the reference.
struct Reference {
  int width = 0;
  std::vector<bool> dark;
};
Reference reference(const std::string& text) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                  QRcode_free);
  Reference r;
  if (!code) return r;
  r.width = code->width;
  for (int i = 0; i < code->width * code->width; ++i) r.dark.push_back((code->data[i] & 1) != 0);
  return r;
}

// What an SVG from qr_svg draws: its attributes and the dark cells of its grid.
struct ParsedSvg {
  int width_px = 0, height_px = 0, view_side = 0;
  int paths = 0;
  std::vector<bool> cells;  // view_side * view_side
  bool well_formed = false;
};

// Reads the decimal number at `at` and moves past it; -1 when there is none.
int read_number(const std::string& s, std::size_t& at) {
  std::size_t start = at;
  int value = 0;
  while (at < s.size() && s[at] >= '0' && s[at] <= '9' && at - start < 6) value = value * 10 + (s[at++] - '0');
  return at == start ? -1 : value;
}

bool expect_text(const std::string& s, std::size_t& at, std::string_view text) {
  if (s.compare(at, text.size(), text) != 0) return false;
  at += text.size();
  return true;
}

// The value of the first `name="..."` attribute as a number, or -1.
int attribute(const std::string& svg, const std::string& name) {
  std::size_t at = svg.find(" " + name + "=\"");
  if (at == std::string::npos) return -1;
  at += name.size() + 3;
  return read_number(svg, at);
}

ParsedSvg parse_svg(const std::string& svg) {
  ParsedSvg p;
  p.width_px = attribute(svg, "width");
  p.height_px = attribute(svg, "height");
  std::size_t at = svg.find(" viewBox=\"0 0 ");
  if (at == std::string::npos) return p;
  at += 14;
  p.view_side = read_number(svg, at);
  if (!expect_text(svg, at, " ") || read_number(svg, at) != p.view_side || p.view_side < 1) return p;
  for (std::size_t k = svg.find("<path"); k != std::string::npos; k = svg.find("<path", k + 1)) ++p.paths;
  const std::string_view path_start = "<path fill=\"#000\" d=\"";
  at = svg.find(path_start);
  if (at == std::string::npos) return p;
  at += path_start.size();
  p.cells.assign(static_cast<std::size_t>(p.view_side) * static_cast<std::size_t>(p.view_side), false);
  // Each rectangle is "M x y h n v1 h-n z"; anything else ends the parse as malformed.
  while (at < svg.size() && svg[at] == 'M') {
    ++at;
    int x = read_number(svg, at);
    if (!expect_text(svg, at, " ")) return p;
    int y = read_number(svg, at);
    if (!expect_text(svg, at, "h")) return p;
    int n = read_number(svg, at);
    if (!expect_text(svg, at, "v1h-")) return p;
    int back = read_number(svg, at);
    if (!expect_text(svg, at, "z")) return p;
    if (x < 0 || y < 0 || n < 1 || back != n || y >= p.view_side || x + n > p.view_side) return p;
    for (int k = 0; k < n; ++k) {
      auto idx = static_cast<std::size_t>(y) * static_cast<std::size_t>(p.view_side) + static_cast<std::size_t>(x + k);
      if (p.cells[idx]) return p;  // rectangles overlap
      p.cells[idx] = true;
    }
  }
  p.well_formed = svg.compare(at, std::string::npos, "\"/></svg>") == 0;
  return p;
}

TEST(QrCodeTest, MatrixMatchesLibqrencode) {
  const std::vector<std::string> texts = {"HELLO", "12345678901234567890", kUri, std::string(300, 'x'),
                                          "政务服务 https://zwfw.example.cn/"};
  for (const auto& text : texts) {
    SCOPED_TRACE(text);
    auto m = qr_matrix(text);
    ASSERT_TRUE(m.ok()) << m.error().message;
    Reference ref = reference(text);
    EXPECT_EQ(m->size, ref.width);
    EXPECT_EQ(m->size, 17 + 4 * m->version);
    EXPECT_GE(m->version, 1);
    EXPECT_LE(m->version, 40);
    EXPECT_EQ(m->dark, ref.dark);
  }
}

TEST(QrCodeTest, SizesFollowTheVersion) {
  struct Row {
    std::string text;
    int version;
  };
  // Capacities at level M: version 1 holds 14 bytes (8-bit) or 20 alphanumerics.
  const std::vector<Row> rows = {
      {"hello", 1},
      {std::string(14, 'a'), 1},
      {std::string(15, 'a'), 2},
      {std::string(20, 'A'), 1},
      {std::string(21, 'A'), 2},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text);
    auto m = qr_matrix(row.text);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->version, row.version);
    EXPECT_EQ(m->size, 17 + 4 * row.version);
  }
}

TEST(QrCodeTest, SvgDrawsExactlyTheMatrix) {
  struct Row {
    std::string text;
    int module_px, margin;
  };
  const std::vector<Row> rows = {
      {kUri, 4, 4}, {kUri, 1, 0}, {kUri, 8, 2}, {"HELLO", 4, 4}, {"政务", 3, 16}, {std::string(500, 'z'), 2, 4},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.text + " px=" + std::to_string(row.module_px) + " margin=" + std::to_string(row.margin));
    auto svg = qr_svg(row.text, row.module_px, row.margin);
    ASSERT_TRUE(svg.ok()) << svg.error().message;
    Reference ref = reference(row.text);
    ParsedSvg p = parse_svg(*svg);
    ASSERT_TRUE(p.well_formed) << *svg;
    EXPECT_EQ(p.paths, 1);
    EXPECT_EQ(p.view_side, ref.width + 2 * row.margin);
    EXPECT_EQ(p.width_px, p.view_side * row.module_px);
    EXPECT_EQ(p.height_px, p.width_px);
    long dark_in_svg = 0, dark_in_ref = 0;
    for (int y = 0; y < p.view_side; ++y) {
      for (int x = 0; x < p.view_side; ++x) {
        bool cell =
            p.cells[static_cast<std::size_t>(y) * static_cast<std::size_t>(p.view_side) + static_cast<std::size_t>(x)];
        int mx = x - row.margin, my = y - row.margin;
        bool inside = mx >= 0 && my >= 0 && mx < ref.width && my < ref.width;
        bool expected =
            inside &&
            ref.dark[static_cast<std::size_t>(my) * static_cast<std::size_t>(ref.width) + static_cast<std::size_t>(mx)];
        ASSERT_EQ(cell, expected) << "module " << mx << "," << my;
        dark_in_svg += cell;
      }
    }
    for (bool b : ref.dark) dark_in_ref += b;
    EXPECT_EQ(dark_in_svg, dark_in_ref);
  }
}

TEST(QrCodeTest, SvgIsStandaloneAndCrisp) {
  auto svg = qr_svg("HELLO");
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->rfind(R"(<svg xmlns="http://www.w3.org/2000/svg" )", 0), 0u);
  EXPECT_NE(svg->find(R"(shape-rendering="crispEdges")"), std::string::npos);
  EXPECT_NE(svg->find(R"(<rect width="100%" height="100%" fill="#fff"/>)"), std::string::npos);
  EXPECT_EQ(svg->substr(svg->size() - 6), "</svg>");
  // Version 1 (21 modules) and a 4-module quiet zone at 4 px: 29 modules, 116 px.
  EXPECT_NE(svg->find(R"(width="116" height="116" viewBox="0 0 29 29")"), std::string::npos);
  // The finder pattern's top edge: 7 dark modules from the corner of the symbol.
  EXPECT_NE(svg->find("M4 4h7v1h-7z"), std::string::npos);
}

TEST(QrCodeTest, Errors) {
  struct Row {
    std::string name, text;
    int module_px, margin;
    ErrorCode code;
    std::string message;
  };
  const std::vector<Row> rows = {
      {"empty", "", 4, 4, ErrorCode::invalid, "text: is empty"},
      {"NUL byte", std::string("ab\0cd", 5), 4, 4, ErrorCode::invalid, "text: contains a NUL byte"},
      {"too long", std::string(2332, 'x'), 4, 4, ErrorCode::too_large,
       "text of 2332 bytes does not fit in a QR code at level M"},
      {"zero pixels", "x", 0, 4, ErrorCode::invalid, "module_px: must be 1..64"},
      {"too many pixels", "x", 65, 4, ErrorCode::invalid, "module_px: must be 1..64"},
      {"negative margin", "x", 4, -1, ErrorCode::invalid, "margin_modules: must be 0..16"},
      {"margin too wide", "x", 4, 17, ErrorCode::invalid, "margin_modules: must be 0..16"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    auto svg = qr_svg(row.text, row.module_px, row.margin);
    ASSERT_FALSE(svg.ok());
    EXPECT_EQ(svg.error().code, row.code);
    EXPECT_EQ(svg.error().message, row.message);
  }
  // The largest 8-bit text at level M fits, in version 40.
  auto largest = qr_matrix(std::string(2331, 'x'));
  ASSERT_TRUE(largest.ok());
  EXPECT_EQ(largest->version, 40);
  EXPECT_EQ(largest->size, 177);
}

}  // namespace
}  // namespace zhengwu::auth
