// Masking per DOMAIN.md "Personal-information protection", table-driven: ID numbers keep
// 6 + 4, mobiles 3 + 4, names the surname (复姓 whole), addresses down to the street,
// dates the year, everything else is withheld.
#include "modules/data/masking.hpp"

#include <gtest/gtest.h>

namespace zhengwu::data {
namespace {

FieldSpec field(const char* name, const char* label, FieldType type) {
  return {name, label, type, {}, false, false, Sensitivity::personal, {}, {}};
}

TEST(Masking, EachKindOfValue) {
  struct Row {
    FieldSpec field;
    const char* value;
    const char* masked;
  };
  const std::vector<Row> rows{
      {field("id_number", "公民身份号码", FieldType::id_number), "11010519491231002X", "110105********002X"},
      {field("holder", "持卡人证件号", FieldType::id_number), "330106198805121237", "330106********1237"},
      {field("phone", "联系电话", FieldType::phone), "13812345678", "138****5678"},
      {field("phone", "联系电话", FieldType::phone), "0571-87654321", "057******4321"},
      {field("phone", "联系电话", FieldType::phone), "110", "*10"},
      {field("name", "姓名", FieldType::string), "张三", "张*"},
      {field("name", "姓名", FieldType::string), "王建华", "王**"},
      {field("name", "姓名", FieldType::string), "欧阳娜娜", "欧阳**"},
      {field("name", "姓名", FieldType::string), "欧阳", "欧*"},  // a two-character name: the surname is one
      {field("legal_representative", "法定代表人", FieldType::string), "司马光", "司马*"},
      {field("contact", "联系人姓名", FieldType::string), "Li Lei", "L*****"},
      {field("address", "住址", FieldType::string), "杭州市西湖区北山街道保俶路12号", "杭州市西湖区北山街道****"},
      {field("home_address", "家庭地址", FieldType::string), "杭州市余杭区闲林镇闲兴路8号", "杭州市余杭区闲林镇****"},
      {field("address", "住址", FieldType::string), "杭州市上城区南山路88号", "杭州市上城区****"},
      {field("address", "住址", FieldType::string), "北山街道", "北山街道"},
      {field("address", "住址", FieldType::string), "保俶路12号", "****"},
      {field("birth_date", "出生日期", FieldType::date), "1988-05-12", "1988-**-**"},
      {field("seen_at", "登记时间", FieldType::datetime), "2026-12-04T14:30:00+08:00", "2026-**-**T**:**:**"},
      {field("employer", "单位代码", FieldType::uscc), "91330106MA2H7K3T56", "91330106*********6"},
      {field("allowance", "月保障金额", FieldType::decimal), "1200.50", "***"},
      {field("children", "子女数", FieldType::integer), "2", "***"},
      {field("insured", "参保状态", FieldType::boolean), "true", "***"},
      {field("gender", "性别", FieldType::code), "1", "***"},
      {field("note", "备注", FieldType::string), "低保户", "***"},
  };
  for (const auto& r : rows) EXPECT_EQ(mask_value(r.field, r.value), r.masked) << r.field.name << " " << r.value;
}

TEST(Masking, OnlyPersonalAndSensitiveFields) {
  EXPECT_FALSE(is_masked_sensitivity(Sensitivity::public_));
  EXPECT_FALSE(is_masked_sensitivity(Sensitivity::internal));
  EXPECT_TRUE(is_masked_sensitivity(Sensitivity::personal));
  EXPECT_TRUE(is_masked_sensitivity(Sensitivity::sensitive));
}

}  // namespace
}  // namespace zhengwu::data
