// Shape and hierarchy of GB/T 2260 division codes and the town and village codes below
// them; see division.hpp for the rules.
#include "kernel/identifiers/division.hpp"

#include <algorithm>

#include "kernel/identifiers/typed_text.hpp"

namespace zhengwu::identifiers {

namespace {

constexpr const char* kField = "division_code";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool all_zero(std::string_view digits) {
  return std::all_of(digits.begin(), digits.end(), [](char c) { return c == '0'; });
}

Error invalid(std::string message) {
  return Error::invalid(kField, std::move(message));
}

}  // namespace

bool is_province_code(std::string_view two_digits) {
  return !province_name(two_digits).empty();
}

std::string_view province_name(std::string_view two_digits) {
  for (const auto& p : kProvinces) {
    if (p.code == two_digits) return p.name;
  }
  return {};
}

std::string_view to_string(DivisionLevel level) {
  switch (level) {
    case DivisionLevel::province:
      return "province";
    case DivisionLevel::prefecture:
      return "prefecture";
    case DivisionLevel::county:
      return "county";
    case DivisionLevel::town:
      return "town";
    case DivisionLevel::village:
      return "village";
  }
  return "county";
}

Result<DivisionCode> DivisionCode::parse(std::string_view text) {
  if (text.empty()) {
    return invalid("is empty; a division code has 6 digits (9 for a town or street, 12 for a village or community)");
  }
  const auto chars = detail::split_characters(text);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    if (chars[i].text.size() != 1 || !is_digit(chars[i].text[0])) {
      return invalid(detail::bad_character_message(i + 1, chars[i], is_digit, "is not a digit"));
    }
  }
  std::string digits(text);
  if (digits.size() == 2) digits += "0000";
  if (digits.size() == 4) digits += "00";
  if (digits.size() != 6 && digits.size() != 9 && digits.size() != 12) {
    return invalid("has " + detail::count_characters(chars.size()) +
                   "; a division code has 6 digits (2 or 4 for a province or prefecture written short), "
                   "9 for a town or street, or 12 for a village or community");
  }
  // A trailing group of zeros is the level above, written long (统计用区划代码 pad every
  // level to twelve digits).
  if (digits.size() == 12 && digits.ends_with("000")) digits.resize(9);
  if (digits.size() == 9 && digits.ends_with("000")) digits.resize(6);

  const std::string_view d = digits;
  if (!is_province_code(d.substr(0, 2))) {
    return invalid("starts with " + std::string(d.substr(0, 2)) + ", which is not a province's code");
  }
  const bool no_prefecture = d.substr(2, 2) == "00";
  const bool no_county = d.substr(4, 2) == "00";
  if (no_prefecture && !no_county) {
    return invalid(digits + " names county " + std::string(d.substr(4, 2)) + " but no prefecture (digits 3-4 are 00)");
  }
  DivisionLevel level = no_prefecture ? DivisionLevel::province
                        : no_county   ? DivisionLevel::prefecture
                                      : DivisionLevel::county;
  if (digits.size() == 12) {
    if (all_zero(d.substr(6, 3))) {
      return invalid(digits + " names village " + std::string(d.substr(9, 3)) + " but no town (digits 7-9 are 000)");
    }
  }
  if (digits.size() >= 9) {
    // A town continues a county's code, or a prefecture's where the prefecture has no
    // counties (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200).
    if (level == DivisionLevel::province) {
      return invalid(digits + " names town " + std::string(d.substr(6, 3)) +
                     " but no county or prefecture (digits 3-6 are 0000)");
    }
    level = DivisionLevel::town;
  }
  if (digits.size() == 12) level = DivisionLevel::village;
  return DivisionCode(std::move(digits), level);
}

std::string_view DivisionCode::significant() const {
  const std::string_view v = value_;
  switch (level_) {
    case DivisionLevel::province:
      return v.substr(0, 2);
    case DivisionLevel::prefecture:
      return v.substr(0, 4);
    case DivisionLevel::county:
      return v.substr(0, 6);
    case DivisionLevel::town:
      return v.substr(0, 9);
    case DivisionLevel::village:
      return v;
  }
  return v;
}

std::optional<DivisionCode> DivisionCode::parent() const {
  const std::string_view v = value_;
  switch (level_) {
    case DivisionLevel::province:
      return std::nullopt;
    case DivisionLevel::prefecture:
      return DivisionCode(std::string(v.substr(0, 2)) + "0000", DivisionLevel::province);
    case DivisionLevel::county:
      return DivisionCode(std::string(v.substr(0, 4)) + "00", DivisionLevel::prefecture);
    case DivisionLevel::town: {
      // 441900003 lies directly in the prefecture 441900, which has no counties.
      const bool under_prefecture = v.substr(4, 2) == "00";
      return DivisionCode(std::string(v.substr(0, 6)),
                          under_prefecture ? DivisionLevel::prefecture : DivisionLevel::county);
    }
    case DivisionLevel::village:
      return DivisionCode(std::string(v.substr(0, 9)), DivisionLevel::town);
  }
  return std::nullopt;
}

bool DivisionCode::is_within(const DivisionCode& other) const {
  return significant().starts_with(other.significant());
}

}  // namespace zhengwu::identifiers
