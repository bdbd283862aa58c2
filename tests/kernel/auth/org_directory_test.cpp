// The organisation tree on both engines: create, validation by field, move with the
// subtree, removal rules, search with metacharacters stored verbatim.
#include <gtest/gtest.h>

#include "kernel/auth/org_directory.hpp"
#include "kernel/db/migrations.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::auth {
namespace {

class OrgDirectoryTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), auth_migrations(), clock_);
    orgs_ = std::make_unique<OrgDirectory>(db(), clock_);
    city_ = make({"330100", "杭州市", "city", std::nullopt, "330100"});
    police_ = make({"330100-GA", "杭州市公安局", "government_department", "330100", std::nullopt});
    hukou_ = make({"330100-GA-HZ", "户政处", "government_department", "330100-GA", std::nullopt});
    xihu_ = make({"330106", "西湖区人民政府", "district_government", "330100", "330106"});
  }
  Org make(const OrgInput& in) {
    auto r = orgs_->create(in);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : Org{};
  }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
  std::unique_ptr<OrgDirectory> orgs_;
  Org city_, police_, hukou_, xihu_;
};

TEST_P(OrgDirectoryTest, PathsFollowTheTree) {
  EXPECT_EQ(city_.path, "/" + std::to_string(city_.id) + "/");
  EXPECT_EQ(hukou_.path, police_.path + std::to_string(hukou_.id) + "/");
  EXPECT_EQ(hukou_.depth(), 2);
  EXPECT_EQ(*hukou_.parent_id, police_.id);
  auto sub = orgs_->subtree(police_.id);
  ASSERT_EQ(sub.size(), 2u);
  EXPECT_EQ(sub[0].code, "330100-GA");
  EXPECT_EQ(sub[1].code, "330100-GA-HZ");
  EXPECT_EQ(orgs_->all().size(), 4u);
  EXPECT_EQ(orgs_->by_code("330106")->name, "西湖区人民政府");
}

TEST_P(OrgDirectoryTest, BadInputIsRefusedByField) {
  struct Row {
    OrgInput input;
    std::string field;
  };
  const std::vector<Row> rows{
      {{"", "x", "community", "330100", {}}, "code"},
      {{"has space", "x", "community", "330100", {}}, "code"},
      {{std::string(41, 'a'), "x", "community", "330100", {}}, "code"},
      {{"c1", "", "community", "330100", {}}, "name"},
      {{"c1", "   ", "community", "330100", {}}, "name"},
      {{"c1", std::string(101 * 3, '\xe4'), "community", "330100", {}}, "name"},
      {{"c1", "x", "ministry", "330100", {}}, "kind"},
      {{"c1", "x", "community", "nope", {}}, "parent_code"},
      {{"c1", "x", "city", std::nullopt, {}}, "parent_code"},
      {{"c1", "x", "community", "330100", "3301"}, "division_code"},
      {{"c1", "x", "community", "330100", "33010a"}, "division_code"},
  };
  for (const auto& r : rows) {
    auto res = orgs_->create(r.input);
    ASSERT_FALSE(res.ok()) << r.field;
    ASSERT_FALSE(res.error().fields.empty()) << r.field;
    EXPECT_EQ(res.error().fields[0].field, r.field) << res.error().message;
  }
  auto dup = orgs_->create({"330100-GA", "again", "government_department", "330100", {}});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::conflict);
  EXPECT_EQ(orgs_->all().size(), 4u);
}

TEST_P(OrgDirectoryTest, MoveCarriesTheSubtree) {
  auto moved = orgs_->move(police_.id, xihu_.id);
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  EXPECT_EQ(moved->path, xihu_.path + std::to_string(police_.id) + "/");
  auto child = orgs_->get(hukou_.id);
  EXPECT_EQ(child->path, moved->path + std::to_string(hukou_.id) + "/");
  EXPECT_EQ(orgs_->subtree(xihu_.id).size(), 3u);
  // Not under itself, not under its own child, not the root.
  EXPECT_EQ(orgs_->move(police_.id, hukou_.id).error().fields[0].field, "parent_id");
  EXPECT_EQ(orgs_->move(police_.id, police_.id).error().fields[0].field, "parent_id");
  EXPECT_FALSE(orgs_->move(city_.id, xihu_.id).ok());
  EXPECT_EQ(orgs_->move(9999, city_.id).error().code, ErrorCode::not_found);
}

TEST_P(OrgDirectoryTest, RemoveOnlyEmptyLeaves) {
  EXPECT_EQ(orgs_->remove(police_.id).error().code, ErrorCode::conflict);
  EXPECT_TRUE(orgs_->remove(hukou_.id).ok());
  EXPECT_TRUE(orgs_->remove(police_.id).ok());
  EXPECT_EQ(orgs_->get(police_.id).error().code, ErrorCode::not_found);
}

TEST_P(OrgDirectoryTest, UpdateAndVerbatimText) {
  const std::string odd = "x'); DROP TABLE orgs; -- 🏛 \u202e50%_\\";
  auto r = orgs_->update(xihu_.id, {odd, std::nullopt, std::nullopt});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(orgs_->get(xihu_.id)->name, odd);
  EXPECT_EQ(orgs_->all().size(), 4u);
  auto found = orgs_->search("50%_", 10);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, xihu_.id);
  EXPECT_EQ(orgs_->search("公安", 10).size(), 1u);
  EXPECT_EQ(orgs_->search("%", 10).size(), 1u) << "a literal % matches only names that contain one";
  EXPECT_EQ(orgs_->update(xihu_.id, {std::string(""), {}, {}}).error().fields[0].field, "name");
  EXPECT_EQ(orgs_->update(4242, {std::string("x"), {}, {}}).error().code, ErrorCode::not_found);
}

ZHENGWU_STORAGE_TEST_SUITE(OrgDirectoryTest);

}  // namespace
}  // namespace zhengwu::auth
