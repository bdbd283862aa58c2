// The demo's records; see demo_records.hpp.
#include "modules/data/demo_records.hpp"

#include <array>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/identifiers/id_number.hpp"
#include "kernel/identifiers/uscc.hpp"

namespace zhengwu::data {
namespace {

// A small deterministic generator (64-bit LCG, Knuth's constants): the demo is the same
// on every machine.
class DemoDice {
 public:
  explicit DemoDice(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& from) { return from[static_cast<std::size_t>(below(static_cast<int>(N)))]; }

 private:
  std::uint64_t state_;
};

struct District {
  const char* code;
  const char* name;
  std::array<const char*, 3> streets;
};

constexpr std::array<District, 6> kDistricts{{
    {"330102", "上城区", {"清波街道", "湖滨街道", "小营街道"}},
    {"330105", "拱墅区", {"米市巷街道", "湖墅街道", "小河街道"}},
    {"330106", "西湖区", {"北山街道", "西溪街道", "灵隐街道"}},
    {"330108", "滨江区", {"西兴街道", "长河街道", "浦沿街道"}},
    {"330109", "萧山区", {"城厢街道", "北干街道", "新塘街道"}},
    {"330110", "余杭区", {"仓前街道", "五常街道", "闲林街道"}},
}};
constexpr std::array<const char*, 20> kSurnames{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                                "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "欧阳"};
constexpr std::array<const char*, 24> kGiven{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
                                             "杰", "娟", "涛", "明", "超", "秀英", "华", "慧", "建国", "晓燕", "子涵", "浩然"};
constexpr std::array<const char*, 8> kRoads{"文三路", "教工路", "天目山路", "延安路", "江南大道", "市心路", "文一西路", "莫干山路"};
constexpr std::array<const char*, 10> kTrades{"数智科技", "信息技术", "餐饮管理", "建筑工程", "文化传媒",
                                              "生物医药", "电子商务", "物流", "新材料", "环保科技"};

struct Person {
  std::string id_number, name, birth_date, division, address, phone;
  bool male = true;
};

struct Enterprise {
  std::string uscc, name, representative, capital, established_on, division;
};

std::string two(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string id_number_of(const std::string& division, int year, int month, int day, int sequence) {
  std::string first17 = division + std::to_string(year) + two(month) + two(day);
  const std::string seq = std::to_string(sequence);
  first17 += std::string(3 - seq.size(), '0') + seq;
  return first17 + identifiers::id_check_character(first17);
}

std::vector<Person> demo_people(DemoDice& dice) {
  std::vector<Person> people;
  // The demo accounts' own records first: 张三 and 李四 sign in as citizens and see who read them.
  people.push_back({"330106198805121237", "张三", "1988-05-12", "330106", "杭州市西湖区北山街道保俶路12号",
                    "13905710001", true});
  people.push_back({"330102199003082343", "李四", "1990-03-08", "330102", "杭州市上城区清波街道南山路88号",
                    "13905710002", false});
  people.push_back({"330106197506142519", "王建华", "1975-06-14", "330106", "杭州市西湖区西溪街道文三路166号",
                    "13905710003", true});
  for (int i = 0; i < 297; ++i) {
    const District& d = dice.pick(kDistricts);
    const int year = 1950 + dice.below(56), month = 1 + dice.below(12), day = 1 + dice.below(28);
    const bool male = dice.below(2) == 0;
    const int sequence = 100 + 2 * dice.below(400) + (male ? 1 : 0);  // the 17th digit is odd for men
    Person p;
    p.id_number = id_number_of(d.code, year, month, day, sequence);
    p.name = std::string(dice.pick(kSurnames)) + dice.pick(kGiven);
    p.birth_date = std::to_string(year) + "-" + two(month) + "-" + two(day);
    p.division = d.code;
    p.address = std::string("杭州市") + d.name + dice.pick(d.streets) + dice.pick(kRoads) + std::to_string(1 + dice.below(300)) + "号";
    p.phone = "13" + std::to_string(5 + dice.below(5)) + std::to_string(10000000 + dice.below(89999999));
    p.male = male;
    people.push_back(std::move(p));
  }
  return people;
}

std::string uscc_of(const std::string& division, DemoDice& dice) {
  static constexpr std::string_view kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string org = "MA2";
  for (int i = 0; i < 5; ++i) org += kChars[static_cast<std::size_t>(dice.below(static_cast<int>(kChars.size())))];
  org += identifiers::organisation_code_check_character(org);
  std::string first17 = "91" + division + org;
  return first17 + identifiers::uscc_check_character(first17);
}

std::vector<Enterprise> demo_enterprises(DemoDice& dice, const std::vector<Person>& people) {
  std::vector<Enterprise> out;
  out.push_back({"91330106MA2H7K3T56", "杭州西湖数智科技有限公司", "王建华", "500", "2019-04-18", "330106"});
  for (int i = 0; i < 39; ++i) {
    const District& d = dice.pick(kDistricts);
    std::string district = d.name;
    Enterprise e;
    e.uscc = uscc_of(d.code, dice);
    e.name = "杭州" + district.substr(0, district.size() - 3) + dice.pick(kTrades) + (i % 3 ? "有限公司" : "股份有限公司");
    e.representative = people[static_cast<std::size_t>(3 + dice.below(static_cast<int>(people.size()) - 3))].name;
    e.capital = std::to_string(10 + dice.below(5000)) + "." + two(dice.below(100));
    e.established_on = std::to_string(1995 + dice.below(31)) + "-" + two(1 + dice.below(12)) + "-" + two(1 + dice.below(28));
    e.division = d.code;
    out.push_back(std::move(e));
  }
  return out;
}

// CSV text: the demo values hold no comma, quote or line break (the generator's own
// alphabet), so no quoting is needed.
void write_csv(const std::filesystem::path& path, const std::string& header, const std::vector<std::string>& rows) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << header << "\n";
  for (const auto& r : rows) out << r << "\n";
  if (!out) throw std::runtime_error("demo records: cannot write " + path.string());
}

void import_file(ImportRunner& runner, const std::string& resource, const std::filesystem::path& path) {
  ImportRequest request;
  request.resource_code = resource;
  request.file_path = path.string();
  request.actor = "demo";
  auto batch = runner.run(request);
  if (!batch) throw std::runtime_error("demo records: " + resource + ": " + batch.error().message);
  if (batch->rejected != 0)
    throw std::runtime_error("demo records: " + resource + ": " + std::to_string(batch->rejected) + " rows refused");
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

}  // namespace

void seed_demo_records(ImportRunner& runner, const std::filesystem::path& scratch) {
  std::filesystem::create_directories(scratch);
  DemoDice dice(20261204);
  const auto people = demo_people(dice);
  const auto enterprises = demo_enterprises(dice, people);

  std::vector<std::string> rows;
  for (const auto& p : people)
    rows.push_back(p.id_number + "," + p.name + "," + (p.male ? "男" : "女") + "," + p.birth_date + "," + p.division +
                   "," + p.address + "," + p.phone);
  write_csv(scratch / "demo-population.csv", "id_number,name,gender,birth_date,household_division,address,phone", rows);
  import_file(runner, "gaj.population", scratch / "demo-population.csv");

  rows.clear();
  for (const auto& e : enterprises)
    rows.push_back(e.uscc + "," + e.name + "," + e.representative + "," + e.capital + "," + e.established_on + "," +
                   e.division);
  write_csv(scratch / "demo-enterprise.csv", "uscc,name,legal_representative,registered_capital,established_on,division",
            rows);
  import_file(runner, "scjgj.enterprise", scratch / "demo-enterprise.csv");

  // Most working-age residents (the names in 社保 are 公安's to write, 一数一源: 人社 sends
  // the key and its own fields only) are insured and pay into the provident fund, at one of the
  // demo enterprises.
  std::vector<std::string> insured, deposits;
  for (std::size_t i = 0; i < people.size(); ++i) {
    const auto& p = people[i];
    const int born = std::stoi(p.birth_date.substr(0, 4));
    if (born > 2004 || (i > 2 && dice.below(10) < 2)) continue;
    const auto& employer = enterprises[i < 3 ? 0 : static_cast<std::size_t>(dice.below(static_cast<int>(enterprises.size())))];
    const int base = 4000 + dice.below(26000);
    insured.push_back(p.id_number + "," + std::to_string(std::max(born + 22, 2000)) + "-" +
                      two(1 + dice.below(12)) + "-01," + (born < 1961 ? "false" : "true") + "," + std::to_string(base) +
                      ".00," + employer.uscc);
    if (born < 1961 || dice.below(10) < 3) continue;
    deposits.push_back(p.id_number + "," + (dice.below(10) ? "正常" : "封存") + "," + std::to_string(base * 24 / 100) +
                       ".00,2026-11-01," + employer.uscc);
  }
  write_csv(scratch / "demo-social-insurance.csv",
            "id_number,insured_since,insured,contribution_base,employer_uscc", insured);
  import_file(runner, "rsj.social_insurance", scratch / "demo-social-insurance.csv");
  write_csv(scratch / "demo-deposit.csv", "id_number,account_state,monthly_amount,last_paid_month,employer_uscc",
            deposits);
  import_file(runner, "gjj.deposit", scratch / "demo-deposit.csv");
}

}  // namespace zhengwu::data
