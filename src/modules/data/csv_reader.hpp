// A streaming CSV reader (RFC 4180) for data import (归集).
//
// Reads UTF-8 text (a DecodingStreambuf in front turns GB18030 into that) one record at
// a time: fields separated by commas, records by CRLF or LF, a field in double quotes
// may hold commas, line breaks and quotes written twice (""); the last record may lack
// its line break; a leading UTF-8 byte order mark is dropped. Lines with nothing on them
// are not records (they still count as lines).
//
// A record that breaks the format is reported, not fatal: next() returns bad_record with
// the line where the record starts and the reason, and reading resumes at the line after
// that one, so one bad row never stops an import. The breaks recognised:
//   - a quote inside a field that did not start with one (a"b) — write the field in quotes
//     and double the quote;
//   - text after a closing quote ("ab"c);
//   - a quoted field still open at the end of the file (a quote never closed, which
//     swallows the lines after it until one is found);
//   - a field longer than max_field_bytes, a record longer than max_record_bytes or with
//     more than max_fields fields.
// Resuming at the line after the record's first line means that a stray opening quote
// costs one row, not the rest of the file: the lines it swallowed are read again.
//
// Whether a record has as many fields as the header is the caller's check (fields().size()).
//
// Memory: one buffer holding the record being read (grown to the largest record, bounded
// by max_record_bytes), one for quoted fields with doubled quotes, and the field list.
// Nothing is allocated per record once they have grown.
//
// One reader per stream, used from one thread; the stream must outlive the reader.
#pragma once

#include <cstdint>
#include <istream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zhengwu::data {

struct CsvOptions {
  char delimiter = ',';
  std::size_t max_field_bytes = 1024 * 1024;
  std::size_t max_record_bytes = 16 * 1024 * 1024;
  std::size_t max_fields = 4096;
  std::size_t chunk_bytes = 64 * 1024;  // bytes asked of the stream at a time
};

class CsvReader {
 public:
  enum class Next { record, bad_record, end };

  explicit CsvReader(std::istream& in, CsvOptions options = {});

  // Reads the next record. record: fields() holds it. bad_record: problem() says why
  // and fields() is empty. end: no more input.
  Next next();

  // The fields of the last record, without quotes and with "" turned into ". The views
  // stay valid until the next call of next().
  std::span<const std::string_view> fields() const { return fields_; }
  // The physical line (1-based) where the last record or bad record starts.
  std::uint64_t line() const { return line_; }
  // Why the last record was refused ("field 3: a quote inside a field that does not
  // start with one; ..."). Empty after a good record.
  const std::string& problem() const { return problem_; }
  // True when the last record (or bad record) ended at the end of the input rather than
  // at a line break. An import whose decoder failed drops such a record: it may be cut
  // short.
  bool ended_at_eof() const { return ended_at_eof_; }

 private:
  struct Span {
    bool in_scratch;
    std::uint32_t offset;  // from the record's start in buf_, or in scratch_
    std::uint32_t length;
  };

  // Reads more input after end_; returns false at the end of the input.
  bool refill();
  // Refuses the record that starts at begin_ and positions the reader at the line after
  // its first; `rel` is where the scan had got to, `first_newline` the offset of the first
  // line break inside the record (or npos), `at_end` whether the end of input is the reason.
  Next refuse(std::string reason, std::size_t rel, std::size_t first_newline, bool at_end = false);
  bool push_field(std::size_t rel_offset, std::size_t length, bool in_scratch, std::string& reason);

  std::istream& in_;
  CsvOptions options_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;  // start of the record being read
  std::size_t end_ = 0;    // end of the data in buf_
  bool eof_ = false;
  bool started_ = false;
  std::string scratch_;
  std::vector<Span> spans_;
  std::vector<std::string_view> fields_;
  std::string problem_;
  std::uint64_t line_ = 0;
  std::uint64_t next_line_ = 1;
  bool ended_at_eof_ = false;
};

}  // namespace zhengwu::data
