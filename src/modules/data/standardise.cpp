// Standardisation of imported values; see standardise.hpp for every rule.
//
// Written for the import's hot path: values are read as string_views, canonical text is
// written into the caller's reused strings, formats are read by hand (no regex), and a
// refusal is a value, never an exception. Strings are allocated only to word a refusal.
#include "modules/data/standardise.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "kernel/identifiers/id_number.hpp"
#include "kernel/identifiers/uscc.hpp"

namespace zhengwu::data {

namespace {

using identifiers::DivisionLevel;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}
bool has_non_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}
std::size_t utf8_length(unsigned char lead) {
  return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// The value as a message quotes it: at most 40 characters.
std::string quoted(std::string_view s) {
  std::size_t i = 0;
  for (std::size_t chars = 0; i < s.size() && chars < 40; ++chars) {
    i = std::min(s.size(), i + utf8_length(static_cast<unsigned char>(s[i])));
  }
  std::string out = "'";
  out.append(s.substr(0, i));
  if (i < s.size()) out += "...";
  out += '\'';
  return out;
}

void append_padded(std::string& out, int value, int width) {
  char buf[12];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  for (int n = static_cast<int>(end - buf); n < width; ++n) out += '0';
  out.append(buf, end);
}

// The text a structured type reads: trimmed, full-width forms folded.
std::string_view clean_text(std::string_view raw, std::string& scratch) {
  const std::string_view t = trim_spaces(raw);
  if (!has_non_ascii(t)) return t;
  fold_full_width(t, scratch);
  return trim_spaces(scratch);
}

// --- dates and times ---------------------------------------------------------------

struct Civil {
  int y = 0, m = 0, d = 0;
};

// Up to `max` digits from s[i]; the count read.
std::size_t read_digits(std::string_view s, std::size_t i, std::size_t max, int& value) {
  std::size_t n = 0;
  value = 0;
  while (i + n < s.size() && n < max && is_digit(s[i + n])) {
    value = value * 10 + (s[i + n] - '0');
    ++n;
  }
  return n;
}

// A date at the start of `s` in one of the accepted forms; the bytes it takes, 0 for none.
std::size_t read_date(std::string_view s, Civil& c) {
  int y = 0, m = 0, d = 0;
  if (read_digits(s, 0, 4, y) != 4) return 0;
  if (read_digits(s, 4, 2, m) == 2 && read_digits(s, 6, 2, d) == 2 && (s.size() == 8 || !is_digit(s[8]))) {
    c = {y, m, d};  // 20240305
    return 8;
  }
  std::size_t i = 4;
  constexpr std::string_view kYear = "年", kMonth = "月", kDay = "日";
  if (s.substr(i).starts_with(kYear)) {
    i += kYear.size();
    std::size_t n = read_digits(s, i, 2, m);
    if (n == 0 || !s.substr(i + n).starts_with(kMonth)) return 0;
    i += n + kMonth.size();
    n = read_digits(s, i, 2, d);
    if (n == 0 || !s.substr(i + n).starts_with(kDay)) return 0;
    c = {y, m, d};
    return i + n + kDay.size();
  }
  if (i >= s.size()) return 0;
  const char sep = s[i];
  if (sep != '-' && sep != '/' && sep != '.') return 0;
  std::size_t n = read_digits(s, ++i, 2, m);
  if (n == 0) return 0;
  i += n;
  if (i >= s.size() || s[i] != sep) return 0;
  n = read_digits(s, ++i, 2, d);
  if (n == 0) return 0;
  c = {y, m, d};
  return i + n;
}

bool date_exists(const Civil& c) {
  if (c.y < 1 || c.m < 1 || c.m > 12 || c.d < 1) return false;
  const std::chrono::year_month_day ymd{std::chrono::year{c.y}, std::chrono::month{static_cast<unsigned>(c.m)},
                                        std::chrono::day{static_cast<unsigned>(c.d)}};
  return ymd.ok();
}

void append_date(std::string& out, const Civil& c) {
  append_padded(out, c.y, 4);
  out += '-';
  append_padded(out, c.m, 2);
  out += '-';
  append_padded(out, c.d, 2);
}

bool standardise_date(std::string_view s, std::string& out, std::string& reason) {
  Civil c;
  const std::size_t n = read_date(s, c);
  if (n == 0 || n != s.size()) {
    reason = quoted(s) + " is not a date; write it as 2024-03-05";
    return false;
  }
  out.clear();
  append_date(out, c);
  if (!date_exists(c)) {
    reason = "date " + out + " does not exist";
    out.clear();
    return false;
  }
  return true;
}

bool standardise_datetime(std::string_view s, std::string& out, std::string& reason) {
  const auto bad = [&] {
    reason = quoted(s) + " is not a date and time; write it as 2024-03-05 14:30:00 or 2024-03-05T14:30:00+08:00";
    return false;
  };
  Civil c;
  std::size_t i = read_date(s, c);
  if (i == 0) return bad();
  out.clear();
  append_date(out, c);
  if (!date_exists(c)) {
    reason = "date " + out + " does not exist";
    out.clear();
    return false;
  }
  if (i == s.size()) {
    reason = quoted(s) + " has no time; write it as " + out + " 14:30:00";
    out.clear();
    return false;
  }
  if (s[i] == 'T' || s[i] == 't') {
    ++i;
  } else if (s[i] == ' ') {
    while (i < s.size() && s[i] == ' ') ++i;
  } else {
    return bad();
  }
  int h = 0, m = 0, sec = 0;
  std::size_t n = read_digits(s, i, 2, h);
  if (n == 0 || i + n >= s.size() || s[i + n] != ':') return bad();
  i += n + 1;
  if (read_digits(s, i, 2, m) != 2) return bad();
  i += 2;
  if (i < s.size() && s[i] == ':') {
    if (read_digits(s, i + 1, 2, sec) != 2) return bad();
    i += 3;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {  // a fraction, dropped
      std::size_t k = i + 1;
      while (k < s.size() && is_digit(s[k])) ++k;
      if (k == i + 1) return bad();
      i = k;
    }
  }
  if (h > 23 || m > 59 || sec > 59) {
    reason = "time ";
    append_padded(reason, h, 2);
    reason += ':';
    append_padded(reason, m, 2);
    reason += ':';
    append_padded(reason, sec, 2);
    reason += " does not exist";
    out.clear();
    return false;
  }
  out += 'T';
  append_padded(out, h, 2);
  out += ':';
  append_padded(out, m, 2);
  out += ':';
  append_padded(out, sec, 2);
  if (i == s.size()) return true;
  if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
    out += 'Z';
    return true;
  }
  if (s[i] != '+' && s[i] != '-') return bad();
  const char sign = s[i++];
  int oh = 0, om = 0;
  if (read_digits(s, i, 2, oh) != 2) return bad();
  i += 2;
  if (i < s.size() && s[i] == ':') ++i;
  if (i < s.size()) {
    if (read_digits(s, i, 2, om) != 2) return bad();
    i += 2;
  }
  if (i != s.size()) return bad();
  if (oh > 14 || om > 59 || (oh == 14 && om > 0)) {
    reason = "offset ";
    reason += sign;
    append_padded(reason, oh, 2);
    reason += ':';
    append_padded(reason, om, 2);
    reason += " is out of range (at most 14:00 from UTC)";
    out.clear();
    return false;
  }
  out += sign;
  append_padded(out, oh, 2);
  out += ':';
  append_padded(out, om, 2);
  return true;
}

// --- numbers -------------------------------------------------------------------------

struct NumberParts {
  bool negative = false;
  std::string_view whole;     // digits, possibly grouped with commas
  std::string_view fraction;  // digits after the point
  bool point = false;
};

enum class NumberForm { ok, not_a_number, bad_grouping, exponent };

NumberForm split_number(std::string_view s, NumberParts& p) {
  p = {};
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) p.negative = s[i++] == '-';
  const std::size_t start = i;
  while (i < s.size() && (is_digit(s[i]) || s[i] == ',')) ++i;
  p.whole = s.substr(start, i - start);
  if (i < s.size() && s[i] == '.') {
    p.point = true;
    const std::size_t f = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    p.fraction = s.substr(f, i - f);
  }
  const bool digits = std::any_of(p.whole.begin(), p.whole.end(), is_digit) || !p.fraction.empty();
  if (i < s.size()) return digits && (s[i] == 'e' || s[i] == 'E') ? NumberForm::exponent : NumberForm::not_a_number;
  if (!digits) return NumberForm::not_a_number;
  if (p.whole.find(',') != std::string_view::npos) {
    // 1,234,567: one to three digits, then groups of exactly three.
    std::size_t group = 0, groups = 0;
    for (std::size_t k = 0; k <= p.whole.size(); ++k) {
      if (k == p.whole.size() || p.whole[k] == ',') {
        if (group == 0 || group > 3 || (groups > 0 && group != 3)) return NumberForm::bad_grouping;
        ++groups;
        group = 0;
      } else {
        ++group;
      }
    }
  }
  return NumberForm::ok;
}

// Appends the digits of `whole` without commas and leading zeros.
void append_whole(std::string& out, std::string_view whole) {
  bool leading = true;
  for (char c : whole) {
    if (c == ',' || (leading && c == '0')) continue;
    leading = false;
    out += c;
  }
}

std::string_view without_trailing_zeros(std::string_view fraction) {
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  return fraction;
}

bool number_form_ok(NumberForm form, std::string_view s, std::string_view what, std::string& reason) {
  switch (form) {
    case NumberForm::ok:
      return true;
    case NumberForm::not_a_number:
      reason = quoted(s) + " is not " + std::string(what);
      return false;
    case NumberForm::bad_grouping:
      reason = quoted(s) + ": thousands separators must group three digits (1,234,567)";
      return false;
    case NumberForm::exponent:
      reason = quoted(s) + ": exponents are not accepted; write the number out in full";
      return false;
  }
  return false;
}

bool standardise_integer(std::string_view s, std::string& out, std::string& reason) {
  NumberParts p;
  if (!number_form_ok(split_number(s, p), s, "a whole number", reason)) return false;
  // A spreadsheet's 12.0 is twelve; 12.5 is not a whole number.
  if (p.point && (!without_trailing_zeros(p.fraction).empty() || p.whole.empty())) {
    reason = quoted(s) + " is not a whole number";
    return false;
  }
  out.clear();
  if (p.negative) out += '-';
  append_whole(out, p.whole);
  const std::size_t digits = out.size() - (p.negative ? 1 : 0);
  if (digits == 0) {
    out = "0";
    return true;
  }
  // |int64| is at most 9223372036854775807 (…808 when negative): 19 digits.
  bool in_range = digits < 19;
  if (digits == 19) {
    const std::string_view d = std::string_view(out).substr(p.negative ? 1 : 0);
    in_range = d <= (p.negative ? std::string_view("9223372036854775808") : std::string_view("9223372036854775807"));
  }
  if (!in_range) {
    reason = quoted(s) + " is out of range: whole numbers go from -9223372036854775808 to 9223372036854775807";
    out.clear();
    return false;
  }
  return true;
}

constexpr std::size_t kMaxDecimalDigits = 38;

bool standardise_decimal(std::string_view s, std::string& out, std::string& reason) {
  NumberParts p;
  if (!number_form_ok(split_number(s, p), s, "a number", reason)) return false;
  out.clear();
  if (p.negative) out += '-';
  append_whole(out, p.whole);
  const std::size_t whole_digits = out.size() - (p.negative ? 1 : 0);
  const std::string_view fraction = without_trailing_zeros(p.fraction);
  if (whole_digits + fraction.size() > kMaxDecimalDigits) {
    reason = quoted(s) + " has " + std::to_string(whole_digits + fraction.size()) + " significant digits; at most " +
             std::to_string(kMaxDecimalDigits);
    out.clear();
    return false;
  }
  if (whole_digits == 0 && fraction.empty()) {
    out = "0";  // also -0
    return true;
  }
  if (whole_digits == 0) out += '0';
  if (!fraction.empty()) {
    out += '.';
    out.append(fraction);
  }
  return true;
}

// p rounded half away from zero to at most `places` decimals, without trailing zeros,
// into out (appended). p.whole has at most 20 digits (checked by the caller).
void append_rounded(const NumberParts& p, std::size_t places, std::string& out) {
  char digits[64];
  std::size_t n = 0;
  for (char c : p.whole) {
    if (c != ',' && !(n == 0 && c == '0')) digits[n++] = c;
  }
  std::size_t whole = n;
  const std::size_t kept = std::min(p.fraction.size(), places);
  for (std::size_t k = 0; k < kept; ++k) digits[n++] = p.fraction[k];
  if (p.fraction.size() > places && p.fraction[places] >= '5') {
    std::size_t k = n;
    while (k > 0 && digits[k - 1] == '9') digits[--k] = '0';
    if (k > 0) {
      ++digits[k - 1];
    } else {
      std::memmove(digits + 1, digits, n);
      digits[0] = '1';
      ++n;
      ++whole;
    }
  }
  std::size_t end = n;
  while (end > whole && digits[end - 1] == '0') --end;
  const bool zero = std::all_of(digits, digits + end, [](char c) { return c == '0'; });
  if (p.negative && !zero) out += '-';
  if (whole == 0) {
    out += '0';
  } else {
    out.append(digits, whole);
  }
  if (end > whole) {
    out += '.';
    out.append(digits + whole, end - whole);
  }
}

// --- geo points -----------------------------------------------------------------------

bool read_coordinate(std::string_view s, std::string& out, double& value) {
  NumberParts p;
  if (split_number(s, p) != NumberForm::ok || p.whole.find(',') != std::string_view::npos || p.whole.size() > 20) {
    return false;
  }
  const std::size_t start = out.size();
  append_rounded(p, 7, out);
  const char* first = out.data() + start;
  return std::from_chars(first, out.data() + out.size(), value).ec == std::errc{};
}

bool standardise_geo_point(std::string_view s, std::string& out, std::string& reason) {
  const std::size_t comma = s.find(',');
  const auto bad = [&] {
    reason = quoted(s) + " is not a point; write longitude,latitude as 120.1551,30.2741";
    out.clear();
    return false;
  };
  if (comma == std::string_view::npos) return bad();
  out.clear();
  double lng = 0, lat = 0;
  if (!read_coordinate(trim_spaces(s.substr(0, comma)), out, lng)) return bad();
  const std::size_t lng_end = out.size();
  out += ',';
  if (!read_coordinate(trim_spaces(s.substr(comma + 1)), out, lat)) return bad();
  const std::string lng_text = out.substr(0, lng_end), lat_text = out.substr(lng_end + 1);
  if (lat < -90 || lat > 90) {
    if (lng >= -90 && lng <= 90 && lat >= -180 && lat <= 180) {
      reason = "latitude " + lat_text + " is out of range (-90 to 90); write longitude first: " + lat_text + "," +
               lng_text;
    } else {
      reason = "latitude " + lat_text + " is out of range (-90 to 90)";
    }
    out.clear();
    return false;
  }
  if (lng < -180 || lng > 180) {
    reason = "longitude " + lng_text + " is out of range (-180 to 180)";
    out.clear();
    return false;
  }
  return true;
}

// --- booleans ------------------------------------------------------------------------

bool standardise_boolean(std::string_view s, std::string& out, std::string& reason) {
  static constexpr std::string_view kTrue[] = {"true", "1", "y", "yes", "是"};
  static constexpr std::string_view kFalse[] = {"false", "0", "n", "no", "否"};
  for (auto t : kTrue) {
    if (iequals(s, t)) {
      out = "true";
      return true;
    }
  }
  for (auto f : kFalse) {
    if (iequals(s, f)) {
      out = "false";
      return true;
    }
  }
  reason = quoted(s) + " is not yes or no; write true/false, 1/0, 是/否 or Y/N";
  return false;
}

// --- phone numbers ---------------------------------------------------------------------

constexpr std::string_view kNotAPhone =
    "is not a phone number: a mobile number has 11 digits starting 13 to 19, a landline is written with its "
    "area code, as in 0571-87654321";

// Mainland numbers (the national numbering plan of the Ministry of Industry and
// Information Technology): area codes 010 and 020-029 have three digits with the trunk
// 0, all others four; local numbers have 7 or 8 digits and start 2-9.
bool standardise_phone(std::string_view s, std::string& out, std::string& reason) {
  out.clear();
  // An extension after a marker.
  std::string_view main = s, extension;
  {
    std::size_t at = std::string_view::npos, length = 0;
    auto consider = [&](std::size_t pos, std::size_t len) {
      if (pos < at) {
        at = pos;
        length = len;
      }
    };
    for (std::string_view marker : {"转", "分机", "#"}) consider(s.find(marker), marker.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (lower(s[i]) == 'e' && i + 2 < s.size() && lower(s[i + 1]) == 'x' && lower(s[i + 2]) == 't') {
        consider(i, i + 3 < s.size() && s[i + 3] == '.' ? 4 : 3);
        break;
      }
      if (lower(s[i]) == 'x') {
        consider(i, 1);
        break;
      }
    }
    if (at != std::string_view::npos) {
      main = trim_spaces(s.substr(0, at));
      extension = trim_spaces(s.substr(at + length));
      if (!extension.empty() && (extension[0] == ':' || extension[0] == '.')) extension = trim_spaces(extension.substr(1));
      if (extension.empty() || extension.size() > 6 || !all_digits(extension)) {
        reason = "the extension should be 1 to 6 digits";
        return false;
      }
    }
  }

  // The digits, and where the groups written with separators begin.
  char digits[24];
  std::size_t n = 0;
  std::size_t group_starts[8];
  std::size_t groups = 0;
  bool plus = false, in_group = false;
  for (std::size_t i = 0; i < main.size(); ++i) {
    const char c = main[i];
    if (is_digit(c)) {
      if (n == sizeof digits) {
        reason = std::string(kNotAPhone);
        return false;
      }
      if (!in_group && groups < std::size(group_starts)) group_starts[groups++] = n;
      in_group = true;
      digits[n++] = c;
    } else if (c == ' ' || c == '-' || c == '(' || c == ')') {
      in_group = false;
    } else if (c == '+' && n == 0 && !plus) {
      plus = true;
    } else {
      reason = std::string(kNotAPhone);
      return false;
    }
  }
  std::string_view d(digits, n);
  if (plus && !d.starts_with("86")) {
    reason = "only mainland China numbers (+86) are accepted";
    return false;
  }

  // A trailing "-123" group is an extension when what comes before it is a landline.
  struct Landline {
    std::size_t area = 0;  // digits of the area code with its 0
    std::string_view number;
  };
  auto national = [&](std::string_view x, bool international, std::string& buffer) -> std::string_view {
    if (x.starts_with("0086")) {
      x.remove_prefix(4);
      international = true;
    } else if (international && x.starts_with("86")) {
      x.remove_prefix(2);
    } else if (x.size() == 13 && x.starts_with("861")) {
      x.remove_prefix(2);  // 86 and a mobile number
      return x;
    }
    if (international && !x.empty() && x[0] != '0' && x[0] != '1') {
      buffer = "0";  // +86 571 87654321: the area code without its trunk 0
      buffer.append(x);
      return buffer;
    }
    return x;
  };
  auto landline = [](std::string_view x, Landline& l) {
    if (x.size() < 3 || x[0] != '0' || x[1] == '0') return false;
    if (x[1] == '1' && x[2] != '0') return false;  // 010 is the only 01x code
    l.area = x[1] == '1' || x[1] == '2' ? 3 : 4;
    l.number = x;
    const std::size_t local = x.size() - l.area;
    return local >= 7 && local <= 8 && x[l.area] != '0' && x[l.area] != '1';
  };

  std::string buffer;
  Landline l;
  if (extension.empty() && groups >= 3) {
    const std::size_t last = group_starts[groups - 1];
    const std::size_t last_length = n - last;
    std::string before_buffer;
    const std::string_view before = national(d.substr(0, last), plus, before_buffer);
    if (last_length <= 6 && landline(before, l)) {
      extension = d.substr(last);
      out.assign(l.number.substr(0, l.area));
      out += '-';
      out.append(l.number.substr(l.area));
      out += '-';
      out.append(extension);
      return true;
    }
  }
  const std::string_view x = national(d, plus, buffer);
  if (x.size() == 11 && x[0] == '1') {
    if (x[1] < '3') {
      reason = "a mobile number starts with 13 to 19";
      return false;
    }
    if (!extension.empty()) {
      reason = "a mobile number has no extension";
      return false;
    }
    out.assign(x);
    return true;
  }
  if (landline(x, l)) {
    out.assign(l.number.substr(0, l.area));
    out += '-';
    out.append(l.number.substr(l.area));
    if (!extension.empty()) {
      out += '-';
      out.append(extension);
    }
    return true;
  }
  if (!x.empty() && x[0] == '0' && x.size() >= 4 && x[1] != '0' && !(x[1] == '1' && x[2] != '0')) {
    const std::size_t area = x[1] == '1' || x[1] == '2' ? 3 : 4;
    reason = "the local number after area code " + std::string(x.substr(0, area)) + " should have 7 or 8 digits " +
             "not starting with 0 or 1";
    return false;
  }
  if (!x.empty() && x[0] == '1') {
    reason = "a mobile number has 11 digits; this has " + std::to_string(x.size());
    return false;
  }
  if ((x.size() == 7 || x.size() == 8) && x[0] >= '2') {
    reason = "a landline needs its area code, as in 0571-87654321";
    return false;
  }
  reason = std::string(kNotAPhone);
  return false;
}

std::string message_of(const Error& e) {
  return e.fields.empty() ? e.message : e.fields.front().message;
}

}  // namespace

// --- text ------------------------------------------------------------------------------

std::string_view trim_spaces(std::string_view t) {
  auto space_at_start = [](std::string_view s) -> std::size_t {
    if (s.empty()) return 0;
    const auto b = static_cast<unsigned char>(s[0]);
    if (b == ' ' || (b >= '\t' && b <= '\r')) return 1;
    if (s.starts_with("\xC2\xA0")) return 2;                                       // U+00A0
    if (s.starts_with("\xE3\x80\x80") || s.starts_with("\xEF\xBB\xBF")) return 3;  // U+3000, U+FEFF
    return 0;
  };
  auto space_at_end = [](std::string_view s) -> std::size_t {
    if (s.empty()) return 0;
    const auto b = static_cast<unsigned char>(s.back());
    if (b == ' ' || (b >= '\t' && b <= '\r')) return 1;
    if (s.ends_with("\xC2\xA0")) return 2;
    if (s.ends_with("\xE3\x80\x80") || s.ends_with("\xEF\xBB\xBF")) return 3;
    return 0;
  };
  while (std::size_t n = space_at_start(t)) t.remove_prefix(n);
  while (std::size_t n = space_at_end(t)) t.remove_suffix(n);
  return t;
}

void fold_full_width(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 == 0xEF && i + 2 < s.size()) {
      const auto b1 = static_cast<unsigned char>(s[i + 1]), b2 = static_cast<unsigned char>(s[i + 2]);
      const unsigned cp = 0xF000u | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      if ((b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80 && cp >= 0xFF01 && cp <= 0xFF5E) {
        out += static_cast<char>(cp - 0xFF01 + 0x21);
        i += 3;
        continue;
      }
    } else if (b0 == 0xE3 && i + 2 < s.size() && s[i + 1] == '\x80' && s[i + 2] == '\x80') {
      out += ' ';
      i += 3;
      continue;
    }
    out += s[i++];
  }
}

std::size_t count_characters(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// --- code tables ---------------------------------------------------------------------------

std::size_t CodeTable::FoldHash::operator()(std::string_view s) const {
  std::size_t h = 1469598103934665603ULL;  // FNV-1a over ASCII-lower-cased bytes
  for (char c : s) {
    h ^= static_cast<unsigned char>(lower(c));
    h *= 1099511628211ULL;
  }
  return h;
}

bool CodeTable::FoldEqual::operator()(std::string_view a, std::string_view b) const {
  return iequals(a, b);
}

CodeTable::CodeTable(std::string code) : code_(std::move(code)) {}

void CodeTable::index(std::string_view spelling, std::uint32_t value, std::uint8_t rank) {
  std::string folded;
  fold_full_width(trim_spaces(spelling), folded);
  const std::string_view key = trim_spaces(folded);
  if (key.empty()) return;
  auto it = index_.find(key);
  if (it == index_.end()) {
    index_.emplace(std::string(key), Entry{value, rank});
  } else if (rank < it->second.rank) {
    it->second = Entry{value, rank};
  }
}

void CodeTable::add(std::string_view value, std::string_view label, std::span<const std::string> aliases) {
  const auto v = static_cast<std::uint32_t>(values_.size());
  values_.emplace_back(trim_spaces(value));
  index(value, v, 0);
  index(label, v, 1);
  for (const auto& a : aliases) index(a, v, 2);
  if (v < 12) {
    if (v > 0) summary_ += ", ";
    summary_ += values_.back();
    if (!label.empty()) {
      summary_ += ' ';
      summary_ += trim_spaces(label);
    }
  } else if (v == 12) {
    summary_ += ", ...";
  }
}

std::optional<CodeTable::Match> CodeTable::find(std::string_view text) const {
  const auto it = index_.find(text);
  if (it == index_.end()) return std::nullopt;
  const std::string& value = values_[it->second.value];
  return Match{value, it->second.rank != 0 || text != value};
}

void CodeTables::add(CodeTable table) {
  tables_.push_back(std::move(table));
}

const CodeTable* CodeTables::find(std::string_view code) const {
  for (const auto& t : tables_) {
    if (t.code() == code) return &t;
  }
  return nullptr;
}

// --- addresses ---------------------------------------------------------------------------

namespace {

std::uint32_t first_character_key(std::string_view s) {
  const std::size_t n = std::min(s.size(), utf8_length(static_cast<unsigned char>(s[0])));
  std::uint32_t key = 0;
  for (std::size_t i = 0; i < n; ++i) key = (key << 8) | static_cast<unsigned char>(s[i]);
  return key;
}

}  // namespace

Result<AddressResolver> AddressResolver::from_json(std::string_view text) {
  namespace json = boost::json;
  json::error_code ec;
  const json::value doc = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return Error::invalid("divisions", "is not JSON: " + ec.message());

  AddressResolver r;
  auto read = [&](const json::value& v, const std::string& at, DivisionLevel level) -> Status {
    const auto* o = v.if_object();
    const json::value* code = o ? o->if_contains("code") : nullptr;
    const json::value* name = o ? o->if_contains("name") : nullptr;
    if (!code || !code->is_string()) return Error::invalid(at + ".code", "is missing or not text");
    if (!name || !name->is_string() || name->as_string().empty()) {
      return Error::invalid(at + ".name", "is missing or not text");
    }
    auto parsed = identifiers::DivisionCode::parse(std::string_view(code->as_string()));
    if (!parsed) return Error::invalid(at + ".code", message_of(parsed.error()));
    r.divisions_.push_back({parsed->value(), std::string(name->as_string()), level});
    return Status::success();
  };
  if (!doc.is_object()) return Error::invalid("divisions", "is not an object");
  if (auto s = read(doc, "divisions", DivisionLevel::prefecture); !s) return s.error();
  const json::value* districts = doc.as_object().if_contains("districts");
  if (!districts || !districts->is_array()) return Error::invalid("districts", "is missing or not a list");
  std::size_t i = 0;
  for (const auto& d : districts->as_array()) {
    const std::string at = "districts[" + std::to_string(i++) + "]";
    if (auto s = read(d, at, DivisionLevel::county); !s) return s.error();
    const json::value* streets = d.as_object().if_contains("streets");
    if (!streets) continue;
    if (!streets->is_array()) return Error::invalid(at + ".streets", "is not a list");
    std::size_t k = 0;
    for (const auto& s : streets->as_array()) {
      if (auto st = read(s, at + ".streets[" + std::to_string(k++) + "]", DivisionLevel::town); !st) return st.error();
    }
  }

  for (std::uint32_t k = 0; k < r.divisions_.size(); ++k) {
    const Division& d = r.divisions_[k];
    r.names_.push_back({d.name, k});
    // The city is often written without 市: 杭州.
    if (d.level == DivisionLevel::prefecture && d.name.ends_with("市") && d.name.size() > std::string_view("市").size() * 2) {
      r.names_.push_back({d.name.substr(0, d.name.size() - std::string_view("市").size()), k});
    }
  }
  for (std::uint32_t k = 0; k < r.names_.size(); ++k) {
    r.by_first_character_[first_character_key(r.names_[k].text)].push_back(k);
  }
  for (auto& [key, list] : r.by_first_character_) {
    std::stable_sort(list.begin(), list.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return r.names_[a].text.size() > r.names_[b].text.size(); });
  }
  return r;
}

const AddressResolver::Division* AddressResolver::resolve(std::string_view address) const {
  const Division* city = nullptr;
  const Division* district = nullptr;
  const Division* streets[8];
  std::size_t street_count = 0;
  for (std::size_t i = 0; i < address.size();) {
    const std::size_t step = std::max<std::size_t>(1, utf8_length(static_cast<unsigned char>(address[i])));
    std::size_t matched = 0;
    const auto it = by_first_character_.find(first_character_key(address.substr(i)));
    if (it != by_first_character_.end()) {
      for (std::uint32_t k : it->second) {
        const Name& n = names_[k];
        if (!address.substr(i).starts_with(n.text)) continue;
        const Division& d = divisions_[n.division];
        if (d.level == DivisionLevel::town) {
          if (street_count < std::size(streets)) streets[street_count++] = &d;
        } else if (d.level == DivisionLevel::county) {
          if (!district) district = &d;
        } else if (!city) {
          city = &d;
        }
        matched = n.text.size();
        break;
      }
    }
    i += matched ? matched : step;
  }
  for (std::size_t k = 0; k < street_count; ++k) {
    if (!district || streets[k]->code.starts_with(district->code)) return streets[k];
  }
  if (district) return district;
  return city;
}

// --- one value -------------------------------------------------------------------------------

void standardise(const FieldSpec& field, const CodeTable* table, std::string_view raw,
                 const StandardiseContext& context, StandardisedValue& out) {
  out.text.clear();
  out.reason.clear();
  out.warning.clear();
  out.note = ValueNote::none;

  if (field.type == FieldType::string) {
    const std::string_view t = trim_spaces(raw);
    if (t.empty()) {
      if (field.required || field.key) out.reason = "is required";
      return;
    }
    if (field.length) {
      const std::size_t n = count_characters(t);
      if (n > static_cast<std::size_t>(*field.length)) {
        out.reason = "has " + std::to_string(n) + " characters; at most " + std::to_string(*field.length);
        return;
      }
    }
    out.text.assign(t);
    return;
  }

  const std::string_view s = clean_text(raw, out.scratch);
  if (s.empty()) {
    if (field.required || field.key) out.reason = "is required";
    return;
  }
  switch (field.type) {
    case FieldType::string:
      break;
    case FieldType::integer:
      standardise_integer(s, out.text, out.reason);
      break;
    case FieldType::decimal:
      standardise_decimal(s, out.text, out.reason);
      break;
    case FieldType::date:
      standardise_date(s, out.text, out.reason);
      break;
    case FieldType::datetime:
      standardise_datetime(s, out.text, out.reason);
      break;
    case FieldType::boolean:
      standardise_boolean(s, out.text, out.reason);
      break;
    case FieldType::code: {
      if (!table) {
        out.reason = "no code table " + field.code_table.value_or("(none named)") + " is loaded for this import";
        break;
      }
      const auto match = table->find(s);
      if (!match) {
        out.reason = quoted(s) + " is not in code table " + table->code() + " (" + table->summary() + ")";
        break;
      }
      out.text.assign(match->value);
      if (match->mapped) out.note = ValueNote::code_mapped;
      break;
    }
    case FieldType::id_number: {
      if (!context.today.ok()) {
        out.reason = "cannot be checked: the import was given no current date";
        break;
      }
      auto id = identifiers::IdNumber::parse(s, context.today);
      if (!id) {
        out.reason = message_of(id.error());
        break;
      }
      out.text = id->value();
      if (id->converted_from_15()) out.note = ValueNote::converted_from_15;
      break;
    }
    case FieldType::uscc: {
      auto code = identifiers::Uscc::parse(s);
      if (!code) {
        out.reason = message_of(code.error());
        break;
      }
      out.text = code->value();
      for (const auto& w : code->warnings()) {
        if (!out.warning.empty()) out.warning += "; ";
        out.warning += w;
      }
      break;
    }
    case FieldType::division: {
      if (context.addresses && !all_digits(s)) {
        if (const auto* d = context.addresses->resolve(s)) {
          out.text = d->code;
          out.note = ValueNote::address_resolved;
        } else {
          out.reason = "names no known district or street; write the division code (330106) or an address with its "
                       "district (西湖区北山街道)";
        }
        break;
      }
      auto code = identifiers::DivisionCode::parse(s);
      if (!code) {
        out.reason = message_of(code.error());
        break;
      }
      out.text = code->value();
      break;
    }
    case FieldType::phone:
      standardise_phone(s, out.text, out.reason);
      break;
    case FieldType::geo_point:
      standardise_geo_point(s, out.text, out.reason);
      break;
  }
  if (!out.reason.empty()) out.text.clear();
}

void standardise(const FieldSpec& field, std::string_view raw, const StandardiseContext& context,
                 StandardisedValue& out) {
  const CodeTable* table = nullptr;
  if (field.type == FieldType::code && field.code_table && context.code_tables) {
    table = context.code_tables->find(*field.code_table);
  }
  standardise(field, table, raw, context, out);
}

StandardisedValue standardise(const FieldSpec& field, std::string_view raw, const StandardiseContext& context) {
  StandardisedValue out;
  standardise(field, raw, context, out);
  return out;
}

}  // namespace zhengwu::data
