// Shared pieces of the audit tests: an HMAC-SM3 signer standing in for the platform's SM2
// key, a fixture with the audit tables on both engines, and record builders.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <string_view>

#include "kernel/audit/audit_log.hpp"
#include "kernel/audit/audit_record.hpp"
#include "kernel/audit/signer.hpp"
#include "kernel/crypto/crypto.hpp"
#include "kernel/db/migrations.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::audit::testing {

// Signs with HMAC-SM3 under a fixed key; thread-safe.
class HmacTestSigner final : public Signer {
 public:
  explicit HmacTestSigner(std::string key = "audit-test-key", std::string id = "test-hmac-1")
      : key_(std::move(key)), id_(std::move(id)) {}
  std::string sign(std::string_view data) override {
    ++signatures;
    return crypto::to_hex(crypto::hmac_sm3(key_, data));
  }
  bool verify(std::string_view data, std::string_view signature) override {
    return crypto::constant_time_equal(crypto::to_hex(crypto::hmac_sm3(key_, data)), signature);
  }
  std::string key_id() const override { return id_; }

  std::atomic<int> signatures{0};

 private:
  std::string key_;
  std::string id_;
};

inline const TimePoint kAuditStart = from_millis(1'767'225'600'000);  // 2026-01-01T00:00:00Z

// A user's read of a population record, numbered so that records differ.
inline Record sample_record(int i, std::string actor = "u-1") {
  Record r;
  r.actor_kind = ActorKind::user;
  r.actor_id = std::move(actor);
  r.actor_name = "张三";
  r.actor_org = "330100000000";
  r.action = "exchange.read";
  r.object_type = "resource";
  r.object_id = "population/" + std::to_string(i);
  r.source = "10.0.0." + std::to_string(i % 250 + 1);
  r.request_id = "req-" + std::to_string(i);
  r.purpose = "低保资格审核";
  r.details = "{\"i\":" + std::to_string(i) + "}";
  return r;
}

class AuditStorageTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), audit_migrations(), clock_);
  }

  std::int64_t count(const std::string& sql) { return db().query(sql)[0].get<std::int64_t>(0); }

  static AuditOptions options(std::int64_t checkpoint_every = 1000) {
    AuditOptions o;
    o.checkpoint_every = checkpoint_every;
    return o;
  }

  ManualClock clock_{kAuditStart};
  HmacTestSigner signer_;
};

}  // namespace zhengwu::audit::testing
