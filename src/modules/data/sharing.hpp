// Sharing (共享): who may use which fields of a resource, for what, until when.
//
// The rules are those of 政务信息资源共享管理暂行办法 (2016), DOMAIN.md "Data catalog and
// sharing":
//   - 无条件共享 (share_type unconditional): any department gets a grant on request, at
//     once. A request for personal or sensitive fields IN CLEAR is the exception: it
//     becomes an application the provider decides, like a conditional resource (masked
//     use is what "any department may use it" covers; unmasked personal data is not).
//   - 有条件共享 (conditional): the consumer applies with purpose, legal basis, fields and
//     duration; the provider approves (possibly fewer fields, fewer fields in clear, a
//     shorter duration) or refuses with a reason within 10 working days, counted on the
//     working-day calendar (DOMAIN.md "Counting": the day of application is not counted).
//     An application still pending after its due day escalates to the big-data centre,
//     which may then decide in the provider's place.
//   - 不予共享 (none): cannot be requested.
// A grant names the consumer organisation, the resource, the fields, the fields given in
// clear (the rest of the personal ones are masked), the purpose (the exchange serves a
// grant only to a caller that states this purpose) and the end of its validity; it can
// be revoked with a reason. The operator's `zhengwu grant add` grants directly.
//
// Ownership: borrows the Database, the Clock, the catalog and the calendar store.
// Thread-safety: any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/calendar/working_calendar.hpp"
#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"
#include "kernel/result.hpp"
#include "kernel/time_zone.hpp"
#include "modules/data/catalog_store.hpp"

namespace zhengwu::calendar {
class CalendarStore;
}

namespace zhengwu::data {

// Tables data_grants and data_share_applications (module "data", version 5).
std::vector<db::Migration> sharing_migrations();

// The provider's answer is due this many working days after the application.
inline constexpr int kAnswerWorkingDays = 10;
// Limits of what may be asked.
inline constexpr int kMaxGrantDays = 1826;  // five years
inline constexpr std::size_t kMaxPurposeChars = 200;

struct Grant {
  std::int64_t id = 0;
  std::int64_t resource_id = 0;
  std::string resource_code;
  std::string resource_name;
  std::string provider;      // org code
  std::string consumer_org;  // org code
  std::vector<std::string> fields;
  std::vector<std::string> clear_fields;  // a subset of fields: given unmasked
  std::string purpose;
  std::optional<TimePoint> valid_until;  // exclusive; none: until revoked
  std::string origin;                    // request, application, operator
  std::optional<std::int64_t> application_id;
  std::string created_by;
  TimePoint created_at;
  std::optional<TimePoint> revoked_at;
  std::string revoked_by;
  std::string revoke_reason;

  bool active_at(TimePoint now) const { return !revoked_at && (!valid_until || now < *valid_until); }
};

enum class ApplicationState { pending, approved, refused, withdrawn };
std::string_view to_string(ApplicationState s);

struct ShareApplication {
  std::int64_t id = 0;
  std::int64_t resource_id = 0;
  std::string resource_code;
  std::string resource_name;
  std::string provider;
  std::string consumer_org;
  std::vector<std::string> fields;
  std::vector<std::string> clear_fields;
  std::string purpose;
  std::string legal_basis;
  int duration_days = 0;
  ApplicationState state = ApplicationState::pending;
  std::string applied_by;
  TimePoint applied_at;
  calendar::Date due_on{};  // the provider's last day to answer
  std::optional<TimePoint> escalated_at;
  std::string decided_by;
  std::optional<TimePoint> decided_at;
  std::string decision_note;
  std::optional<std::int64_t> grant_id;
};

// What a consumer asks for.
struct ShareRequest {
  std::string resource_code;
  std::string consumer_org;
  std::vector<std::string> fields;
  std::vector<std::string> clear_fields;
  std::string purpose;
  std::string legal_basis;  // required when the request becomes an application
  int duration_days = 365;
  std::string actor;
};

// The outcome of a request: a grant at once, or an application to be decided.
struct ShareOutcome {
  std::optional<Grant> grant;
  std::optional<ShareApplication> application;
};

struct ShareDecision {
  bool approve = false;
  // When approving: what is granted, each a subset of what was asked (empty: as asked).
  std::optional<std::vector<std::string>> fields;
  std::optional<std::vector<std::string>> clear_fields;
  std::optional<int> duration_days;
  std::string note;  // required to refuse
  std::string actor;
  bool as_centre = false;  // the big-data centre deciding an escalated application
};

// How close the provider is to its deadline, for the colour of a row.
enum class DeadlineStatus { on_time, due_soon, due_today, overdue };
std::string_view to_string(DeadlineStatus s);
// `today` against `due_on`: overdue after it, due_today on it, due_soon within two
// working days before, else on_time.
DeadlineStatus deadline_status(const calendar::WorkingCalendar& calendar, calendar::Date today, calendar::Date due_on);
// Working days from today to the due day (negative when overdue).
int working_days_left(const calendar::WorkingCalendar& calendar, calendar::Date today, calendar::Date due_on);

// Checks asked fields against a resource: every name is a field, none twice, at least
// one; clear ⊆ fields. Errors name `fields[i]` / `clear_fields[i]`.
Status check_grant_fields(const std::vector<FieldSpec>& resource_fields, const std::vector<std::string>& fields,
                          const std::vector<std::string>& clear_fields);
// Whether a request must go to the provider: conditional resources always; unconditional
// ones only when personal or sensitive fields are asked in clear.
bool needs_application(const ResourceSpec& resource, const std::vector<std::string>& clear_fields);

struct GrantQuery {
  std::optional<std::string> consumer_org;  // grants this org holds
  std::optional<std::string> provider_org;  // grants on this org's resources
  std::optional<std::string> resource_code;
  std::optional<bool> active;  // true: in force now; false: revoked or expired
  std::size_t limit = 50;
  std::optional<std::int64_t> before_id;  // keyset cursor: ids below this
};

struct ApplicationQuery {
  std::optional<std::string> consumer_org;
  std::optional<std::string> provider_org;
  std::optional<std::string> resource_code;
  std::optional<ApplicationState> state;
  std::optional<bool> escalated;
  std::size_t limit = 50;
  std::optional<std::int64_t> before_id;
};

template <typename T>
struct SharingPage {
  std::vector<T> items;
  std::optional<std::int64_t> next_cursor;
};

class SharingStore {
 public:
  SharingStore(db::Database& db, const Clock& clock, const TimeZone& zone, const CatalogStore& catalog,
               calendar::CalendarStore& calendar);

  // A consumer's request: a grant at once (unconditional, nothing personal in clear), or
  // a pending application due in 10 working days. Fails: not_found (resource), invalid
  // (fields, purpose, legal basis, duration; a resource that is not shared or not
  // published; the consumer's own resource), conflict (an identical grant is in force or
  // an identical application pending).
  Result<ShareOutcome> request(const ShareRequest& request);

  // The operator's direct grant (`zhengwu grant add`): any published resource that is
  // shared at all, fields and clear fields as given.
  Result<Grant> grant_directly(const std::string& resource_code, const std::string& consumer_org,
                               const std::vector<std::string>& fields, const std::vector<std::string>& clear_fields,
                               const std::string& purpose, std::optional<TimePoint> valid_until,
                               const std::string& actor);

  // The provider's (or, once escalated, the centre's) answer. conflict when no longer
  // pending; invalid for a refusal without a note or fields beyond what was asked.
  Result<ShareApplication> decide(std::int64_t application_id, const ShareDecision& decision);
  Result<ShareApplication> withdraw(std::int64_t application_id, const std::string& actor);
  Result<Grant> revoke(std::int64_t grant_id, const std::string& reason, const std::string& actor);

  Result<Grant> grant(std::int64_t id) const;
  Result<ShareApplication> application(std::int64_t id) const;
  SharingPage<Grant> grants(const GrantQuery& query) const;
  SharingPage<ShareApplication> applications(const ApplicationQuery& query) const;

  // The grant in force for `consumer_org` on `resource_id` with exactly `purpose`, the
  // newest when several; nullopt when none (no grant, expired, revoked, other purpose).
  std::optional<Grant> grant_in_force(std::int64_t resource_id, std::string_view consumer_org,
                                      std::string_view purpose) const;
  // Whether the org holds any grant in force on the resource (to tell "wrong purpose"
  // from "no grant" in a refusal).
  bool holds_any_grant(std::int64_t resource_id, std::string_view consumer_org) const;

  // Marks pending applications whose due day has passed as escalated; returns them.
  std::vector<ShareApplication> escalate_overdue();

  calendar::Date today() const;
  TimePoint now() const { return clock_.now(); }
  std::shared_ptr<const calendar::WorkingCalendar> working_calendar() const;

 private:
  Result<Grant> insert_grant(db::Transaction& tx, const CatalogResource& resource, const std::string& consumer_org,
                             const std::vector<std::string>& fields, const std::vector<std::string>& clear_fields,
                             const std::string& purpose, std::optional<TimePoint> valid_until,
                             const std::string& origin, std::optional<std::int64_t> application_id,
                             const std::string& actor);
  TimePoint end_of_days_from_now(int days) const;

  db::Database& db_;
  const Clock& clock_;
  const TimeZone& zone_;
  const CatalogStore& catalog_;
  calendar::CalendarStore& calendar_;
};

}  // namespace zhengwu::data
