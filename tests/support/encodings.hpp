// Test data in legacy Chinese encodings: most department files are GB18030/GBK, and the
// import must read them like UTF-8.
#pragma once

#include <iconv.h>

#include <stdexcept>
#include <string>

namespace zhengwu::testing {

// `utf8` re-encoded as GB18030 (glibc iconv); throws when iconv cannot convert it.
inline std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv has no GB18030");
  std::string out(utf8.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size(), out_left = out.size();
  char* o = out.data();
  const auto converted = iconv(cd, &in, &in_left, &o, &out_left);
  iconv_close(cd);
  if (converted == static_cast<std::size_t>(-1)) throw std::runtime_error("not convertible to GB18030");
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace zhengwu::testing
