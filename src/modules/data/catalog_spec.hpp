// A catalog resource as departments describe it (政务信息资源目录编制指南): what the data is,
// who provides it, how it may be shared and opened, how often it changes, and its fields
// (信息项) with their types, sensitivity and authoritative department (一数一源).
//
// This is the contract of `zhengwu catalog apply` and of the resource editor (DESIGN.md):
//   {code, name, provider, category, summary, share_type, open_type, update_cycle,
//    publish, fields: [{name, label, type, length?, required?, key?, sensitivity,
//    authority?, code_table?}]}
// Parsing reports every problem at once, each under the JSON path of the input
// (`fields[2].type`), so that a form or an operator fixes them in one go. Whether the
// provider, authorities and code tables exist is the store's check, not this one's.
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/result.hpp"

namespace boost::json {
class value;
}

namespace zhengwu::data {

// 信息项 types. `code` takes its values from a code table; `id_number` (GB 11643), `uscc`
// (GB 32100), `division` (GB/T 2260) and `phone` are checked and normalised on import.
enum class FieldType { string, integer, decimal, date, datetime, boolean, code, id_number, uscc, division, phone, geo_point };
// Who may see a value: public, internal (government use), personal (personal
// information, masked unless granted in clear), sensitive (sensitive personal
// information, 个人信息保护法 art. 28).
enum class Sensitivity { public_, internal, personal, sensitive };
enum class Category { base, thematic, departmental };       // 基础 / 主题 / 部门
enum class ShareType { unconditional, conditional, none };  // 无条件 / 有条件 / 不予共享
enum class OpenType { open, conditional, closed };          // 开放 / 有条件开放 / 不开放
enum class UpdateCycle { realtime, daily, weekly, monthly, quarterly, yearly };

std::string_view to_string(FieldType t);
std::string_view to_string(Sensitivity s);
std::string_view to_string(Category c);
std::string_view to_string(ShareType s);
std::string_view to_string(OpenType o);
std::string_view to_string(UpdateCycle u);
std::optional<FieldType> field_type_from(std::string_view s);
std::optional<Sensitivity> sensitivity_from(std::string_view s);
std::optional<Category> category_from(std::string_view s);
std::optional<ShareType> share_type_from(std::string_view s);
std::optional<OpenType> open_type_from(std::string_view s);
std::optional<UpdateCycle> update_cycle_from(std::string_view s);

struct FieldSpec {
  std::string name;   // column name: [a-z][a-z0-9_]*, at most 48 characters, not zw_*
  std::string label;  // 信息项名称, 1-50 characters
  FieldType type = FieldType::string;
  std::optional<int> length;  // string: maximum characters (1-4000); others: none
  bool required = false;
  bool key = false;  // part of the record key; key fields are required
  Sensitivity sensitivity = Sensitivity::internal;
  std::optional<std::string> authority;   // org code of the authoritative department
  std::optional<std::string> code_table;  // code fields: the table of allowed values

  friend bool operator==(const FieldSpec&, const FieldSpec&) = default;
};

struct ResourceSpec {
  std::string code;      // [a-z][a-z0-9_.-]*, 3-64 characters, unique in the catalog
  std::string name;      // 1-100 characters
  std::string provider;  // org code of the providing department
  Category category = Category::departmental;
  std::string summary;  // 0-2000 characters
  ShareType share_type = ShareType::conditional;
  OpenType open_type = OpenType::closed;
  UpdateCycle update_cycle = UpdateCycle::monthly;
  bool publish = false;  // apply: publish at once (operators' path beside review)
  std::vector<FieldSpec> fields;

  friend bool operator==(const ResourceSpec&, const ResourceSpec&) = default;
};

// Reads one resource object; every problem is listed in the Error's fields.
Result<ResourceSpec> parse_resource_spec(const boost::json::value& input);
// The same object back as JSON text (fields in order, optional members only when set).
std::string to_json(const ResourceSpec& spec);

// How a new spec differs from the current one, for versioning (DESIGN.md: "a changed
// schema makes a new version"; the issue: "adding a column works on a live resource").
enum class SchemaChange {
  none,      // same fields: at most the description changed (no new version)
  additive,  // only new optional fields, or new labels, sensitivities, authorities of
             // existing ones: a new version on the same record table
  breaking,  // a field removed, retyped, shortened, made required or key, or the key
             // changed: the stored records do not fit the new schema
};
SchemaChange compare_schemas(const std::vector<FieldSpec>& current, const std::vector<FieldSpec>& next);
// A sentence saying why a change is breaking (the first reason found), for the error.
std::string breaking_reason(const std::vector<FieldSpec>& current, const std::vector<FieldSpec>& next);

}  // namespace zhengwu::data
