// Spawning the zhengwu binary for integration tests (fork/exec, output files, temp dirs).
#include "support/server_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace zhengwu::testing {
namespace fs = std::filesystem;

namespace {

std::vector<std::string> base_environment(const Env& extra) {
  Env env;
  // A minimal, predictable environment: nothing from the developer's shell leaks in
  // (a stray ZHENGWU_DB_URL would point a test at the wrong database).
  for (const char* keep : {"PATH", "HOME", "LANG", "TMPDIR", "ASAN_OPTIONS", "LSAN_OPTIONS"})
    if (const char* v = std::getenv(keep)) env[keep] = v;
  env["ZHENGWU_LOG_LEVEL"] = "info";
  env["ZHENGWU_JOBS_POLL_MS"] = "100";
  for (const auto& [k, v] : extra) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

pid_t spawn(const std::vector<std::string>& args, const Env& env, int stdout_fd, int stderr_fd) {
  auto envs = base_environment(env);
  std::vector<char*> argv{const_cast<char*>(ZHENGWU_BINARY)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    dup2(stdout_fd, 1);
    dup2(stderr_fd, 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    execve(ZHENGWU_BINARY, argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

}  // namespace

TempDir::TempDir() {
  std::random_device rd;
  auto base = fs::temp_directory_path();
  for (int i = 0; i < 100; ++i) {
    auto p = base / ("zhengwu-test-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(p, ec)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

CommandResult run_zhengwu(const std::vector<std::string>& args, const Env& env, std::chrono::seconds timeout) {
  TempDir tmp;
  auto out_path = tmp.path() / "stdout";
  auto err_path = tmp.path() / "stderr";
  int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = spawn(args, env, out_fd, err_fd);
  close(out_fd);
  close(err_fd);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  CommandResult r;
  while (true) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) {
      r.exit_code = decode_status(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.exit_code = -1000;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  return r;
}

ServerProcess::ServerProcess(const fs::path& data_dir, const Env& env, std::vector<std::string> args) {
  Env full = env;
  if (!full.count("ZHENGWU_LISTEN")) full["ZHENGWU_LISTEN"] = "127.0.0.1:0";
  if (!full.count("ZHENGWU_DATA_DIR")) full["ZHENGWU_DATA_DIR"] = data_dir.string();
  fs::create_directories(data_dir);
  auto tag = std::to_string(std::random_device{}());
  log_file_ = data_dir / ("server-" + tag + ".log");
  auto out_file = data_dir / ("server-" + tag + ".out");
  // Files, not pipes: nobody has to keep draining them, and a late write never meets a
  // closed pipe.
  int out_fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int err_fd = open(log_file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  auto started = std::chrono::steady_clock::now();
  pid_ = spawn(args, full, out_fd, err_fd);
  close(out_fd);
  close(err_fd);

  const std::string marker = "zhengwu listening on http://";
  auto deadline = started + std::chrono::seconds(30);
  while (true) {
    std::string seen = slurp(out_file);
    auto m = seen.find(marker);
    auto nl = m == std::string::npos ? std::string::npos : seen.find('\n', m);
    if (nl != std::string::npos) {
      auto addr = seen.substr(m + marker.size(), nl - m - marker.size());
      port_ = std::stoi(addr.substr(addr.rfind(':') + 1));
      break;
    }
    int status = 0;
    bool exited = waitpid(pid_, &status, WNOHANG) == pid_;
    if (exited || std::chrono::steady_clock::now() > deadline) {
      int code = exited ? decode_status(status) : stop(SIGKILL, std::chrono::seconds(5));
      pid_ = -1;
      throw std::runtime_error("zhengwu did not start (exit " + std::to_string(code) + "); log:\n" + slurp(log_file_) +
                               "\nstdout:\n" + seen);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  startup_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) stop(SIGTERM, std::chrono::seconds(10));
}

int ServerProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    pid_t w = waitpid(pid_, &status, WNOHANG);
    if (w == pid_) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      pid_ = -1;
      return -1000;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  pid_ = -1;
  return decode_status(status);
}

std::string ServerProcess::log() const { return slurp(log_file_); }

}  // namespace zhengwu::testing
