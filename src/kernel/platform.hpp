// The Platform: everything one `zhengwu` process runs on, built from a Config.
//
// It owns the clock, the time zone, the database, the router, the scheduler, the
// working-day calendar, the metrics and the modules, and wires them in a fixed order:
//
//   open():  database → kernel migrations → module migrations (registration order)
//   serve(): kernel routes → module routes and jobs → scheduler → HTTP server
//
// Modules reach kernel services through the accessors here. Only main.cpp creates a
// Platform; tests create their own, usually on a temporary SQLite file.
//
// Thread-safety: configure and open from one thread; after serve() starts, the services
// are used from the server's threads and each documents its own thread-safety.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/config.hpp"
#include "kernel/module.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu {

namespace db {
class Database;
}
namespace http {
class Router;
class Dispatcher;
}  // namespace http
namespace jobs {
class Scheduler;
}
namespace audit {
class AuditLog;
class Signer;
}  // namespace audit
namespace calendar {
class CalendarStore;
}
namespace auth {
class Identity;
class OrgDirectory;
class ClientRegistry;
struct SecretSealer;
}  // namespace auth
class Metrics;

class Platform {
 public:
  // Throws std::runtime_error with a readable message when the configuration cannot be
  // used (unknown time zone, bad clock start).
  explicit Platform(Config config, std::unique_ptr<Clock> clock = nullptr);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  void add_module(std::unique_ptr<Module> module);

  // Opens the database and applies every pending migration (kernel first, then modules).
  void open();
  // Seeds every module's demo data unless this database has it already (a marker in
  // platform_settings); returns whether it seeded.
  bool seed_demo();
  // Serves HTTP until SIGTERM/SIGINT and returns the process exit code. Once listening
  // it prints "zhengwu listening on http://ADDRESS" on stdout.
  int serve();

  const Config& config() const { return config_; }
  const Clock& clock() const { return *clock_; }
  const TimeZone& zone() const { return zone_; }
  db::Database& database();
  http::Router& router();
  jobs::Scheduler& scheduler();
  calendar::CalendarStore& calendar();
  auth::Identity& identity();
  auth::OrgDirectory& orgs();
  auth::ClientRegistry& clients();
  audit::AuditLog& audit();
  audit::Signer* audit_signer();
  // Seals secrets kept in the database under the master key (SM4-CTR + HMAC-SM3) and
  // opens them again: for modules that keep secrets of their own (push subscriptions).
  // Valid after open(), while the Platform lives.
  auth::SecretSealer secret_sealer();
  Metrics& metrics();
  const std::vector<std::unique_ptr<Module>>& modules() const { return modules_; }
  TimePoint started_at() const { return started_at_; }

 private:
  void register_routes();
  void add_kernel_routes();

  Config config_;
  std::unique_ptr<Clock> clock_;
  TimeZone zone_;
  TimePoint started_at_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<jobs::Scheduler> scheduler_;
  std::unique_ptr<calendar::CalendarStore> calendar_;
  std::unique_ptr<auth::OrgDirectory> orgs_;
  std::unique_ptr<auth::Identity> identity_;
  std::unique_ptr<auth::ClientRegistry> clients_;
  std::unique_ptr<audit::Signer> audit_signer_;
  std::unique_ptr<audit::AuditLog> audit_;
  struct Keys;
  std::unique_ptr<Keys> keys_;
  std::vector<std::unique_ptr<Module>> modules_;
  bool routes_registered_ = false;
};

}  // namespace zhengwu
