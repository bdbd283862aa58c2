// System clients: the applications of departments that call the platform without a
// person signed in (the exchange API, pushes, Open311 clients).
//
// A client belongs to an organisation. Its secret is shown once, at registration or
// rotation, and kept only sealed (SM4-CTR + HMAC-SM3 under the master key). Every request
// of a client is signed per DESIGN.md: headers X-Zw-Client, X-Zw-Timestamp (unix seconds),
// X-Zw-Nonce and X-Zw-Signature = hex HMAC-SM3(secret, canonical request)
// (kernel/crypto/request_signature.hpp). A timestamp more than `skew` off, a nonce seen
// before, a wrong signature, an unknown or disabled client → 401. After a rotation the
// previous secret stays valid for `rotation_grace`, so the department can roll out the
// new one without an outage.
//
// Ownership: borrows the Database and the Clock. Thread-safety: any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "kernel/auth/identity.hpp"
#include "kernel/auth/nonce_ledger.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/result.hpp"

namespace zhengwu::auth {

struct Client {
  std::int64_t id = 0;
  std::string client_id;  // "zw_…", public
  std::int64_t org_id = 0;
  std::string org_code;
  std::string org_name;
  std::string org_path;
  std::string name;
  bool disabled = false;
  TimePoint created_at;
  std::optional<TimePoint> rotated_at;
  std::optional<TimePoint> previous_valid_until;
};

struct ClientWithSecret {
  Client client;
  std::string secret;  // shown once
};

struct SignedRequest {
  std::string_view method;
  std::string_view path;        // as sent, percent-encoded
  std::string_view query_text;  // as sent
  std::string_view body;
  std::string_view client_id;
  std::string_view timestamp;
  std::string_view nonce;
  std::string_view signature;
};

struct ClientOptions {
  std::chrono::seconds skew{300};
  std::chrono::hours rotation_grace{24};
};

class ClientRegistry {
 public:
  ClientRegistry(db::Database& db, const Clock& clock, SecretSealer sealer, ClientOptions options = {});

  Result<ClientWithSecret> register_client(std::string_view org_code, std::string_view name);
  Result<ClientWithSecret> rotate(std::int64_t id);
  Status set_disabled(std::int64_t id, bool disabled);
  Result<Client> get(std::int64_t id) const;
  // Clients of the organisations under `org_path` (all when empty), by name.
  std::vector<Client> list(std::string_view org_path) const;

  // Checks a signed request; the error says which check failed (all ErrorCode::unauthorized).
  Result<Client> verify(const SignedRequest& request);
  // Forgets nonces whose time window has passed (a recurring job).
  std::int64_t prune_nonces();
  // Writes the nonces remembered since the last batch (nonce_ledger.hpp) now.
  void flush_nonces();

 private:
  std::optional<Client> load(std::string_view where, const db::Params& params) const;
  // The secret inside a sealed one, opened once per sealed text (see verify()).
  std::optional<std::string> open_secret(const std::string& sealed);

  db::Database& db_;
  const Clock& clock_;
  SecretSealer sealer_;
  ClientOptions options_;
  std::unique_ptr<NonceLedger> nonces_;
  std::mutex opened_mutex_;
  std::unordered_map<std::string, std::string> opened_;  // sealed secret → secret; guarded by opened_mutex_
};

}  // namespace zhengwu::auth
