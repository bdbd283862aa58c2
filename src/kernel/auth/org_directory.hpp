// The organisation tree: city → departments and district/county governments → divisions
// and street offices → communities, plus public institutions and enterprises.
//
// Each organisation stores its materialised path ("/1/4/17/": the ids from the root down
// to itself), so "is X inside Y" and "everything under Y" are one indexed prefix match on
// both databases. A move rewrites the paths of the whole subtree in one transaction.
//
// Ownership: borrows the Database and the Clock. Thread-safety: any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/result.hpp"

namespace zhengwu::auth {

// The schema of the identity tables (module "kernel.auth"): organisations, users, roles,
// grants, sessions, login attempts, system clients and their nonces.
std::vector<db::Migration> auth_migrations();

// Organisation kinds (the list, plus the city at the root).
inline constexpr const char* kOrgKinds[] = {"city",        "government_department", "district_government",
                                            "street_office", "community",            "public_institution",
                                            "enterprise"};
bool valid_org_kind(std::string_view kind);

struct Org {
  std::int64_t id = 0;
  std::string code;  // unique, stable: "330100-GA" or a USCC for an enterprise
  std::string name;
  std::string kind;
  std::optional<std::int64_t> parent_id;
  std::string path;  // "/1/4/"
  std::optional<std::string> division_code;  // GB/T 2260, where it has one
  int depth() const;  // root = 0
};

struct OrgInput {
  std::string code;
  std::string name;
  std::string kind;
  std::optional<std::string> parent_code;  // none: the root (only one root exists)
  std::optional<std::string> division_code;
};

struct OrgChange {
  std::optional<std::string> name;
  std::optional<std::string> kind;
  std::optional<std::string> division_code;
};

class OrgDirectory {
 public:
  OrgDirectory(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Validates (fields named: code, name, kind, parent_code, division_code) and inserts.
  Result<Org> create(const OrgInput& input);
  Result<Org> update(std::int64_t id, const OrgChange& change);
  // Moves `id` (with its subtree) under `new_parent_id`; refuses a move under itself.
  Result<Org> move(std::int64_t id, std::int64_t new_parent_id);
  // Removes a leaf with no members; otherwise ErrorCode::conflict saying why.
  Status remove(std::int64_t id);

  Result<Org> get(std::int64_t id) const;
  Result<Org> by_code(std::string_view code) const;
  // The organisation and everything under it, in path order (parents before children).
  std::vector<Org> subtree(std::int64_t id) const;
  // Every organisation, in path order.
  std::vector<Org> all() const;
  // Name or code contains `text` (case-sensitive for Chinese, as stored), path order.
  std::vector<Org> search(std::string_view text, std::size_t limit) const;

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace zhengwu::auth
