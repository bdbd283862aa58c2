// The identity service on the database; see identity.hpp for what is promised.
#include "kernel/auth/identity.hpp"

#include <algorithm>

#include "kernel/auth/recovery_codes.hpp"
#include "kernel/auth/totp.hpp"
#include "kernel/crypto/crypto.hpp"
#include "kernel/identifiers/id_number.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::auth {
namespace {

constexpr const char* kUserColumns =
    "u.id, u.username, u.display_name, u.kind, u.org_id, o.code AS org_code, u.position, u.id_number, u.uscc, "
    "u.must_change_password, u.failed_logins, u.locked_until, u.disabled, u.totp_secret, u.password_hash, "
    "u.password_changed_at, u.recovery_codes, u.real_name_level";

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

Error unauthorized(std::string message, std::string field = {}) {
  Error e{ErrorCode::unauthorized, std::move(message), {}};
  if (!field.empty()) e.fields.push_back({std::move(field), e.message});
  return e;
}

struct Builtin {
  const char* code;
  const char* name;
  AdminKind kind;
  std::vector<const char*> permissions;
};

// The three administrator roles of 三权分立 (GB/T 22239-2019 level 3): accounts and
// configuration; roles, permissions and keys; audit — and nothing of the others.
const std::vector<Builtin>& builtin_roles() {
  static const std::vector<Builtin> roles{
      {kSystemAdmin, "系统管理员", AdminKind::system,
       {"org.read", "org.manage", "user.read", "user.manage", "session.manage", "login_log.read", "calendar.manage",
        "system.configure"}},
      {kSecurityAdmin, "安全管理员", AdminKind::security,
       {"org.read", "user.read", "role.manage", "grant.manage", "client.manage"}},
      {kAuditAdmin, "审计管理员", AdminKind::audit, {"audit.read", "audit.export"}},
  };
  return roles;
}

}  // namespace

std::string token_hash(std::string_view token) { return crypto::to_hex(crypto::sm3(token)); }

Identity::Identity(db::Database& db, const Clock& clock, IdentityOptions options)
    : db_(db), clock_(clock), options_(std::move(options)) {
  const std::vector<std::pair<const char*, const char*>> kernel_permissions{
      {"org.read", "查看组织机构"},         {"org.manage", "管理组织机构"},
      {"user.read", "查看用户"},            {"user.manage", "管理用户（创建、锁定、重置密码）"},
      {"session.manage", "查看在线用户并强制下线"}, {"login_log.read", "查看登录日志"},
      {"calendar.manage", "维护工作日历"},  {"system.configure", "系统配置"},
      {"role.manage", "管理角色及其权限"},  {"grant.manage", "为用户授予或收回角色"},
      {"client.manage", "管理部门系统接入（客户端）"}, {"audit.read", "查询审计记录"},
      {"audit.export", "导出审计记录"},
  };
  for (const auto& [name, description] : kernel_permissions) register_permission(name, description);
}

std::int64_t Identity::now_ms() const { return to_unix_ms(clock_.now()); }

void Identity::register_permission(std::string name, std::string description) {
  permissions_[std::move(name)] = std::move(description);
}

void Identity::ensure_builtin_roles() {
  auto tx = db_.begin();
  for (const auto& b : builtin_roles()) {
    tx.execute("INSERT INTO roles (code, name, admin_kind, builtin, created_at) VALUES (?, ?, ?, 1, ?) "
               "ON CONFLICT (code) DO UPDATE SET admin_kind = excluded.admin_kind, builtin = 1",
               {b.code, b.name, to_string(b.kind), now_ms()});
    auto id = tx.query("SELECT id FROM roles WHERE code = ?", {b.code})[0].get<std::int64_t>(0);
    // A builtin role has exactly its permissions: the separation of duties depends on it.
    tx.execute("DELETE FROM role_permissions WHERE role_id = ?", {id});
    for (const char* p : b.permissions)
      tx.execute("INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)", {id, p});
  }
  tx.commit();
}

std::vector<Role> Identity::roles() const {
  std::vector<Role> out;
  std::map<std::int64_t, std::size_t> index;
  for (const auto& r : db_.query("SELECT id, code, name, admin_kind, builtin FROM roles ORDER BY id")) {
    Role role;
    role.id = r.get<std::int64_t>("id");
    role.code = r.get<std::string>("code");
    role.name = r.get<std::string>("name");
    role.admin_kind = admin_kind_from_string(r.get<std::string>("admin_kind")).value_or(AdminKind::none);
    role.builtin = r.get<bool>("builtin");
    index[role.id] = out.size();
    out.push_back(std::move(role));
  }
  for (const auto& r : db_.query("SELECT role_id, permission FROM role_permissions")) {
    auto it = index.find(r.get<std::int64_t>("role_id"));
    if (it != index.end()) out[it->second].permissions.insert(r.get<std::string>("permission"));
  }
  return out;
}

Result<Role> Identity::role_by_code(std::string_view code) const {
  for (auto& r : roles())
    if (r.code == code) return r;
  return Error::not_found("no role with the code " + std::string(code));
}

Result<Role> Identity::create_role(const std::string& code, const std::string& name,
                                   const std::vector<std::string>& permissions) {
  if (code.empty() || code.size() > 40 || !valid_permission_name(code))
    return Error::invalid("code", "must be 1 to 40 lower-case letters, digits, '_' or '.'");
  if (utf8_length(name) == 0 || utf8_length(name) > 50) return Error::invalid("name", "must have 1 to 50 characters");
  for (std::size_t i = 0; i < permissions.size(); ++i)
    if (!permissions_.contains(permissions[i]))
      return Error::invalid("permissions[" + std::to_string(i) + "]", "unknown permission " + permissions[i]);
  auto tx = db_.begin();
  if (!tx.query("SELECT id FROM roles WHERE code = ?", {code}).empty())
    return Error{ErrorCode::conflict, "a role with the code " + code + " exists already", {{"code", "is taken"}}};
  auto id = tx.query("INSERT INTO roles (code, name, admin_kind, builtin, created_at) VALUES (?, ?, 'none', 0, ?) "
                     "RETURNING id",
                     {code, name, now_ms()})[0]
                .get<std::int64_t>(0);
  for (const auto& p : permissions)
    tx.execute("INSERT INTO role_permissions (role_id, permission) VALUES (?, ?) ON CONFLICT DO NOTHING", {id, p});
  tx.commit();
  return role_by_code(code);
}

Result<Role> Identity::set_role_permissions(std::int64_t role_id, const std::vector<std::string>& permissions) {
  for (std::size_t i = 0; i < permissions.size(); ++i)
    if (!permissions_.contains(permissions[i]))
      return Error::invalid("permissions[" + std::to_string(i) + "]", "unknown permission " + permissions[i]);
  auto tx = db_.begin();
  auto rows = tx.query("SELECT code, builtin FROM roles WHERE id = ?", {role_id});
  if (rows.empty()) return Error::not_found("no role " + std::to_string(role_id));
  if (rows[0].get<bool>("builtin"))
    return Error::conflict("the permissions of a builtin administrator role are fixed (separation of duties)");
  tx.execute("DELETE FROM role_permissions WHERE role_id = ?", {role_id});
  for (const auto& p : permissions)
    tx.execute("INSERT INTO role_permissions (role_id, permission) VALUES (?, ?) ON CONFLICT DO NOTHING",
               {role_id, p});
  tx.commit();
  return role_by_code(rows[0].get<std::string>("code"));
}

Result<User> Identity::load_user(std::string_view where, const db::Params& params) const {
  auto rows = db_.query(std::string("SELECT ") + kUserColumns + " FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE " +
                            std::string(where),
                        params);
  if (rows.empty()) return Error::not_found("no such user");
  const auto& r = rows[0];
  User u;
  u.id = r.get<std::int64_t>("id");
  u.username = r.get<std::string>("username");
  u.display_name = r.get<std::string>("display_name");
  u.kind = r.get<std::string>("kind");
  u.org_id = r.opt<std::int64_t>("org_id");
  u.org_code = r.opt<std::string>("org_code");
  u.position = r.opt<std::string>("position");
  u.id_number = r.opt<std::string>("id_number");
  u.uscc = r.opt<std::string>("uscc");
  u.must_change_password = r.get<bool>("must_change_password");
  if (auto until = r.opt<std::int64_t>("locked_until"); until && *until > now_ms()) {
    u.locked = true;
    u.locked_until = from_unix_ms(*until);
  }
  u.disabled = r.get<bool>("disabled");
  u.totp_enrolled = !r.is_null("totp_secret");
  u.real_name_level = u.kind == "citizen" ? r.get<int>("real_name_level") : 0;
  if (auto codes = r.opt<std::string>("recovery_codes")) {
    if (auto set = parse_recovery_codes(*codes)) u.recovery_codes_left = unused_recovery_codes(*set);
  }
  if (password_expired(from_unix_ms(r.get<std::int64_t>("password_changed_at")), clock_.now(), options_.password))
    u.must_change_password = true;
  return u;
}

Result<User> Identity::user(std::int64_t id) const { return load_user("u.id = ?", {id}); }
Result<User> Identity::user_by_name(std::string_view username) const {
  return load_user("u.username = ?", {username});
}

Result<User> Identity::create_user(const NewUser& in) {
  if (in.username.size() < 3 || in.username.size() > 40)
    return Error::invalid("username", "must have 3 to 40 characters");
  for (char c : in.username)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '@'))
      return Error::invalid("username", "may hold only letters, digits and . _ - @");
  if (utf8_length(in.display_name) == 0 || utf8_length(in.display_name) > 50)
    return Error::invalid("display_name", "must have 1 to 50 characters");
  if (in.kind != "staff" && in.kind != "citizen" && in.kind != "enterprise")
    return Error::invalid("kind", "must be staff, citizen or enterprise");
  if (in.position && utf8_length(*in.position) > 50) return Error::invalid("position", "must have at most 50 characters");
  if (auto s = check_password(in.password, options_.password, in.username); !s) return s.error();
  std::optional<std::string> id_number;
  if (in.kind == "citizen") {
    if (!in.id_number) return Error::invalid("id_number", "is required for a citizen");
    auto today = TimeZone::fixed("UTC+8", std::chrono::hours(8)).local_date(clock_.now());
    auto parsed = identifiers::IdNumber::parse(*in.id_number, today);
    if (!parsed) {
      Error e = parsed.error();
      if (e.fields.empty()) e.fields.push_back({"id_number", e.message});
      return e;
    }
    id_number = parsed->value();
  } else if (in.id_number) {
    return Error::invalid("id_number", "only citizens are tied to an ID number");
  }
  if (in.kind == "enterprise" && !in.uscc) return Error::invalid("uscc", "is required for an enterprise account");
  if (in.kind == "citizen" && (in.real_name_level < kRealNameDeclared || in.real_name_level > kRealNameInPerson))
    return Error::invalid("real_name_level", "must be 1, 2 or 3");

  auto hash = hash_password(in.password, options_.argon2);
  auto tx = db_.begin();
  std::optional<std::int64_t> org_id;
  if (in.org_code) {
    auto org = tx.query("SELECT id FROM orgs WHERE code = ?", {*in.org_code});
    if (org.empty()) return Error::invalid("org", "no organisation has the code " + *in.org_code);
    org_id = org[0].get<std::int64_t>(0);
  } else if (in.kind == "staff") {
    return Error::invalid("org", "staff belong to an organisation");
  }
  if (!tx.query("SELECT id FROM users WHERE username = ?", {in.username}).empty())
    return Error{ErrorCode::conflict, "the user name " + in.username + " is taken", {{"username", "is taken"}}};
  if (id_number && !tx.query("SELECT id FROM users WHERE id_number = ?", {*id_number}).empty())
    return Error{ErrorCode::conflict, "an account with this ID number exists already", {{"id_number", "is taken"}}};
  auto now = now_ms();
  auto id = tx.query("INSERT INTO users (username, display_name, kind, org_id, position, id_number, uscc, "
                     "real_name_level, password_hash, password_changed_at, must_change_password, created_at, "
                     "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     {in.username, in.display_name, in.kind, db::Value(org_id), db::Value(in.position),
                      db::Value(id_number), db::Value(in.uscc), id_number ? in.real_name_level : 0, hash, now,
                      in.must_change_password, now, now})[0]
                .get<std::int64_t>(0);
  tx.commit();
  return user(id);
}

std::vector<User> Identity::list_users(std::string_view org_path, std::string_view text, std::string_view after,
                                       std::size_t limit, const Scope* scope) const {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += "%";
  std::string sql = "SELECT u.id FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.username > ? AND "
                    "(u.username LIKE ? ESCAPE '\\' OR u.display_name LIKE ? ESCAPE '\\')";
  db::Params params{after, pattern, pattern};
  if (!org_path.empty()) {
    sql += " AND o.path LIKE ?";
    params.emplace_back(std::string(org_path) + "%");
  }
  if (scope && !scope->everywhere) {
    std::string any = "0 = 1";
    for (const auto& [path, subtree] : scope->paths) {
      any += subtree ? " OR o.path LIKE ?" : " OR o.path = ?";
      params.emplace_back(subtree ? path + "%" : path);
    }
    sql += " AND (" + any + ")";
  }
  sql += " ORDER BY u.username LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit));
  std::vector<User> out;
  for (const auto& r : db_.query(sql, params))
    if (auto u = user(r.get<std::int64_t>(0))) out.push_back(std::move(*u));
  return out;
}

Status Identity::change_password(std::int64_t user_id, std::string_view old_password, std::string_view new_password) {
  auto rows = db_.query("SELECT username, password_hash FROM users WHERE id = ?", {user_id});
  if (rows.empty()) return Error::not_found("no such user");
  if (!verify_password(old_password, rows[0].get<std::string>("password_hash")))
    return Error{ErrorCode::invalid, "the current password is wrong", {{"old_password", "is wrong"}}};
  if (old_password == new_password)
    return Error::invalid("new_password", "must differ from the current password");
  if (auto s = check_password(new_password, options_.password, rows[0].get<std::string>("username")); !s) {
    // The policy names the field "password"; here it is "new_password".
    Error e = s.error();
    std::string text;
    for (auto& f : e.fields) {
      f.field = "new_password";
      text += (text.empty() ? "" : "; ") + f.message;
    }
    e.message = "new_password: " + text;
    return e;
  }
  db_.execute("UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = 0, updated_at = ? "
              "WHERE id = ?",
              {hash_password(new_password, options_.argon2), now_ms(), now_ms(), user_id});
  return {};
}

Status Identity::reset_password(std::int64_t user_id, std::string_view new_password) {
  auto u = user(user_id);
  if (!u) return u.error();
  if (auto s = check_password(new_password, options_.password, u->username); !s) return s.error();
  db_.execute("UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = 1, "
              "failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?",
              {hash_password(new_password, options_.argon2), now_ms(), now_ms(), user_id});
  return {};
}

Status Identity::set_real_name_level(std::int64_t user_id, int level) {
  if (level < kRealNameDeclared || level > kRealNameInPerson) return Error::invalid("level", "must be 1, 2 or 3");
  auto u = user(user_id);
  if (!u) return u.error();
  if (u->kind != "citizen")
    return Error{ErrorCode::unprocessable, "only citizen accounts have a real-name level", {{"level", "not a citizen"}}};
  db_.execute("UPDATE users SET real_name_level = ?, updated_at = ? WHERE id = ?", {level, now_ms(), user_id});
  return {};
}

Status Identity::unlock(std::int64_t user_id) {
  if (db_.execute("UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?",
                  {now_ms(), user_id}) != 1)
    return Error::not_found("no such user");
  return {};
}

Status Identity::set_disabled(std::int64_t user_id, bool disabled) {
  auto tx = db_.begin();
  if (tx.execute("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", {disabled, now_ms(), user_id}) != 1)
    return Error::not_found("no such user");
  if (disabled)
    tx.execute("UPDATE sessions SET revoked_at = ?, revoked_reason = 'account disabled' WHERE user_id = ? AND "
               "revoked_at IS NULL",
               {now_ms(), user_id});
  tx.commit();
  return {};
}

Result<Grant> Identity::grant(std::int64_t user_id, std::string_view role_code, std::string_view org_code,
                              bool include_subtree, std::optional<std::int64_t> granted_by) {
  auto role = role_by_code(role_code);
  if (!role) return Error::invalid("role", "no role with the code " + std::string(role_code));
  auto u = user(user_id);
  if (!u) return u.error();
  if (u->kind != "staff") return Error::invalid("user", "roles are granted to staff accounts only");
  auto org = db_.query("SELECT id FROM orgs WHERE code = ?", {org_code});
  if (org.empty()) return Error::invalid("org", "no organisation has the code " + std::string(org_code));
  auto org_id = org[0].get<std::int64_t>(0);

  auto all = roles();
  std::vector<const Role*> held;
  for (const auto& g : grants_of(user_id))
    for (const auto& r : all)
      if (r.id == g.role_id) held.push_back(&r);
  if (auto s = check_admin_separation(*role, held); !s) return s.error();

  auto tx = db_.begin();
  auto existing = tx.query("SELECT id FROM grants WHERE user_id = ? AND role_id = ? AND org_id = ?",
                           {user_id, role->id, org_id});
  if (!existing.empty()) {
    tx.execute("UPDATE grants SET include_subtree = ? WHERE id = ?", {include_subtree, existing[0].get<std::int64_t>(0)});
  } else {
    tx.execute("INSERT INTO grants (user_id, role_id, org_id, include_subtree, granted_by, granted_at) "
               "VALUES (?, ?, ?, ?, ?, ?)",
               {user_id, role->id, org_id, include_subtree, db::Value(granted_by), now_ms()});
  }
  tx.commit();
  for (const auto& g : grants_of(user_id))
    if (g.role_id == role->id && g.org_id == org_id) return g;
  return Error{ErrorCode::internal, "the grant was not stored", {}};
}

Status Identity::revoke_grant(std::int64_t grant_id) {
  if (db_.execute("DELETE FROM grants WHERE id = ?", {grant_id}) != 1) return Error::not_found("no such grant");
  return {};
}

std::vector<Grant> Identity::grants_of(std::int64_t user_id) const {
  std::vector<Grant> out;
  for (const auto& r :
       db_.query("SELECT id, user_id, role_id, org_id, include_subtree FROM grants WHERE user_id = ? ORDER BY id",
                 {user_id}))
    out.push_back(Grant{r.get<std::int64_t>("id"), r.get<std::int64_t>("user_id"), r.get<std::int64_t>("role_id"),
                        r.get<std::int64_t>("org_id"), r.get<bool>("include_subtree")});
  return out;
}

ActorAccess Identity::access_of(std::int64_t user_id, std::vector<std::unique_ptr<Role>>& roles_out) const {
  ActorAccess access;
  access.user_id = user_id;
  auto all = roles();
  for (const auto& g : grants_of(user_id)) {
    for (const auto& r : all) {
      if (r.id != g.role_id) continue;
      roles_out.push_back(std::make_unique<Role>(r));
      access.held.push_back({roles_out.back().get(), g.org_id, g.include_subtree});
    }
  }
  return access;
}

void Identity::record_attempt(std::string_view username, std::optional<std::int64_t> user_id, std::string_view outcome,
                              std::string_view reason, std::string_view source) {
  // The attempted name is cut to a sane length: the table must not become a dump of
  // whatever a client sends.
  db_.execute("INSERT INTO login_attempts (username, user_id, time, outcome, reason, source) VALUES (?, ?, ?, ?, ?, ?)",
              {username.substr(0, 100), db::Value(user_id), now_ms(), outcome, reason, source.substr(0, 100)});
}

Result<LoginResult> Identity::login(const LoginRequest& req) {
  const Error wrong = unauthorized("wrong user name or password");
  auto rows = db_.query("SELECT id, password_hash, failed_logins, locked_until, disabled FROM users WHERE username = ?",
                        {req.username});
  if (rows.empty()) {
    dummy_verify(req.password, options_.argon2);  // the same time as a real check
    record_attempt(req.username, std::nullopt, "failure", "unknown user", req.source);
    return wrong;
  }
  const auto& r = rows[0];
  auto id = r.get<std::int64_t>("id");
  auto now = now_ms();
  if (r.get<bool>("disabled")) {
    record_attempt(req.username, id, "refused", "account disabled", req.source);
    return unauthorized("this account is disabled; ask the system administrator");
  }
  if (auto until = r.opt<std::int64_t>("locked_until"); until && *until > now) {
    record_attempt(req.username, id, "refused", "account locked", req.source);
    auto minutes = (*until - now + 59'999) / 60'000;
    return unauthorized("this account is locked after repeated failed sign-ins; try again in " +
                        std::to_string(minutes) + " minutes or ask the system administrator to unlock it");
  }
  if (!verify_password(req.password, r.get<std::string>("password_hash"))) {
    int failures = r.get<int>("failed_logins") + 1;
    if (failures >= options_.lockout_attempts) {
      db_.execute("UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
                  {now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.lockout).count(), id});
      record_attempt(req.username, id, "failure", "wrong password; account locked", req.source);
      return unauthorized("wrong user name or password; the account is now locked for " +
                          std::to_string(options_.lockout.count()) + " minutes");
    }
    db_.execute("UPDATE users SET failed_logins = ? WHERE id = ?", {failures, id});
    record_attempt(req.username, id, "failure", "wrong password", req.source);
    return wrong;
  }
  auto u = user(id);
  if (!u) return u.error();
  // A wrong second factor counts towards the lockout like a wrong password.
  auto count_failure = [&] {
    int failures = db_.query("SELECT failed_logins FROM users WHERE id = ?", {id})[0].get<int>(0) + 1;
    bool lock = failures >= options_.lockout_attempts;
    db_.execute("UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?",
                {lock ? 0 : failures,
                 lock ? db::Value(now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.lockout).count())
                      : db::Value(),
                 id});
  };
  std::string used_recovery;  // the login log's note when a recovery code stood in for the app
  if (u->totp_enrolled && req.recovery_code && !req.recovery_code->empty() && (!req.totp || req.totp->empty())) {
    // The way back in without the authenticator: one single-use code of the set shown at
    // enrolment (recovery_codes.hpp). The set is written back only if nobody changed it
    // meanwhile, so two requests racing with one code cannot both get in.
    auto stored = db_.query("SELECT recovery_codes FROM users WHERE id = ?", {id})[0].opt<std::string>(0);
    auto set = stored ? parse_recovery_codes(*stored) : Result<RecoveryCodeSet>(Error::invalid("recovery_codes", "none"));
    auto use = set ? consume_recovery_code(*set, *req.recovery_code) : std::nullopt;
    if (!use || db_.execute("UPDATE users SET recovery_codes = ? WHERE id = ? AND recovery_codes = ?",
                            {format_recovery_codes(use->remaining), id, *stored}) != 1) {
      count_failure();
      record_attempt(req.username, id, "failure", "wrong recovery code", req.source);
      return unauthorized("this recovery code is wrong or was used already", "recovery_code");
    }
    u->recovery_codes_left = unused_recovery_codes(use->remaining);
    used_recovery = "recovery code used; " + std::to_string(u->recovery_codes_left) + " left";
  } else if (u->totp_enrolled) {
    if (!req.totp || req.totp->empty()) {
      record_attempt(req.username, id, "refused", "second factor missing", req.source);
      return unauthorized("this account signs in with a second factor: enter the code from the authenticator app",
                          "totp");
    }
    auto secret_rows = db_.query("SELECT totp_secret, totp_last_step FROM users WHERE id = ?", {id});
    auto opened = sealer_.open ? sealer_.open(secret_rows[0].get<std::string>("totp_secret")) : std::nullopt;
    auto secret = opened ? decode_base32(*opened) : Result<crypto::Bytes>(Error{ErrorCode::internal, "sealed", {}});
    if (!secret.ok()) {
      record_attempt(req.username, id, "refused", "second factor unreadable", req.source);
      return Error{ErrorCode::internal, "the second factor of this account cannot be read; ask the administrator", {}};
    }
    auto check = verify_totp(*secret, *req.totp, clock_.now(), 1,
                             secret_rows[0].opt<std::int64_t>("totp_last_step"));
    if (!check.ok) {
      count_failure();
      record_attempt(req.username, id, "failure", check.replayed ? "second factor replayed" : "wrong second factor",
                     req.source);
      return unauthorized(check.replayed ? "this code was used already; wait for the next one"
                                         : "the code from the authenticator app is wrong",
                          "totp");
    }
    db_.execute("UPDATE users SET totp_last_step = ? WHERE id = ?", {check.step, id});
  }

  auto token_bytes = crypto::random_bytes(32);
  std::string token = crypto::to_hex(token_bytes);
  auto absolute = now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_absolute).count();
  auto tx = db_.begin();
  tx.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", {id});
  auto sid = tx.query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, source, "
                      "user_agent, second_factor) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                      {token_hash(token), id, now, now, absolute, req.source.substr(0, 100),
                       req.user_agent.substr(0, 300), u->totp_enrolled})[0]
                 .get<std::int64_t>(0);
  tx.commit();
  record_attempt(req.username, id, "success", used_recovery, req.source);
  LoginResult out;
  out.token = std::move(token);
  out.session = Session{sid, id, from_unix_ms(now), from_unix_ms(now), from_unix_ms(absolute), req.source, req.user_agent};
  out.user = *u;
  return out;
}

Result<std::vector<std::string>> Identity::enroll_totp(std::int64_t user_id, std::string_view secret_base32,
                                                      std::string_view code) {
  if (!sealer_.seal) return Error{ErrorCode::unprocessable, "second factors cannot be stored: no key is configured", {}};
  auto secret = decode_base32(secret_base32);
  if (!secret || secret->size() < 16) return Error::invalid("secret", "must be a base32 secret of at least 16 bytes");
  auto check = verify_totp(*secret, code, clock_.now(), 1);
  if (!check.ok) return Error::invalid("code", "does not match the secret; check the authenticator app's clock");
  // Sealed as its base32 text: whatever the sealer, the column holds text. A new secret
  // comes with a new set of recovery codes; the old set dies with the old secret.
  auto sealed = sealer_.seal(encode_base32(*secret));
  auto issued = generate_recovery_codes();
  if (db_.execute("UPDATE users SET totp_secret = ?, totp_last_step = ?, recovery_codes = ?, updated_at = ? "
                  "WHERE id = ?",
                  {sealed, check.step, format_recovery_codes(issued.stored), now_ms(), user_id}) != 1)
    return Error::not_found("no such user");
  return std::move(issued.codes);
}

Result<std::vector<std::string>> Identity::regenerate_recovery_codes(std::int64_t user_id, std::string_view code) {
  auto rows = db_.query("SELECT totp_secret, totp_last_step FROM users WHERE id = ?", {user_id});
  if (rows.empty()) return Error::not_found("no such user");
  if (rows[0].is_null("totp_secret"))
    return Error{ErrorCode::unprocessable, "recovery codes belong to a second factor: enrol one first", {}};
  auto opened = sealer_.open ? sealer_.open(rows[0].get<std::string>("totp_secret")) : std::nullopt;
  auto secret = opened ? decode_base32(*opened) : Result<crypto::Bytes>(Error{ErrorCode::internal, "sealed", {}});
  if (!secret) return Error{ErrorCode::internal, "the second factor of this account cannot be read", {}};
  // A current code proves the authenticator is at hand: a stolen session alone cannot
  // mint itself a way past the second factor.
  auto check = verify_totp(*secret, code, clock_.now(), 1, rows[0].opt<std::int64_t>("totp_last_step"));
  if (!check.ok)
    return Error::invalid("code", check.replayed ? "this code was used already; wait for the next one"
                                                 : "does not match the authenticator app");
  auto issued = generate_recovery_codes();
  db_.execute("UPDATE users SET recovery_codes = ?, totp_last_step = ?, updated_at = ? WHERE id = ?",
              {format_recovery_codes(issued.stored), check.step, now_ms(), user_id});
  return std::move(issued.codes);
}

Status Identity::remove_totp(std::int64_t user_id) {
  if (db_.execute("UPDATE users SET totp_secret = NULL, totp_last_step = NULL, recovery_codes = NULL, "
                  "updated_at = ? WHERE id = ?",
                  {now_ms(), user_id}) != 1)
    return Error::not_found("no such user");
  return {};
}

Status Identity::reset_second_factor(std::int64_t user_id) {
  auto tx = db_.begin();
  if (tx.execute("UPDATE users SET totp_secret = NULL, totp_last_step = NULL, recovery_codes = NULL, "
                 "updated_at = ? WHERE id = ?",
                 {now_ms(), user_id}) != 1)
    return Error::not_found("no such user");
  tx.execute("UPDATE sessions SET revoked_at = ?, revoked_reason = 'second factor reset' WHERE user_id = ? AND "
             "revoked_at IS NULL",
             {now_ms(), user_id});
  tx.commit();
  return {};
}

Result<std::pair<Session, User>> Identity::authenticate(std::string_view token) {
  if (token.size() != 64) return unauthorized("not signed in");
  auto rows = db_.query("SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at, source, user_agent "
                        "FROM sessions WHERE token_hash = ?",
                        {token_hash(token)});
  if (rows.empty()) return unauthorized("not signed in");
  const auto& r = rows[0];
  auto now = now_ms();
  auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_idle).count();
  if (!r.is_null("revoked_at")) return unauthorized("this session has ended; sign in again");
  if (r.get<std::int64_t>("expires_at") <= now) return unauthorized("this session has expired; sign in again");
  if (r.get<std::int64_t>("last_seen_at") + idle <= now)
    return unauthorized("this session ended after " + std::to_string(options_.session_idle.count()) +
                        " minutes without use; sign in again");
  Session s{r.get<std::int64_t>("id"),  r.get<std::int64_t>("user_id"), from_unix_ms(r.get<std::int64_t>("created_at")),
            from_unix_ms(now),               from_unix_ms(r.get<std::int64_t>("expires_at")),
            r.opt<std::string>("source").value_or(""), r.opt<std::string>("user_agent").value_or("")};
  // Touch at most every few seconds: every request writing its session would make reads
  // into writes.
  if (now - r.get<std::int64_t>("last_seen_at") > 5000)
    db_.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {now, s.id});
  auto u = user(s.user_id);
  if (!u) return unauthorized("not signed in");
  if (u->disabled) return unauthorized("this account is disabled");
  return std::make_pair(s, *u);
}

Status Identity::logout(std::string_view token) {
  db_.execute("UPDATE sessions SET revoked_at = ?, revoked_reason = 'logout' WHERE token_hash = ? AND revoked_at IS NULL",
              {now_ms(), token_hash(token)});
  return {};
}

std::vector<Session> Identity::sessions_of(std::int64_t user_id) const {
  auto now = now_ms();
  auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_idle).count();
  std::vector<Session> out;
  for (const auto& r : db_.query("SELECT id, user_id, created_at, last_seen_at, expires_at, source, user_agent "
                                 "FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND "
                                 "last_seen_at > ? ORDER BY id DESC",
                                 {user_id, now, now - idle}))
    out.push_back(Session{r.get<std::int64_t>("id"), r.get<std::int64_t>("user_id"),
                          from_unix_ms(r.get<std::int64_t>("created_at")), from_unix_ms(r.get<std::int64_t>("last_seen_at")),
                          from_unix_ms(r.get<std::int64_t>("expires_at")), r.opt<std::string>("source").value_or(""),
                          r.opt<std::string>("user_agent").value_or("")});
  return out;
}

Status Identity::revoke_session(std::int64_t user_id, std::int64_t session_id, std::string_view reason) {
  if (db_.execute("UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND user_id = ? AND "
                  "revoked_at IS NULL",
                  {now_ms(), reason, session_id, user_id}) != 1)
    return Error::not_found("no live session " + std::to_string(session_id));
  return {};
}

std::vector<Identity::Attempt> Identity::login_attempts(std::int64_t before_id, std::size_t limit) const {
  std::vector<Attempt> out;
  for (const auto& r : db_.query("SELECT id, username, time, outcome, reason, source FROM login_attempts "
                                 "WHERE id < ? ORDER BY id DESC LIMIT ?",
                                 {before_id > 0 ? before_id : INT64_MAX, static_cast<std::int64_t>(limit)}))
    out.push_back(Attempt{r.get<std::int64_t>("id"), r.get<std::string>("username"),
                          from_unix_ms(r.get<std::int64_t>("time")), r.get<std::string>("outcome"),
                          r.opt<std::string>("reason").value_or(""), r.opt<std::string>("source").value_or("")});
  return out;
}

std::vector<Identity::LiveSession> Identity::live_sessions() const {
  auto now = now_ms();
  auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(options_.session_idle).count();
  std::vector<LiveSession> out;
  for (const auto& r : db_.query("SELECT s.id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.source, "
                                 "s.user_agent, u.username, u.display_name FROM sessions s JOIN users u ON u.id = "
                                 "s.user_id WHERE s.revoked_at IS NULL AND s.expires_at > ? AND s.last_seen_at > ? "
                                 "ORDER BY s.id DESC",
                                 {now, now - idle}))
    out.push_back(LiveSession{
        Session{r.get<std::int64_t>("id"), r.get<std::int64_t>("user_id"), from_unix_ms(r.get<std::int64_t>("created_at")),
                from_unix_ms(r.get<std::int64_t>("last_seen_at")), from_unix_ms(r.get<std::int64_t>("expires_at")),
                r.opt<std::string>("source").value_or(""), r.opt<std::string>("user_agent").value_or("")},
        r.get<std::string>("username"), r.get<std::string>("display_name")});
  return out;
}

Status Identity::end_session(std::int64_t session_id, std::string_view reason) {
  if (db_.execute("UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL",
                  {now_ms(), reason, session_id}) != 1)
    return Error::not_found("no live session " + std::to_string(session_id));
  return {};
}

}  // namespace zhengwu::auth
