// The system information document, as a plain function of its inputs so that it can be
// tested without a server.
#pragma once

#include <string>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::modules::system {

struct SystemFacts {
  std::string database_kind;
  std::vector<std::string> modules;
  TimePoint now;
  TimePoint started_at;
};

// `{name, version, commit, build_type, compiler, built_at, database: {kind}, time,
// time_zone, started_at, uptime_seconds, modules}` as JSON text.
std::string system_info_json(const SystemFacts& facts, const TimeZone& zone);

}  // namespace zhengwu::modules::system
