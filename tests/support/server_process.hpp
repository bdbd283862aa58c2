// Runs the real `zhengwu` binary for integration tests: as a server on a free loopback
// port (port 0), or as a one-shot command whose output and exit code are captured.
// Each ServerProcess gets its own temporary data directory unless told otherwise.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <sys/types.h>
#include <vector>

namespace zhengwu::testing {

using Env = std::map<std::string, std::string>;

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `zhengwu ARGS...` with the environment `env` added to a clean minimal one and
// waits for it (at most `timeout`, then kills it and fails the test).
CommandResult run_zhengwu(const std::vector<std::string>& args, const Env& env,
                          std::chrono::seconds timeout = std::chrono::seconds(60));

class ServerProcess {
 public:
  // Starts `zhengwu serve` (or `args`) with ZHENGWU_LISTEN=127.0.0.1:0 and
  // ZHENGWU_DATA_DIR=<data_dir> plus `env`, and waits for "zhengwu listening on" on its
  // stdout. Throws std::runtime_error (with the server's log) when it does not start.
  ServerProcess(const std::filesystem::path& data_dir, const Env& env = {},
                std::vector<std::string> args = {"serve"});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Time from spawn to the "listening" line.
  std::chrono::milliseconds startup_time() const { return startup_; }

  // Sends `signal` and waits up to `timeout`; returns the exit status (or -signal when
  // killed by a signal, -1000 when it did not exit in time and was killed).
  int stop(int signal = 15, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  bool running() const { return pid_ > 0; }
  // Everything the server wrote on stderr (its log).
  std::string log() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::filesystem::path log_file_;
  std::chrono::milliseconds startup_{0};
};

}  // namespace zhengwu::testing
