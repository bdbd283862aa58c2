// Enterprise profiles and authorised agents on both engines: validation of the profile,
// masking of the legal representative's ID number, every refusal of an authorisation,
// validity windows on a manual clock, revocation and paging.
#include <gtest/gtest.h>

#include "kernel/auth/enterprise.hpp"
#include "kernel/auth/identity.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/db/migrations.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::auth {
namespace {

using namespace std::chrono_literals;

// A well-formed GB 11643 number of 西湖区 (check character 9), and its 15-digit legacy form.
constexpr const char* kRepId = "330106197506142519";
constexpr const char* kRepId15 = "330106750614251";

class EnterpriseTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), auth_migrations(), clock_);
    IdentityOptions options;
    options.argon2 = {1, 1024, 1};
    identity_ = std::make_unique<Identity>(db(), clock_, options);
    identity_->ensure_builtin_roles();
    OrgDirectory orgs(db(), clock_);
    ASSERT_TRUE(orgs.create({"330100", "杭州市", "city", std::nullopt, "330100"}).ok());
    registry_ = std::make_unique<EnterpriseRegistry>(db(), clock_, zone_);
    corp_a_ = account("corp.a", "enterprise");
    corp_b_ = account("corp.b", "enterprise");
    zhang_ = account("zhang.san", "citizen", "11010519491231002X");
    li_ = account("li.si", "citizen", "330106198805121237");
    gone_ = account("wang.wu", "citizen", "330102199003082343");
    ASSERT_TRUE(identity_->set_disabled(gone_, true).ok());
    staff_ = account("chen.ming", "staff");
  }

  std::int64_t account(const std::string& username, const std::string& kind, const char* id_number = nullptr) {
    NewUser in;
    in.username = username;
    in.display_name = username;
    in.kind = kind;
    in.password = "Zhengwu#2026";
    in.must_change_password = false;
    if (kind == "staff") in.org_code = "330100";
    if (kind == "enterprise") in.uscc = "91350100M000100Y43";
    if (id_number) in.id_number = id_number;
    auto u = identity_->create_user(in);
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().message);
    return u.ok() ? u->id : 0;
  }

  AgentGrantInput grant_to(std::string username, TimePoint until, std::optional<TimePoint> from = std::nullopt) {
    AgentGrantInput in;
    in.agent_username = std::move(username);
    in.scope = "代办企业登记";
    in.valid_from = from;
    in.valid_until = until;
    return in;
  }

  static EnterpriseProfileInput good_profile() { return {"杭州甲公司", "王建华", kRepId, "330106"}; }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};  // 2026-12-04T14:30:00+08:00
  TimeZone zone_ = TimeZone::fixed("UTC+8", std::chrono::hours(8));
  std::unique_ptr<Identity> identity_;
  std::unique_ptr<EnterpriseRegistry> registry_;
  std::int64_t corp_a_ = 0, corp_b_ = 0, zhang_ = 0, li_ = 0, gone_ = 0, staff_ = 0;
};

TEST_P(EnterpriseTest, ProfileRefusalsNameTheField) {
  struct Row {
    const char* what;
    EnterpriseProfileInput input;
    const char* field;
  };
  const std::string long_name(101, 'x');
  std::string long_rep;  // 51 characters, 153 bytes
  for (int i = 0; i < 51; ++i) long_rep += "王";
  const std::vector<Row> rows{
      {"empty name", {"", "王建华", kRepId, "330106"}, "name"},
      {"blank name", {"   ", "王建华", kRepId, "330106"}, "name"},
      {"name over 100 characters", {long_name, "王建华", kRepId, "330106"}, "name"},
      {"no legal representative", {"甲公司", "", kRepId, "330106"}, "legal_representative"},
      {"representative over 50 characters", {"甲公司", long_rep, kRepId, "330106"}, "legal_representative"},
      {"no ID number", {"甲公司", "王建华", "", "330106"}, "legal_representative_id_number"},
      {"wrong check character", {"甲公司", "王建华", "330106197506142518", "330106"}, "legal_representative_id_number"},
      {"letters", {"甲公司", "王建华", "33010619750614251A", "330106"}, "legal_representative_id_number"},
      {"17 digits", {"甲公司", "王建华", "33010619750614251", "330106"}, "legal_representative_id_number"},
      {"born in the future", {"甲公司", "王建华", "330106202801011234", "330106"}, "legal_representative_id_number"},
      {"no division", {"甲公司", "王建华", kRepId, ""}, "division_code"},
      {"division of 5 digits", {"甲公司", "王建华", kRepId, "33010"}, "division_code"},
      {"no such province", {"甲公司", "王建华", kRepId, "990106"}, "division_code"},
      {"county under prefecture 00", {"甲公司", "王建华", kRepId, "330006"}, "division_code"},
  };
  for (const auto& r : rows) {
    auto res = registry_->set_profile(corp_a_, r.input);
    ASSERT_FALSE(res.ok()) << r.what;
    EXPECT_EQ(res.error().code, ErrorCode::invalid) << r.what;
    ASSERT_FALSE(res.error().fields.empty()) << r.what << ": " << res.error().message;
    EXPECT_EQ(res.error().fields[0].field, r.field) << r.what << ": " << res.error().message;
  }
  EXPECT_FALSE(registry_->profile(corp_a_, corp_a_).ok()) << "nothing was stored";

  for (auto not_enterprise : {zhang_, staff_, std::int64_t{999999}}) {
    auto res = registry_->set_profile(not_enterprise, good_profile());
    ASSERT_FALSE(res.ok());
    EXPECT_EQ(res.error().code, ErrorCode::not_found);
    EXPECT_EQ(res.error().fields.at(0).field, "enterprise");
  }
}

TEST_P(EnterpriseTest, ProfileIsStoredNormalisedAndMaskedForOthers) {
  auto set = registry_->set_profile(corp_a_, {" 杭州甲公司 ", "王建华\t", kRepId15, "330106000000"});
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->legal_representative_id_number, kRepId) << "15 digits become 18";
  EXPECT_TRUE(set->id_number_converted);
  EXPECT_FALSE(set->id_number_masked);
  EXPECT_EQ(set->division_code, "330106") << "canonical form";
  EXPECT_EQ(set->uscc, "91350100M000100Y43");
  EXPECT_EQ(set->name, "杭州甲公司") << "stored without surrounding spaces";
  EXPECT_EQ(set->legal_representative, "王建华");

  struct Row {
    const char* viewer;
    std::int64_t viewer_id;
    const char* id_number;
    bool masked;
  };
  for (const auto& r : std::vector<Row>{{"the enterprise itself", corp_a_, kRepId, false},
                                        {"another enterprise", corp_b_, "330106********2519", true},
                                        {"a citizen", zhang_, "330106********2519", true},
                                        {"staff", staff_, "330106********2519", true},
                                        {"nobody signed in", 0, "330106********2519", true}}) {
    auto p = registry_->profile(corp_a_, r.viewer_id);
    ASSERT_TRUE(p.ok()) << r.viewer;
    EXPECT_EQ(p->legal_representative_id_number, r.id_number) << r.viewer;
    EXPECT_EQ(p->id_number_masked, r.masked) << r.viewer;
    EXPECT_EQ(p->name, "杭州甲公司");
  }

  // A second PUT replaces the profile.
  clock_.advance(1h);
  auto again = registry_->set_profile(corp_a_, {"杭州甲科技公司", "李四", "11010519491231002x", "330100"});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->legal_representative_id_number, "11010519491231002X") << "x is read as X";
  EXPECT_FALSE(again->id_number_converted);
  EXPECT_EQ(again->updated_at, clock_.now());
  auto seen = registry_->profile(corp_a_, corp_b_);
  EXPECT_EQ(seen->name, "杭州甲科技公司");
  EXPECT_EQ(seen->legal_representative_id_number, "110105********002X");

  // Another enterprise's profile is its own.
  EXPECT_EQ(registry_->profile(corp_b_, corp_b_).error().code, ErrorCode::not_found);
  EXPECT_EQ(registry_->profile(zhang_, zhang_).error().code, ErrorCode::not_found) << "a citizen has none";
}

TEST_P(EnterpriseTest, AuthorisationRefusals) {
  const auto now = clock_.now();
  const auto year = now + std::chrono::days(365);
  struct Row {
    const char* what;
    AgentGrantInput input;
    ErrorCode code;
    const char* field;
  };
  AgentGrantInput both = grant_to("zhang.san", year);
  both.agent_id = zhang_;
  AgentGrantInput neither = grant_to("", year);
  neither.agent_username.reset();
  AgentGrantInput by_id_staff = grant_to("", year);
  by_id_staff.agent_username.reset();
  by_id_staff.agent_id = staff_;
  AgentGrantInput no_scope = grant_to("zhang.san", year);
  no_scope.scope = " ";
  AgentGrantInput long_scope = grant_to("zhang.san", year);
  long_scope.scope = std::string(201, 'a');
  const std::vector<Row> rows{
      {"a staff account", grant_to("chen.ming", year), ErrorCode::invalid, "agent"},
      {"a staff account by id", by_id_staff, ErrorCode::invalid, "agent"},
      {"another enterprise", grant_to("corp.b", year), ErrorCode::invalid, "agent"},
      {"the enterprise itself", grant_to("corp.a", year), ErrorCode::invalid, "agent"},
      {"no such account", grant_to("nobody.here", year), ErrorCode::invalid, "agent"},
      {"a disabled citizen", grant_to("wang.wu", year), ErrorCode::invalid, "agent"},
      {"user name and id", both, ErrorCode::invalid, "agent"},
      {"neither user name nor id", neither, ErrorCode::invalid, "agent"},
      {"empty user name", grant_to("", year), ErrorCode::invalid, "agent"},
      {"blank scope", no_scope, ErrorCode::invalid, "scope"},
      {"scope over 200 characters", long_scope, ErrorCode::invalid, "scope"},
      {"valid_until in the past", grant_to("zhang.san", now - 1h), ErrorCode::invalid, "valid_until"},
      {"valid_until now", grant_to("zhang.san", now), ErrorCode::invalid, "valid_until"},
      {"valid_until before valid_from", grant_to("zhang.san", now + 2h, now + 3h), ErrorCode::invalid, "valid_until"},
      {"valid_until equal to valid_from", grant_to("zhang.san", now + 2h, now + 2h), ErrorCode::invalid, "valid_until"},
  };
  for (const auto& r : rows) {
    auto res = registry_->authorise_agent(corp_a_, r.input, corp_a_);
    ASSERT_FALSE(res.ok()) << r.what;
    EXPECT_EQ(res.error().code, r.code) << r.what << ": " << res.error().message;
    ASSERT_FALSE(res.error().fields.empty()) << r.what << ": " << res.error().message;
    EXPECT_EQ(res.error().fields[0].field, r.field) << r.what << ": " << res.error().message;
  }
  // "No such account" and "not a citizen" read the same, so the form tells nothing of
  // which accounts exist.
  EXPECT_EQ(registry_->authorise_agent(corp_a_, grant_to("nobody.here", year), corp_a_).error().message,
            registry_->authorise_agent(corp_a_, grant_to("chen.ming", year), corp_a_).error().message);
  EXPECT_TRUE(registry_->agents_of(corp_a_, std::nullopt, 50).items.empty()) << "nothing was stored";

  // Only an enterprise has agents.
  auto from_citizen = registry_->authorise_agent(li_, grant_to("zhang.san", year), li_);
  ASSERT_FALSE(from_citizen.ok());
  EXPECT_EQ(from_citizen.error().code, ErrorCode::not_found);
  EXPECT_EQ(from_citizen.error().fields.at(0).field, "enterprise");

  // At most one authorisation in force per pair; other pairs are independent.
  auto first = registry_->authorise_agent(corp_a_, grant_to("zhang.san", year), corp_a_);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto twice = registry_->authorise_agent(corp_a_, grant_to("zhang.san", now + 2h), corp_a_);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ErrorCode::conflict);
  EXPECT_EQ(twice.error().fields.at(0).field, "agent");
  AgentGrantInput same_by_id = grant_to("", year);
  same_by_id.agent_username.reset();
  same_by_id.agent_id = zhang_;
  EXPECT_EQ(registry_->authorise_agent(corp_a_, same_by_id, corp_a_).error().code, ErrorCode::conflict)
      << "the same citizen named by id";
  EXPECT_TRUE(registry_->authorise_agent(corp_b_, grant_to("zhang.san", year), corp_b_).ok()) << "another enterprise";
  EXPECT_TRUE(registry_->authorise_agent(corp_a_, grant_to("li.si", year), corp_a_).ok()) << "another citizen";
}

TEST_P(EnterpriseTest, AuthorisationDetails) {
  ASSERT_TRUE(registry_->set_profile(corp_a_, good_profile()).ok());
  auto until = clock_.now() + std::chrono::days(30);
  auto a = registry_->authorise_agent(corp_a_, grant_to("zhang.san", until), corp_a_);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->enterprise_id, corp_a_);
  EXPECT_EQ(a->enterprise_name, "杭州甲公司") << "the profile's name";
  EXPECT_EQ(a->enterprise_uscc, "91350100M000100Y43");
  EXPECT_EQ(a->agent_id, zhang_);
  EXPECT_EQ(a->agent_username, "zhang.san");
  EXPECT_EQ(a->scope, "代办企业登记");
  EXPECT_EQ(a->valid_from, clock_.now()) << "from now by default";
  EXPECT_EQ(a->valid_until, until);
  EXPECT_EQ(a->granted_at, clock_.now());
  EXPECT_EQ(a->granted_by, corp_a_);
  EXPECT_EQ(a->state, AgentState::live);
  EXPECT_FALSE(a->revoked_at);
  // Without a profile, the account's display name stands for the enterprise.
  auto b = registry_->authorise_agent(corp_b_, grant_to("zhang.san", until), std::nullopt);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->enterprise_name, "corp.b");
  EXPECT_FALSE(b->granted_by);
}

TEST_P(EnterpriseTest, ValidityWindowFollowsTheClock) {
  const auto start = clock_.now();
  auto a = registry_->authorise_agent(corp_a_, grant_to("zhang.san", start + 2h, start + 1h), corp_a_);
  ASSERT_TRUE(a.ok()) << a.error().message;

  struct Step {
    std::chrono::minutes at;  // after start
    AgentState state;
    bool represented;
  };
  for (const auto& s : std::vector<Step>{{0min, AgentState::pending, false},
                                         {59min, AgentState::pending, false},
                                         {60min, AgentState::live, true},
                                         {119min, AgentState::live, true},
                                         {120min, AgentState::expired, false},
                                         {24h, AgentState::expired, false}}) {
    clock_.set(start + s.at);
    SCOPED_TRACE(std::to_string(s.at.count()) + " minutes");
    EXPECT_EQ(registry_->authorisation(corp_a_, a->id)->state, s.state);
    EXPECT_EQ(registry_->agents_of(corp_a_, std::nullopt, 50).items.at(0).state, s.state);
    auto mine = registry_->represented_by(zhang_);
    EXPECT_EQ(mine.size(), s.represented ? 1u : 0u);
    if (s.represented) {
      EXPECT_EQ(mine.at(0).enterprise_id, corp_a_);
    }
    if (s.at < 120min) {
      // Pending or live, it blocks a second authorisation of the pair.
      EXPECT_EQ(registry_->authorise_agent(corp_a_, grant_to("zhang.san", start + 48h), corp_a_).error().code,
                ErrorCode::conflict);
    }
  }
  // Once expired, the pair may be authorised again; the old one stays listed.
  auto renewed = registry_->authorise_agent(corp_a_, grant_to("zhang.san", clock_.now() + 48h), corp_a_);
  ASSERT_TRUE(renewed.ok()) << renewed.error().message;
  auto listed = registry_->agents_of(corp_a_, std::nullopt, 50).items;
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].state, AgentState::live);
  EXPECT_EQ(listed[1].state, AgentState::expired);
  EXPECT_EQ(registry_->revoke_agent(corp_a_, a->id, "too late", corp_a_).error().code, ErrorCode::conflict)
      << "an expired authorisation cannot be revoked";
}

TEST_P(EnterpriseTest, RevokeWithReason) {
  auto a = registry_->authorise_agent(corp_a_, grant_to("zhang.san", clock_.now() + 24h), corp_a_);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(registry_->represented_by(zhang_).size(), 1u);

  for (const std::string& reason : {std::string(), std::string("  "), std::string(201, 'r')}) {
    auto r = registry_->revoke_agent(corp_a_, a->id, reason, corp_a_);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::invalid);
    EXPECT_EQ(r.error().fields.at(0).field, "reason");
  }
  auto not_mine = registry_->revoke_agent(corp_b_, a->id, "not mine", corp_b_);
  ASSERT_FALSE(not_mine.ok());
  EXPECT_EQ(not_mine.error().code, ErrorCode::not_found) << "another enterprise's authorisation looks missing";
  EXPECT_EQ(not_mine.error().fields.at(0).field, "id");
  EXPECT_EQ(registry_->authorisation(corp_b_, a->id).error().code, ErrorCode::not_found);
  EXPECT_EQ(registry_->revoke_agent(corp_a_, 424242, "no such", corp_a_).error().code, ErrorCode::not_found);

  clock_.advance(10min);
  auto r = registry_->revoke_agent(corp_a_, a->id, " 经办人已离职 ", corp_a_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->state, AgentState::revoked);
  EXPECT_EQ(r->revoked_reason, "经办人已离职");
  EXPECT_EQ(r->revoked_at, clock_.now());
  EXPECT_EQ(r->revoked_by, corp_a_);
  EXPECT_TRUE(registry_->represented_by(zhang_).empty()) << "revoked: no longer represented";
  auto again = registry_->revoke_agent(corp_a_, a->id, "again", corp_a_);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_EQ(again.error().fields.at(0).field, "id");
  clock_.advance(48h);
  EXPECT_EQ(registry_->authorisation(corp_a_, a->id)->state, AgentState::revoked) << "stays revoked after expiry";

  // After a revocation the pair may be authorised again.
  EXPECT_TRUE(registry_->authorise_agent(corp_a_, grant_to("zhang.san", clock_.now() + 24h), corp_a_).ok());
  EXPECT_EQ(registry_->represented_by(zhang_).size(), 1u);
}

TEST_P(EnterpriseTest, RepresentedEnterprisesAreLiveOnesOfEnabledEnterprises) {
  ASSERT_TRUE(registry_->set_profile(corp_a_, {"乙公司", "王建华", kRepId, "330106"}).ok());
  ASSERT_TRUE(registry_->set_profile(corp_b_, {"甲公司", "王建华", kRepId, "330106"}).ok());
  auto until = clock_.now() + 24h;
  ASSERT_TRUE(registry_->authorise_agent(corp_a_, grant_to("zhang.san", until), corp_a_).ok());
  ASSERT_TRUE(registry_->authorise_agent(corp_b_, grant_to("zhang.san", until), corp_b_).ok());
  ASSERT_TRUE(registry_->authorise_agent(corp_a_, grant_to("li.si", until), corp_a_).ok());
  auto mine = registry_->represented_by(zhang_);
  ASSERT_EQ(mine.size(), 2u);
  for (const auto& a : mine) EXPECT_EQ(a.agent_id, zhang_) << "only the citizen's own";
  EXPECT_EQ(registry_->represented_by(li_).size(), 1u);
  EXPECT_TRUE(registry_->represented_by(staff_).empty());

  // A disabled enterprise account cannot be acted for.
  ASSERT_TRUE(identity_->set_disabled(corp_b_, true).ok());
  mine = registry_->represented_by(zhang_);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].enterprise_id, corp_a_);
  EXPECT_EQ(mine[0].enterprise_name, "乙公司");
}

TEST_P(EnterpriseTest, AgentsArePagedNewestFirstPerEnterprise) {
  // Five authorisations of corp.a: the same pair granted and revoked repeatedly.
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    auto a = registry_->authorise_agent(corp_a_, grant_to(i % 2 ? "li.si" : "zhang.san", clock_.now() + 24h), corp_a_);
    ASSERT_TRUE(a.ok()) << a.error().message;
    ids.push_back(a->id);
    if (i < 3) {
      ASSERT_TRUE(registry_->revoke_agent(corp_a_, a->id, "rotation", corp_a_).ok());
    }
  }
  ASSERT_TRUE(registry_->authorise_agent(corp_b_, grant_to("zhang.san", clock_.now() + 24h), corp_b_).ok());

  std::vector<std::int64_t> seen;
  std::optional<std::int64_t> cursor;
  std::vector<std::size_t> sizes;
  do {
    auto page = registry_->agents_of(corp_a_, cursor, 2);
    sizes.push_back(page.items.size());
    for (const auto& a : page.items) {
      EXPECT_EQ(a.enterprise_id, corp_a_);
      seen.push_back(a.id);
    }
    cursor = page.next_before;
  } while (cursor);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));
  EXPECT_EQ(seen, (std::vector<std::int64_t>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
  auto all = registry_->agents_of(corp_a_, std::nullopt, 50).items;
  std::vector<AgentState> states;
  for (const auto& a : all) states.push_back(a.state);
  EXPECT_EQ(states, (std::vector<AgentState>{AgentState::live, AgentState::live, AgentState::revoked,
                                             AgentState::revoked, AgentState::revoked}));
  EXPECT_FALSE(registry_->agents_of(corp_a_, std::nullopt, 5).next_before) << "exactly one page";
  EXPECT_EQ(registry_->agents_of(corp_b_, std::nullopt, 50).items.size(), 1u);
}

ZHENGWU_STORAGE_TEST_SUITE(EnterpriseTest);

}  // namespace
}  // namespace zhengwu::auth
