// The demo's exchange; see demo_exchange.hpp.
#include "modules/data/demo_exchange.hpp"

#include <boost/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "modules/data/data_use.hpp"
#include "modules/data/exchange_view.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {
namespace json = boost::json;

namespace {

struct Read {
  const auth::Client* client;
  const char* resource;
  const char* purpose;
  std::vector<const char*> keys;
};

auth::Client registered(auth::ClientRegistry& clients, const char* org, const char* name) {
  auto c = clients.register_client(org, name);
  if (!c) throw std::runtime_error(std::string("demo: client ") + name + ": " + c.error().message);
  return c->client;
}

}  // namespace

void seed_demo_exchange(db::Database& db, const Clock& clock, const CatalogStore& catalog, const SharingStore& sharing,
                        SubscriptionStore& subscriptions, auth::ClientRegistry& clients, audit::AuditLog& audit) {
  const auth::Client rsj = registered(clients, "330100-RSJ", "人社一体化经办平台");
  const auth::Client gjj = registered(clients, "330100-GJJZX", "公积金综合业务系统");
  RecordStore records(db, clock);
  const std::vector<Read> reads{
      {&rsj, "gaj.population", "社会保险参保登记身份核验", {"330106198805121237"}},
      {&gjj, "gaj.population", "住房公积金开户身份核验", {"330106198805121237"}},
      {&rsj, "scjgj.enterprise", "社会保险参保单位登记核验", {"91330106MA2H7K3T56"}},
      {&rsj, "gaj.population", "社会保险参保登记身份核验", {"330106197506142519", "330106198805121237"}},
  };
  int n = 0;
  for (const auto& read : reads) {
    auto resource = catalog.get(read.resource);
    if (!resource || resource->state != ResourceState::published)
      throw std::runtime_error(std::string("demo: ") + read.resource + " is not published");
    auto v = visibility_for(sharing, *resource, read.client->org_code, read.purpose);
    if (!v) throw std::runtime_error(std::string("demo: read of ") + read.resource + ": " + v.error().message);
    std::vector<StoredRecord> got;
    for (const char* key : read.keys) {
      auto r = records.get(resource->id, resource->spec.fields, key);
      if (!r) throw std::runtime_error(std::string("demo: no record ") + key + " in " + read.resource);
      got.push_back(std::move(*r));
    }
    // The record the exchange's audit trail writes for a read by key (audit_trail.cpp).
    json::object details{{"method", "GET"},
                         {"route", got.size() == 1 ? "/api/exchange/resources/{code}/records/{key}"
                                                   : "/api/exchange/resources/{code}/records"},
                         {"status", 200}};
    for (auto& [k, value] : read_details(*resource, *v, got)) details[k] = value;
    audit::Record a;
    a.actor_kind = audit::ActorKind::client;
    a.actor_id = read.client->client_id;
    a.actor_name = read.client->name;
    a.actor_org = read.client->org_code;
    a.action = kExchangeReadAction;
    a.object_type = "exchange";
    a.object_id = read.resource;
    a.outcome = audit::Outcome::success;
    a.source = "demo";
    a.request_id = "demo-read-" + std::to_string(++n);
    a.purpose = read.purpose;
    a.details = json::serialize(details);
    if (auto appended = audit.append(std::move(a)); !appended)
      throw std::runtime_error("demo: the audit record of a read: " + appended.error().message);
  }

  auto subscribe = [&](const char* url) {
    NewSubscription in;
    in.resource_code = "gaj.population";
    in.org = gjj.org_code;
    in.purpose = "住房公积金开户身份核验";
    in.url = url;
    in.client_id = gjj.client_id;
    in.client_name = gjj.name;
    in.actor = "sysadmin";
    auto made = subscriptions.create(in);
    if (!made) throw std::runtime_error("demo: a subscription of " + gjj.name + ": " + made.error().message);
    return made->subscription.id;
  };
  subscribe("http://127.0.0.1:9/gjj/hooks/population");
  const auto paused = subscribe("http://127.0.0.1:9/gjj/hooks/population-v2");
  if (auto p = subscriptions.pause(paused, "sysadmin", "新接收端升级维护中，完成后恢复推送"); !p)
    throw std::runtime_error("demo: pause a subscription: " + p.error().message);
}

}  // namespace zhengwu::data
