// Masking of personal values (脱敏) on the exchange, per DOMAIN.md "Personal-information
// protection" (our default conventions):
//   - ID number (id_number): the first 6 and the last 4 stay (110105********002X);
//   - mobile number (phone): 3 + 4 (138****5678); other numbers keep the first 3 and the
//     last 4 characters the same way when long enough, else only the last 2;
//   - a person's name (a string field named `name` or `*_name`, or labelled 姓名 / 代表人 /
//     联系人): the surname stays, one `*` per further character (张*, 欧阳**), compound
//     surnames (复姓) kept whole;
//   - an address (a string field named `address` or `*_address`, or labelled 地址 / 住址 /
//     住所): everything down to the street (街道, 镇, 乡) stays, the rest becomes `****`;
//     without a street, down to the district or county (区, 县);
//   - a date: the year stays (1988-**-**); a datetime likewise;
//   - a USCC: the registering authority, category and division (first 8) and the check
//     character stay;
//   - anything else (numbers, booleans, codes, other text): withheld as `***`.
// Only personal and sensitive fields are masked, and only when the grant does not give
// them in clear. A masked value is always a JSON string, whatever the field's type.
#pragma once

#include <string>
#include <string_view>

#include "modules/data/catalog_spec.hpp"

namespace zhengwu::data {

// Whether the field is masked for a consumer without it in clear.
bool is_masked_sensitivity(Sensitivity s);

// `value` is the stored canonical text of `field`.
std::string mask_value(const FieldSpec& field, std::string_view value);

// The single rules, for tests and other callers.
std::string mask_id_number(std::string_view v);
std::string mask_phone(std::string_view v);
std::string mask_person_name(std::string_view v);
std::string mask_address(std::string_view v);

}  // namespace zhengwu::data
