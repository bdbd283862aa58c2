// Bytes to UTF-8 for imports: UTF-8 validated (RFC 3629) with offsets of bad bytes,
// GB18030 through iconv, detection, byte order marks, and characters split across
// chunks of every small size.
#include "modules/data/text_decoder.hpp"

#include <gtest/gtest.h>

#include "tiny_streambuf.hpp"
#include <iconv.h>

#include <algorithm>
#include <cstring>
#include <sstream>

namespace zhengwu::data {
namespace {

// UTF-8 to GB18030 with glibc's iconv, to make test files as a legacy system would.
std::string to_gb18030(std::string_view utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 8, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* o = out.data();
  std::size_t o_left = out.size();
  const std::size_t r = iconv(cd, &in, &in_left, &o, &o_left);
  EXPECT_NE(r, static_cast<std::size_t>(-1)) << "not encodable in GB18030";
  iconv_close(cd);
  out.resize(out.size() - o_left);
  return out;
}

using test_support::TinyStreambuf;

struct Decoded {
  std::string text;
  std::optional<DecodeError> error;
  Encoding encoding = Encoding::utf8;
};

// Feeds `bytes` to a TextDecoder `chunk` bytes at a time.
Decoded decode_in_chunks(std::string_view bytes, Encoding encoding, std::size_t chunk) {
  TextDecoder d(encoding);
  Decoded out;
  bool ok = true;
  for (std::size_t i = 0; ok && i < bytes.size(); i += chunk) ok = d.decode(bytes.substr(i, chunk), out.text);
  if (ok) d.finish(out.text);
  out.error = d.error();
  out.encoding = d.encoding();
  return out;
}

// Reads everything through a DecodingStreambuf over a TinyStreambuf.
Decoded decode_through_streams(std::string bytes, Encoding encoding, std::size_t source_chunk,
                               std::size_t decode_chunk) {
  TinyStreambuf source_buf(std::move(bytes), source_chunk);
  std::istream source(&source_buf);
  DecodingStreambuf decoded(source, encoding, decode_chunk);
  std::istream text(&decoded);
  Decoded out;
  std::ostringstream all;
  all << text.rdbuf();
  out.text = all.str();
  out.error = decoded.error();
  out.encoding = decoded.encoding();
  return out;
}

TEST(TextDecoder, EncodingNames) {
  struct Case {
    const char* name;
    std::optional<Encoding> expected;
  };
  const Case cases[] = {
      {"utf-8", Encoding::utf8},      {"UTF8", Encoding::utf8},       {"gb18030", Encoding::gb18030},
      {"GBK", Encoding::gb18030},     {"gb2312", Encoding::gb18030},  {"auto", Encoding::detect},
      {"detect", Encoding::detect},   {"latin1", std::nullopt},       {"", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(encoding_from(c.name), c.expected) << c.name;
  EXPECT_EQ(to_string(Encoding::gb18030), "gb18030");
  EXPECT_EQ(to_string(Encoding::utf8), "utf-8");
}

struct DecodeCase {
  const char* name;
  Encoding encoding;
  std::string input;
  std::string expected;              // the text when it decodes
  std::int64_t error_offset = -1;    // -1: no error
  std::string error_message = {};    // exact, when given (unchunked)
  Encoding decided = Encoding::utf8;
};

std::vector<DecodeCase> decode_cases() {
  const std::string zhongwen_gb = "\xD6\xD0\xCE\xC4";
  const std::string bom_gb = "\x84\x31\x95\x33";
  return {
      {"ascii", Encoding::utf8, "id,name\n1,a\n", "id,name\n1,a\n"},
      {"empty", Encoding::utf8, "", ""},
      {"utf8 chinese", Encoding::utf8, "中文,杭州", "中文,杭州"},
      {"utf8 bom dropped", Encoding::utf8, "\xEF\xBB\xBF中文", "中文"},
      {"utf8 four-byte character", Encoding::utf8, "a𠀀b", "a𠀀b"},
      {"utf8 bad continuation", Encoding::utf8, "ab\xC3\x28", "", 2,
       "the bytes at offset 2 (C3 28) are not UTF-8 text; if the file is GBK or GB18030, import it with that "
       "encoding"},
      {"utf8 overlong two-byte", Encoding::utf8, "\xC0\xAF", "", 0},
      {"utf8 overlong three-byte", Encoding::utf8, "a\xE0\x80\xAF", "", 1},
      {"utf8 surrogate", Encoding::utf8, "\xED\xA0\x80", "", 0},
      {"utf8 past U+10FFFF", Encoding::utf8, "ok\xF4\x90\x80\x80", "", 2},
      {"utf8 stray byte", Encoding::utf8, "x\xFFy", "", 1},
      {"gb18030 bytes given as utf8", Encoding::utf8, "id\n" + zhongwen_gb, "", 3,
       "the bytes at offset 3 (D6 D0 CE C4) are not UTF-8 text; if the file is GBK or GB18030, import it with "
       "that encoding"},
      {"utf8 ends inside a character", Encoding::utf8, "abc\xE4\xB8", "", 3,
       "the file ends inside a character: its last bytes (E4 B8) begin one but do not finish it"},
      {"utf16 refused", Encoding::utf8, std::string("\xFF\xFE" "a\0", 4), "", 0,
       "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8 and import it again"},
      {"gb18030 known bytes", Encoding::gb18030, zhongwen_gb, "中文", -1, {}, Encoding::gb18030},
      {"gb18030 four-byte character", Encoding::gb18030, "a\x95\x32\x82\x36" "b", "a𠀀b", -1, {}, Encoding::gb18030},
      {"gb18030 bom dropped", Encoding::gb18030, bom_gb + zhongwen_gb, "中文", -1, {}, Encoding::gb18030},
      {"gb18030 bad byte", Encoding::gb18030, "ab\xFF", "", 2,
       "the bytes at offset 2 (FF) are not GB18030 text; check the file's encoding", Encoding::gb18030},
      {"gb18030 bad trail byte", Encoding::gb18030, "ab\x81\x20", "", 2, {}, Encoding::gb18030},
      {"gb18030 ends inside a character", Encoding::gb18030, "abc\xD6", "", 3,
       "the file ends inside a character: its last bytes (D6) begin one but do not finish it", Encoding::gb18030},
      {"gb18030 given a utf8 bom", Encoding::gb18030, "\xEF\xBB\xBF" "abc", "", 0,
       "the file starts with a UTF-8 byte order mark but was given as GB18030; import it as UTF-8",
       Encoding::gb18030},
      {"detect utf8", Encoding::detect, "姓名,性别\n张三,男\n", "姓名,性别\n张三,男\n", -1, {}, Encoding::utf8},
      {"detect gb18030", Encoding::detect, to_gb18030("姓名,性别\n张三,男\n"), "姓名,性别\n张三,男\n", -1, {},
       Encoding::gb18030},
      {"detect ascii only", Encoding::detect, "a,b\n1,2\n", "a,b\n1,2\n", -1, {}, Encoding::utf8},
      {"detect utf8 bom", Encoding::detect, "\xEF\xBB\xBF" "a", "a", -1, {}, Encoding::utf8},
      {"detect gb18030 bom", Encoding::detect, bom_gb + zhongwen_gb, "中文", -1, {}, Encoding::gb18030},
      {"detect utf16 refused", Encoding::detect, std::string("\xFE\xFF\0a", 4), "", 0, {}, Encoding::utf8},
      {"detect short gb18030", Encoding::detect, "\xD6\xD0", "中", -1, {}, Encoding::gb18030},
  };
}

TEST(TextDecoder, DecodesOrNamesTheBadByte) {
  for (const auto& c : decode_cases()) {
    SCOPED_TRACE(c.name);
    const Decoded d = decode_in_chunks(c.input, c.encoding, std::max<std::size_t>(c.input.size(), 1));
    if (c.error_offset < 0) {
      ASSERT_FALSE(d.error) << d.error->message;
      EXPECT_EQ(d.text, c.expected);
    } else {
      ASSERT_TRUE(d.error);
      EXPECT_EQ(static_cast<std::int64_t>(d.error->offset), c.error_offset) << d.error->message;
      if (!c.error_message.empty()) {
        EXPECT_EQ(d.error->message, c.error_message);
      }
    }
    EXPECT_EQ(d.encoding, c.decided);
  }
}

// Every chunk size from one byte up splits some character, BOM or bad sequence: the
// result and the offset of an error do not change.
TEST(TextDecoder, ChunkBoundariesChangeNothing) {
  for (const auto& c : decode_cases()) {
    for (std::size_t chunk : {1, 2, 3, 5, 7}) {
      SCOPED_TRACE(std::string(c.name) + ", chunk " + std::to_string(chunk));
      const Decoded d = decode_in_chunks(c.input, c.encoding, chunk);
      if (c.error_offset < 0) {
        ASSERT_FALSE(d.error) << d.error->message;
        EXPECT_EQ(d.text, c.expected);
      } else {
        ASSERT_TRUE(d.error);
        EXPECT_EQ(static_cast<std::int64_t>(d.error->offset), c.error_offset) << d.error->message;
      }
      EXPECT_EQ(d.encoding, c.decided);
    }
  }
}

TEST(TextDecoder, StreamsServeTheTextBeforeABadByteThenEnd) {
  for (std::size_t source_chunk : {1, 3, 4096}) {
    for (std::size_t decode_chunk : {1, 2, 7, 65536}) {
      SCOPED_TRACE(std::to_string(source_chunk) + "/" + std::to_string(decode_chunk));
      const Decoded ok = decode_through_streams(to_gb18030("编号,名称\n1,杭州市西湖区\n"), Encoding::gb18030,
                                                source_chunk, decode_chunk);
      EXPECT_FALSE(ok.error);
      EXPECT_EQ(ok.text, "编号,名称\n1,杭州市西湖区\n");

      const Decoded bad = decode_through_streams("id\n1,\xE4\xB8\xAD\n2,\xFF\n3\n", Encoding::utf8, source_chunk,
                                                 decode_chunk);
      ASSERT_TRUE(bad.error);
      EXPECT_EQ(bad.error->offset, 11u);
      EXPECT_EQ(bad.text, "id\n1,中\n2,") << "everything before the bad byte, nothing after";
    }
  }
}

TEST(TextDecoder, Gb18030RoundTripOfEveryKindOfCharacter) {
  // ASCII, GB2312 hanzi, GBK-only hanzi (镕 堃), full-width forms, a four-byte character
  // of GB18030 only (U+20000) and symbols.
  const std::string text = "ID,姓名,住址\n1,朱镕基,北京\n2,王堃,杭州市西湖区北山街道\n3,ＡＢＣ１２３,𠀀€é\n";
  const std::string gb = to_gb18030(text);
  ASSERT_EQ(gb.substr(gb.find("\n1,") + 3, 2), "\xD6\xEC") << "朱 in GB18030";
  for (Encoding e : {Encoding::gb18030, Encoding::detect}) {
    for (std::size_t chunk : {1, 2, 3, 4, 5, 64 * 1024}) {
      const Decoded d = decode_in_chunks(gb, e, chunk);
      ASSERT_FALSE(d.error) << d.error->message;
      EXPECT_EQ(d.text, text) << "chunk " << chunk;
      EXPECT_EQ(d.encoding, Encoding::gb18030);
    }
  }
}

// Detection looks at 64 KiB from the first byte above 0x7F, so GBK after a long ASCII
// start is still found, and a UTF-8 character cut by the end of the window is still UTF-8.
TEST(TextDecoder, DetectionWindowStartsAtTheFirstNonAsciiByte) {
  const std::string ascii(100 * 1024, 'a');
  const std::string text = ascii + "\n张三,男\n";
  const Decoded gb = decode_in_chunks(ascii + "\n" + to_gb18030("张三,男\n"), Encoding::detect, 4096);
  ASSERT_FALSE(gb.error) << gb.error->message;
  EXPECT_EQ(gb.encoding, Encoding::gb18030);
  EXPECT_EQ(gb.text, text);

  std::string cut;  // 21,846 中 (E4 B8 AD) are 65,538 bytes: a chunk of 65,536 ends inside one
  for (int i = 0; i < 21846; ++i) cut += "中";
  cut += "\xE4\xB8\xAD";  // one more, whole
  const Decoded u = decode_in_chunks(cut, Encoding::detect, 65536);
  ASSERT_FALSE(u.error) << u.error->message;
  EXPECT_EQ(u.encoding, Encoding::utf8);
  EXPECT_EQ(u.text, cut);
}

TEST(TextDecoder, DecodeAllReportsTheError) {
  auto ok = decode_all("\xD6\xD0\xCE\xC4", Encoding::gb18030);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, "中文");
  auto bad = decode_all("ab\xC3\x28", Encoding::utf8);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid);
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "encoding");
  EXPECT_EQ(bad.error().fields[0].message,
            "the bytes at offset 2 (C3 28) are not UTF-8 text; if the file is GBK or GB18030, import it with that "
            "encoding");
}

TEST(TextDecoder, NothingIsDecodedAfterAnError) {
  TextDecoder d(Encoding::utf8);
  std::string out;
  EXPECT_TRUE(d.decode("ab", out)) << "held back: the first four bytes may be a byte order mark";
  EXPECT_FALSE(d.decode("cd\xFF" "ef", out));
  EXPECT_FALSE(d.decode("gh", out));
  EXPECT_FALSE(d.finish(out));
  EXPECT_EQ(out, "abcd");
  ASSERT_TRUE(d.error());
  EXPECT_EQ(d.error()->offset, 4u);
}

}  // namespace
}  // namespace zhengwu::data
