// One data, one source (一数一源) on both engines: which fields a department may write
// (table-driven), what a write by a non-authority does to existing and brand-new records,
// the governance list and its resolutions, and the record API's idempotency keys.
#include "modules/data/discrepancies.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "data_fixture.hpp"
#include <fstream>

#include "kernel/time_zone.hpp"
#include "modules/data/import_run.hpp"
#include "modules/data/record_api.hpp"
#include "modules/data/record_store.hpp"
#include "support/server_process.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::data {
namespace {

namespace json = boost::json;
using V = std::vector<std::optional<std::string>>;

FieldSpec field(std::string name, std::optional<std::string> authority, bool key = false) {
  FieldSpec f;
  f.name = std::move(name);
  f.label = f.name;
  f.key = key;
  f.required = key;
  f.authority = std::move(authority);
  return f;
}

// ---- the authority split: pure, table-driven ---------------------------------------

struct SplitCase {
  const char* what;
  std::vector<FieldSpec> fields;
  const char* provider;
  const char* writer;
  std::vector<bool> writable;
  bool writes_all;
};

TEST(DiscrepancyAuthoritySplit, KeysAlwaysOwnFieldsByAuthorityOrProvider) {
  const std::vector<SplitCase> cases{
      {"the provider, no authorities named", {field("id", {}, true), field("a", {}), field("b", {})}, "GA", "GA",
       {true, true, true}, true},
      {"the provider, authorities all its own", {field("id", "GA", true), field("a", "GA"), field("b", {})}, "GA", "GA",
       {true, true, true}, true},
      {"another department, no authorities named", {field("id", {}, true), field("a", {}), field("b", {})}, "GA", "MZ",
       {true, false, false}, false},
      {"the provider, one field another's", {field("id", "GA", true), field("a", "SC"), field("b", {})}, "RS", "RS",
       {true, false, true}, false},
      {"the authority of one field only", {field("id", "GA", true), field("a", "SC"), field("b", {})}, "RS", "SC",
       {true, true, false}, false},
      {"a key field of another authority is still written", {field("id", "GA", true), field("a", {})}, "RS", "RS",
       {true, true}, true},
      {"only key fields", {field("id", {}, true)}, "GA", "MZ", {true}, true},
  };
  for (const auto& c : cases) {
    FieldAuthority split(c.fields, c.provider, c.writer);
    EXPECT_EQ(split.writable(), c.writable) << c.what;
    EXPECT_EQ(split.writes_all(), c.writes_all) << c.what;
  }
  FieldAuthority split({field("id", {}, true), field("a", "SC")}, "GA", "MZ");
  EXPECT_EQ(split.authority(0), "GA");
  EXPECT_EQ(split.authority(1), "SC");
}

TEST(DiscrepancyAuthoritySplit, StatesRoundTrip) {
  for (auto s : {DiscrepancyState::open, DiscrepancyState::accepted, DiscrepancyState::rejected})
    EXPECT_EQ(discrepancy_state_from(to_string(s)), s);
  EXPECT_FALSE(discrepancy_state_from("closed"));
}

// ---- storage, both engines ------------------------------------------------------------

class DiscrepancyTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    test_support::prepare_data_tables(db(), clock_);
    if (HasFatalFailure()) return;
    auto mine = discrepancy_migrations();
    for (auto& m : record_request_migrations()) mine.push_back(std::move(m));
    db::apply_migrations(db(), mine, clock_);
    auth::OrgDirectory orgs(db(), clock_);
    ASSERT_TRUE(orgs.create({"330100-MZJ", "杭州市民政局", "government_department", "330100", {}}).ok());
    ASSERT_TRUE(orgs.create({"330100-RSJ", "杭州市人力资源和社会保障局", "government_department", "330100", {}}).ok());
    catalog_ = std::make_unique<CatalogStore>(db(), clock_);
    // 公安局 provides; 民政局 is the authority of the allowance.
    auto spec = parse_resource_spec(json::parse(R"({
      "code": "gaj.population", "name": "户籍人口", "provider": "330100-GAJ", "category": "base",
      "share_type": "conditional", "open_type": "closed", "update_cycle": "daily", "publish": true,
      "fields": [
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
        {"name": "name", "label": "姓名", "type": "string", "length": 20, "required": true, "sensitivity": "personal",
         "authority": "330100-GAJ"},
        {"name": "address", "label": "住址", "type": "string", "length": 200, "sensitivity": "personal"},
        {"name": "phone", "label": "联系电话", "type": "phone", "sensitivity": "personal"},
        {"name": "allowance", "label": "低保金额", "type": "decimal", "sensitivity": "sensitive", "authority": "330100-MZJ"}
      ]})"));
    ASSERT_TRUE(spec.ok());
    ASSERT_TRUE(catalog_->apply(*spec, "test").ok());
    resource_ = std::make_unique<CatalogResource>(*catalog_->get("gaj.population"));
    store_ = std::make_unique<RecordStore>(db(), clock_);
  }

  const std::vector<FieldSpec>& fields() const { return resource_->spec.fields; }

  OneSourceCounts write(const std::string& org, const std::vector<V>& rows,
                        std::optional<std::int64_t> batch = std::nullopt) {
    std::vector<RecordValues> records;
    for (const auto& r : rows) records.push_back({r});
    OneSourceWriter writer(*store_, clock_, resource_->id, fields(), resource_->spec.provider, org);
    auto tx = db().begin();
    auto counts = writer.write(tx, records, batch);
    tx.commit();
    return counts;
  }

  std::vector<Discrepancy> open_ones() {
    DiscrepancyQuery q;
    q.state = DiscrepancyState::open;
    return Discrepancies(db(), clock_).list(q);
  }

  std::int64_t batch_of(const std::string& org) {
    return ImportBatches(db(), clock_).create({resource_->id, 1, org, "api", "", "api", "utf-8", "test"});
  }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
  TimeZone zone_ = TimeZone::fixed("UTC+8", std::chrono::hours(8));
  std::unique_ptr<CatalogStore> catalog_;
  std::unique_ptr<CatalogResource> resource_;
  std::unique_ptr<RecordStore> store_;
};

const std::string kZhang = "330106198805121237";
const std::string kLi = "330102199003082343";

TEST_P(DiscrepancyTest, TheProviderWritesItsOwnFieldsAsBefore) {
  OneSourceWriter gaj(*store_, clock_, resource_->id, fields(), "330100-GAJ", "330100-GAJ");
  EXPECT_FALSE(gaj.writes_all()) << "the allowance is 民政局's";
  auto counts = write("330100-GAJ", {{kZhang, "张三", "北山街道1号", "13957100001", std::nullopt}});
  EXPECT_EQ(counts.records.inserted, 1u);
  EXPECT_EQ(counts.discrepancies, 0u);
  EXPECT_EQ(store_->get(resource_->id, fields(), kZhang)->values, (V{kZhang, "张三", "北山街道1号", "13957100001", std::nullopt}));
}

TEST_P(DiscrepancyTest, ANonAuthorityValueIsWithheldAndListed) {
  write("330100-GAJ", {{kZhang, "张三", "北山街道1号", "13957100001", std::nullopt}});
  clock_.advance(std::chrono::minutes(5));
  const auto batch = batch_of("330100-MZJ");
  // 民政局: the same name (nothing to say), another address, no phone (proposes nothing),
  // and the allowance it is the authority of.
  auto counts = write("330100-MZJ", {{kZhang, "张三", "翠苑街道18号", std::nullopt, "800.00"}}, batch);
  EXPECT_EQ(counts.discrepancies, 1u);
  EXPECT_EQ(counts.records.updated, 1u);
  auto stored = store_->get(resource_->id, fields(), kZhang);
  EXPECT_EQ(stored->values, (V{kZhang, "张三", "北山街道1号", "13957100001", "800.00"}))
      << "公安局's values stay; 民政局's own field is written";
  EXPECT_EQ(stored->source_org, "330100-MZJ");

  auto open = open_ones();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].field, "address");
  EXPECT_EQ(open[0].record_key, kZhang);
  EXPECT_EQ(open[0].authoritative_value, "北山街道1号");
  EXPECT_EQ(open[0].proposed_value, "翠苑街道18号");
  EXPECT_EQ(open[0].proposer_org, "330100-MZJ");
  EXPECT_EQ(open[0].proposer_name, "杭州市民政局");
  EXPECT_EQ(open[0].authority_org, "330100-GAJ");
  EXPECT_EQ(open[0].authority_name, "杭州市公安局");
  EXPECT_EQ(open[0].batch, batch);
  EXPECT_EQ(open[0].resource_code, "gaj.population");

  // The same proposal again is not listed twice; another value is a new proposal.
  EXPECT_EQ(write("330100-MZJ", {{kZhang, std::nullopt, "翠苑街道18号", std::nullopt, "800.00"}}).discrepancies, 0u);
  EXPECT_EQ(write("330100-MZJ", {{kZhang, std::nullopt, "翠苑街道20号", std::nullopt, "800.00"}}).discrepancies, 1u);
  EXPECT_EQ(open_ones().size(), 2u);
}

TEST_P(DiscrepancyTest, ANewRecordByANonAuthorityHoldsOnlyWhatItsAuthoritiesVouchFor) {
  auto counts = write("330100-MZJ", {{kLi, "李四", "清波街道8号", std::nullopt, "650.50"}});
  EXPECT_EQ(counts.records.inserted, 1u);
  EXPECT_EQ(counts.discrepancies, 2u);
  EXPECT_EQ(store_->get(resource_->id, fields(), kLi)->values, (V{kLi, std::nullopt, std::nullopt, std::nullopt, "650.50"}))
      << "the key and 民政局's own field; the rest waits for 公安局";
  for (const auto& d : open_ones()) EXPECT_FALSE(d.authoritative_value) << d.field << ": none stored yet";
}

TEST_P(DiscrepancyTest, ATableOfWrites) {
  struct Step {
    const char* what;
    const char* org;
    V row;
    V stored_after;
    std::size_t new_discrepancies;
  };
  const std::vector<Step> steps{
      {"公安局 creates", "330100-GAJ", {kZhang, "张三", "A", "13957100001", std::nullopt},
       {kZhang, "张三", "A", "13957100001", std::nullopt}, 0},
      {"民政局 proposes a phone", "330100-MZJ", {kZhang, std::nullopt, std::nullopt, "13857109876", std::nullopt},
       {kZhang, "张三", "A", "13957100001", std::nullopt}, 1},
      {"人社局 proposes the same phone: its own discrepancy", "330100-RSJ",
       {kZhang, std::nullopt, std::nullopt, "13857109876", std::nullopt}, {kZhang, "张三", "A", "13957100001", std::nullopt}, 1},
      {"人社局 sends the stored name: nothing to resolve", "330100-RSJ", {kZhang, "张三", std::nullopt, std::nullopt, std::nullopt},
       {kZhang, "张三", "A", "13957100001", std::nullopt}, 0},
      {"人社局 proposes 民政局's allowance", "330100-RSJ", {kZhang, std::nullopt, std::nullopt, std::nullopt, "1.00"},
       {kZhang, "张三", "A", "13957100001", std::nullopt}, 1},
      {"公安局 clears the phone: its own field", "330100-GAJ", {kZhang, "张三", "A", std::nullopt, std::nullopt},
       {kZhang, "张三", "A", std::nullopt, std::nullopt}, 0},
      {"公安局 cannot set the allowance", "330100-GAJ", {kZhang, "张三", "A", std::nullopt, "2.00"},
       {kZhang, "张三", "A", std::nullopt, std::nullopt}, 1},
  };
  for (const auto& s : steps) {
    auto counts = write(s.org, {s.row});
    EXPECT_EQ(counts.discrepancies, s.new_discrepancies) << s.what;
    EXPECT_EQ(store_->get(resource_->id, fields(), kZhang)->values, s.stored_after) << s.what;
  }
}

TEST_P(DiscrepancyTest, AcceptWritesTheValueAsTheAuthorityAndKeepsHistory) {
  write("330100-GAJ", {{kZhang, "张三", "北山街道1号", "13957100001", std::nullopt}});
  const auto batch = batch_of("330100-MZJ");
  write("330100-MZJ", {{kZhang, std::nullopt, "翠苑街道18号", "13857109876", std::nullopt}}, batch);
  auto open = open_ones();
  ASSERT_EQ(open.size(), 2u);
  const auto& address = open[0].field == "address" ? open[0] : open[1];
  const auto& phone = open[0].field == "address" ? open[1] : open[0];
  clock_.advance(std::chrono::hours(1));
  Discrepancies list(db(), clock_);
  auto accepted = list.accept(address.id, fields(), "gaj.clerk", "");
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  EXPECT_EQ(accepted->state, DiscrepancyState::accepted);
  EXPECT_EQ(accepted->resolved_by, "gaj.clerk");
  EXPECT_EQ(accepted->resolved_at, clock_.now());
  auto stored = store_->get(resource_->id, fields(), kZhang);
  EXPECT_EQ(stored->values, (V{kZhang, "张三", "翠苑街道18号", "13957100001", std::nullopt})) << "only that field";
  EXPECT_EQ(stored->source_org, "330100-GAJ") << "the authority vouches for it now";
  EXPECT_EQ(stored->batch, batch) << "the batch that proposed it";
  EXPECT_EQ(stored->revision, 2);
  auto history = store_->history(resource_->id, fields(), kZhang);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].values[2], "北山街道1号");

  EXPECT_EQ(list.accept(address.id, fields(), "gaj.clerk", "").error().code, ErrorCode::conflict) << "not open";
  EXPECT_EQ(list.reject(phone.id, "gaj.clerk", "  ").error().code, ErrorCode::invalid) << "a reason is required";
  auto rejected = list.reject(phone.id, "gaj.clerk", "户籍登记电话已核实");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->state, DiscrepancyState::rejected);
  EXPECT_EQ(rejected->reason, "户籍登记电话已核实");
  EXPECT_EQ(store_->get(resource_->id, fields(), kZhang)->values[3], "13957100001");
  EXPECT_EQ(list.reject(phone.id, "gaj.clerk", "again").error().code, ErrorCode::conflict);
  EXPECT_EQ(list.accept(999999, fields(), "x", "").error().code, ErrorCode::not_found);

  // The same proposal once more is open again: the earlier one is closed.
  EXPECT_EQ(write("330100-MZJ", {{kZhang, std::nullopt, std::nullopt, "13857109876", std::nullopt}}).discrepancies, 1u);
}

TEST_P(DiscrepancyTest, ListsWhatEachDepartmentMaySeeNewestFirstByPages) {
  write("330100-GAJ", {{kZhang, "张三", "A", "13957100001", std::nullopt}, {kLi, "李四", "B", "13957100002", std::nullopt}});
  write("330100-MZJ", {{kZhang, std::nullopt, "A2", std::nullopt, std::nullopt}, {kLi, std::nullopt, "B2", std::nullopt, std::nullopt}});
  write("330100-RSJ", {{kZhang, std::nullopt, std::nullopt, std::nullopt, "9.00"}});
  Discrepancies list(db(), clock_);
  DiscrepancyQuery all;
  EXPECT_EQ(list.list(all).size(), 3u);
  DiscrepancyQuery gaj;
  gaj.visible_to = {"330100-GAJ"};
  EXPECT_EQ(list.list(gaj).size(), 2u) << "公安局 resolves the addresses";
  DiscrepancyQuery mzj;
  mzj.visible_to = {"330100-MZJ"};
  EXPECT_EQ(list.list(mzj).size(), 3u) << "民政局 proposed two and resolves the allowance";
  mzj.org = "330100-MZJ";
  mzj.side = "authority";
  ASSERT_EQ(list.list(mzj).size(), 1u);
  EXPECT_EQ(list.list(mzj)[0].proposer_org, "330100-RSJ");
  mzj.side = "proposer";
  EXPECT_EQ(list.list(mzj).size(), 2u);

  DiscrepancyQuery page;
  page.limit = 2;
  auto first = list.list(page);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_GT(first[0].id, first[1].id) << "newest first";
  page.before_id = first[1].id;
  auto second = list.list(page);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_LT(second[0].id, first[1].id);
  page.before_id = 0;
  page.state = DiscrepancyState::rejected;
  EXPECT_TRUE(list.list(page).empty());
  page.state.reset();
  page.resource_id = resource_->id + 1000;
  EXPECT_TRUE(list.list(page).empty());
}

TEST_P(DiscrepancyTest, DiscrepanciesRollBackWithTheirChunk) {
  write("330100-GAJ", {{kZhang, "张三", "A", std::nullopt, std::nullopt}});
  {
    OneSourceWriter writer(*store_, clock_, resource_->id, fields(), "330100-GAJ", "330100-MZJ");
    auto tx = db().begin();
    EXPECT_EQ(writer.write(tx, {{V{kZhang, std::nullopt, "B", std::nullopt, std::nullopt}}}, std::nullopt).discrepancies, 1u);
  }
  EXPECT_TRUE(open_ones().empty());
}

TEST_P(DiscrepancyTest, AnImportByANonAuthorityProposesInsteadOfOverwriting) {
  write("330100-GAJ", {{kZhang, "张三", "北山街道1号", std::nullopt, std::nullopt}});
  zhengwu::testing::TempDir dir;
  const auto path = (dir.path() / "mzj.csv").string();
  // No name column: a required field, but 公安局's to supply, not 民政局's.
  std::ofstream(path, std::ios::binary) << "公民身份号码,住址,低保金额\n"
                                        << kZhang << ",翠苑街道18号,800.00\n"
                                        << kLi << ",清波街道8号,650.00\n";
  ImportRunner runner(db(), clock_, zone_, *catalog_, nullptr);
  auto batch = runner.run({"gaj.population", path, "", "", Encoding::detect, "330100-MZJ", "mzj.clerk"});
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ(batch->state, BatchState::done) << batch->message;
  EXPECT_EQ(batch->accepted, 2);
  EXPECT_NE(batch->message.find("2 values"), std::string::npos) << batch->message;
  EXPECT_EQ(store_->get(resource_->id, fields(), kZhang)->values, (V{kZhang, "张三", "北山街道1号", std::nullopt, "800"}))
      << "standardised decimals";
  EXPECT_EQ(store_->get(resource_->id, fields(), kLi)->values, (V{kLi, std::nullopt, std::nullopt, std::nullopt, "650"}));
  auto open = open_ones();
  ASSERT_EQ(open.size(), 2u);
  for (const auto& d : open) EXPECT_EQ(d.batch, batch->id);
}

// ---- the record API's core ----------------------------------------------------------------

TEST_P(DiscrepancyTest, RecordApiRepliesOnceAndReplaysRetries) {
  RecordApi api(db(), clock_, zone_, *catalog_, nullptr);
  const std::string body = R"({"records":[
    {"id_number":"330106198805121237","name":"张三","address":"北山街道1号","phone":"139 5710 0001"},
    {"id_number":"330106198805121230","name":"坏号"},
    {"公民身份号码":"330102199003082343","姓名":"李四","remark":"ignored"},
    {"id_number":"330102199003082343","phone":{"nested":1}}
  ]})";
  auto first = api.submit({"gaj.population", "330100-GAJ", "gaj.clerk", "req-0001", body});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->replayed);
  auto reply = json::parse(first->json);
  EXPECT_EQ(reply.at("accepted").as_int64(), 2);
  EXPECT_EQ(reply.at("rejected").as_int64(), 2);
  EXPECT_EQ(reply.at("rejects").at(0).at("index").as_int64(), 1);
  EXPECT_EQ(reply.at("rejects").at(0).at("errors").at(0).at("field").as_string(), "id_number");
  EXPECT_EQ(reply.at("rejects").at(1).at("index").as_int64(), 3);
  EXPECT_EQ(reply.at("rejects").at(1).at("errors").at(0).at("field").as_string(), "phone");
  EXPECT_EQ(store_->get(resource_->id, fields(), kZhang)->values[3], "13957100001") << "standardised like an import";
  const auto batch = reply.at("batch").as_int64();
  auto b = ImportBatches(db(), clock_).get(batch);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->format, "api");
  EXPECT_EQ(b->state, BatchState::done);
  EXPECT_EQ(b->source_org, "330100-GAJ");
  EXPECT_EQ(b->accepted, 2);
  EXPECT_NE(b->message.find("remark"), std::string::npos) << b->message;
  auto kept = ImportBatches(db(), clock_).rejects(batch, 0, 10, true);
  ASSERT_EQ(kept.size(), 2u) << "kept to be fixed in place";
  EXPECT_EQ(kept[0].line, 2) << "line = index + 1";

  auto again = api.submit({"gaj.population", "330100-GAJ", "gaj.clerk", "req-0001", body});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->json, first->json);
  EXPECT_EQ(ImportBatches(db(), clock_).of_resource(resource_->id, 0, 10).size(), 1u) << "nothing written twice";
  auto other = api.submit({"gaj.population", "330100-GAJ", "gaj.clerk", "req-0001", R"({"records":[{}]})"});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::unprocessable);
  EXPECT_EQ(other.error().fields.at(0).field, "Idempotency-Key");
  EXPECT_TRUE(api.submit({"gaj.population", "330100-MZJ", "mzj.clerk", "req-0001", body}).ok())
      << "keys are per writer";
}

TEST_P(DiscrepancyTest, RecordApiRefusesWhatItCannotTake) {
  RecordApi api(db(), clock_, zone_, *catalog_, nullptr);
  auto code_of = [&](const std::string& key, const std::string& body) {
    auto r = api.submit({"gaj.population", "330100-GAJ", "t", key, body});
    return r ? std::string("ok") : r.error().fields.empty() ? std::string("?") : r.error().fields[0].field;
  };
  EXPECT_EQ(code_of("", R"({"records":[{}]})"), "Idempotency-Key");
  EXPECT_EQ(code_of(std::string(201, 'k'), R"({"records":[{}]})"), "Idempotency-Key");
  EXPECT_EQ(code_of("k\x01", R"({"records":[{}]})"), "Idempotency-Key");
  EXPECT_EQ(code_of("k1", "not json"), "body");
  EXPECT_EQ(code_of("k2", R"({"records":{}})"), "records");
  EXPECT_EQ(code_of("k3", R"({"records":[]})"), "records");
  std::string many = R"({"records":[)";
  for (int i = 0; i < 1001; ++i) many += i ? ",{}" : "{}";
  many += "]}";
  auto too_many = api.submit({"gaj.population", "330100-GAJ", "t", "k4", many});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, ErrorCode::too_large);
  EXPECT_EQ(api.submit({"none.such", "330100-GAJ", "t", "k5", R"({"records":[{}]})"}).error().code, ErrorCode::not_found);
  EXPECT_TRUE(ImportBatches(db(), clock_).of_resource(resource_->id, 0, 10).empty()) << "nothing written";
}

TEST_P(DiscrepancyTest, RecordApiWritesOfANonAuthorityBecomeDiscrepancies) {
  RecordApi api(db(), clock_, zone_, *catalog_, nullptr);
  ASSERT_TRUE(api.submit({"gaj.population", "330100-GAJ", "t", "g1",
                          R"({"records":[{"id_number":"330106198805121237","name":"张三","address":"A"}]})"})
                  .ok());
  auto r = api.submit({"gaj.population", "330100-MZJ", "t", "m1",
                       R"({"records":[{"id_number":"330106198805121237","address":"B","allowance":"700.00"}]})"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::parse(r->json).at("discrepancies").as_int64(), 1) << r->json;
  auto open = open_ones();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].batch, json::parse(r->json).at("batch").as_int64());
  EXPECT_EQ(store_->get(resource_->id, fields(), kZhang)->values, (V{kZhang, "张三", "A", std::nullopt, "700"}));
}

ZHENGWU_STORAGE_TEST_SUITE(DiscrepancyTest);

}  // namespace
}  // namespace zhengwu::data
