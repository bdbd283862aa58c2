// Standardisation of imported values (归集 数据标准化): one raw text value of a catalog
// field (信息项, catalog_spec.hpp) becomes its canonical text, or a short reason a clerk
// can act on ("date 2024-02-30 does not exist", "check character should be 7, not 3").
//
// Every type is first trimmed of spaces at both ends: ASCII white space, the no-break
// space U+00A0, the ideographic space U+3000 and a stray U+FEFF. All types but `string`
// then have their full-width forms (U+FF01..U+FF5E, U+3000) read as ASCII, the slip of a
// Chinese input method: "２０２４－０３－０５" is a date. A `string` keeps them, since
// full-width punctuation (，（）) is correct Chinese text.
//
// Canonical forms and what is accepted, per FieldType:
//   string     the trimmed text; at most FieldSpec::length characters (code points).
//   integer    [+-]digits, optionally grouped by thousands ("1,234,567": groups of exactly
//              three after the first, so "1,23" is refused, not guessed at); the int64 range.
//              A zero fraction is allowed, as spreadsheets write it: "12.0" → "12"; "12.5"
//              is refused. Canonical: no sign for positives, no leading zeros: "-1234".
//   decimal    [+-]digits[.digits], thousands grouped as for integers; no exponent
//              ("1e5" is refused: write it out); at most 38 significant digits (integer
//              digits plus the fraction without its trailing zeros). Canonical: no leading
//              zeros, no trailing fraction zeros, no "-0": "1,234.50" → "1234.5", ".5" → "0.5".
//   date       2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日 → "2024-03-05"; the
//              date must exist (a four-digit year, 0001-9999).
//   datetime   any of those dates, then a space or T, then H:MM or HH:MM:SS (a fraction of a
//              second is dropped: the canonical form is to the second), then optionally Z or
//              an offset ±HH, ±HHMM, ±HH:MM (at most 14:00) → "2024-03-05T14:30:00" and the
//              offset as given, written "+08:00" or "Z". A date alone is refused (no time).
//   boolean    true/false, 1/0, y/n, yes/no (any case), 是/否 → "true" / "false".
//   code       a value of the field's code table, or one of its labels or aliases
//              (ASCII case ignored) → the value: 男 → "1" in GB/T 2261.1. A label, an
//              alias or the value in another case is a "mapping", counted for the report.
//   id_number  identifiers::IdNumber::parse (GB 11643): 18 characters, X upper-case; a
//              15-digit number is converted, and said so (ValueNote::converted_from_15).
//   uscc       identifiers::Uscc::parse (GB 32100), upper-case; a GB 11714 warning is
//              carried in `warning`, the value is accepted.
//   division   identifiers::DivisionCode::parse (GB/T 2260, 6/9/12 digits, canonical);
//              when the context has an AddressResolver, text that is not digits is read
//              as an address and the most specific division it names is taken
//              (ValueNote::address_resolved).
//   phone      mobile: 11 digits 1[3-9]xxxxxxxxx, after dropping spaces, dashes and a
//              +86 / 0086 / 86 prefix → "13812345678". Landline: area code (010 and 02x
//              are three digits with the 0, all others four) and a local number of 7 or 8
//              digits not starting 0 or 1, written 0571-87654321, (0571)87654321,
//              0571 87654321, 057187654321 or +86 571 87654321 → "0571-87654321".
//              Extensions are kept: "0571-87654321-123", "…转123", "…ext 123", "…#123"
//              → "0571-87654321-123" (1-6 digits); a mobile number with one is refused.
//              Refused: numbers of other countries (+44 …), a landline without its area
//              code (it cannot be dialled from elsewhere), and service numbers (95588,
//              400-…), which are nobody's personal contact number.
//   geo_point  "longitude,latitude" (DOMAIN.md: stored in WGS-84; the frame is the
//              field's, not checked here), longitude -180..180, latitude -90..90, each
//              rounded half away from zero to at most 7 decimals (about 1 cm), trailing
//              zeros dropped → "120.1551,30.2741". When the second number cannot be a
//              latitude but the first can, the reason says to write longitude first.
// A value that is empty after trimming is accepted as empty (no value) unless the field
// is required or part of the key: then "is required".
//
// Everything here is pure and const: share a context, its code tables and its address
// resolver between threads; each thread uses its own StandardisedValue.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kernel/identifiers/division.hpp"
#include "kernel/result.hpp"
#include "modules/data/catalog_spec.hpp"

namespace zhengwu::data {

// Text without the spaces described above at either end.
std::string_view trim_spaces(std::string_view text);
// `text` with U+FF01..U+FF5E as their ASCII characters and U+3000 as a space, into `out`
// (cleared first).
void fold_full_width(std::string_view text, std::string& out);
// Characters (code points) of UTF-8 text.
std::size_t count_characters(std::string_view utf8);

// A code table (代码表) prepared for lookups on import: built once per import from the
// catalog's values, labels and aliases, then read concurrently.
class CodeTable {
 public:
  explicit CodeTable(std::string code);

  // Adds a value with its label and the other spellings that mean it. Spellings are
  // trimmed and have full-width forms folded; ASCII case does not matter in lookups.
  // A value always wins over a label or alias spelled the same, a label over an alias;
  // otherwise the first added wins.
  void add(std::string_view value, std::string_view label, std::span<const std::string> aliases = {});

  struct Match {
    std::string_view value;
    bool mapped = false;  // the text was not the value itself (a label, alias or other case)
  };
  // The value `text` spells, if any. `text` must already be trimmed and folded.
  std::optional<Match> find(std::string_view text) const;

  const std::string& code() const { return code_; }
  std::size_t size() const { return values_.size(); }
  // "0 未知的性别, 1 男性, 2 女性, 9 未说明的性别", at most the first 12 values, for messages.
  const std::string& summary() const { return summary_; }

 private:
  struct FoldHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const;
  };
  struct FoldEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };
  struct Entry {
    std::uint32_t value = 0;
    std::uint8_t rank = 0;  // 0 value, 1 label, 2 alias
  };
  void index(std::string_view spelling, std::uint32_t value, std::uint8_t rank);

  std::string code_;
  std::vector<std::string> values_;
  std::unordered_map<std::string, Entry, FoldHash, FoldEqual> index_;
  std::string summary_;
};

// The code tables of one import, by table code (FieldSpec::code_table).
class CodeTables {
 public:
  void add(CodeTable table);
  const CodeTable* find(std::string_view code) const;

 private:
  std::vector<CodeTable> tables_;
};

// Free-text addresses to GB/T 2260 divisions (地址 → 行政区划代码), built once from a
// city's division tree and read concurrently.
class AddressResolver {
 public:
  struct Division {
    std::string code;  // 330100, 330106, 330106001
    std::string name;  // 杭州市, 西湖区, 北山街道
    identifiers::DivisionLevel level = identifiers::DivisionLevel::county;
  };

  // Reads the shape of share/divisions/330100.json (demo::hangzhou_divisions_json()):
  // {"code", "name", "districts": [{"code", "name", "streets": [{"code", "name"}]}]}.
  // Fails with ErrorCode::invalid naming the first bad member.
  static Result<AddressResolver> from_json(std::string_view json);

  // The most specific division the address names by its full name: a street or town
  // (9 digits) if one is named, else a district or county, else the city ("杭州市" or
  // "杭州"); nullptr when it names none. When both a district and a street are named and
  // the street is not in that district, the district is taken: which of the two is wrong
  // cannot be told, and the district is the safer, coarser answer. Short names (西湖 for
  // 西湖区, 北山 for 北山街道) are not matched: too many places share them.
  const Division* resolve(std::string_view address) const;

  const std::vector<Division>& divisions() const { return divisions_; }

 private:
  struct Name {
    std::string text;
    std::uint32_t division;
  };
  std::vector<Division> divisions_;
  std::vector<Name> names_;  // longest first within each first character
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> by_first_character_;
};

struct StandardiseContext {
  // The local date, for "a birth date is not in the future" (ID numbers). Required.
  std::chrono::year_month_day today;
  const CodeTables* code_tables = nullptr;     // for code fields
  const AddressResolver* addresses = nullptr;  // when set, division fields take addresses
};

enum class ValueNote : std::uint8_t { none, converted_from_15, code_mapped, address_resolved };

// The outcome for one value. Reuse one per field and thread: its strings keep their
// capacity, so standardising allocates nothing in the common case.
struct StandardisedValue {
  std::string text;     // the canonical text; empty for an empty optional value
  std::string reason;   // why it was refused; empty when accepted
  std::string warning;  // accepted with a doubt (a USCC whose GB 11714 part fails)
  ValueNote note = ValueNote::none;
  std::string scratch;  // working space

  bool ok() const { return reason.empty(); }
};

// Standardises `raw` for `field` into `out` (every member overwritten). The code table
// of a code field is looked up in the context.
void standardise(const FieldSpec& field, std::string_view raw, const StandardiseContext& context,
                 StandardisedValue& out);
// The same, with the code table already found (nullptr for a field that is not a code).
void standardise(const FieldSpec& field, const CodeTable* table, std::string_view raw,
                 const StandardiseContext& context, StandardisedValue& out);
// Convenience for tests and single values.
StandardisedValue standardise(const FieldSpec& field, std::string_view raw, const StandardiseContext& context);

}  // namespace zhengwu::data
