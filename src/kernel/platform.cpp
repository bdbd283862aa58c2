// Platform wiring; see platform.hpp for the order of things.
#include "kernel/platform.hpp"

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <csignal>

#include <pthread.h>
#include <filesystem>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <thread>

#include "kernel/audit/audit_log.hpp"
#include "kernel/auth/audit_routes.hpp"
#include "kernel/auth/audit_trail.hpp"
#include "kernel/auth/auth_routes.hpp"
#include "kernel/auth/enterprise_routes.hpp"
#include "kernel/search/text_index.hpp"
#include "kernel/crypto/sm2.hpp"
#include "kernel/auth/clients.hpp"
#include "kernel/auth/guard.hpp"
#include "kernel/auth/identity.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/build_info.hpp"
#include "kernel/crypto/field_cipher.hpp"
#include "kernel/crypto/master_key.hpp"
#include "kernel/calendar/calendar_routes.hpp"
#include "kernel/calendar/calendar_store.hpp"
#include "kernel/db/database.hpp"
#include "kernel/demo/hangzhou_demo.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/http/dispatcher.hpp"
#include "kernel/http/openapi.hpp"
#include "kernel/http/router.hpp"
#include "kernel/http/server.hpp"
#include "kernel/http/static_files.hpp"
#include "kernel/jobs/scheduler.hpp"
#include "kernel/metrics.hpp"
#include "kernel/problem.hpp"

namespace zhengwu {
namespace json = boost::json;

namespace {

std::unique_ptr<Clock> make_clock(const Config& config) {
  if (!config.clock_start) return std::make_unique<SystemClock>();
  auto start = parse_iso8601(*config.clock_start);
  if (!start) throw std::runtime_error("clock.start: " + start.error().message);
  return std::make_unique<OffsetClock>(*start);
}

TimeZone load_zone(const std::string& name) {
  auto zone = TimeZone::load(name);
  if (!zone) throw std::runtime_error("timezone: " + zone.error().message);
  return *zone;
}

}  // namespace

Platform::Platform(Config config, std::unique_ptr<Clock> clock)
    : config_(std::move(config)),
      clock_(clock ? std::move(clock) : make_clock(config_)),
      zone_(load_zone(config_.timezone)),
      started_at_(clock_->now()),
      router_(std::make_unique<http::Router>()),
      metrics_(std::make_unique<Metrics>()) {}

namespace {

// Signs audit checkpoints with the platform's SM2 key (GB/T 32918, default user ID).
class Sm2AuditSigner final : public audit::Signer {
 public:
  explicit Sm2AuditSigner(crypto::Sm2PrivateKey key)
      : key_(std::move(key)), public_(key_.public_key()),
        id_("sm2:" + crypto::to_hex(crypto::sm3(key_.public_key_pem())).substr(0, 16)) {}
  std::string sign(std::string_view data) override { return crypto::to_hex(key_.sign(data)); }
  bool verify(std::string_view data, std::string_view signature) override {
    auto der = crypto::from_hex(signature);
    return der && public_.verify(data, *der);
  }
  std::string key_id() const override { return id_; }

 private:
  crypto::Sm2PrivateKey key_;
  crypto::Sm2PublicKey public_;
  std::string id_;
};

}  // namespace

// Keys derived from the master key, which lives outside the database (master_key.hpp).
struct Platform::Keys {
  crypto::KeyRing fields;  // SM4-CTR + HMAC-SM3 for secrets at rest
};

Platform::~Platform() {
  if (scheduler_) scheduler_->stop();
  if (audit_) audit_->stop();
}

void Platform::add_module(std::unique_ptr<Module> module) { modules_.push_back(std::move(module)); }

auth::SecretSealer Platform::secret_sealer() {
  if (!keys_) throw std::logic_error("Platform::open() has not run");
  return {[this](std::string_view plain) { return take(keys_->fields.encrypt(plain)); },
          [this](std::string_view sealed) -> std::optional<std::string> {
            auto r = keys_->fields.decrypt(sealed);
            if (!r) return std::nullopt;
            return *r;
          }};
}

db::Database& Platform::database() {
  if (!db_) throw std::logic_error("Platform::open() has not run");
  return *db_;
}
http::Router& Platform::router() { return *router_; }
jobs::Scheduler& Platform::scheduler() {
  if (!scheduler_) throw std::logic_error("Platform::open() has not run");
  return *scheduler_;
}
calendar::CalendarStore& Platform::calendar() {
  if (!calendar_) throw std::logic_error("Platform::open() has not run");
  return *calendar_;
}
auth::Identity& Platform::identity() {
  if (!identity_) throw std::logic_error("Platform::open() has not run");
  return *identity_;
}
auth::ClientRegistry& Platform::clients() {
  if (!clients_) throw std::logic_error("Platform::open() has not run");
  return *clients_;
}
audit::AuditLog& Platform::audit() {
  if (!audit_) throw std::logic_error("Platform::open() has not run");
  return *audit_;
}
audit::Signer* Platform::audit_signer() { return audit_signer_.get(); }
auth::OrgDirectory& Platform::orgs() {
  if (!orgs_) throw std::logic_error("Platform::open() has not run");
  return *orgs_;
}
Metrics& Platform::metrics() { return *metrics_; }

void Platform::open() {
  if (db_) return;
  db::Options options;
  options.busy_timeout = config_.database.busy_timeout;
  options.pool_size = config_.database.pool_size;
  db_ = db::Database::open(config_.database_url(), options);

  std::vector<db::Migration> all{{"kernel.platform", 1, "platform settings",
                                  "CREATE TABLE platform_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
                                  "updated_at TEXT NOT NULL)"}};
  for (auto& m : jobs::Scheduler::migrations()) all.push_back(std::move(m));
  for (auto& m : calendar::calendar_migrations()) all.push_back(std::move(m));
  for (auto& m : auth::auth_migrations()) all.push_back(std::move(m));
  for (auto& m : audit::audit_migrations()) all.push_back(std::move(m));
  for (auto& m : search::search_migrations()) all.push_back(std::move(m));
  for (const auto& module : modules_)
    for (auto& m : module->migrations()) all.push_back(std::move(m));
  auto report = db::apply_migrations(*db_, all, *clock_);
  if (report.applied > 0) spdlog::info("migrations: {} applied, {} already in place", report.applied, report.already);

  jobs::SchedulerOptions jobs_options;
  jobs_options.poll_interval = config_.jobs.poll_interval;
  jobs_options.lease = config_.jobs.lease;
  jobs_options.max_attempts = config_.jobs.max_attempts;
  scheduler_ = std::make_unique<jobs::Scheduler>(*db_, *clock_, jobs_options);

  auto hours = calendar::parse_working_hours(config_.calendar.working_hours);
  if (!hours) throw std::runtime_error("calendar.working_hours: " + hours.error().message);
  calendar_ = std::make_unique<calendar::CalendarStore>(*db_, *clock_, *hours, zone_);
  calendar_->load();

  auto master = crypto::MasterKey::load(crypto::MasterKeySource::from_environment(config_.data_dir));
  if (!master) throw std::runtime_error("master key: " + master.error().message);
  keys_ = std::make_unique<Keys>();
  if (auto s = keys_->fields.add("k1", master->derive("field-encryption/1")); !s)
    throw std::runtime_error("field encryption key: " + s.error().message);

  auth::IdentityOptions identity_options;
  identity_options.lockout_attempts = config_.auth.lockout_attempts;
  identity_options.lockout = config_.auth.lockout;
  identity_options.session_idle = config_.auth.session_idle;
  identity_options.session_absolute = config_.auth.session_absolute;
  identity_options.admin_second_factor_required = config_.auth.admin_second_factor_required;
  identity_options.password.min_length = config_.auth.password_min_length;
  identity_options.password.min_classes = config_.auth.password_min_classes;
  identity_options.password.expiry = config_.auth.password_expiry;
  identity_options.argon2.m_cost_kib = config_.auth.argon2_memory_kib;
  identity_options.argon2.t_cost = config_.auth.argon2_iterations;
  orgs_ = std::make_unique<auth::OrgDirectory>(*db_, *clock_);
  identity_ = std::make_unique<auth::Identity>(*db_, *clock_, identity_options);
  identity_->ensure_builtin_roles();
  auth::SecretSealer sealer = secret_sealer();
  identity_->set_secret_sealer(sealer);
  clients_ = std::make_unique<auth::ClientRegistry>(*db_, *clock_, sealer);

  auto audit_key = crypto::load_or_create_audit_signing_key(config_.data_dir);
  if (!audit_key) throw std::runtime_error("audit signing key: " + audit_key.error().message);
  audit_signer_ = std::make_unique<Sm2AuditSigner>(std::move(*audit_key));
  audit_ = std::make_unique<audit::AuditLog>(*db_, *clock_, audit::AuditOptions{}, audit_signer_.get());
}

bool Platform::seed_demo() {
  open();
  auto seeded = db_->query("SELECT value FROM platform_settings WHERE key = 'demo.seeded_at'");
  if (!seeded.empty()) {
    spdlog::info("demo data already seeded at {}", seeded[0].get<std::string>(0));
    return false;
  }
  demo::seed_hangzhou(*this);
  for (const auto& module : modules_) {
    spdlog::info("demo: seeding module {}", module->name());
    module->seed_demo(*this);
  }
  auto now = format_iso8601(clock_->now(), zone_);
  db_->execute("INSERT INTO platform_settings (key, value, updated_at) VALUES ('demo.seeded_at', ?, ?)", {now, now});
  return true;
}

void Platform::add_kernel_routes() {
  auto& r = *router_;
  r.add({.method = http::Method::get,
         .path = "/healthz",
         .handler = [](http::Request&) { return http::Response::json(R"({"status":"ok"})"); },
         .summary = "Liveness: the process is up",
         .tag = "operations",
         .response_schema = R"({"type":"object","properties":{"status":{"type":"string","const":"ok"}}})",
         .infrastructure = true});
  r.add({.method = http::Method::get,
         .path = "/readyz",
         .handler =
             [this](http::Request&) {
               bool ok = db_->ping();
               if (!ok) return problem(503, "the database is not reachable");
               json::object body{{"status", "ready"},
                                 {"database", json::object{{"kind", db::to_string(db_->kind())}, {"ok", true}}}};
               return http::Response::json(json::serialize(body));
             },
         .summary = "Readiness: the database answers",
         .tag = "operations",
         .response_schema = R"({"type":"object","properties":{"status":{"type":"string"},"database":{"type":"object","properties":{"kind":{"type":"string","enum":["sqlite","postgres"]},"ok":{"type":"boolean"}}}}})",
         .infrastructure = true});
  r.add({.method = http::Method::get,
         .path = "/metrics",
         .handler =
             [this](http::Request&) {
               return http::Response::text(metrics_->render(), "text/plain; version=0.0.4; charset=utf-8");
             },
         .summary = "Prometheus metrics",
         .tag = "operations",
         .response_schema = R"({"type":"string"})",
         .response_content_type = "text/plain",
         .infrastructure = true});
  r.add({.method = http::Method::get,
         .path = "/api/openapi.json",
         .handler =
             [this](http::Request&) {
               http::ApiInfo info{"Zhengwu", std::string(build::version()),
                                  "The HTTP API of the Zhengwu smart-government platform."};
               return http::Response::json(http::openapi_document(*router_, info));
             },
         .summary = "This OpenAPI 3.1 document",
         .tag = "operations",
         .response_schema = R"({"type":"object"})",
         .infrastructure = true});
  calendar::add_calendar_routes(r, *calendar_);
  auth::add_auth_routes(r, *identity_, *orgs_, *clients_, zone_, *clock_);
  auth::add_enterprise_routes(r, *db_, *identity_, zone_, *clock_);
  auth::add_audit_routes(r, *db_, audit_signer_.get(), zone_);
}

void Platform::register_routes() {
  if (routes_registered_) return;
  add_kernel_routes();
  scheduler_->every("auth.prune-nonces", std::chrono::minutes(10), [this] { clients_->prune_nonces(); });
  for (const auto& module : modules_) {
    module->register_routes(*router_, *this);
    module->register_jobs(*scheduler_, *this);
  }
  routes_registered_ = true;

  metrics_->add_collector([this](std::string& out) {
    auto stats = db_->pool_stats();
    out += "# HELP zhengwu_db_connections Database connections by state.\n# TYPE zhengwu_db_connections gauge\n";
    out += fmt::format("zhengwu_db_connections{{state=\"open\"}} {}\n", stats.size);
    out += fmt::format("zhengwu_db_connections{{state=\"in_use\"}} {}\n", stats.in_use);
    out += fmt::format("zhengwu_db_connections{{state=\"capacity\"}} {}\n", stats.capacity);
    out += "# HELP zhengwu_db_pool_waits_total Connection acquisitions that had to wait.\n"
           "# TYPE zhengwu_db_pool_waits_total counter\n";
    out += fmt::format("zhengwu_db_pool_waits_total {}\n", stats.waits);
    out += "# HELP zhengwu_build_info Build of this process.\n# TYPE zhengwu_build_info gauge\n";
    out += fmt::format("zhengwu_build_info{{version=\"{}\",commit=\"{}\",build_type=\"{}\",database=\"{}\"}} 1\n",
                       Metrics::label(build::version()), Metrics::label(build::commit()),
                       Metrics::label(build::build_type()), db::to_string(db_->kind()));
    out += "# HELP zhengwu_scheduler_owner Whether this process runs the job scheduler.\n"
           "# TYPE zhengwu_scheduler_owner gauge\n";
    out += fmt::format("zhengwu_scheduler_owner {}\n", scheduler_->owns_scheduler() ? 1 : 0);
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(clock_->now() - started_at_).count();
    out += "# HELP zhengwu_uptime_seconds Seconds since the process started.\n# TYPE zhengwu_uptime_seconds gauge\n";
    out += fmt::format("zhengwu_uptime_seconds {}\n", uptime);
  });
}

int Platform::serve() {
  open();
  register_routes();

  http::DispatcherOptions dopts{config_.http.cors_origins, config_.http.access_log};
  http::Dispatcher dispatcher(*router_, *metrics_, dopts);
  dispatcher.set_guard(auth::make_guard(*identity_, clients_.get()));
  dispatcher.use(auth::make_audit_middleware(*audit_));
  if (config_.http.rate_limit_per_second > 0)
    dispatcher.set_rate_limiter(
        http::make_token_bucket_limiter(config_.http.rate_limit_per_second, config_.http.rate_limit_burst));
  if (!config_.http.web_root.empty()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(std::filesystem::path(config_.http.web_root) / "index.html", ec)) {
      dispatcher.set_static_files(std::make_unique<http::StaticFiles>(config_.http.web_root));
      spdlog::info("serving the web app from {}", config_.http.web_root);
    } else {
      spdlog::warn("http.web_root {} has no index.html: the web app is not served (build it with ./zw build)",
                   config_.http.web_root);
    }
  }

  http::ServerLimits limits;
  limits.body_limit = config_.http.body_limit;
  limits.header_limit = config_.http.header_limit;
  limits.header_timeout = config_.http.header_timeout;
  limits.body_timeout = config_.http.body_timeout;
  limits.idle_timeout = config_.http.idle_timeout;
  limits.write_timeout = config_.http.write_timeout;
  limits.max_connections = config_.http.max_connections;
  limits.shutdown_grace = config_.http.shutdown_grace;

  http::Server server(
      limits, [&dispatcher](http::Request& req) { return dispatcher.handle(req); },
      [this](http::Method m, std::string_view path) { return router_->body_limit(m, path); },
      [this](int status, std::string_view reason, std::string_view remote) {
        metrics_->observe_request("(protocol)", "-", status, 0);
        spdlog::info("{} refused with {}: {}", remote, status, reason);
      });
  // Spooled request bodies (large uploads) wait under the data directory; a file left
  // there by a process that died mid-upload belongs to no request any more.
  const auto spool = std::filesystem::path(config_.data_dir) / "spool";
  std::error_code spool_ec;
  std::filesystem::remove_all(spool, spool_ec);
  server.spool_bodies(spool, [this](http::Method m, std::string_view path) { return router_->spools_body(m, path); });
  server.listen(config_.http.listen);
  server.on_stopping([this] {
    // Stop taking new jobs at once; the job in hand finishes.
    scheduler_->stop();
  });
  if (config_.jobs.enabled) scheduler_->start();

  unsigned threads = config_.http.threads ? config_.http.threads : std::max(1u, std::thread::hardware_concurrency());
  spdlog::info("zhengwu {} ({}) on {} with {} threads, database {}", build::version(), build::commit(),
               server.local_address(), threads, db_->describe());
  // The one line on stdout that tools wait for (tests, ./zw, the browser harness).
  std::printf("zhengwu listening on http://%s\n", server.local_address().c_str());
  std::fflush(stdout);
  server.run(threads, true);
  // Stopping now: a second SIGTERM or SIGINT must not cut the flush of the audit log
  // short. When the server is destroyed, Asio gives the signals back their default
  // action (terminate); blocked here, they stay pending and the process exits 0 once the
  // last records are durable (the other threads are joined by then).
  sigset_t stopping;
  sigemptyset(&stopping);
  sigaddset(&stopping, SIGTERM);
  sigaddset(&stopping, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopping, nullptr);
  scheduler_->stop();
  audit_->stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace zhengwu
