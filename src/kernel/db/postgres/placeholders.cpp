// `?` → `$n` rewriting; the lexical rules follow PostgreSQL 15's documentation, section
// 4.1 "Lexical Structure" (string constants, C-style escapes, dollar quoting, comments).
#include "kernel/db/postgres/placeholders.hpp"

#include <algorithm>

namespace zhengwu::db::postgres {
namespace {

bool identifier_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         u >= 0x80;
}

bool identifier_start(char c) {
  return identifier_char(c) && c != '$' && !(c >= '0' && c <= '9');
}

// Index just past the literal that opens at `i` (a quote); backslashes escape when
// `backslash_escapes` (E'...').
std::size_t skip_quoted(std::string_view sql, std::size_t i, char quote, bool backslash_escapes) {
  for (++i; i < sql.size(); ++i) {
    if (backslash_escapes && sql[i] == '\\') {
      ++i;
      continue;
    }
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;  // doubled quote: an escaped quote, the literal goes on
        continue;
      }
      return i + 1;
    }
  }
  return sql.size();
}

std::size_t skip_block_comment(std::string_view sql, std::size_t i) {
  int depth = 0;
  while (i < sql.size()) {
    if (sql.compare(i, 2, "/*") == 0) {
      ++depth;
      i += 2;
    } else if (sql.compare(i, 2, "*/") == 0) {
      i += 2;
      if (--depth == 0) return i;
    } else {
      ++i;
    }
  }
  return sql.size();
}

// When a dollar quote opens at `i`, the index past its closing tag; otherwise `i`.
std::size_t skip_dollar_quoted(std::string_view sql, std::size_t i) {
  std::size_t j = i + 1;
  if (j < sql.size() && identifier_start(sql[j])) {
    while (j < sql.size() && identifier_char(sql[j]) && sql[j] != '$') ++j;
  }
  if (j >= sql.size() || sql[j] != '$') return i;  // `$1` or a lone `$`: not a quote
  std::string_view tag = sql.substr(i, j - i + 1);
  std::size_t close = sql.find(tag, j + 1);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

}  // namespace

NumberedSql to_numbered_placeholders(std::string_view sql) {
  NumberedSql out;
  out.text.reserve(sql.size() + 16);
  std::size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    std::size_t next = i + 1;
    if (c == '\'') {
      // E'...' (or e'...') when the E is a word of its own, not the end of an identifier.
      bool escapes = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !identifier_char(sql[i - 2]));
      next = skip_quoted(sql, i, '\'', escapes);
    } else if (c == '"') {
      next = skip_quoted(sql, i, '"', false);
    } else if (c == '-' && sql.compare(i, 2, "--") == 0) {
      std::size_t eol = sql.find('\n', i);
      next = eol == std::string_view::npos ? sql.size() : eol;
    } else if (c == '/' && sql.compare(i, 2, "/*") == 0) {
      next = skip_block_comment(sql, i);
    } else if (c == '$' && (i == 0 || !identifier_char(sql[i - 1]))) {
      next = std::max(skip_dollar_quoted(sql, i), i + 1);
    } else if (identifier_start(c)) {
      // Whole words at once, so that a `$` inside an identifier is not a dollar quote.
      while (next < sql.size() && identifier_char(sql[next])) ++next;
    } else if (c == '?') {
      out.text += '$';
      out.text += std::to_string(++out.parameters);
      i = next;
      continue;
    }
    out.text.append(sql.substr(i, next - i));
    i = next;
  }
  return out;
}

}  // namespace zhengwu::db::postgres
