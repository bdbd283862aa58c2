// Registration unit of the data module, and the operators' catalog command.
#include "modules/data/module.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <ostream>
#include <sstream>

#include "kernel/platform.hpp"
#include "modules/data/catalog_store.hpp"

namespace zhengwu::modules::data {
namespace json = boost::json;
using zhengwu::data::CatalogStore;
using zhengwu::data::ResourceSpec;

namespace {

class DataModule final : public Module {
 public:
  std::string_view name() const override { return "data"; }
  std::vector<db::Migration> migrations() const override { return zhengwu::data::catalog_migrations(); }
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
