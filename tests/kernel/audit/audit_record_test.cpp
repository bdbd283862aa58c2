// The audit record's v1 canonical form and hash (fixed forever once records exist),
// validation, printed times and the checkpoint message. No database.
#include <gtest/gtest.h>

#include "kernel/audit/audit_record.hpp"
#include "kernel/audit/signer.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::audit {
namespace {

Record fixed_record() {
  Record r;
  r.time = from_millis(1'767'225'600'123);  // 2026-01-01T00:00:00.123Z
  r.actor_kind = ActorKind::user;
  r.actor_id = "u-42";
  r.actor_name = "张三";
  r.actor_org = "330100000000";
  r.action = "exchange.read";
  r.object_type = "resource";
  r.object_id = "population/330102199001011234";
  r.outcome = Outcome::success;
  r.source = "10.1.2.3";
  r.request_id = "req-7f3a";
  r.purpose = "低保资格审核";
  r.details = R"({"fields":["name","address"]})";
  return r;
}

constexpr std::string_view kPrev = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TEST(AuditRecordTest, CanonicalFormV1IsFixed) {
  // Lengths are UTF-8 bytes: 张三 is 6, 低保资格审核 is 18.
  const std::string expected =
      "zhengwu-audit-v1\n"
      "seq=4:1043\n"
      "prev_hash=64:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
      "time_ms=13:1767225600123\n"
      "actor_kind=4:user\n"
      "actor_id=4:u-42\n"
      "actor_name=6:张三\n"
      "actor_org=12:330100000000\n"
      "action=13:exchange.read\n"
      "object_type=8:resource\n"
      "object_id=29:population/330102199001011234\n"
      "outcome=7:success\n"
      "source=8:10.1.2.3\n"
      "request_id=8:req-7f3a\n"
      "purpose=18:低保资格审核\n"
      "details=29:{\"fields\":[\"name\",\"address\"]}\n";
  EXPECT_EQ(canonical(fixed_record(), 1043, kPrev), expected);
}

TEST(AuditRecordTest, HashMatchesAnIndependentSm3) {
  // Computed outside the project, with OpenSSL's command line:
  //   printf 'zhengwu-audit-v1\nseq=4:1043\nprev_hash=64:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\ntime_ms=13:1767225600123\nactor_kind=4:user\nactor_id=4:u-42\nactor_name=6:张三\nactor_org=12:330100000000\naction=13:exchange.read\nobject_type=8:resource\nobject_id=29:population/330102199001011234\noutcome=7:success\nsource=8:10.1.2.3\nrequest_id=8:req-7f3a\npurpose=18:低保资格审核\ndetails=29:{"fields":["name","address"]}\n' | openssl dgst -sm3
  EXPECT_EQ(record_hash(fixed_record(), 1043, kPrev),
            "d696849df0a4d0d9ef84d380896bc9912c4403b08c2892a3acf195a3860999ea");

  // The first record of a chain, all fields empty but the action:
  //   printf 'zhengwu-audit-v1\nseq=1:1\nprev_hash=64:0000000000000000000000000000000000000000000000000000000000000000\ntime_ms=1:0\nactor_kind=6:system\nactor_id=0:\nactor_name=0:\nactor_org=0:\naction=14:system.started\nobject_type=0:\nobject_id=0:\noutcome=7:success\nsource=0:\nrequest_id=0:\npurpose=0:\ndetails=2:{}\n' | openssl dgst -sm3
  Record first;
  first.action = "system.started";
  EXPECT_EQ(record_hash(first, 1, kGenesisHash), "2a8caf9cef0c9e164d173fb7a9f9cf7dd69d13df4d4fafc45a62600627ec2018");
}

TEST(AuditRecordTest, EveryFieldTakesPartInTheHash) {
  const std::string base = record_hash(fixed_record(), 1043, kPrev);
  std::vector<std::function<void(Record&)>> changes = {
      [](Record& r) { r.time += std::chrono::milliseconds(1); },
      [](Record& r) { r.actor_kind = ActorKind::client; },
      [](Record& r) { r.actor_id += "x"; },
      [](Record& r) { r.actor_name = "李四"; },
      [](Record& r) { r.actor_org.clear(); },
      [](Record& r) { r.action = "exchange.query"; },
      [](Record& r) { r.object_type = "resources"; },
      [](Record& r) { r.object_id.back() = '5'; },
      [](Record& r) { r.outcome = Outcome::denied; },
      [](Record& r) { r.source = "10.1.2.4"; },
      [](Record& r) { r.request_id = "req-7f3b"; },
      [](Record& r) { r.purpose.clear(); },
      [](Record& r) { r.details = R"({"fields":["name"]})"; },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    Record r = fixed_record();
    changes[i](r);
    EXPECT_NE(record_hash(r, 1043, kPrev), base) << "change " << i;
  }
  EXPECT_NE(record_hash(fixed_record(), 1044, kPrev), base);
  EXPECT_NE(record_hash(fixed_record(), 1043, kGenesisHash), base);
}

TEST(AuditRecordTest, LengthPrefixesKeepFieldBoundaries) {
  // Moving bytes from one field to the next must change the hash.
  Record a = fixed_record();
  Record b = fixed_record();
  a.actor_id = "u-4";
  a.actor_name = "2张三";
  b.actor_id = "u-42";
  b.actor_name = "张三";
  EXPECT_NE(canonical(a, 1, kGenesisHash), canonical(b, 1, kGenesisHash));
  Record c = fixed_record();
  c.purpose = "x\nsource=1:y";
  Record d = fixed_record();
  d.purpose = "x";
  EXPECT_NE(record_hash(c, 1, kGenesisHash), record_hash(d, 1, kGenesisHash));
}

TEST(AuditRecordTest, Validation) {
  struct Case {
    const char* name;
    std::function<void(Record&)> change;
    const char* field;  // nullptr: valid
  };
  const std::vector<Case> cases = {
      {"valid", [](Record&) {}, nullptr},
      {"three words", [](Record& r) { r.action = "data.grant.approve"; }, nullptr},
      {"digits, dash, underscore", [](Record& r) { r.action = "open311.service_request-2"; }, nullptr},
      {"one word", [](Record& r) { r.action = "login"; }, "action"},
      {"upper case", [](Record& r) { r.action = "Auth.login"; }, "action"},
      {"empty word", [](Record& r) { r.action = "auth..login"; }, "action"},
      {"trailing dot", [](Record& r) { r.action = "auth.login."; }, "action"},
      {"space", [](Record& r) { r.action = "auth.log in"; }, "action"},
      {"details array", [](Record& r) { r.details = "[1,2]"; }, "details"},
      {"details not json", [](Record& r) { r.details = "{oops"; }, "details"},
      {"details empty", [](Record& r) { r.details = ""; }, "details"},
      {"bad utf-8", [](Record& r) { r.actor_name = "\xE5\xBC"; }, "actor_name"},
      {"overlong utf-8", [](Record& r) { r.source = "\xC0\xAF"; }, "source"},
      {"surrogate", [](Record& r) { r.purpose = "\xED\xA0\x80"; }, "purpose"},
      {"nul", [](Record& r) { r.object_id = std::string("a\0b", 3); }, "object_id"},
      {"too long", [](Record& r) { r.request_id = std::string(kMaxFieldBytes + 1, 'x'); }, "request_id"},
      {"four-byte utf-8", [](Record& r) { r.actor_name = "\xF0\xA0\x80\x80"; }, nullptr},
  };
  for (const auto& c : cases) {
    Record r = fixed_record();
    c.change(r);
    Status s = validate(r);
    if (!c.field) {
      EXPECT_TRUE(s.ok()) << c.name << ": " << s.error().message;
    } else {
      ASSERT_FALSE(s.ok()) << c.name;
      EXPECT_EQ(s.error().code, ErrorCode::invalid) << c.name;
      ASSERT_EQ(s.error().fields.size(), 1u) << c.name;
      EXPECT_EQ(s.error().fields[0].field, c.field) << c.name;
    }
  }
}

TEST(AuditRecordTest, EnumNamesRoundTrip) {
  for (auto k : {ActorKind::user, ActorKind::client, ActorKind::system, ActorKind::anonymous})
    EXPECT_EQ(parse_actor_kind(to_string(k)), k);
  for (auto o : {Outcome::success, Outcome::failure, Outcome::denied}) EXPECT_EQ(parse_outcome(to_string(o)), o);
  EXPECT_FALSE(parse_actor_kind("admin"));
  EXPECT_FALSE(parse_outcome("ok"));
}

TEST(AuditRecordTest, TimeIsPrintedInThePlatformZoneWithMilliseconds) {
  auto shanghai = TimeZone::fixed("Asia/Shanghai", std::chrono::hours(8));
  EXPECT_EQ(format_audit_time(from_millis(1'767'225'600'123), shanghai), "2026-01-01T08:00:00.123+08:00");
  EXPECT_EQ(format_audit_time(from_millis(1'767'225'600'005), shanghai), "2026-01-01T08:00:00.005+08:00");
  EXPECT_EQ(format_audit_time(from_millis(-1), TimeZone::fixed("UTC", std::chrono::seconds(0))),
            "1969-12-31T23:59:59.999+00:00");
  auto parsed = parse_iso8601(format_audit_time(from_millis(1'767'225'600'123), shanghai));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(to_millis(*parsed), 1'767'225'600'123);
}

TEST(AuditRecordTest, CheckpointMessage) {
  EXPECT_EQ(checkpoint_message(2000, "ab12", 1'767'225'600'000),
            "zhengwu-audit-checkpoint-v1|2000|ab12|1767225600000");
}

}  // namespace
}  // namespace zhengwu::audit
