// Registration unit of the system module: its name, routes and jobs. This is the whole
// contact surface between a module and the kernel.
#include "modules/system/module.hpp"

#include <spdlog/spdlog.h>

#include "kernel/jobs/scheduler.hpp"
#include "modules/system/routes.hpp"

namespace zhengwu::modules::system {
namespace {

class SystemModule final : public Module {
 public:
  std::string_view name() const override { return "system"; }

  void register_routes(http::Router& router, Platform& platform) override { add_routes(router, platform); }

  void register_jobs(jobs::Scheduler& scheduler, Platform&) override {
    // `system.canary`: an operator schedules one (`zhengwu jobs schedule system.canary`)
    // to see the scheduler pick up and finish work; its run lands in job_runs.
    scheduler.on("system.canary", [](const jobs::Job& job) {
      spdlog::info("canary job {} ran (attempt {}): {}", job.id, job.attempt, job.payload);
    });
  }
};

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<SystemModule>(); }

}  // namespace zhengwu::modules::system
