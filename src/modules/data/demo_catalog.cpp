// The demo catalog; see demo_catalog.hpp.
#include "modules/data/demo_catalog.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace zhengwu::data {

const char* demo_catalog_json() {
  return R"JSON([
  {"code": "gaj.population", "name": "户籍人口基本信息", "provider": "330100-GAJ", "category": "base",
   "summary": "全市户籍人口的公民身份号码、姓名、性别、出生日期和户籍地址，由公安户政部门每日更新。",
   "share_type": "conditional", "open_type": "closed", "update_cycle": "daily", "publish": true,
   "fields": [
     {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive", "authority": "330100-GAJ"},
     {"name": "name", "label": "姓名", "type": "string", "length": 50, "required": true, "sensitivity": "personal", "authority": "330100-GAJ"},
     {"name": "gender", "label": "性别", "type": "code", "code_table": "gb2261.1", "sensitivity": "personal", "authority": "330100-GAJ"},
     {"name": "birth_date", "label": "出生日期", "type": "date", "sensitivity": "personal", "authority": "330100-GAJ"},
     {"name": "household_division", "label": "户籍所在地", "type": "division", "sensitivity": "internal", "authority": "330100-GAJ"},
     {"name": "address", "label": "住址", "type": "string", "length": 200, "sensitivity": "personal"},
     {"name": "phone", "label": "联系电话", "type": "phone", "sensitivity": "personal"}
   ]},
  {"code": "scjgj.enterprise", "name": "企业登记信息", "provider": "330100-SCJGJ", "category": "base",
   "summary": "市场主体登记注册信息：统一社会信用代码、名称、法定代表人、注册资本、成立日期和登记机关所在地。",
   "share_type": "unconditional", "open_type": "open", "update_cycle": "daily", "publish": true,
   "fields": [
     {"name": "uscc", "label": "统一社会信用代码", "type": "uscc", "key": true, "sensitivity": "public", "authority": "330100-SCJGJ"},
     {"name": "name", "label": "企业名称", "type": "string", "length": 200, "required": true, "sensitivity": "public", "authority": "330100-SCJGJ"},
     {"name": "legal_representative", "label": "法定代表人", "type": "string", "length": 50, "sensitivity": "personal"},
     {"name": "registered_capital", "label": "注册资本（万元）", "type": "decimal", "sensitivity": "public"},
     {"name": "established_on", "label": "成立日期", "type": "date", "sensitivity": "public"},
     {"name": "division", "label": "住所所在地", "type": "division", "sensitivity": "public"}
   ]},
  {"code": "rsj.social_insurance", "name": "社会保险参保信息", "provider": "330100-RSJ", "category": "thematic",
   "summary": "职工基本养老、医疗、失业保险的参保状态、参保日期、缴费基数和参保单位（社保）。",
   "share_type": "conditional", "open_type": "closed", "update_cycle": "monthly", "publish": true,
   "fields": [
     {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive", "authority": "330100-GAJ"},
     {"name": "name", "label": "姓名", "type": "string", "length": 50, "sensitivity": "personal", "authority": "330100-GAJ"},
     {"name": "insured_since", "label": "参保日期", "type": "date", "sensitivity": "personal"},
     {"name": "insured", "label": "参保状态", "type": "boolean", "sensitivity": "personal"},
     {"name": "contribution_base", "label": "缴费基数（元）", "type": "decimal", "sensitivity": "sensitive"},
     {"name": "employer_uscc", "label": "参保单位统一社会信用代码", "type": "uscc", "sensitivity": "internal"}
   ]},
  {"code": "gjj.deposit", "name": "住房公积金缴存信息", "provider": "330100-GJJZX", "category": "thematic",
   "summary": "个人住房公积金账户的缴存状态、月缴存额、缴存单位和最近缴存月份，用于购房和贷款资格审核。",
   "share_type": "conditional", "open_type": "closed", "update_cycle": "monthly", "publish": true,
   "fields": [
     {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive", "authority": "330100-GAJ"},
     {"name": "account_state", "label": "账户状态", "type": "string", "length": 10, "sensitivity": "personal"},
     {"name": "monthly_amount", "label": "月缴存额（元）", "type": "decimal", "sensitivity": "sensitive"},
     {"name": "last_paid_month", "label": "最近缴存月份", "type": "date", "sensitivity": "personal"},
     {"name": "employer_uscc", "label": "缴存单位统一社会信用代码", "type": "uscc", "sensitivity": "internal"}
   ]},
  {"code": "mzj.subsistence", "name": "最低生活保障对象", "provider": "330100-MZJ", "category": "departmental",
   "summary": "城乡低保对象名单及保障金额（社会救助），涉及困难群众隐私，原则上不予共享。",
   "share_type": "none", "open_type": "closed", "update_cycle": "monthly",
   "fields": [
     {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive", "authority": "330100-GAJ"},
     {"name": "name", "label": "姓名", "type": "string", "length": 50, "sensitivity": "personal", "authority": "330100-GAJ"},
     {"name": "monthly_allowance", "label": "月保障金额（元）", "type": "decimal", "sensitivity": "sensitive"},
     {"name": "approved_on", "label": "认定日期", "type": "date", "sensitivity": "personal"},
     {"name": "division", "label": "所在街道", "type": "division", "sensitivity": "internal"}
   ]},
  {"code": "ybj.medical_insurance", "name": "医疗保险参保信息", "provider": "330100-YBJ", "category": "thematic",
   "summary": "城乡居民和职工基本医疗保险的参保险种与参保状态（医保），编制中。",
   "share_type": "conditional", "open_type": "closed", "update_cycle": "monthly",
   "fields": [
     {"name": "id_number", "label": "公民身份号码", "type": "id_number", "key": true, "sensitivity": "sensitive", "authority": "330100-GAJ"},
     {"name": "scheme", "label": "参保险种", "type": "string", "length": 20, "sensitivity": "personal"},
     {"name": "insured", "label": "参保状态", "type": "boolean", "sensitivity": "personal"}
   ]}
])JSON";
}

void seed_demo_catalog(CatalogStore& store) {
  auto check = [](Status s, const char* what) {
    if (!s) throw std::runtime_error(std::string("demo catalog: ") + what + ": " + s.error().message);
  };
  check(store.put_code_table("gb2261.1", "人的性别代码", "GB/T 2261.1-2003",
                             {{"0", "未知的性别", {"未知"}},
                              {"1", "男性", {"男", "M", "male"}},
                              {"2", "女性", {"女", "F", "female"}},
                              {"9", "未说明的性别", {"未说明"}}}),
        "gb2261.1");
  const auto doc = boost::json::parse(demo_catalog_json());
  for (const auto& item : doc.as_array()) {
    auto spec = parse_resource_spec(item);
    if (!spec) throw std::runtime_error("demo catalog: " + spec.error().message);
    auto applied = store.apply(*spec, "demo");
    if (!applied) throw std::runtime_error("demo catalog: " + spec->code + ": " + applied.error().message);
  }
  // 低保 waits for the big-data centre's review; 医保 stays a draft of its department.
  auto submitted = store.transition("mzj.subsistence", ResourceState::draft, ResourceState::submitted, "mzj.head",
                                    "请审核：低保对象名单按规定不予共享，仅登记目录。");
  if (!submitted) throw std::runtime_error("demo catalog: submit mzj.subsistence: " + submitted.error().message);
}

}  // namespace zhengwu::data
