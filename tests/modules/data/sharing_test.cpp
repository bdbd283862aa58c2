// Sharing rules (table-driven) and the grant and application store on both engines:
// unconditional requests granted at once, conditional ones due in 10 working days,
// not-shared ones refused, approval with fewer fields, refusal with a reason, expiry,
// revocation, purpose matching and escalation past the due day.
#include "modules/data/sharing.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "kernel/auth/org_directory.hpp"
#include "kernel/calendar/calendar_store.hpp"
#include "support/test_databases.hpp"
#include "data_fixture.hpp"

namespace zhengwu::data {
namespace {

namespace json = boost::json;
using namespace std::chrono;

FieldSpec field(const char* name, FieldType type, Sensitivity s, bool key = false) {
  return {name, name, type, {}, key, key, s, {}, {}};
}

const std::vector<FieldSpec> kPeople{field("id_number", FieldType::id_number, Sensitivity::sensitive, true),
                                     field("name", FieldType::string, Sensitivity::personal),
                                     field("division", FieldType::division, Sensitivity::internal)};

TEST(SharingRules, GrantFieldsAreChecked) {
  struct Row {
    std::vector<std::string> fields, clear;
    const char* error_field;  // nullptr: accepted
  };
  const std::vector<Row> rows{
      {{"id_number", "name"}, {}, nullptr},
      {{"id_number", "name"}, {"name"}, nullptr},
      {{}, {}, "fields"},
      {{"id_number", "salary"}, {}, "fields[1]"},
      {{"name", "name"}, {}, "fields[1]"},
      {{"name"}, {"id_number"}, "clear_fields[0]"},
      {{"name", "id_number"}, {"name", "name"}, "clear_fields[1]"},
  };
  for (const auto& r : rows) {
    auto s = check_grant_fields(kPeople, r.fields, r.clear);
    if (!r.error_field) {
      EXPECT_TRUE(s.ok()) << s.error().message;
      continue;
    }
    ASSERT_FALSE(s.ok()) << r.error_field;
    EXPECT_EQ(s.error().fields.front().field, r.error_field) << s.error().message;
  }
}

TEST(SharingRules, WhichRequestsNeedTheProvider) {
  struct Row {
    ShareType type;
    std::vector<std::string> clear;
    bool application;
  };
  const std::vector<Row> rows{
      {ShareType::unconditional, {}, false},
      {ShareType::unconditional, {"division"}, false},  // internal: in clear anyway
      {ShareType::unconditional, {"name"}, true},       // personal in clear: the provider decides
      {ShareType::unconditional, {"id_number"}, true},
      {ShareType::conditional, {}, true},
      {ShareType::none, {}, true},
  };
  for (const auto& r : rows) {
    ResourceSpec spec;
    spec.share_type = r.type;
    spec.fields = kPeople;
    EXPECT_EQ(needs_application(spec, r.clear), r.application);
  }
}

TEST(SharingRules, DeadlineColours) {
  // 2025: 1 Jan a holiday; Friday 3 Jan → 10 working days → Friday 17 Jan.
  auto cal = calendar::WorkingCalendar::create({{year{2025} / January / 1, calendar::DayKind::holiday, "元旦"}}, {2025});
  ASSERT_TRUE(cal.ok());
  auto due = cal->add_working_days(year{2025} / January / 3, kAnswerWorkingDays);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->value, year{2025} / January / 17);
  struct Row {
    year_month_day today;
    DeadlineStatus status;
    int left;
  };
  const std::vector<Row> rows{
      {year{2025} / January / 3, DeadlineStatus::on_time, 10},
      {year{2025} / January / 14, DeadlineStatus::on_time, 3},
      {year{2025} / January / 15, DeadlineStatus::due_soon, 2},
      {year{2025} / January / 16, DeadlineStatus::due_soon, 1},
      {year{2025} / January / 17, DeadlineStatus::due_today, 0},
      {year{2025} / January / 18, DeadlineStatus::overdue, 0},   // Saturday after: no working day between
      {year{2025} / January / 20, DeadlineStatus::overdue, -1},  // Monday after
  };
  for (const auto& r : rows) {
    EXPECT_EQ(deadline_status(*cal, r.today, due->value), r.status) << format_date(r.today);
    EXPECT_EQ(working_days_left(*cal, r.today, due->value), r.left) << format_date(r.today);
  }
}

class SharingStoreTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    data::test_support::prepare_data_tables(db(), clock_);
    if (HasFatalFailure()) return;
    db::apply_migrations(db(), sharing_migrations(), clock_);
    db::apply_migrations(db(), calendar::calendar_migrations(), clock_);
    auth::OrgDirectory orgs(db(), clock_);
    ASSERT_TRUE(orgs.create({"330100-MZJ", "杭州市民政局", "government_department", "330100", {}}).ok());
    calendar_ = std::make_unique<calendar::CalendarStore>(db(), clock_, calendar::WorkingHours::standard(), zone_);
    calendar_->load();
    catalog_ = std::make_unique<CatalogStore>(db(), clock_);
    for (auto [code, type] : {std::pair{"gaj.population", "conditional"}, std::pair{"gaj.address", "unconditional"},
                              std::pair{"gaj.secret", "none"}}) {
      auto spec = parse_resource_spec(json::parse(std::string(R"({"code": ")") + code +
                                                  R"(", "name": "人口", "provider": "330100-GAJ", "category": "base",
        "share_type": ")" + type + R"(", "open_type": "closed", "update_cycle": "daily", "publish": true, "fields": [
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
        {"name": "name", "label": "姓名", "type": "string", "sensitivity": "personal"},
        {"name": "division", "label": "户籍地", "type": "division", "sensitivity": "internal"}]})"));
      ASSERT_TRUE(spec.ok()) << spec.error().message;
      ASSERT_TRUE(catalog_->apply(*spec, "test").ok());
    }
    store_ = std::make_unique<SharingStore>(db(), clock_, zone_, *catalog_, *calendar_);
  }

  ShareRequest ask(const char* resource, std::vector<std::string> fields, std::vector<std::string> clear = {},
                   const char* purpose = "最低生活保障家庭核对") {
    return {resource, "330100-MZJ", std::move(fields), std::move(clear), purpose, "《社会救助暂行办法》第十一条", 30,
            "mzj.clerk"};
  }

  // Friday 2025-01-03, 10:00 in Hangzhou.
  ManualClock clock_{TimePoint(sys_days(year{2025} / January / 3) + hours(2))};
  TimeZone zone_ = TimeZone::fixed("Asia/Shanghai", hours(8));
  std::unique_ptr<calendar::CalendarStore> calendar_;
  std::unique_ptr<CatalogStore> catalog_;
  std::unique_ptr<SharingStore> store_;
};

TEST_P(SharingStoreTest, UnconditionalIsGrantedAtOnceConditionalWaitsForTheProvider) {
  auto at_once = store_->request(ask("gaj.address", {"id_number", "division"}));
  ASSERT_TRUE(at_once.ok()) << at_once.error().message;
  ASSERT_TRUE(at_once->grant);
  EXPECT_FALSE(at_once->application);
  EXPECT_EQ(at_once->grant->origin, "request");
  EXPECT_TRUE(store_->grant_in_force(at_once->grant->resource_id, "330100-MZJ", "最低生活保障家庭核对"));

  auto again = store_->request(ask("gaj.address", {"id_number"}));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict) << "one grant per purpose in force";

  auto in_clear = store_->request(ask("gaj.address", {"id_number", "name"}, {"name"}, "入户调查"));
  ASSERT_TRUE(in_clear.ok()) << in_clear.error().message;
  ASSERT_TRUE(in_clear->application) << "personal fields in clear need the provider even when unconditional";

  auto waits = store_->request(ask("gaj.population", {"id_number", "name", "division"}, {"name"}));
  ASSERT_TRUE(waits.ok()) << waits.error().message;
  ASSERT_TRUE(waits->application);
  EXPECT_EQ(waits->application->state, ApplicationState::pending);
  // Friday 3 Jan 2025 + 10 working days (1 Jan is before it) = Friday 17 Jan.
  EXPECT_EQ(format_date(waits->application->due_on), "2025-01-17");
  EXPECT_FALSE(store_->grant_in_force(waits->application->resource_id, "330100-MZJ", "最低生活保障家庭核对"));

  auto refused = store_->request(ask("gaj.secret", {"id_number"}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.front().field, "resource") << "不予共享 cannot be requested";

  auto own = ask("gaj.population", {"id_number"});
  own.consumer_org = "330100-GAJ";
  EXPECT_FALSE(store_->request(own).ok());

  auto no_basis = ask("gaj.population", {"id_number"}, {}, "另一用途");
  no_basis.legal_basis = "";
  auto r = store_->request(no_basis);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.front().field, "legal_basis");
}

TEST_P(SharingStoreTest, ApprovalMayGiveLessRefusalNeedsAReason) {
  auto a = store_->request(ask("gaj.population", {"id_number", "name", "division"}, {"id_number", "name"}));
  ASSERT_TRUE(a.ok());
  const auto id = a->application->id;

  ShareDecision more;
  more.approve = true;
  more.fields = std::vector<std::string>{"id_number", "name", "division", "salary"};
  more.actor = "gaj.head";
  EXPECT_FALSE(store_->decide(id, more).ok()) << "never more than asked";

  ShareDecision refuse;
  refuse.actor = "gaj.head";
  auto r = store_->decide(id, refuse);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.front().field, "note");

  ShareDecision as_centre;
  as_centre.approve = true;
  as_centre.actor = "sjzyj.officer";
  as_centre.as_centre = true;
  EXPECT_EQ(store_->decide(id, as_centre).error().code, ErrorCode::forbidden) << "not escalated";

  ShareDecision fewer;
  fewer.approve = true;
  fewer.fields = std::vector<std::string>{"id_number", "division"};
  fewer.duration_days = 10;
  fewer.note = "姓名不予提供";
  fewer.actor = "gaj.head";
  auto approved = store_->decide(id, fewer);
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->state, ApplicationState::approved);
  ASSERT_TRUE(approved->grant_id);
  auto g = store_->grant(*approved->grant_id);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->fields, (std::vector<std::string>{"id_number", "division"}));
  EXPECT_EQ(g->clear_fields, (std::vector<std::string>{"id_number"})) << "name left with its field";
  EXPECT_EQ(g->origin, "application");
  EXPECT_EQ(store_->decide(id, fewer).error().code, ErrorCode::conflict) << "decided once";

  // Valid through the 10th day after the decision, in Hangzhou: until 14 Jan 00:00 +08:00.
  ASSERT_TRUE(g->valid_until);
  EXPECT_EQ(format_iso8601(*g->valid_until, zone_), "2025-01-14T00:00:00+08:00");
  clock_.set(*g->valid_until - seconds(1));
  EXPECT_TRUE(store_->grant_in_force(g->resource_id, "330100-MZJ", "最低生活保障家庭核对"));
  clock_.set(*g->valid_until);
  EXPECT_FALSE(store_->grant_in_force(g->resource_id, "330100-MZJ", "最低生活保障家庭核对")) << "expired";
  EXPECT_FALSE(store_->holds_any_grant(g->resource_id, "330100-MZJ"));
}

TEST_P(SharingStoreTest, RevokedAndOtherPurposeGrantsServeNothing) {
  auto g = store_->grant_directly("gaj.population", "330100-MZJ", {"id_number"}, {}, "低保核对", std::nullopt, "ops");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_TRUE(store_->grant_in_force(g->resource_id, "330100-MZJ", "低保核对"));
  EXPECT_FALSE(store_->grant_in_force(g->resource_id, "330100-MZJ", "其他用途"));
  EXPECT_TRUE(store_->holds_any_grant(g->resource_id, "330100-MZJ"));
  EXPECT_FALSE(store_->grant_in_force(g->resource_id, "330100-RSJ", "低保核对"));

  EXPECT_FALSE(store_->revoke(g->id, "", "gaj.head").ok()) << "a reason is required";
  auto revoked = store_->revoke(g->id, "核对结束", "gaj.head");
  ASSERT_TRUE(revoked.ok());
  EXPECT_FALSE(revoked->active_at(clock_.now()));
  EXPECT_EQ(revoked->revoke_reason, "核对结束");
  EXPECT_FALSE(store_->grant_in_force(g->resource_id, "330100-MZJ", "低保核对"));
  EXPECT_EQ(store_->revoke(g->id, "again", "gaj.head").error().code, ErrorCode::conflict);

  EXPECT_FALSE(store_->grant_directly("gaj.secret", "330100-MZJ", {"id_number"}, {}, "x用途", std::nullopt, "ops").ok());
  EXPECT_FALSE(
      store_->grant_directly("gaj.population", "330100-MZJ", {"id_number"}, {}, "过去", clock_.now() - hours(1), "ops").ok());

  GrantQuery consumer;
  consumer.consumer_org = "330100-MZJ";
  EXPECT_EQ(store_->grants(consumer).items.size(), 1u);
  consumer.active = true;
  EXPECT_TRUE(store_->grants(consumer).items.empty());
  GrantQuery provider;
  provider.provider_org = "330100-GAJ";
  provider.active = false;
  ASSERT_EQ(store_->grants(provider).items.size(), 1u);
  EXPECT_EQ(store_->grants(provider).items[0].resource_name, "人口");
}

TEST_P(SharingStoreTest, UnansweredApplicationsEscalateAfterTheirDueDay) {
  auto a = store_->request(ask("gaj.population", {"id_number"}));
  ASSERT_TRUE(a.ok());
  auto b = store_->request(ask("gaj.population", {"id_number"}, {}, "另一用途"));
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(store_->withdraw(b->application->id, "mzj.clerk").ok());

  clock_.set(TimePoint(sys_days(year{2025} / January / 17) + hours(15)));  // the due day itself
  EXPECT_TRUE(store_->escalate_overdue().empty());
  clock_.set(TimePoint(sys_days(year{2025} / January / 17) + hours(17)));  // 18 Jan, 01:00 in Hangzhou
  auto escalated = store_->escalate_overdue();
  ASSERT_EQ(escalated.size(), 1u) << "the withdrawn one is no one's to answer";
  EXPECT_EQ(escalated[0].id, a->application->id);
  EXPECT_TRUE(escalated[0].escalated_at);
  EXPECT_TRUE(store_->escalate_overdue().empty()) << "once";

  ApplicationQuery q;
  q.escalated = true;
  EXPECT_EQ(store_->applications(q).items.size(), 1u);

  ShareDecision centre;
  centre.approve = true;
  centre.as_centre = true;
  centre.actor = "sjzyj.officer";
  auto decided = store_->decide(a->application->id, centre);
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_EQ(decided->decided_by, "sjzyj.officer");
}

TEST_P(SharingStoreTest, ListsPageNewestFirst) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(store_->request(ask("gaj.population", {"id_number"}, {}, ("用途" + std::to_string(i)).c_str())).ok());
  ApplicationQuery q;
  q.consumer_org = "330100-MZJ";
  q.limit = 2;
  std::vector<std::int64_t> seen;
  for (int pages = 0; pages < 5; ++pages) {
    auto page = store_->applications(q);
    for (const auto& a : page.items) seen.push_back(a.id);
    if (!page.next_cursor) break;
    q.before_id = page.next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::int64_t>{5, 4, 3, 2, 1}));
}

ZHENGWU_STORAGE_TEST_SUITE(SharingStoreTest);

}  // namespace
}  // namespace zhengwu::data
