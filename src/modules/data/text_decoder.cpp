// Streaming bytes → UTF-8 for data import; see text_decoder.hpp for the contract.
//
// UTF-8 is validated here (RFC 3629, the well-formed byte sequences of Unicode table
// 3-7) with an eight-bytes-at-a-time ASCII path, since most bytes of a data file are
// ASCII. GB18030 goes through glibc's iconv, one converter per decoder (an iconv_t is
// not shared between threads).
#include "modules/data/text_decoder.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace zhengwu::data {

namespace {

constexpr std::size_t kDetectWindow = 64 * 1024;

enum class Scan { complete, truncated, invalid };

// The length of the longest well-formed prefix of [p, p + n) in `valid`; what follows it
// is the end (complete), the start of a character cut short by the end (truncated), or a
// byte that cannot be there (invalid).
Scan scan_utf8(const unsigned char* p, std::size_t n, std::size_t& valid) {
  std::size_t i = 0;
  while (i < n) {
    // ASCII eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;  // no overlong forms
      if (b == 0xED) hi = 0x9F;  // no surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;  // no overlong forms
      if (b == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
    } else {
      valid = i;
      return Scan::invalid;
    }
    for (std::size_t k = 1; k < len; ++k) {
      if (i + k >= n) {
        valid = i;
        return Scan::truncated;
      }
      const unsigned char c = p[i + k];
      const unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
      if (c < l || c > h) {
        valid = i;
        return Scan::invalid;
      }
    }
    i += len;
  }
  valid = n;
  return Scan::complete;
}

Scan scan_utf8(std::string_view s, std::size_t& valid) {
  return scan_utf8(reinterpret_cast<const unsigned char*>(s.data()), s.size(), valid);
}

std::size_t ascii_prefix(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// "E4 41": up to four bytes in hex, for messages.
std::string hex_bytes(std::string_view s) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < 4; ++i) {
    if (i) out += ' ';
    const auto b = static_cast<unsigned char>(s[i]);
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

bool starts_with_bytes(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

const std::string_view kUtf8Bom = "\xEF\xBB\xBF";
const std::string_view kGb18030Bom = "\x84\x31\x95\x33";

}  // namespace

std::string_view to_string(Encoding e) {
  switch (e) {
    case Encoding::utf8:
      return "utf-8";
    case Encoding::gb18030:
      return "gb18030";
    case Encoding::detect:
      return "detect";
  }
  return "utf-8";
}

std::optional<Encoding> encoding_from(std::string_view name) {
  std::string n(name);
  for (char& c : n) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (n == "utf-8" || n == "utf8") return Encoding::utf8;
  if (n == "gb18030" || n == "gbk" || n == "gb2312" || n == "cp936") return Encoding::gb18030;
  if (n == "detect" || n == "auto") return Encoding::detect;
  return std::nullopt;
}

struct TextDecoder::Iconv {
  iconv_t cd = reinterpret_cast<iconv_t>(-1);
  ~Iconv() {
    if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
  }
};

TextDecoder::TextDecoder(Encoding encoding)
    : asked_(encoding),
      decided_(encoding == Encoding::detect ? Encoding::utf8 : encoding),
      undecided_(encoding == Encoding::detect) {}

TextDecoder::~TextDecoder() = default;

bool TextDecoder::fail(std::uint64_t offset, std::string message) {
  error_ = DecodeError{offset, std::move(message)};
  pending_.clear();
  return false;
}

bool TextDecoder::decode(std::string_view bytes, std::string& out) {
  if (error_) return false;
  if (!started_) {
    // Gather the four bytes that may hold a byte order mark.
    pending_.append(bytes);
    if (pending_.size() < 4) return true;
    return start(out);
  }
  return feed(bytes, out);
}

bool TextDecoder::start(std::string& out) {
  started_ = true;
  std::string head = std::move(pending_);
  pending_.clear();
  std::string_view h = head;
  if (starts_with_bytes(h, "\xFF\xFE") || starts_with_bytes(h, "\xFE\xFF")) {
    return fail(0, "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8 and import it again");
  }
  if (starts_with_bytes(h, kUtf8Bom)) {
    if (asked_ == Encoding::gb18030) {
      return fail(0, "the file starts with a UTF-8 byte order mark but was given as GB18030; import it as UTF-8");
    }
    decided_ = Encoding::utf8;
    undecided_ = false;
    h.remove_prefix(3);
    offset_ += 3;
  } else if (starts_with_bytes(h, kGb18030Bom) && asked_ != Encoding::utf8) {
    decided_ = Encoding::gb18030;
    undecided_ = false;
    h.remove_prefix(4);
    offset_ += 4;
  }
  return feed(h, out);
}

bool TextDecoder::feed(std::string_view bytes, std::string& out) {
  if (undecided_) {
    if (pending_.empty()) {
      // Still in the ASCII that both encodings read alike.
      const std::size_t n = ascii_prefix(bytes);
      out.append(bytes.substr(0, n));
      offset_ += n;
      bytes.remove_prefix(n);
      if (bytes.empty()) return true;
    }
    pending_.append(bytes);
    if (pending_.size() >= kDetectWindow) return decide(false, out);
    return true;
  }
  return decided_ == Encoding::utf8 ? decode_utf8(bytes, out) : decode_gb18030(bytes, out);
}

bool TextDecoder::decide(bool at_end, std::string& out) {
  std::string window = std::move(pending_);
  pending_.clear();
  std::size_t valid = 0;
  const Scan s = scan_utf8(window, valid);
  // A window cut through a character is still UTF-8 if the file goes on.
  const bool utf8 = s == Scan::complete || (s == Scan::truncated && !at_end);
  decided_ = utf8 ? Encoding::utf8 : Encoding::gb18030;
  undecided_ = false;
  return utf8 ? decode_utf8(window, out) : decode_gb18030(window, out);
}

bool TextDecoder::decode_utf8(std::string_view bytes, std::string& out) {
  if (!pending_.empty()) {
    // Complete the character the last chunk cut short.
    char tmp[4];
    std::size_t k = pending_.size();
    std::memcpy(tmp, pending_.data(), k);
    const auto lead = static_cast<unsigned char>(tmp[0]);
    const std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    while (k < need && !bytes.empty()) {
      tmp[k++] = bytes.front();
      bytes.remove_prefix(1);
    }
    std::size_t valid = 0;
    const Scan s = scan_utf8(std::string_view(tmp, k), valid);
    if (s == Scan::invalid) {
      return fail(offset_, "the bytes at offset " + std::to_string(offset_) + " (" + hex_bytes({tmp, k}) +
                               ") are not UTF-8 text; if the file is GBK or GB18030, import it with that encoding");
    }
    if (s == Scan::truncated) {
      pending_.assign(tmp, k);
      return true;
    }
    out.append(tmp, k);
    offset_ += k;
    pending_.clear();
  }
  std::size_t valid = 0;
  const Scan s = scan_utf8(bytes, valid);
  out.append(bytes.data(), valid);
  offset_ += valid;
  if (s == Scan::invalid) {
    return fail(offset_, "the bytes at offset " + std::to_string(offset_) + " (" + hex_bytes(bytes.substr(valid)) +
                             ") are not UTF-8 text; if the file is GBK or GB18030, import it with that encoding");
  }
  if (s == Scan::truncated) pending_.assign(bytes.substr(valid));
  return true;
}

bool TextDecoder::decode_gb18030(std::string_view bytes, std::string& out) {
  if (!iconv_) {
    iconv_ = std::make_unique<Iconv>();
    iconv_->cd = iconv_open("UTF-8", "GB18030");
    if (iconv_->cd == reinterpret_cast<iconv_t>(-1)) {
      return fail(offset_, "GB18030 cannot be decoded here: the C library's iconv does not know it");
    }
  }
  // Converts [data, data + size); returns the bytes consumed, or sets the error.
  // An incomplete character at the end sets `incomplete`; the caller keeps its bytes.
  auto convert = [&](const char* data, std::size_t size, bool& incomplete) -> std::size_t {
    incomplete = false;
    char* in = const_cast<char*>(data);
    std::size_t in_left = size;
    while (in_left > 0) {
      const std::size_t old = out.size();
      // Two GB18030 bytes make at most three UTF-8 bytes, four make at most four.
      out.resize(old + in_left + in_left / 2 + 8);
      char* o = out.data() + old;
      std::size_t o_left = out.size() - old;
      const std::size_t r = iconv(iconv_->cd, &in, &in_left, &o, &o_left);
      const int err = errno;
      out.resize(static_cast<std::size_t>(o - out.data()));
      if (r != static_cast<std::size_t>(-1)) break;
      if (err == E2BIG) continue;
      if (err == EINVAL) {
        incomplete = true;
        break;
      }
      const std::size_t at = static_cast<std::size_t>(in - data);
      fail(offset_ + at, "the bytes at offset " + std::to_string(offset_ + at) + " (" +
                             hex_bytes(std::string_view(in, std::min<std::size_t>(in_left, 4))) +
                             ") are not GB18030 text; check the file's encoding");
      return at;
    }
    return static_cast<std::size_t>(in - data);
  };

  bool incomplete = false;
  if (!pending_.empty()) {
    // The character the last chunk cut short, with up to four more bytes.
    char tmp[8];
    std::size_t k = pending_.size();
    std::memcpy(tmp, pending_.data(), k);
    const std::size_t held = k;
    const std::size_t add = std::min<std::size_t>(4, bytes.size());
    std::memcpy(tmp + k, bytes.data(), add);
    k += add;
    const std::size_t used = convert(tmp, k, incomplete);
    if (error_) return false;
    if (used < held) {
      // Still not a whole character: only possible when fewer than four bytes came.
      pending_.assign(tmp, k);
      return true;
    }
    pending_.clear();
    offset_ += used;
    bytes.remove_prefix(used - held);
  }
  const std::size_t used = convert(bytes.data(), bytes.size(), incomplete);
  if (error_) return false;
  offset_ += used;
  if (incomplete) pending_.assign(bytes.substr(used));
  return true;
}

bool TextDecoder::finish(std::string& out) {
  if (error_) return false;
  if (!started_ && !start(out)) return false;  // a file of fewer than four bytes
  if (undecided_ && !decide(true, out)) return false;
  if (!pending_.empty()) {
    return fail(offset_, "the file ends inside a character: its last bytes (" + hex_bytes(pending_) +
                             ") begin one but do not finish it");
  }
  return true;
}

DecodingStreambuf::DecodingStreambuf(std::istream& source, Encoding encoding, std::size_t chunk_bytes)
    : source_(source), decoder_(encoding), raw_(std::max<std::size_t>(chunk_bytes, 1), '\0') {}

DecodingStreambuf::int_type DecodingStreambuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  text_.clear();
  while (text_.empty()) {
    if (finished_ || decoder_.error()) return traits_type::eof();
    // The streambuf directly: a short read is not the end (istream::read would say it is).
    std::streambuf* sb = source_.rdbuf();
    const std::streamsize got = sb ? sb->sgetn(raw_.data(), static_cast<std::streamsize>(raw_.size())) : 0;
    const auto n = static_cast<std::size_t>(std::max<std::streamsize>(got, 0));
    if (n > 0) {
      // On an error, what came before the bad byte is still served.
      if (!decoder_.decode(std::string_view(raw_.data(), n), text_)) break;
    } else {
      finished_ = true;
      decoder_.finish(text_);
      break;
    }
  }
  if (text_.empty()) return traits_type::eof();
  setg(text_.data(), text_.data(), text_.data() + text_.size());
  return traits_type::to_int_type(*gptr());
}

Result<std::string> decode_all(std::string_view bytes, Encoding encoding) {
  TextDecoder decoder(encoding);
  std::string out;
  if (!decoder.decode(bytes, out) || !decoder.finish(out)) return Error::invalid("encoding", decoder.error()->message);
  return out;
}

}  // namespace zhengwu::data
