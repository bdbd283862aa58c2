// Unified Social Credit Codes, GB 32100-2015, and the GB 11714 organisation code inside
// them; see uscc.hpp for the rules.
#include "kernel/identifiers/uscc.hpp"

#include <array>

#include "kernel/identifiers/typed_text.hpp"

namespace zhengwu::identifiers {

namespace {

constexpr const char* kField = "uscc";
constexpr std::string_view kCharacters = "0123456789ABCDEFGHJKLMNPQRTUWXY";
// 3^(i-1) mod 31 for positions 1..17.
constexpr std::array<int, 17> kWeights{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
// 2^(9-i) mod 11 for the organisation code's positions 1..8 (GB 11714).
constexpr std::array<int, 8> kOrganisationWeights{3, 7, 9, 10, 5, 8, 4, 2};

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
// The value of a credit-code character, or -1 for one outside the set.
int value_of(char c) {
  const auto at = kCharacters.find(upper(c));
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}
bool in_set(char c) {
  return value_of(c) >= 0;
}
bool is_never_used_letter(char c) {
  const char u = upper(c);
  return u == 'I' || u == 'O' || u == 'S' || u == 'V' || u == 'Z';
}

Error invalid(std::string message) {
  return Error::invalid(kField, std::move(message));
}

struct EntityType {
  char authority;
  char type;
  std::string_view name;
};
constexpr std::array<EntityType, 8> kEntityTypes{{
    {'1', '1', "机关"},
    {'1', '2', "事业单位"},
    {'5', '1', "社会团体"},
    {'5', '2', "民办非企业单位"},
    {'5', '3', "基金会"},
    {'9', '1', "企业"},
    {'9', '2', "个体工商户"},
    {'9', '3', "农民专业合作社"},
}};

}  // namespace

char uscc_check_character(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const int v = value_of(first17[i]);
    if (v < 0) return '\0';
    sum += v * kWeights[i];
  }
  const int c = 31 - sum % 31;
  return kCharacters[static_cast<std::size_t>(c == 31 ? 0 : c)];
}

char organisation_code_check_character(std::string_view first8) {
  if (first8.size() != 8) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const char c = upper(first8[i]);
    int v = 0;
    if (is_digit(c)) {
      v = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      v = c - 'A' + 10;
    } else {
      return '\0';
    }
    sum += v * kOrganisationWeights[i];
  }
  const int c = 11 - sum % 11;
  if (c == 10) return 'X';
  if (c == 11) return '0';
  return static_cast<char>('0' + c);
}

Result<Uscc> Uscc::parse(std::string_view text) {
  if (text.empty()) return invalid("is empty; a credit code has 18 characters");

  const auto chars = detail::split_characters(text);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    const auto& c = chars[i];
    if (c.text.size() == 1 && in_set(c.text[0])) continue;
    // A full-width Ｏ is as wrong as an O, and for the same reason.
    const auto full_width = detail::ascii_for_full_width(c);
    if (c.text.size() == 1 && is_never_used_letter(c.text[0])) {
      return invalid("character " + std::to_string(i + 1) + " '" + std::string(1, upper(c.text[0])) +
                     "' is not used in credit codes (I, O, S, V and Z never are)");
    }
    if (full_width && is_never_used_letter(*full_width)) {
      return invalid("character " + std::to_string(i + 1) + " " + detail::quote(c) +
                     " is not used in credit codes (I, O, S, V and Z never are)");
    }
    return invalid(detail::bad_character_message(
        i + 1, c, in_set, "is not used in credit codes, which have only digits and capital letters"));
  }
  if (chars.size() != 18) {
    return invalid("has " + detail::count_characters(chars.size()) + "; a credit code has 18");
  }

  std::string value(text);
  for (char& c : value) c = upper(c);

  const char expected = uscc_check_character(std::string_view(value).substr(0, 17));
  if (value[17] != expected) {
    return invalid(std::string("check character should be ") + expected + ", not " + value[17]);
  }

  std::vector<std::string> warnings;
  const std::string_view v = value;
  const std::string_view division = v.substr(2, 6);
  for (char c : division) {
    if (!is_digit(c)) {
      warnings.push_back("characters 3-8 '" + std::string(division) +
                         "' should be the registering office's division code, six digits");
      break;
    }
  }
  const std::string_view organisation = v.substr(8, 9);
  const char organisation_check = organisation_code_check_character(organisation.substr(0, 8));
  if (organisation[8] != organisation_check) {
    warnings.push_back("the organisation code " + std::string(organisation) + " (characters 9-17) ends in " +
                       organisation[8] + " where its own check (GB 11714) gives " + organisation_check +
                       "; the credit code itself checks out");
  }
  return Uscc(std::move(value), std::move(warnings));
}

std::string_view Uscc::registering_authority_name() const {
  switch (registering_authority()) {
    case '1':
      return "机构编制";
    case '5':
      return "民政";
    case '9':
      return "工商/市场监管";
    case 'Y':
      return "其他";
    default:
      return {};
  }
}

std::string_view Uscc::entity_type_name() const {
  for (const auto& t : kEntityTypes) {
    if (t.authority == registering_authority() && t.type == entity_type()) return t.name;
  }
  return {};
}

}  // namespace zhengwu::identifiers
