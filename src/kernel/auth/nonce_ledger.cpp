// Nonces of signed requests; see nonce_ledger.hpp.
#include "kernel/auth/nonce_ledger.hpp"

#include <spdlog/spdlog.h>

namespace zhengwu::auth {

namespace {
// Rows per INSERT statement and transaction (3 parameters each), well under both
// engines' limits.
constexpr std::size_t kRowsPerStatement = 250;
}  // namespace

NonceLedger::NonceLedger(db::Database& db, const Clock& clock, std::chrono::milliseconds flush_every)
    : db_(db), clock_(clock), flush_every_(flush_every) {}

NonceLedger::~NonceLedger() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  try {
    flush();
  } catch (const std::exception& e) {
    spdlog::error("nonces of the last {} ms could not be written: {}", flush_every_.count(), e.what());
  }
}

std::string NonceLedger::key_of(std::string_view client_id, std::string_view nonce) {
  std::string key(client_id);
  key.push_back('\x1f');  // neither a client id nor a nonce holds it (their alphabets)
  key.append(nonce);
  return key;
}

bool NonceLedger::remember(std::string_view client_id, std::string_view nonce, std::int64_t expires_at_ms) {
  // Written earlier, by this process or another node: the table has it.
  if (!db_.query("SELECT 1 FROM client_nonces WHERE client_id = ? AND nonce = ?", {client_id, nonce}).empty())
    return false;
  std::lock_guard lock(mutex_);
  // Seen by this process and not yet in the table, or written so recently that a request
  // which read the table just before that write is now here: both are in memory.
  auto key = key_of(client_id, nonce);
  if (written_.contains(key) || !unwritten_.insert(std::move(key)).second) return false;
  queue_.push_back({std::string(client_id), std::string(nonce), expires_at_ms});
  if (!writer_.joinable() && !stopping_) writer_ = std::thread([this] { run(); });
  return true;
}

void NonceLedger::settle(const std::vector<Entry>& batch) {
  // Keys stay in memory for one more interval after their write (written_), so that a
  // request whose read of the table came just before the write still finds them here.
  written_.clear();
  for (const auto& e : batch) {
    auto key = key_of(e.client_id, e.nonce);
    unwritten_.erase(key);
    written_.insert(std::move(key));
  }
}

void NonceLedger::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, flush_every_, [this] { return stopping_; });
    if (queue_.empty()) continue;
    std::vector<Entry> batch;
    batch.swap(queue_);
    lock.unlock();
    try {
      write(batch);
    } catch (const std::exception& e) {
      // Kept in memory and queued again: refused as replays meanwhile, written later.
      spdlog::warn("nonces not written yet ({} of them): {}", batch.size(), e.what());
      lock.lock();
      queue_.insert(queue_.end(), batch.begin(), batch.end());
      continue;
    }
    lock.lock();
    settle(batch);
  }
}

void NonceLedger::flush() {
  std::vector<Entry> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(queue_);
  }
  if (batch.empty()) return;
  write(batch);
  std::lock_guard lock(mutex_);
  settle(batch);
}

void NonceLedger::write(std::vector<Entry>& batch) {
  // A transaction per statement: nonces land on random pages of a large index, and one
  // transaction for a batch that grew while the audit writer held the lock kept that lock
  // long enough to hold up every audited reply. Should a later one fail, the batch is
  // queued again and the rows already written are skipped (ON CONFLICT).
  std::int64_t written = 0;
  for (std::size_t at = 0; at < batch.size(); at += kRowsPerStatement) {
    auto tx = db_.begin();
    const std::size_t n = std::min(kRowsPerStatement, batch.size() - at);
    std::string sql(db::bulk_insert(tx.kind()));
    sql += " INTO client_nonces (client_id, nonce, expires_at) VALUES ";
    db::Params p;
    p.reserve(n * 3);
    for (std::size_t i = 0; i < n; ++i) {
      sql += i ? ",(?, ?, ?)" : "(?, ?, ?)";
      const auto& e = batch[at + i];
      p.emplace_back(e.client_id);
      p.emplace_back(e.nonce);
      p.emplace_back(e.expires_at);
    }
    sql += " ON CONFLICT (client_id, nonce) DO NOTHING";
    written += tx.execute(sql, p);
    tx.commit();
  }
  // A row already there: another node accepted the same nonce within one interval, or a
  // replay refused by the read above (its entry was queued all the same).
  if (written < static_cast<std::int64_t>(batch.size()))
    spdlog::debug("{} of {} nonces were written already", batch.size() - static_cast<std::size_t>(written),
                  batch.size());
}

std::int64_t NonceLedger::prune() {
  return db_.execute("DELETE FROM client_nonces WHERE expires_at < ?", {to_unix_ms(clock_.now())});
}

}  // namespace zhengwu::auth
