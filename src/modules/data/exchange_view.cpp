// What a consumer sees of a resource; see exchange_view.hpp.
#include "modules/data/exchange_view.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "modules/data/masking.hpp"

namespace zhengwu::data {
namespace json = boost::json;

std::shared_ptr<const CatalogResource> PublishedResources::get(const std::string& code) {
  auto rows = db_.query("SELECT id, version, state FROM data_resources WHERE code = ?", {code});
  if (rows.empty() || rows[0].get<std::string>(2) != "published") return nullptr;
  const auto id = rows[0].get<std::int64_t>(0);
  const auto version = static_cast<int>(rows[0].get<std::int64_t>(1));
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(code);
    if (it != cache_.end() && it->second->id == id && it->second->version == version) return it->second;
  }
  auto fresh = catalog_.get(code);
  if (!fresh || fresh->state != ResourceState::published) return nullptr;
  auto shared = std::make_shared<const CatalogResource>(std::move(*fresh));
  std::lock_guard lock(mutex_);
  cache_[code] = shared;
  return shared;
}

Result<Visibility> visibility_for(const SharingStore& sharing, const CatalogResource& resource,
                                  const std::string& org_code, const std::string& purpose) {
  const auto& fields = resource.spec.fields;
  Visibility v;
  v.clear.assign(fields.size(), false);
  if (org_code == resource.spec.provider) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      v.fields.push_back(i);
      v.clear[i] = true;
    }
    return v;
  }
  v.grant = sharing.grant_in_force(resource.id, org_code, purpose);
  if (!v.grant) {
    if (sharing.holds_any_grant(resource.id, org_code))
      return Error{ErrorCode::forbidden,
                   "no grant of " + org_code + " on " + resource.spec.code +
                       " is for this purpose: data is used only for the purpose it was granted for",
                   {}};
    return Error{ErrorCode::forbidden,
                 org_code + " holds no grant in force on " + resource.spec.code + " (none, expired or revoked)", {}};
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& name = fields[i].name;
    if (std::find(v.grant->fields.begin(), v.grant->fields.end(), name) == v.grant->fields.end()) continue;
    v.fields.push_back(i);
    v.clear[i] = !is_masked_sensitivity(fields[i].sensitivity) ||
                 std::find(v.grant->clear_fields.begin(), v.grant->clear_fields.end(), name) !=
                     v.grant->clear_fields.end();
  }
  return v;
}

namespace {

json::value typed(const FieldSpec& f, const std::string& text) {
  if (f.type == FieldType::integer) {
    try {
      return json::value(static_cast<std::int64_t>(std::stoll(text)));
    } catch (const std::exception&) {
      return json::value(text);
    }
  }
  if (f.type == FieldType::boolean) return json::value(text == "true");
  return json::value(text);  // decimals stay exact text
}

}  // namespace

json::object record_json(const CatalogResource& resource, const Visibility& v, const StoredRecord& r) {
  json::object out;
  for (auto i : v.fields) {
    const auto& f = resource.spec.fields[i];
    const auto& value = r.values[i];
    if (!value) out[f.name] = nullptr;
    else if (v.clear[i]) out[f.name] = typed(f, *value);
    else out[f.name] = mask_value(f, *value);
  }
  return out;
}

json::object provenance_json(const CatalogResource& resource, const StoredRecord& r, const TimeZone& zone) {
  return json::object{{"resource", resource.spec.code},
                      {"version", resource.version},
                      {"provider", resource.spec.provider},
                      {"source_org", r.source_org},
                      {"batch", r.batch ? json::value(*r.batch) : json::value(nullptr)},
                      {"updated_at", format_iso8601(r.updated_at, zone)},
                      {"revision", r.revision}};
}

json::value grant_ref(const Visibility& v, const TimeZone& zone) {
  if (!v.grant) return json::object{{"id", nullptr}, {"basis", "provider"}};
  return json::object{{"id", v.grant->id},
                      {"purpose", v.grant->purpose},
                      {"valid_until", v.grant->valid_until ? json::value(format_iso8601(*v.grant->valid_until, zone))
                                                            : json::value(nullptr)}};
}

json::object change_json(const CatalogResource& resource, const Visibility& v, const StoredRecord& r,
                         const TimeZone& zone) {
  return json::object{{"key", r.key},
                      {"seq", r.seq},
                      {"revision", r.revision},
                      {"record", record_json(resource, v, r)},
                      {"provenance", provenance_json(resource, r, zone)}};
}

json::object read_details(const CatalogResource& resource, const Visibility& v,
                          const std::vector<StoredRecord>& records) {
  json::array keys;
  json::object subjects;
  for (const auto& r : records) {
    keys.emplace_back(r.key);
    for (std::size_t i = 0; i < resource.spec.fields.size(); ++i) {
      const auto t = resource.spec.fields[i].type;
      if ((t != FieldType::id_number && t != FieldType::uscc) || !r.values[i]) continue;
      auto& n = subjects[*r.values[i]];
      n = n.is_int64() ? n.as_int64() + 1 : std::int64_t{1};
    }
  }
  return json::object{{"grant", v.grant ? json::value(v.grant->id) : json::value(nullptr)},
                      {"keys", std::move(keys)},
                      {"subjects", std::move(subjects)}};
}

}  // namespace zhengwu::data
