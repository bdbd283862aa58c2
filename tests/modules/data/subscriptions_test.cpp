// Push subscriptions: the retry schedule and the URL rule (table-driven), and on both
// engines the store and the delivery against a scripted receiver — signed payloads of
// the granted, masked changes after the cursor; an audit record before each send;
// backoff between failed attempts; a dead letter after the last one with the cursor
// moving on; manual redelivery; a revoked grant pausing delivery with its reason.
#include "modules/data/subscriptions.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "data_fixture.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/calendar/calendar_store.hpp"
#include "kernel/crypto/crypto.hpp"
#include "modules/data/record_store.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::data {
namespace {

namespace json = boost::json;
using namespace std::chrono;

TEST(SubscriptionRules, RetriesWaitLongerEachTimeUpToAnHour) {
  const DeliveryPolicy policy;  // 5 s, doubling, at most 1 h
  struct Row {
    int failures;
    seconds wait;
  };
  const std::vector<Row> rows{{0, 0s},   {1, 5s},    {2, 10s},   {3, 20s},   {4, 40s},   {5, 80s},
                              {6, 160s}, {7, 320s},  {8, 640s},  {10, 2560s}, {11, 3600s}, {40, 3600s}};
  for (const auto& r : rows) EXPECT_EQ(retry_delay(r.failures, policy), r.wait) << r.failures << " failures";
  DeliveryPolicy fast;
  fast.retry_base = milliseconds(200);
  EXPECT_EQ(retry_delay(3, fast), milliseconds(800));
  EXPECT_EQ(policy.max_attempts, 8);
}

TEST(SubscriptionRules, OnlyHttpAndHttpsAddressesAreTaken) {
  struct Row {
    std::string url;
    const char* says;  // nullptr: accepted
  };
  const std::vector<Row> rows{
      {"http://127.0.0.1:8091/hook", nullptr},
      {"http://rsj.internal/zhengwu/changes?x=1", nullptr},
      {"https://rsj.example.cn/hook", nullptr},
      {"https://[::1]:8443/hook", nullptr},
      {"ftp://rsj.example.cn/hook", "https:// or http://"},
      {"rsj.example.cn/hook", "absolute URL"},
      {"", "required"},
      {"http:///nohost", "no host"},
      {"http://user:pw@rsj.example.cn/hook", "user name"},
      {"http://rsj.example.cn/" + std::string(480, 'a'), "at most 500"},
  };
  for (const auto& r : rows) {
    auto s = check_subscription_url(r.url);
    if (!r.says) {
      EXPECT_TRUE(s.ok()) << r.url << ": " << s.error().message;
      continue;
    }
    ASSERT_FALSE(s.ok()) << r.url;
    EXPECT_EQ(s.error().fields.front().field, "url");
    EXPECT_NE(s.error().fields.front().message.find(r.says), std::string::npos)
        << r.url << ": " << s.error().fields.front().message;
  }
}

// A receiver that answers from a script: a status, or 0 for "no connection".
class ScriptedReceiver final : public PushTransport {
 public:
  struct Call {
    std::string url;
    std::map<std::string, std::string> headers;
    std::string body;
    std::size_t audited_before = 0;  // audit records when the payload left
  };
  PushAttempt post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                   const std::string& body, const std::function<Status()>& before_send) override {
    PushAttempt out;
    const int status = script.empty() ? 200 : script.front();
    if (!script.empty()) script.erase(script.begin());
    if (status == 0) {
      out.error = "cannot connect";
      return out;
    }
    out.connected = true;
    if (auto ready = before_send(); !ready) {
      out.error = ready.error().message;
      return out;
    }
    Call c{url, {}, body, audited ? audited->size() : 0};
    for (const auto& [k, v] : headers) c.headers[k] = v;
    calls.push_back(std::move(c));
    out.sent = true;
    out.status = status;
    if (!out.delivered()) out.error = "the receiver answered " + std::to_string(status);
    return out;
  }
  std::vector<int> script;
  std::vector<Call> calls;
  const std::vector<audit::Record>* audited = nullptr;
};

constexpr const char* kPurpose = "社会保险参保登记身份核验";

class SubscriptionStoreTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    test_support::prepare_data_tables(db(), clock_);
    if (HasFatalFailure()) return;
    db::apply_migrations(db(), sharing_migrations(), clock_);
    db::apply_migrations(db(), calendar::calendar_migrations(), clock_);
    db::apply_migrations(db(), subscription_migrations(), clock_);
    auth::OrgDirectory orgs(db(), clock_);
    ASSERT_TRUE(orgs.create({"330100-RSJ", "杭州市人力资源和社会保障局", "government_department", "330100", {}}).ok());
    calendar_ = std::make_unique<calendar::CalendarStore>(db(), clock_, calendar::WorkingHours::standard(), zone_);
    calendar_->load();
    catalog_ = std::make_unique<CatalogStore>(db(), clock_);
    auto spec = parse_resource_spec(json::parse(R"({"code": "gaj.population", "name": "户籍人口", "provider":
      "330100-GAJ", "category": "base", "share_type": "conditional", "open_type": "closed", "update_cycle": "daily",
      "publish": true, "fields": [
        {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
        {"name": "name", "label": "姓名", "type": "string", "sensitivity": "personal"},
        {"name": "phone", "label": "联系电话", "type": "phone", "sensitivity": "personal"}]})"));
    ASSERT_TRUE(spec.ok()) << spec.error().message;
    ASSERT_TRUE(catalog_->apply(*spec, "test").ok());
    resource_ = *catalog_->get("gaj.population");
    sharing_ = std::make_unique<SharingStore>(db(), clock_, zone_, *catalog_, *calendar_);
    auto grant = sharing_->grant_directly("gaj.population", "330100-RSJ", {"id_number", "name"}, {"id_number"},
                                          kPurpose, std::nullopt, "test");
    ASSERT_TRUE(grant.ok()) << grant.error().message;
    grant_id_ = grant->id;
    write({{"330106198805121237", "张三", "13905710001"}});
    sealer_ = {[](std::string_view plain) { return "sealed:" + std::string(plain); },
               [](std::string_view sealed) -> std::optional<std::string> {
                 if (!sealed.starts_with("sealed:")) return std::nullopt;
                 return std::string(sealed.substr(7));
               }};
    store_ = std::make_unique<SubscriptionStore>(db(), clock_, *catalog_, *sharing_, sealer_);
    receiver_.audited = &audited_;
    policy_.max_attempts = 3;
    delivery_ = std::make_unique<SubscriptionDelivery>(
        db(), clock_, zone_, *catalog_, *sharing_, sealer_,
        [this](audit::Record r) -> Status {
          audited_.push_back(std::move(r));
          return Status::success();
        },
        receiver_, policy_, "test-node");
  }

  void write(const std::vector<std::vector<std::optional<std::string>>>& rows) {
    std::vector<RecordValues> records;
    for (const auto& r : rows) records.push_back({r});
    auto tx = db().begin();
    RecordStore(db(), clock_).upsert(tx, resource_.id, resource_.spec.fields, records, "330100-GAJ", 1);
    tx.commit();
  }

  SubscriptionWithSecret subscribe() {
    auto made = store_->create({"gaj.population", "330100-RSJ", kPurpose, "http://127.0.0.1:9/hook", std::nullopt, "",
                                "rsj.clerk"});
    EXPECT_TRUE(made.ok()) << made.error().message;
    return *made;
  }

  Subscription reload(std::int64_t id) { return *store_->get(id); }

  // Friday 2025-01-03, 10:00 in Hangzhou.
  ManualClock clock_{TimePoint(sys_days(year{2025} / January / 3) + hours(2))};
  TimeZone zone_ = TimeZone::fixed("Asia/Shanghai", hours(8));
  std::unique_ptr<calendar::CalendarStore> calendar_;
  std::unique_ptr<CatalogStore> catalog_;
  CatalogResource resource_;
  std::unique_ptr<SharingStore> sharing_;
  std::int64_t grant_id_ = 0;
  auth::SecretSealer sealer_;
  std::unique_ptr<SubscriptionStore> store_;
  ScriptedReceiver receiver_;
  std::vector<audit::Record> audited_;
  DeliveryPolicy policy_;
  std::unique_ptr<SubscriptionDelivery> delivery_;
};

TEST_P(SubscriptionStoreTest, CreationNeedsAGrantForThePurposeAndAnHttpAddress) {
  auto made = subscribe();
  EXPECT_EQ(made.secret.size(), 64u);
  EXPECT_EQ(made.subscription.state, SubscriptionState::active);
  EXPECT_EQ(made.subscription.cursor, 1) << "changes from now on: the record written before is not pushed";
  EXPECT_EQ(delivery_health(made.subscription), "ok");

  struct Row {
    NewSubscription in;
    ErrorCode code;
    const char* says;
  };
  const std::vector<Row> rows{
      {{"gaj.population", "330100-RSJ", "就业失业登记", "http://127.0.0.1:9/", {}, "", "x"}, ErrorCode::forbidden, "purpose"},
      {{"gaj.population", "330100-MZJ", kPurpose, "http://127.0.0.1:9/", {}, "", "x"}, ErrorCode::forbidden, "no grant"},
      {{"gaj.population", "330100-RSJ", kPurpose, "ftp://127.0.0.1:9/", {}, "", "x"}, ErrorCode::invalid, "ftp"},
      {{"gaj.nothing", "330100-RSJ", kPurpose, "http://127.0.0.1:9/", {}, "", "x"}, ErrorCode::not_found, "gaj.nothing"},
  };
  for (const auto& r : rows) {
    auto out = store_->create(r.in);
    ASSERT_FALSE(out.ok()) << r.says;
    EXPECT_EQ(out.error().code, r.code) << out.error().message;
    std::string text = out.error().message;
    for (const auto& f : out.error().fields) text += " " + f.message;
    EXPECT_NE(text.find(r.says), std::string::npos) << text;
  }
  // The provider subscribes to its own resource without a grant.
  EXPECT_TRUE(store_->create({"gaj.population", "330100-GAJ", "户籍业务", "http://127.0.0.1:9/", {}, "", "gaj"}).ok());
}

TEST_P(SubscriptionStoreTest, DeliversSignedMaskedChangesAuditedBeforeTheyLeave) {
  auto made = subscribe();
  EXPECT_EQ(delivery_->run_due(), 0) << "nothing changed since the subscription";
  write({{"330102199003082343", "李四", "13905710002"}, {"330106198805121237", "张三丰", "13905710001"}});
  EXPECT_EQ(store_->pending_changes(reload(made.subscription.id)), 2);
  EXPECT_EQ(delivery_->run_due(), 1);
  ASSERT_EQ(receiver_.calls.size(), 1u);
  const auto& call = receiver_.calls[0];
  EXPECT_EQ(call.audited_before, 1u) << "the audit record is written before the payload leaves";
  // The receiver checks the signature with the secret it was shown.
  const auto expected =
      crypto::to_hex(crypto::hmac_sm3(made.secret, call.headers.at("X-Zw-Timestamp") + "\n" + call.body));
  EXPECT_EQ(call.headers.at("X-Zw-Signature"), expected);
  EXPECT_TRUE(call.headers.at("X-Zw-Delivery").starts_with("dlv_"));
  auto body = json::parse(call.body).as_object();
  EXPECT_EQ(body.at("subscription").as_int64(), made.subscription.id);
  EXPECT_EQ(body.at("resource").as_string(), "gaj.population");
  const auto& changes = body.at("changes").as_array();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].at("key").as_string(), "330102199003082343");
  const auto& record = changes[1].at("record").as_object();
  EXPECT_EQ(record.at("id_number").as_string(), "330106198805121237") << "granted in clear";
  EXPECT_EQ(record.at("name").as_string(), "张**") << "granted masked";
  EXPECT_FALSE(record.contains("phone")) << "not granted";
  EXPECT_EQ(changes[1].at("provenance").at("source_org").as_string(), "330100-GAJ");
  EXPECT_EQ(body.at("cursor").as_string(), std::to_string(changes[1].at("seq").as_int64()));

  ASSERT_EQ(audited_.size(), 1u);
  const auto& a = audited_[0];
  EXPECT_EQ(a.action, "exchange.read");
  EXPECT_EQ(a.actor_org, "330100-RSJ");
  EXPECT_EQ(a.purpose, kPurpose);
  EXPECT_EQ(a.object_id, "gaj.population");
  auto details = json::parse(a.details).as_object();
  EXPECT_EQ(details.at("grant").as_int64(), grant_id_);
  EXPECT_EQ(details.at("keys").as_array().size(), 2u);
  EXPECT_TRUE(details.at("subjects").as_object().contains("330102199003082343"));
  EXPECT_EQ(details.at("subscription").as_int64(), made.subscription.id);

  auto after = reload(made.subscription.id);
  EXPECT_EQ(after.cursor, changes[1].at("seq").as_int64());
  EXPECT_EQ(after.delivered, 1);
  EXPECT_EQ(after.last_status, 200);
  EXPECT_EQ(store_->pending_changes(after), 0);
  EXPECT_EQ(delivery_->run_due(), 0) << "nothing new";
}

TEST_P(SubscriptionStoreTest, FailedAttemptsBackOffThenTheLastOneMakesADeadLetter) {
  auto made = subscribe();
  const auto id = made.subscription.id;
  write({{"330102199003082343", "李四", std::nullopt}});
  receiver_.script = {500, 0, 503};
  EXPECT_EQ(delivery_->run_due(), 1);
  auto s = reload(id);
  EXPECT_EQ(s.attempts, 1);
  EXPECT_EQ(s.last_status, 500);
  EXPECT_EQ(delivery_health(s), "retrying");
  EXPECT_EQ(s.next_attempt_at, clock_.now() + seconds(5));
  EXPECT_EQ(s.cursor, 1) << "the cursor waits for a 2xx";
  EXPECT_EQ(delivery_->run_due(), 0) << "not due before its backoff";

  clock_.advance(seconds(5));
  EXPECT_EQ(delivery_->run_due(), 1);
  s = reload(id);
  EXPECT_EQ(s.attempts, 2);
  EXPECT_FALSE(s.last_status) << "no connection: no status";
  EXPECT_NE(s.last_error.find("connect"), std::string::npos);
  EXPECT_EQ(s.next_attempt_at, clock_.now() + seconds(10));
  EXPECT_EQ(audited_.size(), 1u) << "nothing left without a connection: nothing audited";

  clock_.advance(seconds(10));
  EXPECT_EQ(delivery_->run_due(), 1);
  s = reload(id);
  EXPECT_EQ(s.attempts, 0) << "given up after max_attempts (3 here)";
  EXPECT_EQ(s.cursor, 2) << "the cursor moves past the dead letter so later changes flow";
  EXPECT_EQ(s.dead_letters, 1);
  EXPECT_EQ(delivery_health(s), "dead_letters");
  ASSERT_EQ(receiver_.calls.size(), 2u);
  EXPECT_EQ(receiver_.calls[0].headers.at("X-Zw-Delivery"), receiver_.calls[1].headers.at("X-Zw-Delivery"))
      << "every attempt of one payload has the same delivery id";
  EXPECT_EQ(receiver_.calls[0].body, receiver_.calls[1].body);

  auto letters = store_->dead_letters(id, std::nullopt, 10);
  ASSERT_EQ(letters.items.size(), 1u);
  const auto& d = letters.items[0];
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(d.last_status, 503);
  EXPECT_EQ(d.from_seq, 1);
  EXPECT_EQ(d.to_seq, 2);
  EXPECT_EQ(d.records, 1);

  // Later changes flow again.
  write({{"330106198805121237", "张三", "13905710009"}});
  EXPECT_EQ(delivery_->run_due(), 1);
  EXPECT_EQ(reload(id).cursor, 3);

  // By hand: one attempt now, its outcome kept on the letter.
  receiver_.script = {502};
  auto again = delivery_->redeliver(d.id, "rsj.clerk");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->redeliveries, 1);
  EXPECT_EQ(again->redelivery_status, 502);
  EXPECT_FALSE(again->delivered_at);
  receiver_.script = {204};
  again = delivery_->redeliver(d.id, "rsj.clerk");
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->delivered_at);
  EXPECT_EQ(again->redelivered_by, "rsj.clerk");
  EXPECT_EQ(reload(id).dead_letters, 0);
  EXPECT_EQ(receiver_.calls.back().headers.at("X-Zw-Delivery"), d.delivery_id);
  auto twice = delivery_->redeliver(d.id, "rsj.clerk");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::conflict);
}

TEST_P(SubscriptionStoreTest, ARevokedGrantPausesDeliveryUntilAGrantIsInForceAgain) {
  auto made = subscribe();
  const auto id = made.subscription.id;
  ASSERT_TRUE(sharing_->revoke(grant_id_, "参保核验系统下线", "gaj.head").ok());
  write({{"330102199003082343", "李四", std::nullopt}});
  EXPECT_EQ(delivery_->run_due(), 0);
  auto s = reload(id);
  EXPECT_EQ(s.state, SubscriptionState::paused);
  EXPECT_EQ(s.paused_by, "system");
  EXPECT_NE(s.paused_reason.find("revoked"), std::string::npos) << s.paused_reason;
  EXPECT_NE(s.paused_reason.find("参保核验系统下线"), std::string::npos) << s.paused_reason;
  EXPECT_TRUE(receiver_.calls.empty());
  EXPECT_TRUE(audited_.empty());

  auto refused = store_->resume(id, "rsj.clerk");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::forbidden);

  ASSERT_TRUE(sharing_->grant_directly("gaj.population", "330100-RSJ", {"id_number"}, {"id_number"}, kPurpose,
                                       std::nullopt, "test")
                  .ok());
  auto resumed = store_->resume(id, "rsj.clerk");
  ASSERT_TRUE(resumed.ok()) << resumed.error().message;
  EXPECT_EQ(resumed->state, SubscriptionState::active);
  EXPECT_EQ(delivery_->run_due(), 1);
  ASSERT_EQ(receiver_.calls.size(), 1u);
  auto record = json::parse(receiver_.calls[0].body).at("changes").at(0).at("record").as_object();
  EXPECT_FALSE(record.contains("name")) << "under the new grant's fields";

  // Staff pause and cancel.
  auto paused = store_->pause(id, "rsj.clerk", "");
  ASSERT_TRUE(paused.ok());
  EXPECT_EQ(paused->paused_reason, "paused by rsj.clerk");
  auto cancelled = store_->cancel(id, "rsj.clerk");
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->state, SubscriptionState::cancelled);
  EXPECT_EQ(store_->resume(id, "rsj.clerk").error().code, ErrorCode::conflict);
  EXPECT_TRUE(store_->list({.org = "330100-RSJ"}).items.empty()) << "cancelled ones are left out by default";
  EXPECT_EQ(store_->list({.org = "330100-RSJ", .include_cancelled = true}).items.size(), 1u);
}

ZHENGWU_STORAGE_TEST_SUITE(SubscriptionStoreTest);

}  // namespace
}  // namespace zhengwu::data
