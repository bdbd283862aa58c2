// Resource descriptions: every problem reported under its JSON path, round trips, and the
// schema comparison that decides versions.
#include "modules/data/catalog_spec.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>

namespace zhengwu::data {
namespace {

namespace json = boost::json;

json::object population() {
  return json::parse(R"({
    "code": "ga.population", "name": "户籍人口基本信息", "provider": "330100-GA", "category": "base",
    "summary": "全市户籍人口", "share_type": "conditional", "open_type": "closed", "update_cycle": "daily",
    "fields": [
      {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive"},
      {"name": "name", "label": "姓名", "type": "string", "length": 50, "required": true, "sensitivity": "personal"},
      {"name": "gender", "label": "性别", "type": "code", "code_table": "gb2261.1", "sensitivity": "personal"},
      {"name": "division", "label": "户籍地", "type": "division", "sensitivity": "internal", "authority": "330100-GA"}
    ]})")
      .as_object();
}

TEST(CatalogSpec, ReadsTheContract) {
  auto spec = parse_resource_spec(population());
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->code, "ga.population");
  EXPECT_EQ(spec->category, Category::base);
  EXPECT_EQ(spec->share_type, ShareType::conditional);
  ASSERT_EQ(spec->fields.size(), 4u);
  EXPECT_TRUE(spec->fields[0].key);
  EXPECT_TRUE(spec->fields[0].required) << "a key is required";
  EXPECT_EQ(spec->fields[1].length, 50);
  EXPECT_EQ(spec->fields[2].code_table, "gb2261.1");
  EXPECT_EQ(spec->fields[3].authority, "330100-GA");
  // Written back and read again: the same spec.
  auto again = parse_resource_spec(json::parse(to_json(*spec)));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, *spec);
}

struct BadCase {
  const char* name;
  const char* pointer;  // JSON pointer of the member to replace, "" to drop `drop`
  json::value value;
  const char* drop;
  std::string field;  // the error's field
};

class CatalogSpecRefuses : public ::testing::TestWithParam<BadCase> {};

TEST_P(CatalogSpecRefuses, NamesTheField) {
  const auto& c = GetParam();
  json::value doc = population();
  if (*c.pointer) {
    // The member at the pointer is set (its parent object exists).
    std::string pointer = c.pointer;
    auto slash = pointer.rfind('/');
    auto parent = pointer.substr(0, slash);
    auto& obj = parent.empty() ? doc.as_object() : doc.at_pointer(parent).as_object();
    obj[pointer.substr(slash + 1)] = c.value;
  }
  if (*c.drop) {
    std::string d = c.drop;
    auto slash = d.rfind('/');
    auto parent = d.substr(0, slash);
    auto& obj = parent.empty() ? doc.as_object() : doc.at_pointer(parent).as_object();
    obj.erase(d.substr(slash + 1));
  }
  auto r = parse_resource_spec(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid);
  std::vector<std::string> fields;
  for (const auto& f : r.error().fields) fields.push_back(f.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), c.field), fields.end())
      << "fields: " << ::testing::PrintToString(fields) << " message: " << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CatalogSpecRefuses,
    ::testing::Values(
        BadCase{"code_missing", "", nullptr, "/code", "code"},
        BadCase{"code_uppercase", "/code", "GA.Population", "", "code"},
        BadCase{"code_too_short", "/code", "ga", "", "code"},
        BadCase{"name_empty", "/name", "", "", "name"},
        BadCase{"name_too_long", "/name", json::string(std::string(101 * 3, 'x')), "", "name"},
        BadCase{"provider_missing", "", nullptr, "/provider", "provider"},
        BadCase{"category_unknown", "/category", "core", "", "category"},
        BadCase{"share_type_unknown", "/share_type", "always", "", "share_type"},
        BadCase{"open_type_not_a_string", "/open_type", 1, "", "open_type"},
        BadCase{"update_cycle_missing", "", nullptr, "/update_cycle", "update_cycle"},
        BadCase{"publish_not_bool", "/publish", "yes", "", "publish"},
        BadCase{"unknown_member", "/owner", "x", "", "owner"},
        BadCase{"fields_empty", "/fields", json::array(), "", "fields"},
        BadCase{"field_type_unknown", "/fields/1/type", "text", "", "fields[1].type"},
        BadCase{"field_name_with_space", "/fields/1/name", "full name", "", "fields[1].name"},
        BadCase{"field_name_reserved", "/fields/1/name", "zw_batch", "", "fields[1].name"},
        BadCase{"field_name_repeated", "/fields/1/name", "id_number", "", "fields[1].name"},
        BadCase{"field_label_missing", "", nullptr, "/fields/1/label", "fields[1].label"},
        BadCase{"length_on_integer", "/fields/3/length", 10, "", "fields[3].length"},
        BadCase{"length_zero", "/fields/1/length", 0, "", "fields[1].length"},
        BadCase{"code_without_table", "", nullptr, "/fields/2/code_table", "fields[2].code_table"},
        BadCase{"table_on_string", "/fields/1/code_table", "gb2261.1", "", "fields[1].code_table"},
        BadCase{"sensitivity_unknown", "/fields/1/sensitivity", "secret", "", "fields[1].sensitivity"},
        BadCase{"field_unknown_member", "/fields/1/format", "x", "", "fields[1].format"},
        BadCase{"no_key", "/fields/0/key", false, "", "fields"},
        BadCase{"decimal_key", "/fields/0/type", "decimal", "", "fields[0].key"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(CatalogSpec, ReportsEveryProblemAtOnce) {
  json::object doc = population();
  doc["code"] = "X";
  doc["category"] = "core";
  doc["fields"].as_array()[1].as_object()["type"] = "text";
  auto r = parse_resource_spec(doc);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.size(), 3u);
  EXPECT_NE(r.error().message.find("3 problems"), std::string::npos);
  EXPECT_FALSE(parse_resource_spec(json::value("not an object")).ok());
}

struct ChangeCase {
  const char* name;
  void (*edit)(std::vector<FieldSpec>&);
  SchemaChange expected;
};

class SchemaChanges : public ::testing::TestWithParam<ChangeCase> {};

TEST_P(SchemaChanges, DecideTheVersion) {
  auto base = parse_resource_spec(population())->fields;
  auto next = base;
  GetParam().edit(next);
  EXPECT_EQ(compare_schemas(base, next), GetParam().expected) << breaking_reason(base, next);
  EXPECT_EQ(breaking_reason(base, next).empty(), GetParam().expected != SchemaChange::breaking);
}

INSTANTIATE_TEST_SUITE_P(
    Table, SchemaChanges,
    ::testing::Values(
        ChangeCase{"same", [](std::vector<FieldSpec>&) {}, SchemaChange::none},
        ChangeCase{"new_optional_field",
                   [](std::vector<FieldSpec>& f) {
                     f.push_back({"phone", "联系电话", FieldType::phone, {}, false, false, Sensitivity::personal, {}, {}});
                   },
                   SchemaChange::additive},
        ChangeCase{"label_changed", [](std::vector<FieldSpec>& f) { f[1].label = "姓名（中文）"; }, SchemaChange::additive},
        ChangeCase{"sensitivity_changed", [](std::vector<FieldSpec>& f) { f[3].sensitivity = Sensitivity::personal; },
                   SchemaChange::additive},
        ChangeCase{"longer_string", [](std::vector<FieldSpec>& f) { f[1].length = 100; }, SchemaChange::additive},
        ChangeCase{"new_required_field",
                   [](std::vector<FieldSpec>& f) {
                     f.push_back({"phone", "联系电话", FieldType::phone, {}, true, false, Sensitivity::personal, {}, {}});
                   },
                   SchemaChange::breaking},
        ChangeCase{"field_removed", [](std::vector<FieldSpec>& f) { f.pop_back(); }, SchemaChange::breaking},
        ChangeCase{"retyped", [](std::vector<FieldSpec>& f) { f[3].type = FieldType::string; }, SchemaChange::breaking},
        ChangeCase{"shorter_string", [](std::vector<FieldSpec>& f) { f[1].length = 20; }, SchemaChange::breaking},
        ChangeCase{"made_required", [](std::vector<FieldSpec>& f) { f[3].required = true; }, SchemaChange::breaking},
        ChangeCase{"key_changed", [](std::vector<FieldSpec>& f) { f[1].key = true; }, SchemaChange::breaking},
        ChangeCase{"other_code_table", [](std::vector<FieldSpec>& f) { f[2].code_table = "local.gender"; },
                   SchemaChange::breaking}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace zhengwu::data
