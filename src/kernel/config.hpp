// Platform configuration: defaults, then a TOML file, then environment variables.
//
// No file is needed: every key has a default. A file is named by `--config FILE` or
// `ZHENGWU_CONFIG`. Environment variables override the file (the process contract of
// DESIGN.md: ZHENGWU_DATA_DIR, ZHENGWU_DB_URL, ZHENGWU_LISTEN, ...). Unknown keys and
// bad values are refused with the key's name, so a typo never silently falls back to a
// default. docs/operations.md lists every key.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kernel/result.hpp"

namespace zhengwu {

struct HttpConfig {
  std::string listen = "0.0.0.0:8080";  // host:port; port 0 picks a free one
  unsigned threads = 0;                 // 0: one per core
  std::size_t body_limit = 16u << 20;   // bytes; routes may raise it
  std::size_t header_limit = 64u << 10; // bytes of request line + headers
  std::chrono::milliseconds header_timeout{10'000};  // to receive a whole header
  std::chrono::milliseconds body_timeout{60'000};    // to receive the body
  std::chrono::milliseconds idle_timeout{75'000};    // keep-alive between requests
  std::chrono::milliseconds write_timeout{30'000};
  std::size_t max_connections = 4096;
  std::chrono::milliseconds shutdown_grace{4'000};   // in-flight requests may finish
  std::vector<std::string> cors_origins;             // empty: no CORS; "*": any
  std::string web_root;                              // built web app; empty: none
  double rate_limit_per_second = 0;                  // per client address; 0: off
  double rate_limit_burst = 50;
  bool access_log = true;
};

struct DatabaseConfig {
  std::string url;  // empty: sqlite under data_dir
  std::size_t pool_size = 16;
  std::chrono::milliseconds busy_timeout{5'000};
};

struct JobsConfig {
  bool enabled = true;
  std::chrono::milliseconds poll_interval{1'000};
  std::chrono::milliseconds lease{60'000};  // a claimed timer not finished by then is retried
  int max_attempts = 5;
};

struct LogConfig {
  std::string level = "info";   // trace, debug, info, warn, error
  std::string format = "text";  // text or json (JSON lines)
};

struct AuthConfig {
  int lockout_attempts = 5;                     // failed sign-ins before the account locks
  std::chrono::minutes lockout{15};             // how long it stays locked
  std::chrono::minutes session_idle{30};        // a session unused this long ends
  std::chrono::hours session_absolute{12};      // and every session ends this long after sign-in
  std::size_t password_min_length = 8;
  int password_min_classes = 3;
  std::chrono::days password_expiry{90};        // 0: passwords never expire
  std::uint32_t argon2_memory_kib = 65536;      // argon2id cost (RFC 9106; OWASP: 19 MiB at least)
  std::uint32_t argon2_iterations = 3;
  // Administrators (system, security, audit) must use a second factor (GB/T 22239-2019
  // level 3: two factors, one cryptographic): until they enrol TOTP they can reach only
  // their own account. "optional" lifts this (test rigs, a first set-up).
  bool admin_second_factor_required = true;
};

struct CalendarConfig {
  // Working periods of a working day, local time, for deadlines counted in hours.
  std::vector<std::string> working_hours{"09:00-12:00", "13:00-17:00"};
};

struct Config {
  std::string data_dir = "data";
  std::string timezone = "Asia/Shanghai";
  std::optional<std::string> clock_start;  // ISO 8601: run the clock from this instant
  std::string source;                      // the file read, empty when none
  HttpConfig http;
  DatabaseConfig database;
  JobsConfig jobs;
  LogConfig log;
  CalendarConfig calendar;
  AuthConfig auth;

  // The database URL in effect: `database.url`, or the SQLite file under data_dir.
  std::string database_url() const;
};

using Environment = std::function<std::optional<std::string>(const std::string&)>;
// Reads the real process environment.
std::optional<std::string> process_environment(const std::string& name);

// Loads the configuration. `file` (from --config) wins over ZHENGWU_CONFIG. Errors name
// the file and key ("http.body_limit: must be a size like 16MiB").
Result<Config> load_config(const std::optional<std::string>& file, const Environment& env = process_environment);

// "16MiB", "512KiB", "1048576" → bytes.
Result<std::size_t> parse_size(std::string_view text);

}  // namespace zhengwu
