// Masking rules; see masking.hpp.
#include "modules/data/masking.hpp"

#include <array>
#include <vector>

namespace zhengwu::data {
namespace {

// The UTF-8 characters of `v` (each as its bytes); malformed bytes count one each.
std::vector<std::string_view> characters(std::string_view v) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < v.size();) {
    const auto c = static_cast<unsigned char>(v[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + n > v.size()) n = 1;
    out.push_back(v.substr(i, n));
    i += n;
  }
  return out;
}

// 复姓 commonly met in registers (百家姓's double surnames).
constexpr std::array<std::string_view, 30> kCompoundSurnames{
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙", "长孙", "宇文", "司徒", "夏侯", "轩辕",
    "端木", "独孤", "南宫", "西门", "呼延", "万俟", "闻人", "澹台", "申屠", "太史", "公冶", "濮阳", "钟离", "宗政", "拓跋"};

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }
bool ends_with(std::string_view text, std::string_view end) {
  return text.size() >= end.size() && text.substr(text.size() - end.size()) == end;
}

bool is_person_name(const FieldSpec& f) {
  return f.name == "name" || ends_with(f.name, "_name") || f.name == "legal_representative" ||
         contains(f.label, "姓名") || contains(f.label, "代表人") || contains(f.label, "联系人");
}

bool is_address(const FieldSpec& f) {
  return f.name == "address" || ends_with(f.name, "_address") || contains(f.label, "地址") ||
         contains(f.label, "住址") || contains(f.label, "住所");
}

std::string keep_ends(std::string_view v, std::size_t head, std::size_t tail) {
  if (v.size() <= head + tail) return std::string(v.size(), '*');
  return std::string(v.substr(0, head)) + std::string(v.size() - head - tail, '*') + std::string(v.substr(v.size() - tail));
}

}  // namespace

bool is_masked_sensitivity(Sensitivity s) { return s == Sensitivity::personal || s == Sensitivity::sensitive; }

std::string mask_id_number(std::string_view v) { return keep_ends(v, 6, 4); }

std::string mask_phone(std::string_view v) {
  if (v.size() >= 8) return keep_ends(v, 3, 4);
  return keep_ends(v, 0, 2);
}

std::string mask_person_name(std::string_view v) {
  const auto chars = characters(v);
  if (chars.empty()) return "";
  std::size_t keep = 1;
  if (chars.size() > 2)
    for (auto s : kCompoundSurnames)
      if (v.substr(0, s.size()) == s) keep = 2;
  std::string out;
  for (std::size_t i = 0; i < chars.size(); ++i) out += i < keep ? std::string(chars[i]) : std::string("*");
  return out;
}

std::string mask_address(std::string_view v) {
  // The first street-level unit ends the part that stays.
  std::size_t cut = std::string_view::npos;
  for (std::string_view unit : {"街道", "镇", "乡"})
    if (auto at = v.find(unit); at != std::string_view::npos && (cut == std::string_view::npos || at + unit.size() < cut))
      cut = at + unit.size();
  if (cut == std::string_view::npos)
    for (std::string_view unit : {"区", "县"})
      if (auto at = v.find(unit); at != std::string_view::npos && (cut == std::string_view::npos || at + unit.size() < cut))
        cut = at + unit.size();
  if (cut == std::string_view::npos) return "****";
  return std::string(v.substr(0, cut)) + (cut < v.size() ? "****" : "");
}

std::string mask_value(const FieldSpec& field, std::string_view value) {
  switch (field.type) {
    case FieldType::id_number: return mask_id_number(value);
    case FieldType::phone: return mask_phone(value);
    case FieldType::uscc: return keep_ends(value, 8, 1);
    case FieldType::date:
      return value.size() >= 4 ? std::string(value.substr(0, 4)) + "-**-**" : std::string("***");
    case FieldType::datetime:
      return value.size() >= 4 ? std::string(value.substr(0, 4)) + "-**-**T**:**:**" : std::string("***");
    case FieldType::string:
      if (is_person_name(field)) return mask_person_name(value);
      if (is_address(field)) return mask_address(value);
      return "***";
    default: return "***";
  }
}

}  // namespace zhengwu::data
