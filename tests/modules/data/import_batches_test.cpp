// Import batches on both engines: chunks advance the batch in the writer's transaction,
// rejected records stay until fixed or dismissed, unfinished batches are found again.
#include "modules/data/import_batches.hpp"

#include <gtest/gtest.h>

#include "data_fixture.hpp"
#include "modules/data/catalog_store.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::data {
namespace {

class ImportBatchesTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    test_support::prepare_data_tables(db(), clock_);
    if (HasFatalFailure()) return;
    db().execute("INSERT INTO data_resources (code, provider_org_id, state, version, spec, created_at, updated_at) "
                 "VALUES ('r', 1, 'published', 1, '{}', 0, 0)");
    batches_ = std::make_unique<ImportBatches>(db(), clock_);
  }

  std::int64_t new_batch() {
    return batches_->create({1, 1, "330100", "people.csv", "/data/imports/1.csv", "csv", "auto", "gaj.clerk"});
  }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
  std::unique_ptr<ImportBatches> batches_;
};

TEST_P(ImportBatchesTest, ChunksAdvanceTheBatchAtomically) {
  auto id = new_batch();
  {
    auto tx = db().begin();
    batches_->record_chunk(tx, id, {1001, 1000, 998, {{0, 0, 17, R"({"name":"x"})", R"([{"field":"id_number","reason":"check character should be 7, not 3"}])", "", {}},
                                                    {0, 0, 560, "{}", R"([{"field":"","reason":"unclosed quote"}])", "", {}}}});
    tx.commit();
  }
  {
    auto tx = db().begin();
    batches_->record_chunk(tx, id, {2001, 1000, 1000, {}});
    // Not committed: as if the process died before this chunk's commit.
  }
  auto b = batches_->get(id);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->last_line, 1001) << "only the committed chunk counts";
  EXPECT_EQ(b->records, 1000);
  EXPECT_EQ(b->accepted, 998);
  EXPECT_EQ(b->rejected, 2);
  EXPECT_EQ(b->state, BatchState::running);
  ASSERT_EQ(batches_->unfinished().size(), 1u);

  auto rejects = batches_->rejects(id, 0, 10, true);
  ASSERT_EQ(rejects.size(), 2u);
  EXPECT_EQ(rejects[0].line, 17);
  EXPECT_EQ(rejects[1].line, 560);
  EXPECT_EQ(batches_->rejects(id, 17, 10, true).size(), 1u) << "paged by line";

  {
    auto tx = db().begin();
    ASSERT_TRUE(batches_->close_reject(tx, rejects[0].id, "fixed", id).ok());
    EXPECT_EQ(batches_->close_reject(tx, rejects[0].id, "dismissed", std::nullopt).error().code, ErrorCode::conflict);
    EXPECT_EQ(batches_->close_reject(tx, rejects[1].id, "lost", std::nullopt).error().code, ErrorCode::invalid);
    tx.commit();
  }
  EXPECT_EQ(batches_->rejects(id, 0, 10, true).size(), 1u);
  EXPECT_EQ(batches_->rejects(id, 0, 10, false).size(), 2u) << "nothing is deleted";
  EXPECT_EQ(batches_->reject(rejects[0].id)->state, "fixed");

  batches_->finish(id, BatchState::done, "");
  EXPECT_TRUE(batches_->unfinished().empty());
  EXPECT_TRUE(batches_->get(id)->finished_at.has_value());
  EXPECT_EQ(batches_->get(999).error().code, ErrorCode::not_found);
}

TEST_P(ImportBatchesTest, BatchesOfAResourceAreListedNewestFirst) {
  auto a = new_batch();
  auto b = new_batch();
  auto c = new_batch();
  auto page = batches_->of_resource(1, 0, 2);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, c);
  EXPECT_EQ(page[1].id, b);
  auto next = batches_->of_resource(1, page.back().id, 2);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].id, a);
}

ZHENGWU_STORAGE_TEST_SUITE(ImportBatchesTest);

}  // namespace
}  // namespace zhengwu::data
