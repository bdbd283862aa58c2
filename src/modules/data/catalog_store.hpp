// The catalog (政务信息资源目录) in the database: resources with their fields, every
// version of their schema, and their place in the full-text index.
//
// `apply` is what `zhengwu catalog apply` and the resource editor call with a
// ResourceSpec (catalog_spec.hpp):
//   - a new code creates the resource at version 1, as a draft, or published when the
//     spec says `publish`;
//   - the same spec again changes nothing (`unchanged`, same version);
//   - another name, summary, sharing or cycle updates the resource in place
//     (`updated`, same version): the schema did not change;
//   - changed fields make a new version (`new_version`) when the change is additive
//     (new optional fields, labels, sensitivity, authority); a breaking change (a field
//     removed, retyped, ...) is refused with ErrorCode::conflict naming the reason once
//     the resource is published — stored records would no longer fit — and accepted as
//     a new version while it is a draft.
// Publishing (here or by `transition`) creates the resource's record table
// (record_store.hpp), and an additive version of a published resource adds its columns,
// in the same transaction.
// The provider and every authority must be organisations, and every code table must
// exist (ErrorCode::invalid naming `provider`, `fields[i].authority`, `fields[i].code_table`).
// The resource, its version row and its index entry change in one transaction.
//
// Ownership: borrows the Database and the Clock. Thread-safety: any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/result.hpp"
#include "kernel/search/text_index.hpp"
#include "modules/data/catalog_spec.hpp"

namespace zhengwu::data {

// Tables data_resources, data_resource_versions, data_code_tables, data_code_values
// (module "data").
std::vector<db::Migration> catalog_migrations();

// The index collection of catalog resources (kernel/search).
inline constexpr const char* kCatalogCollection = "data.resource";

// Lifecycle: draft → submitted → published → retired, with review by the big-data
// centre between submitted and published.
enum class ResourceState { draft, submitted, published, retired };
std::string_view to_string(ResourceState s);

struct CatalogResource {
  std::int64_t id = 0;
  ResourceSpec spec;  // the current version; spec.publish is false
  std::string provider_name;
  ResourceState state = ResourceState::draft;
  int version = 1;
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> published_at;
  std::string review_note;  // the last lifecycle note (a reviewer's reason, a retirement's)
};

// One step of a resource's life, for its history.
struct LifecycleEvent {
  std::optional<ResourceState> from;  // none: created
  ResourceState to = ResourceState::draft;
  std::string actor;
  std::string note;
  TimePoint at;
};

struct ResourceVersion {
  int version = 0;
  std::string change;  // created, additive, breaking
  std::string actor;
  TimePoint created_at;
  ResourceSpec spec;
};

enum class ApplyOutcome { created, updated, unchanged, new_version };
std::string_view to_string(ApplyOutcome o);

struct Applied {
  std::string code;
  int version = 0;
  ApplyOutcome outcome = ApplyOutcome::unchanged;
  ResourceState state = ResourceState::draft;
};

// A code table (代码表) such as GB/T 2261.1 sex codes: values with labels and the
// spellings that map to them on import (男 → 1).
struct CodeValue {
  std::string value;
  std::string label;
  std::vector<std::string> aliases;
};

struct CatalogQuery {
  std::string text;
  std::vector<std::string> providers;   // org codes
  std::vector<std::string> share_types;
  std::vector<std::string> open_types;
  std::vector<std::string> categories;
  std::vector<std::string> states;
  std::size_t offset = 0;
  std::size_t limit = 20;
};

struct CatalogPage {
  std::vector<CatalogResource> items;
  std::vector<double> scores;  // per item, BM25 (0 without text)
  std::size_t total = 0;
  std::map<std::string, std::map<std::string, std::size_t>> facets;  // provider, share_type, ...
};

class CatalogStore {
 public:
  CatalogStore(db::Database& db, const Clock& clock);

  Result<Applied> apply(const ResourceSpec& spec, std::string_view actor);
  Result<CatalogResource> get(std::string_view code) const;
  std::vector<ResourceVersion> versions(std::string_view code) const;
  std::vector<LifecycleEvent> events(std::string_view code) const;

  // Moves a resource along its lifecycle: submit (draft → submitted), approve
  // (submitted → published), reject (submitted → draft, a note required), retire
  // (published → retired, a note required). Any other step is ErrorCode::conflict naming
  // the current state; the index's state facet follows in the same transaction.
  Result<CatalogResource> transition(std::string_view code, ResourceState from, ResourceState to,
                                     std::string_view actor, std::string_view note);
  CatalogPage search(const CatalogQuery& query) const;

  // Creates or replaces a code table with its values (operators, the demo).
  Status put_code_table(std::string_view code, std::string_view name, std::string_view standard,
                        const std::vector<CodeValue>& values);
  std::vector<CodeValue> code_values(std::string_view code) const;

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace zhengwu::data
