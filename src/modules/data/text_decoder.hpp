// Bytes of an uploaded file to UTF-8 text, a chunk at a time, for data import (归集).
//
// Files reach the platform in UTF-8 or, from most legacy Chinese systems and from Excel
// on a Chinese Windows, in GBK. GB 18030 is a superset of GBK and GB 2312, so every such
// file is read as GB18030 (glibc's iconv, part of libc6; no other dependency).
//
//   utf8     a UTF-8 byte order mark is dropped; bytes that are not UTF-8 (RFC 3629: no
//            overlong forms, no surrogates, nothing past U+10FFFF) stop the decoding with
//            their byte offset. Nothing is ever replaced by U+FFFD: a wrong encoding
//            must be noticed, not turned into question marks in the register.
//   gb18030  the GB18030 byte order mark (84 31 95 33) is dropped; undecodable bytes
//            stop the decoding with their offset.
//   detect   a UTF-8 BOM means UTF-8 and a GB18030 BOM GB18030; a UTF-16 BOM is refused
//            (save the file as UTF-8). Otherwise ASCII passes through, and from the first
//            byte above 0x7F a window of 64 KiB is looked at: valid UTF-8 → UTF-8, else
//            GB18030. Starting the window at the first non-ASCII byte rather than at the
//            start of the file means a GBK file whose first thousand rows are ASCII is
//            still recognised. A GB18030 text so short that its bytes happen to form
//            valid UTF-8 (C4 A3 is 模 in GB18030 and ģ in UTF-8) is
//            taken for UTF-8; real files are long enough not to be, and the encoding can
//            always be given.
//
// A character split between two chunks is carried over to the next one; input that
// ends inside a character is an error at finish().
//
// A TextDecoder is one stream's state: use one per file, from one thread at a time.
// Distinct decoders share nothing and may run on different threads.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>

#include "kernel/result.hpp"

namespace zhengwu::data {

enum class Encoding { utf8, gb18030, detect };

// "utf-8", "gb18030", "detect".
std::string_view to_string(Encoding e);
// Accepts utf-8/utf8, gb18030/gbk/gb2312 (read as GB18030, their superset) and
// detect/auto, in any case; none for anything else.
std::optional<Encoding> encoding_from(std::string_view name);

struct DecodeError {
  std::uint64_t offset = 0;  // of the first byte that could not be decoded, from 0
  std::string message;       // "byte 0xC3 at offset 1041 does not begin a UTF-8 character; ..."
};

class TextDecoder {
 public:
  explicit TextDecoder(Encoding encoding);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  // Decodes the next `bytes` of the input and appends their UTF-8 to `out` (which is not
  // cleared). Bytes of a character that is not complete yet are kept for the next call,
  // and so are the first four bytes of the input until a byte order mark is ruled out.
  // Returns false once the input cannot be decoded; error() then says where, and every
  // later call returns false without appending. Everything before the bad byte has been
  // appended.
  bool decode(std::string_view bytes, std::string& out);
  // Ends the input: appends what was still held back (the detection window) and returns
  // false if the input ended inside a character.
  bool finish(std::string& out);

  // The encoding in use: the one asked for, or what detection decided (utf8 until a
  // decision is made).
  Encoding encoding() const { return decided_; }
  const std::optional<DecodeError>& error() const { return error_; }
  // Input bytes decoded so far (not counting bytes held back).
  std::uint64_t offset() const { return offset_; }

 private:
  bool start(std::string& out);
  bool feed(std::string_view bytes, std::string& out);
  bool decide(bool at_end, std::string& out);
  bool decode_utf8(std::string_view bytes, std::string& out);
  bool decode_gb18030(std::string_view bytes, std::string& out);
  bool fail(std::uint64_t offset, std::string message);

  struct Iconv;
  Encoding asked_;
  Encoding decided_;
  bool undecided_;
  bool started_ = false;       // the first bytes (where a BOM may be) have been seen
  std::string pending_;        // an incomplete character (≤ 3 bytes), or the detection window
  std::uint64_t offset_ = 0;   // input offset of the first byte not yet passed to decode_*
  std::optional<DecodeError> error_;
  std::unique_ptr<Iconv> iconv_;
};

// A streambuf that reads raw bytes from `source` and serves them as UTF-8, so that the
// CSV and JSON Lines readers take any supported encoding. On undecodable input it ends
// the stream (EOF) after the last good character; error() then says why, so a reader
// that met EOF must check it before trusting the last record. `source` must outlive
// this object. Not thread-safe (one reader).
class DecodingStreambuf final : public std::streambuf {
 public:
  DecodingStreambuf(std::istream& source, Encoding encoding, std::size_t chunk_bytes = 64 * 1024);

  const std::optional<DecodeError>& error() const { return decoder_.error(); }
  Encoding encoding() const { return decoder_.encoding(); }

 protected:
  int_type underflow() override;

 private:
  std::istream& source_;
  TextDecoder decoder_;
  std::string raw_;
  std::string text_;
  bool finished_ = false;
};

// The whole of `bytes` as UTF-8, for small inputs and tests. Fails with
// ErrorCode::invalid, field "encoding", and the DecodeError's message.
Result<std::string> decode_all(std::string_view bytes, Encoding encoding);

}  // namespace zhengwu::data
