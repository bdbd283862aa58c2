// Nonces of signed requests on both engines: a nonce is accepted once — by this process
// while its write is pending, by any process once written — per client; expired ones are
// pruned; concurrent first uses of one nonce let exactly one through.
#include "kernel/auth/nonce_ledger.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "kernel/auth/identity.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::auth {
namespace {

using namespace std::chrono;

class NonceLedgerTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), auth_migrations(), clock_);
  }
  std::int64_t in_5_min() const { return to_unix_ms(clock_.now() + minutes(5)); }
  std::int64_t stored() { return db().query("SELECT count(*) FROM client_nonces")[0].get<std::int64_t>(0); }

  ManualClock clock_{TimePoint(seconds(1796365800))};
};

TEST_P(NonceLedgerTest, OncePerClientWhetherWrittenOrNot) {
  NonceLedger ledger(db(), clock_, hours(1));  // no timed flush: the test decides
  EXPECT_TRUE(ledger.remember("zw_a", "nonce-0001", in_5_min()));
  EXPECT_FALSE(ledger.remember("zw_a", "nonce-0001", in_5_min())) << "pending write: refused from memory";
  EXPECT_TRUE(ledger.remember("zw_b", "nonce-0001", in_5_min())) << "another client's nonce";
  EXPECT_EQ(stored(), 0);
  ledger.flush();
  EXPECT_EQ(stored(), 2);
  EXPECT_FALSE(ledger.remember("zw_a", "nonce-0001", in_5_min())) << "written: refused from the table";

  // Another node (or this one after a restart) reads what was written.
  NonceLedger other(db(), clock_, hours(1));
  EXPECT_FALSE(other.remember("zw_b", "nonce-0001", in_5_min()));
  EXPECT_TRUE(other.remember("zw_b", "nonce-0002", in_5_min()));
}

TEST_P(NonceLedgerTest, WritesWithinItsIntervalAndOnDestruction) {
  {
    NonceLedger ledger(db(), clock_, milliseconds(5));
    ASSERT_TRUE(ledger.remember("zw_a", "nonce-1000", in_5_min()));
    for (int i = 0; i < 400 && stored() == 0; ++i) std::this_thread::sleep_for(milliseconds(5));
    EXPECT_EQ(stored(), 1) << "written by the ledger's own thread";
    ASSERT_TRUE(ledger.remember("zw_a", "nonce-1001", in_5_min()));
  }
  EXPECT_EQ(stored(), 2) << "the destructor writes what is queued";
}

TEST_P(NonceLedgerTest, ExpiredNoncesArePruned) {
  NonceLedger ledger(db(), clock_, hours(1));
  ASSERT_TRUE(ledger.remember("zw_a", "nonce-old1", to_unix_ms(clock_.now() + seconds(10))));
  ASSERT_TRUE(ledger.remember("zw_a", "nonce-new1", in_5_min()));
  ledger.flush();
  clock_.advance(seconds(11));
  EXPECT_EQ(ledger.prune(), 1);
  EXPECT_EQ(stored(), 1);
}

TEST_P(NonceLedgerTest, ConcurrentFirstUsesLetOneThrough) {
  NonceLedger ledger(db(), clock_, milliseconds(1));
  for (int round = 0; round < 20; ++round) {
    const std::string nonce = "nonce-race-" + std::to_string(round);
    std::atomic<int> accepted{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&] {
        if (ledger.remember("zw_a", nonce, in_5_min())) ++accepted;
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(accepted.load(), 1) << nonce;
  }
}

ZHENGWU_STORAGE_TEST_SUITE(NonceLedgerTest);

}  // namespace
}  // namespace zhengwu::auth
