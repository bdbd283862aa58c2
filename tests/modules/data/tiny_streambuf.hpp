// A streambuf that serves its data at most `chunk` bytes per read, as a pipe or a socket
// would: the readers' tests use it to put multi-byte characters and quoted fields across
// chunk boundaries.
#pragma once

#include <algorithm>
#include <cstring>
#include <streambuf>
#include <string>

namespace zhengwu::data::test_support {

class TinyStreambuf final : public std::streambuf {
 public:
  TinyStreambuf(std::string data, std::size_t chunk) : data_(std::move(data)), chunk_(chunk) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (pos_ >= data_.size()) return traits_type::eof();
    const std::size_t n = std::min(chunk_, data_.size() - pos_);
    char* b = data_.data() + pos_;
    setg(b, b, b + n);
    pos_ += n;
    return traits_type::to_int_type(*b);
  }
  std::streamsize xsgetn(char* s, std::streamsize n) override {
    if (gptr() == egptr() && traits_type::eq_int_type(underflow(), traits_type::eof())) return 0;
    const std::streamsize k = std::min<std::streamsize>(n, egptr() - gptr());
    std::memcpy(s, gptr(), static_cast<std::size_t>(k));
    gbump(static_cast<int>(k));
    return k;
  }

 private:
  std::string data_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

}  // namespace zhengwu::data::test_support
