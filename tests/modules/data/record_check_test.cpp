// Records against a resource: header mapping, every problem of a row, JSON objects, and
// a 10,000-row population file with 37 bad rows of different kinds whose exact lines and
// reasons are known — in UTF-8, in GB18030, detected, and through small buffers.
#include "modules/data/record_check.hpp"

#include <gtest/gtest.h>
#include <iconv.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <set>
#include <sstream>
#include <thread>

#include "kernel/demo/hangzhou_demo.hpp"
#include "kernel/identifiers/division.hpp"
#include "kernel/identifiers/id_number.hpp"

namespace zhengwu::data {
namespace {

constexpr std::chrono::year_month_day kToday{std::chrono::year{2025}, std::chrono::June, std::chrono::day{1}};

std::string to_gb18030(std::string_view utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 8, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* o = out.data();
  std::size_t o_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &o, &o_left), static_cast<std::size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - o_left);
  return out;
}

const CodeTables& tables() {
  static const CodeTables t = [] {
    CodeTables tables;
    CodeTable sex("gb2261.1");
    sex.add("0", "未知的性别");
    sex.add("1", "男性", std::vector<std::string>{"男"});
    sex.add("2", "女性", std::vector<std::string>{"女"});
    sex.add("9", "未说明的性别");
    tables.add(std::move(sex));
    return tables;
  }();
  return t;
}

const AddressResolver& hangzhou() {
  static const AddressResolver r = std::move(AddressResolver::from_json(demo::hangzhou_divisions_json()).value());
  return r;
}

StandardiseContext context() {
  return StandardiseContext{kToday, &tables(), &hangzhou()};
}

FieldSpec field(std::string name, std::string label, FieldType type, bool required = false,
                std::optional<int> length = std::nullopt, std::optional<std::string> code_table = std::nullopt) {
  FieldSpec f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.type = type;
  f.required = required;
  f.length = length;
  f.code_table = std::move(code_table);
  return f;
}

// A population resource (户籍人口) as a department would describe it.
std::vector<FieldSpec> population() {
  auto id = field("id_number", "公民身份号码", FieldType::id_number);
  id.key = true;
  return {
      id,
      field("name", "姓名", FieldType::string, true, 20),
      field("gender", "性别", FieldType::code, true, std::nullopt, "gb2261.1"),
      field("birth_date", "出生日期", FieldType::date, true),
      field("phone", "联系电话", FieldType::phone),
      field("division", "户籍地", FieldType::division),
      field("employer_uscc", "单位统一社会信用代码", FieldType::uscc),
      field("note", "备注", FieldType::string, false, 200),
  };
}

std::vector<std::string_view> views(const std::vector<std::string>& s) {
  return {s.begin(), s.end()};
}

// --- the header -------------------------------------------------------------------------

TEST(RecordCheck, HeaderNamesFieldsByNameOrLabel) {
  const std::vector<std::string> header{"ID_NUMBER", " 姓名 ", "性别", "出生日期", "来源", "", "ｐｈｏｎｅ"};
  auto checker = RecordChecker::for_header(population(), views(header), context());
  ASSERT_TRUE(checker.ok()) << checker.error().message;
  EXPECT_EQ(checker->column_count(), 7u);
  const std::vector<FieldError> ignored{
      {"header[4]", "column 5 '来源' names no field of the resource; it is ignored"},
      {"header[5]", "column 6 has no name; it is ignored"},
  };
  ASSERT_EQ(checker->ignored_columns().size(), ignored.size());
  for (std::size_t i = 0; i < ignored.size(); ++i) {
    EXPECT_EQ(checker->ignored_columns()[i].field, ignored[i].field);
    EXPECT_EQ(checker->ignored_columns()[i].message, ignored[i].message);
  }

  const std::vector<std::string> record{"11010519491231002X", "张三", "男", "1949/12/31", "x", "", "138 1234 5678"};
  CheckedRow row;
  checker->check(views(record), row);
  ASSERT_TRUE(row.ok()) << row.refusals.front().reason;
  std::vector<std::string> values;
  for (const auto& v : row.values) values.push_back(v.text);
  EXPECT_EQ(values, (std::vector<std::string>{"11010519491231002X", "张三", "1", "1949-12-31", "13812345678", "", "",
                                              ""}));
  EXPECT_EQ(row.code_mappings, 1u);
}

TEST(RecordCheck, HeaderProblemsAreAllNamed) {
  struct Case {
    const char* name;
    std::vector<std::string> header;
    std::vector<FieldError> expected;
  };
  const std::vector<Case> cases{
      {"duplicate by name and label",
       {"id_number", "name", "gender", "birth_date", "姓名"},
       {{"header[4]", "column 5 '姓名' names the field name (姓名), as column 2 does; keep one of them"}}},
      {"required fields without a column, and an ignored one listed too",
       {"name", "remark"},
       {{"id_number", "the required field id_number (公民身份号码) has no column"},
        {"gender", "the required field gender (性别) has no column"},
        {"birth_date", "the required field birth_date (出生日期) has no column"},
        {"header[1]", "column 2 'remark' names no field of the resource; it is ignored"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto checker = RecordChecker::for_header(population(), views(c.header), context());
    ASSERT_FALSE(checker.ok());
    EXPECT_EQ(checker.error().code, ErrorCode::invalid);
    EXPECT_EQ(checker.error().message, "the header does not fit the resource: " + c.expected.front().message);
    ASSERT_EQ(checker.error().fields.size(), c.expected.size());
    for (std::size_t i = 0; i < c.expected.size(); ++i) {
      EXPECT_EQ(checker.error().fields[i].field, c.expected[i].field);
      EXPECT_EQ(checker.error().fields[i].message, c.expected[i].message);
    }
  }
}

TEST(RecordCheck, CodeTablesAndTheDateMustBeThere) {
  const std::vector<std::string> header{"id_number", "name", "gender", "birth_date"};
  StandardiseContext no_tables{kToday, nullptr, nullptr};
  auto a = RecordChecker::for_header(population(), views(header), no_tables);
  ASSERT_FALSE(a.ok());
  ASSERT_EQ(a.error().fields.size(), 1u);
  EXPECT_EQ(a.error().fields[0].field, "gender");
  EXPECT_EQ(a.error().fields[0].message, "its code table gb2261.1 is not loaded for this import");
  auto b = RecordChecker::for_objects(population(), StandardiseContext{{}, &tables(), nullptr});
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().fields[0].field, "id_number");
  EXPECT_EQ(b.error().fields[0].message, "ID numbers cannot be checked: the import was given no current date");
}

// --- rows -----------------------------------------------------------------------------------

TEST(RecordCheck, EveryProblemOfARowIsNamed) {
  const std::vector<std::string> header{"id_number", "name", "gender", "birth_date", "phone", "division",
                                        "employer_uscc", "note"};
  auto checker = RecordChecker::for_header(population(), views(header), context());
  ASSERT_TRUE(checker.ok());
  struct Case {
    std::vector<std::string> record;
    std::vector<std::pair<std::string, std::string>> refusals;  // field name, reason
    std::uint32_t converted = 0, mapped = 0, resolved = 0;
  };
  const std::vector<Case> cases{
      {{"110105491231002", "李四", "女", "1949-12-31", "", "西湖区北山街道", "", ""}, {}, 1, 1, 1},
      {{"110105194912310021", "", "3", "2023-02-29", "12345", "990106", "91350100M000100Y44", std::string(201, 'x')},
       {{"id_number", "check character should be X, not 1"},
        {"name", "is required"},
        {"gender", "'3' is not in code table gb2261.1 (0 未知的性别, 1 男性, 2 女性, 9 未说明的性别)"},
        {"birth_date", "date 2023-02-29 does not exist"},
        {"phone", "a mobile number has 11 digits; this has 5"},
        {"division", "starts with 99, which is not a province's code"},
        {"employer_uscc", "check character should be 3, not 4"},
        {"note", "has 201 characters; at most 200"}}},
      // A short record: the missing columns are empty.
      {{"11010519491231002X", "王五"},
       {{"gender", "is required"}, {"birth_date", "is required"}}},
  };
  CheckedRow row;
  for (const auto& c : cases) {
    checker->check(views(c.record), row);
    std::vector<std::pair<std::string, std::string>> got;
    for (const auto& r : row.refusals) got.emplace_back(checker->fields()[r.field].name, r.reason);
    EXPECT_EQ(got, c.refusals);
    EXPECT_EQ(row.ok(), c.refusals.empty());
    EXPECT_EQ(row.converted_from_15, c.converted);
    EXPECT_EQ(row.code_mappings, c.mapped);
    EXPECT_EQ(row.addresses_resolved, c.resolved);
  }
}

TEST(RecordCheck, JsonObjectsByNameOrLabel) {
  auto checker = RecordChecker::for_objects(population(), context());
  ASSERT_TRUE(checker.ok()) << checker.error().message;
  CheckedRow row;
  const std::vector<JsonMember> good{{"姓名", "张三", JsonKind::string},
                                     {"id_number", "11010519491231002X", JsonKind::string},
                                     {"Gender", "男", JsonKind::string},
                                     {"birth_date", "19491231", JsonKind::number},
                                     {"phone", "", JsonKind::null},
                                     {"extra", "1", JsonKind::number}};
  checker->check(good, row);
  ASSERT_TRUE(row.ok()) << row.refusals.front().reason;
  EXPECT_EQ(row.values[0].text, "11010519491231002X");
  EXPECT_EQ(row.values[1].text, "张三");
  EXPECT_EQ(row.values[2].text, "1");
  EXPECT_EQ(row.values[3].text, "1949-12-31");
  EXPECT_EQ(row.values[4].text, "");
  EXPECT_EQ(row.unknown_keys, (std::vector<std::size_t>{5}));

  const std::vector<JsonMember> bad{{"name", "张三", JsonKind::string},
                                    {"姓名", "李四", JsonKind::string},
                                    {"gender", "true", JsonKind::boolean},
                                    {"birth_date", "", JsonKind::null}};
  checker->check(bad, row);
  std::vector<std::pair<std::size_t, std::string>> got;
  for (const auto& r : row.refusals) got.emplace_back(r.field, r.reason);
  EXPECT_EQ(got, (std::vector<std::pair<std::size_t, std::string>>{
                     {0, "is required"},
                     {1, "is given twice, as 'name' and '姓名'"},
                     {2, "'true' is not in code table gb2261.1 (0 未知的性别, 1 男性, 2 女性, 9 未说明的性别)"},
                     {3, "is required"}}));
}

TEST(RecordCheck, JsonLinesBatch) {
  std::istringstream in(
      "{\"id_number\":\"110105491231002\",\"name\":\"张三\",\"gender\":\"男\",\"birth_date\":\"1949-12-31\","
      "\"来源\":\"x\"}\n"
      "not json\n"
      "{\"id_number\":\"11010519491231002X\",\"name\":\"李四\",\"gender\":\"9\",\"birth_date\":\"1949-12-31\","
      "\"phone\":12345,\"来源\":\"y\",\"批次\":2}\n"
      "\n"
      "{\"公民身份号码\":\"11010519491231002X\",\"姓名\":\"王五\",\"性别\":2,\"出生日期\":\"1949年12月31日\"}\n");
  std::vector<std::uint64_t> accepted_lines;
  const BatchReport r = check_jsonl(in, population(), context(),
                                    [&](std::uint64_t line, const CheckedRow&) { accepted_lines.push_back(line); });
  EXPECT_FALSE(r.failure);
  EXPECT_EQ(r.records, 4u);
  EXPECT_EQ(r.accepted, 2u);
  EXPECT_EQ(r.rejected, 2u);
  EXPECT_EQ(r.converted_from_15, 1u);
  EXPECT_EQ(r.code_mappings, 1u);
  EXPECT_EQ(accepted_lines, (std::vector<std::uint64_t>{1, 5}));
  ASSERT_EQ(r.rejections.size(), 2u);
  EXPECT_EQ(r.rejections[0].line, 2u);
  EXPECT_EQ(r.rejections[0].field, "");
  EXPECT_EQ(r.rejections[0].reason, "the line is not valid JSON: syntax error at character 1");
  EXPECT_EQ(r.rejections[1].line, 3u);
  EXPECT_EQ(r.rejections[1].field, "phone");
  ASSERT_EQ(r.header.size(), 2u);
  EXPECT_EQ(r.header[0].message, "the key '来源' (first on line 1) names no field of the resource; it is ignored");
  EXPECT_EQ(r.header[1].message, "the key '批次' (first on line 3) names no field of the resource; it is ignored");
}

// --- whole batches -------------------------------------------------------------------------------

TEST(RecordCheck, CsvBatchFailures) {
  struct Case {
    const char* name;
    std::string input;
    Encoding encoding;
    std::string failure;
  };
  const std::vector<Case> cases{
      {"empty", "", Encoding::detect, "the file is empty: it has no header line"},
      {"bad header", "id_number,\"name\n", Encoding::utf8,
       "the header (line 1) cannot be read: field 2: its opening quote is never closed before the end of the file; "
       "close it, or write a quote inside a field as two quotes (\"\")"},
      {"unusable header", "name\n", Encoding::utf8,
       "the header does not fit the resource: the required field id_number (公民身份号码) has no column"},
      {"undecodable", "id_number,name,gender,birth_date\n11010519491231002X,\xFF\n", Encoding::utf8,
       "reading stopped near line 2: the bytes at offset 52 (FF 0A) are not UTF-8 text; if the file is GBK or "
       "GB18030, import it with that encoding"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::istringstream in(c.input);
    ImportOptions o;
    o.encoding = c.encoding;
    const BatchReport r = check_csv(in, population(), context(), nullptr, o);
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(*r.failure, c.failure);
    EXPECT_EQ(r.accepted, 0u);
    EXPECT_EQ(r.records, 0u) << "a record cut short by bad bytes is not counted";
  }
}

// Bytes that cannot be decoded stop the batch; what came before stands, bad rows before
// it included, and the row the bad bytes cut short is neither accepted nor reported.
TEST(RecordCheck, UndecodableBytesKeepWhatCameBefore) {
  const std::string input =
      "id_number,name,gender,birth_date\n"
      "11010519491231002X,张三,男,1949-12-31\n"
      "11010519491231002X,李\"四,女,1949-12-31\n"
      "11010519491231002X,王五,1,1949-12-31\n"
      "11010519491231002X,赵\xFF六,2,1949-12-31\n"
      "11010519491231002X,钱七,2,1949-12-31\n";
  std::istringstream in(input);
  ImportOptions o;
  o.encoding = Encoding::utf8;
  std::vector<std::uint64_t> accepted;
  const BatchReport r = check_csv(in, population(), context(),
                                  [&](std::uint64_t line, const CheckedRow&) { accepted.push_back(line); }, o);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(*r.failure, "reading stopped near line 5: the bytes at offset " + std::to_string(input.find('\xFF')) +
                            " (FF E5 85 AD) are not UTF-8 text; if the file is GBK or GB18030, import it with that "
                            "encoding");
  EXPECT_EQ(accepted, (std::vector<std::uint64_t>{2, 4}));
  EXPECT_EQ(r.records, 3u);
  EXPECT_EQ(r.rejected, 1u);
  ASSERT_EQ(r.rejections.size(), 1u);
  EXPECT_EQ(r.rejections[0].line, 3u);
  EXPECT_EQ(r.rejections[0].reason,
            "field 2: a quote inside a field that does not start with one; put the whole field in quotes and write "
            "the quote twice (\"\")");
}

// A rejected record is handed over as it was read, with its problems, so that it can be
// kept until someone fixes it.
TEST(RecordCheck, RejectedRecordsAreHandedOverAsRead) {
  struct Kept {
    std::uint64_t line;
    std::vector<std::pair<std::string, std::string>> raw;
    std::vector<std::string> problems;
    bool operator==(const Kept&) const = default;
  };
  std::vector<Kept> kept;
  const RejectRecord keep = [&](std::uint64_t line, const RawRecord& raw, std::span<const Rejection> problems) {
    Kept k{line, {}, {}};
    for (std::size_t i = 0; i < raw.values.size(); ++i) {
      k.raw.emplace_back(i < raw.names.size() ? std::string(raw.names[i]) : "", std::string(raw.values[i]));
    }
    for (const auto& p : problems) k.problems.push_back(p.field + ": " + p.reason);
    kept.push_back(std::move(k));
  };
  std::istringstream csv(
      "id_number,name,gender,birth_date\n"
      "11010519491231002X,张三,男,1949-12-31\n"
      "11010519491231002X,,3,1949-12-31\n"
      "11010519491231002X,李\"四,女,1949-12-31\n"
      "11010519491231002X,王五\n");
  const BatchReport r = check_csv(csv, population(), context(), nullptr, {}, keep);
  EXPECT_EQ(r.rejected, 3u);
  EXPECT_EQ(kept, (std::vector<Kept>{
                      {3,
                       {{"id_number", "11010519491231002X"}, {"name", ""}, {"gender", "3"}, {"birth_date", "1949-12-31"}},
                       {"name: is required",
                        "gender: '3' is not in code table gb2261.1 (0 未知的性别, 1 男性, 2 女性, 9 未说明的性别)"}},
                      {4,
                       {},
                       {": field 2: a quote inside a field that does not start with one; put the whole field in "
                        "quotes and write the quote twice (\"\")"}},
                      {5, {{"id_number", "11010519491231002X"}, {"name", "王五"}}, {": has 2 fields; the header has 4"}},
                  }));

  kept.clear();
  std::istringstream jsonl(
      "{\"id_number\":\"11010519491231002X\",\"name\":\"赵六\",\"gender\":\"男\",\"birth_date\":\"19491331\"}\n"
      "[1]\n");
  const BatchReport j = check_jsonl(jsonl, population(), context(), nullptr, {}, keep);
  EXPECT_EQ(j.rejected, 2u);
  EXPECT_EQ(kept, (std::vector<Kept>{
                      {1,
                       {{"id_number", "11010519491231002X"}, {"name", "赵六"}, {"gender", "男"}, {"birth_date", "19491331"}},
                       {"birth_date: date 1949-13-31 does not exist"}},
                      {2, {}, {": the line is not a JSON object; each line holds one object, {\"name\": \"value\", ...}"}},
                  }));
}

// The population file: 10,000 rows, 37 of them bad in known ways.
struct Population {
  std::string csv;
  std::vector<Rejection> rejections;
  std::uint64_t accepted = 0, converted = 0, mapped = 0, resolved = 0, warnings = 0;
};

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string id_number(std::string_view division, int y, int m, int d, int seq) {
  char body[32];
  std::snprintf(body, sizeof body, "%.6s%04d%02d%02d%03d", division.data(), y, m, d, seq);
  const std::string first17(body);
  return first17 + identifiers::id_check_character(first17);
}

Population make_population() {
  constexpr int kRows = 10000;
  const std::string not_a_phone =
      "is not a phone number: a mobile number has 11 digits starting 13 to 19, a landline is written with its area "
      "code, as in 0571-87654321";
  const std::string not_in_table = " is not in code table gb2261.1 (0 未知的性别, 1 男性, 2 女性, 9 未说明的性别)";
  const std::string after_closing = ": text after its closing quote; a quote inside a quoted field is written twice (\"\")";

  Population p;
  p.csv = "公民身份号码,姓名,性别,出生日期,phone,户籍地,employer_uscc,备注,来源\n";
  std::uint64_t line = 2;
  std::set<int> bad_rows;
  for (int k = 0; k < 36; ++k) bad_rows.insert(101 + k * 263);
  bad_rows.insert(kRows);

  int k = -1;
  for (int i = 1; i <= kRows; ++i) {
    const auto& district = identifiers::kHangzhouDistricts[static_cast<std::size_t>(i % 13)];
    const int y = 1950 + i % 50, m = 1 + i % 12, d = 1 + i % 28, seq = i % 1000;
    std::string id = id_number(district.code, y, m, d, seq);
    const bool old = i % 50 == 0;
    if (old) id = id.substr(0, 6) + id.substr(8, 9);  // the 15-digit form
    static const char* kGivenNames[] = {"三", "四", "五", "六", "晓明", "欧阳娜娜"};
    static const char* kGenders[] = {"男", "女", "1", "2"};
    char date[32];
    switch (i % 4) {
      case 0: std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d); break;
      case 1: std::snprintf(date, sizeof date, "%04d/%d/%d", y, m, d); break;
      case 2: std::snprintf(date, sizeof date, "%04d年%d月%d日", y, m, d); break;
      default: std::snprintf(date, sizeof date, "%04d%02d%02d", y, m, d); break;
    }
    char phone[32];
    switch (i % 3) {
      case 0: std::snprintf(phone, sizeof phone, "138%08d", i); break;
      case 1: std::snprintf(phone, sizeof phone, "+86 139 %04d %04d", i / 10000, i % 10000); break;
      default: std::snprintf(phone, sizeof phone, "0571-8%07d", i); break;
    }
    std::string division;
    switch (i % 5) {
      case 0: division = std::string(district.code); break;
      case 1: division = "杭州市西湖区北山街道白堤路" + std::to_string(i) + "号"; break;
      case 2: break;
      case 3: division = "330106002"; break;
      default: division = "上城区清波街道"; break;
    }
    const std::string uscc = i % 97 == 0 ? "91350100M000100Y43" : i % 89 == 0 ? "91330106MA27XL123K" : "";
    const std::string note = i % 100 == 0 ? "第一行, 含逗号\n第二行 \"引号\"" : "";
    std::vector<std::string> f{id, std::string("张") + kGivenNames[i % 6], kGenders[i % 4], date, phone,
                               division, uscc, note, "人口库"};

    std::string raw;  // a row written by hand instead of from f
    std::vector<Rejection> expected;
    auto expect = [&](std::string field, std::string reason) { expected.push_back({line, std::move(field), std::move(reason)}); };
    if (bad_rows.count(i)) {
      switch (++k) {
        case 0: {
          const char right = f[0][17];
          f[0][17] = right == '1' ? '2' : '1';
          expect("id_number", std::string("check character should be ") + right + ", not " + f[0][17]);
          break;
        }
        case 1: f[3] = "2023-02-29"; expect("birth_date", "date 2023-02-29 does not exist"); break;
        case 2: f[2] = "3"; expect("gender", "'3'" + not_in_table); break;
        case 3: f[1] = ""; expect("name", "is required"); break;
        case 4: f[1] = "张" + std::string(60, 'a'); expect("name", "has 61 characters; at most 20"); break;
        case 5: f[6] = "91350100M000100Y44"; expect("employer_uscc", "check character should be 3, not 4"); break;
        case 6: {
          // A stray quote opens field 8 and swallows the lines up to the next quote, the
          // note of row 1700; the lines in between are read again.
          f[7] = "\"unclosed";
          for (std::size_t c = 0; c < f.size(); ++c) raw += (c ? "," : "") + (c == 7 ? f[c] : csv_field(f[c]));
          expect("", "field 8" + after_closing);
          break;
        }
        case 7: f.pop_back(); expect("", "has 8 fields; the header has 9"); break;
        case 8: f[4] = "95588"; expect("phone", not_a_phone); break;
        case 9: f[5] = "990106"; expect("division", "starts with 99, which is not a province's code"); break;
        case 10:
          f[5] = "北京市朝阳区建国路";
          expect("division",
                 "names no known district or street; write the division code (330106) or an address with its "
                 "district (西湖区北山街道)");
          break;
        case 11: {
          const char right = f[0][17];
          f[0][17] = right == '1' ? '2' : '1';
          f[3] = "1990-13-01";
          f[4] = "1381234567";
          expect("id_number", std::string("check character should be ") + right + ", not " + f[0][17]);
          expect("birth_date", "date 1990-13-01 does not exist");
          expect("phone", "a mobile number has 11 digits; this has 10");
          break;
        }
        case 12:
          f[0] = std::string(district.code) + "900230123";
          expect("id_number", "birth date 19900230 is not a date");
          break;
        case 13: {
          f[1] = "张\"三";
          for (std::size_t c = 0; c < f.size(); ++c) raw += (c ? "," : "") + (c == 1 ? f[c] : csv_field(f[c]));
          expect("", "field 2: a quote inside a field that does not start with one; put the whole field in quotes "
                     "and write the quote twice (\"\")");
          break;
        }
        case 14: {
          for (std::size_t c = 0; c < f.size(); ++c) raw += (c ? "," : "") + (c == 1 ? "\"张三\"x" : csv_field(f[c]));
          expect("", "field 2" + after_closing);
          break;
        }
        case 15:
          f[0] = id_number(district.code, 2030, 1, 1, 1);
          expect("id_number", "birth date 20300101 is in the future");
          break;
        case 16:
          f[0] = f[0].substr(0, 17);
          expect("id_number", "has 17 characters; an ID number has 18 (or 15 for an old one)");
          break;
        case 17: f[2] = ""; expect("gender", "is required"); break;
        case 18: f[3] = ""; expect("birth_date", "is required"); break;
        case 19: f[3] = "1990-1"; expect("birth_date", "'1990-1' is not a date; write it as 2024-03-05"); break;
        case 20: f[4] = "13812345678转8"; expect("phone", "a mobile number has no extension"); break;
        case 21:
          f[6] = "91350100O000100Y43";
          expect("employer_uscc", "character 9 'O' is not used in credit codes (I, O, S, V and Z never are)");
          break;
        case 22: f.push_back("多余"); expect("", "has 10 fields; the header has 9"); break;
        case 23: f[4] = "87654321"; expect("phone", "a landline needs its area code, as in 0571-87654321"); break;
        case 24: f[0] = ""; expect("id_number", "is required"); break;
        case 25: f[0][4] = 'A'; expect("id_number", "character 5 'A' is not a digit"); break;
        case 26: f[3] = "2024-02-30"; expect("birth_date", "date 2024-02-30 does not exist"); break;
        case 27: f[2] = "男的"; expect("gender", "'男的'" + not_in_table); break;
        case 28: f[1] = "张" + std::string(24, 'b'); expect("name", "has 25 characters; at most 20"); break;
        case 29:
          f[4] = "0571-1234567";
          expect("phone", "the local number after area code 0571 should have 7 or 8 digits not starting with 0 or 1");
          break;
        case 30:
          f[5] = "33010";
          expect("division",
                 "has 5 characters; a division code has 6 digits (2 or 4 for a province or prefecture written short), 9 "
                 "for a town or street, or 12 for a village or community");
          break;
        case 31: f[6] = "9135010"; expect("employer_uscc", "has 7 characters; a credit code has 18"); break;
        case 32:
          f[0] = id_number("990106", 1990, 1, 1, 1);
          expect("id_number",
                 "starts with 99, which is not a province's code (the first 6 digits are where the number was issued)");
          break;
        case 33: f[1] = "\u3000\u3000"; expect("name", "is required"); break;
        case 34:
          f[2] = "x";
          f[6] = "91350100M000100Y44";
          expect("gender", "'x'" + not_in_table);
          expect("employer_uscc", "check character should be 3, not 4");
          break;
        case 35: f[4] = "+44 20 7946 0958"; expect("phone", "only mainland China numbers (+86) are accepted"); break;
        case 36: {
          // The last row opens a quote that nothing closes.
          f[7] = "\"never closed";
          for (std::size_t c = 0; c < f.size(); ++c) raw += (c ? "," : "") + (c == 7 ? f[c] : csv_field(f[c]));
          expect("", "field 8: its opening quote is never closed before the end of the file; close it, or write a "
                     "quote inside a field as two quotes (\"\")");
          break;
        }
      }
      EXPECT_FALSE(expected.empty()) << "bad row " << k;
    } else {
      ++p.accepted;
      p.converted += old ? 1 : 0;
      p.mapped += i % 4 < 2 ? 1 : 0;
      p.resolved += i % 5 == 1 || i % 5 == 4 ? 1 : 0;
      p.warnings += i % 89 == 0 && i % 97 != 0 ? 1 : 0;
    }
    p.rejections.insert(p.rejections.end(), expected.begin(), expected.end());
    if (raw.empty()) {
      for (std::size_t c = 0; c < f.size(); ++c) raw += (c ? "," : "") + csv_field(f[c]);
    }
    p.csv += raw;
    p.csv += i % 7 == 0 ? "\r\n" : "\n";
    line += 1 + static_cast<std::uint64_t>(std::count(raw.begin(), raw.end(), '\n'));
  }
  EXPECT_EQ(k, 36) << "37 bad rows";
  return p;
}

const Population& population_file() {
  static const Population p = make_population();
  return p;
}

void expect_report(const BatchReport& r, const Population& p, Encoding encoding) {
  EXPECT_FALSE(r.failure) << *r.failure;
  EXPECT_EQ(r.encoding, encoding);
  EXPECT_EQ(r.records, 10000u);
  EXPECT_EQ(r.accepted, 9963u);
  EXPECT_EQ(r.accepted, p.accepted);
  EXPECT_EQ(r.rejected, 37u);
  EXPECT_EQ(r.converted_from_15, p.converted);
  EXPECT_EQ(r.code_mappings, p.mapped);
  EXPECT_EQ(r.addresses_resolved, p.resolved);
  EXPECT_EQ(r.warnings.size(), p.warnings);
  ASSERT_EQ(r.header.size(), 1u);
  EXPECT_EQ(r.header[0].message, "column 9 '来源' names no field of the resource; it is ignored");
  ASSERT_EQ(r.rejections.size(), p.rejections.size());
  for (std::size_t i = 0; i < p.rejections.size(); ++i) {
    SCOPED_TRACE("rejection " + std::to_string(i));
    EXPECT_EQ(r.rejections[i].line, p.rejections[i].line);
    EXPECT_EQ(r.rejections[i].field, p.rejections[i].field);
    EXPECT_EQ(r.rejections[i].reason, p.rejections[i].reason);
  }
}

BatchReport check_population(const std::string& bytes, ImportOptions options,
                             std::vector<std::uint64_t>* accepted_lines = nullptr) {
  std::istringstream in(bytes);
  return check_csv(in, population(), context(), [&](std::uint64_t line, const CheckedRow& row) {
    EXPECT_TRUE(row.ok());
    EXPECT_EQ(row.values.size(), 8u);
    if (accepted_lines) accepted_lines->push_back(line);
  }, options);
}

TEST(RecordCheck, PopulationFileUtf8) {
  const Population& p = population_file();
  ASSERT_EQ(p.rejections.size(), 40u) << "37 rows, two of them with more than one problem";
  std::vector<std::uint64_t> lines;
  ImportOptions o;
  o.encoding = Encoding::utf8;
  const BatchReport r = check_population(p.csv, o, &lines);
  expect_report(r, p, Encoding::utf8);
  ASSERT_EQ(lines.size(), 9963u);
  EXPECT_EQ(lines.front(), 2u);
  EXPECT_TRUE(std::is_sorted(lines.begin(), lines.end()));
  std::set<std::uint64_t> rejected_lines;
  for (const auto& x : p.rejections) rejected_lines.insert(x.line);
  for (auto l : lines) ASSERT_FALSE(rejected_lines.count(l)) << l;
}

TEST(RecordCheck, PopulationFileGb18030GivesTheSameReport) {
  const Population& p = population_file();
  const std::string gb = to_gb18030(p.csv);
  ASSERT_NE(gb, p.csv);
  for (Encoding e : {Encoding::gb18030, Encoding::detect}) {
    SCOPED_TRACE(std::string(to_string(e)));
    ImportOptions o;
    o.encoding = e;
    expect_report(check_population(gb, o), p, Encoding::gb18030);
  }
  ImportOptions detect;
  expect_report(check_population(p.csv, detect), p, Encoding::utf8);
}

// Small and odd buffer sizes put chunk boundaries inside characters, quoted notes and CRLFs.
TEST(RecordCheck, PopulationFileThroughSmallBuffers) {
  const Population& p = population_file();
  const std::string gb = to_gb18030(p.csv);
  ImportOptions o;
  o.encoding = Encoding::gb18030;
  o.decode_chunk_bytes = 1021;
  o.csv.chunk_bytes = 613;
  expect_report(check_population(gb, o), p, Encoding::gb18030);
  o.encoding = Encoding::utf8;
  o.decode_chunk_bytes = 7;
  o.csv.chunk_bytes = 5;
  expect_report(check_population(p.csv, o), p, Encoding::utf8);
}

// The checker is const: threads share it, each with its own CheckedRow.
TEST(RecordCheck, OneCheckerServesManyThreads) {
  const std::vector<std::string> header{"id_number", "name", "gender", "birth_date", "phone", "division"};
  auto checker = RecordChecker::for_header(population(), views(header), context());
  ASSERT_TRUE(checker.ok());
  std::vector<std::string> good{"110105491231002", "张三", "男", "1949/12/31", "+86 138 1234 5678", "西湖区北山街道"};
  std::vector<std::string> bad{"110105194912310021", "张三", "3", "1949/12/31", "", ""};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      CheckedRow row;
      for (int n = 0; n < 2000; ++n) {
        checker->check(views(good), row);
        if (!row.ok() || row.values[0].text != "11010519491231002X" || row.values[5].text != "330106002") ++failures;
        checker->check(views(bad), row);
        if (row.refusals.size() != 2) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace zhengwu::data
