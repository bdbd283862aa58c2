// The access check and the separation of the three administrator roles, as tables.
#include <gtest/gtest.h>

#include "kernel/auth/access_policy.hpp"

namespace zhengwu::auth {
namespace {

// City 1 → 公安局 4 → 户政处 17;  City 1 → 西湖区 5 → 北山街道 23.
const std::string kCity = "/1/", kPolice = "/1/4/", kHukou = "/1/4/17/", kXihu = "/1/5/", kBeishan = "/1/5/23/";

TEST(AccessPolicy, PathIds) {
  EXPECT_EQ(path_ids("/1/4/17/"), (std::vector<std::int64_t>{1, 4, 17}));
  EXPECT_EQ(path_ids(""), (std::vector<std::int64_t>{}));
  EXPECT_EQ(path_ids("/x/2/"), (std::vector<std::int64_t>{2}));
}

TEST(AccessPolicy, CanTable) {
  Role clerk{1, "clerk", "办事员", AdminKind::none, {"case.read", "case.handle"}, false};
  Role head{2, "head", "负责人", AdminKind::none, {"case.read", "case.approve"}, false};
  ActorAccess police_clerk{10, {{&clerk, 4, true}}};
  ActorAccess hukou_head_only{11, {{&head, 17, false}}};
  ActorAccess nobody{12, {}};
  ActorAccess two_places{13, {{&clerk, 17, false}, {&head, 5, true}}};

  struct Row {
    const char* name;
    const ActorAccess* actor;
    std::string permission;
    std::string org_path;
    bool expected;
  };
  const std::vector<Row> rows{
      {"own org", &police_clerk, "case.read", kPolice, true},
      {"subtree", &police_clerk, "case.read", kHukou, true},
      {"parent is not covered", &police_clerk, "case.read", kCity, false},
      {"other department", &police_clerk, "case.read", kXihu, false},
      {"other department's child", &police_clerk, "case.read", kBeishan, false},
      {"permission the role lacks", &police_clerk, "case.approve", kPolice, false},
      {"without subtree: own org", &hukou_head_only, "case.approve", kHukou, true},
      {"without subtree: never above", &hukou_head_only, "case.approve", kPolice, false},
      {"no grants", &nobody, "case.read", kPolice, false},
      {"anywhere: held somewhere", &police_clerk, "case.handle", "", true},
      {"anywhere: not held", &nobody, "case.handle", "", false},
      {"second grant covers", &two_places, "case.approve", kBeishan, true},
      {"first grant without subtree", &two_places, "case.read", kHukou, true},
      {"first grant does not reach the parent", &two_places, "case.handle", kPolice, false},
      {"malformed path", &police_clerk, "case.read", "garbage", false},
  };
  for (const auto& r : rows) EXPECT_EQ(can(*r.actor, r.permission, r.org_path), r.expected) << r.name;
}

TEST(AccessPolicy, AdministratorRolesAreKeptApart) {
  Role sys{1, "sys_admin", "系统管理员", AdminKind::system, {"user.manage"}, true};
  Role sec{2, "sec_admin", "安全管理员", AdminKind::security, {"role.manage"}, true};
  Role aud{3, "audit_admin", "审计管理员", AdminKind::audit, {"audit.read"}, true};
  Role clerk{4, "clerk", "办事员", AdminKind::none, {"case.read"}, false};
  struct Row {
    const char* name;
    const Role* giving;
    std::vector<const Role*> held;
    bool allowed;
  };
  const std::vector<Row> rows{
      {"first admin role", &sys, {}, true},
      {"same admin role again (other org)", &sys, {&sys}, true},
      {"system + security", &sec, {&sys}, false},
      {"security + audit", &aud, {&sec}, false},
      {"audit + system", &sys, {&aud}, false},
      {"ordinary role beside an admin role", &clerk, {&sys}, true},
      {"admin role beside ordinary roles", &aud, {&clerk}, true},
  };
  for (const auto& r : rows) {
    auto s = check_admin_separation(*r.giving, r.held);
    EXPECT_EQ(s.ok(), r.allowed) << r.name;
    if (!s.ok()) {
      EXPECT_EQ(s.error().code, ErrorCode::conflict);
      EXPECT_NE(s.error().message.find("三权分立"), std::string::npos);
    }
  }
}

TEST(AccessPolicy, PermissionNames) {
  for (const char* ok : {"org.manage", "catalog.resource.publish", "audit.read", "a1_b.c"})
    EXPECT_TRUE(valid_permission_name(ok)) << ok;
  for (const char* bad : {"", ".org", "org.", "org..manage", "Org.Manage", "org manage", "组织.管理"})
    EXPECT_FALSE(valid_permission_name(bad)) << bad;
}

TEST(AccessPolicy, AdminKindNames) {
  for (auto k : {AdminKind::none, AdminKind::system, AdminKind::security, AdminKind::audit})
    EXPECT_EQ(admin_kind_from_string(to_string(k)), k);
  EXPECT_FALSE(admin_kind_from_string("root").has_value());
}

}  // namespace
}  // namespace zhengwu::auth
