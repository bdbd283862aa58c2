// Reading typed identifier text one character at a time (UTF-8, RFC 3629).
#include "kernel/identifiers/typed_text.hpp"

namespace zhengwu::identifiers::detail {

namespace {

bool is_continuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

std::string hex(unsigned long value, int width) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out(static_cast<std::size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i, value >>= 4) out[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
  return out;
}

}  // namespace

std::vector<TypedCharacter> split_characters(std::string_view text) {
  std::vector<TypedCharacter> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      cp = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      cp = lead & 0x07;
    }
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      valid = is_continuation(b);
      cp = (cp << 6) | (b & 0x3F);
    }
    // Overlong three- and four-byte forms, surrogates and code points past U+10FFFF are
    // not UTF-8 either (RFC 3629 section 4).
    if (valid && length == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) valid = false;
    if (valid && length == 4 && (cp < 0x10000 || cp > 0x10FFFF)) valid = false;
    if (!valid) {
      out.push_back({text.substr(i, 1), U'\uFFFD', false});
      ++i;
      continue;
    }
    out.push_back({text.substr(i, length), cp, true});
    i += length;
  }
  return out;
}

std::string quote(const TypedCharacter& c) {
  if (!c.valid_utf8) return "(byte 0x" + hex(static_cast<unsigned char>(c.text[0]), 2) + ", not UTF-8 text)";
  if (c.code_point == U' ') return "(a space)";
  if (c.code_point == U'\u3000') return "(a full-width space)";
  if (c.code_point < 0x20 || c.code_point == 0x7F || (c.code_point >= 0x80 && c.code_point < 0xA0)) {
    return "(control character U+" + hex(c.code_point, 4) + ")";
  }
  return "'" + std::string(c.text) + "'";
}

std::string count_characters(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " character" : " characters");
}

std::optional<char> ascii_for_full_width(const TypedCharacter& c) {
  if (!c.valid_utf8 || c.code_point < 0xFF01 || c.code_point > 0xFF5E) return std::nullopt;
  return static_cast<char>(c.code_point - 0xFF01 + 0x21);
}

std::string bad_character_message(std::size_t position, const TypedCharacter& c, bool (*allowed)(char),
                                  std::string_view complaint) {
  std::string out = "character " + std::to_string(position) + " " + quote(c);
  if (auto ascii = ascii_for_full_width(c); ascii && allowed(*ascii)) {
    return out + " is full-width; type an ordinary " + std::string(1, *ascii) + " instead";
  }
  out += ' ';
  out += complaint;
  return out;
}

}  // namespace zhengwu::identifiers::detail
