// Access checks as plain functions; see access_policy.hpp.
#include "kernel/auth/access_policy.hpp"

#include <charconv>

namespace zhengwu::auth {

std::string_view to_string(AdminKind k) {
  switch (k) {
    case AdminKind::none: return "none";
    case AdminKind::system: return "system";
    case AdminKind::security: return "security";
    case AdminKind::audit: return "audit";
  }
  return "none";
}

std::optional<AdminKind> admin_kind_from_string(std::string_view s) {
  if (s == "none" || s.empty()) return AdminKind::none;
  if (s == "system") return AdminKind::system;
  if (s == "security") return AdminKind::security;
  if (s == "audit") return AdminKind::audit;
  return std::nullopt;
}

std::vector<std::int64_t> path_ids(std::string_view path) {
  std::vector<std::int64_t> out;
  std::size_t start = 0;
  while (start < path.size()) {
    auto slash = path.find('/', start);
    auto part = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!part.empty()) {
      std::int64_t id = 0;
      auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), id);
      if (ec == std::errc() && p == part.data() + part.size()) out.push_back(id);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool can(const ActorAccess& actor, std::string_view permission, std::string_view org_path) {
  auto ids = path_ids(org_path);
  for (const auto& h : actor.held) {
    if (!h.role || !h.role->permissions.contains(permission)) continue;
    if (org_path.empty()) return true;
    if (ids.empty()) continue;
    if (ids.back() == h.org_id) return true;
    if (h.include_subtree)
      for (auto id : ids)
        if (id == h.org_id) return true;
  }
  return false;
}

Status check_admin_separation(const Role& role, const std::vector<const Role*>& held_roles) {
  if (role.admin_kind == AdminKind::none) return {};
  for (const Role* other : held_roles) {
    if (!other || other->admin_kind == AdminKind::none || other->admin_kind == role.admin_kind) continue;
    return Error{ErrorCode::conflict,
                 "the account already holds " + other->name + " (" + std::string(to_string(other->admin_kind)) +
                     " administrator); the system, security and audit administrator roles are kept apart "
                     "(三权分立), so it cannot also be given " +
                     role.name,
                 {{"role", "conflicts with " + other->name}}};
  }
  return {};
}

bool valid_permission_name(std::string_view name) {
  if (name.empty() || name.size() > 100 || name.front() == '.' || name.back() == '.') return false;
  char prev = 0;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok || (c == '.' && prev == '.')) return false;
    prev = c;
  }
  return true;
}

}  // namespace zhengwu::auth
