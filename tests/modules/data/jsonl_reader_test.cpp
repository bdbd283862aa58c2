// JSON Lines: flat objects with values as text (numbers digit for digit), line numbers,
// bad lines reported and skipped, and chunk boundaries that change nothing.
#include "modules/data/jsonl_reader.hpp"

#include <gtest/gtest.h>

#include "tiny_streambuf.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace zhengwu::data {
namespace {

using test_support::TinyStreambuf;

struct Member {
  std::string key, value;
  JsonKind kind;
  friend bool operator==(const Member&, const Member&) = default;
};

struct Got {
  std::uint64_t line = 0;
  std::vector<Member> members;
  std::string problem;
  friend bool operator==(const Got&, const Got&) = default;
  friend std::ostream& operator<<(std::ostream& o, const Got& g) {
    o << "line " << g.line << ": ";
    if (!g.problem.empty()) return o << "BAD " << g.problem;
    for (const auto& m : g.members) o << m.key << "=" << m.value << "(" << static_cast<int>(m.kind) << ") ";
    return o;
  }
};

std::vector<Got> read_all(const std::string& text, std::size_t chunk, JsonlOptions options = {}) {
  TinyStreambuf buf(text, chunk);
  std::istream in(&buf);
  options.chunk_bytes = chunk;
  JsonlReader reader(in, options);
  std::vector<Got> out;
  for (;;) {
    const auto n = reader.next();
    if (n == JsonlReader::Next::end) break;
    Got g{reader.line(), {}, reader.problem()};
    if (n == JsonlReader::Next::record) {
      EXPECT_TRUE(reader.problem().empty());
      for (const auto& m : reader.members()) g.members.push_back({std::string(m.key), std::string(m.value), m.kind});
    } else {
      EXPECT_FALSE(reader.problem().empty());
    }
    out.push_back(std::move(g));
  }
  return out;
}

constexpr JsonKind S = JsonKind::string, N = JsonKind::number, B = JsonKind::boolean, Z = JsonKind::null;

struct JsonlCase {
  const char* name;
  std::string input;
  std::vector<Got> expected;
  JsonlOptions options = {};
};

std::vector<JsonlCase> jsonl_cases() {
  JsonlOptions short_lines;
  short_lines.max_line_bytes = 20;
  return {
      {"values as text",
       R"({"name":"张三","age":42,"ok":true,"no":false,"gone":null})"
       "\n",
       {{1, {{"name", "张三", S}, {"age", "42", N}, {"ok", "true", B}, {"no", "false", B}, {"gone", "", Z}}, {}}}},
      {"numbers keep their digits",
       R"({"a":12345678901234567890.12,"b":-1.50,"c":1e3,"d":18446744073709551615})",
       {{1, {{"a", "12345678901234567890.12", N}, {"b", "-1.50", N}, {"c", "1e3", N}, {"d", "18446744073709551615", N}},
         {}}}},
      {"escapes resolved", R"({"k\u00e9y":"\u4e2d\"\\\n"})", {{1, {{"kéy", "中\"\\\n", S}}, {}}}},
      {"empty object", "{}\n", {{1, {}, {}}}},
      {"crlf, blank lines and no final line break",
       "{\"a\":1}\r\n\r\n  \n{\"a\":2}",
       {{1, {{"a", "1", N}}, {}}, {4, {{"a", "2", N}}, {}}}},
      {"bom dropped", "\xEF\xBB\xBF{\"a\":\"x\"}\n", {{1, {{"a", "x", S}}, {}}}},
      {"bad lines are skipped",
       "{\"a\":1}\nnot json\n[1,2]\n\"text\"\n{\"a\":{\"b\":1}}\n{\"a\":[1]}\n{\"a\":1,\"a\":2}\n{\"a\":1} {\"a\":2}\n"
       "{\"a\":1,}\n{\"a\":\"\xFF\"}\n{\"a\":3}\n{\"名\":\"值\" x}\n",
       {{1, {{"a", "1", N}}, {}},
        {2, {}, "the line is not valid JSON: syntax error at character 1"},
        {3, {}, "the line is not a JSON object; each line holds one object, {\"name\": \"value\", ...}"},
        {4, {}, "the line is not a JSON object; each line holds one object, {\"name\": \"value\", ...}"},
        {5, {}, "member \"a\" is an object; a record is flat: its values are text, numbers, true, false or null"},
        {6, {}, "member \"a\" is an array; a record is flat: its values are text, numbers, true, false or null"},
        {7, {}, "the key \"a\" appears twice"},
        {8, {}, "text follows the object at character 9; write one object per line"},
        {9, {}, "the line is not valid JSON: syntax error at character 8"},
        {10, {}, "the line is not valid JSON: bytes that are not UTF-8 at character 7"},
        {11, {{"a", "3", N}}, {}},
        {12, {}, "the line is not valid JSON: syntax error at character 10"}}},
      {"line too long",
       "{\"a\":\"0123456789012345\"}\n{\"a\":1}\n",
       {{1, {}, "the line is longer than 20 bytes"}, {2, {{"a", "1", N}}, {}}},
       short_lines},
      {"nothing", "", {}},
  };
}

TEST(JsonlReader, ReadsFlatObjectsAndReportsBadLines) {
  for (const auto& c : jsonl_cases()) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(read_all(c.input, 65536, c.options), c.expected);
  }
}

TEST(JsonlReader, ChunkBoundariesChangeNothing) {
  for (const auto& c : jsonl_cases()) {
    for (std::size_t chunk : {1, 2, 3, 7}) {
      SCOPED_TRACE(std::string(c.name) + ", chunk " + std::to_string(chunk));
      EXPECT_EQ(read_all(c.input, chunk, c.options), c.expected);
    }
  }
}

TEST(JsonlReader, LongInputKeepsLineNumbers) {
  std::string text;
  for (int i = 1; i <= 3000; ++i) text += "{\"n\":" + std::to_string(i) + ",\"name\":\"第" + std::to_string(i) + "\"}\n";
  std::istringstream in(text);
  JsonlReader r(in);
  for (int i = 1; i <= 3000; ++i) {
    ASSERT_EQ(r.next(), JsonlReader::Next::record);
    ASSERT_EQ(r.line(), static_cast<std::uint64_t>(i));
    ASSERT_EQ(r.members().size(), 2u);
    ASSERT_EQ(r.members()[0].value, std::to_string(i));
    ASSERT_EQ(r.members()[1].value, "第" + std::to_string(i));
  }
  EXPECT_EQ(r.next(), JsonlReader::Next::end);
}

}  // namespace
}  // namespace zhengwu::data
