// The catalog on both engines: apply creates, leaves alone, updates in place, versions
// additive changes, refuses breaking ones on published resources, checks references,
// and keeps the full-text index in step.
#include "modules/data/catalog_store.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "kernel/auth/org_directory.hpp"
#include "modules/data/record_store.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::data {
namespace {

namespace json = boost::json;

class CatalogStoreTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), auth::auth_migrations(), clock_);
    db::apply_migrations(db(), search::search_migrations(), clock_);
    db::apply_migrations(db(), catalog_migrations(), clock_);
    db::apply_migrations(db(), record_store_migrations(), clock_);
    auth::OrgDirectory orgs(db(), clock_);
    ASSERT_TRUE(orgs.create({"330100", "杭州市", "city", std::nullopt, "330100"}).ok());
    ASSERT_TRUE(orgs.create({"330100-GA", "杭州市公安局", "government_department", "330100", {}}).ok());
    ASSERT_TRUE(orgs.create({"330100-RS", "杭州市人力资源和社会保障局", "government_department", "330100", {}}).ok());
    store_ = std::make_unique<CatalogStore>(db(), clock_);
    ASSERT_TRUE(store_->put_code_table("gb2261.1", "人的性别代码", "GB/T 2261.1-2003",
                                       {{"0", "未知的性别", {}}, {"1", "男性", {"男"}}, {"2", "女性", {"女"}},
                                        {"9", "未说明的性别", {}}})
                    .ok());
  }

  static ResourceSpec population(bool publish = false) {
    auto doc = json::parse(R"({
      "code": "ga.population", "name": "户籍人口基本信息", "provider": "330100-GA", "category": "base",
      "summary": "全市户籍人口的身份证号、姓名、性别和户籍地。", "share_type": "conditional", "open_type": "closed",
      "update_cycle": "daily",
      "fields": [
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
        {"name": "name", "label": "姓名", "type": "string", "length": 50, "required": true, "sensitivity": "personal"},
        {"name": "gender", "label": "性别", "type": "code", "code_table": "gb2261.1", "sensitivity": "personal"}
      ]})");
    auto spec = parse_resource_spec(doc);
    EXPECT_TRUE(spec.ok());
    spec->publish = publish;
    return *spec;
  }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
  std::unique_ptr<CatalogStore> store_;
};

TEST_P(CatalogStoreTest, ApplyIsIdempotentAndVersionsSchemaChanges) {
  auto first = store_->apply(population(), "operator");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->outcome, ApplyOutcome::created);
  EXPECT_EQ(first->version, 1);
  EXPECT_EQ(first->state, ResourceState::draft);

  auto again = store_->apply(population(), "operator");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome, ApplyOutcome::unchanged);
  EXPECT_EQ(again->version, 1);

  auto renamed = population();
  renamed.summary = "常住户籍人口。";
  auto updated = store_->apply(renamed, "operator");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->outcome, ApplyOutcome::updated);
  EXPECT_EQ(updated->version, 1) << "a new description is not a new schema";

  // Published, then an additive change: version 2.
  auto published = renamed;
  published.publish = true;
  auto pub = store_->apply(published, "operator");
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->state, ResourceState::published);
  EXPECT_EQ(pub->outcome, ApplyOutcome::updated);
  auto added = renamed;
  added.fields.push_back({"phone", "联系电话", FieldType::phone, {}, false, false, Sensitivity::personal, {}, {}});
  auto v2 = store_->apply(added, "operator");
  ASSERT_TRUE(v2.ok()) << v2.error().message;
  EXPECT_EQ(v2->outcome, ApplyOutcome::new_version);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->state, ResourceState::published) << "applying without publish does not unpublish";

  // A breaking change of a published resource is refused, naming the reason.
  auto broken = added;
  broken.fields.erase(broken.fields.begin() + 1);
  auto refused = store_->apply(broken, "operator");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::conflict);
  EXPECT_NE(refused.error().message.find("name would be removed"), std::string::npos) << refused.error().message;

  // The record table follows the published schema: the new field has its column.
  {
    RecordStore records(db(), clock_);
    auto id = store_->get("ga.population")->id;
    auto tx = db().begin();
    auto counts = records.upsert(tx, id, added.fields,
                                 {{{"11010519491231002X", "张三", "1", "13900000000"}}}, "330100-GA", std::nullopt);
    tx.commit();
    EXPECT_EQ(counts.inserted, 1u);
    EXPECT_EQ(records.count(id), 1);
  }

  auto versions = store_->versions("ga.population");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].change, "created");
  EXPECT_EQ(versions[1].change, "additive");
  EXPECT_EQ(versions[1].spec.fields.size(), 4u);
  auto current = store_->get("ga.population");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->version, 2);
  EXPECT_EQ(current->provider_name, "杭州市公安局");
  EXPECT_TRUE(current->published_at.has_value());
}

TEST_P(CatalogStoreTest, DraftsMayChangeTheirSchemaFreely) {
  ASSERT_TRUE(store_->apply(population(), "operator").ok());
  auto retyped = population();
  retyped.fields[1].type = FieldType::code;
  retyped.fields[1].length.reset();
  retyped.fields[1].code_table = "gb2261.1";
  auto r = store_->apply(retyped, "operator");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->outcome, ApplyOutcome::new_version);
  EXPECT_EQ(store_->versions("ga.population").back().change, "breaking");
}

TEST_P(CatalogStoreTest, ReferencesMustExist) {
  auto spec = population();
  spec.provider = "330100-XX";
  spec.fields[1].authority = "330100-YY";
  spec.fields[2].code_table = "local.none";
  auto r = store_->apply(spec, "operator");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid);
  std::vector<std::string> fields;
  for (const auto& f : r.error().fields) fields.push_back(f.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"provider", "fields[1].authority", "fields[2].code_table"}));
  EXPECT_FALSE(store_->get("ga.population").ok()) << "nothing stored";
}

TEST_P(CatalogStoreTest, SearchFindsResourcesByNameFieldAndFilters) {
  ASSERT_TRUE(store_->apply(population(true), "operator").ok());
  auto insurance = parse_resource_spec(json::parse(R"({
      "code": "rs.insurance", "name": "社会保险参保信息", "provider": "330100-RS", "category": "thematic",
      "summary": "企业职工社保参保和缴费记录。", "share_type": "unconditional", "open_type": "closed",
      "update_cycle": "monthly",
      "fields": [
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
        {"name": "insured_since", "label": "参保日期", "type": "date", "sensitivity": "personal"}
      ]})"));
  ASSERT_TRUE(insurance.ok());
  ASSERT_TRUE(store_->apply(*insurance, "operator").ok());

  auto by_word = store_->search({.text = "社保"});
  ASSERT_EQ(by_word.items.size(), 1u);
  EXPECT_EQ(by_word.items[0].spec.code, "rs.insurance");
  auto by_field = store_->search({.text = "身份号码"});
  EXPECT_EQ(by_field.total, 2u) << "field labels are searched";
  auto by_provider = store_->search({.providers = {"330100-GA"}});
  ASSERT_EQ(by_provider.items.size(), 1u);
  EXPECT_EQ(by_provider.items[0].spec.code, "ga.population");
  auto published = store_->search({.states = {"published"}});
  ASSERT_EQ(published.total, 1u);
  auto all = store_->search({});
  EXPECT_EQ(all.total, 2u);
  EXPECT_EQ(all.facets["share_type"]["unconditional"], 1u);
  EXPECT_EQ(all.facets["category"]["base"], 1u);

  // The index follows a rename in the same transaction.
  auto renamed = *insurance;
  renamed.name = "职工养老保险参保信息";
  renamed.summary = "参保和缴费记录。";
  ASSERT_TRUE(store_->apply(renamed, "operator").ok());
  EXPECT_EQ(store_->search({.text = "社保"}).total, 0u);
  EXPECT_EQ(store_->search({.text = "养老"}).total, 1u);
}

TEST_P(CatalogStoreTest, CodeTablesKeepTheirValuesInOrder) {
  auto values = store_->code_values("gb2261.1");
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[1].value, "1");
  EXPECT_EQ(values[1].aliases, (std::vector<std::string>{"男"}));
  ASSERT_TRUE(store_->put_code_table("gb2261.1", "人的性别代码", "GB/T 2261.1-2003", {{"1", "男性", {"男", "M"}}}).ok());
  EXPECT_EQ(store_->code_values("gb2261.1").size(), 1u) << "replaced";
  EXPECT_FALSE(store_->put_code_table("", "x", "y", {{"1", "a", {}}}).ok());
  EXPECT_FALSE(store_->put_code_table("t", "x", "y", {}).ok());
}

ZHENGWU_STORAGE_TEST_SUITE(CatalogStoreTest);

}  // namespace
}  // namespace zhengwu::data
