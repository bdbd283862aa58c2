// What a module is to the kernel.
//
// A module is a folder under src/modules/ with one registration unit (`module.cpp`) that
// returns a `Module`. The kernel calls it at fixed points of start-up — migrations, routes,
// jobs, demo data — and never includes anything else of it. `main.cpp` lists the
// compiled-in modules explicitly, in order: no static-initialiser registration.
// docs/architecture.md walks through `modules/system` as the example to copy.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "kernel/db/migrations.hpp"

namespace zhengwu {

class Platform;

namespace http {
class Router;
}
namespace jobs {
class Scheduler;
}

class Module {
 public:
  virtual ~Module() = default;

  // Short lower-case name; prefixes the module's migrations, permissions and job kinds.
  virtual std::string_view name() const = 0;
  // The module's schema, numbered 1, 2, 3 ... (module name in each Migration).
  virtual std::vector<db::Migration> migrations() const { return {}; }
  // Adds the module's HTTP routes. Called once, after migrations.
  virtual void register_routes(http::Router& /*router*/, Platform& /*platform*/) {}
  // Adds timer kinds, recurring jobs and event subscriptions.
  virtual void register_jobs(jobs::Scheduler& /*scheduler*/, Platform& /*platform*/) {}
  // Writes the module's part of the Hangzhou demo into a fresh database. Called in
  // registration order, so a module may rely on what earlier ones seeded.
  virtual void seed_demo(Platform& /*platform*/) {}
};

}  // namespace zhengwu
