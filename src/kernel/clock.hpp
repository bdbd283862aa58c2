// The clock seam. Every piece of the platform that needs "now" asks a `Clock`, never
// std::chrono::system_clock directly, so tests can set time (ManualClock) and an operator
// can run a rehearsal at a chosen date (OffsetClock, `[clock] start` in the config).
//
// Thread-safety: all implementations here are safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace zhengwu {

using TimePoint = std::chrono::system_clock::time_point;

// Milliseconds since the Unix epoch: how tables store times (BIGINT), so that both engines
// compare them the same way.
inline std::int64_t to_unix_ms(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline TimePoint from_unix_ms(std::int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// Time stands still until a test moves it.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : ticks_(start.time_since_epoch().count()) {}
  TimePoint now() const override { return TimePoint(TimePoint::duration(ticks_.load())); }
  void set(TimePoint t) { ticks_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::nanoseconds d) {
    ticks_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(d).count());
  }

 private:
  std::atomic<TimePoint::rep> ticks_;
};

// Starts at a chosen instant and then runs at the speed of real time.
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(TimePoint start) : offset_(start - std::chrono::system_clock::now()) {}
  TimePoint now() const override { return std::chrono::system_clock::now() + offset_; }

 private:
  TimePoint::duration offset_;
};

}  // namespace zhengwu
