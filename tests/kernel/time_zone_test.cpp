// Time zones read from TZif files, and the ISO 8601 / date text of the API.
//
// Expected offsets come from the tz database as `zdump -v Asia/Shanghai` and
// `zdump -v America/New_York` print it (China kept summer time 1986-1991; New York
// changes on the second Sunday of March and the first Sunday of November).
#include "kernel/time_zone.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace zhengwu {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

TimePoint utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

local_seconds wall(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return local_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

TimeZone load(std::string_view name) {
  auto zone = TimeZone::load(name);
  EXPECT_TRUE(zone.ok()) << (zone.ok() ? "" : zone.error().message);
  return zone.ok() ? *zone : TimeZone::fixed("broken", 0s);
}

// A scratch directory for hand-made zone files, removed afterwards.
class ZoneDir {
 public:
  ZoneDir() : path_(std::filesystem::temp_directory_path() / ("zhengwu-tz-" + std::to_string(::getpid()) + "-" +
                                                               std::to_string(counter_++))) {
    std::filesystem::create_directories(path_);
  }
  ~ZoneDir() { std::filesystem::remove_all(path_); }
  void write(const std::string& name, const std::string& bytes) const {
    std::filesystem::create_directories((path_ / name).parent_path());
    std::ofstream(path_ / name, std::ios::binary) << bytes;
  }
  std::string root() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

void put_be(std::string& out, std::int64_t v, int width) {
  for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<char>((static_cast<std::uint64_t>(v) >> (8 * i)) & 0xff));
}

// A version-1 TZif file (32-bit times only) with the given transitions; offsets[0] is
// also the type in force before the first transition.
std::string tzif_v1(const std::vector<std::int64_t>& times, const std::vector<std::int32_t>& offsets) {
  std::string out = "TZif";
  out.push_back('\0');
  out.append(15, '\0');
  const std::string chars = "AAA";
  put_be(out, 0, 4);                                      // isutcnt
  put_be(out, 0, 4);                                      // isstdcnt
  put_be(out, 0, 4);                                      // leapcnt
  put_be(out, static_cast<std::int64_t>(times.size()), 4);    // timecnt
  put_be(out, static_cast<std::int64_t>(offsets.size()), 4);  // typecnt
  put_be(out, static_cast<std::int64_t>(chars.size() + 1), 4);
  for (auto t : times) put_be(out, t, 4);
  for (std::size_t i = 0; i < times.size(); ++i) out.push_back(static_cast<char>((i + 1) % offsets.size()));
  for (auto o : offsets) {
    put_be(out, o, 4);
    out.push_back('\0');  // is_dst
    out.push_back('\0');  // designation index
  }
  out += chars;
  out.push_back('\0');
  return out;
}

// ---- loading ----

TEST(TimeZoneTest, ShanghaiIsEightHoursAheadToday) {
  TimeZone sh = load("Asia/Shanghai");
  EXPECT_EQ(sh.name(), "Asia/Shanghai");
  EXPECT_EQ(sh.offset_at(utc(2025, 1, 6, 1)), 8h);
  EXPECT_EQ(sh.offset_at(utc(2025, 7, 1, 1)), 8h);  // no summer time since 1991
  EXPECT_EQ(sh.offset_at(utc(2036, 7, 1)), 8h);
  EXPECT_EQ(format_iso8601(utc(2026, 12, 4, 6, 30), sh), "2026-12-04T14:30:00+08:00");
}

TEST(TimeZoneTest, ShanghaiHistoricSummerTime) {
  TimeZone sh = load("Asia/Shanghai");
  struct Row {
    TimePoint at;
    seconds offset;
  };
  const std::vector<Row> rows = {
      {utc(1988, 6, 1), 9h},                 // summer time 1988-04-17 .. 1988-09-11
      {utc(1988, 12, 1), 8h},
      {utc(1988, 4, 16, 17, 59, 59), 8h},    // last second of standard time
      {utc(1988, 4, 16, 18), 9h},            // 1988-04-17 02:00 local became 03:00
      {utc(1988, 9, 10, 16, 59, 59), 9h},
      {utc(1988, 9, 10, 17), 8h},            // 1988-09-11 02:00 local became 01:00
      {utc(1991, 7, 1), 9h},                 // the last summer
      {utc(1992, 7, 1), 8h},
  };
  for (const auto& r : rows) EXPECT_EQ(sh.offset_at(r.at), r.offset) << format_iso8601(r.at, TimeZone::fixed("UTC", 0s));
  EXPECT_EQ(format_iso8601(utc(1988, 6, 1), sh), "1988-06-01T09:00:00+09:00");
  EXPECT_EQ(sh.to_local(utc(1988, 6, 1)), wall(1988, 6, 1, 9));
}

TEST(TimeZoneTest, ShanghaiFromLocalAroundTransitions) {
  TimeZone sh = load("Asia/Shanghai");
  // 02:30 on 1988-04-17 never happened: the instant after the gap is the transition.
  EXPECT_EQ(sh.from_local(wall(1988, 4, 17, 2, 30)), utc(1988, 4, 16, 18));
  // 01:30 on 1988-09-11 happened twice (+09:00, then +08:00): the earlier one.
  EXPECT_EQ(sh.from_local(wall(1988, 9, 11, 1, 30)), utc(1988, 9, 10, 16, 30));
  EXPECT_EQ(sh.from_local(wall(2025, 1, 6, 9)), utc(2025, 1, 6, 1));
}

TEST(TimeZoneTest, Utc) {
  TimeZone z = load("UTC");
  EXPECT_EQ(z.offset_at(utc(2025, 1, 1)), 0s);
  EXPECT_EQ(z.offset_at(utc(1960, 1, 1)), 0s);
  EXPECT_EQ(format_iso8601(utc(2025, 3, 9, 7, 0, 5), z), "2025-03-09T07:00:05+00:00");
  EXPECT_EQ(z.from_local(wall(2025, 3, 9, 7)), utc(2025, 3, 9, 7));
}

TEST(TimeZoneTest, NewYorkDaylightSavingTime) {
  TimeZone ny = load("America/New_York");
  struct Row {
    TimePoint at;
    seconds offset;
  };
  const std::vector<Row> rows = {
      {utc(2025, 1, 15, 12), -5h},
      {utc(2025, 7, 1, 12), -4h},
      {utc(2025, 3, 9, 6, 59, 59), -5h},
      {utc(2025, 3, 9, 7), -4h},  // 2025-03-09 02:00 EST became 03:00 EDT
      {utc(2025, 11, 2, 5, 59, 59), -4h},
      {utc(2025, 11, 2, 6), -5h},  // 2025-11-02 02:00 EDT became 01:00 EST
      {utc(2036, 7, 1), -4h},
  };
  for (const auto& r : rows) EXPECT_EQ(ny.offset_at(r.at), r.offset);
  EXPECT_EQ(format_iso8601(utc(2025, 7, 4, 16), ny), "2025-07-04T12:00:00-04:00");
  EXPECT_EQ(ny.from_local(wall(2025, 3, 9, 2, 30)), utc(2025, 3, 9, 7));      // in the gap
  EXPECT_EQ(ny.from_local(wall(2025, 11, 2, 1, 30)), utc(2025, 11, 2, 5, 30));  // twice: EDT
  EXPECT_EQ(ny.from_local(wall(2025, 11, 2, 3)), utc(2025, 11, 2, 8));
  EXPECT_EQ(ny.local_date(utc(2025, 1, 6, 3)), year{2025} / January / day{5});
}

TEST(TimeZoneTest, LocalDateFollowsTheZone) {
  TimeZone sh = load("Asia/Shanghai");
  EXPECT_EQ(sh.local_date(utc(2025, 1, 5, 15, 59, 59)), year{2025} / January / day{5});
  EXPECT_EQ(sh.local_date(utc(2025, 1, 5, 16)), year{2025} / January / day{6});
}

TEST(TimeZoneTest, UnknownAndUnsafeNamesAreRefused) {
  struct Row {
    std::string name;
    std::string message_part;
  };
  const std::vector<Row> rows = {
      {"Mars/Olympus_Mons", "unknown zone"},
      {"Asia", "unknown zone"},  // a directory
      {"../../etc/passwd", "not a valid zone name"},
      {"/etc/localtime", "not a valid zone name"},
      {"Asia/../UTC", "not a valid zone name"},
      {"", "not a valid zone name"},
      {"Asia/Shang hai", "not a valid zone name"},
  };
  for (const auto& r : rows) {
    auto zone = TimeZone::load(r.name);
    ASSERT_FALSE(zone.ok()) << r.name;
    EXPECT_EQ(zone.error().code, ErrorCode::invalid);
    EXPECT_NE(zone.error().message.find("'" + r.name + "'"), std::string::npos) << zone.error().message;
    EXPECT_NE(zone.error().message.find(r.message_part), std::string::npos) << zone.error().message;
  }
}

TEST(TimeZoneTest, FilesThatAreNotTzifAreRefused) {
  ZoneDir dir;
  dir.write("Bad/Text", "this is not a zone file");
  std::string truncated = tzif_v1({0, 100}, {3600, 7200});
  truncated.resize(truncated.size() - 10);
  dir.write("Bad/Truncated", truncated);
  dir.write("Bad/Empty", "");
  for (const char* name : {"Bad/Text", "Bad/Truncated", "Bad/Empty"}) {
    auto zone = TimeZone::load(name, dir.root());
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_NE(zone.error().message.find(name), std::string::npos);
  }
}

TEST(TimeZoneTest, ReadsVersionOneFiles) {
  ZoneDir dir;
  // +01:00 until 1000000000 (2001-09-09T01:46:40Z), then +02:00 until 1100000000, then +01:00.
  dir.write("Test/V1", tzif_v1({1000000000, 1100000000}, {3600, 7200}));
  auto zone = TimeZone::load("Test/V1", dir.root());
  ASSERT_TRUE(zone.ok()) << zone.error().message;
  EXPECT_EQ(zone->offset_at(TimePoint{999999999s}), 1h);
  EXPECT_EQ(zone->offset_at(TimePoint{1000000000s}), 2h);
  EXPECT_EQ(zone->offset_at(TimePoint{1099999999s}), 2h);
  EXPECT_EQ(zone->offset_at(TimePoint{1100000000s}), 1h);
  EXPECT_EQ(zone->offset_at(TimePoint{2000000000s}), 1h);  // the last offset continues
}

TEST(TimeZoneTest, FixedZone) {
  TimeZone z = TimeZone::fixed("UTC+08", 8h);
  EXPECT_EQ(z.name(), "UTC+08");
  EXPECT_EQ(z.offset_at(utc(1900, 1, 1)), 8h);
  EXPECT_EQ(format_iso8601(utc(2025, 1, 1), z), "2025-01-01T08:00:00+08:00");
  EXPECT_EQ(z.from_local(wall(2025, 1, 1, 8)), utc(2025, 1, 1));
}

TEST(TimeZoneTest, FormatRoundTripsThroughParse) {
  const std::vector<std::string> zones = {"Asia/Shanghai", "UTC", "America/New_York"};
  const std::vector<TimePoint> instants = {
      utc(2025, 1, 6, 1), utc(1988, 6, 1), utc(1988, 9, 10, 16, 30), utc(2025, 3, 9, 7),
      utc(2025, 11, 2, 5, 30), utc(2025, 11, 2, 6, 30), utc(1970, 1, 1), utc(1960, 2, 29, 23, 59, 59),
      utc(2200, 12, 31, 23, 59, 59), utc(1900, 1, 1, 12),  // Shanghai: local mean time +08:05:43
  };
  for (const auto& name : zones) {
    TimeZone z = load(name);
    for (TimePoint t : instants) {
      std::string text = format_iso8601(t, z);
      auto back = parse_iso8601(text);
      ASSERT_TRUE(back.ok()) << text << ": " << back.error().message;
      EXPECT_EQ(*back, t) << name << " " << text;
      // Wall time read back through the zone names the same instant (none of these is in
      // the second pass of a repeated hour, where from_local picks the first).
      if (t != utc(2025, 11, 2, 6, 30)) {
        EXPECT_EQ(z.from_local(z.to_local(t)), t) << name << " " << text;
      }
    }
  }
}

TEST(TimeZoneTest, FormatDropsSubSeconds) {
  TimeZone z = TimeZone::fixed("UTC", 0s);
  EXPECT_EQ(format_iso8601(utc(2025, 1, 1) + 999ms, z), "2025-01-01T00:00:00+00:00");
  EXPECT_EQ(format_iso8601(utc(1969, 12, 31, 23, 59, 59) + 500ms, z), "1969-12-31T23:59:59+00:00");
}

// ---- ISO 8601 text ----

TEST(Iso8601Test, ParsesTimesWithOffsets) {
  struct Row {
    std::string text;
    TimePoint expected;
  };
  const std::vector<Row> rows = {
      {"2025-01-06T09:00:00+08:00", utc(2025, 1, 6, 1)},
      {"2025-01-06T01:00:00Z", utc(2025, 1, 6, 1)},
      {"2025-01-05T20:00:00-05:00", utc(2025, 1, 6, 1)},
      {"2025-01-06T01:00:00+00:00", utc(2025, 1, 6, 1)},
      {"2025-01-06T01:00:00-00:00", utc(2025, 1, 6, 1)},
      {"2025-01-06T06:45:00+05:45", utc(2025, 1, 6, 1)},
      {"2025-01-06T01:00:00.5Z", utc(2025, 1, 6, 1) + 500ms},
      {"2025-01-06T01:00:00.123456789Z", utc(2025, 1, 6, 1) + 123456789ns},
      {"2025-01-06T01:00:00.1234567891234Z", utc(2025, 1, 6, 1) + 123456789ns},  // cut to ns
      {"2024-02-29T23:59:59+08:00", utc(2024, 2, 29, 15, 59, 59)},
      {"2025-01-01T00:00:00+08:00", utc(2024, 12, 31, 16)},
  };
  for (const auto& r : rows) {
    auto t = parse_iso8601(r.text);
    ASSERT_TRUE(t.ok()) << r.text << ": " << t.error().message;
    EXPECT_EQ(*t, r.expected) << r.text;
  }
}

TEST(Iso8601Test, RefusesMalformedTextNamingTheProblem) {
  struct Row {
    std::string text;
    std::string message_part;
  };
  const std::vector<Row> rows = {
      {"", "empty"},
      {"2025-01-06", "time of day is missing"},
      {"2025-01-06T09:00:00", "UTC offset is missing"},
      {"2025-01-06 09:00:00+08:00", "expected 'T'"},
      {"2025-01-06t09:00:00Z", "expected 'T'"},
      {"25-01-06T09:00:00Z", "year must be 4 digits"},
      {"2025/01/06T09:00:00Z", "expected '-' after the year"},
      {"2025-1-06T09:00:00Z", "month must be 2 digits"},
      {"2025-13-01T00:00:00Z", "month 13 does not exist"},
      {"2025-00-01T00:00:00Z", "month 0 does not exist"},
      {"2025-02-29T00:00:00Z", "day 29 does not exist"},
      {"2025-04-31T00:00:00Z", "day 31 does not exist"},
      {"2025-01-06T24:00:00Z", "hour 24"},
      {"2025-01-06T09:60:00Z", "minute 60"},
      {"2025-01-06T09:00:60Z", "leap seconds"},
      {"2025-01-06T09:00Z", "seconds are required"},
      {"2025-01-06T9:00:00Z", "hour must be 2 digits"},
      {"2025-01-06T09:00:00.Z", "digits after the decimal point"},
      {"2025-01-06T09:00:00+0800", "expected ':' in the offset"},
      {"2025-01-06T09:00:00+8:00", "offset hour must be 2 digits"},
      {"2025-01-06T09:00:00+24:00", "offset is out of range"},
      {"2025-01-06T09:00:00+08:60", "offset is out of range"},
      {"2025-01-06T09:00:00 +08:00", "expected 'Z' or an offset"},
      {"2025-01-06T09:00:00z", "expected 'Z' or an offset"},
      {"2025-01-06T09:00:00+08:00x", "unexpected 'x'"},
      {"2025-01-06T09:00:00ZZ", "unexpected 'Z'"},
      {"0001-01-01T00:00:00Z", "outside the supported range"},
      {"9999-12-31T23:59:59Z", "outside the supported range"},
  };
  for (const auto& r : rows) {
    auto t = parse_iso8601(r.text);
    ASSERT_FALSE(t.ok()) << "accepted: " << r.text;
    EXPECT_EQ(t.error().code, ErrorCode::invalid);
    EXPECT_NE(t.error().message.find(r.message_part), std::string::npos)
        << r.text << " -> " << t.error().message;
    EXPECT_NE(t.error().message.find("'" + r.text + "'"), std::string::npos) << t.error().message;
  }
}

TEST(IsoDateTest, ParsesAndFormatsRealDates) {
  struct Row {
    std::string text;
    year_month_day expected;
  };
  const std::vector<Row> rows = {
      {"2025-01-06", year{2025} / January / day{6}},
      {"2024-02-29", year{2024} / February / day{29}},
      {"2000-02-29", year{2000} / February / day{29}},
      {"1900-01-01", year{1900} / January / day{1}},
      {"2200-12-31", year{2200} / December / day{31}},
  };
  for (const auto& r : rows) {
    auto d = parse_date(r.text);
    ASSERT_TRUE(d.ok()) << r.text << ": " << d.error().message;
    EXPECT_EQ(*d, r.expected);
    EXPECT_EQ(format_date(r.expected), r.text);
  }
}

TEST(IsoDateTest, RefusesWhatIsNotAStrictRealDate) {
  struct Row {
    std::string text;
    std::string message_part;
  };
  const std::vector<Row> rows = {
      {"", "empty"},
      {"2025-02-29", "day 29 does not exist"},
      {"1900-02-29", "day 29 does not exist"},  // not a leap year (century)
      {"2025-04-31", "day 31 does not exist"},
      {"2025-00-10", "month 0 does not exist"},
      {"2025-01-00", "day 0 does not exist"},
      {"2025-1-06", "month must be 2 digits"},
      {"2025-01-6", "day must be 2 digits"},
      {" 2025-01-06", "year must be 4 digits"},
      {"2025-01-06 ", "unexpected ' '"},
      {"2025-01-06T00:00:00Z", "unexpected 'T00:00:00Z'"},
      {"20250106", "expected '-' after the year"},
      {"2025-01-06\n", "unexpected"},
  };
  for (const auto& r : rows) {
    auto d = parse_date(r.text);
    ASSERT_FALSE(d.ok()) << "accepted: " << r.text;
    EXPECT_NE(d.error().message.find(r.message_part), std::string::npos) << r.text << " -> " << d.error().message;
  }
}

}  // namespace
}  // namespace zhengwu
