// The demo's discrepancies; see demo_discrepancies.hpp.
#include "modules/data/demo_discrepancies.hpp"

#include <stdexcept>

#include "modules/data/discrepancies.hpp"
#include "modules/data/record_store.hpp"

namespace zhengwu::data {

void seed_demo_discrepancies(db::Database& db, const Clock& clock, const TimeZone&, CatalogStore& catalog) {
  auto resource = catalog.get("gaj.population");
  if (!resource || resource->state != ResourceState::published) return;
  const auto& fields = resource->spec.fields;
  RecordStore records(db, clock);
  // Values in canonical form, in field order, by field name.
  auto record = [&](std::initializer_list<std::pair<const char*, const char*>> values) {
    RecordValues r;
    r.values.resize(fields.size());
    for (const auto& [name, value] : values) {
      std::size_t f = 0;
      while (f < fields.size() && fields[f].name != name) ++f;
      if (f == fields.size()) throw std::runtime_error(std::string("demo discrepancies: no field ") + name);
      r.values[f] = value;
    }
    return r;
  };
  // Written as by the record store's own callers, without a batch: the demo's import
  // batches stay the ones the demo records made.
  auto write = [&](const char* org, const std::vector<RecordValues>& rows) {
    const OneSourceWriter writer(records, clock, resource->id, fields, resource->spec.provider, org);
    auto tx = db.begin();
    writer.write(tx, rows, std::nullopt);
    tx.commit();
  };
  if (records.count(resource->id) < 3) {
    write("330100-GAJ",
          {record({{"id_number", "330106198805121237"}, {"name", "张三"}, {"address", "杭州市西湖区北山街道保俶路12号"},
                   {"phone", "13957100001"}}),
           record({{"id_number", "330102199003082343"}, {"name", "李四"}, {"address", "杭州市上城区清波街道河坊街8号"},
                   {"phone", "13957100002"}}),
           record({{"id_number", "11010519491231002X"}, {"name", "王芳"}, {"address", "杭州市西湖区西溪街道文三路5号"},
                   {"phone", "13957100003"}})});
  }
  // Three people of the register, the same ones on every seed.
  std::vector<std::string> keys;
  for (const auto& r : db.query("SELECT zw_key FROM " + RecordStore::table_name(resource->id) + " ORDER BY zw_key LIMIT 3"))
    keys.push_back(r.get<std::string>(0));
  if (keys.size() < 3) throw std::runtime_error("demo discrepancies: the population register has fewer than 3 people");
  // 民政局 met these people at its windows (低保 applications) and holds other contact
  // details than the register: values it is not the authority of. Seeding again adds
  // nothing (an identical open proposal is not recorded twice).
  write("330100-MZJ", {record({{"id_number", keys[0].c_str()}, {"address", "杭州市西湖区翠苑街道文二西路18号3幢201室"}}),
                       record({{"id_number", keys[1].c_str()}, {"phone", "13857109876"}}),
                       record({{"id_number", keys[2].c_str()}, {"address", "杭州市拱墅区米市巷街道湖墅南路66号"}})});
}

}  // namespace zhengwu::data
