// GET /api/system/info — what the status page shows.
#include "modules/system/routes.hpp"

#include "kernel/db/database.hpp"
#include "kernel/http/router.hpp"
#include "kernel/platform.hpp"
#include "modules/system/system_info.hpp"

namespace zhengwu::modules::system {

void add_routes(http::Router& router, Platform& platform) {
  router.add({
      .method = http::Method::get,
      .path = "/api/system/info",
      .handler =
          [&platform](http::Request&) {
            SystemFacts facts;
            facts.database_kind = std::string(db::to_string(platform.database().kind()));
            for (const auto& m : platform.modules()) facts.modules.emplace_back(m->name());
            facts.now = platform.clock().now();
            facts.started_at = platform.started_at();
            return http::Response::json(system_info_json(facts, platform.zone()));
          },
      .summary = "Version, build, database kind, time and time zone of this server",
      .tag = "system",
      .response_schema = R"({"type":"object","required":["name","version","commit","database","time","time_zone"],
        "properties":{"name":{"type":"string"},"version":{"type":"string"},"commit":{"type":"string"},
        "build_type":{"type":"string"},"compiler":{"type":"string"},"built_at":{"type":"string"},
        "database":{"type":"object","properties":{"kind":{"type":"string","enum":["sqlite","postgres"]}}},
        "time":{"type":"string","format":"date-time"},"time_zone":{"type":"string"},
        "started_at":{"type":"string","format":"date-time"},"uptime_seconds":{"type":"integer"},
        "modules":{"type":"array","items":{"type":"string"}}}})",
  });
}

}  // namespace zhengwu::modules::system
