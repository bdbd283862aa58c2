// Standardisation, type by type: each input with its exact canonical text or the exact
// reason a clerk reads, and what is counted (15 → 18 conversions, code mappings, addresses).
#include "modules/data/standardise.hpp"

#include <gtest/gtest.h>

#include "kernel/demo/hangzhou_demo.hpp"
#include "kernel/identifiers/uscc.hpp"

namespace zhengwu::data {
namespace {

using std::chrono::year_month_day;
using namespace std::chrono_literals;

constexpr year_month_day kToday{std::chrono::year{2025}, std::chrono::June, std::chrono::day{1}};

CodeTables code_tables() {
  CodeTables tables;
  CodeTable sex("gb2261.1");  // GB/T 2261.1
  sex.add("0", "未知的性别", std::vector<std::string>{"未知"});
  sex.add("1", "男性", std::vector<std::string>{"男", "M", "male"});
  sex.add("2", "女性", std::vector<std::string>{"女", "F", "female"});
  sex.add("9", "未说明的性别", std::vector<std::string>{"未说明"});
  tables.add(std::move(sex));
  CodeTable industry("gb4754.section");  // GB/T 4754-2017 sections
  industry.add("A", "农、林、牧、渔业");
  industry.add("C", "制造业");
  industry.add("I", "信息传输、软件和信息技术服务业", std::vector<std::string>{"IT"});
  tables.add(std::move(industry));
  return tables;
}

const CodeTables& tables() {
  static const CodeTables t = code_tables();
  return t;
}

const AddressResolver& hangzhou() {
  static const AddressResolver r = [] {
    auto resolver = AddressResolver::from_json(demo::hangzhou_divisions_json());
    EXPECT_TRUE(resolver.ok()) << resolver.error().message;
    return std::move(resolver.value());
  }();
  return r;
}

StandardiseContext plain() {
  return StandardiseContext{kToday, &tables(), nullptr};
}
StandardiseContext with_addresses() {
  return StandardiseContext{kToday, &tables(), &hangzhou()};
}

FieldSpec field(FieldType type, bool required = false, std::optional<int> length = std::nullopt,
                std::optional<std::string> code_table = std::nullopt) {
  FieldSpec f;
  f.name = "f";
  f.label = "F";
  f.type = type;
  f.required = required;
  f.length = length;
  f.code_table = std::move(code_table);
  return f;
}

struct Case {
  FieldSpec spec;
  std::string raw;
  std::string text;    // expected canonical text (when accepted)
  std::string reason;  // expected reason (when refused); empty: accepted
  ValueNote note = ValueNote::none;
  std::string warning = {};
};

void run(const std::vector<Case>& cases, const StandardiseContext& context) {
  StandardisedValue v;  // reused, as the import does
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(to_string(c.spec.type)) + " '" + c.raw + "'");
    standardise(c.spec, c.raw, context, v);
    EXPECT_EQ(v.reason, c.reason);
    EXPECT_EQ(v.text, c.reason.empty() ? c.text : "") << "no text with a refusal";
    EXPECT_EQ(v.note, c.note);
    EXPECT_EQ(v.warning, c.warning);
    EXPECT_EQ(v.ok(), c.reason.empty());
  }
}

TEST(Standardise, TextHelpers) {
  EXPECT_EQ(trim_spaces(" \t张三\u3000\r\n"), "张三");
  EXPECT_EQ(trim_spaces("\xC2\xA0x\xEF\xBB\xBF"), "x");
  EXPECT_EQ(trim_spaces("a b"), "a b");
  EXPECT_EQ(trim_spaces("\u3000\u3000"), "");
  std::string out;
  fold_full_width("ＡＢＣ　１２３！～，（）", out);
  EXPECT_EQ(out, "ABC 123!~,()");
  fold_full_width("中文，不变。", out);
  EXPECT_EQ(out, "中文,不变。") << "only U+FF01..U+FF5E and U+3000 fold";
  EXPECT_EQ(count_characters("张三abc𠀀"), 6u);
}

TEST(Standardise, Strings) {
  const auto s5 = field(FieldType::string, false, 5);
  run({
          {s5, "  张三  ", "张三", ""},
          {s5, "\u3000张三\u3000", "张三", ""},
          {s5, "", "", ""},
          {s5, "   ", "", ""},
          {s5, "ＡＢＣ", "ＡＢＣ", ""},  // full-width kept in text
          {s5, "一二三四五", "一二三四五", ""},
          {s5, "一二三四五六", "", "has 6 characters; at most 5"},
          {field(FieldType::string, true), " \u3000 ", "", "is required"},
          {field(FieldType::string), std::string(5000, 'x'), std::string(5000, 'x'), ""},
      },
      plain());
}

TEST(Standardise, Integers) {
  const auto i = field(FieldType::integer);
  run({
          {i, "42", "42", ""},
          {i, "+42", "42", ""},
          {i, "-0", "0", ""},
          {i, "007", "7", ""},
          {i, "-1,234,567", "-1234567", ""},
          {i, "１２３", "123", ""},
          {i, "12.0", "12", ""},
          {i, " 5 ", "5", ""},
          {i, "9223372036854775807", "9223372036854775807", ""},
          {i, "-9223372036854775808", "-9223372036854775808", ""},
          {i, "9223372036854775808", "",
           "'9223372036854775808' is out of range: whole numbers go from -9223372036854775808 to 9223372036854775807"},
          {i, "00000000000000000000001", "1", ""},
          {i, "12.5", "", "'12.5' is not a whole number"},
          {i, "1,23", "", "'1,23': thousands separators must group three digits (1,234,567)"},
          {i, "1234,567", "", "'1234,567': thousands separators must group three digits (1,234,567)"},
          {i, "12a", "", "'12a' is not a whole number"},
          {i, "1e3", "", "'1e3': exponents are not accepted; write the number out in full"},
          {i, "-", "", "'-' is not a whole number"},
          {i, "", "", ""},
          {field(FieldType::integer, true), "", "", "is required"},
      },
      plain());
}

TEST(Standardise, Decimals) {
  const auto d = field(FieldType::decimal);
  const std::string d38(38, '9');
  run({
          {d, "1,234.50", "1234.5", ""},
          {d, ".5", "0.5", ""},
          {d, "-0.000", "0", ""},
          {d, "5.", "5", ""},
          {d, "-12.340", "-12.34", ""},
          {d, "00012", "12", ""},
          {d, "０.２５", "0.25", ""},
          {d, d38, d38, ""},
          {d, "0." + d38, "0." + d38, ""},
          {d, d38 + "9", "", "'" + d38 + "9' has 39 significant digits; at most 38"},
          {d, "1.2.3", "", "'1.2.3' is not a number"},
          {d, "1E5", "", "'1E5': exponents are not accepted; write the number out in full"},
          {d, "abc", "", "'abc' is not a number"},
          {d, ".", "", "'.' is not a number"},
      },
      plain());
}

TEST(Standardise, Dates) {
  const auto d = field(FieldType::date);
  run({
          {d, "2024-03-05", "2024-03-05", ""},
          {d, "2024/3/5", "2024-03-05", ""},
          {d, "2024.3.5", "2024-03-05", ""},
          {d, "20240305", "2024-03-05", ""},
          {d, "2024年3月5日", "2024-03-05", ""},
          {d, "2024年03月05日", "2024-03-05", ""},
          {d, "２０２４－０３－０５", "2024-03-05", ""},
          {d, " 2024-3-05 ", "2024-03-05", ""},
          {d, "2024-02-29", "2024-02-29", ""},
          {d, "2023-02-29", "", "date 2023-02-29 does not exist"},
          {d, "2024-02-30", "", "date 2024-02-30 does not exist"},
          {d, "2024-13-01", "", "date 2024-13-01 does not exist"},
          {d, "20240431", "", "date 2024-04-31 does not exist"},
          {d, "0000-01-01", "", "date 0000-01-01 does not exist"},
          {d, "2024/3-5", "", "'2024/3-5' is not a date; write it as 2024-03-05"},
          {d, "24-03-05", "", "'24-03-05' is not a date; write it as 2024-03-05"},
          {d, "2024-03-05 10:00", "", "'2024-03-05 10:00' is not a date; write it as 2024-03-05"},
          {d, "2024年3月5", "", "'2024年3月5' is not a date; write it as 2024-03-05"},
          {d, "March 5", "", "'March 5' is not a date; write it as 2024-03-05"},
          {field(FieldType::date, true), " ", "", "is required"},
      },
      plain());
}

TEST(Standardise, DateTimes) {
  const auto t = field(FieldType::datetime);
  run({
          {t, "2024-03-05 14:30", "2024-03-05T14:30:00", ""},
          {t, "2024/3/5 9:05:07", "2024-03-05T09:05:07", ""},
          {t, "2024-03-05T14:30:00+08:00", "2024-03-05T14:30:00+08:00", ""},
          {t, "2024-03-05T14:30:00Z", "2024-03-05T14:30:00Z", ""},
          {t, "2024-03-05T14:30:00.123+0800", "2024-03-05T14:30:00+08:00", ""},
          {t, "2024-03-05T14:30:00-05", "2024-03-05T14:30:00-05:00", ""},
          {t, "2024年3月5日 14:30", "2024-03-05T14:30:00", ""},
          {t, "20240305 14:30:00", "2024-03-05T14:30:00", ""},
          {t, "2024-03-05  23:59:59", "2024-03-05T23:59:59", ""},
          {t, "2024-03-05", "", "'2024-03-05' has no time; write it as 2024-03-05 14:30:00"},
          {t, "2024-03-05 24:00", "", "time 24:00:00 does not exist"},
          {t, "2024-03-05 12:60", "", "time 12:60:00 does not exist"},
          {t, "2024-02-30 10:00", "", "date 2024-02-30 does not exist"},
          {t, "2024-03-05T14:30:00+15:00", "", "offset +15:00 is out of range (at most 14:00 from UTC)"},
          {t, "2024-03-05 2pm", "",
           "'2024-03-05 2pm' is not a date and time; write it as 2024-03-05 14:30:00 or 2024-03-05T14:30:00+08:00"},
          {t, "2024-03-05T14:30:00+8", "",
           "'2024-03-05T14:30:00+8' is not a date and time; write it as 2024-03-05 14:30:00 or "
           "2024-03-05T14:30:00+08:00"},
      },
      plain());
}

TEST(Standardise, Booleans) {
  const auto b = field(FieldType::boolean);
  std::vector<Case> cases;
  for (const char* t : {"true", "TRUE", "1", "Y", "yes", "是", "ｙ"}) cases.push_back({b, t, "true", ""});
  for (const char* f : {"false", "0", "n", "NO", "否"}) cases.push_back({b, f, "false", ""});
  cases.push_back({b, "maybe", "", "'maybe' is not yes or no; write true/false, 1/0, 是/否 or Y/N"});
  cases.push_back({b, "2", "", "'2' is not yes or no; write true/false, 1/0, 是/否 or Y/N"});
  run(cases, plain());
}

TEST(Standardise, CodesMapLabelsAndAliases) {
  const auto sex = field(FieldType::code, false, std::nullopt, "gb2261.1");
  const auto section = field(FieldType::code, false, std::nullopt, "gb4754.section");
  const std::string not_in = " is not in code table gb2261.1 (0 未知的性别, 1 男性, 2 女性, 9 未说明的性别)";
  run({
          {sex, "1", "1", ""},
          {sex, " 9 ", "9", ""},
          {sex, "１", "1", ""},  // full-width, folded: the value itself
          {sex, "男", "1", "", ValueNote::code_mapped},
          {sex, "女", "2", "", ValueNote::code_mapped},
          {sex, "男性", "1", "", ValueNote::code_mapped},
          {sex, "m", "1", "", ValueNote::code_mapped},
          {sex, "FEMALE", "2", "", ValueNote::code_mapped},
          {sex, "未说明", "9", "", ValueNote::code_mapped},
          {sex, "3", "", "'3'" + not_in},
          {sex, "男的", "", "'男的'" + not_in},
          {sex, "", "", ""},
          {section, "c", "C", "", ValueNote::code_mapped},
          {section, "it", "I", "", ValueNote::code_mapped},
          {section, "制造业", "C", "", ValueNote::code_mapped},
          {section, "Z", "", "'Z' is not in code table gb4754.section (A 农、林、牧、渔业, C 制造业, I 信息传输、软件和信息技术服务业)"},
          {field(FieldType::code, false, std::nullopt, "nope"), "1", "", "no code table nope is loaded for this import"},
      },
      plain());
}

TEST(Standardise, CodeTablePrecedence) {
  CodeTable t("t");
  t.add("A", "Alpha", std::vector<std::string>{"x", "B"});
  t.add("B", "x");
  t.add("C", "Charlie", std::vector<std::string>{"A", "alpha"});
  auto find = [&](std::string_view s) { return t.find(s); };
  ASSERT_TRUE(find("x"));
  EXPECT_EQ(find("x")->value, "B") << "a label beats an alias";
  EXPECT_EQ(find("B")->value, "B") << "a value beats an alias added before it";
  EXPECT_EQ(find("A")->value, "A") << "a value beats a later alias";
  EXPECT_EQ(find("ALPHA")->value, "A") << "the first label, in any case";
  EXPECT_TRUE(find("ALPHA")->mapped);
  EXPECT_FALSE(find("A")->mapped);
  EXPECT_TRUE(find("c")->mapped) << "another case is a mapping";
  EXPECT_FALSE(find("D"));
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.summary(), "A Alpha, B x, C Charlie");
}

TEST(Standardise, IdNumbers) {
  const auto id = field(FieldType::id_number, true);
  run({
          {id, "11010519491231002X", "11010519491231002X", ""},
          {id, "11010519491231002x", "11010519491231002X", ""},
          {id, " 110105491231002 ", "11010519491231002X", "", ValueNote::converted_from_15},
          {id, "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", ""},
          {id, "110105194912310021", "", "check character should be X, not 1"},
          {id, "11010520300101001X", "", "birth date 20300101 is in the future"},
          {id, "11010519490230002X", "", "birth date 19490230 is not a date"},
          {id, "1101051949123100", "", "has 16 characters; an ID number has 18 (or 15 for an old one)"},
          {id, "", "", "is required"},
      },
      plain());
  run({{id, "11010519491231002X", "", "cannot be checked: the import was given no current date"}},
      StandardiseContext{});
}

TEST(Standardise, CreditCodes) {
  const auto u = field(FieldType::uscc);
  run({
          {u, "91350100M000100Y43", "91350100M000100Y43", ""},
          {u, "91350100m000100y43", "91350100M000100Y43", ""},
          {u, "91330106MA27XL123K", "91330106MA27XL123K", "", ValueNote::none,
           "the organisation code MA27XL123 (characters 9-17) ends in 3 where its own check (GB 11714) gives 7; the "
           "credit code itself checks out"},
          {u, "91350100M000100Y44", "", "check character should be 3, not 4"},
          {u, "91350100O000100Y43", "", "character 9 'O' is not used in credit codes (I, O, S, V and Z never are)"},
          {u, "9135010", "", "has 7 characters; a credit code has 18"},
      },
      plain());
}

TEST(Standardise, DivisionCodes) {
  const auto d = field(FieldType::division);
  run({
          {d, "330106", "330106", ""},
          {d, "330106000000", "330106", ""},
          {d, "330106002", "330106002", ""},
          {d, "33", "330000", ""},
          {d, "990106", "", "starts with 99, which is not a province's code"},
          {d, "西湖区", "", "character 1 '西' is not a digit"},
      },
      plain());
}

TEST(Standardise, AddressesToDivisions) {
  const auto d = field(FieldType::division);
  const std::string unknown =
      "names no known district or street; write the division code (330106) or an address with its district "
      "(西湖区北山街道)";
  run({
          {d, "杭州市西湖区北山街道白堤路1号", "330106002", "", ValueNote::address_resolved},
          {d, "西湖区北山街道", "330106002", "", ValueNote::address_resolved},
          {d, "北山街道", "330106002", "", ValueNote::address_resolved},
          {d, "上城区清波街道", "330102001", "", ValueNote::address_resolved},
          {d, "浙江省杭州市西湖区三墩镇某村", "330106109", "", ValueNote::address_resolved},
          {d, "杭州市西湖区文三路", "330106", "", ValueNote::address_resolved},
          {d, "杭州某某路8号", "330100", "", ValueNote::address_resolved},
          {d, "上城区北山街道", "330102", "", ValueNote::address_resolved},  // the street is not in it
          {d, "330106", "330106", ""},
          {d, "北京市朝阳区", "", unknown},
          {d, "西湖边", "", unknown},  // short names are not matched
      },
      with_addresses());
}

TEST(Standardise, AddressResolverReadsTheDivisionTree) {
  const auto& r = hangzhou();
  EXPECT_EQ(r.divisions().front().code, "330100");
  EXPECT_EQ(r.divisions().front().level, identifiers::DivisionLevel::prefecture);
  EXPECT_EQ(std::count_if(r.divisions().begin(), r.divisions().end(),
                          [](const auto& d) { return d.level == identifiers::DivisionLevel::county; }),
            13);
  EXPECT_EQ(std::count_if(r.divisions().begin(), r.divisions().end(),
                          [](const auto& d) { return d.level == identifiers::DivisionLevel::town; }),
            196);
  const auto* d = r.resolve("滨江区");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->code, "330108");
  EXPECT_EQ(d->name, "滨江区");
  EXPECT_EQ(r.resolve(""), nullptr);

  auto bad = AddressResolver::from_json("not json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().fields[0].field, "divisions");
  auto no_districts = AddressResolver::from_json(R"({"code":"330100","name":"杭州市"})");
  ASSERT_FALSE(no_districts.ok());
  EXPECT_EQ(no_districts.error().fields[0].field, "districts");
  auto bad_code = AddressResolver::from_json(R"({"code":"330100","name":"杭州市","districts":[{"code":"99","name":"x"}]})");
  ASSERT_FALSE(bad_code.ok());
  EXPECT_EQ(bad_code.error().fields[0].field, "districts[0].code");
}

TEST(Standardise, PhoneNumbers) {
  const auto p = field(FieldType::phone);
  const std::string not_a_phone =
      "is not a phone number: a mobile number has 11 digits starting 13 to 19, a landline is written with its area "
      "code, as in 0571-87654321";
  const std::string local = "the local number after area code 0571 should have 7 or 8 digits not starting with 0 or 1";
  run({
          {p, "13812345678", "13812345678", ""},
          {p, "138 1234 5678", "13812345678", ""},
          {p, "138-1234-5678", "13812345678", ""},
          {p, "+86 138 1234 5678", "13812345678", ""},
          {p, "+86-13812345678", "13812345678", ""},
          {p, "008613812345678", "13812345678", ""},
          {p, "8613812345678", "13812345678", ""},
          {p, "１３８１２３４５６７８", "13812345678", ""},
          {p, "19912345678", "19912345678", ""},
          {p, "0571-87654321", "0571-87654321", ""},
          {p, "(0571)87654321", "0571-87654321", ""},
          {p, "（0571）87654321", "0571-87654321", ""},
          {p, "0571 87654321", "0571-87654321", ""},
          {p, "057187654321", "0571-87654321", ""},
          {p, "0571-8765-4321", "0571-87654321", ""},
          {p, "0571-8765432", "0571-8765432", ""},
          {p, "010-62345678", "010-62345678", ""},
          {p, "02162345678", "021-62345678", ""},
          {p, "010-12345678", "", "the local number after area code 010 should have 7 or 8 digits not starting with 0 or 1"},
          {p, "+86 571 87654321", "0571-87654321", ""},
          {p, "0571-87654321-123", "0571-87654321-123", ""},
          {p, "0571-87654321转123", "0571-87654321-123", ""},
          {p, "0571-87654321 ext. 123", "0571-87654321-123", ""},
          {p, "0571-87654321#8", "0571-87654321-8", ""},
          {p, "(0571)87654321x123", "0571-87654321-123", ""},
          {p, "12812345678", "", "a mobile number starts with 13 to 19"},
          {p, "1381234567", "", "a mobile number has 11 digits; this has 10"},
          {p, "13812345678转1", "", "a mobile number has no extension"},
          {p, "87654321", "", "a landline needs its area code, as in 0571-87654321"},
          {p, "0571-1234567", "", local},
          {p, "0571-123", "", local},
          {p, "0571-87654321转", "", "the extension should be 1 to 6 digits"},
          {p, "0571-87654321转1234567", "", "the extension should be 1 to 6 digits"},
          {p, "+44 20 7946 0958", "", "only mainland China numbers (+86) are accepted"},
          {p, "abc", "", not_a_phone},
          {p, "95588", "", not_a_phone},
          {p, "400-123-4567", "", not_a_phone},
          {p, "011-12345678", "", not_a_phone},
      },
      plain());
}

TEST(Standardise, GeoPoints) {
  const auto g = field(FieldType::geo_point);
  const auto not_a_point = [](const std::string& s) {
    return "'" + s + "' is not a point; write longitude,latitude as 120.1551,30.2741";
  };
  run({
          {g, "120.1551,30.2741", "120.1551,30.2741", ""},
          {g, " 120.1551 , 30.2741 ", "120.1551,30.2741", ""},
          {g, "120.15510000,30.27410", "120.1551,30.2741", ""},
          {g, "120.123456789,30.1", "120.1234568,30.1", ""},
          {g, "120.12345674,30", "120.1234567,30", ""},
          {g, "-0.00000001,0", "0,0", ""},
          {g, "179.99999999,-89.999999951", "180,-90", ""},
          {g, "120，30", "120,30", ""},
          {g, "-73.9857,40.7484", "-73.9857,40.7484", ""},
          {g, "30.2741,120.1551", "",
           "latitude 120.1551 is out of range (-90 to 90); write longitude first: 120.1551,30.2741"},
          {g, "100,95.5", "", "latitude 95.5 is out of range (-90 to 90)"},
          {g, "190,30", "", "longitude 190 is out of range (-180 to 180)"},
          {g, "120.1551", "", not_a_point("120.1551")},
          {g, "120.1551,abc", "", not_a_point("120.1551,abc")},
          {g, "1e2,30", "", not_a_point("1e2,30")},
      },
      plain());
}

TEST(Standardise, KeysAreRequired) {
  FieldSpec key = field(FieldType::date);
  key.key = true;
  run({{key, "", "", "is required"}, {key, "2024-3-5", "2024-03-05", ""}}, plain());
}

}  // namespace
}  // namespace zhengwu::data
