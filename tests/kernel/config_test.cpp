// Configuration: defaults, TOML files, environment overrides, errors naming their key, and size parsing.
#include "kernel/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/server_process.hpp"

namespace zhengwu {
namespace {

using namespace std::chrono_literals;
using EnvMap = std::map<std::string, std::string>;

Environment fake_env(EnvMap vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Environment no_env() {
  return fake_env({});
}

class ConfigTest : public ::testing::Test {
 protected:
  // Writes `text` to a fresh TOML file and returns its path.
  std::string toml(const std::string& text) {
    auto p = dir_.path() / ("config-" + std::to_string(files_++) + ".toml");
    std::ofstream(p) << text;
    return p.string();
  }
  Config load_ok(const std::optional<std::string>& file, const Environment& env) {
    auto c = load_config(file, env);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
    return c.ok() ? *c : Config{};
  }

  zhengwu::testing::TempDir dir_;
  int files_ = 0;
};

TEST_F(ConfigTest, DefaultsWithoutFileOrEnvironment) {
  auto c = load_ok(std::nullopt, no_env());
  EXPECT_EQ(c.source, "");
  EXPECT_EQ(c.data_dir, "data");
  EXPECT_EQ(c.timezone, "Asia/Shanghai");
  EXPECT_FALSE(c.clock_start);
  EXPECT_EQ(c.http.listen, "0.0.0.0:8080");
  EXPECT_EQ(c.http.threads, 0u);
  EXPECT_EQ(c.http.body_limit, 16u << 20);
  EXPECT_EQ(c.http.header_limit, 64u << 10);
  EXPECT_EQ(c.http.header_timeout, 10s);
  EXPECT_EQ(c.http.body_timeout, 60s);
  EXPECT_EQ(c.http.idle_timeout, 75s);
  EXPECT_EQ(c.http.write_timeout, 30s);
  EXPECT_EQ(c.http.max_connections, 4096u);
  EXPECT_EQ(c.http.shutdown_grace, 4s);
  EXPECT_TRUE(c.http.cors_origins.empty());
  EXPECT_EQ(c.http.web_root, "");
  EXPECT_EQ(c.http.rate_limit_per_second, 0);
  EXPECT_EQ(c.http.rate_limit_burst, 50);
  EXPECT_TRUE(c.http.access_log);
  EXPECT_EQ(c.database.url, "");
  EXPECT_EQ(c.database.pool_size, 16u);
  EXPECT_EQ(c.database.busy_timeout, 5s);
  EXPECT_TRUE(c.jobs.enabled);
  EXPECT_EQ(c.jobs.poll_interval, 1s);
  EXPECT_EQ(c.jobs.lease, 60s);
  EXPECT_EQ(c.jobs.max_attempts, 5);
  EXPECT_EQ(c.log.level, "info");
  EXPECT_EQ(c.log.format, "text");
  EXPECT_EQ(c.calendar.working_hours, (std::vector<std::string>{"09:00-12:00", "13:00-17:00"}));
}

TEST_F(ConfigTest, EmptyConfigVariableMeansNoFile) {
  auto c = load_ok(std::nullopt, fake_env({{"ZHENGWU_CONFIG", ""}}));
  EXPECT_EQ(c.source, "");
}

TEST_F(ConfigTest, FileSetsEveryKey) {
  auto path = toml(R"(
data_dir = "/srv/zhengwu"
timezone = "Asia/Urumqi"

[clock]
start = "2025-01-01T00:00:00+08:00"

[http]
listen = "127.0.0.1:9000"
threads = 8
body_limit = "32MiB"
header_limit = 8192
header_timeout_ms = 2000
body_timeout_ms = 3000
idle_timeout_ms = 4000
write_timeout_ms = 5000
shutdown_grace_ms = 0
max_connections = 100
cors_origins = ["https://app.gov.cn", "https://admin.gov.cn"]
web_root = "/srv/web"
rate_limit_per_second = 2.5
rate_limit_burst = 10
access_log = false

[database]
url = "postgresql://zw@db/zhengwu"
pool_size = 4
busy_timeout_ms = 250

[jobs]
enabled = "no"
poll_interval_ms = 500
lease_ms = 30000
max_attempts = 9

[log]
level = "debug"
format = "json"

[calendar]
working_hours = ["08:30-12:00", "14:00-17:30"]
)");
  auto c = load_ok(path, no_env());
  EXPECT_EQ(c.source, path);
  EXPECT_EQ(c.data_dir, "/srv/zhengwu");
  EXPECT_EQ(c.timezone, "Asia/Urumqi");
  EXPECT_EQ(c.clock_start, "2025-01-01T00:00:00+08:00");
  EXPECT_EQ(c.http.listen, "127.0.0.1:9000");
  EXPECT_EQ(c.http.threads, 8u);
  EXPECT_EQ(c.http.body_limit, 32u << 20);
  EXPECT_EQ(c.http.header_limit, 8192u);
  EXPECT_EQ(c.http.header_timeout, 2s);
  EXPECT_EQ(c.http.body_timeout, 3s);
  EXPECT_EQ(c.http.idle_timeout, 4s);
  EXPECT_EQ(c.http.write_timeout, 5s);
  EXPECT_EQ(c.http.shutdown_grace, 0ms);
  EXPECT_EQ(c.http.max_connections, 100u);
  EXPECT_EQ(c.http.cors_origins, (std::vector<std::string>{"https://app.gov.cn", "https://admin.gov.cn"}));
  EXPECT_EQ(c.http.web_root, "/srv/web");
  EXPECT_DOUBLE_EQ(c.http.rate_limit_per_second, 2.5);
  EXPECT_DOUBLE_EQ(c.http.rate_limit_burst, 10);
  EXPECT_FALSE(c.http.access_log);
  EXPECT_EQ(c.database.url, "postgresql://zw@db/zhengwu");
  EXPECT_EQ(c.database.pool_size, 4u);
  EXPECT_EQ(c.database.busy_timeout, 250ms);
  EXPECT_FALSE(c.jobs.enabled);
  EXPECT_EQ(c.jobs.poll_interval, 500ms);
  EXPECT_EQ(c.jobs.lease, 30s);
  EXPECT_EQ(c.jobs.max_attempts, 9);
  EXPECT_EQ(c.log.level, "debug");
  EXPECT_EQ(c.log.format, "json");
  EXPECT_EQ(c.calendar.working_hours, (std::vector<std::string>{"08:30-12:00", "14:00-17:30"}));
  // Everything read from the file, the SQLite default no longer applies.
  EXPECT_EQ(c.database_url(), "postgresql://zw@db/zhengwu");
}

TEST_F(ConfigTest, FileArgumentWinsOverConfigVariable) {
  auto from_arg = toml("data_dir = \"/from/argument\"\n");
  auto from_env = toml("data_dir = \"/from/variable\"\n");
  struct Row {
    std::optional<std::string> file;
    EnvMap env;
    std::string data_dir;
  };
  const std::vector<Row> rows = {
      {from_arg, {}, "/from/argument"},
      {std::nullopt, {{"ZHENGWU_CONFIG", from_env}}, "/from/variable"},
      {from_arg, {{"ZHENGWU_CONFIG", from_env}}, "/from/argument"},
  };
  for (const auto& row : rows) {
    auto c = load_ok(row.file, fake_env(row.env));
    EXPECT_EQ(c.data_dir, row.data_dir);
    EXPECT_EQ(c.source, row.file.value_or(from_env));
  }
}

TEST_F(ConfigTest, EnvironmentOverridesTheFile) {
  auto path = toml(R"(
data_dir = "/file/data"
timezone = "Asia/Urumqi"
[clock]
start = "2020-01-01T00:00:00Z"
[http]
listen = "127.0.0.1:9000"
threads = 2
web_root = "/file/web"
cors_origins = ["https://file.gov.cn"]
[database]
url = "sqlite:///file.db"
[log]
level = "warn"
format = "text"
[jobs]
poll_interval_ms = 5000
)");
  auto c = load_ok(path, fake_env({
                             {"ZHENGWU_DATA_DIR", "/env/data"},
                             {"ZHENGWU_DB_URL", "postgresql://env/zw"},
                             {"ZHENGWU_LISTEN", "127.0.0.1:0"},
                             {"ZHENGWU_WEB_ROOT", ""},
                             {"ZHENGWU_TIMEZONE", "UTC"},
                             {"ZHENGWU_THREADS", "3"},
                             {"ZHENGWU_LOG_LEVEL", "error"},
                             {"ZHENGWU_LOG_FORMAT", "json"},
                             {"ZHENGWU_CLOCK_START", "2025-11-05T09:00:00+08:00"},
                             {"ZHENGWU_JOBS_POLL_MS", "20"},
                             {"ZHENGWU_CORS_ORIGINS", "https://env.gov.cn"},
                         }));
  EXPECT_EQ(c.data_dir, "/env/data");
  EXPECT_EQ(c.database.url, "postgresql://env/zw");
  EXPECT_EQ(c.http.listen, "127.0.0.1:0");
  EXPECT_EQ(c.http.web_root, "");  // an empty variable switches the web app off
  EXPECT_EQ(c.timezone, "UTC");
  EXPECT_EQ(c.http.threads, 3u);
  EXPECT_EQ(c.log.level, "error");
  EXPECT_EQ(c.log.format, "json");
  EXPECT_EQ(c.clock_start, "2025-11-05T09:00:00+08:00");
  EXPECT_EQ(c.jobs.poll_interval, 20ms);
  EXPECT_EQ(c.http.cors_origins, std::vector<std::string>{"https://env.gov.cn"});
  EXPECT_EQ(c.source, path);
}

TEST_F(ConfigTest, BadFileValuesNameTheirKey) {
  struct Row {
    std::string toml_text;
    std::string key;
  };
  const std::vector<Row> rows = {
      {"[http]\nthreads = -1\n", "http.threads"},
      {"[http]\nthreads = 257\n", "http.threads"},
      {"[http]\nthreads = \"four\"\n", "http.threads"},
      {"[http]\nthreads = 2.0\n", "http.threads"},
      {"[http]\nthreads = true\n", "http.threads"},
      {"[http]\nbody_limit = \"16XB\"\n", "http.body_limit"},
      {"[http]\nbody_limit = \"-5MiB\"\n", "http.body_limit"},
      {"[http]\nbody_limit = -5\n", "http.body_limit"},
      {"[http]\nbody_limit = \"\"\n", "http.body_limit"},
      {"[http]\nheader_limit = \"1.5KiB\"\n", "http.header_limit"},
      {"[http]\nheader_timeout_ms = 5\n", "http.header_timeout_ms"},
      {"[http]\nbody_timeout_ms = -1\n", "http.body_timeout_ms"},
      {"[http]\nidle_timeout_ms = 3600001\n", "http.idle_timeout_ms"},
      {"[http]\nwrite_timeout_ms = \"30s\"\n", "http.write_timeout_ms"},
      {"[http]\nshutdown_grace_ms = -1\n", "http.shutdown_grace_ms"},
      {"[http]\nmax_connections = 0\n", "http.max_connections"},
      {"[http]\nrate_limit_per_second = -1.0\n", "http.rate_limit_per_second"},
      {"[http]\nrate_limit_burst = -3\n", "http.rate_limit_burst"},
      {"[http]\nrate_limit_burst = \"lots\"\n", "http.rate_limit_burst"},
      {"[http]\naccess_log = \"maybe\"\n", "http.access_log"},
      {"[http]\naccess_log = 2\n", "http.access_log"},
      {"[http]\nlisten = \"\"\n", "http.listen"},
      {"[http]\nlisten = [\"0.0.0.0:80\"]\n", "http.listen"},
      {"[http]\ncors_origins = [1, 2]\n", "http.cors_origins"},
      {"[http]\nbody_limt = \"1MiB\"\n", "http.body_limt"},  // a typo is not silently ignored
      {"[database]\npool_size = 0\n", "database.pool_size"},
      {"[database]\npool_size = 1001\n", "database.pool_size"},
      {"[database]\nbusy_timeout_ms = -1\n", "database.busy_timeout_ms"},
      {"[database]\npassword = \"x\"\n", "database.password"},
      {"[jobs]\nenabled = \"sometimes\"\n", "jobs.enabled"},
      {"[jobs]\npoll_interval_ms = 9\n", "jobs.poll_interval_ms"},
      {"[jobs]\nlease_ms = 99\n", "jobs.lease_ms"},
      {"[jobs]\nmax_attempts = 0\n", "jobs.max_attempts"},
      {"[jobs]\nmax_attempts = 101\n", "jobs.max_attempts"},
      {"[log]\nlevel = \"verbose\"\n", "log.level"},
      {"[log]\nlevel = \"INFO\"\n", "log.level"},
      {"[log]\nformat = \"xml\"\n", "log.format"},
      {"[calendar]\nworking_hours = \"09:00-17:00\"\n", "calendar.working_hours"},
      {"data_dir = \"\"\n", "data_dir"},
      {"timezone = \"\"\n", "timezone"},
      {"typo = 1\n", "typo"},
      {"[unknown]\nkey = 1\n", "unknown.key"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.toml_text);
    auto path = toml(row.toml_text);
    auto c = load_config(path, no_env());
    ASSERT_FALSE(c.ok());
    const auto& e = c.error();
    EXPECT_EQ(e.code, ErrorCode::invalid);
    ASSERT_EQ(e.fields.size(), 1u);
    EXPECT_EQ(e.fields[0].field, row.key);
    // The message names the file and the key, for an operator reading a log line.
    EXPECT_EQ(e.message.rfind(path + ": " + row.key + ": ", 0), 0u) << e.message;
  }
}

TEST_F(ConfigTest, BadEnvironmentValuesNameVariableAndKey) {
  struct Row {
    std::string variable;
    std::string value;
    std::string key;
  };
  const std::vector<Row> rows = {
      {"ZHENGWU_THREADS", "-2", "http.threads"},
      {"ZHENGWU_THREADS", "four", "http.threads"},
      {"ZHENGWU_THREADS", "4x", "http.threads"},
      {"ZHENGWU_THREADS", "", "http.threads"},
      {"ZHENGWU_THREADS", "99999999999999999999", "http.threads"},
      {"ZHENGWU_LOG_LEVEL", "loud", "log.level"},
      {"ZHENGWU_LOG_FORMAT", "yaml", "log.format"},
      {"ZHENGWU_JOBS_POLL_MS", "1", "jobs.poll_interval_ms"},
      {"ZHENGWU_JOBS_POLL_MS", "-100", "jobs.poll_interval_ms"},
      {"ZHENGWU_LISTEN", "", "http.listen"},
      {"ZHENGWU_DATA_DIR", "", "data_dir"},
      {"ZHENGWU_TIMEZONE", "", "timezone"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.variable + "=" + row.value);
    auto c = load_config(std::nullopt, fake_env({{row.variable, row.value}}));
    ASSERT_FALSE(c.ok());
    ASSERT_EQ(c.error().fields.size(), 1u);
    EXPECT_EQ(c.error().fields[0].field, row.key);
    EXPECT_EQ(c.error().message.rfind(row.variable + " (" + row.key + "): " + row.key + ": ", 0), 0u)
        << c.error().message;
  }
}

TEST_F(ConfigTest, BooleansAcceptTheUsualSpellings) {
  struct Row {
    std::string toml_value;
    std::optional<bool> expected;  // nullopt: refused
  };
  const std::vector<Row> rows = {
      {"true", true},
      {"false", false},
      {"\"true\"", true},
      {"\"false\"", false},
      {"\"yes\"", true},
      {"\"no\"", false},
      {"\"on\"", true},
      {"\"off\"", false},
      {"\"1\"", true},
      {"\"0\"", false},
      {"1", true},
      {"0", false},
      {"\"TRUE\"", std::nullopt},
      {"\"y\"", std::nullopt},
      {"\"\"", std::nullopt},
      {"2", std::nullopt},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.toml_value);
    auto c = load_config(toml("[jobs]\nenabled = " + row.toml_value + "\n"), no_env());
    ASSERT_EQ(c.ok(), row.expected.has_value()) << (c.ok() ? "" : c.error().message);
    if (c.ok()) {
      EXPECT_EQ(c->jobs.enabled, *row.expected);
    } else {
      EXPECT_EQ(c.error().fields[0].field, "jobs.enabled");
    }
  }
}

TEST_F(ConfigTest, UnreadableOrMalformedFilesAreConfigErrors) {
  struct Row {
    std::string what;
    std::string path;
    std::string message_part;
  };
  const std::vector<Row> rows = {
      {"missing file", (dir_.path() / "absent.toml").string(), "absent.toml"},
      {"bad TOML", toml("[http\nlisten = 1\n"), ":1:"},
      {"duplicate key", toml("data_dir = \"a\"\ndata_dir = \"b\"\n"), ":2:"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    auto c = load_config(row.path, no_env());
    ASSERT_FALSE(c.ok());
    ASSERT_EQ(c.error().fields.size(), 1u);
    EXPECT_EQ(c.error().fields[0].field, "config");
    EXPECT_NE(c.error().message.find(row.path), std::string::npos) << c.error().message;
    EXPECT_NE(c.error().message.find(row.message_part), std::string::npos) << c.error().message;
  }
}

TEST_F(ConfigTest, CorsOriginsFromAnEnvironmentList) {
  struct Row {
    std::string value;
    std::vector<std::string> expected;
  };
  const std::vector<Row> rows = {
      {"https://a.gov.cn", {"https://a.gov.cn"}},
      {"https://a.gov.cn,https://b.gov.cn", {"https://a.gov.cn", "https://b.gov.cn"}},
      {",https://a.gov.cn,,https://b.gov.cn,", {"https://a.gov.cn", "https://b.gov.cn"}},
      {"*", {"*"}},
      {"", {}},  // an empty variable switches CORS off, even when the file set origins
      {",", {}},
  };
  auto path = toml("[http]\ncors_origins = [\"https://file.gov.cn\"]\n");
  for (const auto& row : rows) {
    auto c = load_ok(path, fake_env({{"ZHENGWU_CORS_ORIGINS", row.value}}));
    EXPECT_EQ(c.http.cors_origins, row.expected) << "'" << row.value << "'";
  }
}

TEST_F(ConfigTest, DatabaseUrlDefaultsToSqliteUnderDataDir) {
  const auto cwd = std::filesystem::current_path();
  struct Row {
    std::string data_dir;
    std::string url;
    std::string expected;
  };
  const std::vector<Row> rows = {
      {"/srv/zw", "", "sqlite:///srv/zw/zhengwu.db"},
      {"/srv/zw/", "", "sqlite:///srv/zw/zhengwu.db"},
      {"/srv/zw/../other", "", "sqlite:///srv/other/zhengwu.db"},
      {"data", "", "sqlite://" + (cwd / "data" / "zhengwu.db").lexically_normal().string()},
      {"./var/../data", "", "sqlite://" + (cwd / "data" / "zhengwu.db").lexically_normal().string()},
      {"/srv/zw", "postgresql://zw@db/zhengwu", "postgresql://zw@db/zhengwu"},
      {"/srv/zw", "sqlite:///elsewhere.db", "sqlite:///elsewhere.db"},
  };
  for (const auto& row : rows) {
    Config c;
    c.data_dir = row.data_dir;
    c.database.url = row.url;
    EXPECT_EQ(c.database_url(), row.expected) << row.data_dir << " / " << row.url;
  }
}

TEST(ConfigParseSizeTest, SizesAndUnits) {
  struct Row {
    std::string text;
    std::optional<std::size_t> expected;  // nullopt: refused
  };
  const std::vector<Row> rows = {
      {"0", 0},
      {"1", 1},
      {"1048576", 1048576},
      {"1B", 1},
      {"512B", 512},
      {"1K", 1024},
      {"1KB", 1024},
      {"1KiB", 1024},
      {"512KiB", 512u << 10},
      {"16M", 16u << 20},
      {"16MB", 16u << 20},
      {"16MiB", 16u << 20},
      {"16 MiB", 16u << 20},
      {"2G", std::size_t{2} << 30},
      {"2GB", std::size_t{2} << 30},
      {"2GiB", std::size_t{2} << 30},
      {"1125899906842624", std::size_t{1} << 50},  // the largest plain number
      {"", std::nullopt},
      {"MiB", std::nullopt},
      {"-1", std::nullopt},
      {"+1", std::nullopt},
      {" 1", std::nullopt},
      {"1.5MiB", std::nullopt},
      {"16mib", std::nullopt},
      {"16Mi", std::nullopt},
      {"1TiB", std::nullopt},
      {"1T", std::nullopt},
      {"16 M B", std::nullopt},
      {"0x10", std::nullopt},
      {"1125899906842625", std::nullopt},
      {"99999999999999999999", std::nullopt},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE("'" + row.text + "'");
    auto r = parse_size(row.text);
    ASSERT_EQ(r.ok(), row.expected.has_value()) << (r.ok() ? std::to_string(*r) : r.error().message);
    if (r.ok()) {
      EXPECT_EQ(*r, *row.expected);
    } else {
      EXPECT_EQ(r.error().code, ErrorCode::invalid);
      EXPECT_FALSE(r.error().message.empty());
    }
  }
}

// Sizes whose unit multiplies them past the cap are refused, not wrapped around 2^64.
TEST(ConfigParseSizeTest, LargeUnitCountsAreTooLarge) {
  for (std::string text : {"17179869184GiB", "17179869185GiB", "17592186044416MiB"}) {
    auto r = parse_size(text);
    EXPECT_FALSE(r.ok()) << text << " parsed as " << (r.ok() ? std::to_string(*r) : "");
  }
}

// Blanks around the origins of a comma list are not part of an origin.
TEST_F(ConfigTest, CorsListTrimsBlanks) {
  auto c = load_ok(std::nullopt, fake_env({{"ZHENGWU_CORS_ORIGINS", "https://a.gov.cn, https://b.gov.cn"}}));
  EXPECT_EQ(c.http.cors_origins, (std::vector<std::string>{"https://a.gov.cn", "https://b.gov.cn"}));
}

// NaN is not a non-negative number.
TEST_F(ConfigTest, NanRateIsRefused) {
  for (std::string value : {"nan", "-nan"}) {
    auto c = load_config(toml("[http]\nrate_limit_per_second = " + value + "\n"), no_env());
    ASSERT_FALSE(c.ok()) << value << " accepted";
    EXPECT_EQ(c.error().fields[0].field, "http.rate_limit_per_second");
  }
}

// Unquoted TOML dates and times are kept as their text (or refused by key), never emptied.
TEST_F(ConfigTest, TomlDateValuesAreNotEmptied) {
  struct Row {
    std::string toml_text;
    std::string key;
  };
  const std::vector<Row> rows = {
      {"[clock]\nstart = 2025-01-01T00:00:00Z\n", "clock.start"},
      {"[database]\nurl = 1979-05-27\n", "database.url"},
      {"[http]\nweb_root = 07:32:00\n", "http.web_root"},
  };
  for (const auto& row : rows) {
    auto c = load_config(toml(row.toml_text), no_env());
    if (!c.ok()) {
      ASSERT_EQ(c.error().fields.size(), 1u);
      EXPECT_EQ(c.error().fields[0].field, row.key);
      continue;
    }
    const std::string value = row.key == "clock.start"    ? c->clock_start.value_or("(unset)")
                              : row.key == "database.url" ? c->database.url
                                                          : c->http.web_root;
    EXPECT_FALSE(value.empty()) << row.key << " was set to an empty string";
  }
}

}  // namespace
}  // namespace zhengwu
