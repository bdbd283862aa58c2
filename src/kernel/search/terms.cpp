// Cutting text into search terms; see terms.hpp.
#include "kernel/search/terms.hpp"

#include <algorithm>
#include <cstdint>
#include <set>

namespace zhengwu::search {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes one UTF-8 sequence at `i`, advancing it; kInvalid for a malformed one (one
// byte is skipped).
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return kInvalid;
  }
  char32_t cp = len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
  for (int k = 1; k < len; ++k) {
    unsigned char d = byte(i + k);
    if ((d & 0xC0) != 0x80) {
      ++i;
      return kInvalid;
    }
    cp = (cp << 6) | (d & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not text.
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kInvalid;
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char32_t fold_code_point(char32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII forms
  if (cp == 0x3000) cp = ' ';                       // ideographic space
  if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
  return cp;
}

// Han ideographs (unified, extensions A-F, compatibility), kana and Hangul syllables:
// scripts written without spaces between words.
bool is_cjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x2FA1F) || (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         cp == 0x3007;  // 〇, the ideographic zero of dates
}

// Letters and digits of alphabetic scripts that are written with spaces: ASCII and the
// Latin-1 letters (pinyin with tone marks, names).
bool is_word_char(char32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

enum class Run { none, cjk, word };

// Calls `on_run(kind, code points)` for each maximal run of CJK or word characters.
template <class F>
void for_each_run(std::string_view text, F&& on_run) {
  std::u32string run;
  Run kind = Run::none;
  auto flush = [&] {
    if (kind != Run::none && !run.empty()) on_run(kind, run);
    run.clear();
    kind = Run::none;
  };
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = next_code_point(text, i);
    if (cp == kInvalid) {
      flush();
      continue;
    }
    cp = fold_code_point(cp);
    Run k = is_cjk(cp) ? Run::cjk : is_word_char(cp) ? Run::word : Run::none;
    if (k != kind) flush();
    if (k == Run::none) continue;
    kind = k;
    run.push_back(cp);
  }
  flush();
}

std::string encode(std::u32string_view cps) {
  std::string out;
  for (char32_t cp : cps) append_utf8(out, cp);
  return out;
}

}  // namespace

std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = next_code_point(text, i);
    if (cp != kInvalid) append_utf8(out, fold_code_point(cp));
  }
  return out;
}

std::vector<std::string> document_terms(std::string_view text) {
  std::vector<std::string> out;
  for_each_run(text, [&](Run kind, const std::u32string& run) {
    if (kind == Run::word) {
      out.push_back(encode(run));
      return;
    }
    for (std::size_t k = 0; k < run.size(); ++k) {
      out.push_back(encode(std::u32string_view(run).substr(k, 1)));
      if (k + 1 < run.size()) out.push_back(encode(std::u32string_view(run).substr(k, 2)));
    }
  });
  return out;
}

std::vector<std::string> query_terms(std::string_view text) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](std::string term) {
    if (seen.insert(term).second) out.push_back(std::move(term));
  };
  for_each_run(text, [&](Run kind, const std::u32string& run) {
    if (kind == Run::word || run.size() == 1) return add(encode(run));
    for (std::size_t k = 0; k + 1 < run.size(); ++k) add(encode(std::u32string_view(run).substr(k, 2)));
  });
  return out;
}

}  // namespace zhengwu::search
