// Accounts, sign-in, lockout, sessions, second factor and grants on both engines.
#include <gtest/gtest.h>

#include "kernel/auth/identity.hpp"
#include "kernel/auth/recovery_codes.hpp"
#include "kernel/auth/totp.hpp"
#include "kernel/db/migrations.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::auth {
namespace {

using namespace std::chrono_literals;

class IdentityTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), auth_migrations(), clock_);
    IdentityOptions options;
    options.argon2 = {1, 1024, 1};  // light parameters: the tests hash many passwords
    identity_ = std::make_unique<Identity>(db(), clock_, options);
    identity_->ensure_builtin_roles();
    // Sealing that is visibly reversible is enough here; field encryption has its own tests.
    identity_->set_secret_sealer({[](std::string_view p) { return "sealed:" + std::string(p); },
                                  [](std::string_view s) -> std::optional<std::string> {
                                    if (s.substr(0, 7) != "sealed:") return std::nullopt;
                                    return std::string(s.substr(7));
                                  }});
    OrgDirectory orgs(db(), clock_);
    ASSERT_TRUE(orgs.create({"330100", "杭州市", "city", std::nullopt, "330100"}).ok());
    ASSERT_TRUE(orgs.create({"330100-GA", "杭州市公安局", "government_department", "330100", {}}).ok());
    ASSERT_TRUE(orgs.create({"330100-MZ", "杭州市民政局", "government_department", "330100", {}}).ok());
  }
  User staff(const std::string& name, const std::string& org = "330100-GA") {
    auto u = identity_->create_user({name, name, "staff", org, "科员", {}, {}, kPassword, false});
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().message);
    return u.ok() ? *u : User{};
  }
  Result<LoginResult> login(const std::string& name, const std::string& password,
                            std::optional<std::string> totp = std::nullopt) {
    return identity_->login({name, password, totp, std::nullopt, "127.0.0.1", "test"});
  }
  Result<LoginResult> login_with_recovery(const std::string& name, const std::string& code) {
    return identity_->login({name, kPassword, std::nullopt, code, "127.0.0.1", "test"});
  }

  static constexpr const char* kPassword = "Zhengwu#2026";
  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
  std::unique_ptr<Identity> identity_;
};

TEST_P(IdentityTest, CreateAccountsWithValidation) {
  auto u = staff("wang.fang");
  EXPECT_EQ(u.org_code, "330100-GA");
  auto citizen = identity_->create_user({"zhang.san", "张三", "citizen", {}, {}, "11010519491231002x", {}, kPassword, false});
  ASSERT_TRUE(citizen.ok()) << citizen.error().message;
  EXPECT_EQ(citizen->id_number, "11010519491231002X");

  struct Row {
    NewUser input;
    std::string field;
  };
  const std::vector<Row> rows{
      {{"ab", "x", "staff", "330100-GA", {}, {}, {}, kPassword}, "username"},
      {{"has space", "x", "staff", "330100-GA", {}, {}, {}, kPassword}, "username"},
      {{"okname", "", "staff", "330100-GA", {}, {}, {}, kPassword}, "display_name"},
      {{"okname", "x", "robot", "330100-GA", {}, {}, {}, kPassword}, "kind"},
      {{"okname", "x", "staff", "nowhere", {}, {}, {}, kPassword}, "org"},
      {{"okname", "x", "staff", {}, {}, {}, {}, kPassword}, "org"},
      {{"okname", "x", "staff", "330100-GA", {}, {}, {}, "short"}, "password"},
      {{"okname", "x", "staff", "330100-GA", {}, {}, {}, "alllowercaseletters"}, "password"},
      {{"okname", "x", "citizen", {}, {}, {}, {}, kPassword}, "id_number"},
      {{"okname", "x", "citizen", {}, {}, "110105194912310021", {}, kPassword}, "id_number"},
      {{"okname", "x", "enterprise", {}, {}, {}, {}, kPassword}, "uscc"},
      {{"wang.fang", "x", "staff", "330100-GA", {}, {}, {}, kPassword}, "username"},
  };
  for (const auto& r : rows) {
    auto res = identity_->create_user(r.input);
    ASSERT_FALSE(res.ok()) << r.field;
    ASSERT_FALSE(res.error().fields.empty()) << res.error().message;
    EXPECT_EQ(res.error().fields[0].field, r.field) << res.error().message;
  }
}

TEST_P(IdentityTest, SignInAndSessionLifetime) {
  auto u = staff("li.na");
  auto r = login("li.na", kPassword);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->token.size(), 64u);
  EXPECT_EQ(r->user.id, u.id);
  // The token itself is not in the database.
  EXPECT_EQ(db().query("SELECT count(*) FROM sessions WHERE token_hash = ?", {r->token})[0].get<int>(0), 0);
  ASSERT_TRUE(identity_->authenticate(r->token).ok());
  clock_.advance(29min);
  ASSERT_TRUE(identity_->authenticate(r->token).ok()) << "used within the idle time";
  clock_.advance(29min);
  ASSERT_TRUE(identity_->authenticate(r->token).ok());
  clock_.advance(31min);
  EXPECT_EQ(identity_->authenticate(r->token).error().code, ErrorCode::unauthorized) << "idle for 31 minutes";

  auto again = login("li.na", kPassword);
  for (int i = 0; i < 12 * 4; ++i) {  // used every 15 minutes, still ends after 12 hours
    clock_.advance(15min);
    if (!identity_->authenticate(again->token).ok()) {
      EXPECT_GE(i, 12 * 4 - 2);
      break;
    }
  }
  EXPECT_FALSE(identity_->authenticate(again->token).ok());
}

TEST_P(IdentityTest, LogoutAndRevocation) {
  staff("li.na");
  auto a = login("li.na", kPassword);
  auto b = login("li.na", kPassword);
  EXPECT_EQ(identity_->sessions_of(a->user.id).size(), 2u);
  ASSERT_TRUE(identity_->logout(a->token).ok());
  EXPECT_FALSE(identity_->authenticate(a->token).ok());
  EXPECT_TRUE(identity_->authenticate(b->token).ok());
  ASSERT_TRUE(identity_->revoke_session(b->user.id, b->session.id, "signed out by the user").ok());
  EXPECT_FALSE(identity_->authenticate(b->token).ok());
  EXPECT_EQ(identity_->revoke_session(b->user.id, b->session.id, "again").error().code, ErrorCode::not_found);
  EXPECT_TRUE(identity_->sessions_of(a->user.id).empty());
  EXPECT_FALSE(identity_->authenticate("not-a-token").ok());
  EXPECT_FALSE(identity_->authenticate(std::string(64, 'a')).ok());
}

TEST_P(IdentityTest, WrongPasswordsLockTheAccount) {
  staff("zhao.lei");
  for (int i = 0; i < 4; ++i) {
    auto r = login("zhao.lei", "Wrong#Pass1");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "wrong user name or password");
  }
  auto fifth = login("zhao.lei", "Wrong#Pass1");
  EXPECT_NE(fifth.error().message.find("locked"), std::string::npos);
  auto right_but_locked = login("zhao.lei", kPassword);
  ASSERT_FALSE(right_but_locked.ok());
  EXPECT_NE(right_but_locked.error().message.find("locked"), std::string::npos);
  clock_.advance(16min);
  EXPECT_TRUE(login("zhao.lei", kPassword).ok());
  // Unknown users get the same answer as wrong passwords.
  EXPECT_EQ(login("nobody.here", kPassword).error().message, "wrong user name or password");
  auto attempts = db().query("SELECT outcome, count(*) AS n FROM login_attempts GROUP BY outcome ORDER BY outcome");
  std::map<std::string, int> by;
  for (const auto& row : attempts) by[row.get<std::string>("outcome")] = row.get<int>("n");
  EXPECT_EQ(by["failure"], 6);
  EXPECT_EQ(by["refused"], 1);
  EXPECT_EQ(by["success"], 1);
}

TEST_P(IdentityTest, AdministratorUnlocksAndResets) {
  auto u = staff("zhao.lei");
  for (int i = 0; i < 5; ++i) (void)login("zhao.lei", "Wrong#Pass1");
  EXPECT_TRUE(identity_->user(u.id)->locked);
  ASSERT_TRUE(identity_->unlock(u.id).ok());
  EXPECT_TRUE(login("zhao.lei", kPassword).ok());
  ASSERT_TRUE(identity_->reset_password(u.id, "Reset#Pass2026").ok());
  auto after = login("zhao.lei", "Reset#Pass2026");
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->user.must_change_password);
  EXPECT_EQ(identity_->change_password(u.id, "Wrong#Pass1", "New#Pass2026x").error().fields[0].field, "old_password");
  EXPECT_EQ(identity_->change_password(u.id, "Reset#Pass2026", "weak").error().fields[0].field, "new_password");
  ASSERT_TRUE(identity_->change_password(u.id, "Reset#Pass2026", "New#Pass2026x").ok());
  EXPECT_FALSE(identity_->user(u.id)->must_change_password);
  ASSERT_TRUE(identity_->set_disabled(u.id, true).ok());
  EXPECT_FALSE(identity_->authenticate(after->token).ok()) << "disabling ends live sessions";
  EXPECT_FALSE(login("zhao.lei", "New#Pass2026x").ok());
}

TEST_P(IdentityTest, PasswordsExpire) {
  auto u = staff("old.timer");
  EXPECT_FALSE(identity_->user(u.id)->must_change_password);
  clock_.advance(std::chrono::days(91));
  EXPECT_TRUE(identity_->user(u.id)->must_change_password);
}

TEST_P(IdentityTest, SecondFactor) {
  auto u = staff("sys.admin");
  auto secret = new_totp_secret();
  auto b32 = encode_base32(secret);
  EXPECT_EQ(identity_->enroll_totp(u.id, b32, "000000").error().fields[0].field, "code");
  ASSERT_TRUE(identity_->enroll_totp(u.id, b32, totp_code(secret, clock_.now())).ok());
  auto without = login("sys.admin", kPassword);
  ASSERT_FALSE(without.ok());
  EXPECT_EQ(without.error().fields[0].field, "totp");
  clock_.advance(30s);
  auto code = totp_code(secret, clock_.now());
  EXPECT_TRUE(login("sys.admin", kPassword, code).ok());
  auto replay = login("sys.admin", kPassword, code);
  ASSERT_FALSE(replay.ok()) << "a code is good once";
  EXPECT_NE(replay.error().message.find("used already"), std::string::npos);
  clock_.advance(30s);
  EXPECT_FALSE(login("sys.admin", kPassword, "123456").ok());
  EXPECT_TRUE(login("sys.admin", kPassword, totp_code(secret, clock_.now())).ok());
  // The secret is stored sealed, never as the base32 text.
  auto stored = db().query("SELECT totp_secret FROM users WHERE id = ?", {u.id})[0].get<std::string>(0);
  EXPECT_EQ(stored.rfind("sealed:", 0), 0u);
}

// Recovery codes stand in for the authenticator once each; every refusal names the
// field and counts towards the lockout; a new enrolment or a renewal voids the old set.
TEST_P(IdentityTest, RecoveryCodes) {
  auto u = staff("sec.admin");
  auto secret = new_totp_secret();
  auto codes = identity_->enroll_totp(u.id, encode_base32(secret), totp_code(secret, clock_.now()));
  ASSERT_TRUE(codes.ok()) << codes.error().message;
  ASSERT_EQ(codes->size(), kRecoveryCodeCount);
  EXPECT_EQ(identity_->user(u.id)->recovery_codes_left, kRecoveryCodeCount);
  // Only keyed hashes are stored.
  auto stored = db().query("SELECT recovery_codes FROM users WHERE id = ?", {u.id})[0].get<std::string>(0);
  for (const auto& c : *codes) EXPECT_EQ(stored.find(c), std::string::npos);

  struct Case {
    const char* name;
    std::string code;
    bool ok;
  };
  const std::string first = (*codes)[0];
  std::string upper = (*codes)[1];
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const std::vector<Case> cases{
      {"a fresh code", first, true},
      {"the same code again", first, false},
      {"typed in capitals without dashes", [&] { std::string x = upper; std::erase(x, '-'); return x; }(), true},
      {"a code of another set", "abcd-efgh-ijkm", false},
      {"malformed", "not-a-code", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = login_with_recovery("sec.admin", c.code);
    EXPECT_EQ(r.ok(), c.ok);
    if (!r.ok()) {
      ASSERT_FALSE(r.error().fields.empty());
      EXPECT_EQ(r.error().fields[0].field, "recovery_code");
    }
    ASSERT_TRUE(identity_->unlock(u.id).ok());  // the failures above count; keep the account open
  }
  EXPECT_EQ(identity_->user(u.id)->recovery_codes_left, kRecoveryCodeCount - 2);
  auto attempts = identity_->login_attempts(0, 20);
  EXPECT_TRUE(std::any_of(attempts.begin(), attempts.end(),
                          [](const auto& a) { return a.reason == "recovery code used; 8 left"; }));

  // Five wrong codes lock the account like five wrong passwords.
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(login_with_recovery("sec.admin", "abcd-efgh-ijkm").ok());
  EXPECT_TRUE(identity_->user(u.id)->locked);
  ASSERT_TRUE(identity_->unlock(u.id).ok());

  // Renewal needs a current code from the app; the old set then stops working.
  EXPECT_EQ(identity_->regenerate_recovery_codes(u.id, "000000").error().fields[0].field, "code");
  clock_.advance(30s);
  auto renewed = identity_->regenerate_recovery_codes(u.id, totp_code(secret, clock_.now()));
  ASSERT_TRUE(renewed.ok()) << renewed.error().message;
  EXPECT_FALSE(login_with_recovery("sec.admin", (*codes)[2]).ok()) << "the old set is void";
  EXPECT_TRUE(login_with_recovery("sec.admin", (*renewed)[0]).ok());

  // Without a second factor there is nothing to renew.
  auto plain = staff("plain.clerk");
  EXPECT_EQ(identity_->regenerate_recovery_codes(plain.id, "123456").error().code, ErrorCode::unprocessable);
}

TEST_P(IdentityTest, RealNameLevelsOfCitizens) {
  NewUser in{"wang.wu", "王五", "citizen", {}, {}, "11010519491231002X", {}, kPassword, false};
  in.real_name_level = 2;
  auto citizen = identity_->create_user(in);
  ASSERT_TRUE(citizen.ok()) << citizen.error().message;
  EXPECT_EQ(citizen->real_name_level, 2);
  struct Case {
    int level;
    bool ok;
  };
  for (const auto& c : std::vector<Case>{{1, true}, {3, true}, {0, false}, {4, false}, {-1, false}}) {
    SCOPED_TRACE(c.level);
    auto s = identity_->set_real_name_level(citizen->id, c.level);
    EXPECT_EQ(s.ok(), c.ok);
    if (!s.ok()) {
      EXPECT_EQ(s.error().fields[0].field, "level");
    }
  }
  EXPECT_EQ(identity_->user(citizen->id)->real_name_level, 3);
  auto clerk = staff("li.clerk");
  EXPECT_EQ(clerk.real_name_level, 0) << "staff have none";
  EXPECT_EQ(identity_->set_real_name_level(clerk.id, 2).error().code, ErrorCode::unprocessable);
  in.username = "zhao.liu";
  in.id_number = "330106198805121237";
  in.real_name_level = 5;
  EXPECT_EQ(identity_->create_user(in).error().fields[0].field, "real_name_level");
}

TEST_P(IdentityTest, AdministratorResetsALostSecondFactor) {
  auto u = staff("lost.phone");
  auto secret = new_totp_secret();
  ASSERT_TRUE(identity_->enroll_totp(u.id, encode_base32(secret), totp_code(secret, clock_.now())).ok());
  clock_.advance(30s);
  auto session = login("lost.phone", kPassword, totp_code(secret, clock_.now()));
  ASSERT_TRUE(session.ok());
  ASSERT_TRUE(identity_->reset_second_factor(u.id).ok());
  auto after = identity_->user(u.id);
  EXPECT_FALSE(after->totp_enrolled);
  EXPECT_EQ(after->recovery_codes_left, 0u);
  EXPECT_FALSE(identity_->authenticate(session->token).ok()) << "its sessions end";
  EXPECT_TRUE(login("lost.phone", kPassword).ok()) << "the password alone signs in again";
  EXPECT_EQ(identity_->reset_second_factor(999999).error().code, ErrorCode::not_found);
}

TEST_P(IdentityTest, GrantsAndSeparationOfDuties) {
  auto u = staff("chen.jing");
  auto g = identity_->grant(u.id, kSystemAdmin, "330100", true, std::nullopt);
  ASSERT_TRUE(g.ok()) << g.error().message;
  auto second = identity_->grant(u.id, kSecurityAdmin, "330100", true, std::nullopt);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::conflict);
  EXPECT_NE(second.error().message.find("三权分立"), std::string::npos);
  EXPECT_EQ(identity_->grant(u.id, "no_such_role", "330100", true, {}).error().fields[0].field, "role");
  EXPECT_EQ(identity_->grant(u.id, kSystemAdmin, "nowhere", true, {}).error().fields[0].field, "org");

  std::vector<std::unique_ptr<Role>> roles;
  auto access = identity_->access_of(u.id, roles);
  EXPECT_TRUE(can(access, "user.manage", ""));
  EXPECT_FALSE(can(access, "audit.read", ""));
  EXPECT_FALSE(can(access, "role.manage", ""));

  auto clerk_role = identity_->create_role("police_clerk", "民警", {"org.read"});
  ASSERT_TRUE(clerk_role.ok()) << clerk_role.error().message;
  EXPECT_EQ(identity_->create_role("bad", "x", {"no.such.permission"}).error().fields[0].field, "permissions[0]");
  auto clerk = staff("liu.yang");
  ASSERT_TRUE(identity_->grant(clerk.id, "police_clerk", "330100-GA", false, {}).ok());
  std::vector<std::unique_ptr<Role>> r2;
  auto a2 = identity_->access_of(clerk.id, r2);
  auto police = db().query("SELECT path FROM orgs WHERE code = '330100-GA'")[0].get<std::string>(0);
  auto civil = db().query("SELECT path FROM orgs WHERE code = '330100-MZ'")[0].get<std::string>(0);
  EXPECT_TRUE(can(a2, "org.read", police));
  EXPECT_FALSE(can(a2, "org.read", civil));
  EXPECT_EQ(identity_->set_role_permissions(identity_->role_by_code(kAuditAdmin)->id, {"user.manage"}).error().code,
            ErrorCode::conflict);
  ASSERT_TRUE(identity_->revoke_grant(g->id).ok());
  EXPECT_TRUE(identity_->grant(u.id, kSecurityAdmin, "330100", true, {}).ok()) << "after the revocation it may";
}

TEST_P(IdentityTest, ListingFiltersByOrgAndText) {
  staff("a.police", "330100-GA");
  staff("b.police", "330100-GA");
  staff("c.civil", "330100-MZ");
  auto police_path = db().query("SELECT path FROM orgs WHERE code = '330100-GA'")[0].get<std::string>(0);
  EXPECT_EQ(identity_->list_users(police_path, "", "", 10).size(), 2u);
  EXPECT_EQ(identity_->list_users("", "civil", "", 10).size(), 1u);
  auto page1 = identity_->list_users("", "", "", 2);
  ASSERT_EQ(page1.size(), 2u);
  auto page2 = identity_->list_users("", "", page1.back().username, 2);
  ASSERT_EQ(page2.size(), 1u);
  EXPECT_EQ(page2[0].username, "c.civil");
}

ZHENGWU_STORAGE_TEST_SUITE(IdentityTest);

}  // namespace
}  // namespace zhengwu::auth
