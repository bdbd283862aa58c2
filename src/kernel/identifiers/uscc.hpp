// Unified Social Credit Codes (统一社会信用代码), GB 32100-2015 法人和其他组织统一社会信用代码
// 编码规则 (with its 2016 amendment): the structure of the code (代码结构) and its check
// character (校验码).
//
// Eighteen characters from the 31-character set 0-9 A-H J-N P-R T U W-Y (I, O, S, V and Z
// are left out, being easily mistaken for 1, 0, 5, U and 2); a character's value is
// its index in that set. Position 1 is the registering authority (登记管理部门代码),
// 2 the kind of entity it registers (机构类别代码), 3-8 the GB/T 2260 division code of the
// registering office (登记管理机关行政区划码), 9-17 the subject identifier (主体标识码), which
// is the entity's GB 11714 organisation code (组织机构代码), and 18 the check character,
// c = 31 − (Σ value·weight mod 31) with 31 written 0, weights 3^(i−1) mod 31.
//
// The embedded organisation code has its own check character (GB 11714-1997: weights
// 2^(9−i) mod 11 on its first 8 characters, A = 10 … Z = 35, c = 11 − Σ mod 11, 10
// written X and 11 written 0). The credit code's own check is what shows it was typed
// correctly; an organisation code that fails its check inside a credit code that passes
// points at the register that issued it, not at the person typing, and refusing it would
// refuse an entity the register has issued. So a mismatch is a warning carried on the
// value, not a rejection.
//
// Plain values with no I/O; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.hpp"

namespace zhengwu::identifiers {

// The check character for 17 characters of the credit-code set (either case); '\0' when
// `first17` is anything else.
char uscc_check_character(std::string_view first17);

// The GB 11714 check character for the first 8 characters of an organisation code
// (digits and capital letters, either case); '\0' when `first8` is anything else.
char organisation_code_check_character(std::string_view first8);

class Uscc {
 public:
  // Reads an 18-character code; lower-case letters are taken as capitals. Fails with
  // ErrorCode::invalid, field "uscc", for the first of: empty text; a character outside
  // the set ("character 5 'O' is not used in credit codes (I, O, S, V and Z never are)");
  // a length other than 18; a wrong check character ("check character should be 3, not
  // 4"). An organisation code failing its own check, and a division part that is not
  // six digits, are warnings().
  static Result<Uscc> parse(std::string_view text);

  // The 18 characters, upper-case.
  const std::string& value() const { return value_; }

  // Position 1 and its authority: '1' 机构编制, '5' 民政, '9' 工商/市场监管, 'Y' 其他.
  // Codes not named here are not errors; their name is empty.
  char registering_authority() const { return value_[0]; }
  std::string_view registering_authority_name() const;
  // Position 2 and its kind of entity, named for the common authorities: under '9'
  // 企业, 个体工商户, 农民专业合作社; under '1' 机关, 事业单位; under '5' 社会团体,
  // 民办非企业单位, 基金会. Empty for the others.
  char entity_type() const { return value_[1]; }
  std::string_view entity_type_name() const;

  // Positions 3-8, the registering office's division code. Kept as text: offices of the
  // central government write 100000, which is no GB/T 2260 division.
  std::string_view division() const { return std::string_view(value_).substr(2, 6); }
  // Positions 9-17, the GB 11714 organisation code with its own check character.
  std::string_view organisation_code() const { return std::string_view(value_).substr(8, 9); }
  char check_character() const { return value_[17]; }

  // What is doubtful about a code that is nevertheless accepted, in words for a clerk;
  // empty for a clean code.
  const std::vector<std::string>& warnings() const { return warnings_; }

  friend bool operator==(const Uscc& a, const Uscc& b) { return a.value_ == b.value_; }

 private:
  Uscc(std::string value, std::vector<std::string> warnings)
      : value_(std::move(value)), warnings_(std::move(warnings)) {}

  std::string value_;
  std::vector<std::string> warnings_;
};

}  // namespace zhengwu::identifiers
