// RFC 4180 records from a stream; see csv_reader.hpp for the contract.
//
// The scan keeps offsets relative to the start of the record, so the buffer may be
// compacted or grown under it when a record straddles a chunk: the state machine picks
// up where it stopped. Unquoted fields and quoted fields without doubled quotes are
// views of the buffer; only a field with "" is copied (into scratch_) to undouble them.
#include "modules/data/csv_reader.hpp"

#include "modules/data/stream_window.hpp"

#include <algorithm>
#include <cstring>

namespace zhengwu::data {

namespace {

constexpr std::size_t npos = static_cast<std::size_t>(-1);

std::string field_label(std::size_t index) {
  return "field " + std::to_string(index + 1);
}

}  // namespace

CsvReader::CsvReader(std::istream& in, CsvOptions options) : in_(in), options_(options) {
  options_.chunk_bytes = std::max<std::size_t>(options_.chunk_bytes, 1);
  buf_.resize(std::max<std::size_t>(options_.chunk_bytes, 4096));
}

bool CsvReader::refill() { return refill_window(in_, options_.chunk_bytes, buf_, begin_, end_, eof_); }

bool CsvReader::push_field(std::size_t rel_offset, std::size_t length, bool in_scratch, std::string& reason) {
  if (spans_.size() >= options_.max_fields) {
    reason = "the record has more than " + std::to_string(options_.max_fields) + " fields";
    return false;
  }
  if (length > options_.max_field_bytes) {
    reason = field_label(spans_.size()) + " is longer than " + std::to_string(options_.max_field_bytes) + " bytes";
    return false;
  }
  spans_.push_back({in_scratch, static_cast<std::uint32_t>(rel_offset), static_cast<std::uint32_t>(length)});
  return true;
}

CsvReader::Next CsvReader::refuse(std::string reason, std::size_t rel, std::size_t first_newline, bool at_end) {
  problem_ = std::move(reason);
  spans_.clear();
  fields_.clear();
  next_line_ = line_ + 1;
  ended_at_eof_ = at_end;
  if (first_newline != npos) {
    begin_ += first_newline + 1;
    return Next::bad_record;
  }
  // The record's first line goes on past where the scan stopped: skip to its end,
  // dropping what was read, so a huge line costs no memory.
  for (;;) {
    const char* from = buf_.data() + begin_ + rel;
    const char* to = buf_.data() + end_;
    if (const void* nl = from < to ? std::memchr(from, '\n', static_cast<std::size_t>(to - from)) : nullptr) {
      begin_ = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data()) + 1;
      return Next::bad_record;
    }
    begin_ = end_;
    rel = 0;
    if (!refill()) {
      ended_at_eof_ = true;
      return Next::bad_record;
    }
  }
}

CsvReader::Next CsvReader::next() {
  fields_.clear();
  spans_.clear();
  scratch_.clear();
  problem_.clear();
  ended_at_eof_ = false;
  if (!started_) {
    started_ = true;
    while (end_ - begin_ < 3 && refill()) {
    }
    if (end_ - begin_ >= 3 && std::memcmp(buf_.data() + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
  }

  const char delim = options_.delimiter;
  for (;;) {  // once per record; blank lines go round again
    line_ = next_line_;
    enum class State { field_start, unquoted, quoted, after_quote } state = State::field_start;
    std::size_t rel = 0;          // scan position, from begin_
    std::size_t field_start = 0;  // unquoted: the field's first byte; quoted: the byte after the quote
    std::size_t close_quote = 0;  // after_quote: where the quote is
    bool doubled = false;         // the quoted field has "" in it
    bool quoted_seen = false;
    std::size_t newlines = 0;     // line breaks inside quoted fields
    std::size_t first_newline = npos;
    bool at_eof = false;
    std::string reason;

    // Adds the quoted field [field_start, close_quote), undoubling "" into scratch_.
    auto push_quoted = [&]() -> bool {
      const char* p = buf_.data() + begin_;
      if (!doubled) return push_field(field_start, close_quote - field_start, false, reason);
      const std::size_t at = scratch_.size();
      for (std::size_t i = field_start; i < close_quote; ++i) {
        scratch_ += p[i];
        if (p[i] == '"') ++i;  // the second of the pair
      }
      return push_field(at, scratch_.size() - at, true, reason);
    };
    auto push_unquoted = [&](std::size_t end) -> bool {
      const char* p = buf_.data() + begin_;
      std::size_t length = end - field_start;
      if (length > 0 && p[end - 1] == '\r') --length;  // CRLF
      return push_field(field_start, length, false, reason);
    };

    bool done = false;
    while (!done) {
      if (begin_ + rel >= end_) {
        if (state == State::unquoted || state == State::quoted) {
          // The same reason as push_field gives, so that chunk sizes never change a report.
          if (rel - field_start > options_.max_field_bytes) {
            return refuse(field_label(spans_.size()) + " is longer than " + std::to_string(options_.max_field_bytes) +
                              " bytes",
                          rel, first_newline);
          }
        }
        if (rel > options_.max_record_bytes) {
          return refuse("the record is longer than " + std::to_string(options_.max_record_bytes) + " bytes", rel,
                        first_newline);
        }
        if (!refill()) {
          at_eof = true;
          switch (state) {
            case State::field_start:
              if (rel == 0) return Next::end;
              if (!push_field(rel, 0, false, reason)) return refuse(reason, rel, first_newline);
              break;
            case State::unquoted:
              if (!push_unquoted(rel)) return refuse(reason, rel, first_newline);
              break;
            case State::quoted:
              return refuse(field_label(spans_.size()) +
                                ": its opening quote is never closed before the end of the file; close it, or "
                                "write a quote inside a field as two quotes (\"\")",
                            rel, first_newline, true);
            case State::after_quote:
              if (!push_quoted()) return refuse(reason, rel, first_newline);
              break;
          }
          done = true;
        }
        continue;
      }

      const char* p = buf_.data() + begin_;
      const std::size_t avail = end_ - begin_;
      switch (state) {
        case State::field_start: {
          const char c = p[rel];
          if (c == '"') {
            state = State::quoted;
            quoted_seen = true;
            doubled = false;
            field_start = ++rel;
          } else if (c == delim) {
            if (!push_field(rel, 0, false, reason)) return refuse(reason, rel, first_newline);
            ++rel;
          } else if (c == '\n') {
            if (!push_field(rel, 0, false, reason)) return refuse(reason, rel, first_newline);
            ++rel;
            done = true;
          } else {
            state = State::unquoted;
            field_start = rel++;
          }
          break;
        }
        case State::unquoted: {
          while (rel < avail) {
            const char c = p[rel];
            if (c == delim || c == '\n' || c == '"') break;
            ++rel;
          }
          if (rel >= avail) break;  // more input needed
          const char c = p[rel];
          if (c == '"') {
            return refuse(field_label(spans_.size()) +
                              ": a quote inside a field that does not start with one; put the whole field in "
                              "quotes and write the quote twice (\"\")",
                          rel, first_newline);
          }
          if (!push_unquoted(rel)) return refuse(reason, rel, first_newline);
          ++rel;
          if (c == '\n') {
            done = true;
          } else {
            state = State::field_start;
          }
          break;
        }
        case State::quoted: {
          while (rel < avail && p[rel] != '"') {
            if (p[rel] == '\n') {
              ++newlines;
              if (first_newline == npos) first_newline = rel;
            }
            ++rel;
          }
          if (rel >= avail) break;  // more input needed
          close_quote = rel++;
          state = State::after_quote;
          break;
        }
        case State::after_quote: {
          const char c = p[rel];
          if (c == '"') {  // "" inside the quotes
            doubled = true;
            state = State::quoted;
            ++rel;
          } else if (c == delim) {
            if (!push_quoted()) return refuse(reason, rel, first_newline);
            state = State::field_start;
            ++rel;
          } else if (c == '\n' || (c == '\r' && rel + 1 < avail && p[rel + 1] == '\n')) {
            if (!push_quoted()) return refuse(reason, rel, first_newline);
            rel += c == '\r' ? 2 : 1;
            done = true;
          } else if (c == '\r' && rel + 1 >= avail) {
            // A CR at the end of the data: see what follows it.
            if (!refill()) {
              if (!push_quoted()) return refuse(reason, rel, first_newline);
              rel = end_ - begin_;
              at_eof = true;
              done = true;
            }
          } else {
            return refuse(field_label(spans_.size()) +
                              ": text after its closing quote; a quote inside a quoted field is written twice (\"\")",
                          rel, first_newline);
          }
          break;
        }
      }
    }

    // The record is [begin_, begin_ + rel).
    if (rel > options_.max_record_bytes) {
      return refuse("the record is longer than " + std::to_string(options_.max_record_bytes) + " bytes", rel,
                    first_newline);
    }
    const char* base = buf_.data() + begin_;
    begin_ += rel;
    next_line_ = line_ + newlines + (at_eof ? 0 : 1);
    if (spans_.size() == 1 && spans_[0].length == 0 && !quoted_seen) {
      spans_.clear();  // a blank line
      if (at_eof) return Next::end;
      continue;
    }
    ended_at_eof_ = at_eof;
    fields_.reserve(spans_.size());
    for (const Span& s : spans_) {
      fields_.emplace_back((s.in_scratch ? scratch_.data() : base) + s.offset, s.length);
    }
    return Next::record;
  }
}

}  // namespace zhengwu::data
