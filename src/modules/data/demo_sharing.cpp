// The demo's sharing; see demo_sharing.hpp.
#include "modules/data/demo_sharing.hpp"

#include <stdexcept>

namespace zhengwu::data {
namespace {

template <typename T>
T must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(std::string("demo sharing: ") + what + ": " + r.error().message);
  return std::move(*r);
}

ShareRequest ask(const char* resource, const char* consumer, std::vector<std::string> fields,
                 std::vector<std::string> clear, const char* purpose, const char* basis, const char* actor) {
  ShareRequest r;
  r.resource_code = resource;
  r.consumer_org = consumer;
  r.fields = std::move(fields);
  r.clear_fields = std::move(clear);
  r.purpose = purpose;
  r.legal_basis = basis;
  r.duration_days = 365;
  r.actor = actor;
  return r;
}

}  // namespace

void seed_demo_sharing(SharingStore& sharing, db::Database& db, const Clock& clock) {
  // 无条件共享: 人社 uses the enterprise register at once.
  must(sharing.request(ask("scjgj.enterprise", "330100-RSJ", {"uscc", "name", "legal_representative", "division"}, {},
                           "社会保险参保单位登记核验", "", "rsj.clerk")),
       "enterprise register for 人社");

  // 有条件共享, approved with fewer fields than asked: 人社 verifies insured persons.
  auto rsj = must(sharing.request(ask("gaj.population", "330100-RSJ",
                                      {"id_number", "name", "gender", "birth_date", "address", "phone"},
                                      {"id_number", "name"}, "社会保险参保登记身份核验",
                                      "《社会保险法》第五十八条；《浙江省公共数据条例》第二十二条", "rsj.clerk")),
                  "population for 人社");
  ShareDecision approve;
  approve.approve = true;
  approve.fields = std::vector<std::string>{"id_number", "name", "gender", "birth_date"};
  approve.note = "同意核验所需的身份信息项；住址和联系电话与参保登记无关，不予提供。";
  approve.actor = "gaj.head";
  must(sharing.decide(rsj.application->id, approve), "approve 人社's application");

  // The operator's direct grant: 公积金中心 checks depositors' identities.
  must(sharing.grant_directly("gaj.population", "330100-GJJZX", {"id_number", "name"}, {}, "住房公积金开户身份核验",
                              std::nullopt, "sysadmin"),
       "population for 公积金中心");

  // A grant revoked by its provider.
  auto revoked = must(sharing.grant_directly("rsj.social_insurance", "330100-GJJZX",
                                             {"id_number", "insured", "employer_uscc"}, {}, "缴存单位一致性核对",
                                             std::nullopt, "sysadmin"),
                      "social insurance for 公积金中心");
  must(sharing.revoke(revoked.id, "核对工作已结束，按最小必要原则收回授权。", "rsj.head"), "revoke");

  // Waiting for their providers.
  must(sharing.request(ask("gaj.population", "330100-MZJ",
                           {"id_number", "name", "birth_date", "household_division", "address"}, {"name"},
                           "最低生活保障对象家庭情况核对", "《社会救助暂行办法》第十一条", "mzj.clerk")),
       "population for 民政");
  must(sharing.request(ask("rsj.social_insurance", "330100-MZJ", {"id_number", "insured", "contribution_base"},
                           {"contribution_base"}, "低保申请家庭收入核对", "《社会救助暂行办法》第十一条、第六十条",
                           "mzj.clerk")),
       "social insurance for 民政");

  // One left unanswered past its due day: applied 20 calendar days ago, escalated.
  auto late = must(sharing.request(ask("gjj.deposit", "330100-MZJ", {"id_number", "account_state", "monthly_amount"},
                                       {}, "低保申请家庭收入核对（公积金缴存）", "《社会救助暂行办法》第十一条",
                                       "mzj.clerk")),
                   "deposit for 民政");
  const auto applied = clock.now() - std::chrono::days(20);
  const auto calendar = sharing.working_calendar();
  const std::chrono::year_month_day applied_day{std::chrono::sys_days(sharing.today()) - std::chrono::days(20)};
  auto due = calendar->add_working_days(applied_day, kAnswerWorkingDays);
  if (!due) throw std::runtime_error("demo sharing: due day: " + due.error().message);
  db.execute("UPDATE data_share_applications SET applied_at = ?, due_on = ? WHERE id = ?",
             {to_unix_ms(applied), format_date(due->value), late.application->id});
  sharing.escalate_overdue();
}

}  // namespace zhengwu::data
