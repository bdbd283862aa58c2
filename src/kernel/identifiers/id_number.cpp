// Citizen ID numbers, GB 11643-1999 clause 5; see id_number.hpp for the rules.
//
// The checks run in the order a clerk would fix them: what was typed (characters,
// length), then what it says (place, birth date), and the check character last, since a
// wrong check character after a wrong birth date is only a symptom of the same slip.
#include "kernel/identifiers/id_number.hpp"

#include <array>
#include <cassert>
#include <utility>

#include "kernel/identifiers/typed_text.hpp"

namespace zhengwu::identifiers {

using std::chrono::year_month_day;

namespace {

constexpr const char* kField = "id_number";
constexpr std::array<int, 17> kWeights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckCharacters = "10X98765432";  // indexed by Σ mod 11
constexpr int kFirstBirthYear = 1900;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_digit_or_x(char c) {
  return is_digit(c) || c == 'X' || c == 'x';
}
int digit(char c) {
  return c - '0';
}

Error invalid(std::string message) {
  return Error::invalid(kField, std::move(message));
}

// YYYYMMDD as a civil date; the result is !ok() for a date that does not exist.
year_month_day read_date(std::string_view d) {
  int y = 0, m = 0, day = 0;
  for (char c : d.substr(0, 4)) y = y * 10 + digit(c);
  for (char c : d.substr(4, 2)) m = m * 10 + digit(c);
  for (char c : d.substr(6, 2)) day = day * 10 + digit(c);
  return std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} /
         std::chrono::day{static_cast<unsigned>(day)};
}

}  // namespace

char id_check_character(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    if (!is_digit(first17[i])) return '\0';
    sum += digit(first17[i]) * kWeights[i];
  }
  return kCheckCharacters[static_cast<std::size_t>(sum % 11)];
}

Result<IdNumber> IdNumber::parse(std::string_view text, year_month_day today) {
  assert(today.ok());
  if (text.empty()) return invalid("is empty; an ID number has 18 characters (or 15 for an old one)");

  const auto chars = detail::split_characters(text);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    const auto& c = chars[i];
    if (c.text.size() != 1 || !is_digit_or_x(c.text[0])) {
      // Only the 18th character may be X, so only there is X worth suggesting.
      return invalid(
          detail::bad_character_message(i + 1, c, is_digit_or_x, i == 17 ? "is not a digit or X" : "is not a digit"));
    }
  }
  if (chars.size() != 18 && chars.size() != 15) {
    return invalid("has " + detail::count_characters(chars.size()) + "; an ID number has 18 (or 15 for an old one)");
  }
  // Only ASCII is left, so positions are byte offsets from here on.
  const bool old = text.size() == 15;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (is_digit(text[i])) continue;
    if (old) {
      return invalid("character " + std::to_string(i + 1) + " '" + std::string(1, text[i]) +
                     "' cannot be in an old 15-digit number, which has only digits");
    }
    if (i != 17) {
      return invalid("character " + std::to_string(i + 1) + " '" + std::string(1, text[i]) +
                     "' can only be the last character (the check character)");
    }
  }

  // The 15-digit form is the 18-digit one without the century and the check character.
  std::string value = old ? std::string(text.substr(0, 6)) + "19" + std::string(text.substr(6)) : std::string(text);
  if (value.size() == 18 && value[17] == 'x') value[17] = 'X';
  const std::string_view v = value;

  if (!is_province_code(v.substr(0, 2))) {
    return invalid("starts with " + std::string(v.substr(0, 2)) +
                   ", which is not a province's code (the first 6 digits are where the number was issued)");
  }
  if (v.substr(2, 2) == "00" && v.substr(4, 2) != "00") {
    return invalid("the first 6 digits " + std::string(v.substr(0, 6)) + " are not a division code: they name county " +
                   std::string(v.substr(4, 2)) + " but no prefecture (digits 3-4 are 00)");
  }
  auto division = DivisionCode::parse(v.substr(0, 6));
  if (!division) return division.error();

  const std::string_view date_text = v.substr(6, 8);
  const year_month_day birth = read_date(date_text);
  if (!birth.ok()) return invalid("birth date " + std::string(date_text) + " is not a date");
  if (birth > today) return invalid("birth date " + std::string(date_text) + " is in the future");
  if (birth.year() < std::chrono::year{kFirstBirthYear}) {
    return invalid("birth date " + std::string(date_text) + " is before 1900");
  }

  const char expected = id_check_character(v.substr(0, 17));
  if (old) {
    value.push_back(expected);
  } else if (value[17] != expected) {
    return invalid(std::string("check character should be ") + expected + ", not " + value[17]);
  }
  return IdNumber(std::move(value), std::string(text), old, std::move(division.value()), birth);
}

Sex IdNumber::sex() const {
  return digit(value_[16]) % 2 == 1 ? Sex::male : Sex::female;
}

int IdNumber::age_on(year_month_day date) const {
  if (date < birth_date_) return -1;
  int age = static_cast<int>(date.year()) - static_cast<int>(birth_date_.year());
  // Month-day pairs compare as the calendar runs; 28 February comes before 29 February,
  // so a 29 February birthday is reached on 1 March in a common year.
  const auto md = std::pair{static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day())};
  const auto birth_md = std::pair{static_cast<unsigned>(birth_date_.month()), static_cast<unsigned>(birth_date_.day())};
  if (md < birth_md) --age;
  return age;
}

std::string IdNumber::masked() const {
  return value_.substr(0, 6) + std::string(8, '*') + value_.substr(14);
}

}  // namespace zhengwu::identifiers
