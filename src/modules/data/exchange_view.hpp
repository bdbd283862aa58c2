// What a consumer sees of a resource through the exchange, shared by every way records
// leave the platform for a department: the exchange's reads and its change feed
// (exchange_routes.hpp) and push subscriptions (subscriptions.hpp). One set of rules, so
// that a pushed record is exactly what the same department would have read:
//   - the provider sees its own resource whole, in clear, without a grant;
//   - anyone else only under a grant in force for its organisation, on that resource,
//     for exactly the stated purpose; only the granted fields; personal and sensitive
//     ones masked (masking.hpp) unless the grant gives them in clear;
//   - every record goes with its provenance (source department, batch, time, revision);
//   - what was released is audited as "exchange.read" with details {grant, keys,
//     subjects}: the subjects (ID numbers, USCCs in the records, granted or not) are what
//     the data-use record (data_use.hpp) projects, so a person sees every release of
//     their records by construction.
//
// Ownership: PublishedResources borrows the Database and the CatalogStore. Thread-safety:
// any thread (PublishedResources locks its cache).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kernel/db/database.hpp"
#include "kernel/result.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/catalog_store.hpp"
#include "modules/data/record_store.hpp"
#include "modules/data/sharing.hpp"

namespace boost::json {
class object;
class value;
}  // namespace boost::json

namespace zhengwu::data {

// Published resources by code, re-read only when their version or state changed: one
// small indexed query per call instead of the whole description.
class PublishedResources {
 public:
  PublishedResources(db::Database& db, const CatalogStore& catalog) : db_(db), catalog_(catalog) {}

  // nullptr when there is no such resource or it is not published.
  std::shared_ptr<const CatalogResource> get(const std::string& code);

 private:
  db::Database& db_;
  const CatalogStore& catalog_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const CatalogResource>> cache_;  // guarded by mutex_
};

// What an organisation may see of a resource: the fields (indexes, in resource order)
// and which of them in clear.
struct Visibility {
  std::optional<Grant> grant;  // none: the provider reading its own resource
  std::vector<std::size_t> fields;
  std::vector<bool> clear;  // per resource field
};

// The visibility of `resource` for `org_code` stating `purpose`. ErrorCode::forbidden
// when no grant serves it; the message tells "another purpose" from "no grant in force".
Result<Visibility> visibility_for(const SharingStore& sharing, const CatalogResource& resource,
                                  const std::string& org_code, const std::string& purpose);

// The record as the consumer sees it: granted fields only, typed (integers and booleans
// as JSON numbers and booleans, decimals as exact text), masked ones as strings.
boost::json::object record_json(const CatalogResource& resource, const Visibility& v, const StoredRecord& r);
boost::json::object provenance_json(const CatalogResource& resource, const StoredRecord& r, const TimeZone& zone);
// The grant a reply was served under ({id: null, basis: "provider"} for the provider).
boost::json::value grant_ref(const Visibility& v, const TimeZone& zone);
// One item of the change feed and of a push: {key, seq, revision, record, provenance}.
boost::json::object change_json(const CatalogResource& resource, const Visibility& v, const StoredRecord& r,
                                const TimeZone& zone);

// The audit details of a release: {grant, keys, subjects}, subjects being each ID number
// or USCC in the records (granted or not) with how many records named it.
boost::json::object read_details(const CatalogResource& resource, const Visibility& v,
                                 const std::vector<StoredRecord>& records);

}  // namespace zhengwu::data
