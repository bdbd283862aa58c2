// Schema of the identity tables, module "kernel.auth" (version 2: enterprise profiles and
// agents). Times are milliseconds since the Unix epoch (BIGINT) so that both engines
// compare them the same way.
#include "kernel/auth/org_directory.hpp"

namespace zhengwu::auth {

std::vector<db::Migration> auth_migrations() {
  return {{"kernel.auth", 1, "organisations, users, roles, grants, sessions, login attempts, system clients", R"SQL(
CREATE TABLE orgs (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_id BIGINT REFERENCES orgs (id),
  path TEXT NOT NULL,
  division_code TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX orgs_path ON orgs (path);
CREATE INDEX orgs_parent ON orgs (parent_id);
CREATE TABLE users (
  id {{pk}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('staff', 'citizen', 'enterprise')),
  org_id BIGINT REFERENCES orgs (id),
  position TEXT,
  id_number TEXT UNIQUE,
  uscc TEXT,
  real_name_level INTEGER NOT NULL DEFAULT 0,
  phone TEXT,
  password_hash TEXT NOT NULL,
  password_changed_at BIGINT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT,
  disabled INTEGER NOT NULL DEFAULT 0,
  totp_secret TEXT,
  totp_last_step BIGINT,
  recovery_codes TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX users_org ON users (org_id);
CREATE TABLE roles (
  id {{pk}},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  admin_kind TEXT NOT NULL DEFAULT 'none' CHECK (admin_kind IN ('none', 'system', 'security', 'audit')),
  builtin INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE TABLE role_permissions (
  role_id BIGINT NOT NULL REFERENCES roles (id),
  permission TEXT NOT NULL,
  PRIMARY KEY (role_id, permission)
);
CREATE TABLE grants (
  id {{pk}},
  user_id BIGINT NOT NULL REFERENCES users (id),
  role_id BIGINT NOT NULL REFERENCES roles (id),
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  include_subtree INTEGER NOT NULL DEFAULT 1,
  granted_by BIGINT,
  granted_at BIGINT NOT NULL,
  UNIQUE (user_id, role_id, org_id)
);
CREATE INDEX grants_user ON grants (user_id);
CREATE TABLE sessions (
  id {{pk}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revoked_reason TEXT,
  source TEXT,
  user_agent TEXT,
  second_factor INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE login_attempts (
  id {{pk}},
  username TEXT NOT NULL,
  user_id BIGINT,
  time BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT,
  source TEXT
);
CREATE INDEX login_attempts_time ON login_attempts (time);
CREATE TABLE clients (
  id {{pk}},
  client_id TEXT NOT NULL UNIQUE,
  org_id BIGINT NOT NULL REFERENCES orgs (id),
  name TEXT NOT NULL,
  secret_enc TEXT NOT NULL,
  previous_secret_enc TEXT,
  previous_valid_until BIGINT,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  rotated_at BIGINT
);
CREATE TABLE client_nonces (
  client_id TEXT NOT NULL,
  nonce TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, nonce)
);
CREATE INDEX client_nonces_expiry ON client_nonces (expires_at)
)SQL"},
          // Enterprise accounts (enterprise.hpp): the profile with the legal representative,
          // and the citizens authorised to act for the enterprise. Authorisations are
          // never deleted; "at most one in force per pair" is kept by EnterpriseRegistry
          // because it depends on the clock, which an index cannot see.
          {"kernel.auth", 2, "enterprise profiles and authorised agents", R"SQL(
CREATE TABLE enterprise_profiles (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  name TEXT NOT NULL,
  legal_rep_name TEXT NOT NULL,
  legal_rep_id_number TEXT NOT NULL,
  legal_rep_id_converted INTEGER NOT NULL DEFAULT 0,
  division_code TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE enterprise_agents (
  id {{pk}},
  enterprise_id BIGINT NOT NULL REFERENCES users (id),
  agent_id BIGINT NOT NULL REFERENCES users (id),
  scope TEXT NOT NULL,
  valid_from BIGINT NOT NULL,
  valid_until BIGINT NOT NULL,
  granted_by BIGINT REFERENCES users (id),
  granted_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revoked_by BIGINT REFERENCES users (id),
  revoked_reason TEXT,
  CHECK (valid_until > valid_from),
  CHECK (enterprise_id <> agent_id)
);
CREATE INDEX enterprise_agents_enterprise ON enterprise_agents (enterprise_id, id);
CREATE INDEX enterprise_agents_agent ON enterprise_agents (agent_id, valid_until)
)SQL"}};
}

}  // namespace zhengwu::auth
