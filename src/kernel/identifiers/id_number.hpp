// Citizen ID numbers (公民身份号码), GB 11643-1999 clause 5, 号码的结构和表示形式.
//
// Eighteen characters: the six-digit GB/T 2260 division code of the place of first
// registration (地址码), the birth date YYYYMMDD (出生日期码), a three-digit sequence
// (顺序码: odd for men, even for women) and a check character computed from the first
// seventeen digits by ISO 7064 MOD 11-2 (校验码; weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
// r = Σ mod 11, check = "10X98765432"[r]). The check can be 10, written X; a lower-case x
// is read as X. Numbers issued before 1999 had fifteen digits (a two-digit year in the
// 1900s and no check character); they still turn up in legacy data and are converted
// here, and the value records that it was.
//
// A number that parses is well formed, not proven to exist: only the Ministry of Public
// Security's register can say that. The masked form follows the platform's default for
// personal information (first 6 and last 4 characters kept, DOMAIN.md).
//
// Plain values with no I/O; safe to share between threads.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "kernel/identifiers/division.hpp"
#include "kernel/result.hpp"

namespace zhengwu::identifiers {

// Sex as an ID number gives it, with the GB/T 2261.1 codes as values (an ID number never
// gives 0 "unknown" or 9 "unstated").
enum class Sex { male = 1, female = 2 };
inline int gb2261_code(Sex sex) {
  return static_cast<int>(sex);
}

// The check character for 17 ASCII digits; '\0' when `first17` is anything else.
char id_check_character(std::string_view first17);

class IdNumber {
 public:
  // Reads an 18-character number, or a 15-digit one which is converted. `today` is the
  // local date in the platform's time zone (TimeZone::local_date(clock.now())), passed
  // in so the "not in the future" rule is testable. Surrounding spaces are not removed.
  //
  // Fails with ErrorCode::invalid, field "id_number", and a message a clerk can act on,
  // for the first of: empty text; a character other than a digit (or X/x as the 18th);
  // a length other than 18 or 15; first two digits that are not a province's code; a
  // birth date that is not a date, is after `today` or is before 1900; a wrong check
  // character ("check character should be 7, not 3").
  static Result<IdNumber> parse(std::string_view text, std::chrono::year_month_day today);

  // The 18 characters, upper-case X (converted when the input had 15 digits).
  const std::string& value() const { return value_; }
  // The text as given.
  const std::string& original() const { return original_; }
  bool converted_from_15() const { return converted_from_15_; }

  // Where the number was first issued. This is the code in force at the time and may
  // since have been renamed or merged away.
  const DivisionCode& division() const { return division_; }
  std::chrono::year_month_day birth_date() const { return birth_date_; }
  // The three-digit sequence (顺序码).
  std::string_view sequence() const { return std::string_view(value_).substr(14, 3); }
  Sex sex() const;
  char check_character() const { return value_[17]; }

  // Age in whole years on `date` (周岁): it goes up on the birthday, and for someone born
  // on 29 February on 1 March of a common year. -1 for a date before the birth date.
  // Criminal law counts an age from the day after the birthday (最高人民法院 interpretation
  // on juvenile criminal cases, Art. 2): pass the day before for that reading.
  int age_on(std::chrono::year_month_day date) const;

  // "110105********002X": the first 6 and the last 4 characters kept.
  std::string masked() const;

  friend bool operator==(const IdNumber& a, const IdNumber& b) { return a.value_ == b.value_; }

 private:
  IdNumber(std::string value, std::string original, bool converted, DivisionCode division,
           std::chrono::year_month_day birth_date)
      : value_(std::move(value)),
        original_(std::move(original)),
        converted_from_15_(converted),
        division_(std::move(division)),
        birth_date_(birth_date) {}

  std::string value_;
  std::string original_;
  bool converted_from_15_ = false;
  DivisionCode division_;
  std::chrono::year_month_day birth_date_;
};

}  // namespace zhengwu::identifiers
