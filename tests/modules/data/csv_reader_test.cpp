// RFC 4180 reading: quoting, line breaks, line numbers, the bad records reported and
// read past, limits, and the same results however the input is cut into chunks.
#include "modules/data/csv_reader.hpp"

#include <gtest/gtest.h>

#include "tiny_streambuf.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "modules/data/text_decoder.hpp"

namespace zhengwu::data {
namespace {

using test_support::TinyStreambuf;

struct Got {
  std::uint64_t line = 0;
  std::vector<std::string> fields;  // a record
  std::string problem;              // a bad record: its reason

  friend bool operator==(const Got&, const Got&) = default;
  friend std::ostream& operator<<(std::ostream& o, const Got& g) {
    o << "line " << g.line << ": ";
    if (!g.problem.empty()) return o << "BAD " << g.problem;
    for (const auto& f : g.fields) o << '[' << f << ']';
    return o;
  }
};

std::vector<Got> read_all(std::istream& in, CsvOptions options) {
  CsvReader reader(in, options);
  std::vector<Got> out;
  for (;;) {
    const auto n = reader.next();
    if (n == CsvReader::Next::end) break;
    if (n == CsvReader::Next::bad_record) {
      EXPECT_TRUE(reader.fields().empty());
      out.push_back({reader.line(), {}, reader.problem()});
    } else {
      EXPECT_TRUE(reader.problem().empty());
      out.push_back({reader.line(), {reader.fields().begin(), reader.fields().end()}, {}});
    }
  }
  EXPECT_EQ(reader.next(), CsvReader::Next::end) << "the end stays the end";
  return out;
}

std::vector<Got> read_in_chunks(const std::string& text, std::size_t chunk, CsvOptions options = {}) {
  TinyStreambuf buf(text, chunk);
  std::istream in(&buf);
  options.chunk_bytes = chunk;
  return read_all(in, options);
}

Got rec(std::uint64_t line, std::vector<std::string> fields) {
  return {line, std::move(fields), {}};
}
Got bad(std::uint64_t line, std::string problem) {
  return {line, {}, std::move(problem)};
}

const std::string kQuoteInside =
    ": a quote inside a field that does not start with one; put the whole field in quotes and write the quote "
    "twice (\"\")";
const std::string kAfterClosing = ": text after its closing quote; a quote inside a quoted field is written twice (\"\")";
const std::string kNeverClosed =
    ": its opening quote is never closed before the end of the file; close it, or write a quote inside a field as "
    "two quotes (\"\")";

struct CsvCase {
  const char* name;
  std::string input;
  std::vector<Got> expected;
  CsvOptions options = {};
};

std::vector<CsvCase> csv_cases() {
  CsvOptions small_fields;
  small_fields.max_field_bytes = 8;
  CsvOptions three_fields;
  three_fields.max_fields = 3;
  CsvOptions semicolons;
  semicolons.delimiter = ';';
  return {
      {"lf", "a,b,c\n1,2,3\n", {rec(1, {"a", "b", "c"}), rec(2, {"1", "2", "3"})}},
      {"crlf", "a,b\r\n1,2\r\n", {rec(1, {"a", "b"}), rec(2, {"1", "2"})}},
      {"no line break at the end", "a,b\n1,2", {rec(1, {"a", "b"}), rec(2, {"1", "2"})}},
      {"crlf without the lf at the end", "a,b\r\n1,\"2\"\r", {rec(1, {"a", "b"}), rec(2, {"1", "2"})}},
      {"empty fields", ",,\na,\n,b\n", {rec(1, {"", "", ""}), rec(2, {"a", ""}), rec(3, {"", "b"})}},
      {"empty field at the end of the file", "a,", {rec(1, {"a", ""})}},
      {"quoted comma and doubled quotes",
       "\"a,b\",\"say \"\"hi\"\"\",c\n",
       {rec(1, {"a,b", "say \"hi\"", "c"})}},
      {"quoted empty field is a record", "\"\"\n", {rec(1, {""})}},
      {"only a doubled quote", "\"\"\"\"\n", {rec(1, {"\""})}},
      {"line break inside quotes",
       "x,\"line1\nline2\",y\nnext,2,3\n",
       {rec(1, {"x", "line1\nline2", "y"}), rec(3, {"next", "2", "3"})}},
      {"crlf inside quotes is kept", "\"a\r\nb\"\r\nc\r\n", {rec(1, {"a\r\nb"}), rec(3, {"c"})}},
      {"blank lines are no records", "a\n\n\r\nb\n\n", {rec(1, {"a"}), rec(4, {"b"})}},
      {"bom dropped", "\xEF\xBB\xBFid,name\n1,x\n", {rec(1, {"id", "name"}), rec(2, {"1", "x"})}},
      {"chinese text", "张三,\"杭州市,西湖区\",男\n", {rec(1, {"张三", "杭州市,西湖区", "男"})}},
      {"spaces are data", " a , b \n", {rec(1, {" a ", " b "})}},
      {"quote inside an unquoted field",
       "a,b\"c,d\nok,1\n",
       {bad(1, "field 2" + kQuoteInside), rec(2, {"ok", "1"})}},
      {"text after a closing quote",
       "\"ab\"c,d\nok\n",
       {bad(1, "field 1" + kAfterClosing), rec(2, {"ok"})}},
      {"quote never closed", "ok,1\n\"abc,2\nnext,3\n",
       {rec(1, {"ok", "1"}), bad(2, "field 1" + kNeverClosed), rec(3, {"next", "3"})}},
      {"a stray quote swallows lines until the next quote: they are read again",
       "a,\"b\nc,d\ne,\"f\",g\n",
       {bad(1, "field 2" + kAfterClosing), rec(2, {"c", "d"}), rec(3, {"e", "f", "g"})}},
      {"error after a quoted line break resumes after the record's first line",
       "1,\"x\ny\" z\n2\n",
       {bad(1, "field 2" + kAfterClosing), bad(2, "field 1" + kQuoteInside), rec(3, {"2"})}},
      {"field too long", "short,0123456789\nok\n", {bad(1, "field 2 is longer than 8 bytes"), rec(2, {"ok"})},
       small_fields},
      {"quoted field too long", "\"0123456789\",x\nok\n", {bad(1, "field 1 is longer than 8 bytes"), rec(2, {"ok"})},
       small_fields},
      {"too many fields", "a,b,c,d\nok\n", {bad(1, "the record has more than 3 fields"), rec(2, {"ok"})},
       three_fields},
      {"another delimiter", "a;\"b;c\";d\n", {rec(1, {"a", "b;c", "d"})}, semicolons},
      {"nothing at all", "", {}},
      {"only line breaks", "\n\r\n\n", {}},
  };
}

TEST(CsvReader, ReadsRfc4180AndReportsBadRecords) {
  for (const auto& c : csv_cases()) {
    SCOPED_TRACE(c.name);
    std::istringstream in(c.input);
    EXPECT_EQ(read_all(in, c.options), c.expected);
  }
}

// A chunk of one byte splits every quote pair, CRLF, multi-byte character and quoted
// field; the records do not change.
TEST(CsvReader, ChunkBoundariesChangeNothing) {
  for (const auto& c : csv_cases()) {
    for (std::size_t chunk : {1, 2, 3, 5, 7}) {
      SCOPED_TRACE(std::string(c.name) + ", chunk " + std::to_string(chunk));
      EXPECT_EQ(read_in_chunks(c.input, chunk, c.options), c.expected);
    }
  }
}

// A field growing past the limit while it streams in is refused without holding it all
// (a quote never closed would otherwise pull in the rest of the file).
TEST(CsvReader, LongFieldsAreRefusedWhileStreaming) {
  CsvOptions o;
  o.max_field_bytes = 8;
  EXPECT_EQ(read_in_chunks("\"0123456789abcdef\nok\n", 4, o),
            (std::vector<Got>{bad(1, "field 1 is longer than 8 bytes"), rec(2, {"ok"})}));
  EXPECT_EQ(read_in_chunks("id," + std::string(100000, 'x') + "\nok\n", 4, o),
            (std::vector<Got>{bad(1, "field 2 is longer than 8 bytes"), rec(2, {"ok"})}));
}

TEST(CsvReader, TellsWhetherTheLastRecordEndedAtTheEndOfInput) {
  std::istringstream in("a\nb");
  CsvReader r(in);
  ASSERT_EQ(r.next(), CsvReader::Next::record);
  EXPECT_FALSE(r.ended_at_eof());
  ASSERT_EQ(r.next(), CsvReader::Next::record);
  EXPECT_TRUE(r.ended_at_eof());
  EXPECT_EQ(r.next(), CsvReader::Next::end);
}

TEST(CsvReader, FieldCountIsExposedForTheCaller) {
  std::istringstream in("a,b,c\n1,2\n1,2,3,4\n");
  CsvReader r(in);
  std::vector<std::size_t> counts;
  while (r.next() == CsvReader::Next::record) counts.push_back(r.fields().size());
  EXPECT_EQ(counts, (std::vector<std::size_t>{3, 2, 4}));
}

// Many records through a small buffer: the line numbers stay right and memory is reused.
TEST(CsvReader, LongInputKeepsLineNumbers) {
  std::string text = "n,text\n";
  for (int i = 1; i <= 5000; ++i) {
    text += std::to_string(i) + (i % 10 == 0 ? ",\"two\nlines\"\n" : ",plain\n");
  }
  TinyStreambuf buf(text, 13);
  std::istream in(&buf);
  CsvOptions o;
  o.chunk_bytes = 13;
  CsvReader r(in, o);
  ASSERT_EQ(r.next(), CsvReader::Next::record);
  std::uint64_t expected_line = 2;
  for (int i = 1; i <= 5000; ++i) {
    ASSERT_EQ(r.next(), CsvReader::Next::record) << i;
    ASSERT_EQ(r.line(), expected_line) << i;
    ASSERT_EQ(r.fields()[0], std::to_string(i));
    ASSERT_EQ(r.fields()[1], i % 10 == 0 ? "two\nlines" : "plain");
    expected_line += i % 10 == 0 ? 2 : 1;
  }
  EXPECT_EQ(r.next(), CsvReader::Next::end);
}

// Through the decoder: GB18030 bytes with a hanzi and a quoted field cut by every chunk size.
TEST(CsvReader, ReadsDecodedGb18030ThroughTinyChunks) {
  // "姓名,住址\n张三,\"杭州市,西湖区\"\n" in GB18030.
  const std::string gb = "\xD0\xD5\xC3\xFB,\xD7\xA1\xD6\xB7\n\xD5\xC5\xC8\xFD,\"\xBA\xBC\xD6\xDD\xCA\xD0,"
                         "\xCE\xF7\xBA\xFE\xC7\xF8\"\n";
  for (std::size_t source_chunk : {1, 2, 3}) {
    for (std::size_t decode_chunk : {1, 3, 4}) {
      for (std::size_t csv_chunk : {1, 2, 5}) {
        SCOPED_TRACE(std::to_string(source_chunk) + "/" + std::to_string(decode_chunk) + "/" +
                     std::to_string(csv_chunk));
        TinyStreambuf raw(gb, source_chunk);
        std::istream raw_in(&raw);
        DecodingStreambuf decoded(raw_in, Encoding::gb18030, decode_chunk);
        std::istream text(&decoded);
        CsvOptions o;
        o.chunk_bytes = csv_chunk;
        EXPECT_EQ(read_all(text, o), (std::vector<Got>{rec(1, {"姓名", "住址"}), rec(2, {"张三", "杭州市,西湖区"})}));
        EXPECT_FALSE(decoded.error());
      }
    }
  }
}

}  // namespace
}  // namespace zhengwu::data
