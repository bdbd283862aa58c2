// The parsing half of data import (归集) only: bytes → UTF-8 (text_decoder) → CSV records
// (csv_reader) → standardised and checked values (standardise, record_check), in memory,
// on one thread. Nothing is stored: writing the rows to the database is the other half of
// an import and is not measured here, so these numbers are a ceiling for the import, not
// its throughput. The target for the whole import is 1,000,000 rows with full
// validation at ≥ 150,000 rows/s on 2 cores.
//
// The file is population-like, 200,000 rows generated once and held in memory: ID number
// (one in fifty the old 15-digit form, converted), name, gender as 男/女/1/2 (GB/T 2261.1
// code table, labels mapped), birth date in four spellings, mobile or landline number in
// several spellings, and the registered address as free text or a code (address → GB/T 2260
// division through the Hangzhou tree). Every row is valid, so every value is standardised.
// BM_ImportParseCsvUtf8 reads it as UTF-8, BM_ImportParseCsvGb18030 the same rows encoded
// in GB18030 (glibc iconv); each reports rows_per_s.
#include <benchmark/benchmark.h>
#include <iconv.h>

#include <cstdio>
#include <istream>
#include <string>

#include "kernel/demo/hangzhou_demo.hpp"
#include "kernel/identifiers/division.hpp"
#include "kernel/identifiers/id_number.hpp"
#include "modules/data/record_check.hpp"

namespace {

using namespace zhengwu;
using namespace zhengwu::data;

constexpr int kRows = 200000;

// Serves a string in place (istringstream would copy the whole file each iteration).
class ViewStreambuf final : public std::streambuf {
 public:
  explicit ViewStreambuf(const std::string& s) {
    char* p = const_cast<char*>(s.data());
    setg(p, p, p + s.size());
  }
};

std::string population_csv() {
  std::string out = "公民身份号码,姓名,性别,出生日期,联系电话,户籍地址\n";
  out.reserve(static_cast<std::size_t>(kRows) * 110);
  static const char* kNames[] = {"张伟", "王芳", "李娜", "刘洋", "陈静", "欧阳娜娜", "杨磊", "赵敏"};
  static const char* kGenders[] = {"男", "女", "1", "2"};
  static const char* kStreets[] = {"西湖区北山街道", "上城区清波街道", "拱墅区米市巷街道", "滨江区西兴街道",
                                   "西湖区西溪街道", "余杭区五常街道"};
  char line[256];
  for (int i = 1; i <= kRows; ++i) {
    const auto& district = identifiers::kHangzhouDistricts[static_cast<std::size_t>(i % 13)];
    const int y = 1940 + i % 60, m = 1 + i % 12, d = 1 + i % 28;
    char first17[24];
    std::snprintf(first17, sizeof first17, "%.6s%04d%02d%02d%03d", district.code.data(), y, m, d, i % 1000);
    std::string id = std::string(first17) + identifiers::id_check_character(first17);
    if (i % 50 == 0) id = id.substr(0, 6) + id.substr(8, 9);
    char date[32];
    switch (i % 4) {
      case 0: std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d); break;
      case 1: std::snprintf(date, sizeof date, "%04d/%d/%d", y, m, d); break;
      case 2: std::snprintf(date, sizeof date, "%04d年%d月%d日", y, m, d); break;
      default: std::snprintf(date, sizeof date, "%04d%02d%02d", y, m, d); break;
    }
    char phone[32];
    switch (i % 3) {
      case 0: std::snprintf(phone, sizeof phone, "13%d%08d", 5 + i % 5, i); break;
      case 1: std::snprintf(phone, sizeof phone, "+86 139 %04d %04d", i / 10000, i % 10000); break;
      default: std::snprintf(phone, sizeof phone, "0571-8%07d", i); break;
    }
    std::string address;
    if (i % 4 == 0) {
      address = std::string(district.code);
    } else {
      address = std::string("杭州市") + kStreets[i % 6] + "文三路" + std::to_string(i % 500) + "号";
    }
    std::snprintf(line, sizeof line, "%s,%s,%s,%s,%s,%s\n", id.c_str(), kNames[i % 8], kGenders[i % 4], date, phone,
                  address.c_str());
    out += line;
  }
  return out;
}

std::string to_gb18030(const std::string& utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  std::string out(utf8.size() * 2, '\0');
  char* in = const_cast<char*>(utf8.data());
  std::size_t in_left = utf8.size();
  char* o = out.data();
  std::size_t o_left = out.size();
  iconv(cd, &in, &in_left, &o, &o_left);
  iconv_close(cd);
  out.resize(out.size() - o_left);
  return out;
}

const std::string& utf8_file() {
  static const std::string f = population_csv();
  return f;
}
const std::string& gb18030_file() {
  static const std::string f = to_gb18030(utf8_file());
  return f;
}

FieldSpec field(std::string name, std::string label, FieldType type, bool required) {
  FieldSpec f;
  f.name = std::move(name);
  f.label = std::move(label);
  f.type = type;
  f.required = required;
  return f;
}

std::vector<FieldSpec> population_fields() {
  auto id = field("id_number", "公民身份号码", FieldType::id_number, true);
  id.key = true;
  auto name = field("name", "姓名", FieldType::string, true);
  name.length = 50;
  auto gender = field("gender", "性别", FieldType::code, true);
  gender.code_table = "gb2261.1";
  return {id, name, gender, field("birth_date", "出生日期", FieldType::date, true),
          field("phone", "联系电话", FieldType::phone, false), field("division", "户籍地址", FieldType::division, false)};
}

void run(benchmark::State& state, const std::string& file, Encoding encoding) {
  CodeTables tables;
  CodeTable sex("gb2261.1");
  sex.add("0", "未知的性别");
  sex.add("1", "男性", std::vector<std::string>{"男"});
  sex.add("2", "女性", std::vector<std::string>{"女"});
  sex.add("9", "未说明的性别");
  tables.add(std::move(sex));
  auto resolver = AddressResolver::from_json(demo::hangzhou_divisions_json());
  if (!resolver) {
    state.SkipWithError("the division tree did not load");
    return;
  }
  const StandardiseContext context{std::chrono::year{2025} / 6 / 1, &tables, &*resolver};
  const auto fields = population_fields();
  ImportOptions options;
  options.encoding = encoding;

  std::uint64_t rows = 0;
  for (auto _ : state) {
    ViewStreambuf buf(file);
    std::istream in(&buf);
    std::uint64_t sum = 0;
    const BatchReport report =
        check_csv(in, fields, context, [&](std::uint64_t, const CheckedRow& row) { sum += row.values[0].text.size(); },
                  options);
    benchmark::DoNotOptimize(sum);
    if (report.failure || report.accepted != static_cast<std::uint64_t>(kRows)) {
      state.SkipWithError(report.failure ? report.failure->c_str()
                                         : report.rejections.empty() ? "rows were lost"
                                                                     : report.rejections.front().reason.c_str());
      return;
    }
    rows += report.accepted;
  }
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.size()));
}

void BM_ImportParseCsvUtf8(benchmark::State& state) {
  run(state, utf8_file(), Encoding::utf8);
}
BENCHMARK(BM_ImportParseCsvUtf8)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_ImportParseCsvGb18030(benchmark::State& state) {
  run(state, gb18030_file(), Encoding::gb18030);
}
BENCHMARK(BM_ImportParseCsvGb18030)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
