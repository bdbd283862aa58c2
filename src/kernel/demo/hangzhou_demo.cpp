// The kernel's part of the Hangzhou demo; see hangzhou_demo.hpp. docs/demo-accounts.md is
// the table of the accounts made here, and a test checks that both agree.
#include "kernel/demo/hangzhou_demo.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "kernel/auth/enterprise.hpp"
#include "kernel/auth/identity.hpp"
#include "kernel/auth/org_directory.hpp"
#include "kernel/auth/totp.hpp"
#include "kernel/platform.hpp"
#include "kernel/problem.hpp"

namespace zhengwu::demo {
namespace {

struct Department {
  const char* code;
  const char* name;
  const char* kind;
};

// The municipal departments the plan names (杭州市智慧政务发展"十三五"规划), with the big-data
// centre (数据资源管理局) that runs the data platform.
const std::vector<Department> kDepartments{
    {"330100-BGT", "杭州市人民政府办公厅", "government_department"},
    {"330100-FGW", "杭州市发展和改革委员会", "government_department"},
    {"330100-JXJ", "杭州市经济和信息化局", "government_department"},
    {"330100-JYJ", "杭州市教育局", "government_department"},
    {"330100-KJJ", "杭州市科学技术局", "government_department"},
    {"330100-GAJ", "杭州市公安局", "government_department"},
    {"330100-MZJ", "杭州市民政局", "government_department"},
    {"330100-SFJ", "杭州市司法局", "government_department"},
    {"330100-CZJ", "杭州市财政局", "government_department"},
    {"330100-RSJ", "杭州市人力资源和社会保障局", "government_department"},
    {"330100-GHZYJ", "杭州市规划和自然资源局", "government_department"},
    {"330100-STHJJ", "杭州市生态环境局", "government_department"},
    {"330100-JW", "杭州市城乡建设委员会", "government_department"},
    {"330100-CGJ", "杭州市城市管理局", "government_department"},
    {"330100-JTYSJ", "杭州市交通运输局", "government_department"},
    {"330100-LSJ", "杭州市林业水利局", "government_department"},
    {"330100-NYNCJ", "杭州市农业农村局", "government_department"},
    {"330100-SWJ", "杭州市商务局", "government_department"},
    {"330100-WGLYJ", "杭州市文化广电旅游局", "government_department"},
    {"330100-WJW", "杭州市卫生健康委员会", "government_department"},
    {"330100-YJGLJ", "杭州市应急管理局", "government_department"},
    {"330100-SCJGJ", "杭州市市场监督管理局", "government_department"},
    {"330100-TJJ", "杭州市统计局", "government_department"},
    {"330100-YBJ", "杭州市医疗保障局", "government_department"},
    {"330100-SJZYJ", "杭州市数据资源管理局", "government_department"},
    {"330100-GJJZX", "杭州住房公积金管理中心", "public_institution"},
    {"330100-CL", "杭州市残疾人联合会", "public_institution"},
    {"330100-QXJ", "杭州市气象局", "government_department"},
    {"330100-GJJT", "杭州市公共交通集团有限公司", "enterprise"},
    {"330100-DTJT", "杭州市地铁集团有限责任公司", "enterprise"},
};

struct DemoRole {
  const char* code;
  const char* name;
  std::vector<std::string> permissions;
};

// Roles of department staff. Later modules add their permissions to them.
const std::vector<DemoRole> kRoles{
    {"dept_clerk", "部门办事员", {"org.read"}},
    {"dept_head", "部门负责人", {"org.read", "user.read"}},
    {"data_officer", "大数据中心数据专员", {"org.read"}},
    {"patroller", "城管巡查员", {}},
};

struct DemoAccount {
  const char* username;
  const char* password;
  const char* display_name;
  const char* role;  // a role code, or "citizen" / "enterprise"
  const char* org;
  const char* position;
  const char* id_number;
  const char* uscc;
  const char* totp_secret;
};

}  // namespace

// The table of docs/demo-accounts.md, in the same order.
const std::vector<DemoAccount>& demo_accounts() {
  static const std::vector<DemoAccount> accounts{
      {"sysadmin", "Sys#Admin2026", "系统管理员", auth::kSystemAdmin, "330100-SJZYJ", "系统管理员", nullptr, nullptr,
       "PJUGK3THO52S2ZDFNVXS243ZONQWI3JB"},
      {"secadmin", "Sec#Admin2026", "安全管理员", auth::kSecurityAdmin, "330100-SJZYJ", "安全管理员", nullptr, nullptr,
       "PJUGK3THO52S2ZDFNVXS243FMNQWI3JB"},
      {"auditadmin", "Audit#Admin2026", "审计管理员", auth::kAuditAdmin, "330100-SJZYJ", "审计管理员", nullptr, nullptr,
       "PJUGK3THO52S2ZDFNVXS2YLVMRQWI3JB"},
      {"gaj.clerk", "Demo#Clerk2026", "王芳", "dept_clerk", "330100-GAJ", "户政科员", nullptr, nullptr, nullptr},
      {"gaj.head", "Demo#Head2026", "陈明", "dept_head", "330100-GAJ", "户政处处长", nullptr, nullptr, nullptr},
      {"mzj.clerk", "Demo#Clerk2026", "刘洋", "dept_clerk", "330100-MZJ", "社会救助科员", nullptr, nullptr, nullptr},
      {"mzj.head", "Demo#Head2026", "赵静", "dept_head", "330100-MZJ", "社会救助处处长", nullptr, nullptr, nullptr},
      {"rsj.clerk", "Demo#Clerk2026", "孙磊", "dept_clerk", "330100-RSJ", "社保经办员", nullptr, nullptr, nullptr},
      {"rsj.head", "Demo#Head2026", "周敏", "dept_head", "330100-RSJ", "社保处处长", nullptr, nullptr, nullptr},
      {"scjgj.clerk", "Demo#Clerk2026", "吴涛", "dept_clerk", "330100-SCJGJ", "登记注册科员", nullptr, nullptr, nullptr},
      {"sjzyj.officer", "Demo#Data2026", "郑丽", "data_officer", "330100-SJZYJ", "数据治理专员", nullptr, nullptr,
       nullptr},
      {"cgj.patrol1", "Demo#Patrol2026", "钱勇", "patroller", "330106002", "城管巡查员", nullptr, nullptr, nullptr},
      {"cgj.patrol2", "Demo#Patrol2026", "冯强", "patroller", "330102001", "城管巡查员", nullptr, nullptr, nullptr},
      {"zhangsan", "Demo#Citizen2026", "张三", "citizen", nullptr, nullptr, "330106198805121237", nullptr, nullptr},
      {"lisi", "Demo#Citizen2026", "李四", "citizen", nullptr, nullptr, "330102199003082343", nullptr, nullptr},
      {"xihu.tech", "Demo#Corp2026", "杭州西湖数智科技有限公司", "enterprise", nullptr, nullptr, nullptr,
       "91330106MA2H7K3T56", nullptr},
  };
  return accounts;
}

namespace {

// xihu.tech's profile, and two citizens it authorised: zhangsan (in force for a year) and
// lisi (revoked), so the enterprise page shows both states. The legal representative's
// ID number is a well-formed GB 11643 number of 西湖区 (check character computed, born
// 1975-06-14, sequence 251: male); it belongs to nobody.
void seed_enterprise_agents(Platform& platform) {
  auto& identity = platform.identity();
  auth::EnterpriseRegistry enterprises(platform.database(), platform.clock(), platform.zone());
  auto must = [](auto result, std::string_view what) {
    if (!result) throw std::runtime_error("demo: " + std::string(what) + ": " + result.error().message);
    return std::move(result).value();
  };
  auto corp = must(identity.user_by_name("xihu.tech"), "xihu.tech");
  must(enterprises.set_profile(corp.id, {"杭州西湖数智科技有限公司", "王建华", "330106197506142519", "330106"}),
       "profile of xihu.tech");
  auto now = platform.clock().now();
  auth::AgentGrantInput live;
  live.agent_username = "zhangsan";
  live.scope = "代办企业登记、社保登记和纳税申报";
  live.valid_until = now + std::chrono::days(365);
  must(enterprises.authorise_agent(corp.id, live, corp.id), "agent zhangsan");
  auth::AgentGrantInput ended;
  ended.agent_username = "lisi";
  ended.scope = "代办员工社保增减员";
  ended.valid_until = now + std::chrono::days(180);
  auto lisi = must(enterprises.authorise_agent(corp.id, ended, corp.id), "agent lisi");
  must(enterprises.revoke_agent(corp.id, lisi.id, "经办人已离职", corp.id), "revoking agent lisi");
}

}  // namespace

void seed_hangzhou(Platform& platform) {
  auto& orgs = platform.orgs();
  auto& identity = platform.identity();
  auto made = [](auto result, std::string_view what) {
    if (!result) throw std::runtime_error("demo: " + std::string(what) + ": " + result.error().message);
    return std::move(result).value();
  };

  made(orgs.create({"330100", "杭州市", "city", std::nullopt, "330100"}), "杭州市");
  for (const auto& d : kDepartments) made(orgs.create({d.code, d.name, d.kind, "330100", std::nullopt}), d.name);
  auto divisions = boost::json::parse(hangzhou_divisions_json()).as_object();
  std::size_t streets = 0;
  for (const auto& district : divisions.at("districts").as_array()) {
    std::string code(district.at("code").as_string());
    std::string name(district.at("name").as_string());
    made(orgs.create({code, name + "人民政府", "district_government", "330100", code}), name);
    for (const auto& street : district.at("streets").as_array()) {
      std::string scode(street.at("code").as_string());
      std::string sname(street.at("name").as_string());
      // 街道 are street offices; 镇/乡 are towns, also the level below a district.
      made(orgs.create({scode, sname, "street_office", code, scode}), sname);
      ++streets;
    }
  }

  for (const auto& r : kRoles) made(identity.create_role(r.code, r.name, r.permissions), r.code);

  for (const auto& a : demo_accounts()) {
    auth::NewUser in;
    in.username = a.username;
    in.display_name = a.display_name;
    in.password = a.password;
    in.must_change_password = false;  // demo accounts are ready to use
    std::string role = a.role;
    if (role == "citizen" || role == "enterprise") {
      in.kind = role;
      if (a.id_number) in.id_number = a.id_number;
      if (a.uscc) in.uscc = a.uscc;
      // The demo's citizens show two levels: one verified at a service window, one
      // checked against the population register.
      if (role == "citizen") in.real_name_level = a.username == std::string_view("zhangsan") ? 3 : 2;
    } else {
      in.kind = "staff";
      in.org_code = a.org;
      if (a.position) in.position = a.position;
    }
    auto user = made(identity.create_user(in), a.username);
    if (in.kind == "staff") made(identity.grant(user.id, role, a.org, true, std::nullopt), a.username);
    if (a.totp_secret) {
      auto secret = made(auth::decode_base32(a.totp_secret), a.username);
      if (auto s = identity.enroll_totp(user.id, a.totp_secret, auth::totp_code(secret, platform.clock().now())); !s)
        throw std::runtime_error(std::string("demo: TOTP of ") + a.username + ": " + s.error().message);
    }
  }
  seed_enterprise_agents(platform);
  spdlog::info("demo: Hangzhou with {} departments, {} districts and counties, {} streets and towns, {} accounts",
               kDepartments.size(), divisions.at("districts").as_array().size(), streets, demo_accounts().size());
}

}  // namespace zhengwu::demo
