// Time zones from the system's TZif files, and the ISO 8601 text of the API.
//
// A TZif file (RFC 8536) lists the instants at which a zone's UTC offset changes and the
// offset in force after each. Version 1 files hold one data block with 32-bit times;
// version 2 and later repeat the block with 64-bit times and append a POSIX TZ string
// (the "footer") describing the rule after the last listed transition. We read the
// 64-bit block when there is one and the 32-bit block otherwise.
//
// The footer is not interpreted: after the last transition the last offset stays in
// force. That is exact for zones without daylight saving today (Asia/Shanghai since
// 1991, UTC) and, because Debian's tzdata is built "fat" (transitions written out to
// 2037), exact for zones such as America/New_York until 2037. Dates beyond 2037 in a
// zone that still changes its clocks would read standard or summer time, whichever
// came last in the file; no deadline of the platform reaches that far.
//
// Leap-second records are skipped: system_clock counts POSIX time, which has none.
#include "kernel/time_zone.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

namespace zhengwu {

using std::chrono::days;
using std::chrono::local_days;
using std::chrono::local_seconds;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

// The decoded zone: transitions[i] is the UTC instant (seconds since the epoch) from
// which offsets[i] applies; before the first transition, initial_offset applies
// (RFC 8536 §3.2: local time type 0).
struct TimeZone::Data {
  std::string name;
  std::vector<std::int64_t> transitions;
  std::vector<std::int32_t> offsets;
  std::int32_t initial_offset = 0;
};

namespace {

// RFC 8536 §3.2 recommends offsets within -89999..93599 seconds; anything beyond a
// day and two hours either way is a corrupt file, not a place on Earth.
constexpr std::int64_t kMaxOffset = 26 * 3600;
// Real TZif files are a few kilobytes; refuse to read something that is clearly not one.
constexpr std::uintmax_t kMaxFileSize = 1 << 20;

Error invalid_zone(std::string_view name, std::string_view why) {
  std::string message = "time zone '" + std::string(name) + "': " + std::string(why);
  return Error{ErrorCode::invalid, std::move(message), {{"timezone", std::string(why)}}};
}

// Reads big-endian integers from the file image; callers check has() before reading.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  bool has(std::size_t n) const { return bytes_.size() - pos_ >= n; }
  void skip(std::size_t n) { pos_ += n; }

  std::int64_t signed_be(std::size_t width) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes_[pos_ + i]);
    pos_ += width;
    if (width < 8 && (v & (std::uint64_t{1} << (width * 8 - 1))) != 0) {
      v |= ~std::uint64_t{0} << (width * 8);  // sign-extend
    }
    return static_cast<std::int64_t>(v);
  }
  std::uint8_t byte() { return static_cast<std::uint8_t>(bytes_[pos_++]); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct TzifHeader {
  char version = 0;  // '\0', '2', '3', '4'
  std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  // Bytes of the data block that follows the header, for times of `time_size` bytes.
  std::size_t block_size(std::size_t time_size) const {
    return std::size_t{timecnt} * time_size + timecnt + std::size_t{typecnt} * 6 + charcnt +
           std::size_t{leapcnt} * (time_size + 4) + isstdcnt + isutcnt;
  }
};

std::optional<TzifHeader> read_header(ByteReader& in) {
  if (!in.has(44)) return std::nullopt;
  std::array<char, 4> m{};
  for (char& c : m) c = static_cast<char>(in.byte());
  if (std::string_view(m.data(), m.size()) != "TZif") return std::nullopt;
  TzifHeader h;
  h.version = static_cast<char>(in.byte());
  in.skip(15);  // reserved
  h.isutcnt = static_cast<std::uint32_t>(in.signed_be(4));
  h.isstdcnt = static_cast<std::uint32_t>(in.signed_be(4));
  h.leapcnt = static_cast<std::uint32_t>(in.signed_be(4));
  h.timecnt = static_cast<std::uint32_t>(in.signed_be(4));
  h.typecnt = static_cast<std::uint32_t>(in.signed_be(4));
  h.charcnt = static_cast<std::uint32_t>(in.signed_be(4));
  return h;
}

// Decodes one data block into `out`; returns what is wrong with it, or nothing.
std::optional<std::string> read_block(ByteReader& in, const TzifHeader& h, std::size_t time_size,
                                      TimeZone::Data& out) {
  // RFC 8536 §3.1: typecnt and charcnt must not be zero; the indicator counts are zero
  // or equal to typecnt.
  if (h.typecnt == 0 || h.charcnt == 0) return "the file declares no local time types";
  if ((h.isstdcnt != 0 && h.isstdcnt != h.typecnt) || (h.isutcnt != 0 && h.isutcnt != h.typecnt)) {
    return "indicator counts disagree with the number of local time types";
  }
  if (!in.has(h.block_size(time_size))) return "the file is truncated";

  std::vector<std::int64_t> times(h.timecnt);
  for (auto& t : times) t = in.signed_be(time_size);
  std::vector<std::uint8_t> type_of(h.timecnt);
  for (auto& i : type_of) i = in.byte();
  std::vector<std::int32_t> utoff(h.typecnt);
  for (auto& o : utoff) {
    std::int64_t v = in.signed_be(4);
    if (v < -kMaxOffset || v > kMaxOffset) return "a UTC offset is out of range";
    o = static_cast<std::int32_t>(v);
    in.skip(2);  // is_dst, designation index: not needed to compute offsets
  }
  in.skip(h.charcnt + std::size_t{h.leapcnt} * (time_size + 4) + h.isstdcnt + h.isutcnt);

  for (std::size_t i = 0; i < times.size(); ++i) {
    if (type_of[i] >= h.typecnt) return "a transition names a local time type that does not exist";
    if (i > 0 && times[i] <= times[i - 1]) return "transition times are not in ascending order";
  }
  out.transitions = std::move(times);
  out.offsets.clear();
  out.offsets.reserve(type_of.size());
  for (auto t : type_of) out.offsets.push_back(utoff[t]);
  out.initial_offset = utoff[0];
  return std::nullopt;
}

// Parses a TZif image; returns the reason when it is not a valid one.
std::optional<std::string> parse_tzif(std::string_view bytes, TimeZone::Data& out) {
  ByteReader in(bytes);
  auto v1 = read_header(in);
  if (!v1) return "not a TZif file";
  if (v1->version == '\0') return read_block(in, *v1, 4, out);
  // Version 2+: skip the 32-bit block, use the 64-bit one that follows.
  if (!in.has(v1->block_size(4))) return "the file is truncated";
  in.skip(v1->block_size(4));
  auto v2 = read_header(in);
  if (!v2) return "the 64-bit section of the TZif file is missing";
  return read_block(in, *v2, 8, out);
}

bool is_safe_zone_name(std::string_view name) {
  if (name.empty() || name.front() == '/') return false;
  if (name.find("..") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '\\';
  });
}

std::int64_t to_unix(TimePoint t) {
  return std::chrono::floor<seconds>(t).time_since_epoch().count();
}

// ---- ISO 8601 ----

void append_2(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

// A cursor over the text being parsed that produces messages naming the part at fault.
class TextCursor {
 public:
  explicit TextCursor(std::string_view text) : text_(text) {}

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  std::string_view rest() const { return text_.substr(std::min(pos_, text_.size())); }

  // Reads exactly `n` decimal digits.
  std::optional<int> digits(std::size_t n) {
    if (text_.size() - std::min(pos_, text_.size()) < n) return std::nullopt;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    pos_ += n;
    return v;
  }
  bool literal(char c) {
    if (peek() != c || at_end()) return false;
    ++pos_;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

Error bad_text(std::string_view what, std::string_view text, std::string_view why) {
  std::string message = "'" + std::string(text) + "' is not " + std::string(what) + ": " + std::string(why);
  return Error{ErrorCode::invalid, std::move(message), {}};
}

std::string describe_char(char c) {
  if (c == '\0') return "the end of the text";
  return std::string("'") + c + "'";
}

// Reads YYYY-MM-DD at the cursor; on failure returns why.
Result<std::chrono::year_month_day> read_date(TextCursor& in, std::string_view what, std::string_view text) {
  auto y = in.digits(4);
  if (!y) return bad_text(what, text, "the year must be 4 digits (YYYY-MM-DD)");
  if (!in.literal('-')) return bad_text(what, text, "expected '-' after the year, found " + describe_char(in.peek()));
  auto m = in.digits(2);
  if (!m) return bad_text(what, text, "the month must be 2 digits (YYYY-MM-DD)");
  if (!in.literal('-')) return bad_text(what, text, "expected '-' after the month, found " + describe_char(in.peek()));
  auto d = in.digits(2);
  if (!d) return bad_text(what, text, "the day must be 2 digits (YYYY-MM-DD)");
  if (*m < 1 || *m > 12) return bad_text(what, text, "month " + std::to_string(*m) + " does not exist");
  std::chrono::year_month_day date{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                   std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) {
    return bad_text(what, text, "day " + std::to_string(*d) + " does not exist in that month");
  }
  return date;
}

}  // namespace

// ---- TimeZone ----

Result<TimeZone> TimeZone::load(std::string_view name, std::string_view root) {
  if (!is_safe_zone_name(name)) {
    return invalid_zone(name, "not a valid zone name (expected an IANA name such as Asia/Shanghai)");
  }
  std::filesystem::path path = std::filesystem::path(root) / std::string(name);
  std::error_code ec;
  bool regular = std::filesystem::is_regular_file(path, ec);
  if (!regular) {
    // A minimal container may lack tzdata; UTC needs no file.
    if (name == "UTC" || name == "Etc/UTC") return fixed(std::string(name), seconds{0});
    return invalid_zone(name, "unknown zone (no such file in " + std::string(root) + ")");
  }
  auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxFileSize) return invalid_zone(name, "not a TZif file");
  std::ifstream file(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return invalid_zone(name, "the zone file cannot be read");
  }
  auto data = std::make_shared<Data>();
  data->name = std::string(name);
  if (auto why = parse_tzif(bytes, *data)) return invalid_zone(name, *why);
  return TimeZone(std::move(data));
}

TimeZone TimeZone::fixed(std::string name, seconds offset) {
  auto data = std::make_shared<Data>();
  data->name = std::move(name);
  data->initial_offset = static_cast<std::int32_t>(offset.count());
  return TimeZone(std::move(data));
}

const std::string& TimeZone::name() const { return data_->name; }

seconds TimeZone::offset_at(TimePoint t) const {
  const auto& tr = data_->transitions;
  auto it = std::upper_bound(tr.begin(), tr.end(), to_unix(t));
  if (it == tr.begin()) return seconds{data_->initial_offset};
  return seconds{data_->offsets[static_cast<std::size_t>(std::distance(tr.begin(), it)) - 1]};
}

local_seconds TimeZone::to_local(TimePoint t) const {
  auto s = std::chrono::floor<seconds>(t);
  return local_seconds{s.time_since_epoch() + offset_at(t)};
}

TimePoint TimeZone::from_local(local_seconds local) const {
  const auto& tr = data_->transitions;
  const std::int64_t wall = local.time_since_epoch().count();
  // Period k (k = -1 before the first transition) runs from tr[k] to tr[k+1] with its
  // own offset. A wall time maps to instant wall - offset in every period that contains
  // that instant; only periods within a day and two hours of the wall time can.
  auto offset_of = [&](std::ptrdiff_t k) -> std::int64_t {
    return k < 0 ? data_->initial_offset : data_->offsets[static_cast<std::size_t>(k)];
  };
  const auto n = static_cast<std::ptrdiff_t>(tr.size());
  std::ptrdiff_t first = std::distance(tr.begin(), std::upper_bound(tr.begin(), tr.end(), wall - kMaxOffset)) - 1;
  std::ptrdiff_t last = std::distance(tr.begin(), std::upper_bound(tr.begin(), tr.end(), wall + kMaxOffset));
  first = std::max<std::ptrdiff_t>(first, -1);
  last = std::min<std::ptrdiff_t>(last, n - 1);
  for (std::ptrdiff_t k = first; k <= last; ++k) {
    std::int64_t instant = wall - offset_of(k);
    bool after_start = k < 0 || instant >= tr[static_cast<std::size_t>(k)];
    bool before_end = k + 1 >= n || instant < tr[static_cast<std::size_t>(k + 1)];
    // Periods are visited in time order, so the first match is the earlier of two.
    if (after_start && before_end) return TimePoint{seconds{instant}};
  }
  // The wall time fell into a gap (clocks were put forward): the first instant after
  // the gap is the transition that opened it.
  for (std::ptrdiff_t k = std::max<std::ptrdiff_t>(first, 0); k <= last; ++k) {
    std::int64_t at = tr[static_cast<std::size_t>(k)];
    if (at + offset_of(k - 1) <= wall && wall < at + offset_of(k)) return TimePoint{seconds{at}};
  }
  return TimePoint{seconds{wall - offset_of(last)}};  // unreachable for a consistent table
}

std::chrono::year_month_day TimeZone::local_date(TimePoint t) const {
  return std::chrono::year_month_day{std::chrono::floor<days>(to_local(t))};
}

// ---- text ----

std::string format_date(std::chrono::year_month_day date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buf;
}

std::string format_iso8601(TimePoint t, const TimeZone& zone) {
  // RFC 3339 offsets have minutes precision. Historic local mean times (+08:05:43 in
  // Shanghai before 1901) are printed with the offset cut to whole minutes and the wall
  // time computed from that offset, so the text still names exactly the same instant.
  auto offset = std::chrono::duration_cast<std::chrono::minutes>(zone.offset_at(t));
  auto local = std::chrono::floor<seconds>(t).time_since_epoch() + offset;
  auto day = std::chrono::floor<days>(local);
  std::chrono::hh_mm_ss<seconds> tod{local - day};
  std::string out = format_date(std::chrono::year_month_day{local_days{day}});
  out.push_back('T');
  append_2(out, static_cast<int>(tod.hours().count()));
  out.push_back(':');
  append_2(out, static_cast<int>(tod.minutes().count()));
  out.push_back(':');
  append_2(out, static_cast<int>(tod.seconds().count()));
  auto off = offset.count();
  out.push_back(off < 0 ? '-' : '+');
  off = off < 0 ? -off : off;
  append_2(out, static_cast<int>(off / 60));
  out.push_back(':');
  append_2(out, static_cast<int>(off % 60));
  return out;
}

Result<std::chrono::year_month_day> parse_date(std::string_view text) {
  constexpr std::string_view what = "a date (YYYY-MM-DD)";
  if (text.empty()) return bad_text(what, text, "the text is empty");
  TextCursor in(text);
  auto date = read_date(in, what, text);
  if (!date.ok()) return date;
  if (!in.at_end()) return bad_text(what, text, "unexpected '" + std::string(in.rest()) + "' after the date");
  return date;
}

Result<TimePoint> parse_iso8601(std::string_view text) {
  constexpr std::string_view what = "an ISO 8601 time (YYYY-MM-DDTHH:MM:SS±HH:MM)";
  if (text.empty()) return bad_text(what, text, "the text is empty");
  TextCursor in(text);
  auto date = read_date(in, what, text);
  if (!date.ok()) return date.error();
  // TimePoint counts nanoseconds in 64 bits: 1677-09-21 .. 2262-04-11.
  if (date->year() < std::chrono::year{1678} || date->year() > std::chrono::year{2261}) {
    return bad_text(what, text, "the year is outside the supported range 1678-2261");
  }
  if (in.at_end()) return bad_text(what, text, "the time of day is missing (expected 'T' and HH:MM:SS after the date)");
  if (!in.literal('T')) return bad_text(what, text, "expected 'T' between date and time, found " + describe_char(in.peek()));
  auto hh = in.digits(2);
  if (!hh) return bad_text(what, text, "the hour must be 2 digits");
  if (!in.literal(':')) return bad_text(what, text, "expected ':' after the hour, found " + describe_char(in.peek()));
  auto mm = in.digits(2);
  if (!mm) return bad_text(what, text, "the minute must be 2 digits");
  if (!in.literal(':')) return bad_text(what, text, "seconds are required (HH:MM:SS), found " + describe_char(in.peek()));
  auto ss = in.digits(2);
  if (!ss) return bad_text(what, text, "the second must be 2 digits");
  if (*hh > 23) return bad_text(what, text, "hour " + std::to_string(*hh) + " is out of range 00-23");
  if (*mm > 59) return bad_text(what, text, "minute " + std::to_string(*mm) + " is out of range 00-59");
  if (*ss > 59) {
    return bad_text(what, text, "second " + std::to_string(*ss) + " is out of range 00-59 (leap seconds are not accepted)");
  }

  // Fractional seconds: kept to the clock's precision, further digits are cut.
  TimePoint::duration fraction{0};
  if (in.literal('.')) {
    std::int64_t numerator = 0, scale = 1;
    std::size_t count = 0;
    while (in.peek() >= '0' && in.peek() <= '9' && !in.at_end()) {
      if (scale < 1'000'000'000) {
        numerator = numerator * 10 + (in.peek() - '0');
        scale *= 10;
      }
      in.literal(in.peek());
      ++count;
    }
    if (count == 0) return bad_text(what, text, "expected digits after the decimal point");
    fraction = std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds{numerator * (1'000'000'000 / scale)});
  }

  seconds offset{0};
  if (in.at_end()) return bad_text(what, text, "the UTC offset is missing (add 'Z' or ±HH:MM)");
  if (in.literal('Z')) {
    // UTC
  } else if (in.peek() == '+' || in.peek() == '-') {
    bool negative = in.peek() == '-';
    in.literal(in.peek());
    auto oh = in.digits(2);
    if (!oh) return bad_text(what, text, "the offset hour must be 2 digits (±HH:MM)");
    if (!in.literal(':')) return bad_text(what, text, "expected ':' in the offset (±HH:MM), found " + describe_char(in.peek()));
    auto om = in.digits(2);
    if (!om) return bad_text(what, text, "the offset minute must be 2 digits (±HH:MM)");
    if (*oh > 23 || *om > 59) return bad_text(what, text, "the offset is out of range (at most ±23:59)");
    offset = seconds{(*oh * 3600 + *om * 60) * (negative ? -1 : 1)};
  } else {
    return bad_text(what, text, "expected 'Z' or an offset ±HH:MM after the time, found " + describe_char(in.peek()));
  }
  if (!in.at_end()) return bad_text(what, text, "unexpected '" + std::string(in.rest()) + "' after the offset");

  auto local = local_days{*date} + std::chrono::hours{*hh} + std::chrono::minutes{*mm} + seconds{*ss};
  return TimePoint{local.time_since_epoch() - offset} + fraction;
}

}  // namespace zhengwu
