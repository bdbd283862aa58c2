// A streaming JSON Lines reader (https://jsonlines.org) for data import (归集).
//
// One JSON object per line (RFC 8259), members whose values are text, numbers, true,
// false or null. A record is flat: a member whose value is an object or an array is
// refused with its line, as is a line that is not an object, a key given twice, text
// after the object, or a line longer than max_line_bytes. Such a line is reported and
// skipped; reading goes on with the next. Blank lines are skipped (they still count).
//
// Values are handed on as text, the way a CSV cell would be: a string's content
// (escapes resolved), a number exactly as written (so 12345678901234567890.12 keeps
// every digit, which a double would not), "true"/"false"; null is an empty value, the
// same as a missing member.
//
// The parser is Boost.JSON's SAX parser (basic_parser), kept out of this header. One
// reader per stream, used from one thread; the stream must outlive the reader.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zhengwu::data {

enum class JsonKind { string, number, boolean, null };

struct JsonMember {
  std::string_view key;
  std::string_view value;  // the text, as described above ("" for null)
  JsonKind kind = JsonKind::string;
};

struct JsonlOptions {
  std::size_t max_line_bytes = 1024 * 1024;
  std::size_t chunk_bytes = 64 * 1024;
};

class JsonlReader {
 public:
  enum class Next { record, bad_line, end };

  explicit JsonlReader(std::istream& in, JsonlOptions options = {});
  ~JsonlReader();
  JsonlReader(const JsonlReader&) = delete;
  JsonlReader& operator=(const JsonlReader&) = delete;

  // Reads the next non-blank line. record: members() holds the object. bad_line:
  // problem() says why. end: no more input.
  Next next();

  // The members of the last object in the order written; the views stay valid until the
  // next call of next().
  std::span<const JsonMember> members() const { return members_; }
  std::uint64_t line() const { return line_; }  // 1-based
  const std::string& problem() const { return problem_; }
  bool ended_at_eof() const { return ended_at_eof_; }

 private:
  bool refill();
  bool parse(std::string_view text);

  struct Parser;
  std::istream& in_;
  JsonlOptions options_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  std::unique_ptr<Parser> parser_;
  std::vector<JsonMember> members_;
  std::string problem_;
  std::uint64_t line_ = 0;
  bool ended_at_eof_ = false;
};

}  // namespace zhengwu::data
