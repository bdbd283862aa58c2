// The `zhengwu` command: parses the command line, builds the Platform with the compiled-in
// modules, and runs one command. No business logic lives here.
//
// Exit codes: 0 success; 1 the command failed (database unreachable, backup failed, ...);
// 2 bad usage or bad input (unknown option, malformed date, bad configuration).
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include <unistd.h>
#include <spdlog/spdlog.h>

#include "kernel/audit/audit_log.hpp"
#include "kernel/audit/verify.hpp"
#include "kernel/auth/clients.hpp"
#include "kernel/auth/identity.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/build_info.hpp"
#include "kernel/calendar/calendar_commands.hpp"
#include "kernel/config.hpp"
#include "kernel/db/backup.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/database_url.hpp"
#include "kernel/jobs/scheduler.hpp"
#include "kernel/log.hpp"
#include "kernel/platform.hpp"
#include "modules/data/module.hpp"
#include "modules/system/module.hpp"

namespace {

using namespace zhengwu;

// The modules compiled into this binary, in registration order (a module's migrations
// and demo data may rely on those before it).
void add_modules(Platform& platform) {
  platform.add_module(modules::system::make_module());
  platform.add_module(modules::data::make_module());
}

int fail(const std::string& message, int code = 1) {
  std::cerr << "zhengwu: " << message << "\n";
  return code;
}

// Removes an embedded database file and its WAL companions, for `demo --reset`.
void remove_sqlite_files(const std::string& url) {
  auto parsed = db::parse_database_url(url);
  if (parsed.kind != db::Kind::sqlite || parsed.sqlite_memory)
    throw std::runtime_error("demo --reset only removes the embedded SQLite database; reset PostgreSQL yourself");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(parsed.sqlite_path + suffix);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Zhengwu (政务): the smart-government platform.\n"
               "Environment: ZHENGWU_DATA_DIR, ZHENGWU_DB_URL, ZHENGWU_LISTEN, ZHENGWU_CONFIG (docs/operations.md)."};
  app.set_version_flag("--version", std::string(build::version()));
  std::optional<std::string> config_file;
  app.add_option("--config", config_file, "TOML configuration file (default: none, or $ZHENGWU_CONFIG)");
  app.require_subcommand(1);

  auto* serve = app.add_subcommand("serve", "Serve the HTTP API and the web app");
  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  auto* demo = app.add_subcommand("demo", "Seed the Hangzhou demo (once) and serve");
  bool seed_only = false, reset = false;
  demo->add_flag("--seed-only", seed_only, "Seed and exit without serving");
  demo->add_flag("--reset", reset, "Delete the embedded database first, for a fresh demo");
  auto* backup = app.add_subcommand("backup", "Online backup of the embedded database to FILE");
  std::string backup_file;
  backup->add_option("FILE", backup_file, "Where to write the copy")->required();
  auto* restore = app.add_subcommand("restore", "Restore the embedded database from FILE (server stopped)");
  std::string restore_file;
  restore->add_option("FILE", restore_file, "A backup made by `zhengwu backup`")->required()->check(CLI::ExistingFile);
  auto* version = app.add_subcommand("version", "Print version and build");
  auto* help = app.add_subcommand("help", "Print this help");

  auto* calendar = app.add_subcommand("calendar", "Working-day calendar");
  calendar->require_subcommand(1);
  auto* add_days = calendar->add_subcommand("add-working-days", "Print the N-th working day after DATE");
  std::string cal_date, cal_days;
  add_days->add_option("DATE", cal_date, "YYYY-MM-DD")->required();
  add_days->add_option("N", cal_days, "Working days (negative: before DATE)")->required();
  auto* between = calendar->add_subcommand("working-days", "Print the number of working days in (FROM, TO]");
  std::string cal_from, cal_to;
  between->add_option("FROM", cal_from, "YYYY-MM-DD")->required();
  between->add_option("TO", cal_to, "YYYY-MM-DD")->required();
  auto* cal_years = calendar->add_subcommand("years", "List the loaded years");
  auto* cal_export = calendar->add_subcommand("export", "Print a loaded year as TOML (the import format)");
  std::string cal_year;
  cal_export->add_option("YEAR", cal_year, "e.g. 2025")->required();
  auto* cal_import = calendar->add_subcommand("import", "Load a year of holidays and make-up days from FILE");
  std::string cal_file;
  cal_import->add_option("FILE", cal_file, "TOML or JSON calendar year")->required()->check(CLI::ExistingFile);

  auto* catalog_cmd = app.add_subcommand("catalog", "The data catalog");
  catalog_cmd->require_subcommand(1);
  auto* catalog_apply = catalog_cmd->add_subcommand(
      "apply", "Create or update catalog resources from a JSON file (one object or a list); prints {code, version} lines");
  std::string catalog_file;
  catalog_apply->add_option("FILE", catalog_file, "JSON resource description(s)")->required();

  auto* grant_cmd = app.add_subcommand("grant", "Sharing grants");
  grant_cmd->require_subcommand(1);
  auto* grant_add = grant_cmd->add_subcommand(
      "add", "Grant a department fields of a resource directly (the operator's path); prints the grant as JSON");
  std::string g_resource, g_org, g_fields, g_clear, g_purpose, g_until;
  grant_add->add_option("--resource", g_resource, "Resource code")->required();
  grant_add->add_option("--org", g_org, "The consumer department's org code")->required();
  grant_add->add_option("--fields", g_fields, "Granted fields, comma-separated")->required();
  grant_add->add_option("--clear", g_clear, "Of those, the fields given unmasked, comma-separated");
  grant_add->add_option("--purpose", g_purpose, "The purpose the data may be used for")->required();
  grant_add->add_option("--until", g_until, "Valid through this date (YYYY-MM-DD); default: until revoked");

  auto* import_cmd = app.add_subcommand(
      "import", "Import records into a published catalog resource from CSV (header row) or JSON Lines (.jsonl)");
  std::string import_resource, import_file, import_org, import_encoding = "auto";
  import_cmd->add_option("RESOURCE", import_resource, "Resource code")->required();
  import_cmd->add_option("FILE", import_file, "CSV or .jsonl file")->required();
  import_cmd->add_option("--org", import_org, "The submitting department's org code (default: the provider)");
  import_cmd->add_option("--encoding", import_encoding, "auto, utf-8 or gb18030 (default auto)");

  auto* user_cmd = app.add_subcommand("user", "Accounts");
  user_cmd->require_subcommand(1);
  auto* user_add = user_cmd->add_subcommand("add", "Create an account (staff with --org and --role, or --role citizen)");
  std::string u_name, u_password, u_role, u_display, u_position;
  std::optional<std::string> u_org, u_id_number;
  int u_real_name_level = auth::kRealNameDeclared;
  bool u_must_change = false;
  user_add->add_option("--username", u_name, "User name")->required();
  user_add->add_option("--password", u_password, "Password (the policy applies)")->required();
  user_add->add_option("--role", u_role, "A role code granted over --org, or 'citizen'")->required();
  user_add->add_option("--org", u_org, "Organisation code (staff)");
  user_add->add_option("--id-number", u_id_number, "GB 11643 ID number (citizens)");
  user_add->add_option("--real-name-level", u_real_name_level,
                       "Citizens: 1 declared (default), 2 checked against the register, 3 verified in person")
      ->check(CLI::Range(1, 3));
  user_add->add_option("--display-name", u_display, "Name shown (default: the user name)");
  user_add->add_option("--position", u_position, "Position (staff)");
  user_add->add_flag("--must-change-password", u_must_change, "Make the account change its password first");
  auto* org_cmd = app.add_subcommand("org", "Organisations");
  org_cmd->require_subcommand(1);
  auto* org_add = org_cmd->add_subcommand("add", "Create an organisation");
  std::string o_code, o_name, o_kind;
  std::optional<std::string> o_parent, o_division;
  org_add->add_option("--code", o_code, "Unique code")->required();
  org_add->add_option("--name", o_name, "Name")->required();
  org_add->add_option("--kind", o_kind, "city, government_department, district_government, street_office, ...")
      ->required();
  org_add->add_option("--parent", o_parent, "Parent organisation code (none: the root)");
  org_add->add_option("--division", o_division, "GB/T 2260 division code");

  auto* audit_cmd = app.add_subcommand("audit", "The tamper-evident audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand(
      "verify", "Check the hash chain and signed checkpoints; exit 1 naming the first bad record");

  auto* client_cmd = app.add_subcommand("client", "System clients of departments");
  client_cmd->require_subcommand(1);
  auto* client_add = client_cmd->add_subcommand("add", "Register a client; prints {\"client_id\", \"secret\"}");
  std::string c_org, c_name;
  client_add->add_option("--org", c_org, "Owner organisation code")->required();
  client_add->add_option("--name", c_name, "The system's name")->required();

  auto* jobs_cmd = app.add_subcommand("jobs", "Durable timers");
  jobs_cmd->require_subcommand(1);
  auto* jobs_schedule = jobs_cmd->add_subcommand("schedule", "Schedule a one-shot timer of KIND");
  std::string job_kind, job_at, job_payload;
  double job_in = 0;
  jobs_schedule->add_option("KIND", job_kind, "Timer kind, e.g. system.canary")->required();
  auto* at_opt = jobs_schedule->add_option("--at", job_at, "When, ISO 8601 with offset (default: now)");
  jobs_schedule->add_option("--in", job_in, "Seconds from now")->excludes(at_opt);
  jobs_schedule->add_option("--payload", job_payload, "Text handed to the handler");
  auto* jobs_list = jobs_cmd->add_subcommand("list", "List timers as JSON lines, newest first");
  std::string list_state;
  int list_limit = 50;
  jobs_list->add_option("--state", list_state, "pending, running, done, failed or cancelled");
  jobs_list->add_option("--limit", list_limit, "At most this many")->check(CLI::Range(1, 10000));

  // Negative numbers are values here (`calendar add-working-days 2025-10-09 -1`).
  app.allow_extras(false);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (*help) {
    std::cout << app.get_formatter()->make_help(&app, "zhengwu", CLI::AppFormatMode::Normal);
    return 0;
  }
  if (*version) {
    std::cout << "zhengwu " << build::version() << " (commit " << build::commit() << ", " << build::build_type()
              << ", " << build::compiler() << ")\n";
    return 0;
  }

  auto config = load_config(config_file);
  if (!config) return fail("configuration: " + config.error().message, 2);
  configure_logging(config->log);

  try {
    if (*backup) {
      auto r = db::backup_database(config->database_url(), backup_file);
      if (!r) return fail(r.error().message);
      std::cout << boost::json::serialize(boost::json::object{{"file", backup_file}, {"pages", r->pages}, {"bytes", r->bytes}})
                << "\n";
      return 0;
    }
    if (*restore) {
      auto r = db::restore_database(restore_file, config->database_url());
      if (!r) return fail(r.error().message, r.error().code == ErrorCode::invalid ? 2 : 1);
      std::cout << boost::json::serialize(boost::json::object{{"restored_from", restore_file}, {"pages", r->pages}}) << "\n";
      return 0;
    }
    if (*demo && reset) remove_sqlite_files(config->database_url());

    Platform platform(*config);
    add_modules(platform);
    platform.open();

    if (*migrate) return 0;
    if (*serve) return platform.serve();
    if (*demo) {
      platform.seed_demo();
      if (seed_only) return 0;
      return platform.serve();
    }
    if (*add_days) return calendar::run_add_working_days(platform.calendar(), cal_date, cal_days, std::cout, std::cerr);
    if (*between) return calendar::run_working_days(platform.calendar(), cal_from, cal_to, std::cout, std::cerr);
    if (*cal_years) return calendar::run_calendar_years(platform.calendar(), std::cout, std::cerr);
    if (*cal_export) return calendar::run_calendar_export(platform.calendar(), cal_year, std::cout, std::cerr);
    if (*cal_import) return calendar::run_calendar_import(platform.calendar(), cal_file, std::cout, std::cerr);
    if (*user_add) {
      auth::NewUser in;
      in.username = u_name;
      in.display_name = u_display.empty() ? u_name : u_display;
      in.password = u_password;
      in.must_change_password = u_must_change;
      if (!u_position.empty()) in.position = u_position;
      if (u_role == "citizen") {
        in.kind = "citizen";
        in.id_number = u_id_number;
        in.real_name_level = u_real_name_level;
      } else {
        in.kind = "staff";
        in.org_code = u_org;
        if (!u_org) return fail("--org is required for staff", 2);
        if (!platform.identity().role_by_code(u_role)) return fail("--role: no role " + u_role, 2);
      }
      auto created = platform.identity().create_user(in);
      if (!created) return fail(created.error().message, 2);
      if (in.kind == "staff") {
        auto g = platform.identity().grant(created->id, u_role, *u_org, true, std::nullopt);
        if (!g) return fail(g.error().message, 2);
      }
      boost::json::object o{{"id", created->id}, {"username", created->username}, {"kind", created->kind},
                            {"role", u_role}};
      if (created->org_code) o["org"] = *created->org_code;
      std::cout << boost::json::serialize(o) << "\n";
      return 0;
    }
    if (*catalog_apply) return modules::data::catalog_apply(platform, catalog_file, std::cout, std::cerr);
    if (*grant_add)
      return modules::data::grant_add(platform, g_resource, g_org, g_fields, g_clear, g_purpose, g_until, std::cout,
                                      std::cerr);
    if (*import_cmd)
      return modules::data::import_file(platform, import_resource, import_file, import_org, import_encoding, std::cout,
                                        std::cerr, isatty(STDERR_FILENO) != 0);
    if (*audit_verify) {
      platform.audit().stop();  // nothing of this process is appending
      return audit::run_audit_verify(platform.database(), platform.audit_signer(), std::cout, std::cerr);
    }
    if (*client_add) {
      auto r = platform.clients().register_client(c_org, c_name);
      if (!r) return fail(r.error().message, 2);
      std::cout << boost::json::serialize(boost::json::object{{"client_id", r->client.client_id},
                                                              {"secret", r->secret},
                                                              {"org", r->client.org_code},
                                                              {"name", r->client.name}})
                << "\n";
      return 0;
    }
    if (*org_add) {
      auto created = platform.orgs().create({o_code, o_name, o_kind, o_parent, o_division});
      if (!created) return fail(created.error().message, 2);
      std::cout << boost::json::serialize(boost::json::object{
                       {"id", created->id}, {"code", created->code}, {"name", created->name}, {"path", created->path}})
                << "\n";
      return 0;
    }
    if (*jobs_schedule) {
      TimePoint when = platform.clock().now();
      if (!job_at.empty()) {
        auto t = parse_iso8601(job_at);
        if (!t) return fail("--at: " + t.error().message, 2);
        when = *t;
      } else if (job_in > 0) {
        when += std::chrono::duration_cast<TimePoint::duration>(std::chrono::duration<double>(job_in));
      }
      auto id = platform.scheduler().schedule(job_kind, when, job_payload);
      std::cout << boost::json::serialize(boost::json::object{
                       {"id", id}, {"kind", job_kind}, {"run_at", format_iso8601(when, platform.zone())}})
                << "\n";
      return 0;
    }
    if (*jobs_list) {
      std::string sql = "SELECT id, kind, state, attempts, run_at, last_error FROM job_timers";
      db::Params params;
      if (!list_state.empty()) {
        sql += " WHERE state = ?";
        params.emplace_back(list_state);
      }
      sql += " ORDER BY id DESC LIMIT ?";
      params.emplace_back(list_limit);
      for (const auto& row : platform.database().query(sql, params)) {
        boost::json::object o{{"id", row.get<std::int64_t>("id")},
                              {"kind", row.get<std::string>("kind")},
                              {"state", row.get<std::string>("state")},
                              {"attempts", row.get<std::int64_t>("attempts")},
                              {"run_at", format_iso8601(jobs::from_millis(row.get<std::int64_t>("run_at")), platform.zone())}};
        if (auto e = row.opt<std::string>("last_error")) o["last_error"] = *e;
        std::cout << boost::json::serialize(o) << "\n";
      }
      return 0;
    }
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  return fail("no command given; see `zhengwu help`", 2);
}
