// The readers of outside input never crash, loop or lose their place, whatever bytes they
// are given: thousands of mutated files (a fixed seed, so a failure is reproducible), each
// read to its end through tiny chunks. A property test, kept beside the table tests until
// the readers get fuzz targets of their own.
#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>

#include "modules/data/csv_reader.hpp"
#include "modules/data/jsonl_reader.hpp"
#include "modules/data/text_decoder.hpp"
#include "tiny_streambuf.hpp"

namespace zhengwu::data {
namespace {

using test_support::TinyStreambuf;

// A valid file, then `mutations` random edits: bytes flipped, inserted (quotes, commas,
// line breaks, braces, bytes of multi-byte characters) or deleted.
std::string mutated(const std::string& seed_text, std::mt19937& rng, int mutations) {
  static constexpr char kBytes[] = "\",\n\r{}[]:\\\xe4\xb8\xad\xd6\xd0\x80\xff\x00 ";
  static const std::string kInteresting(kBytes, sizeof kBytes - 1);  // the NUL byte included
  std::string s = seed_text;
  for (int m = 0; m < mutations && !s.empty(); ++m) {
    const std::size_t at = rng() % s.size();
    switch (rng() % 3) {
      case 0: s[at] = kInteresting[rng() % kInteresting.size()]; break;
      case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), kInteresting[rng() % kInteresting.size()]); break;
      default: s.erase(at, 1 + rng() % 3); break;
    }
  }
  return s;
}

constexpr int kFiles = 3000;

TEST(ReaderRobustness, CsvReaderAlwaysEndsWithIncreasingLines) {
  const std::string csv =
      "公民身份号码,姓名,住址\n11010519491231002X,张三,\"杭州市,西湖区\"\n330106198805121237,\"李\"\"四\",\"两\n行\"\n";
  std::mt19937 rng(20261204);
  for (int f = 0; f < kFiles; ++f) {
    const std::string text = mutated(csv, rng, 1 + f % 12);
    TinyStreambuf buf(text, 1 + f % 7);
    std::istream in(&buf);
    CsvReader reader(in, CsvOptions{});
    std::uint64_t last = 0;
    int records = 0;
    for (;;) {
      const auto next = reader.next();
      if (next == CsvReader::Next::end) break;
      ASSERT_GE(reader.line(), last) << "file " << f;
      last = reader.line();
      if (next == CsvReader::Next::bad_record) {
        ASSERT_FALSE(reader.problem().empty()) << "file " << f << ": a refusal says why";
      }
      ASSERT_LT(++records, 100) << "file " << f << ": the reader does not loop";
    }
  }
}

TEST(ReaderRobustness, JsonlReaderAlwaysEnds) {
  const std::string jsonl =
      "{\"id_number\":\"11010519491231002X\",\"name\":\"张三\",\"n\":1}\n{\"name\":\"李四\",\"ok\":true,\"x\":null}\n";
  std::mt19937 rng(42);
  for (int f = 0; f < kFiles; ++f) {
    const std::string text = mutated(jsonl, rng, 1 + f % 12);
    TinyStreambuf buf(text, 1 + f % 5);
    std::istream in(&buf);
    JsonlReader reader(in, JsonlOptions{});
    std::uint64_t last = 0;
    int lines = 0;
    for (;;) {
      const auto next = reader.next();
      if (next == JsonlReader::Next::end) break;
      ASSERT_GE(reader.line(), last) << "file " << f;
      last = reader.line();
      if (next == JsonlReader::Next::bad_line) {
        ASSERT_FALSE(reader.problem().empty()) << "file " << f;
      }
      ASSERT_LT(++lines, 100) << "file " << f;
    }
  }
}

TEST(ReaderRobustness, DecoderAcceptsOrExplainsEveryInput) {
  const std::string text = "公民身份号码,姓名\n11010519491231002X,张三\n";
  std::mt19937 rng(7);
  for (int f = 0; f < kFiles; ++f) {
    const std::string bytes = mutated(text, rng, 1 + f % 8);
    for (Encoding e : {Encoding::utf8, Encoding::gb18030, Encoding::detect}) {
      auto decoded = decode_all(bytes, e);
      if (!decoded) {
        ASSERT_FALSE(decoded.error().message.empty()) << "file " << f;
      }
    }
  }
}

}  // namespace
}  // namespace zhengwu::data
