// Applying schema migrations (see migrations.hpp for the promises).
//
// Each pending migration runs in its own write transaction together with its row in
// `schema_migrations`. Two processes may start at once (several nodes over one
// PostgreSQL, or a CLI command beside a running server on SQLite), so inside that
// transaction the migration is looked up again after taking the engine's write lock:
// BEGIN IMMEDIATE on SQLite, a transaction-scoped advisory lock on PostgreSQL. Whoever
// comes second finds the row and skips the migration.
#include "kernel/db/migrations.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

namespace zhengwu::db {
namespace {

// The advisory-lock key of migrations on PostgreSQL: "zhengwu!" in ASCII, so that it is
// recognisable in pg_locks and unlikely to collide with another application's key.
constexpr std::int64_t kMigrationLockKey = 0x7a68656e67777521;

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " module TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " name TEXT NOT NULL,"
    " checksum TEXT NOT NULL,"
    " applied_at TEXT NOT NULL,"
    " PRIMARY KEY (module, version))";

// FNV-1a, 64 bits, over the migration's text as written (before dialect expansion, so a
// migration has one checksum on both engines). It detects edits, not attacks.
std::string checksum(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

// ISO 8601 in UTC with seconds: 2026-12-04T06:30:00Z.
std::string iso8601_utc(TimePoint t) {
  using namespace std::chrono;
  auto seconds = floor<std::chrono::seconds>(t);
  auto day = floor<days>(seconds);
  year_month_day ymd(day);
  hh_mm_ss hms(seconds - day);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(hms.hours().count()), static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return text;
}

std::string label(const Migration& m) {
  return "migration " + m.module + " #" + std::to_string(m.version) + " (" + m.name + ")";
}

void lock_migrations(Transaction& tx) {
  if (tx.kind() == Kind::postgres) tx.query("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")");
}

void refuse_if_changed(const Migration& m, const std::string& recorded, const std::string& expected) {
  if (recorded == expected) return;
  throw Error(Error::Kind::other, label(m) + " was changed after it was applied (recorded checksum " + recorded +
                                      ", now " + expected + "); add a new migration instead of editing an applied one");
}

// The migrations in the order they run: modules in order of first appearance, versions
// ascending within each. Rejects what cannot be numbered unambiguously.
std::vector<const Migration*> ordered(const std::vector<Migration>& migrations) {
  std::map<std::string, std::size_t> module_rank;
  std::set<std::pair<std::string, int>> seen;
  for (const Migration& m : migrations) {
    if (m.module.empty()) throw Error(Error::Kind::other, "a migration has no module name (version " + std::to_string(m.version) + ")");
    if (m.version <= 0) throw Error(Error::Kind::other, label(m) + ": versions start at 1");
    if (!seen.emplace(m.module, m.version).second) throw Error(Error::Kind::other, label(m) + " is listed twice");
    module_rank.emplace(m.module, module_rank.size());
  }
  std::vector<const Migration*> out;
  for (const Migration& m : migrations) out.push_back(&m);
  std::stable_sort(out.begin(), out.end(), [&](const Migration* a, const Migration* b) {
    auto ra = module_rank.at(a->module);
    auto rb = module_rank.at(b->module);
    return ra != rb ? ra < rb : a->version < b->version;
  });
  return out;
}

void ensure_table(Database& db) {
  // Under the lock, because two nodes running CREATE TABLE IF NOT EXISTS at once on
  // PostgreSQL can both miss the table and one then fails on the catalog's unique index.
  Transaction tx = db.begin(TxMode::write);
  lock_migrations(tx);
  tx.execute(kCreateTable);
  tx.commit();
}

}  // namespace

MigrationReport apply_migrations(Database& db, const std::vector<Migration>& migrations, const Clock& clock) {
  std::vector<const Migration*> plan = ordered(migrations);
  ensure_table(db);

  std::map<std::pair<std::string, int>, std::string> recorded;
  for (const Row& row : db.query("SELECT module, version, checksum FROM schema_migrations"))
    recorded.emplace(std::pair(row.get<std::string>("module"), row.get<int>("version")), row.get<std::string>("checksum"));

  MigrationReport report;
  for (const Migration* m : plan) {
    const std::string sum = checksum(m->sql);
    if (auto it = recorded.find({m->module, m->version}); it != recorded.end()) {
      refuse_if_changed(*m, it->second, sum);
      ++report.already;
      continue;
    }
    try {
      Transaction tx = db.begin(TxMode::write);
      lock_migrations(tx);
      Rows again = tx.query("SELECT checksum FROM schema_migrations WHERE module = ? AND version = ?", {m->module, m->version});
      if (!again.empty()) {
        // Another process applied it since we looked.
        refuse_if_changed(*m, again[0].get<std::string>("checksum"), sum);
        ++report.already;
        continue;
      }
      tx.execute_script(db.expand_dialect(m->sql));
      tx.execute("INSERT INTO schema_migrations (module, version, name, checksum, applied_at) VALUES (?, ?, ?, ?, ?)",
                 {m->module, m->version, m->name, sum, iso8601_utc(clock.now())});
      tx.commit();
      ++report.applied;
    } catch (const Error& e) {
      std::string what = e.what();
      if (what.rfind(label(*m), 0) == 0) throw;  // already says which migration
      throw Error(e.kind(), label(*m) + " failed: " + what);
    }
  }
  return report;
}

}  // namespace zhengwu::db
