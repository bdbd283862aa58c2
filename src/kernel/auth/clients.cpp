// System clients and request signatures; see clients.hpp.
#include "kernel/auth/clients.hpp"

#include <algorithm>

#include "kernel/crypto/crypto.hpp"
#include "kernel/crypto/request_signature.hpp"

namespace zhengwu::auth {
namespace {

constexpr const char* kColumns =
    "c.id, c.client_id, c.org_id, o.code AS org_code, o.name AS org_name, o.path AS org_path, c.name, c.disabled, "
    "c.created_at, c.rotated_at, c.previous_valid_until";

Error refused(std::string message) { return Error{ErrorCode::unauthorized, std::move(message), {}}; }

bool valid_nonce(std::string_view n) {
  return n.size() >= 8 && n.size() <= 128 && std::all_of(n.begin(), n.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
         });
}

}  // namespace

ClientRegistry::ClientRegistry(db::Database& db, const Clock& clock, SecretSealer sealer, ClientOptions options)
    : db_(db),
      clock_(clock),
      sealer_(std::move(sealer)),
      options_(options),
      nonces_(std::make_unique<NonceLedger>(db, clock)) {}

namespace {

Client client_from(const db::Row& r) {
  Client c;
  c.id = r.get<std::int64_t>("id");
  c.client_id = r.get<std::string>("client_id");
  c.org_id = r.get<std::int64_t>("org_id");
  c.org_code = r.get<std::string>("org_code");
  c.org_name = r.get<std::string>("org_name");
  c.org_path = r.get<std::string>("org_path");
  c.name = r.get<std::string>("name");
  c.disabled = r.get<bool>("disabled");
  c.created_at = from_unix_ms(r.get<std::int64_t>("created_at"));
  if (auto t = r.opt<std::int64_t>("rotated_at")) c.rotated_at = from_unix_ms(*t);
  if (auto t = r.opt<std::int64_t>("previous_valid_until")) c.previous_valid_until = from_unix_ms(*t);
  return c;
}

}  // namespace

std::optional<Client> ClientRegistry::load(std::string_view where, const db::Params& params) const {
  auto rows = db_.query(std::string("SELECT ") + kColumns + " FROM clients c JOIN orgs o ON o.id = c.org_id WHERE " +
                            std::string(where),
                        params);
  if (rows.empty()) return std::nullopt;
  return client_from(rows[0]);
}

Result<ClientWithSecret> ClientRegistry::register_client(std::string_view org_code, std::string_view name) {
  auto chars = std::count_if(name.begin(), name.end(), [](char c) { return (c & 0xC0) != 0x80; });
  if (chars == 0 || chars > 100) return Error::invalid("name", "must have 1 to 100 characters");
  auto org = db_.query("SELECT id FROM orgs WHERE code = ?", {org_code});
  if (org.empty()) return Error::invalid("org", "no organisation has the code " + std::string(org_code));
  std::string client_id = "zw_" + crypto::to_hex(crypto::random_bytes(8));
  std::string secret = crypto::to_hex(crypto::random_bytes(32));
  db_.execute("INSERT INTO clients (client_id, org_id, name, secret_enc, created_at) VALUES (?, ?, ?, ?, ?)",
              {client_id, org[0].get<std::int64_t>(0), name, sealer_.seal(secret), to_unix_ms(clock_.now())});
  return ClientWithSecret{*load("c.client_id = ?", {client_id}), secret};
}

Result<ClientWithSecret> ClientRegistry::rotate(std::int64_t id) {
  auto tx = db_.begin();
  auto rows = tx.query("SELECT secret_enc FROM clients WHERE id = ?", {id});
  if (rows.empty()) return Error::not_found("no client " + std::to_string(id));
  std::string secret = crypto::to_hex(crypto::random_bytes(32));
  auto now = clock_.now();
  tx.execute("UPDATE clients SET previous_secret_enc = secret_enc, previous_valid_until = ?, secret_enc = ?, "
             "rotated_at = ? WHERE id = ?",
             {to_unix_ms(now + options_.rotation_grace), sealer_.seal(secret), to_unix_ms(now), id});
  tx.commit();
  return ClientWithSecret{*load("c.id = ?", {id}), secret};
}

Status ClientRegistry::set_disabled(std::int64_t id, bool disabled) {
  if (db_.execute("UPDATE clients SET disabled = ? WHERE id = ?", {disabled, id}) != 1)
    return Error::not_found("no client " + std::to_string(id));
  return {};
}

Result<Client> ClientRegistry::get(std::int64_t id) const {
  auto c = load("c.id = ?", {id});
  if (!c) return Error::not_found("no client " + std::to_string(id));
  return *c;
}

std::vector<Client> ClientRegistry::list(std::string_view org_path) const {
  std::vector<Client> out;
  auto rows = db_.query("SELECT c.id FROM clients c JOIN orgs o ON o.id = c.org_id WHERE o.path LIKE ? ORDER BY c.name, c.id",
                        {std::string(org_path) + "%"});
  for (const auto& r : rows)
    if (auto c = load("c.id = ?", {r.get<std::int64_t>(0)})) out.push_back(std::move(*c));
  return out;
}

Result<Client> ClientRegistry::verify(const SignedRequest& req) {
  if (req.client_id.empty() || req.timestamp.empty() || req.nonce.empty() || req.signature.empty())
    return refused("a signed request needs X-Zw-Client, X-Zw-Timestamp, X-Zw-Nonce and X-Zw-Signature");
  auto ts = crypto::parse_timestamp(req.timestamp);
  auto now_s = std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  if (!ts) return refused("X-Zw-Timestamp must be unix seconds");
  if (!crypto::check_timestamp(now_s, *ts, options_.skew))
    return refused("X-Zw-Timestamp is more than " + std::to_string(options_.skew.count()) +
                   " seconds from the server's time");
  if (!valid_nonce(req.nonce)) return refused("X-Zw-Nonce must be 8 to 128 letters, digits, '-', '_' or '.'");
  // One query for the client and its secrets, on every signed request.
  auto rows = db_.query(std::string("SELECT ") + kColumns +
                            ", c.secret_enc, c.previous_secret_enc FROM clients c JOIN orgs o ON o.id = c.org_id "
                            "WHERE c.client_id = ?",
                        {req.client_id});
  if (rows.empty()) return refused("unknown client");
  const auto& r = rows[0];
  if (r.get<bool>("disabled")) return refused("this client is disabled");
  auto canonical = crypto::canonical_request(req.method, req.path, req.query_text, req.timestamp, req.nonce, req.body);
  bool ok = false;
  if (auto secret = open_secret(r.get<std::string>("secret_enc")))
    ok = crypto::verify_request_signature(*secret, canonical, req.signature);
  if (!ok && !r.is_null("previous_secret_enc") &&
      r.get<std::int64_t>("previous_valid_until") > to_unix_ms(clock_.now())) {
    if (auto previous = open_secret(r.get<std::string>("previous_secret_enc")))
      ok = crypto::verify_request_signature(*previous, canonical, req.signature);
  }
  if (!ok) return refused("the signature does not match the request");
  // The nonce is remembered until its timestamp could no longer pass the skew check.
  auto until = (*ts + 2 * options_.skew.count()) * 1000;
  if (!nonces_->remember(req.client_id, req.nonce, until)) return refused("this nonce was used already (replay)");
  return client_from(r);
}

// Opening a sealed secret decrypts it with the master key on every signed request; the
// sealed text never changes meaning (a rotation writes a new one), so what it opens to is
// kept. Bounded: the map starts over past 4,096 entries (clients times rotations).
std::optional<std::string> ClientRegistry::open_secret(const std::string& sealed) {
  {
    std::lock_guard lock(opened_mutex_);
    if (auto it = opened_.find(sealed); it != opened_.end()) return it->second;
  }
  auto secret = sealer_.open(sealed);
  if (!secret) return secret;
  std::lock_guard lock(opened_mutex_);
  if (opened_.size() >= 4096) opened_.clear();
  opened_.emplace(sealed, *secret);
  return secret;
}

std::int64_t ClientRegistry::prune_nonces() { return nonces_->prune(); }

void ClientRegistry::flush_nonces() { nonces_->flush(); }

}  // namespace zhengwu::auth
