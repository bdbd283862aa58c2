// Push subscriptions: storage, delivery and the HTTP transport; see subscriptions.hpp.
#include "modules/data/subscriptions.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>

#include "kernel/crypto/crypto.hpp"
#include "modules/data/data_use.hpp"
#include "modules/data/exchange_view.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {
namespace json = boost::json;

namespace {

constexpr const char* kColumns =
    "s.id, s.resource_id, r.code, r.spec, s.org, s.purpose, s.url, s.client_id, s.client_name, s.state, "
    "s.paused_reason, s.paused_by, s.cursor_seq, s.attempts, s.next_attempt_at, s.last_attempt_at, s.last_status, "
    "s.last_error, s.last_delivered_at, s.delivered, s.pending_to_seq, s.created_by, s.created_at, s.updated_at, "
    "(SELECT count(*) FROM data_subscription_dead_letters d WHERE d.subscription_id = s.id AND d.delivered_at IS "
    "NULL)";
constexpr const char* kFrom = " FROM data_subscriptions s JOIN data_resources r ON r.id = s.resource_id";

constexpr const char* kDeadLetterColumns =
    "id, subscription_id, delivery_id, from_seq, to_seq, records, attempts, last_status, last_error, created_at, "
    "redeliveries, redelivered_at, redelivered_by, redelivery_status, redelivery_error, delivered_at";

std::optional<TimePoint> time_or_none(const db::Value& v) {
  if (v.is_null()) return std::nullopt;
  return from_unix_ms(v.as_int());
}
std::optional<int> int_or_none(const db::Value& v) {
  if (v.is_null()) return std::nullopt;
  return static_cast<int>(v.as_int());
}

std::optional<SubscriptionState> state_from(std::string_view s) {
  if (s == "active") return SubscriptionState::active;
  if (s == "paused") return SubscriptionState::paused;
  if (s == "cancelled") return SubscriptionState::cancelled;
  return std::nullopt;
}

Subscription subscription_of(const db::Row& r) {
  Subscription s;
  s.id = r.at(0).as_int();
  s.resource_id = r.at(1).as_int();
  s.resource_code = r.at(2).as_text();
  s.resource_name = s.resource_code;
  boost::system::error_code ec;
  auto spec = json::parse(r.at(3).as_text(), ec);
  if (!ec && spec.is_object())
    if (const auto* name = spec.as_object().if_contains("name"); name && name->is_string())
      s.resource_name = std::string(name->as_string());
  s.org = r.at(4).as_text();
  s.purpose = r.at(5).as_text();
  s.url = r.at(6).as_text();
  if (!r.at(7).is_null()) s.client_id = r.at(7).as_text();
  s.client_name = r.at(8).as_text();
  s.state = state_from(r.at(9).as_text()).value_or(SubscriptionState::paused);
  s.paused_reason = r.at(10).as_text();
  s.paused_by = r.at(11).as_text();
  s.cursor = r.at(12).as_int();
  s.attempts = static_cast<int>(r.at(13).as_int());
  s.next_attempt_at = from_unix_ms(r.at(14).as_int());
  s.last_attempt_at = time_or_none(r.at(15));
  s.last_status = int_or_none(r.at(16));
  s.last_error = r.at(17).as_text();
  s.last_delivered_at = time_or_none(r.at(18));
  s.delivered = r.at(19).as_int();
  if (!r.at(20).is_null()) s.pending_to_seq = r.at(20).as_int();
  s.created_by = r.at(21).as_text();
  s.created_at = from_unix_ms(r.at(22).as_int());
  s.updated_at = from_unix_ms(r.at(23).as_int());
  s.dead_letters = r.at(24).as_int();
  return s;
}

DeadLetter dead_letter_of(const db::Row& r) {
  DeadLetter d;
  d.id = r.at(0).as_int();
  d.subscription_id = r.at(1).as_int();
  d.delivery_id = r.at(2).as_text();
  d.from_seq = r.at(3).as_int();
  d.to_seq = r.at(4).as_int();
  d.records = r.at(5).as_int();
  d.attempts = static_cast<int>(r.at(6).as_int());
  d.last_status = int_or_none(r.at(7));
  d.last_error = r.at(8).as_text();
  d.created_at = from_unix_ms(r.at(9).as_int());
  d.redeliveries = static_cast<int>(r.at(10).as_int());
  d.redelivered_at = time_or_none(r.at(11));
  if (!r.at(12).is_null()) d.redelivered_by = r.at(12).as_text();
  d.redelivery_status = int_or_none(r.at(13));
  d.redelivery_error = r.at(14).as_text();
  d.delivered_at = time_or_none(r.at(15));
  return d;
}

std::optional<Subscription> load(db::Database& db, std::int64_t id) {
  auto rows = db.query(std::string("SELECT ") + kColumns + kFrom + " WHERE s.id = ?", {id});
  if (rows.empty()) return std::nullopt;
  return subscription_of(rows[0]);
}

// Why no grant serves the subscription any more, in words for the list: the newest grant
// of the organisation on the resource for this purpose, revoked or expired, or none.
std::string grant_gone_reason(const SharingStore& sharing, const std::string& org, const std::string& resource_code,
                              const std::string& purpose, TimePoint now) {
  GrantQuery q;
  q.consumer_org = org;
  q.resource_code = resource_code;
  q.limit = 200;
  for (const auto& g : sharing.grants(q).items) {
    if (g.purpose != purpose) continue;
    if (g.revoked_at)
      return "grant " + std::to_string(g.id) + " was revoked" + (g.revoke_reason.empty() ? "" : ": " + g.revoke_reason);
    if (!g.active_at(now)) return "grant " + std::to_string(g.id) + " has expired";
  }
  return "no grant in force for this purpose";
}

std::string random_hex(std::size_t bytes) { return crypto::to_hex(crypto::random_bytes(bytes)); }

std::string skip_locked(const db::Database& db) {
  return db.kind() == db::Kind::postgres ? " FOR UPDATE SKIP LOCKED" : "";
}

}  // namespace

std::vector<db::Migration> subscription_migrations() {
  return {{"data", 11, "push subscriptions and their dead letters", R"SQL(
CREATE TABLE data_subscriptions (
  id {{pk}},
  resource_id BIGINT NOT NULL REFERENCES data_resources (id),
  org TEXT NOT NULL,
  purpose TEXT NOT NULL,
  url TEXT NOT NULL,
  client_id TEXT,
  client_name TEXT NOT NULL DEFAULT '',
  secret_enc TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'paused', 'cancelled')),
  paused_reason TEXT NOT NULL DEFAULT '',
  paused_by TEXT NOT NULL DEFAULT '',
  cursor_seq BIGINT NOT NULL,
  pending_delivery TEXT,
  pending_payload TEXT,
  pending_details TEXT,
  pending_grant BIGINT,
  pending_to_seq BIGINT,
  pending_records INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_attempt_at BIGINT,
  last_status INTEGER,
  last_error TEXT NOT NULL DEFAULT '',
  last_delivered_at BIGINT,
  delivered BIGINT NOT NULL DEFAULT 0,
  locked_by TEXT,
  locked_until BIGINT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX data_subscriptions_due ON data_subscriptions (state, next_attempt_at);
CREATE INDEX data_subscriptions_org ON data_subscriptions (org, id);
CREATE TABLE data_subscription_dead_letters (
  id {{pk}},
  subscription_id BIGINT NOT NULL REFERENCES data_subscriptions (id),
  delivery_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  details TEXT NOT NULL,
  grant_id BIGINT,
  from_seq BIGINT NOT NULL,
  to_seq BIGINT NOT NULL,
  records INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  last_status INTEGER,
  last_error TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  redeliveries INTEGER NOT NULL DEFAULT 0,
  redelivered_at BIGINT,
  redelivered_by TEXT,
  redelivery_status INTEGER,
  redelivery_error TEXT NOT NULL DEFAULT '',
  delivered_at BIGINT
);
CREATE INDEX data_subscription_dead_letters_subscription ON data_subscription_dead_letters (subscription_id, id)
)SQL"}};
}

DeliveryPolicy DeliveryPolicy::from_environment() {
  DeliveryPolicy p;
  auto number = [](const char* name, long long low, long long high) -> std::optional<long long> {
    const char* v = std::getenv(name);
    if (!v || !*v) return std::nullopt;
    char* end = nullptr;
    const long long n = std::strtoll(v, &end, 10);
    if (*end != '\0' || n < low || n > high) {
      spdlog::warn("{}={} is ignored: must be {} to {}", name, v, low, high);
      return std::nullopt;
    }
    return n;
  };
  if (auto n = number("ZHENGWU_WEBHOOK_MAX_ATTEMPTS", 1, 100)) p.max_attempts = static_cast<int>(*n);
  if (auto n = number("ZHENGWU_WEBHOOK_RETRY_BASE_MS", 100, 3'600'000)) p.retry_base = std::chrono::milliseconds(*n);
  if (const char* v = std::getenv("ZHENGWU_WEBHOOK_CA_FILE"); v && *v) p.ca_file = v;
  return p;
}

std::chrono::milliseconds retry_delay(int failures, const DeliveryPolicy& policy) {
  if (failures < 1) return std::chrono::milliseconds(0);
  auto delay = policy.retry_base;
  for (int i = 1; i < failures && delay < policy.retry_cap; ++i) delay *= 2;
  return std::min(delay, policy.retry_cap);
}

Status check_subscription_url(std::string_view url) {
  auto bad = [](std::string message) { return Error::invalid("url", std::move(message)); };
  if (url.empty()) return bad("is required: the http:// or https:// address the changes are POSTed to");
  if (url.size() > kMaxSubscriptionUrlChars)
    return bad("at most " + std::to_string(kMaxSubscriptionUrlChars) + " characters");
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return bad("is not an absolute URL (https://host[:port]/path)");
  const auto scheme = parsed->scheme();
  if (scheme != "http" && scheme != "https")
    return bad("must start with https:// or http:// (got " + std::string(scheme) + ":)");
  if (!parsed->has_authority() || parsed->encoded_host().empty()) return bad("names no host");
  if (parsed->has_userinfo()) return bad("must not carry a user name or password");
  if (parsed->has_port() && (parsed->port_number() == 0)) return bad("has an invalid port");
  return Status::success();
}

std::string_view to_string(SubscriptionState s) {
  switch (s) {
    case SubscriptionState::active: return "active";
    case SubscriptionState::paused: return "paused";
    case SubscriptionState::cancelled: return "cancelled";
  }
  return "paused";
}

std::string_view delivery_health(const Subscription& s) {
  if (s.state == SubscriptionState::cancelled) return "cancelled";
  if (s.state == SubscriptionState::paused) return "paused";
  if (s.attempts > 0) return "retrying";
  if (s.dead_letters > 0) return "dead_letters";
  return "ok";
}

// ---- the store -------------------------------------------------------------------------

SubscriptionStore::SubscriptionStore(db::Database& db, const Clock& clock, const CatalogStore& catalog,
                                     const SharingStore& sharing, auth::SecretSealer sealer)
    : db_(db), clock_(clock), catalog_(catalog), sharing_(sharing), sealer_(std::move(sealer)) {}

Result<SubscriptionWithSecret> SubscriptionStore::create(const NewSubscription& in) {
  if (auto ok = check_subscription_url(in.url); !ok) return ok.error();
  if (in.purpose.empty()) return Error::invalid("purpose", "is required: the purpose of a grant in force");
  auto resource = catalog_.get(in.resource_code);
  if (!resource) return Error::not_found("no resource " + in.resource_code);
  if (resource->state != ResourceState::published)
    return Error::invalid("resource", in.resource_code + " is not published");
  if (auto v = visibility_for(sharing_, *resource, in.org, in.purpose); !v) return v.error();
  const std::string secret = random_hex(32);
  const std::int64_t now = to_unix_ms(clock_.now());
  const std::int64_t cursor = RecordStore(db_, clock_).last_seq(resource->id);
  auto rows = db_.query(
      "INSERT INTO data_subscriptions (resource_id, org, purpose, url, client_id, client_name, secret_enc, state, "
      "cursor_seq, next_attempt_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, "
      "?, ?, ?) RETURNING id",
      {resource->id, in.org, in.purpose, in.url, db::Value(in.client_id), in.client_name, sealer_.seal(secret), cursor,
       now, in.actor, now, now});
  auto made = load(db_, rows[0].get<std::int64_t>(0));
  return SubscriptionWithSecret{*made, secret};
}

Result<Subscription> SubscriptionStore::get(std::int64_t id) const {
  auto s = load(db_, id);
  if (!s) return Error::not_found("no subscription " + std::to_string(id));
  return *s;
}

SubscriptionPage<Subscription> SubscriptionStore::list(const SubscriptionQuery& q) const {
  std::string sql = std::string("SELECT ") + kColumns + kFrom + " WHERE 1 = 1";
  db::Params p;
  if (q.org) {
    sql += " AND s.org = ?";
    p.emplace_back(*q.org);
  }
  if (q.resource_id) {
    sql += " AND s.resource_id = ?";
    p.emplace_back(*q.resource_id);
  }
  if (!q.include_cancelled) sql += " AND s.state <> 'cancelled'";
  if (q.before_id) {
    sql += " AND s.id < ?";
    p.emplace_back(*q.before_id);
  }
  sql += " ORDER BY s.id DESC LIMIT ?";
  p.emplace_back(static_cast<std::int64_t>(q.limit + 1));
  SubscriptionPage<Subscription> page;
  for (const auto& r : db_.query(sql, p)) page.items.push_back(subscription_of(r));
  if (page.items.size() > q.limit) {
    page.items.resize(q.limit);
    page.next_cursor = page.items.back().id;
  }
  return page;
}

Result<Subscription> SubscriptionStore::pause(std::int64_t id, const std::string& actor, const std::string& reason) {
  auto s = get(id);
  if (!s) return s;
  if (s->state == SubscriptionState::cancelled) return Error::conflict("subscription " + std::to_string(id) + " is cancelled");
  if (s->state == SubscriptionState::paused) return s;
  db_.execute("UPDATE data_subscriptions SET state = 'paused', paused_reason = ?, paused_by = ?, updated_at = ? "
              "WHERE id = ? AND state = 'active'",
              {reason.empty() ? "paused by " + actor : reason, actor, to_unix_ms(clock_.now()), id});
  return get(id);
}

Result<Subscription> SubscriptionStore::resume(std::int64_t id, const std::string& actor) {
  auto s = get(id);
  if (!s) return s;
  if (s->state == SubscriptionState::cancelled) return Error::conflict("subscription " + std::to_string(id) + " is cancelled");
  if (s->state == SubscriptionState::active) return s;
  auto resource = catalog_.get(s->resource_code);
  if (!resource || resource->state != ResourceState::published)
    return Error::conflict(s->resource_code + " is not published: nothing can be delivered");
  if (auto v = visibility_for(sharing_, *resource, s->org, s->purpose); !v) return v.error();
  const std::int64_t now = to_unix_ms(clock_.now());
  db_.execute("UPDATE data_subscriptions SET state = 'active', paused_reason = '', paused_by = '', next_attempt_at = ?, "
              "updated_at = ? WHERE id = ? AND state = 'paused'",
              {now, now, id});
  (void)actor;  // who resumed is in the audit trail of the route
  return get(id);
}

Result<Subscription> SubscriptionStore::cancel(std::int64_t id, const std::string& actor) {
  auto s = get(id);
  if (!s) return s;
  if (s->state == SubscriptionState::cancelled) return s;
  db_.execute("UPDATE data_subscriptions SET state = 'cancelled', paused_reason = ?, paused_by = ?, pending_payload = "
              "NULL, pending_details = NULL, pending_delivery = NULL, pending_to_seq = NULL, attempts = 0, "
              "updated_at = ? WHERE id = ?",
              {"cancelled by " + actor, actor, to_unix_ms(clock_.now()), id});
  return get(id);
}

std::int64_t SubscriptionStore::pending_changes(const Subscription& s) const {
  return RecordStore(db_, clock_).count_changes(s.resource_id, s.cursor);
}

SubscriptionPage<DeadLetter> SubscriptionStore::dead_letters(std::int64_t subscription_id,
                                                             std::optional<std::int64_t> before_id,
                                                             std::size_t limit) const {
  std::string sql = std::string("SELECT ") + kDeadLetterColumns +
                    " FROM data_subscription_dead_letters WHERE subscription_id = ?";
  db::Params p{subscription_id};
  if (before_id) {
    sql += " AND id < ?";
    p.emplace_back(*before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  p.emplace_back(static_cast<std::int64_t>(limit + 1));
  SubscriptionPage<DeadLetter> page;
  for (const auto& r : db_.query(sql, p)) page.items.push_back(dead_letter_of(r));
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next_cursor = page.items.back().id;
  }
  return page;
}

Result<DeadLetter> SubscriptionStore::dead_letter(std::int64_t id) const {
  auto rows = db_.query(std::string("SELECT ") + kDeadLetterColumns + " FROM data_subscription_dead_letters WHERE id = ?",
                        {id});
  if (rows.empty()) return Error::not_found("no dead letter " + std::to_string(id));
  return dead_letter_of(rows[0]);
}

// ---- the HTTP transport ----------------------------------------------------------------

// ---- delivery --------------------------------------------------------------------------

struct SubscriptionDelivery::Impl {
  db::Database& db;
  const Clock& clock;
  const TimeZone& zone;
  const CatalogStore& catalog;
  const SharingStore& sharing;
  auth::SecretSealer sealer;
  AuditAppend audit;
  PushTransport& transport;
  DeliveryPolicy policy;
  std::string node;
  PublishedResources resources{db, catalog};
  RecordStore records{db, clock};

  std::int64_t now_ms() const { return to_unix_ms(clock.now()); }

  // The payload in hand of a claimed subscription.
  struct Pending {
    std::string delivery;
    std::string payload;
    json::object details;
    std::optional<std::int64_t> grant;
    std::int64_t from_seq = 0;
    std::int64_t to_seq = 0;
    std::int64_t records = 0;
    int attempts = 0;
  };

  void pause_by_system(std::int64_t id, const std::string& reason) {
    db.execute("UPDATE data_subscriptions SET state = 'paused', paused_reason = ?, paused_by = 'system', updated_at = ? "
               "WHERE id = ? AND state = 'active'",
               {reason, now_ms(), id});
    spdlog::warn("subscription {} paused: {}", id, reason);
  }

  void release(std::int64_t id) {
    db.execute("UPDATE data_subscriptions SET locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by = ?",
               {id, node});
  }

  // Signs and sends `payload`, auditing it first; returns the attempt.
  PushAttempt send(const Subscription& s, const std::string& secret, const std::string& delivery,
                   const std::string& payload, json::object details, int attempt) {
    const std::string timestamp = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                                     clock.now().time_since_epoch())
                                                     .count());
    const std::string signature = crypto::to_hex(crypto::hmac_sm3(secret, timestamp + "\n" + payload));
    details["subscription"] = s.id;
    details["delivery"] = delivery;
    details["attempt"] = attempt;
    audit::Record record;
    record.actor_kind = s.client_id ? audit::ActorKind::client : audit::ActorKind::system;
    record.actor_id = s.client_id ? *s.client_id : "subscription:" + std::to_string(s.id);
    record.actor_name = s.client_id && !s.client_name.empty() ? s.client_name : "数据订阅 #" + std::to_string(s.id);
    record.actor_org = s.org;
    record.action = kExchangeReadAction;
    record.object_type = "resource";
    record.object_id = s.resource_code;
    record.source = "push";
    record.request_id = delivery;
    record.purpose = s.purpose;
    record.details = json::serialize(details);
    return transport.post(s.url,
                          {{"X-Zw-Timestamp", timestamp},
                           {"X-Zw-Signature", signature},
                           {"X-Zw-Delivery", delivery},
                           {"X-Zw-Subscription", std::to_string(s.id)}},
                          payload, [this, &record] { return audit(record); });
  }

  // Delivers what is due of one claimed subscription; returns attempts made and whether
  // to go on with it in this pass (delivered, and more may be waiting).
  std::pair<int, bool> deliver_once(std::int64_t id) {
    auto rows = db.query("SELECT secret_enc, pending_delivery, pending_payload, pending_details, pending_grant, "
                         "pending_to_seq, pending_records, attempts FROM data_subscriptions WHERE id = ? AND "
                         "locked_by = ? AND state = 'active'",
                         {id, node});
    if (rows.empty()) return {0, false};  // paused or cancelled meanwhile
    auto s = load(db, id);
    if (!s) return {0, false};
    auto resource = resources.get(s->resource_code);
    if (!resource) {
      pause_by_system(id, s->resource_code + " is no longer published");
      return {0, false};
    }
    auto v = visibility_for(sharing, *resource, s->org, s->purpose);
    if (!v) {
      pause_by_system(id, grant_gone_reason(sharing, s->org, s->resource_code, s->purpose, clock.now()));
      return {0, false};
    }
    auto secret = sealer.open(rows[0].at(0).as_text());
    if (!secret) {
      pause_by_system(id, "the subscription's secret cannot be opened (master key changed?)");
      return {0, false};
    }
    const std::optional<std::int64_t> grant = v->grant ? std::optional(v->grant->id) : std::nullopt;
    Pending p;
    const auto& r = rows[0];
    const bool in_hand = !r.at(2).is_null() && (r.at(4).is_null() ? !grant : grant && r.at(4).as_int() == *grant);
    if (in_hand) {
      p.delivery = r.at(1).as_text();
      p.payload = r.at(2).as_text();
      p.details = json::parse(r.at(3).as_text()).as_object();
      p.grant = grant;
      p.from_seq = s->cursor;
      p.to_seq = r.at(5).as_int();
      p.records = r.at(6).as_int();
      p.attempts = static_cast<int>(r.at(7).as_int());
    } else {
      // A payload built under a grant that is no longer the one in force is built again
      // under the current one (its failed attempts still count).
      auto changes = records.changes(resource->id, resource->spec.fields, s->cursor, kChangesPerDelivery);
      if (changes.empty()) return {0, false};
      json::array items;
      for (const auto& c : changes) items.push_back(change_json(*resource, *v, c, zone));
      p.delivery = "dlv_" + random_hex(12);
      p.from_seq = s->cursor;
      p.to_seq = changes.back().seq;
      p.records = static_cast<std::int64_t>(changes.size());
      p.grant = grant;
      p.attempts = r.at(2).is_null() ? 0 : static_cast<int>(r.at(7).as_int());
      p.payload = json::serialize(json::object{{"subscription", s->id},
                                               {"resource", s->resource_code},
                                               {"changes", std::move(items)},
                                               {"cursor", std::to_string(p.to_seq)}});
      p.details = read_details(*resource, *v, changes);
      db.execute("UPDATE data_subscriptions SET pending_delivery = ?, pending_payload = ?, pending_details = ?, "
                 "pending_grant = ?, pending_to_seq = ?, pending_records = ? WHERE id = ? AND locked_by = ?",
                 {p.delivery, p.payload, json::serialize(p.details), db::Value(p.grant), p.to_seq, p.records, id, node});
    }

    const int attempt = p.attempts + 1;
    auto outcome = send(*s, *secret, p.delivery, p.payload, p.details, attempt);
    const std::int64_t now = now_ms();
    if (outcome.delivered()) {
      db.execute("UPDATE data_subscriptions SET cursor_seq = ?, pending_delivery = NULL, pending_payload = NULL, "
                 "pending_details = NULL, pending_grant = NULL, pending_to_seq = NULL, pending_records = NULL, "
                 "attempts = 0, next_attempt_at = ?, last_attempt_at = ?, last_status = ?, last_error = '', "
                 "last_delivered_at = ?, delivered = delivered + 1, updated_at = ? WHERE id = ? AND locked_by = ?",
                 {p.to_seq, now, now, *outcome.status, now, now, id, node});
      return {1, true};
    }
    if (attempt >= policy.max_attempts) {
      // Given up: kept as a dead letter, and the cursor moves on so later changes flow.
      auto tx = db.begin();
      tx.execute("INSERT INTO data_subscription_dead_letters (subscription_id, delivery_id, payload, details, "
                 "grant_id, from_seq, to_seq, records, attempts, last_status, last_error, created_at) VALUES (?, ?, ?, "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {id, p.delivery, p.payload, json::serialize(p.details), db::Value(p.grant), p.from_seq, p.to_seq,
                  p.records, attempt, db::Value(outcome.status), outcome.error, now});
      tx.execute("UPDATE data_subscriptions SET cursor_seq = ?, pending_delivery = NULL, pending_payload = NULL, "
                 "pending_details = NULL, pending_grant = NULL, pending_to_seq = NULL, pending_records = NULL, "
                 "attempts = 0, next_attempt_at = ?, last_attempt_at = ?, last_status = ?, last_error = ?, "
                 "updated_at = ? WHERE id = ? AND locked_by = ?",
                 {p.to_seq, now, now, db::Value(outcome.status), outcome.error, now, id, node});
      tx.commit();
      spdlog::warn("subscription {}: delivery {} given up after {} attempts ({}); kept as a dead letter", id,
                   p.delivery, attempt, outcome.error);
      return {1, false};
    }
    const auto wait = retry_delay(attempt, policy);
    db.execute("UPDATE data_subscriptions SET attempts = ?, next_attempt_at = ?, last_attempt_at = ?, last_status = ?, "
               "last_error = ?, updated_at = ? WHERE id = ? AND locked_by = ?",
               {attempt, now + wait.count(), now, db::Value(outcome.status), outcome.error, now, id, node});
    return {1, false};
  }
};

SubscriptionDelivery::SubscriptionDelivery(db::Database& db, const Clock& clock, const TimeZone& zone,
                                           const CatalogStore& catalog, const SharingStore& sharing,
                                           auth::SecretSealer sealer, AuditAppend audit, PushTransport& transport,
                                           DeliveryPolicy policy, std::string node)
    : impl_(new Impl{db, clock, zone, catalog, sharing, std::move(sealer), std::move(audit), transport, policy,
                     std::move(node)}) {}

SubscriptionDelivery::~SubscriptionDelivery() = default;

int SubscriptionDelivery::run_due() {
  auto& m = *impl_;
  const auto started = std::chrono::steady_clock::now();
  const std::int64_t now = m.now_ms();
  std::vector<std::int64_t> claimed;
  {
    auto tx = m.db.begin();
    for (const auto& r : tx.query(
             "UPDATE data_subscriptions SET locked_by = ?, locked_until = ? WHERE id IN (SELECT id FROM "
             "data_subscriptions WHERE state = 'active' AND next_attempt_at <= ? AND (locked_until IS NULL OR "
             "locked_until < ?) ORDER BY next_attempt_at LIMIT 32" +
                 skip_locked(m.db) + ") RETURNING id",
             {m.node, now + m.policy.lease.count(), now, now}))
      claimed.push_back(r.get<std::int64_t>(0));
    tx.commit();
  }
  std::sort(claimed.begin(), claimed.end());
  int attempts = 0;
  for (auto id : claimed) {
    try {
      for (;;) {
        if (std::chrono::steady_clock::now() - started > m.policy.pass_budget) break;
        auto [made, more] = m.deliver_once(id);
        attempts += made;
        if (!more) break;
      }
    } catch (const std::exception& e) {
      spdlog::error("subscription {}: delivery failed: {}", id, e.what());
    }
    m.release(id);
  }
  return attempts;
}

Result<DeadLetter> SubscriptionDelivery::redeliver(std::int64_t dead_letter_id, const std::string& actor) {
  auto& m = *impl_;
  auto rows = m.db.query("SELECT subscription_id, delivery_id, payload, details, grant_id, attempts, delivered_at FROM "
                         "data_subscription_dead_letters WHERE id = ?",
                         {dead_letter_id});
  if (rows.empty()) return Error::not_found("no dead letter " + std::to_string(dead_letter_id));
  const auto& r = rows[0];
  if (!r.at(6).is_null())
    return Error::conflict("dead letter " + std::to_string(dead_letter_id) + " was delivered already");
  auto s = load(m.db, r.at(0).as_int());
  if (!s) return Error::not_found("no subscription for dead letter " + std::to_string(dead_letter_id));
  if (s->state == SubscriptionState::cancelled)
    return Error::conflict("subscription " + std::to_string(s->id) + " is cancelled");
  // Released again only under the grant it was built under, still in force.
  auto resource = m.resources.get(s->resource_code);
  if (!resource) return Error::conflict(s->resource_code + " is no longer published");
  auto v = visibility_for(m.sharing, *resource, s->org, s->purpose);
  const std::optional<std::int64_t> grant_now = v && v->grant ? std::optional(v->grant->id) : std::nullopt;
  const std::optional<std::int64_t> grant_then = r.at(4).is_null() ? std::nullopt : std::optional(r.at(4).as_int());
  if (!v || grant_now != grant_then)
    return Error::conflict("the grant this payload was released under is no longer in force: " +
                           grant_gone_reason(m.sharing, s->org, s->resource_code, s->purpose, m.clock.now()));
  auto secret = m.sealer.open(m.db.query("SELECT secret_enc FROM data_subscriptions WHERE id = ?", {s->id})[0].get<std::string>(0));
  if (!secret) return Error{ErrorCode::internal, "the subscription's secret cannot be opened", {}};
  json::object details = json::parse(r.at(3).as_text()).as_object();
  details["redelivery"] = true;
  const int attempt = static_cast<int>(r.at(5).as_int()) + 1;
  auto outcome = m.send(*s, *secret, r.at(1).as_text(), r.at(2).as_text(), std::move(details), attempt);
  const std::int64_t now = m.now_ms();
  m.db.execute("UPDATE data_subscription_dead_letters SET redeliveries = redeliveries + 1, redelivered_at = ?, "
               "redelivered_by = ?, redelivery_status = ?, redelivery_error = ?, delivered_at = ? WHERE id = ?",
               {now, actor, db::Value(outcome.status), outcome.error,
                outcome.delivered() ? db::Value(now) : db::Value(), dead_letter_id});
  auto rows2 = m.db.query(std::string("SELECT ") + kDeadLetterColumns + " FROM data_subscription_dead_letters WHERE id = ?",
                          {dead_letter_id});
  return dead_letter_of(rows2[0]);
}

}  // namespace zhengwu::data
