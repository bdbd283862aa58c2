// Chain verification: an intact chain passes, and each kind of tampering done directly
// in the database (an edited field, deleted rows, a forged insert, swapped rows, a cut
// tail, a forged signature, a rewritten chain, an unrecorded purge) is named by its first
// bad record. The pure walk is tested table-driven without a database.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>

#include "kernel/audit/audit_log.hpp"
#include "kernel/audit/audit_store.hpp"
#include "kernel/audit/audit_test_support.hpp"
#include "kernel/audit/verify.hpp"

namespace zhengwu::audit {
namespace {

using testing::HmacTestSigner;
using testing::sample_record;

// ---- the walk without a database -------------------------------------------------------

struct Chain {
  std::vector<StoredRecord> records;
  std::vector<Checkpoint> checkpoints;
};

Chain build_chain(int n, HmacTestSigner& signer, std::int64_t checkpoint_every) {
  Chain c;
  std::string prev{kGenesisHash};
  for (int i = 1; i <= n; ++i) {
    StoredRecord s;
    s.seq = i;
    s.record = sample_record(i);
    s.record.time = testing::kAuditStart;
    s.prev_hash = prev;
    s.hash = record_hash(s.record, s.seq, s.prev_hash);
    prev = s.hash;
    c.records.push_back(s);
    if (i % checkpoint_every == 0) {
      Checkpoint cp{i, s.hash, testing::kAuditStart, signer.key_id(), ""};
      cp.signature = signer.sign(checkpoint_message(i, s.hash, to_millis(cp.time)));
      c.checkpoints.push_back(cp);
    }
  }
  return c;
}

VerifyReport walk(const Chain& c, Signer* signer, const std::optional<Checkpoint>& anchor = std::nullopt) {
  ChainChecker checker(signer);
  checker.start(anchor);
  std::size_t next_cp = 0;
  for (const auto& r : c.records) {
    while (next_cp < c.checkpoints.size() && c.checkpoints[next_cp].seq < r.seq) checker.add_checkpoint(c.checkpoints[next_cp++]);
    checker.add_record(r);
    while (next_cp < c.checkpoints.size() && c.checkpoints[next_cp].seq == r.seq) checker.add_checkpoint(c.checkpoints[next_cp++]);
  }
  while (next_cp < c.checkpoints.size()) checker.add_checkpoint(c.checkpoints[next_cp++]);
  return checker.finish();
}

TEST(AuditChainCheckerTest, NamesTheFirstProblem) {
  HmacTestSigner signer;
  struct Case {
    const char* name;
    std::function<void(Chain&)> tamper;
    ChainProblem problem;
    std::int64_t bad_seq;
  };
  auto rehash_from = [](Chain& c, std::size_t index) {
    for (std::size_t i = index; i < c.records.size(); ++i) {
      auto& r = c.records[i];
      if (i > 0) r.prev_hash = c.records[i - 1].hash;
      r.hash = record_hash(r.record, r.seq, r.prev_hash);
    }
  };
  const std::vector<Case> cases = {
      {"intact", [](Chain&) {}, ChainProblem::none, 0},
      {"field edited", [](Chain& c) { c.records[6].record.actor_id = "x"; }, ChainProblem::modified, 7},
      {"hash edited", [](Chain& c) { c.records[6].hash[0] ^= 1; }, ChainProblem::modified, 7},
      {"hash and next link edited",
       [](Chain& c) {
         c.records[6].hash[0] ^= 1;
         c.records[7].prev_hash = c.records[6].hash;
       },
       ChainProblem::modified, 7},
      {"record relinked", [](Chain& c) { c.records[6].prev_hash = c.records[4].hash; }, ChainProblem::relinked, 7},
      {"one deleted", [](Chain& c) { c.records.erase(c.records.begin() + 6); }, ChainProblem::missing, 7},
      {"first deleted", [](Chain& c) { c.records.erase(c.records.begin()); }, ChainProblem::missing, 1},
      {"duplicated", [](Chain& c) { c.records.insert(c.records.begin() + 6, c.records[5]); }, ChainProblem::duplicate, 6},
      {"swapped", [](Chain& c) { std::swap(c.records[6].record, c.records[7].record); }, ChainProblem::modified, 7},
      {"swapped with links",
       [](Chain& c) {
         std::swap(c.records[6].record, c.records[7].record);
         std::swap(c.records[6].hash, c.records[7].hash);
         std::swap(c.records[6].prev_hash, c.records[7].prev_hash);
       },
       ChainProblem::relinked, 7},
      {"rewritten up to a checkpoint",
       [&](Chain& c) {
         c.records[6].record.actor_id = "x";
         rehash_from(c, 6);
       },
       ChainProblem::checkpoint_mismatch, 10},
      {"tail cut", [](Chain& c) { c.records.resize(17); }, ChainProblem::truncated, 18},
      {"signature forged", [](Chain& c) { c.checkpoints[1].signature[0] ^= 1; }, ChainProblem::bad_signature, 20},
      {"unsigned", [](Chain& c) { c.checkpoints[0].signature.clear(); }, ChainProblem::unsigned_checkpoint, 10},
  };
  for (const auto& tc : cases) {
    Chain c = build_chain(20, signer, 10);
    tc.tamper(c);
    auto report = walk(c, &signer);
    EXPECT_EQ(report.problem, tc.problem) << tc.name << ": " << report.message;
    EXPECT_EQ(report.bad_seq, tc.bad_seq) << tc.name << ": " << report.message;
    EXPECT_EQ(report.ok, tc.problem == ChainProblem::none) << tc.name;
  }
}

TEST(AuditChainCheckerTest, WithoutAKeySignaturesAreNotChecked) {
  HmacTestSigner signer;
  Chain c = build_chain(20, signer, 10);
  c.checkpoints[1].signature = "forged";
  auto report = walk(c, nullptr);
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_FALSE(report.signatures_checked);
  EXPECT_EQ(report.checkpoints, 2);
}

TEST(AuditChainCheckerTest, AnchoredAtAPurgeBoundary) {
  HmacTestSigner signer;
  Chain c = build_chain(30, signer, 10);
  // Records 1..10 purged, and the purge recorded in record 31.
  Checkpoint anchor = c.checkpoints[0];
  c.records.erase(c.records.begin(), c.records.begin() + 10);
  StoredRecord purge;
  purge.seq = 31;
  purge.record.action = "audit.purged";
  purge.record.object_type = "audit_records";
  purge.record.object_id = "10";
  purge.prev_hash = c.records.back().hash;
  purge.hash = record_hash(purge.record, purge.seq, purge.prev_hash);
  Chain with_record = c;
  with_record.records.push_back(purge);
  auto ok = walk(with_record, &signer, anchor);
  EXPECT_TRUE(ok.ok) << ok.message;
  EXPECT_EQ(ok.anchor_seq, 10);
  EXPECT_EQ(ok.first_seq, 11);

  auto unrecorded = walk(c, &signer, anchor);
  EXPECT_EQ(unrecorded.problem, ChainProblem::unrecorded_purge);
  EXPECT_EQ(unrecorded.message, "records 1..10 missing (deleted without a recorded purge)");

  Chain broken = with_record;
  broken.records.front().prev_hash = std::string(kGenesisHash);
  broken.records.front().hash = record_hash(broken.records.front().record, 11, broken.records.front().prev_hash);
  auto report = walk(broken, &signer, anchor);
  EXPECT_EQ(report.message, "record 11: previous hash does not match the checkpoint at 10 (inserted or reordered)");
}

// ---- the database: tampering by hand ---------------------------------------------------

class AuditVerifyTest : public testing::AuditStorageTest {
 protected:
  static constexpr int kRecords = 250;

  void SetUp() override {
    testing::AuditStorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    AuditLog log(db(), clock_, options(100), &signer_);
    for (int i = 1; i <= kRecords; ++i) ASSERT_TRUE(log.append_async(sample_record(i)).ok());
    log.stop();  // checkpoints at 100, 200 and, on stop, at the tail 250
    ASSERT_EQ(count("SELECT count(*) FROM audit_checkpoints"), 3);
  }

  StoredRecord read(std::int64_t seq) {
    auto rows = db().query("SELECT " + std::string(store::kRecordColumns) + " FROM audit_records WHERE seq = ?", {seq});
    return store::record_from_row(rows[0]).value();
  }

  // Replaces the stored content of row `seq` (every column but seq) with `s`'s.
  void overwrite(std::int64_t seq, const StoredRecord& s) {
    const Record& r = s.record;
    db().execute(
        "UPDATE audit_records SET time_ms = ?, actor_kind = ?, actor_id = ?, actor_name = ?, actor_org = ?, "
        "action = ?, object_type = ?, object_id = ?, outcome = ?, source = ?, request_id = ?, purpose = ?, "
        "details = ?, prev_hash = ?, hash = ? WHERE seq = ?",
        {to_millis(r.time), to_string(r.actor_kind), r.actor_id, r.actor_name, r.actor_org, r.action, r.object_type,
         r.object_id, to_string(r.outcome), r.source, r.request_id, r.purpose, r.details, s.prev_hash, s.hash, seq});
  }

  void insert(const StoredRecord& s) {
    const Record& r = s.record;
    db().execute("INSERT INTO audit_records (" + std::string(store::kRecordColumns) +
                     ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {s.seq, to_millis(r.time), to_string(r.actor_kind), r.actor_id, r.actor_name, r.actor_org, r.action,
                  r.object_type, r.object_id, to_string(r.outcome), r.source, r.request_id, r.purpose, r.details,
                  s.prev_hash, s.hash});
  }

  void expect_broken(ChainProblem problem, std::int64_t bad_seq, const std::string& message) {
    auto report = verify_chain(db(), &signer_, 64);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.problem, problem) << to_string(report.problem);
    EXPECT_EQ(report.bad_seq, bad_seq);
    EXPECT_EQ(report.message, message);
    std::ostringstream out, err;
    EXPECT_EQ(run_audit_verify(db(), &signer_, out, err), 1);
    EXPECT_EQ(err.str(), "audit chain BROKEN: " + message + "\n");
  }
};

TEST_P(AuditVerifyTest, AnIntactChainVerifies) {
  auto report = verify_chain(db(), &signer_, 64);  // several pages
  EXPECT_TRUE(report.ok) << report.message;
  EXPECT_EQ(report.records, kRecords);
  EXPECT_EQ(report.first_seq, 1);
  EXPECT_EQ(report.last_seq, kRecords);
  EXPECT_EQ(report.checkpoints, 3);
  EXPECT_TRUE(report.signatures_checked);
  std::ostringstream out, err;
  EXPECT_EQ(run_audit_verify(db(), &signer_, out, err), 0);
  EXPECT_EQ(out.str(),
            "audit chain intact: 250 records (seq 1..250), 3 checkpoints, signatures verified with key 'test-hmac-1'\n");
  EXPECT_EQ(err.str(), "");
}

TEST_P(AuditVerifyTest, AnEditedFieldIsNamed) {
  db().execute("UPDATE audit_records SET actor_name = '李四' WHERE seq = 137");
  expect_broken(ChainProblem::modified, 137, "record 137: hash does not match its content (modified)");
}

TEST_P(AuditVerifyTest, AnEditedOutcomeIsNamed) {
  db().execute("UPDATE audit_records SET outcome = 'denied' WHERE seq = 12");
  expect_broken(ChainProblem::modified, 12, "record 12: hash does not match its content (modified)");
}

TEST_P(AuditVerifyTest, ADeletedRecordIsNamed) {
  db().execute("DELETE FROM audit_records WHERE seq = 137");
  expect_broken(ChainProblem::missing, 137, "record 137 missing (deleted)");
}

TEST_P(AuditVerifyTest, DeletedRecordsAreNamedAsARange) {
  db().execute("DELETE FROM audit_records WHERE seq IN (137, 138)");
  expect_broken(ChainProblem::missing, 137, "records 137..138 missing (deleted)");
}

TEST_P(AuditVerifyTest, AForgedInsertIsNamed) {
  // Make room at 137 (two steps, to stay clear of the primary key), then slip in a
  // record properly linked to 136 — the record after it no longer links.
  db().execute("UPDATE audit_records SET seq = seq + 1000000 WHERE seq >= 137");
  db().execute("UPDATE audit_records SET seq = seq - 999999 WHERE seq >= 1000000");
  StoredRecord forged;
  forged.seq = 137;
  forged.record = sample_record(9999, "intruder");
  forged.record.time = testing::kAuditStart;
  forged.prev_hash = read(136).hash;
  forged.hash = record_hash(forged.record, forged.seq, forged.prev_hash);
  insert(forged);
  expect_broken(ChainProblem::relinked, 138,
                "record 138: previous hash does not match record 137 (inserted or reordered)");
}

TEST_P(AuditVerifyTest, AForgedRecordAtTheEndIsNamed) {
  StoredRecord forged;
  forged.seq = kRecords + 1;
  forged.record = sample_record(9999, "intruder");
  forged.record.time = testing::kAuditStart;
  forged.prev_hash = read(kRecords).hash;
  forged.hash = std::string(64, 'f');  // a forger without the algorithm
  insert(forged);
  expect_broken(ChainProblem::modified, kRecords + 1, "record 251: hash does not match its content (modified)");
}

TEST_P(AuditVerifyTest, SwappedRowsAreNamed) {
  StoredRecord a = read(137);
  StoredRecord b = read(140);
  overwrite(137, b);
  overwrite(140, a);
  expect_broken(ChainProblem::relinked, 137,
                "record 137: previous hash does not match record 136 (inserted or reordered)");
}

TEST_P(AuditVerifyTest, ACutTailIsNamed) {
  db().execute("DELETE FROM audit_records WHERE seq > 240");
  expect_broken(ChainProblem::truncated, 241,
                "records 241..250 missing (truncated: the checkpoint at 250 says they existed)");
}

TEST_P(AuditVerifyTest, AForgedCheckpointSignatureIsNamed) {
  HmacTestSigner forger("not-the-platform-key", "test-hmac-1");
  auto row = db().query("SELECT hash, time_ms FROM audit_checkpoints WHERE seq = 200")[0];
  db().execute("UPDATE audit_checkpoints SET signature = ? WHERE seq = 200",
               {forger.sign(checkpoint_message(200, row.get<std::string>(0), row.get<std::int64_t>(1)))});
  expect_broken(ChainProblem::bad_signature, 200, "checkpoint at 200: signature invalid");
}

TEST_P(AuditVerifyTest, AnotherKeyIsNamed) {
  HmacTestSigner other("another-key", "test-hmac-2");
  auto report = verify_chain(db(), &other);
  EXPECT_EQ(report.problem, ChainProblem::bad_signature);
  EXPECT_EQ(report.message,
            "checkpoint at 100: signature invalid (signed with key 'test-hmac-1', verified with 'test-hmac-2')");
}

TEST_P(AuditVerifyTest, ASignatureTheKeyCannotParseIsInvalid) {
  class ThrowingVerifier final : public Signer {
   public:
    std::string sign(std::string_view) override { return {}; }
    bool verify(std::string_view, std::string_view) override { throw std::runtime_error("malformed signature"); }
    std::string key_id() const override { return "test-hmac-1"; }
  } verifier;
  auto report = verify_chain(db(), &verifier);
  EXPECT_EQ(report.problem, ChainProblem::bad_signature);
  EXPECT_EQ(report.message, "checkpoint at 100: signature invalid");
}

TEST_P(AuditVerifyTest, ARewrittenChainIsCaughtAtTheNextCheckpoint) {
  // A forger who knows the algorithm but not the key edits 137 and recomputes every
  // hash after it: the chain links, but the checkpoint at 200 no longer matches.
  StoredRecord edited = read(137);
  edited.record.actor_id = "someone-else";
  std::string prev = edited.prev_hash;
  for (std::int64_t seq = 137; seq <= kRecords; ++seq) {
    StoredRecord s = seq == 137 ? edited : read(seq);
    s.prev_hash = prev;
    s.hash = record_hash(s.record, seq, s.prev_hash);
    overwrite(seq, s);
    prev = s.hash;
  }
  expect_broken(ChainProblem::checkpoint_mismatch, 200, "checkpoint at 200: hash does not match record 200 (rewritten)");
}

TEST_P(AuditVerifyTest, DeletingTheOldestRecordsIsNamed) {
  db().execute("DELETE FROM audit_records WHERE seq <= 99");
  expect_broken(ChainProblem::missing, 1, "records 1..99 missing (deleted)");
}

TEST_P(AuditVerifyTest, AnUnrecordedPurgeIsNamed) {
  // Up to a checkpoint, like a purge, but without the audit.purged record.
  db().execute("DELETE FROM audit_records WHERE seq <= 100");
  expect_broken(ChainProblem::unrecorded_purge, 1, "records 1..100 missing (deleted without a recorded purge)");
}

TEST_P(AuditVerifyTest, AnEmptyLogIsIntact) {
  db().execute("DELETE FROM audit_checkpoints");
  db().execute("DELETE FROM audit_records");
  auto report = verify_chain(db(), &signer_);
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.records, 0);
}

TEST_P(AuditVerifyTest, AMissingTableIsNotAVerdict) {
  db().execute("DROP TABLE audit_records");
  std::ostringstream out, err;
  EXPECT_EQ(run_audit_verify(db(), &signer_, out, err), 2);
  EXPECT_NE(err.str().find("could not read the audit log"), std::string::npos) << err.str();
}

ZHENGWU_STORAGE_TEST_SUITE(AuditVerifyTest);

}  // namespace
}  // namespace zhengwu::audit
