// Data quality: the arithmetic as tables of inputs and expected outputs (timeliness against
// the update cycle, dimensions and score from counts, which identifiers are checked for
// duplicates, cursors and job payloads), and the measurement on both engines — counts
// from a real record table, rejected records, the stored history and the overview.
#include "modules/data/quality.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "data_fixture.hpp"
#include "modules/data/record_store.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::data {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const TimePoint kNow = TimePoint(std::chrono::seconds(1796365800));

// ---- timeliness ----

struct TimelinessCase {
  const char* name;
  UpdateCycle cycle;
  std::optional<std::chrono::hours> age;  // since the last update; none: no data, published `age_published` ago
  std::chrono::hours age_published;
  double score;
  double days_late;
};

class QualityTimeliness : public ::testing::TestWithParam<TimelinessCase> {};

TEST_P(QualityTimeliness, FallsLinearlyToZeroAtThreeCyclesLate) {
  const auto& c = GetParam();
  std::optional<TimePoint> last;
  if (c.age) last = kNow - *c.age;
  auto t = assess_timeliness(last, kNow - c.age_published, c.cycle, kNow);
  EXPECT_DOUBLE_EQ(t.score, c.score);
  EXPECT_DOUBLE_EQ(t.days_late, c.days_late);
  const auto base = last.value_or(kNow - c.age_published);
  EXPECT_EQ(t.due_at, base + std::chrono::hours(24) * cycle_days(c.cycle));
}

INSTANTIATE_TEST_SUITE_P(
    Table, QualityTimeliness,
    ::testing::Values(
        TimelinessCase{"daily_fresh", UpdateCycle::daily, 12h, 1000h, 100, 0},
        TimelinessCase{"daily_exactly_due", UpdateCycle::daily, 24h, 1000h, 100, 0},
        TimelinessCase{"daily_one_day_late", UpdateCycle::daily, 48h, 1000h, 66.7, 1},
        TimelinessCase{"daily_three_days_late", UpdateCycle::daily, 96h, 1000h, 0, 3},
        TimelinessCase{"daily_a_month_late", UpdateCycle::daily, 720h, 1000h, 0, 29},
        TimelinessCase{"realtime_half_a_day_late", UpdateCycle::realtime, 36h, 1000h, 83.3, 0.5},
        TimelinessCase{"weekly_three_days_late", UpdateCycle::weekly, 240h, 1000h, 85.7, 3},
        TimelinessCase{"monthly_one_cycle_late", UpdateCycle::monthly, 62 * 24h, 1000h, 66.7, 31},
        TimelinessCase{"quarterly_eight_days_late", UpdateCycle::quarterly, 100 * 24h, 1000h, 97.1, 8},
        TimelinessCase{"yearly_34_days_late", UpdateCycle::yearly, 400 * 24h, 1000h, 96.9, 34},
        TimelinessCase{"no_data_yet_within_the_cycle", UpdateCycle::monthly, std::nullopt, 240h, 100, 0},
        TimelinessCase{"no_data_two_days_after_due", UpdateCycle::daily, std::nullopt, 72h, 33.3, 2}),
    [](const auto& info) { return std::string(info.param.name); });

// ---- percentages ----

struct PercentCase {
  std::int64_t part, whole;
  std::optional<double> expected;
};

class QualityPercent : public ::testing::TestWithParam<PercentCase> {};

TEST_P(QualityPercent, OneDecimalHalfAwayFromZero) {
  const auto& c = GetParam();
  EXPECT_EQ(percent_of(c.part, c.whole), c.expected) << c.part << "/" << c.whole;
}

INSTANTIATE_TEST_SUITE_P(Table, QualityPercent,
                         ::testing::Values(PercentCase{0, 0, std::nullopt}, PercentCase{1, 0, std::nullopt},
                                           PercentCase{0, 5, 0.0}, PercentCase{5, 5, 100.0}, PercentCase{1, 3, 33.3},
                                           PercentCase{2, 3, 66.7}, PercentCase{1, 8, 12.5},
                                           PercentCase{1, 16, 6.3},  // 6.25 rounds away from zero
                                           PercentCase{999999, 1000000, 100.0}, PercentCase{7, 5, 100.0},
                                           PercentCase{-1, 5, 0.0}));

// ---- dimensions and score ----

FieldQuality field(const char* name, bool required, bool key, std::int64_t filled, std::int64_t invalid = 0,
                   bool identifier = false) {
  return {name, name, FieldType::string, required, key, filled, invalid, identifier, 0, 0};
}

struct ScoreCase {
  const char* name;
  QualityCounts counts;
  std::optional<double> completeness, validity, uniqueness;
  double timeliness;
  double score;
};

class QualityScore : public ::testing::TestWithParam<ScoreCase> {};

TEST_P(QualityScore, WeightedMeanOfTheApplicableDimensions) {
  const auto& c = GetParam();
  auto s = score_quality(c.counts, UpdateCycle::daily, kNow);
  EXPECT_EQ(s.completeness, c.completeness);
  EXPECT_EQ(s.validity, c.validity);
  EXPECT_EQ(s.uniqueness, c.uniqueness);
  EXPECT_DOUBLE_EQ(s.timeliness.score, c.timeliness);
  EXPECT_DOUBLE_EQ(s.score, c.score);
}

QualityCounts counts(std::int64_t records, std::int64_t open_rejects, std::int64_t invalid, std::int64_t duplicated,
                     std::vector<FieldQuality> fields, std::optional<std::chrono::hours> age) {
  QualityCounts c;
  c.records = records;
  c.open_rejects = open_rejects;
  c.invalid_records = invalid;
  c.duplicated_records = duplicated;
  c.fields = std::move(fields);
  if (age) c.last_update = kNow - *age;
  c.published_at = kNow - 1000h;
  return c;
}

INSTANTIATE_TEST_SUITE_P(
    Table, QualityScore,
    ::testing::Values(
        // Everything perfect: 100.
        ScoreCase{"perfect",
                  counts(10, 0, 0, 0, {field("k", true, true, 10), field("a", false, false, 10, 0, true)}, 1h), 100.0,
                  100.0, 100.0, 100, 100},
        // Key fields are left out; a required field weighs double: (2·8 + 1·4) / (2·10 + 1·10) = 66.7.
        ScoreCase{"required_weighs_double",
                  counts(10, 0, 0, 0, {field("k", true, true, 10), field("r", true, false, 8), field("o", false, false, 4)},
                         1h),
                  66.7, 100.0, std::nullopt, 100, 87.5},
        // Invalid stored records and open rejects: (10 − 2) / (10 + 2) = 66.7; no identifier → uniqueness n/a.
        ScoreCase{"invalid_and_rejected",
                  counts(10, 2, 2, 0, {field("k", true, true, 10), field("o", false, false, 10)}, 1h), 100.0, 66.7,
                  std::nullopt, 100, 87.5},
        // Duplicates of a checked identifier: (10 − 4) / 10; late by one day (daily): 66.7.
        ScoreCase{"duplicates_and_late",
                  counts(10, 0, 0, 4, {field("k", true, true, 10), field("id", false, false, 10, 0, true)}, 48h), 100.0,
                  100.0, 60.0, 66.7, 85.3},
        // Nothing stored, nothing submitted: only timeliness (from publication) counts.
        ScoreCase{"no_data", counts(0, 0, 0, 0, {field("k", true, true, 0), field("o", false, false, 0)}, std::nullopt),
                  std::nullopt, std::nullopt, std::nullopt, 0, 0},
        // Everything refused on import: validity 0, the other record dimensions n/a.
        ScoreCase{"all_refused", counts(0, 5, 0, 0, {field("k", true, true, 0)}, 2h), std::nullopt, 0.0, std::nullopt,
                  100, 40},
        // Only key fields: completeness n/a.
        ScoreCase{"key_only", counts(3, 0, 0, 0, {field("k", true, true, 3)}, 1h), std::nullopt, 100.0, std::nullopt,
                  100, 100}),
    [](const auto& info) { return std::string(info.param.name); });

// ---- which identifiers are checked for duplicates ----

struct IdentifierCase {
  const char* name;
  std::vector<FieldSpec> fields;
  std::vector<bool> checked;
};

FieldSpec spec_field(const char* name, FieldType type, bool key) {
  return {name, name, type, {}, key, key, Sensitivity::internal, {}, {}};
}

class QualityIdentifiers : public ::testing::TestWithParam<IdentifierCase> {};

TEST_P(QualityIdentifiers, OnlySubjectIdentifiersAreChecked) {
  EXPECT_EQ(subject_identifiers(GetParam().fields), GetParam().checked);
}

INSTANTIATE_TEST_SUITE_P(
    Table, QualityIdentifiers,
    ::testing::Values(
        IdentifierCase{"keyed_by_certificate",
                       {spec_field("cert_no", FieldType::string, true), spec_field("id_number", FieldType::id_number, false),
                        spec_field("name", FieldType::string, false)},
                       {false, true, false}},
        IdentifierCase{"keyed_by_person_employer_is_a_reference",
                       {spec_field("id_number", FieldType::id_number, true),
                        spec_field("employer_uscc", FieldType::uscc, false)},
                       {false, false}},
        IdentifierCase{"composite_key_with_identifier",
                       {spec_field("uscc", FieldType::uscc, true), spec_field("year", FieldType::integer, true),
                        spec_field("legal_id", FieldType::id_number, false)},
                       {false, false, false}},
        IdentifierCase{"two_subject_identifiers",
                       {spec_field("case_no", FieldType::string, true), spec_field("person", FieldType::id_number, false),
                        spec_field("company", FieldType::uscc, false), spec_field("phone", FieldType::phone, false)},
                       {false, true, true, false}}),
    [](const auto& info) { return std::string(info.param.name); });

// ---- cursors, sorts and payloads: outside input ----

TEST(QualityCursor, RoundTripsAndRefusesAnythingElse) {
  for (const auto& c : {QualityCursor{66.7, "gaj.population"}, QualityCursor{101, "a-b_c.d"},
                                QualityCursor{0, "x9z"}, QualityCursor{1234567, "rsj.social_insurance"}}) {
    auto back = parse_quality_cursor(to_string(c));
    ASSERT_TRUE(back) << to_string(c);
    EXPECT_EQ(back->value, c.value);
    EXPECT_EQ(back->code, c.code);
  }
  for (const char* bad : {"", "~", "66.7", "66.7~", "~code", "abc~code", "66.7x~code", "nan~code", "inf~code",
                          "66.7~Code", "66.7~co de", "66.7~co'de", "1e999~code"})
    EXPECT_FALSE(parse_quality_cursor(bad)) << bad;
}

TEST(QualitySort, NamesAndDefaultDirections) {
  for (const char* name : {"score", "completeness", "validity", "uniqueness", "timeliness", "days_late", "records", "code"}) {
    auto s = quality_sort_from(name);
    ASSERT_TRUE(s) << name;
    EXPECT_EQ(to_string(*s), name);
  }
  EXPECT_FALSE(quality_sort_from("Score"));
  EXPECT_FALSE(quality_sort_from(""));
  EXPECT_FALSE(descending_by_default(QualitySort::score)) << "worst first";
  EXPECT_TRUE(descending_by_default(QualitySort::days_late));
  EXPECT_TRUE(descending_by_default(QualitySort::records));
}

TEST(QualityJobPayload, RoundTripsAndRefusesAnythingElse) {
  auto p = parse_quality_job_payload(quality_job_payload(42, "import"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->first, 42);
  EXPECT_EQ(p->second, "import");
  for (const char* bad : {"", "42", "|import", "x|import", "0|import", "-1|import", "4 2|import"})
    EXPECT_FALSE(parse_quality_job_payload(bad).ok()) << bad;
}

// ---- measuring, on both engines ----

class QualityStoreTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    test_support::prepare_data_tables(db(), clock_);
    if (HasFatalFailure()) return;
    db::apply_migrations(db(), quality_migrations(), clock_);
    auth::OrgDirectory orgs(db(), clock_);
    ASSERT_TRUE(orgs.create({"330100-MZJ", "杭州市民政局", "government_department", "330100", {}}).ok());
    catalog_ = std::make_unique<CatalogStore>(db(), clock_);
    ASSERT_TRUE(catalog_->put_code_table("gb2261.1", "人的性别代码", "GB/T 2261.1-2003",
                                         {{"1", "男性", {"男"}}, {"2", "女性", {"女"}}})
                    .ok());
    // Keyed by a certificate number: the spouse's ID number is the subject identifier.
    apply(R"({"code": "mzj.marriage", "name": "婚姻登记", "provider": "330100-MZJ", "category": "departmental",
      "share_type": "conditional", "open_type": "closed", "update_cycle": "daily", "publish": true,
      "fields": [
        {"name": "cert_no", "label": "结婚证字号", "type": "string", "length": 30, "key": true, "sensitivity": "personal"},
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "sensitivity": "sensitive"},
        {"name": "name", "label": "姓名", "type": "string", "length": 20, "required": true, "sensitivity": "personal"},
        {"name": "gender", "label": "性别", "type": "code", "code_table": "gb2261.1", "sensitivity": "personal"},
        {"name": "born", "label": "出生日期", "type": "date", "sensitivity": "personal"}
      ]})");
    apply(R"({"code": "gaj.population", "name": "户籍人口", "provider": "330100-GAJ", "category": "base",
      "share_type": "conditional", "open_type": "closed", "update_cycle": "daily", "publish": true,
      "fields": [
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
        {"name": "name", "label": "姓名", "type": "string", "length": 20, "required": true, "sensitivity": "personal"}
      ]})");
    apply(R"({"code": "gaj.draft", "name": "草稿", "provider": "330100-GAJ", "category": "base",
      "share_type": "conditional", "open_type": "closed", "update_cycle": "daily",
      "fields": [{"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"}]})");
    assessor_ = std::make_unique<QualityAssessor>(db(), clock_, zone_, *catalog_);
  }

  void apply(const char* text) {
    auto spec = parse_resource_spec(json::parse(text));
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    ASSERT_TRUE(catalog_->apply(*spec, "test").ok());
  }

  // Five marriages, written around the import checks as another system might: a shared ID
  // number (张三 twice), a code no longer in the table, a wrong check character, gaps.
  void write_marriages() {
    auto resource = *catalog_->get("mzj.marriage");
    using V = std::vector<std::optional<std::string>>;
    std::vector<RecordValues> records;
    for (const auto& v : {V{"C1", "11010519491231002X", "张三", "1", "1949-12-31"},
                          V{"C2", "11010519491231002X", "张三", "2", std::nullopt},
                          V{"C3", "330106198805121237", "李四", "7", "1988-05-12"},
                          V{"C4", "330106198805121233", "王五", std::nullopt, std::nullopt},
                          V{"C5", std::nullopt, "赵六", "1", "1990-03-08"}})
      records.push_back({v});
    auto tx = db().begin();
    RecordStore(db(), clock_).upsert(tx, resource.id, resource.spec.fields, records, "330100-MZJ", std::nullopt);
    tx.commit();
    // A batch that left two refused records: one still open, one dismissed.
    ImportBatches batches(db(), clock_);
    auto batch = batches.create({resource.id, 1, "330100-MZJ", "m.csv", "", "csv", "auto", "mzj.clerk"});
    {
      auto chunk = db().begin();
      batches.record_chunk(chunk, batch, {3, 2, 0, {{0, 0, 2, "{}", "[]", "", {}}, {0, 0, 3, "{}", "[]", "", {}}}});
      chunk.commit();
    }
    auto second = batches.rejects(batch, 2, 1, true);
    ASSERT_EQ(second.size(), 1u);
    auto close = db().begin();
    ASSERT_TRUE(batches.close_reject(close, second[0].id, "dismissed", std::nullopt, "duplicate").ok());
    close.commit();
    clock_.advance(1h);
    batches.finish(batch, BatchState::done, "");
  }

  ManualClock clock_{kNow};
  TimeZone zone_ = TimeZone::fixed("UTC+8", std::chrono::hours(8));
  std::unique_ptr<CatalogStore> catalog_;
  std::unique_ptr<QualityAssessor> assessor_;
};

TEST_P(QualityStoreTest, MeasuresARecordTable) {
  write_marriages();
  if (HasFatalFailure()) return;
  assessor_->set_page_rows(2);  // three pages: the validity pass resumes after each key
  auto r = assessor_->assess("mzj.marriage", "test");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& c = r->counts;
  EXPECT_EQ(c.records, 5);
  EXPECT_EQ(c.open_rejects, 1) << "the dismissed record is not counted";
  EXPECT_EQ(c.invalid_records, 2) << "gender 7 and a wrong check character";
  EXPECT_EQ(c.duplicated_records, 2);
  ASSERT_EQ(c.fields.size(), 5u);
  std::vector<std::int64_t> filled, invalid;
  for (const auto& f : c.fields) {
    filled.push_back(f.filled);
    invalid.push_back(f.invalid);
  }
  EXPECT_EQ(filled, (std::vector<std::int64_t>{5, 4, 5, 4, 3}));
  EXPECT_EQ(invalid, (std::vector<std::int64_t>{0, 1, 0, 1, 0}));
  EXPECT_TRUE(c.fields[1].identifier);
  EXPECT_EQ(c.fields[1].duplicate_values, 1);
  EXPECT_EQ(c.fields[1].duplicate_records, 2);
  ASSERT_TRUE(c.last_update);
  EXPECT_EQ(*c.last_update, kNow + 1h) << "the batch finished after the records were written";

  // (1·4 + 2·5 + 1·4 + 1·3) / (5 + 10 + 5 + 5), (5 − 2) / (5 + 1), (5 − 2) / 5, on time.
  EXPECT_EQ(r->scores.completeness, 84.0);
  EXPECT_EQ(r->scores.validity, 50.0);
  EXPECT_EQ(r->scores.uniqueness, 60.0);
  EXPECT_EQ(r->scores.timeliness.score, 100.0);
  EXPECT_DOUBLE_EQ(r->scores.score, 72.2);

  // Three days on, nothing new: two days late for a daily resource.
  clock_.advance(72h);
  auto later = assessor_->assess("mzj.marriage", "schedule");
  ASSERT_TRUE(later.ok());
  EXPECT_DOUBLE_EQ(later->scores.timeliness.days_late, 2.0);
  EXPECT_DOUBLE_EQ(later->scores.timeliness.score, 33.3);
  EXPECT_DOUBLE_EQ(later->scores.score, 58.9);

  // Both are kept, newest first, and read back exactly.
  QualityReports reports(db());
  auto history = reports.history(r->resource_id, 10);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].id, later->id);
  EXPECT_EQ(history[0].cause, "schedule");
  EXPECT_EQ(history[1].scores.completeness, 84.0);
  EXPECT_EQ(history[1].counts.fields[1].duplicate_records, 2);
  EXPECT_EQ(history[1].counts.invalid_records, 2);
  EXPECT_EQ(history[1].counts.last_update, kNow + 1h);
  EXPECT_EQ(history[1].provider, "330100-MZJ");
  EXPECT_EQ(history[1].provider_name, "杭州市民政局");
  EXPECT_EQ(history[1].resource_name, "婚姻登记");
  EXPECT_EQ(reports.latest(r->resource_id)->id, later->id);
}

TEST_P(QualityStoreTest, ResourcesWithoutDataAndOnesThatCannotBeAssessed) {
  clock_.advance(73h);
  auto r = assessor_->assess("gaj.population", "test");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->counts.records, 0);
  EXPECT_FALSE(r->scores.completeness);
  EXPECT_FALSE(r->scores.validity);
  EXPECT_FALSE(r->scores.uniqueness);
  EXPECT_FALSE(r->counts.last_update);
  EXPECT_DOUBLE_EQ(r->scores.timeliness.days_late, 2.0) << "due a day after publication";
  EXPECT_DOUBLE_EQ(r->scores.score, r->scores.timeliness.score);

  EXPECT_EQ(assessor_->assess("gaj.draft", "test").error().code, ErrorCode::conflict);
  EXPECT_EQ(assessor_->assess("none.such", "test").error().code, ErrorCode::not_found);
}

TEST_P(QualityStoreTest, OverviewSortsPagesAndFilters) {
  write_marriages();
  if (HasFatalFailure()) return;
  EXPECT_EQ(QualityReports(db()).stale(clock_.now() - 24h).size(), 2u) << "two published resources, no report";
  EXPECT_EQ(assessor_->assess_all("test"), 2u);
  assessor_->assess("mzj.marriage", "again").value();  // only the latest of each is listed
  QualityReports reports(db());
  EXPECT_TRUE(reports.stale(clock_.now() - 24h).empty());
  EXPECT_EQ(reports.stale(clock_.now() + 1ms).size(), 2u);
  // An import finished after the latest report makes the resource stale again.
  clock_.advance(1min);
  ImportBatches batches(db(), clock_);
  batches.finish(batches.create({catalog_->get("gaj.population")->id, 1, "330100-GAJ", "p.csv", "", "csv", "auto", "cli"}),
                 BatchState::done, "");
  EXPECT_EQ(reports.stale(clock_.now() - 24h), (std::vector<std::int64_t>{catalog_->get("gaj.population")->id}));

  auto codes = [](const QualityPage& p) {
    std::vector<std::string> out;
    for (const auto& r : p.items) out.push_back(r.resource_code);
    return out;
  };
  QualityQuery q;  // score, worst first: the marriages (72.2) before the empty population (100)
  auto all = reports.overview(q);
  EXPECT_EQ(codes(all), (std::vector<std::string>{"mzj.marriage", "gaj.population"}));
  EXPECT_EQ(all.items[0].cause, "again");
  EXPECT_FALSE(all.next);

  q.limit = 1;
  auto first = reports.overview(q);
  ASSERT_TRUE(first.next);
  EXPECT_EQ(codes(first), (std::vector<std::string>{"mzj.marriage"}));
  q.after = parse_quality_cursor(to_string(*first.next));
  auto second = reports.overview(q);
  EXPECT_EQ(codes(second), (std::vector<std::string>{"gaj.population"}));
  EXPECT_FALSE(second.next);

  QualityQuery by_completeness;
  by_completeness.sort = QualitySort::completeness;
  by_completeness.descending = true;  // n/a sorts as better than 100
  EXPECT_EQ(codes(reports.overview(by_completeness)), (std::vector<std::string>{"gaj.population", "mzj.marriage"}));
  QualityQuery by_code;
  by_code.sort = QualitySort::code;
  by_code.limit = 1;
  auto code_page = reports.overview(by_code);
  EXPECT_EQ(codes(code_page), (std::vector<std::string>{"gaj.population"}));
  by_code.after = code_page.next;
  EXPECT_EQ(codes(reports.overview(by_code)), (std::vector<std::string>{"mzj.marriage"}));

  QualityQuery mzj;
  mzj.providers = {"330100-MZJ"};
  EXPECT_EQ(codes(reports.overview(mzj)), (std::vector<std::string>{"mzj.marriage"}));
  mzj.providers = {"330100-NONE"};
  EXPECT_TRUE(reports.overview(mzj).items.empty());
}

ZHENGWU_STORAGE_TEST_SUITE(QualityStoreTest);

}  // namespace
}  // namespace zhengwu::data
