// The durable scheduler. See scheduler.hpp for the promises; here is how they are kept:
//
// - A claim is one short transaction that flips rows from `pending` to `running` with
//   this node's name and a lease deadline, then commits; the handler runs outside any
//   transaction; a second short transaction records the outcome. On PostgreSQL the
//   claiming SELECT takes its rows `FOR UPDATE SKIP LOCKED`, so concurrent nodes claim
//   disjoint sets. A row whose lease ran out (its node died mid-run) is claimable again.
// - On SQLite the whole database has one writer at a time anyway; a lease row in
//   `scheduler_lease` makes one process the scheduler, renewed on every pass and taken
//   over by another process when it lapses.
#include "kernel/jobs/scheduler.hpp"

#include <fmt/format.h>
#include <random>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace zhengwu::jobs {
namespace {

std::string default_node_name() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) std::snprintf(host, sizeof(host), "host");
  std::mt19937 rng{std::random_device{}()};
  return fmt::format("{}-{}-{:04x}", host, getpid(), rng() & 0xffff);
}

// Retry delay after the n-th failed attempt: 2^n seconds, at most one hour.
std::int64_t backoff_ms(int attempt) {
  std::int64_t s = std::int64_t{1} << std::min(attempt, 12);
  return std::min<std::int64_t>(s, 3600) * 1000;
}

std::string skip_locked(const db::Database& db) {
  return db.kind() == db::Kind::postgres ? " FOR UPDATE SKIP LOCKED" : "";
}

}  // namespace

std::int64_t to_millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint from_millis(std::int64_t ms) {
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

std::vector<db::Migration> Scheduler::migrations() {
  return {{"kernel.jobs", 1, "timers, runs, recurring jobs, outbox, scheduler lease", R"SQL(
CREATE TABLE job_timers (
  id {{pk}},
  kind TEXT NOT NULL,
  payload TEXT NOT NULL DEFAULT '',
  dedupe_key TEXT UNIQUE,
  run_at BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','running','done','failed','cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  locked_by TEXT,
  locked_until BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX job_timers_due ON job_timers (state, run_at);
CREATE TABLE job_runs (
  id {{pk}},
  timer_id BIGINT,
  recurring TEXT,
  kind TEXT NOT NULL,
  node TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('done','retry','failed')),
  error TEXT
);
CREATE INDEX job_runs_timer ON job_runs (timer_id);
CREATE TABLE job_recurring (
  name TEXT PRIMARY KEY,
  interval_ms BIGINT NOT NULL,
  next_run_at BIGINT NOT NULL,
  last_run_at BIGINT,
  last_node TEXT
);
CREATE TABLE outbox_events (
  id {{pk}},
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  available_at BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','running','done','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  locked_by TEXT,
  locked_until BIGINT,
  dispatched_at BIGINT,
  last_error TEXT
);
CREATE INDEX outbox_events_pending ON outbox_events (state, available_at);
CREATE TABLE scheduler_lease (
  id INTEGER PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at BIGINT NOT NULL
)
)SQL"}};
}

Scheduler::Scheduler(db::Database& db, const Clock& clock, SchedulerOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {
  if (options_.node.empty()) options_.node = default_node_name();
  // Keep finished history bounded: done timers, runs and dispatched events older than
  // 30 days are removed. Failed timers stay until an operator looks at them.
  every("jobs.prune", std::chrono::hours(6), [this] {
    auto cutoff = to_millis(clock_.now() - std::chrono::hours(24 * 30));
    auto tx = db_.begin();
    tx.execute("DELETE FROM job_runs WHERE finished_at < ?", {cutoff});
    tx.execute("DELETE FROM job_timers WHERE state IN ('done','cancelled') AND finished_at < ?", {cutoff});
    tx.execute("DELETE FROM outbox_events WHERE state = 'done' AND dispatched_at < ?", {cutoff});
    tx.commit();
  });
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::on(std::string kind, TimerHandler handler) { timers_[std::move(kind)] = std::move(handler); }

void Scheduler::every(std::string name, std::chrono::milliseconds interval, std::function<void()> fn) {
  recurring_[std::move(name)] = Recurring{interval, std::move(fn)};
  recurring_registered_ = false;
}

void Scheduler::subscribe(std::string topic, EventHandler handler) {
  subscribers_.emplace(std::move(topic), std::move(handler));
}

std::int64_t Scheduler::schedule(db::Transaction& tx, std::string_view kind, TimePoint run_at, std::string_view payload,
                                 TimePoint now, const std::optional<std::string>& key) {
  if (key) {
    auto existing = tx.query("SELECT id FROM job_timers WHERE dedupe_key = ?", {*key});
    if (!existing.empty()) return existing[0].get<std::int64_t>(0);
  }
  auto rows = tx.query(
      "INSERT INTO job_timers (kind, payload, dedupe_key, run_at, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
      {kind, payload, db::Value(key), to_millis(run_at), to_millis(now)});
  return rows[0].get<std::int64_t>(0);
}

std::int64_t Scheduler::schedule(std::string_view kind, TimePoint run_at, std::string_view payload,
                                 const std::optional<std::string>& key) {
  auto tx = db_.begin();
  auto id = schedule(tx, kind, run_at, payload, clock_.now(), key);
  tx.commit();
  if (run_at <= clock_.now() + options_.poll_interval) wake();
  return id;
}

bool Scheduler::cancel(std::int64_t id) {
  return db_.execute("UPDATE job_timers SET state = 'cancelled', finished_at = ? WHERE id = ? AND state = 'pending'",
                     {to_millis(clock_.now()), id}) == 1;
}

std::int64_t Scheduler::publish(db::Transaction& tx, std::string_view topic, std::string_view payload, TimePoint now) {
  auto rows = tx.query(
      "INSERT INTO outbox_events (topic, payload, created_at, available_at) VALUES (?, ?, ?, ?) RETURNING id",
      {topic, payload, to_millis(now), to_millis(now)});
  return rows[0].get<std::int64_t>(0);
}

bool Scheduler::acquire_lease() {
  if (db_.kind() == db::Kind::postgres) {
    owner_ = true;  // SKIP LOCKED makes nodes safe together: every node schedules
    return true;
  }
  auto now = to_millis(clock_.now());
  auto until = now + std::max<std::int64_t>(5000, 3 * options_.poll_interval.count());
  auto changed = db_.execute(
      "INSERT INTO scheduler_lease (id, owner, expires_at) VALUES (1, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at "
      "WHERE scheduler_lease.owner = excluded.owner OR scheduler_lease.expires_at < ?",
      {options_.node, until, now});
  bool owner = changed == 1;
  if (owner != owner_.exchange(owner))
    spdlog::info("scheduler on node {}: {}", options_.node, owner ? "this process owns it" : "another process owns it");
  return owner;
}

int Scheduler::run_due() {
  if (!acquire_lease()) return 0;
  return run_timers() + run_recurring() + run_events();
}

int Scheduler::run_timers() {
  auto now = to_millis(clock_.now());
  std::vector<Job> claimed;
  {
    auto tx = db_.begin();
    auto rows = tx.query(
        "UPDATE job_timers SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1 "
        "WHERE id IN (SELECT id FROM job_timers WHERE (state = 'pending' AND run_at <= ?) "
        "OR (state = 'running' AND locked_until < ?) ORDER BY run_at LIMIT ?" +
            skip_locked(db_) + ") RETURNING id, kind, payload, attempts, run_at",
        {options_.node, now + options_.lease.count(), now, now, options_.batch});
    tx.commit();
    for (const auto& r : rows)
      claimed.push_back(Job{r.get<std::int64_t>("id"), r.get<std::string>("kind"), r.get<std::string>("payload"),
                            r.get<int>("attempts"), from_millis(r.get<std::int64_t>("run_at"))});
  }
  std::sort(claimed.begin(), claimed.end(), [](const Job& a, const Job& b) { return a.run_at < b.run_at; });
  for (const auto& job : claimed) {
    auto started = to_millis(clock_.now());
    std::optional<std::string> error;
    auto it = timers_.find(job.kind);
    if (it == timers_.end()) {
      error = "no handler for job kind '" + job.kind + "' on this node";
    } else {
      try {
        it->second(job);
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    finish_timer(job, error, started);
  }
  return static_cast<int>(claimed.size());
}

void Scheduler::finish_timer(const Job& job, const std::optional<std::string>& error, std::int64_t started) {
  auto now = to_millis(clock_.now());
  std::string outcome = !error ? "done" : (job.attempt >= options_.max_attempts ? "failed" : "retry");
  auto tx = db_.begin();
  if (!error) {
    tx.execute("UPDATE job_timers SET state = 'done', finished_at = ?, locked_by = NULL, locked_until = NULL, "
               "last_error = NULL WHERE id = ? AND locked_by = ?",
               {now, job.id, options_.node});
  } else if (outcome == "failed") {
    spdlog::error("job {} ({}) failed for good after {} attempts: {}", job.id, job.kind, job.attempt, *error);
    tx.execute("UPDATE job_timers SET state = 'failed', finished_at = ?, locked_by = NULL, locked_until = NULL, "
               "last_error = ? WHERE id = ? AND locked_by = ?",
               {now, *error, job.id, options_.node});
  } else {
    spdlog::warn("job {} ({}) attempt {} failed, will retry: {}", job.id, job.kind, job.attempt, *error);
    tx.execute("UPDATE job_timers SET state = 'pending', run_at = ?, locked_by = NULL, locked_until = NULL, "
               "last_error = ? WHERE id = ? AND locked_by = ?",
               {now + backoff_ms(job.attempt), *error, job.id, options_.node});
  }
  tx.execute("INSERT INTO job_runs (timer_id, kind, node, attempt, started_at, finished_at, outcome, error) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
             {job.id, job.kind, options_.node, job.attempt, started, now, outcome, db::Value(error)});
  tx.commit();
}

int Scheduler::run_recurring() {
  auto now = to_millis(clock_.now());
  if (!recurring_registered_) {
    // Register (or re-time) the recurring jobs this node knows; the first run is one
    // interval after the first registration.
    auto tx = db_.begin();
    for (const auto& [name, r] : recurring_)
      tx.execute("INSERT INTO job_recurring (name, interval_ms, next_run_at) VALUES (?, ?, ?) "
                 "ON CONFLICT (name) DO UPDATE SET interval_ms = excluded.interval_ms",
                 {name, r.interval.count(), now + r.interval.count()});
    tx.commit();
    recurring_registered_ = true;
  }
  int ran = 0;
  for (const auto& [name, r] : recurring_) {
    bool mine = false;
    {
      auto tx = db_.begin();
      auto due = tx.query("SELECT name FROM job_recurring WHERE name = ? AND next_run_at <= ?" + skip_locked(db_),
                          {name, now});
      if (!due.empty()) {
        tx.execute("UPDATE job_recurring SET next_run_at = ?, last_run_at = ?, last_node = ? WHERE name = ?",
                   {now + r.interval.count(), now, options_.node, name});
        mine = true;
      }
      tx.commit();
    }
    if (!mine) continue;
    ++ran;
    auto started = to_millis(clock_.now());
    std::optional<std::string> error;
    try {
      r.fn();
    } catch (const std::exception& e) {
      error = e.what();
      spdlog::error("recurring job {} failed: {}", name, e.what());
    }
    db_.execute("INSERT INTO job_runs (recurring, kind, node, attempt, started_at, finished_at, outcome, error) "
                "VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
                {name, name, options_.node, started, to_millis(clock_.now()), error ? "failed" : "done",
                 db::Value(error)});
  }
  return ran;
}

int Scheduler::run_events() {
  auto now = to_millis(clock_.now());
  std::vector<Event> claimed;
  std::vector<int> attempts;
  {
    auto tx = db_.begin();
    auto rows = tx.query(
        "UPDATE outbox_events SET state = 'running', locked_by = ?, locked_until = ?, attempts = attempts + 1 "
        "WHERE id IN (SELECT id FROM outbox_events WHERE (state = 'pending' AND available_at <= ?) "
        "OR (state = 'running' AND locked_until < ?) ORDER BY id LIMIT ?" +
            skip_locked(db_) + ") RETURNING id, topic, payload, created_at, attempts",
        {options_.node, now + options_.lease.count(), now, now, options_.batch});
    tx.commit();
    for (const auto& r : rows) {
      claimed.push_back(Event{r.get<std::int64_t>("id"), r.get<std::string>("topic"), r.get<std::string>("payload"),
                              from_millis(r.get<std::int64_t>("created_at"))});
      attempts.push_back(r.get<int>("attempts"));
    }
  }
  // Events are delivered in the order they were written.
  std::vector<std::size_t> order(claimed.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return claimed[a].id < claimed[b].id; });
  for (auto i : order) {
    const auto& ev = claimed[i];
    std::optional<std::string> error;
    auto [first, last] = subscribers_.equal_range(ev.topic);
    for (auto it = first; it != last && !error; ++it) {
      try {
        it->second(ev);
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    auto done = to_millis(clock_.now());
    if (!error) {
      db_.execute("UPDATE outbox_events SET state = 'done', dispatched_at = ?, locked_by = NULL, locked_until = NULL "
                  "WHERE id = ? AND locked_by = ?",
                  {done, ev.id, options_.node});
    } else {
      bool give_up = attempts[i] >= options_.max_attempts;
      spdlog::warn("event {} ({}) delivery attempt {} failed{}: {}", ev.id, ev.topic, attempts[i],
                   give_up ? ", giving up" : "", *error);
      db_.execute("UPDATE outbox_events SET state = ?, available_at = ?, locked_by = NULL, locked_until = NULL, "
                  "last_error = ? WHERE id = ? AND locked_by = ?",
                  {give_up ? "failed" : "pending", done + backoff_ms(attempts[i]), *error, ev.id, options_.node});
    }
  }
  return static_cast<int>(claimed.size());
}

void Scheduler::start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = false;
  }
  thread_ = std::thread([this] {
    while (true) {
      int ran = 0;
      try {
        ran = run_due();
      } catch (const std::exception& e) {
        spdlog::warn("scheduler pass failed: {}", e.what());
      }
      std::unique_lock lock(mutex_);
      if (stop_requested_) break;
      // A full batch means there is probably more due: go again at once.
      if (ran < options_.batch)
        wake_cv_.wait_for(lock, options_.poll_interval, [this] { return stop_requested_ || woken_; });
      woken_ = false;
      if (stop_requested_) break;
    }
    if (owner_.load() && db_.kind() == db::Kind::sqlite) {
      // Hand the lease back so that a successor does not wait for it to lapse.
      try {
        db_.execute("DELETE FROM scheduler_lease WHERE id = 1 AND owner = ?", {options_.node});
      } catch (const std::exception&) {
      }
    }
  });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  wake_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_cv_.notify_all();
}

}  // namespace zhengwu::jobs
