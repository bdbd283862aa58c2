// Configuration loading. The TOML schema is checked key by key: an unknown key is an
// error, because a misspelt `body_limt` silently ignored is a limit that is not there.
#include "kernel/config.hpp"

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <filesystem>
#include <set>
#include <toml++/toml.h>
#include <type_traits>

namespace zhengwu {
namespace {

Error config_error(const std::string& key, const std::string& message) { return Error::invalid(key, message); }

Result<bool> parse_bool(const std::string& key, std::string_view v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  return config_error(key, "must be true or false, not '" + std::string(v) + "'");
}

Result<long long> parse_int(const std::string& key, std::string_view v, long long lo, long long hi) {
  char* end = nullptr;
  std::string s(v);
  errno = 0;
  long long n = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno == ERANGE || n < lo || n > hi)
    return config_error(key, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                                 ", not '" + s + "'");
  return n;
}

// Applies one setting given as text (from the environment) or from TOML converted to text.
class Settings {
 public:
  explicit Settings(Config& c) : c_(c) {}

  Status set(const std::string& key, const std::string& v) {
    auto ms = [&](std::chrono::milliseconds& out, long long lo, long long hi) -> Status {
      auto n = parse_int(key, v, lo, hi);
      if (!n) return n.error();
      out = std::chrono::milliseconds(*n);
      return {};
    };
    auto size = [&](std::size_t& out) -> Status {
      auto n = parse_size(v);
      if (!n) return config_error(key, n.error().message);
      out = *n;
      return {};
    };
    auto number = [&](double& out) -> Status {
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0' || !std::isfinite(d) || d < 0)
        return config_error(key, "must be a non-negative number");
      out = d;
      return {};
    };
    if (key == "data_dir") return text(key, c_.data_dir, v);
    if (key == "timezone") return text(key, c_.timezone, v);
    if (key == "clock.start") {
      c_.clock_start = v;
      return {};
    }
    if (key == "http.listen") return text(key, c_.http.listen, v);
    if (key == "http.threads") {
      auto n = parse_int(key, v, 0, 256);
      if (!n) return n.error();
      c_.http.threads = static_cast<unsigned>(*n);
      return {};
    }
    if (key == "http.body_limit") return size(c_.http.body_limit);
    if (key == "http.header_limit") return size(c_.http.header_limit);
    if (key == "http.header_timeout_ms") return ms(c_.http.header_timeout, 10, 3'600'000);
    if (key == "http.body_timeout_ms") return ms(c_.http.body_timeout, 10, 3'600'000);
    if (key == "http.idle_timeout_ms") return ms(c_.http.idle_timeout, 10, 3'600'000);
    if (key == "http.write_timeout_ms") return ms(c_.http.write_timeout, 10, 3'600'000);
    if (key == "http.shutdown_grace_ms") return ms(c_.http.shutdown_grace, 0, 60'000);
    if (key == "http.max_connections") {
      auto n = parse_int(key, v, 1, 1'000'000);
      if (!n) return n.error();
      c_.http.max_connections = static_cast<std::size_t>(*n);
      return {};
    }
    if (key == "http.cors_origins") {
      c_.http.cors_origins.clear();
      std::size_t start = 0;
      while (start <= v.size()) {
        auto comma = v.find(',', start);
        auto item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        // "https://a.gov.cn, https://b.gov.cn": blanks around items are not part of an origin.
        auto first = item.find_first_not_of(" \t");
        auto last = item.find_last_not_of(" \t");
        if (first != std::string::npos) c_.http.cors_origins.push_back(item.substr(first, last - first + 1));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return {};
    }
    if (key == "http.web_root") return text(key, c_.http.web_root, v, true);
    if (key == "http.rate_limit_per_second") return number(c_.http.rate_limit_per_second);
    if (key == "http.rate_limit_burst") return number(c_.http.rate_limit_burst);
    if (key == "http.access_log") {
      auto b = parse_bool(key, v);
      if (!b) return b.error();
      c_.http.access_log = *b;
      return {};
    }
    if (key == "database.url") return text(key, c_.database.url, v, true);
    if (key == "database.pool_size") {
      auto n = parse_int(key, v, 1, 1000);
      if (!n) return n.error();
      c_.database.pool_size = static_cast<std::size_t>(*n);
      return {};
    }
    if (key == "database.busy_timeout_ms") return ms(c_.database.busy_timeout, 0, 600'000);
    if (key == "jobs.enabled") {
      auto b = parse_bool(key, v);
      if (!b) return b.error();
      c_.jobs.enabled = *b;
      return {};
    }
    if (key == "jobs.poll_interval_ms") return ms(c_.jobs.poll_interval, 10, 3'600'000);
    if (key == "jobs.lease_ms") return ms(c_.jobs.lease, 100, 86'400'000);
    if (key == "jobs.max_attempts") {
      auto n = parse_int(key, v, 1, 100);
      if (!n) return n.error();
      c_.jobs.max_attempts = static_cast<int>(*n);
      return {};
    }
    auto integer = [&](auto& out, long long lo, long long hi) -> Status {
      auto n = parse_int(key, v, lo, hi);
      if (!n) return n.error();
      out = static_cast<std::remove_reference_t<decltype(out)>>(*n);
      return {};
    };
    if (key == "auth.lockout_attempts") return integer(c_.auth.lockout_attempts, 1, 100);
    if (key == "auth.lockout_minutes") {
      long long n = 0;
      if (auto s = integer(n, 1, 10'000); !s) return s;
      c_.auth.lockout = std::chrono::minutes(n);
      return {};
    }
    if (key == "auth.session_idle_minutes") {
      long long n = 0;
      if (auto s = integer(n, 1, 24 * 60); !s) return s;
      c_.auth.session_idle = std::chrono::minutes(n);
      return {};
    }
    if (key == "auth.session_absolute_hours") {
      long long n = 0;
      if (auto s = integer(n, 1, 24 * 30); !s) return s;
      c_.auth.session_absolute = std::chrono::hours(n);
      return {};
    }
    if (key == "auth.password_min_length") return integer(c_.auth.password_min_length, 8, 128);
    if (key == "auth.password_min_classes") return integer(c_.auth.password_min_classes, 1, 4);
    if (key == "auth.password_expiry_days") {
      long long n = 0;
      if (auto s = integer(n, 0, 3650); !s) return s;
      c_.auth.password_expiry = std::chrono::days(n);
      return {};
    }
    if (key == "auth.argon2_memory_kib") return integer(c_.auth.argon2_memory_kib, 8, 4 * 1024 * 1024);
    if (key == "auth.argon2_iterations") return integer(c_.auth.argon2_iterations, 1, 64);
    if (key == "auth.admin_second_factor") {
      if (v != "required" && v != "optional") return config_error(key, "must be required or optional");
      c_.auth.admin_second_factor_required = v == "required";
      return {};
    }
    if (key == "log.level") {
      static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "off"};
      if (!levels.contains(v)) return config_error(key, "must be one of trace, debug, info, warn, error, off");
      c_.log.level = v;
      return {};
    }
    if (key == "log.format") {
      if (v != "text" && v != "json") return config_error(key, "must be text or json");
      c_.log.format = v;
      return {};
    }
    return config_error(key, "unknown setting");
  }

 private:
  static Status text(const std::string& key, std::string& out, const std::string& v, bool allow_empty = false) {
    if (v.empty() && !allow_empty) return config_error(key, "must not be empty");
    out = v;
    return {};
  }
  Config& c_;
};

// A TOML value as the text the settings parse; dates and times keep their TOML text
// (`[clock] start = 2025-01-01T09:00:00+08:00` works unquoted).
std::optional<std::string> toml_scalar(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (node.is_integer()) return std::to_string(*node.value<long long>());
  // "2.000000": a float stays recognisably fractional, so integer settings refuse it.
  if (node.is_floating_point()) return std::to_string(*node.value<double>());
  std::ostringstream out;
  if (auto d = node.value<toml::date>()) out << *d;
  else if (auto t = node.value<toml::time>()) out << *t;
  else if (auto dt = node.value<toml::date_time>()) out << *dt;
  else return std::nullopt;
  return out.str();
}

Status apply_table(Settings& settings, Config& config, const toml::table& table, const std::string& prefix) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      auto s = apply_table(settings, config, *sub, key);
      if (!s) return s;
      continue;
    }
    if (const auto* arr = node.as_array()) {
      std::vector<std::string> items;
      for (const auto& item : *arr) {
        auto v = item.value<std::string>();
        if (!v) return config_error(key, "must be a list of strings");
        items.push_back(*v);
      }
      if (key == "calendar.working_hours") {
        config.calendar.working_hours = items;
        continue;
      }
      if (key == "http.cors_origins") {
        config.http.cors_origins = items;
        continue;
      }
      return config_error(key, "unknown list setting");
    }
    auto text = toml_scalar(node);
    if (!text) return config_error(key, "has a value of a type this setting does not take");
    auto s = settings.set(key, *text);
    if (!s) return s;
  }
  return {};
}

}  // namespace

std::optional<std::string> process_environment(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

std::string Config::database_url() const {
  if (!database.url.empty()) return database.url;
  auto path = std::filesystem::absolute(std::filesystem::path(data_dir) / "zhengwu.db").lexically_normal();
  return "sqlite://" + path.string();
}

Result<std::size_t> parse_size(std::string_view text) {
  std::size_t i = 0;
  unsigned long long n = 0;
  if (text.empty()) return Error::invalid("size", "must be a size like 16MiB");
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    n = n * 10 + static_cast<unsigned>(text[i] - '0');
    if (n > (1ull << 50)) return Error::invalid("size", "is too large");
    ++i;
  }
  if (i == 0) return Error::invalid("size", "must start with a number, like 16MiB");
  std::string_view unit = text.substr(i);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  unsigned long long mult = 1;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "KiB" || unit == "K" || unit == "KB") mult = 1ull << 10;
  else if (unit == "MiB" || unit == "M" || unit == "MB") mult = 1ull << 20;
  else if (unit == "GiB" || unit == "G" || unit == "GB") mult = 1ull << 30;
  else return Error::invalid("size", "unknown unit '" + std::string(unit) + "' (use B, KiB, MiB or GiB)");
  if (n > (1ull << 50) / mult) return Error::invalid("size", "is too large");
  return static_cast<std::size_t>(n * mult);
}

Result<Config> load_config(const std::optional<std::string>& file, const Environment& env) {
  Config config;
  Settings settings(config);
  std::optional<std::string> path = file ? file : env("ZHENGWU_CONFIG");
  if (path && !path->empty()) {
    toml::table table;
    try {
      table = toml::parse_file(*path);
    } catch (const toml::parse_error& e) {
      const auto& where = e.source().begin;
      return Error::invalid("config", *path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
                                          ": " + std::string(e.description()));
    }
    auto s = apply_table(settings, config, table, "");
    if (!s) {
      Error err = s.error();
      err.message = *path + ": " + err.message;
      return err;
    }
    config.source = *path;
  }
  // The process contract: these variables override the file for every command.
  static const std::vector<std::pair<const char*, const char*>> kEnv{
      {"ZHENGWU_DATA_DIR", "data_dir"},
      {"ZHENGWU_DB_URL", "database.url"},
      {"ZHENGWU_LISTEN", "http.listen"},
      {"ZHENGWU_WEB_ROOT", "http.web_root"},
      {"ZHENGWU_TIMEZONE", "timezone"},
      {"ZHENGWU_THREADS", "http.threads"},
      {"ZHENGWU_LOG_LEVEL", "log.level"},
      {"ZHENGWU_LOG_FORMAT", "log.format"},
      {"ZHENGWU_CLOCK_START", "clock.start"},
      {"ZHENGWU_JOBS_POLL_MS", "jobs.poll_interval_ms"},
      {"ZHENGWU_CORS_ORIGINS", "http.cors_origins"},
      {"ZHENGWU_ARGON2_MEMORY_KIB", "auth.argon2_memory_kib"},
      {"ZHENGWU_ADMIN_SECOND_FACTOR", "auth.admin_second_factor"},
  };
  for (const auto& [var, key] : kEnv) {
    if (auto v = env(var)) {
      auto s = settings.set(key, *v);
      if (!s) {
        Error err = s.error();
        err.message = std::string(var) + " (" + key + "): " + err.message;
        return err;
      }
    }
  }
  return config;
}

}  // namespace zhengwu
