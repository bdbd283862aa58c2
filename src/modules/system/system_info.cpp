// System information document.
#include "modules/system/system_info.hpp"

#include <boost/json.hpp>

#include "kernel/build_info.hpp"

namespace zhengwu::modules::system {

std::string system_info_json(const SystemFacts& facts, const TimeZone& zone) {
  namespace json = boost::json;
  json::array modules;
  for (const auto& m : facts.modules) modules.emplace_back(m);
  auto uptime = std::chrono::duration_cast<std::chrono::seconds>(facts.now - facts.started_at).count();
  json::object o{
      {"name", "Zhengwu"},
      {"version", build::version()},
      {"commit", build::commit()},
      {"build_type", build::build_type()},
      {"compiler", build::compiler()},
      {"built_at", build::built_at()},
      {"database", json::object{{"kind", facts.database_kind}}},
      {"time", format_iso8601(facts.now, zone)},
      {"time_zone", zone.name()},
      {"started_at", format_iso8601(facts.started_at, zone)},
      {"uptime_seconds", uptime < 0 ? 0 : uptime},
      {"modules", std::move(modules)},
  };
  return json::serialize(o);
}

}  // namespace zhengwu::modules::system
