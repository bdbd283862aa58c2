// Accounts, roles, grants and sessions: the identity service every route's guard asks.
//
// - Accounts are staff (members of an organisation, with a position), citizens (tied to
//   their records by a validated GB 11643 ID number) and enterprises. Passwords are
//   argon2id hashes; a policy decides what is acceptable (password.hpp).
// - Failed sign-ins are counted per account; after `lockout_attempts` failures the account
//   is locked for `lockout` (graded protection level 3, GB/T 22239-2019: "lock after N
//   failures"). Every attempt is recorded with its outcome and source address.
// - A session is a random 256-bit token shown once; the database keeps only its SM3 hash,
//   so a copy of the database holds no usable token. Sessions end after `session_idle`
//   without use and `session_absolute` after sign-in, and on logout or revocation.
// - Roles bundle permissions; a grant gives a role over an organisation (optionally its
//   subtree); the three administrator roles are mutually exclusive (access_policy.hpp).
//
// Ownership: borrows the Database and the Clock. Thread-safety: any thread.
#pragma once

#include <chrono>
#include <functional>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kernel/auth/access_policy.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/auth/password.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/result.hpp"

namespace zhengwu::auth {

struct IdentityOptions {
  PasswordPolicy password;
  Argon2Params argon2;
  int lockout_attempts = 5;
  std::chrono::minutes lockout{15};
  std::chrono::minutes session_idle{30};
  std::chrono::hours session_absolute{12};
  bool admin_second_factor_required = true;
};

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string kind;  // staff, citizen, enterprise
  std::optional<std::int64_t> org_id;
  std::optional<std::string> org_code;
  std::optional<std::string> position;
  std::optional<std::string> id_number;  // citizens: 18 characters, normalised
  std::optional<std::string> uscc;       // enterprises
  bool must_change_password = false;
  bool locked = false;
  std::optional<TimePoint> locked_until;
  bool disabled = false;
  bool totp_enrolled = false;
  std::size_t recovery_codes_left = 0;  // unused recovery codes of the second factor
  int real_name_level = 0;              // citizens: see RealNameLevel; 0 for other accounts
};

// How sure the platform is that a citizen account belongs to the person its ID number
// names; services may ask for a minimum level. The platform's own scale:
//   1  the ID number passed the GB 11643 check when the account was made (self-declared)
//   2  name and number confirmed against the population register by a trusted channel
//   3  the person was verified in person (a service window with the ID card) or by face
inline constexpr int kRealNameDeclared = 1;
inline constexpr int kRealNameRegisterChecked = 2;
inline constexpr int kRealNameInPerson = 3;

struct NewUser {
  std::string username;
  std::string display_name;
  std::string kind = "staff";
  std::optional<std::string> org_code;   // staff: required
  std::optional<std::string> position;
  std::optional<std::string> id_number;  // citizens: required
  std::optional<std::string> uscc;       // enterprises: required
  std::string password;
  bool must_change_password = true;      // default accounts change their password first
  int real_name_level = kRealNameDeclared;  // citizens only: 1..3
};

struct Session {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  TimePoint created_at;
  TimePoint last_seen_at;
  TimePoint expires_at;  // absolute end
  std::string source;
  std::string user_agent;
};

struct LoginRequest {
  std::string username;
  std::string password;
  std::optional<std::string> totp;
  // Instead of `totp`: one of the account's single-use recovery codes.
  std::optional<std::string> recovery_code;
  std::string source;
  std::string user_agent;
};

struct LoginResult {
  std::string token;  // shown once
  Session session;
  User user;
};

// Seals secrets kept in the database (TOTP secrets) and opens them again; the platform
// plugs in SM4 field encryption under the master key (kernel/crypto/field_cipher.hpp).
struct SecretSealer {
  std::function<std::string(std::string_view plaintext)> seal;
  std::function<std::optional<std::string>(std::string_view sealed)> open;  // nullopt: tampered or unknown key
};

// The builtin roles every installation has.
inline constexpr const char* kSystemAdmin = "sys_admin";
inline constexpr const char* kSecurityAdmin = "sec_admin";
inline constexpr const char* kAuditAdmin = "audit_admin";

class Identity {
 public:
  Identity(db::Database& db, const Clock& clock, IdentityOptions options = {});

  // --- permissions and roles ---
  // Adds a permission to the catalogue (kernel services and modules at start-up).
  void register_permission(std::string name, std::string description);
  const std::map<std::string, std::string, std::less<>>& permissions() const { return permissions_; }
  // Creates or refreshes the builtin roles (idempotent); call after migrations.
  void ensure_builtin_roles();
  std::vector<Role> roles() const;
  Result<Role> role_by_code(std::string_view code) const;
  Result<Role> create_role(const std::string& code, const std::string& name, const std::vector<std::string>& permissions);
  Result<Role> set_role_permissions(std::int64_t role_id, const std::vector<std::string>& permissions);

  // --- accounts ---
  Result<User> create_user(const NewUser& input);
  Result<User> user(std::int64_t id) const;
  Result<User> user_by_name(std::string_view username) const;
  // Where a caller may see accounts: organisation paths, each with or without its subtree;
  // `everywhere` (a grant over the root) also covers accounts of no organisation.
  struct Scope {
    std::vector<std::pair<std::string, bool>> paths;  // (path, include_subtree)
    bool everywhere = false;
  };
  // Accounts of the organisations under `org_path` (all when empty) and inside `scope`
  // (no limit when null), matching `text` in username or display name; ordered by
  // username after `after` (keyset paging). The scope is applied in the query, so a page
  // is never short because of it.
  std::vector<User> list_users(std::string_view org_path, std::string_view text, std::string_view after,
                               std::size_t limit, const Scope* scope = nullptr) const;
  Status change_password(std::int64_t user_id, std::string_view old_password, std::string_view new_password);
  // An administrator sets a new password; the account must change it at next sign-in.
  Status reset_password(std::int64_t user_id, std::string_view new_password);
  Status unlock(std::int64_t user_id);
  // A citizen's real-name level after a check outside the platform (1..3; "level" named
  // on a bad value, ErrorCode::unprocessable for an account that is not a citizen).
  Status set_real_name_level(std::int64_t user_id, int level);
  Status set_disabled(std::int64_t user_id, bool disabled);

  // --- grants ---
  Result<Grant> grant(std::int64_t user_id, std::string_view role_code, std::string_view org_code,
                      bool include_subtree, std::optional<std::int64_t> granted_by);
  Status revoke_grant(std::int64_t grant_id);
  std::vector<Grant> grants_of(std::int64_t user_id) const;
  // What the access check needs; the Role objects live in `roles_out`.
  ActorAccess access_of(std::int64_t user_id, std::vector<std::unique_ptr<Role>>& roles_out) const;

  // --- second factor (TOTP, RFC 6238) ---
  void set_secret_sealer(SecretSealer sealer) { sealer_ = std::move(sealer); }
  // Enrols the account with `secret_base32` (generated by new_totp_secret and shown to
  // the user as a QR code) once `code` proves the authenticator app has it. Returns a
  // new set of recovery codes (recovery_codes.hpp) to show once; any earlier set is void.
  Result<std::vector<std::string>> enroll_totp(std::int64_t user_id, std::string_view secret_base32,
                                               std::string_view code);
  // A new set of recovery codes, the old one void; `code` is a current TOTP code
  // (ErrorCode::invalid naming "code" otherwise; unprocessable when not enrolled).
  Result<std::vector<std::string>> regenerate_recovery_codes(std::int64_t user_id, std::string_view code);
  Status remove_totp(std::int64_t user_id);
  // An administrator clears the second factor of an account that lost it (secret and
  // recovery codes) and ends its sessions; an administrator account must enrol again
  // at its next sign-in.
  Status reset_second_factor(std::int64_t user_id);

  // --- sessions ---
  // Checks the password (and the second factor when the account has one: a TOTP code or
  // one of its recovery codes), counts failures, locks, records the attempt, opens a
  // session. The error never tells which
  // of username and password was wrong.
  Result<LoginResult> login(const LoginRequest& request);
  // The session of a bearer token, if it is live; touches its last use.
  Result<std::pair<Session, User>> authenticate(std::string_view token);
  Status logout(std::string_view token);
  std::vector<Session> sessions_of(std::int64_t user_id) const;
  Status revoke_session(std::int64_t user_id, std::int64_t session_id, std::string_view reason);

  // --- for the system administrator ---
  struct Attempt {
    std::int64_t id;
    std::string username;
    TimePoint time;
    std::string outcome;  // success, failure, refused
    std::string reason;
    std::string source;
  };
  // Sign-in attempts, newest first, before `before_id` (0: from the newest).
  std::vector<Attempt> login_attempts(std::int64_t before_id, std::size_t limit) const;
  struct LiveSession {
    Session session;
    std::string username;
    std::string display_name;
  };
  // Every live session, newest first.
  std::vector<LiveSession> live_sessions() const;
  // Ends any session (forced sign-out).
  Status end_session(std::int64_t session_id, std::string_view reason);

  const IdentityOptions& options() const { return options_; }

 private:
  std::int64_t now_ms() const;
  Result<User> load_user(std::string_view where, const db::Params& params) const;
  void record_attempt(std::string_view username, std::optional<std::int64_t> user_id, std::string_view outcome,
                      std::string_view reason, std::string_view source);

  db::Database& db_;
  const Clock& clock_;
  IdentityOptions options_;
  SecretSealer sealer_;
  std::map<std::string, std::string, std::less<>> permissions_;
};

// The hex of the SM3 hash of a token, as stored.
std::string token_hash(std::string_view token);

}  // namespace zhengwu::auth
