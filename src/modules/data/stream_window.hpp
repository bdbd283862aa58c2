// The read window the streaming readers share: a buffer holding the record being read
// (from `begin` to `end`) that is refilled from the stream a chunk at a time, keeping
// memory bounded by the largest record.
#pragma once

#include <algorithm>
#include <cstring>
#include <istream>
#include <vector>

namespace zhengwu::data {

// Reads up to `chunk` more bytes after `end`, first moving the record being read to the
// front (and growing the buffer when that record fills it). False at the end of the
// stream, which sets `eof`.
inline bool refill_window(std::istream& in, std::size_t chunk, std::vector<char>& buf, std::size_t& begin,
                          std::size_t& end, bool& eof) {
  if (eof) return false;
  if (buf.size() - end < chunk) {
    if (begin > 0) {
      std::memmove(buf.data(), buf.data() + begin, end - begin);
      end -= begin;
      begin = 0;
    }
    if (buf.size() - end < chunk) buf.resize(std::max(buf.size() * 2, end + chunk));
  }
  std::streambuf* sb = in.rdbuf();
  const std::streamsize n = sb ? sb->sgetn(buf.data() + end, static_cast<std::streamsize>(chunk)) : 0;
  if (n <= 0) {
    eof = true;
    return false;
  }
  end += static_cast<std::size_t>(n);
  return true;
}

}  // namespace zhengwu::data
