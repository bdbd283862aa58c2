// Registration unit of the data module, and the operators' catalog command.
#include "modules/data/module.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "kernel/platform.hpp"
#include "kernel/auth/identity.hpp"
#include "modules/data/catalog_routes.hpp"
#include "modules/data/catalog_store.hpp"
#include "modules/data/demo_catalog.hpp"
#include "modules/data/import_batches.hpp"

namespace zhengwu::modules::data {
namespace json = boost::json;
using zhengwu::data::CatalogStore;
using zhengwu::data::ResourceSpec;

namespace {

class DataModule final : public Module {
 public:
  std::string_view name() const override { return "data"; }
  std::vector<db::Migration> migrations() const override {
    auto all = zhengwu::data::catalog_migrations();
    all.push_back(zhengwu::data::import_migration());
    return all;
  }

  void register_routes(http::Router& router, Platform& platform) override {
    zhengwu::data::add_catalog_routes(router, store(platform), platform.identity(), platform.orgs(), platform.zone());
  }

  void seed_demo(Platform& platform) override {
    zhengwu::data::seed_demo_catalog(store(platform));
    // The demo's department roles edit their own catalog; the big-data centre reviews.
    auto& identity = platform.identity();
    zhengwu::data::register_catalog_permissions(identity);
    const std::vector<std::pair<const char*, std::vector<const char*>>> extra{
        {"dept_clerk", {zhengwu::data::kCatalogRead, zhengwu::data::kCatalogEdit}},
        {"dept_head", {zhengwu::data::kCatalogRead, zhengwu::data::kCatalogEdit}},
        {"data_officer", {zhengwu::data::kCatalogRead, zhengwu::data::kCatalogPublish}},
    };
    for (const auto& [code, permissions] : extra) {
      auto role = identity.role_by_code(code);
      if (!role) continue;  // the kernel demo did not make it
      std::vector<std::string> all(role->permissions.begin(), role->permissions.end());
      for (const char* p : permissions) all.emplace_back(p);
      if (auto updated = identity.set_role_permissions(role->id, all); !updated)
        throw std::runtime_error(std::string("demo: role ") + code + ": " + updated.error().message);
    }
  }

 private:
  zhengwu::data::CatalogStore& store(Platform& platform) {
    if (!store_) store_ = std::make_unique<CatalogStore>(platform.database(), platform.clock());
    return *store_;
  }
  std::unique_ptr<CatalogStore> store_;
};

void print_error(std::ostream& err, const std::string& where, const Error& e) {
  err << where << ": " << e.message << "\n";
  if (e.fields.size() > 1)
    for (const auto& f : e.fields) err << "  " << f.field << ": " << f.message << "\n";
}

}  // namespace

std::unique_ptr<Module> make_module() { return std::make_unique<DataModule>(); }

int catalog_apply(Platform& platform, const std::string& path, std::ostream& out, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << path << ": cannot be read\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(text.str(), ec);
  if (ec) {
    err << path << ": not JSON (" << ec.message() << ")\n";
    return 2;
  }
  std::vector<json::value> items;
  if (doc.is_array()) {
    for (auto& v : doc.as_array()) items.push_back(v);
  } else {
    items.push_back(doc);
  }
  if (items.empty()) {
    err << path << ": the list is empty\n";
    return 1;
  }
  // Every resource is checked before any is applied.
  std::vector<ResourceSpec> specs;
  bool refused = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto spec = zhengwu::data::parse_resource_spec(items[i]);
    if (!spec) {
      print_error(err, path + " [" + std::to_string(i) + "]", spec.error());
      refused = true;
      continue;
    }
    specs.push_back(std::move(*spec));
  }
  if (refused) return 1;
  CatalogStore store(platform.database(), platform.clock());
  for (std::size_t i = 0; i < specs.size(); ++i) {
    auto applied = store.apply(specs[i], "cli:catalog apply");
    if (!applied) {
      print_error(err, path + " [" + std::to_string(i) + "] " + specs[i].code, applied.error());
      return 1;
    }
    out << json::serialize(json::object{{"code", applied->code}, {"version", applied->version}}) << "\n";
    err << specs[i].code << ": " << zhengwu::data::to_string(applied->outcome) << ", version " << applied->version
        << ", " << zhengwu::data::to_string(applied->state) << "\n";
  }
  out.flush();
  return 0;
}

}  // namespace zhengwu::modules::data
