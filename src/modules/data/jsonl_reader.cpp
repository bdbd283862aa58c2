// JSON Lines through Boost.JSON's SAX parser; see jsonl_reader.hpp for the contract.
//
// The SAX parser hands numbers over with the text they were written in, so a decimal
// is imported digit for digit, and no DOM is built per line: keys and values go into
// one reused arena.
#include "modules/data/jsonl_reader.hpp"

#include "modules/data/stream_window.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <algorithm>
#include <cstring>

namespace zhengwu::data {

namespace json = boost::json;

namespace {

struct Item {
  std::uint32_t key_offset, key_length, value_offset, value_length;
  JsonKind kind;
};

// Collects one flat object's members; stops with a reason at anything else.
struct Collector {
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);

  std::string arena;
  std::vector<Item> items;
  std::string problem;
  int depth = 0;
  std::size_t key_offset = 0, key_length = 0;
  std::size_t part_start = static_cast<std::size_t>(-1);  // a key, string or number in pieces

  void clear() {
    arena.clear();
    items.clear();
    problem.clear();
    depth = 0;
    part_start = static_cast<std::size_t>(-1);
  }

  std::string current_key() const {
    std::string k = arena.substr(key_offset, key_length);
    if (k.size() > 40) k = k.substr(0, 40) + "...";
    return k;
  }

  bool stop(json::error_code& ec, std::string reason) {
    problem = std::move(reason);
    ec = json::error::syntax;
    return false;
  }

  bool top_level_value(json::error_code& ec) {
    return stop(ec, "the line is not a JSON object; each line holds one object, {\"name\": \"value\", ...}");
  }

  // Appends a piece of a key, string or number.
  void part(json::string_view s) {
    if (part_start == static_cast<std::size_t>(-1)) part_start = arena.size();
    arena.append(s.data(), s.size());
  }
  // Ends a piece run and returns [start, size) of arena.
  std::pair<std::size_t, std::size_t> finish(json::string_view s) {
    part(s);
    const std::size_t start = part_start;
    part_start = static_cast<std::size_t>(-1);
    return {start, arena.size() - start};
  }
  void add(std::pair<std::size_t, std::size_t> value, JsonKind kind) {
    items.push_back({static_cast<std::uint32_t>(key_offset), static_cast<std::uint32_t>(key_length),
                     static_cast<std::uint32_t>(value.first), static_cast<std::uint32_t>(value.second), kind});
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code& ec) {
    if (depth == 0) {
      depth = 1;
      return true;
    }
    return stop(ec, "member \"" + current_key() +
                        "\" is an object; a record is flat: its values are text, numbers, true, false or null");
  }
  bool on_object_end(std::size_t, json::error_code&) {
    --depth;
    return true;
  }
  bool on_array_begin(json::error_code& ec) {
    if (depth == 0) return top_level_value(ec);
    return stop(ec, "member \"" + current_key() +
                        "\" is an array; a record is flat: its values are text, numbers, true, false or null");
  }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    part(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    const auto [start, length] = finish(s);
    key_offset = start;
    key_length = length;
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    part(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code& ec) {
    if (depth == 0) return top_level_value(ec);
    add(finish(s), JsonKind::string);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    part(s);
    return true;
  }
  bool number(json::string_view s, json::error_code& ec) {
    if (depth == 0) return top_level_value(ec);
    add(finish(s), JsonKind::number);
    return true;
  }
  bool on_int64(std::int64_t, json::string_view s, json::error_code& ec) { return number(s, ec); }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code& ec) { return number(s, ec); }
  bool on_double(double, json::string_view s, json::error_code& ec) { return number(s, ec); }
  bool on_bool(bool b, json::error_code& ec) {
    if (depth == 0) return top_level_value(ec);
    add(finish(b ? "true" : "false"), JsonKind::boolean);
    return true;
  }
  bool on_null(json::error_code& ec) {
    if (depth == 0) return top_level_value(ec);
    add(finish(""), JsonKind::null);
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

json::parse_options strict_options() {
  json::parse_options o;
  o.allow_comments = false;
  o.allow_trailing_commas = false;
  o.allow_invalid_utf8 = false;
  return o;
}

// The 1-based character (code point) position of byte `offset`, for messages.
std::size_t character_at(std::string_view text, std::size_t offset) {
  std::size_t n = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// True when `s` starts with a well-formed UTF-8 character (RFC 3629).
bool utf8_at(std::string_view s) {
  const auto b = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; };
  const unsigned char lead = b(0);
  if (lead < 0x80) return true;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return false;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char c = b(k);
    if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return false;
  }
  return true;
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

struct JsonlReader::Parser {
  json::basic_parser<Collector> sax{strict_options()};
};

JsonlReader::JsonlReader(std::istream& in, JsonlOptions options)
    : in_(in), options_(options), parser_(std::make_unique<Parser>()) {
  options_.chunk_bytes = std::max<std::size_t>(options_.chunk_bytes, 1);
  buf_.resize(std::max<std::size_t>(options_.chunk_bytes, 4096));
}

JsonlReader::~JsonlReader() = default;

bool JsonlReader::refill() { return refill_window(in_, options_.chunk_bytes, buf_, begin_, end_, eof_); }

bool JsonlReader::parse(std::string_view text) {
  auto& sax = parser_->sax;
  Collector& c = sax.handler();
  c.clear();
  sax.reset();
  json::error_code ec;
  const std::size_t used = sax.write_some(false, text.data(), text.size(), ec);
  if (ec) {
    if (!c.problem.empty()) {
      problem_ = std::move(c.problem);
    } else {
      // Boost.JSON calls bytes that are not UTF-8 a syntax error; say what they are.
      const std::string what = used < text.size() && !utf8_at(text.substr(used)) ? "bytes that are not UTF-8"
                                                                                 : ec.message();
      problem_ = "the line is not valid JSON: " + what + " at character " + std::to_string(character_at(text, used));
    }
    return false;
  }
  if (!is_blank(text.substr(used))) {
    problem_ = "text follows the object at character " + std::to_string(character_at(text, used)) +
               "; write one object per line";
    return false;
  }
  members_.reserve(c.items.size());
  for (const Item& i : c.items) {
    members_.push_back({std::string_view(c.arena).substr(i.key_offset, i.key_length),
                        std::string_view(c.arena).substr(i.value_offset, i.value_length), i.kind});
  }
  // A key twice is refused: which of the two the sender meant cannot be told.
  for (std::size_t i = 1; i < members_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (members_[i].key == members_[j].key) {
        problem_ = "the key \"" + std::string(members_[i].key.substr(0, 40)) + "\" appears twice";
        members_.clear();
        return false;
      }
    }
  }
  return true;
}

JsonlReader::Next JsonlReader::next() {
  members_.clear();
  problem_.clear();
  ended_at_eof_ = false;
  for (;;) {
    ++line_;
    // Find the end of the line.
    std::size_t scanned = 0;
    bool too_long = false;
    std::size_t line_end = 0;
    bool at_eof = false;
    for (;;) {
      const char* from = buf_.data() + begin_ + scanned;
      const std::size_t left = end_ - begin_ - scanned;
      if (const void* nl = left ? std::memchr(from, '\n', left) : nullptr) {
        line_end = static_cast<std::size_t>(static_cast<const char*>(nl) - (buf_.data() + begin_));
        break;
      }
      scanned = end_ - begin_;
      if (scanned > options_.max_line_bytes) {
        // Drop what is held and keep looking for the line break.
        too_long = true;
        begin_ = end_;
        scanned = 0;
      }
      if (!refill()) {
        at_eof = true;
        line_end = end_ - begin_;
        break;
      }
    }
    std::string_view text(buf_.data() + begin_, line_end);
    begin_ += line_end + (at_eof ? 0 : 1);
    if (line_ == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (too_long || text.size() > options_.max_line_bytes) {
      problem_ = "the line is longer than " + std::to_string(options_.max_line_bytes) + " bytes";
      return Next::bad_line;
    }
    if (is_blank(text)) {
      if (at_eof) return Next::end;
      continue;
    }
    ended_at_eof_ = at_eof;
    return parse(text) ? Next::record : Next::bad_line;
  }
}

}  // namespace zhengwu::data
