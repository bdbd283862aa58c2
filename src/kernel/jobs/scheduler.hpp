// Durable jobs: one-shot timers, recurring jobs and the transactional outbox, all kept in
// the database so that a restart, a crash or a second node loses nothing.
//
// - A **timer** (`schedule`) runs a handler of its kind once at or after `run_at`. A timer
//   that fell due while no server ran fires at the next start. Handlers may run again
//   after a crash in the middle (at-least-once): they must be idempotent.
// - A **recurring job** (`every`) runs on one node per period.
// - The **outbox** (`publish`) records an event in the same transaction as the change that
//   causes it; subscribers are called after commit, so an event exists if and only if its
//   change does.
//
// Claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL, so two nodes never take the same
// timer; on SQLite one process at a time owns the scheduler through a lease row.
//
// Thread-safety: register handlers before `start()`; `schedule`, `publish`, `cancel` and
// `run_due` may be called from any thread. The handlers run on the scheduler's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"

namespace zhengwu::jobs {

struct Job {
  std::int64_t id = 0;
  std::string kind;
  std::string payload;
  int attempt = 1;  // 1 on the first run
  TimePoint run_at;
};

struct Event {
  std::int64_t id = 0;
  std::string topic;
  std::string payload;
  TimePoint created_at;
};

struct SchedulerOptions {
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds lease{60'000};  // a claim not finished by then is retried
  int max_attempts = 5;                     // then the timer is marked failed
  int batch = 16;                           // timers or events claimed per pass
  std::string node;                         // empty: host-pid-random
};

// Milliseconds since the Unix epoch, the storage form of job times.
std::int64_t to_millis(TimePoint t);
TimePoint from_millis(std::int64_t ms);

class Scheduler {
 public:
  // A handler throws to fail the attempt; the timer is retried with exponential backoff
  // until max_attempts, then left `failed` with the error for an operator.
  using TimerHandler = std::function<void(const Job&)>;
  using EventHandler = std::function<void(const Event&)>;

  Scheduler(db::Database& db, const Clock& clock, SchedulerOptions options);
  ~Scheduler();

  static std::vector<db::Migration> migrations();

  void on(std::string kind, TimerHandler handler);
  void every(std::string name, std::chrono::milliseconds interval, std::function<void()> fn);
  void subscribe(std::string topic, EventHandler handler);

  // Schedules a timer within the caller's transaction: it exists only if that commits.
  // With `key`, a second schedule with the same key returns the first timer's id.
  static std::int64_t schedule(db::Transaction& tx, std::string_view kind, TimePoint run_at, std::string_view payload,
                               TimePoint now, const std::optional<std::string>& key = std::nullopt);
  // The same in a transaction of its own.
  std::int64_t schedule(std::string_view kind, TimePoint run_at, std::string_view payload,
                        const std::optional<std::string>& key = std::nullopt);
  // Cancels a pending timer; false when it is no longer pending.
  bool cancel(std::int64_t id);

  // Appends an event to the outbox within the caller's transaction.
  static std::int64_t publish(db::Transaction& tx, std::string_view topic, std::string_view payload, TimePoint now);

  // Starts the background thread; `stop` ends it after the job in hand.
  void start();
  void stop();
  // Wakes the background thread now (after scheduling something due soon).
  void wake();

  // One pass over due timers, recurring jobs and pending events; returns how many ran.
  // Used by the background thread, by tests and by `zhengwu jobs run-due`.
  int run_due();

  const std::string& node() const { return options_.node; }
  bool owns_scheduler() const { return owner_.load(); }

 private:
  bool acquire_lease();
  int run_timers();
  int run_recurring();
  int run_events();
  void finish_timer(const Job& job, const std::optional<std::string>& error, std::int64_t started);

  db::Database& db_;
  const Clock& clock_;
  SchedulerOptions options_;
  std::map<std::string, TimerHandler, std::less<>> timers_;
  struct Recurring {
    std::chrono::milliseconds interval;
    std::function<void()> fn;
  };
  std::map<std::string, Recurring, std::less<>> recurring_;
  std::multimap<std::string, EventHandler, std::less<>> subscribers_;
  bool recurring_registered_ = false;

  std::atomic<bool> owner_{false};
  std::mutex mutex_;
  std::condition_variable wake_cv_;
  bool stop_requested_ = false;  // guarded by mutex_
  bool woken_ = false;           // guarded by mutex_
  std::thread thread_;
};

}  // namespace zhengwu::jobs
