// The platform's time zone and ISO 8601 text.
//
// GCC 12's standard library has no time-zone database, so zones are read from the
// system's TZif files (/usr/share/zoneinfo, Debian's tzdata package; RFC 8536). The
// platform zone is configurable (`timezone`, default Asia/Shanghai); every time the API
// prints carries its offset (`2026-12-04T14:30:00+08:00`).
//
// Thread-safety: a TimeZone is immutable after load and may be shared between threads.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "kernel/clock.hpp"
#include "kernel/result.hpp"

namespace zhengwu {

class TimeZone {
 public:
  // Loads `name` (an IANA name such as "Asia/Shanghai") from the TZif database under
  // `root`. Fails with ErrorCode::invalid naming the zone when it is unknown or the file
  // is not TZif.
  static Result<TimeZone> load(std::string_view name, std::string_view root = "/usr/share/zoneinfo");
  // A zone with one fixed offset, for tests and for "UTC".
  static TimeZone fixed(std::string name, std::chrono::seconds offset);

  const std::string& name() const;
  std::chrono::seconds offset_at(TimePoint t) const;
  std::chrono::local_seconds to_local(TimePoint t) const;
  // The instant of a local wall time; for a wall time that occurs twice the earlier one,
  // for one skipped by a transition the instant after the gap.
  TimePoint from_local(std::chrono::local_seconds local) const;
  // The local calendar date at instant t.
  std::chrono::year_month_day local_date(TimePoint t) const;

  struct Data;

 private:
  explicit TimeZone(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::shared_ptr<const Data> data_;
};

// "2026-12-04T14:30:00+08:00" (seconds precision; "Z" is never printed).
std::string format_iso8601(TimePoint t, const TimeZone& zone);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)"; an offset is required, so a time is
// never silently read in the wrong zone.
Result<TimePoint> parse_iso8601(std::string_view text);

// "YYYY-MM-DD" for a civil date.
std::string format_date(std::chrono::year_month_day date);
// Strict "YYYY-MM-DD" for a real calendar date (2025-02-29 is refused).
Result<std::chrono::year_month_day> parse_date(std::string_view text);

}  // namespace zhengwu
