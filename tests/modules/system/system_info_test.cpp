// The system information document as a plain function: times in the platform zone,
// uptime from the Clock, modules listed in order.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "kernel/build_info.hpp"
#include "modules/system/system_info.hpp"

namespace zhengwu::modules::system {
namespace {

using namespace std::chrono_literals;

TEST(SystemInfo, ReportsTimeInTheZoneAndUptime) {
  struct Case {
    std::string zone_name;
    std::chrono::seconds offset;
    std::string expected_time;
  };
  const std::vector<Case> cases{
      {"Asia/Shanghai", 8h, "2026-12-04T14:30:00+08:00"},
      {"UTC", 0s, "2026-12-04T06:30:00+00:00"},
      {"America/Fixed", -5h, "2026-12-04T01:30:00-05:00"},
  };
  // 2026-12-04T06:30:00Z
  const TimePoint now = TimePoint(std::chrono::seconds(1796365800));
  for (const auto& c : cases) {
    SystemFacts facts{"postgres", {"system", "data"}, now, now - 90s};
    auto doc = boost::json::parse(system_info_json(facts, TimeZone::fixed(c.zone_name, c.offset))).as_object();
    EXPECT_EQ(doc.at("time").as_string(), c.expected_time) << c.zone_name;
    EXPECT_EQ(doc.at("time_zone").as_string(), c.zone_name);
    EXPECT_EQ(doc.at("uptime_seconds").as_int64(), 90);
    EXPECT_EQ(doc.at("database").at("kind").as_string(), "postgres");
    EXPECT_EQ(doc.at("modules").as_array().size(), 2u);
    EXPECT_EQ(doc.at("modules").as_array()[1].as_string(), "data");
    EXPECT_EQ(doc.at("version").as_string(), build::version());
  }
}

TEST(SystemInfo, UptimeNeverNegative) {
  // A clock set back (tests, OffsetClock) must not print a negative uptime.
  const TimePoint now = TimePoint(std::chrono::seconds(1796365800));
  SystemFacts facts{"sqlite", {}, now, now + 10s};
  auto doc = boost::json::parse(system_info_json(facts, TimeZone::fixed("UTC", 0s))).as_object();
  EXPECT_EQ(doc.at("uptime_seconds").as_int64(), 0);
}

}  // namespace
}  // namespace zhengwu::modules::system
