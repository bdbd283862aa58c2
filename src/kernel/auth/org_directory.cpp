// The organisation tree on the database; see org_directory.hpp.
#include "kernel/auth/org_directory.hpp"

#include <algorithm>

namespace zhengwu::auth {
namespace {

constexpr const char* kColumns = "id, code, name, kind, parent_id, path, division_code";

std::int64_t now_ms(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now().time_since_epoch()).count();
}

Org to_org(const db::Row& r) {
  Org o;
  o.id = r.get<std::int64_t>("id");
  o.code = r.get<std::string>("code");
  o.name = r.get<std::string>("name");
  o.kind = r.get<std::string>("kind");
  o.parent_id = r.opt<std::int64_t>("parent_id");
  o.path = r.get<std::string>("path");
  o.division_code = r.opt<std::string>("division_code");
  return o;
}

// Counts Unicode code points of UTF-8 text (names are limited in characters, not bytes).
std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

Status validate_code(std::string_view code) {
  if (code.empty() || code.size() > 40)
    return Error::invalid("code", "must have 1 to 40 characters");
  for (char c : code)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
      return Error::invalid("code", "may hold only letters, digits, '-', '_' and '.'");
  return {};
}

Status validate_name(std::string_view name) {
  auto n = utf8_length(name);
  if (n == 0 || name.find_first_not_of(" \t") == std::string_view::npos) return Error::invalid("name", "must not be empty");
  if (n > 100) return Error::invalid("name", "must have at most 100 characters (has " + std::to_string(n) + ")");
  return {};
}

Status validate_division(const std::optional<std::string>& code) {
  if (!code) return {};
  bool digits = !code->empty() && std::all_of(code->begin(), code->end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || (code->size() != 6 && code->size() != 9 && code->size() != 12))
    return Error::invalid("division_code", "must be a GB/T 2260 code of 6, 9 or 12 digits");
  return {};
}

}  // namespace

bool valid_org_kind(std::string_view kind) {
  return std::any_of(std::begin(kOrgKinds), std::end(kOrgKinds), [&](const char* k) { return kind == k; });
}

int Org::depth() const { return static_cast<int>(std::count(path.begin(), path.end(), '/')) - 2; }

Result<Org> OrgDirectory::create(const OrgInput& input) {
  if (auto s = validate_code(input.code); !s) return s.error();
  if (auto s = validate_name(input.name); !s) return s.error();
  if (!valid_org_kind(input.kind))
    return Error::invalid("kind", "must be one of city, government_department, district_government, street_office, "
                                  "community, public_institution, enterprise");
  if (auto s = validate_division(input.division_code); !s) return s.error();

  auto tx = db_.begin();
  std::optional<Org> parent;
  if (input.parent_code) {
    auto rows = tx.query(std::string("SELECT ") + kColumns + " FROM orgs WHERE code = ?", {*input.parent_code});
    if (rows.empty()) return Error::invalid("parent_code", "no organisation has the code " + *input.parent_code);
    parent = to_org(rows[0]);
  } else if (!tx.query("SELECT id FROM orgs WHERE parent_id IS NULL").empty()) {
    return Error::invalid("parent_code", "is required: the tree has its root already");
  }
  if (!tx.query("SELECT id FROM orgs WHERE code = ?", {input.code}).empty())
    return Error{ErrorCode::conflict, "an organisation with the code " + input.code + " exists already",
                 {{"code", "is taken"}}};
  auto now = now_ms(clock_);
  auto id = tx.query("INSERT INTO orgs (code, name, kind, parent_id, path, division_code, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, '', ?, ?, ?) RETURNING id",
                     {input.code, input.name, input.kind, parent ? db::Value(parent->id) : db::Value(),
                      db::Value(input.division_code), now, now})[0]
                .get<std::int64_t>(0);
  std::string path = (parent ? parent->path : std::string("/")) + std::to_string(id) + "/";
  tx.execute("UPDATE orgs SET path = ? WHERE id = ?", {path, id});
  tx.commit();
  return get(id);
}

Result<Org> OrgDirectory::update(std::int64_t id, const OrgChange& change) {
  if (change.name)
    if (auto s = validate_name(*change.name); !s) return s.error();
  if (change.kind && !valid_org_kind(*change.kind)) return Error::invalid("kind", "is not an organisation kind");
  if (auto s = validate_division(change.division_code); !s) return s.error();
  auto tx = db_.begin();
  if (tx.query("SELECT id FROM orgs WHERE id = ?", {id}).empty())
    return Error::not_found("no organisation " + std::to_string(id));
  if (change.name) tx.execute("UPDATE orgs SET name = ? WHERE id = ?", {*change.name, id});
  if (change.kind) tx.execute("UPDATE orgs SET kind = ? WHERE id = ?", {*change.kind, id});
  if (change.division_code) tx.execute("UPDATE orgs SET division_code = ? WHERE id = ?", {*change.division_code, id});
  tx.execute("UPDATE orgs SET updated_at = ? WHERE id = ?", {now_ms(clock_), id});
  tx.commit();
  return get(id);
}

Result<Org> OrgDirectory::move(std::int64_t id, std::int64_t new_parent_id) {
  auto tx = db_.begin();
  auto self_rows = tx.query(std::string("SELECT ") + kColumns + " FROM orgs WHERE id = ?", {id});
  if (self_rows.empty()) return Error::not_found("no organisation " + std::to_string(id));
  auto parent_rows = tx.query(std::string("SELECT ") + kColumns + " FROM orgs WHERE id = ?", {new_parent_id});
  if (parent_rows.empty()) return Error::invalid("parent_id", "no organisation " + std::to_string(new_parent_id));
  Org self = to_org(self_rows[0]);
  Org parent = to_org(parent_rows[0]);
  if (!self.parent_id) return Error::invalid("id", "the root of the tree cannot be moved");
  if (parent.path.compare(0, self.path.size(), self.path) == 0)
    return Error::invalid("parent_id", "cannot move an organisation under itself or its own subtree");
  std::string new_path = parent.path + std::to_string(id) + "/";
  // Every path in the subtree starts with the old path: replace that prefix.
  tx.execute("UPDATE orgs SET path = ? || substr(path, ?), updated_at = ? WHERE path LIKE ?",
             {new_path, static_cast<std::int64_t>(self.path.size()) + 1, now_ms(clock_), self.path + "%"});
  tx.execute("UPDATE orgs SET parent_id = ? WHERE id = ?", {new_parent_id, id});
  tx.commit();
  return get(id);
}

Status OrgDirectory::remove(std::int64_t id) {
  auto tx = db_.begin();
  auto rows = tx.query("SELECT parent_id FROM orgs WHERE id = ?", {id});
  if (rows.empty()) return Error::not_found("no organisation " + std::to_string(id));
  if (!tx.query("SELECT id FROM orgs WHERE parent_id = ? LIMIT 1", {id}).empty())
    return Error::conflict("the organisation has sub-organisations; move or remove them first");
  if (!tx.query("SELECT id FROM users WHERE org_id = ? LIMIT 1", {id}).empty())
    return Error::conflict("the organisation has members; move them first");
  if (!tx.query("SELECT id FROM grants WHERE org_id = ? LIMIT 1", {id}).empty())
    return Error::conflict("roles are granted over this organisation; revoke those grants first");
  tx.execute("DELETE FROM orgs WHERE id = ?", {id});
  tx.commit();
  return {};
}

Result<Org> OrgDirectory::get(std::int64_t id) const {
  auto rows = db_.query(std::string("SELECT ") + kColumns + " FROM orgs WHERE id = ?", {id});
  if (rows.empty()) return Error::not_found("no organisation " + std::to_string(id));
  return to_org(rows[0]);
}

Result<Org> OrgDirectory::by_code(std::string_view code) const {
  auto rows = db_.query(std::string("SELECT ") + kColumns + " FROM orgs WHERE code = ?", {code});
  if (rows.empty()) return Error::not_found("no organisation with the code " + std::string(code));
  return to_org(rows[0]);
}

std::vector<Org> OrgDirectory::subtree(std::int64_t id) const {
  std::vector<Org> out;
  auto self = get(id);
  if (!self) return out;
  for (const auto& r :
       db_.query(std::string("SELECT ") + kColumns + " FROM orgs WHERE path LIKE ? ORDER BY path", {self->path + "%"}))
    out.push_back(to_org(r));
  return out;
}

std::vector<Org> OrgDirectory::all() const {
  std::vector<Org> out;
  for (const auto& r : db_.query(std::string("SELECT ") + kColumns + " FROM orgs ORDER BY path")) out.push_back(to_org(r));
  return out;
}

std::vector<Org> OrgDirectory::search(std::string_view text, std::size_t limit) const {
  // LIKE with the pattern characters of the input escaped, so "50%" finds "50%".
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += "%";
  std::vector<Org> out;
  for (const auto& r : db_.query(std::string("SELECT ") + kColumns +
                                     " FROM orgs WHERE name LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\' "
                                     "ORDER BY path LIMIT ?",
                                 {pattern, pattern, static_cast<std::int64_t>(limit)}))
    out.push_back(to_org(r));
  return out;
}

}  // namespace zhengwu::auth
