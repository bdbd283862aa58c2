// Who may do what, where: permissions, roles, grants and the one check every route uses.
//
// A permission is a dotted name (`org.manage`, `catalog.resource.publish`). A role bundles
// permissions. A grant gives a user a role over one organisation, with or without its
// subtree. `can(actor, permission, org)` is true when some grant of the actor holds a
// role with that permission and covers `org`.
//
// The three administrator roles of graded protection level 3 (GB/T 22239-2019, 三权分立) —
// system, security and audit administrator — are mutually exclusive: no account holds
// two of them (`check_admin_separation`).
//
// Everything here is plain data and functions; storage is in access_store.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.hpp"

namespace zhengwu::auth {

// The administrator role kinds of 三权分立.
enum class AdminKind { none, system, security, audit };
std::string_view to_string(AdminKind k);
std::optional<AdminKind> admin_kind_from_string(std::string_view s);

struct PermissionInfo {
  std::string name;         // "org.manage"
  std::string description;  // shown in the role editor
};

struct Role {
  std::int64_t id = 0;
  std::string code;  // "sys_admin"
  std::string name;  // "系统管理员"
  AdminKind admin_kind = AdminKind::none;
  std::set<std::string, std::less<>> permissions;
  bool builtin = false;
};

struct Grant {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::int64_t role_id = 0;
  std::int64_t org_id = 0;
  bool include_subtree = true;
};

// The organisations an org lies under, itself included: its materialised path
// ("/1/4/17/" → {1, 4, 17}).
std::vector<std::int64_t> path_ids(std::string_view path);

// What the access check needs about one actor, loaded once per request.
struct ActorAccess {
  std::int64_t user_id = 0;
  struct Held {
    const Role* role;
    std::int64_t org_id;
    bool include_subtree;
  };
  std::vector<Held> held;
};

// True when one of the actor's grants holds `permission` and covers the organisation
// whose materialised path is `org_path` (its own id last). An empty `org_path` asks for
// the permission anywhere (a grant of it over any organisation suffices).
bool can(const ActorAccess& actor, std::string_view permission, std::string_view org_path);

// Refuses (ErrorCode::conflict, with a message naming both roles) giving `role` to a
// user who already holds another administrator kind.
Status check_admin_separation(const Role& role, const std::vector<const Role*>& held_roles);

// Permission names: lower-case dotted words ("org.manage", "catalog.resource.publish").
bool valid_permission_name(std::string_view name);

}  // namespace zhengwu::auth
