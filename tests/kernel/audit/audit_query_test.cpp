// Reading the audit log on both engines: each filter finds exactly its records, keyset
// pages cover everything once, newest first, and the exports stream CSV (RFC 4180, with
// a BOM) and JSON Lines whose records still hash to their stored hash. The CSV field
// rules are tested table-driven without a database.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <sstream>

#include "kernel/audit/audit_log.hpp"
#include "kernel/audit/audit_query.hpp"
#include "kernel/audit/audit_test_support.hpp"
#include "kernel/time_zone.hpp"

namespace zhengwu::audit {
namespace {

using namespace std::chrono_literals;

TEST(AuditCsvTest, FieldQuoting) {
  struct Case {
    std::string in;
    std::string out;
  };
  const std::vector<Case> cases = {
      {"plain", "plain"},
      {"", ""},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"line1\nline2", "\"line1\nline2\""},
      {"cr\rhere", "\"cr\rhere\""},
      {"张三", "张三"},
      {"浙江省,杭州市", "\"浙江省,杭州市\""},
      {"=SUM(A1:A9)", "'=SUM(A1:A9)"},
      {"+86 571", "'+86 571"},
      {"-1", "'-1"},
      {"@cmd", "'@cmd"},
      {"=a,b", "\"'=a,b\""},
      {"a=b", "a=b"},
  };
  for (const auto& c : cases) EXPECT_EQ(csv_field(c.in), c.out) << c.in;
}

TEST(AuditCsvTest, HeaderNamesTheColumns) {
  EXPECT_EQ(csv_header(),
            "seq,time,time_ms,actor_kind,actor_id,actor_name,actor_org,action,object_type,object_id,outcome,source,"
            "request_id,purpose,details,prev_hash,hash\r\n");
}

TEST(AuditJsonLinesTest, MalformedLinesAreRefused) {
  EXPECT_FALSE(parse_json_line("not json").ok());
  EXPECT_FALSE(parse_json_line("[1]").ok());
  auto missing = parse_json_line(R"({"seq":1})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().fields[0].field, "time_ms");
}

struct Seed {
  int i;
  std::string actor_id() const { return "u-" + std::to_string(i % 3); }
  std::string org() const { return i % 2 ? "330100000000" : "330200000000"; }
  std::string action() const {
    static const char* const actions[] = {"auth.login", "auth.logout", "authz.grant", "exchange.read", "user.create"};
    return actions[i % 5];
  }
  std::string object_id() const { return "r-" + std::to_string(i % 4); }
  Outcome outcome() const { return i % 7 == 0 ? Outcome::denied : Outcome::success; }
  TimePoint time() const { return testing::kAuditStart + std::chrono::minutes(i); }
  std::int64_t seq() const { return i + 1; }
  Record record() const {
    Record r;
    r.time = time();
    r.actor_kind = ActorKind::user;
    r.actor_id = actor_id();
    r.actor_name = "用户" + std::to_string(i);
    r.actor_org = org();
    r.action = action();
    r.object_type = i % 6 == 5 ? "user" : "resource";
    r.object_id = object_id();
    r.outcome = outcome();
    r.source = "10.0.0.1";
    r.request_id = "req-" + std::to_string(i);
    return r;
  }
};

class AuditQueryTest : public testing::AuditStorageTest {
 protected:
  static constexpr int kSeeded = 30;

  void SetUp() override {
    testing::AuditStorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    log_ = std::make_unique<AuditLog>(db(), clock_, options(10), &signer_);
    for (int i = 0; i < kSeeded; ++i) {
      auto r = log_->append(Seed{i}.record());
      ASSERT_TRUE(r.ok());
      ASSERT_EQ(r->seq, Seed{i}.seq());
    }
  }
  void TearDown() override {
    log_.reset();
    testing::AuditStorageTest::TearDown();
  }

  std::vector<std::int64_t> seqs_of(const AuditFilter& filter) {
    auto page = query_audit(db(), filter, kMaxAuditPage);
    EXPECT_TRUE(page.ok());
    std::vector<std::int64_t> out;
    if (page.ok())
      for (const auto& r : page->items) out.push_back(r.seq);
    return out;
  }

  std::unique_ptr<AuditLog> log_;
  const TimeZone shanghai_ = TimeZone::fixed("Asia/Shanghai", std::chrono::hours(8));
};

TEST_P(AuditQueryTest, EachFilterFindsExactlyItsRecords) {
  struct Case {
    const char* name;
    AuditFilter filter;
    std::function<bool(const Seed&)> matches;
  };
  auto with = [](auto set) {
    AuditFilter f;
    set(f);
    return f;
  };
  const std::vector<Case> cases = {
      {"all", AuditFilter{}, [](const Seed&) { return true; }},
      {"actor", with([](AuditFilter& f) { f.actor_id = "u-1"; }), [](const Seed& s) { return s.actor_id() == "u-1"; }},
      {"org", with([](AuditFilter& f) { f.actor_org = "330100000000"; }),
       [](const Seed& s) { return s.org() == "330100000000"; }},
      {"action prefix of whole words", with([](AuditFilter& f) { f.action_prefix = "auth"; }),
       [](const Seed& s) { return s.action() == "auth.login" || s.action() == "auth.logout"; }},
      {"action prefix with dot", with([](AuditFilter& f) { f.action_prefix = "auth."; }),
       [](const Seed& s) { return s.action() == "auth.login" || s.action() == "auth.logout"; }},
      {"full action", with([](AuditFilter& f) { f.action_prefix = "authz.grant"; }),
       [](const Seed& s) { return s.action() == "authz.grant"; }},
      {"object", with([](AuditFilter& f) {
         f.object_type = "resource";
         f.object_id = "r-2";
       }),
       [](const Seed& s) { return s.i % 6 != 5 && s.object_id() == "r-2"; }},
      {"outcome", with([](AuditFilter& f) { f.outcome = Outcome::denied; }),
       [](const Seed& s) { return s.outcome() == Outcome::denied; }},
      {"request", with([](AuditFilter& f) { f.request_id = "req-17"; }), [](const Seed& s) { return s.i == 17; }},
      {"time range", with([](AuditFilter& f) {
         f.from = testing::kAuditStart + 5min;
         f.to = testing::kAuditStart + 12min;
       }),
       [](const Seed& s) { return s.i >= 5 && s.i < 12; }},
      {"combined", with([](AuditFilter& f) {
         f.actor_id = "u-0";
         f.action_prefix = "exchange";
         f.outcome = Outcome::success;
       }),
       [](const Seed& s) { return s.actor_id() == "u-0" && s.action() == "exchange.read" && s.outcome() == Outcome::success; }},
      {"nothing", with([](AuditFilter& f) { f.actor_id = "nobody"; }), [](const Seed&) { return false; }},
  };
  for (const auto& c : cases) {
    std::vector<std::int64_t> expected;
    for (int i = kSeeded - 1; i >= 0; --i)
      if (c.matches(Seed{i})) expected.push_back(Seed{i}.seq());
    EXPECT_EQ(seqs_of(c.filter), expected) << c.name;
  }
}

TEST_P(AuditQueryTest, PagesCoverEverythingOnceNewestFirst) {
  std::vector<std::int64_t> seen;
  std::vector<std::size_t> sizes;
  std::string cursor;
  for (int guard = 0; guard < 20; ++guard) {
    auto page = query_audit(db(), AuditFilter{}, 7, cursor);
    ASSERT_TRUE(page.ok()) << page.error().message;
    sizes.push_back(page->items.size());
    for (const auto& r : page->items) seen.push_back(r.seq);
    if (!page->next_cursor) break;
    cursor = *page->next_cursor;
    // A record appended meanwhile does not disturb the pages already handed out.
    if (guard == 0) {
      ASSERT_TRUE(log_->append(testing::sample_record(99, "u-late")).ok());
    }
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{7, 7, 7, 7, 2}));
  std::vector<std::int64_t> expected;
  for (std::int64_t s = kSeeded; s >= 1; --s) expected.push_back(s);
  EXPECT_EQ(seen, expected);

  // A filtered walk, and a page that ends exactly at the last record.
  AuditFilter mine;
  mine.actor_id = "u-1";
  auto first = query_audit(db(), mine, 5);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->next_cursor);
  auto second = query_audit(db(), mine, 5, *first->next_cursor);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->items.size(), 5u);
  EXPECT_FALSE(second->next_cursor);
  EXPECT_EQ(second->items.back().seq, 2);

  // Stored records come back whole.
  const StoredRecord& r = first->items.front();
  EXPECT_EQ(r.record.actor_name, "用户" + std::to_string(r.seq - 1));
  EXPECT_EQ(r.hash, record_hash(r.record, r.seq, r.prev_hash));
}

TEST_P(AuditQueryTest, BadPagingInputIsInvalid) {
  for (int limit : {0, -1, kMaxAuditPage + 1}) {
    auto r = query_audit(db(), AuditFilter{}, limit);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].field, "limit");
  }
  for (const char* cursor : {"abc", "-5", "0", "12x", "99999999999999999999999"}) {
    auto r = query_audit(db(), AuditFilter{}, 10, cursor);
    ASSERT_FALSE(r.ok()) << cursor;
    EXPECT_EQ(r.error().fields[0].field, "cursor");
  }
  AuditFilter dots;
  dots.action_prefix = "..";
  EXPECT_FALSE(query_audit(db(), dots, 10).ok());
}

TEST_P(AuditQueryTest, CsvExportQuotesAndCarriesABom) {
  Record r = testing::sample_record(1, "u-9");
  r.time = testing::kAuditStart;
  r.actor_name = "王, \"小明\"";
  r.object_id = "=HYPERLINK(\"x\")";
  r.purpose = "第一行\n第二行";
  r.details = R"({"note":"a,b"})";
  r.request_id = "req-csv";
  auto appended = log_->append(r);
  ASSERT_TRUE(appended.ok());
  auto prev = query_audit(db(), AuditFilter{}, 1, std::to_string(appended->seq));
  ASSERT_TRUE(prev.ok());

  AuditFilter only;
  only.request_id = "req-csv";
  std::ostringstream out;
  auto n = export_audit(db(), only, ExportFormat::csv, shanghai_, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  const std::string expected = std::string(kUtf8Bom) + csv_header() + "31,2026-01-01T08:00:00.000+08:00,1767225600000,user,u-9," +
                               "\"王, \"\"小明\"\"\",330100000000,exchange.read,resource,\"'=HYPERLINK(\"\"x\"\")\",success," +
                               "10.0.0.2,req-csv,\"第一行\n第二行\",\"{\"\"note\"\":\"\"a,b\"\"}\"," +
                               prev->items[0].hash + "," + appended->hash + "\r\n";
  EXPECT_EQ(out.str(), expected);
}

TEST_P(AuditQueryTest, CsvExportStreamsInPages) {
  std::ostringstream out;
  auto n = export_audit(db(), AuditFilter{}, ExportFormat::csv, shanghai_, out, 4);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, kSeeded);
  std::string text = out.str();
  ASSERT_EQ(text.rfind(std::string(kUtf8Bom), 0), 0u);
  std::size_t lines = 0;
  for (std::size_t at = 0; (at = text.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
  EXPECT_EQ(lines, static_cast<std::size_t>(kSeeded) + 1);
  // Oldest first.
  auto first_row = text.find("\r\n") + 2;
  EXPECT_EQ(text.substr(first_row, 2), "1,");
}

TEST_P(AuditQueryTest, JsonLinesRoundTripAndStillHash) {
  Record odd = testing::sample_record(7, "u-json");
  odd.actor_name = "引号\"与\\反斜杠\n换行\t制表";
  odd.details = R"({"nested":{"a":[1,2.5,"三"]},  "spacing":"kept"})";
  ASSERT_TRUE(log_->append(odd).ok());

  std::ostringstream out;
  auto n = export_audit(db(), AuditFilter{}, ExportFormat::jsonl, shanghai_, out, 4);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, kSeeded + 1);
  auto stored = query_audit(db(), AuditFilter{}, kMaxAuditPage);
  ASSERT_TRUE(stored.ok());
  std::reverse(stored->items.begin(), stored->items.end());

  std::istringstream in(out.str());
  std::string line;
  std::size_t i = 0;
  while (std::getline(in, line)) {
    auto parsed = parse_json_line(line);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message << " in " << line;
    ASSERT_LT(i, stored->items.size());
    const StoredRecord& want = stored->items[i];
    EXPECT_EQ(parsed->seq, want.seq);
    EXPECT_EQ(parsed->hash, want.hash);
    EXPECT_EQ(canonical(parsed->record, parsed->seq, parsed->prev_hash),
              canonical(want.record, want.seq, want.prev_hash));
    EXPECT_EQ(record_hash(parsed->record, parsed->seq, parsed->prev_hash), parsed->hash);
    ++i;
  }
  EXPECT_EQ(i, stored->items.size());
  EXPECT_NE(out.str().find("\"time\":\"2026-01-01T08:00:00.000+08:00\""), std::string::npos);
}

ZHENGWU_STORAGE_TEST_SUITE(AuditQueryTest);

}  // namespace
}  // namespace zhengwu::audit
