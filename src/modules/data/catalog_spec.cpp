// Reading, writing and comparing resource specs; see catalog_spec.hpp.
#include "modules/data/catalog_spec.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace zhengwu::data {
namespace json = boost::json;
namespace {

template <class E, std::size_t N>
std::optional<E> from_names(const std::array<std::string_view, N>& names, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 12> kFieldTypes{"string", "integer", "decimal", "date",     "datetime", "boolean",
                                                       "code",   "id_number", "uscc",  "division", "phone",    "geo_point"};
constexpr std::array<std::string_view, 4> kSensitivities{"public", "internal", "personal", "sensitive"};
constexpr std::array<std::string_view, 3> kCategories{"base", "thematic", "departmental"};
constexpr std::array<std::string_view, 3> kShareTypes{"unconditional", "conditional", "none"};
constexpr std::array<std::string_view, 3> kOpenTypes{"open", "conditional", "closed"};
constexpr std::array<std::string_view, 6> kUpdateCycles{"realtime", "daily", "weekly", "monthly", "quarterly", "yearly"};

template <std::size_t N>
std::string one_of(const std::array<std::string_view, N>& names) {
  std::string out = "must be one of ";
  for (std::size_t i = 0; i < N; ++i) {
    if (i) out += i + 1 == N ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool valid_identifier(std::string_view s, std::size_t max, std::string_view extra) {
  if (s.empty() || s.size() > max || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || extra.find(c) != std::string_view::npos;
  });
}

// Collects the problems of one input object.
class Reader {
 public:
  explicit Reader(std::vector<FieldError>& errors) : errors_(errors) {}

  void fail(std::string path, std::string message) { errors_.push_back({std::move(path), std::move(message)}); }

  // A string member; missing → "" (and an error when required).
  std::string text(const json::object& o, std::string_view key, const std::string& path, bool required,
                   std::size_t max_chars) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) {
      if (required) fail(path, "is required");
      return {};
    }
    if (!it->value().is_string()) {
      fail(path, "must be a string");
      return {};
    }
    std::string s(it->value().as_string());
    if (required && s.empty()) fail(path, "must not be empty");
    if (utf8_length(s) > max_chars) fail(path, "must have at most " + std::to_string(max_chars) + " characters");
    return s;
  }

  std::optional<std::string> optional_text(const json::object& o, std::string_view key, const std::string& path,
                                           std::size_t max_chars) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    auto s = text(o, key, path, true, max_chars);
    return s.empty() ? std::nullopt : std::optional<std::string>(s);
  }

  bool flag(const json::object& o, std::string_view key, const std::string& path) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return false;
    if (!it->value().is_bool()) {
      fail(path, "must be true or false");
      return false;
    }
    return it->value().as_bool();
  }

  template <class E, std::size_t N>
  E choice(const json::object& o, std::string_view key, const std::string& path,
           const std::array<std::string_view, N>& names, std::optional<E> fallback) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) {
      if (!fallback) fail(path, "is required; " + one_of(names));
      return fallback.value_or(static_cast<E>(0));
    }
    if (it->value().is_string()) {
      if (auto v = from_names<E>(names, std::string_view(it->value().as_string()))) return *v;
    }
    fail(path, one_of(names));
    return fallback.value_or(static_cast<E>(0));
  }

  // Members the contract does not know are refused: a typo must not pass silently.
  void only(const json::object& o, std::initializer_list<std::string_view> known, const std::string& prefix) {
    for (const auto& kv : o) {
      if (std::find(known.begin(), known.end(), kv.key()) == known.end())
        fail(prefix + std::string(kv.key()), "is not a member of a resource description");
    }
  }

 private:
  std::vector<FieldError>& errors_;
};

FieldSpec read_field(Reader& r, const json::value& v, const std::string& at) {
  FieldSpec f;
  if (!v.is_object()) {
    r.fail(at, "must be an object");
    return f;
  }
  const auto& o = v.as_object();
  r.only(o, {"name", "label", "type", "length", "required", "key", "sensitivity", "authority", "code_table"}, at + ".");
  f.name = r.text(o, "name", at + ".name", true, 48);
  if (!f.name.empty() && !valid_identifier(f.name, 48, ""))
    r.fail(at + ".name", "must start with a-z and hold only a-z, 0-9 and _");
  else if (f.name.rfind("zw_", 0) == 0)
    r.fail(at + ".name", "names starting with zw_ are the platform's own (provenance columns)");
  f.label = r.text(o, "label", at + ".label", true, 50);
  f.type = r.choice<FieldType>(o, "type", at + ".type", kFieldTypes, std::nullopt);
  if (auto it = o.find("length"); it != o.end() && !it->value().is_null()) {
    if (!it->value().is_int64() || it->value().as_int64() < 1 || it->value().as_int64() > 4000) {
      r.fail(at + ".length", "must be a whole number from 1 to 4000");
    } else if (f.type != FieldType::string) {
      r.fail(at + ".length", "applies to string fields only");
    } else {
      f.length = static_cast<int>(it->value().as_int64());
    }
  }
  f.required = r.flag(o, "required", at + ".required");
  f.key = r.flag(o, "key", at + ".key");
  if (f.key) f.required = true;  // a key is never missing
  f.sensitivity = r.choice<Sensitivity>(o, "sensitivity", at + ".sensitivity", kSensitivities, std::nullopt);
  f.authority = r.optional_text(o, "authority", at + ".authority", 40);
  f.code_table = r.optional_text(o, "code_table", at + ".code_table", 64);
  if (f.type == FieldType::code && !f.code_table) r.fail(at + ".code_table", "is required for a code field");
  if (f.type != FieldType::code && f.code_table) r.fail(at + ".code_table", "applies to code fields only");
  if (f.key && (f.type == FieldType::geo_point || f.type == FieldType::decimal || f.type == FieldType::boolean))
    r.fail(at + ".key", "a " + std::string(to_string(f.type)) + " field cannot be part of the key");
  return f;
}

}  // namespace

std::string_view to_string(FieldType t) { return kFieldTypes[static_cast<std::size_t>(t)]; }
std::string_view to_string(Sensitivity s) { return kSensitivities[static_cast<std::size_t>(s)]; }
std::string_view to_string(Category c) { return kCategories[static_cast<std::size_t>(c)]; }
std::string_view to_string(ShareType s) { return kShareTypes[static_cast<std::size_t>(s)]; }
std::string_view to_string(OpenType o) { return kOpenTypes[static_cast<std::size_t>(o)]; }
std::string_view to_string(UpdateCycle u) { return kUpdateCycles[static_cast<std::size_t>(u)]; }
std::optional<FieldType> field_type_from(std::string_view s) { return from_names<FieldType>(kFieldTypes, s); }
std::optional<Sensitivity> sensitivity_from(std::string_view s) { return from_names<Sensitivity>(kSensitivities, s); }
std::optional<Category> category_from(std::string_view s) { return from_names<Category>(kCategories, s); }
std::optional<ShareType> share_type_from(std::string_view s) { return from_names<ShareType>(kShareTypes, s); }
std::optional<OpenType> open_type_from(std::string_view s) { return from_names<OpenType>(kOpenTypes, s); }
std::optional<UpdateCycle> update_cycle_from(std::string_view s) { return from_names<UpdateCycle>(kUpdateCycles, s); }

Result<ResourceSpec> parse_resource_spec(const json::value& input) {
  if (!input.is_object()) return Error::invalid("resource", "must be a JSON object");
  const auto& o = input.as_object();
  std::vector<FieldError> errors;
  Reader r(errors);
  r.only(o, {"code", "name", "provider", "category", "summary", "share_type", "open_type", "update_cycle", "publish",
             "fields"},
         "");
  ResourceSpec spec;
  spec.code = r.text(o, "code", "code", true, 64);
  if (!spec.code.empty() && (spec.code.size() < 3 || !valid_identifier(spec.code, 64, ".-")))
    r.fail("code", "must have 3 to 64 characters, start with a-z and hold only a-z, 0-9, _ . -");
  spec.name = r.text(o, "name", "name", true, 100);
  spec.provider = r.text(o, "provider", "provider", true, 40);
  spec.category = r.choice<Category>(o, "category", "category", kCategories, std::nullopt);
  spec.summary = r.text(o, "summary", "summary", false, 2000);
  spec.share_type = r.choice<ShareType>(o, "share_type", "share_type", kShareTypes, std::nullopt);
  spec.open_type = r.choice<OpenType>(o, "open_type", "open_type", kOpenTypes, std::nullopt);
  spec.update_cycle = r.choice<UpdateCycle>(o, "update_cycle", "update_cycle", kUpdateCycles, std::nullopt);
  spec.publish = r.flag(o, "publish", "publish");
  auto fields = o.find("fields");
  if (fields == o.end() || !fields->value().is_array() || fields->value().as_array().empty()) {
    r.fail("fields", "must be a non-empty list of fields");
  } else if (fields->value().as_array().size() > 500) {
    r.fail("fields", "a resource has at most 500 fields");
  } else {
    std::set<std::string> names;
    std::size_t i = 0;
    for (const auto& v : fields->value().as_array()) {
      const std::string at = "fields[" + std::to_string(i++) + "]";
      auto f = read_field(r, v, at);
      if (!f.name.empty() && !names.insert(f.name).second) r.fail(at + ".name", "repeats the field " + f.name);
      spec.fields.push_back(std::move(f));
    }
    if (std::none_of(spec.fields.begin(), spec.fields.end(), [](const FieldSpec& f) { return f.key; }))
      r.fail("fields", "at least one field must be a key (\"key\": true): records are found by their key");
  }
  if (!errors.empty()) {
    std::string message = errors.size() == 1 ? errors[0].field + ": " + errors[0].message
                                             : std::to_string(errors.size()) + " problems in the resource description";
    return Error{ErrorCode::invalid, std::move(message), std::move(errors)};
  }
  return spec;
}

std::string to_json(const ResourceSpec& spec) {
  json::array fields;
  for (const auto& f : spec.fields) {
    json::object o{{"name", f.name},         {"label", f.label},
                   {"type", to_string(f.type)}, {"required", f.required},
                   {"key", f.key},           {"sensitivity", to_string(f.sensitivity)}};
    if (f.length) o["length"] = *f.length;
    if (f.authority) o["authority"] = *f.authority;
    if (f.code_table) o["code_table"] = *f.code_table;
    fields.push_back(std::move(o));
  }
  return json::serialize(json::object{{"code", spec.code},
                                      {"name", spec.name},
                                      {"provider", spec.provider},
                                      {"category", to_string(spec.category)},
                                      {"summary", spec.summary},
                                      {"share_type", to_string(spec.share_type)},
                                      {"open_type", to_string(spec.open_type)},
                                      {"update_cycle", to_string(spec.update_cycle)},
                                      {"publish", spec.publish},
                                      {"fields", std::move(fields)}});
}

std::string breaking_reason(const std::vector<FieldSpec>& current, const std::vector<FieldSpec>& next) {
  std::map<std::string, const FieldSpec*> after;
  for (const auto& f : next) after[f.name] = &f;
  for (const auto& f : current) {
    auto it = after.find(f.name);
    if (it == after.end()) return "the field " + f.name + " would be removed";
    const FieldSpec& n = *it->second;
    if (n.type != f.type)
      return "the field " + f.name + " would change its type from " + std::string(to_string(f.type)) + " to " +
             std::string(to_string(n.type));
    if (n.key != f.key) return "the key would change (field " + f.name + ")";
    if (n.required && !f.required) return "the field " + f.name + " would become required";
    if (f.length.value_or(4000) > n.length.value_or(4000)) return "the field " + f.name + " would become shorter";
    if (n.code_table != f.code_table) return "the field " + f.name + " would take another code table";
  }
  std::set<std::string> before;
  for (const auto& f : current) before.insert(f.name);
  for (const auto& f : next)
    if (!before.contains(f.name) && (f.required || f.key)) return "the new field " + f.name + " is required";
  return {};
}

SchemaChange compare_schemas(const std::vector<FieldSpec>& current, const std::vector<FieldSpec>& next) {
  if (current == next) return SchemaChange::none;
  return breaking_reason(current, next).empty() ? SchemaChange::additive : SchemaChange::breaking;
}

}  // namespace zhengwu::data
