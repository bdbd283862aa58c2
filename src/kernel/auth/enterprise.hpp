// Enterprise accounts: the registered profile (企业信息) and the citizens an enterprise
// authorises to act for it (授权代理人).
//
// An enterprise account is a `users` row of kind "enterprise" with its USCC (GB 32100).
// Its profile adds what a counter clerk asks for: the registered name, the legal
// representative (法定代表人) with his or her GB 11643 ID number, and the GB/T 2260
// division where the enterprise is registered. The legal representative's ID number is
// personal data: only the enterprise account itself reads it whole; every other reader
// gets it masked (first 6 and last 4 characters, DOMAIN.md) — the masking is done here,
// not left to callers.
//
// An agent authorisation (代理授权) lets one citizen account act for the enterprise, for a
// stated scope, inside a validity window [valid_from, valid_until). It ends when the
// window closes or when the enterprise revokes it with a reason; it is never deleted, so
// the enterprise and administrators see past authorisations too. For one (enterprise,
// citizen) pair at most one authorisation is in force or waiting to start at a time.
// "Now" always comes from the Clock.
//
// Ownership: borrows the Database, the Clock and the TimeZone, which must outlive it.
// Thread-safety: any thread; the pair rule holds across threads and nodes (a grant takes
// the write lock on SQLite and locks the enterprise's account row on PostgreSQL).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/clock.hpp"
#include "kernel/db/database.hpp"
#include "kernel/result.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::auth {

// Field sizes, in Unicode characters; the HTTP layer refuses longer input with the same
// limits so that a form and the API agree.
inline constexpr std::size_t kEnterpriseNameMax = 100;
inline constexpr std::size_t kLegalRepresentativeMax = 50;
inline constexpr std::size_t kAgentScopeMax = 200;
inline constexpr std::size_t kRevokeReasonMax = 200;

// What the enterprise states about itself (PUT replaces all of it). Field names in errors:
// name, legal_representative, legal_representative_id_number, division_code.
struct EnterpriseProfileInput {
  std::string name;                            // registered name, 1-100 characters
  std::string legal_representative;            // 法定代表人, 1-50 characters
  std::string legal_representative_id_number;  // GB 11643; 15 digits are converted to 18
  std::string division_code;                   // GB/T 2260 (6, 9 or 12 digits)
};

struct EnterpriseProfile {
  std::int64_t enterprise_id = 0;  // the enterprise's account (users.id)
  std::string username;
  std::string uscc;  // from the account
  std::string name;
  std::string legal_representative;
  // The 18 characters for the enterprise itself; "330106********2519" for anyone else.
  std::string legal_representative_id_number;
  bool id_number_masked = true;
  // The number was given with 15 digits and converted (GB 11643 legacy numbers).
  bool id_number_converted = false;
  std::string division_code;  // canonical digits
  TimePoint updated_at;
};

// Where an authorisation stands at a given instant.
enum class AgentState {
  pending,  // valid_from is still ahead
  live,     // in force
  expired,  // valid_until has passed
  revoked,  // ended by the enterprise
};
std::string_view to_string(AgentState state);

struct AgentAuthorisation {
  std::int64_t id = 0;
  std::int64_t enterprise_id = 0;
  std::string enterprise_username;
  std::string enterprise_name;  // the profile's name, else the account's display name
  std::string enterprise_uscc;
  std::int64_t agent_id = 0;
  std::string agent_username;
  std::string agent_display_name;
  std::string scope;
  TimePoint valid_from;
  TimePoint valid_until;
  std::optional<std::int64_t> granted_by;
  TimePoint granted_at;
  std::optional<TimePoint> revoked_at;
  std::optional<std::int64_t> revoked_by;
  std::optional<std::string> revoked_reason;
  AgentState state = AgentState::live;  // as of the Clock when read
};

// Whom to authorise: a citizen account by user name or by id (exactly one of them).
struct AgentGrantInput {
  std::optional<std::string> agent_username;
  std::optional<std::int64_t> agent_id;
  std::string scope;                    // what the agent may do, 1-200 characters
  std::optional<TimePoint> valid_from;  // default: now
  TimePoint valid_until;                // after now and after valid_from
};

// One page of authorisations, newest first; `next_before` is the cursor of the next page.
struct AgentPage {
  std::vector<AgentAuthorisation> items;
  std::optional<std::int64_t> next_before;
};

class EnterpriseRegistry {
 public:
  // `zone` gives the local date that decides whether an ID number's birth date lies in
  // the future.
  EnterpriseRegistry(db::Database& db, const Clock& clock, const TimeZone& zone)
      : db_(db), clock_(clock), zone_(zone) {}

  // The profile of enterprise account `enterprise_id` as `viewer_id` may see it: the legal
  // representative's ID number whole only when the viewer is the enterprise itself.
  // not_found when the account is not an enterprise or has no profile yet.
  Result<EnterpriseProfile> profile(std::int64_t enterprise_id, std::int64_t viewer_id) const;

  // Creates or replaces the profile after validating every field (ErrorCode::invalid
  // naming the first bad one); names are stored without surrounding spaces. not_found when `enterprise_id` is not an
  // enterprise account. Returns the profile as the enterprise sees it.
  Result<EnterpriseProfile> set_profile(std::int64_t enterprise_id, const EnterpriseProfileInput& input);

  // Authorises a citizen to act for the enterprise. Refusals, all naming a field:
  //   enterprise  (not_found) no enterprise account with this id
  //   agent       (invalid)   neither or both of user name and id given; no citizen
  //                           account with it (one message for "no such account" and
  //                           "not a citizen", so the form does not tell which accounts
  //                           exist); the enterprise itself; a disabled account
  //   agent       (conflict)  an authorisation of this citizen is in force or pending
  //   scope       (invalid)   empty or longer than 200 characters
  //   valid_until (invalid)   not after now, or not after valid_from
  Result<AgentAuthorisation> authorise_agent(std::int64_t enterprise_id, const AgentGrantInput& input,
                                             std::optional<std::int64_t> granted_by);

  // Ends authorisation `authorisation_id` of the enterprise now, with a reason. Refusals:
  //   id      (not_found) no such authorisation of this enterprise (another enterprise's
  //           ids look the same as missing ones)
  //   reason  (invalid)   empty or longer than 200 characters
  //   id      (conflict)  revoked already, or expired
  Result<AgentAuthorisation> revoke_agent(std::int64_t enterprise_id, std::int64_t authorisation_id,
                                          std::string_view reason, std::optional<std::int64_t> revoked_by);

  // One authorisation of the enterprise; not_found (field "id") for another's.
  Result<AgentAuthorisation> authorisation(std::int64_t enterprise_id, std::int64_t authorisation_id) const;

  // Every authorisation of the enterprise, in force and past, newest first, those with
  // an id below `before` (none: from the newest); at most `limit` (1-500).
  AgentPage agents_of(std::int64_t enterprise_id, std::optional<std::int64_t> before, std::size_t limit) const;

  // The authorisations in force now for citizen `agent_id`: not revoked, inside their
  // window, of an enterprise account that is not disabled; ordered by enterprise name.
  std::vector<AgentAuthorisation> represented_by(std::int64_t agent_id) const;

 private:
  std::int64_t now_ms() const;
  std::vector<AgentAuthorisation> load(std::string_view where, const db::Params& params, std::string_view order) const;

  db::Database& db_;
  const Clock& clock_;
  const TimeZone& zone_;
};

}  // namespace zhengwu::auth
