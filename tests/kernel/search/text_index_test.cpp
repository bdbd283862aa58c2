// The full-text index on both engines: 2-character words found, ranking by relevance,
// facet filters and counts, replacement and removal inside the caller's transaction.
#include "kernel/search/text_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "kernel/clock.hpp"
#include "support/test_databases.hpp"

namespace zhengwu::search {
namespace {

class TextIndexTest : public test::StorageTest {
 protected:
  void SetUp() override {
    test::StorageTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    db::apply_migrations(db(), search_migrations(), clock_);
    // A small catalog: names weigh 3, summaries 1.
    put("pop.household", "户籍人口信息", "全市常住户籍人口的基本信息，含身份证号、住址。", "GA", "conditional");
    put("hrss.insurance", "社会保险参保信息", "企业职工社保参保、缴费记录，按月更新。", "RS", "conditional");
    put("hrss.pension", "养老保险待遇发放", "退休人员养老金发放记录。", "RS", "unconditional");
    put("gjj.deposit", "住房公积金缴存信息", "单位和个人的公积金缴存、提取记录。", "GJJ", "conditional");
    put("sc.enterprise", "企业登记信息", "市场主体登记注册信息，含统一社会信用代码 USCC。", "SC", "unconditional");
    put("mz.subsidy", "最低生活保障对象", "低保对象名单，涉及社会救助。", "MZ", "none");
  }

  void put(const std::string& key, const std::string& name, const std::string& summary, const std::string& org,
           const std::string& share) {
    auto tx = db().begin();
    put_document(tx, "catalog", {key, {{name, 3.0}, {summary, 1.0}}, {{"org", org}, {"share", share}}});
    tx.commit();
  }

  std::vector<std::string> keys(const SearchQuery& q) {
    std::vector<std::string> out;
    for (const auto& h : search(db(), "catalog", q).hits) out.push_back(h.key);
    return out;
  }
  std::vector<std::string> keys(const std::string& text) { return keys(SearchQuery{.text = text, .limit = 50}); }

  ManualClock clock_{TimePoint(std::chrono::seconds(1796365800))};
};

struct FindCase {
  const char* name;
  std::string query;
  std::vector<std::string> expected;  // in rank order
};

TEST_P(TextIndexTest, FindsWordsOfTwoCharactersAndRanksByRelevance) {
  const std::vector<FindCase> cases{
      // 社保 appears only in the insurance summary.
      {"abbreviation", "社保", {"hrss.insurance"}},
      // 户籍 in a name outranks nothing else; found exactly.
      {"word_in_name", "户籍", {"pop.household"}},
      // 公积金: in the name and twice in the summary.
      {"three_characters", "公积金", {"gjj.deposit"}},
      // 保险: in two names; the shorter document with the word in its name ranks first.
      {"shared_word_ranked", "保险", {"hrss.pension", "hrss.insurance"}},
      // 社会: in three documents, the one with it in the name first.
      {"name_beats_summary", "社会", {"hrss.insurance", "mz.subsidy", "sc.enterprise"}},
      // Two words: both must be there.
      {"two_words_and", "社保 缴费", {"hrss.insurance"}},
      {"ascii_word_case_insensitive", "uscc", {"sc.enterprise"}},
      {"full_width_query", "ＵＳＣＣ", {"sc.enterprise"}},
      {"nothing", "卫星遥感", {}},
      {"punctuation_only", "，。！", {"gjj.deposit", "hrss.insurance", "hrss.pension", "mz.subsidy", "pop.household", "sc.enterprise"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(keys(c.query), c.expected);
  }
}

TEST_P(TextIndexTest, LongQueriesNeedMostOfTheirBigrams) {
  // 社会保险缴费: 社会 会保 保险 险缴 缴费 — the insurance record holds 社会 会保 保险 缴费 (4/5).
  EXPECT_EQ(keys("社会保险缴费"), (std::vector<std::string>{"hrss.insurance"}));
  // 养老保险待遇: all bigrams in one name.
  EXPECT_EQ(keys("养老保险待遇").front(), "hrss.pension");
}

TEST_P(TextIndexTest, FacetsFilterAndCount) {
  SearchQuery q{.text = "信息", .facets = {{"share", {"conditional"}}}, .limit = 50, .count_facets = {"org", "share"}};
  auto r = search(db(), "catalog", q);
  std::vector<std::string> got;
  for (const auto& h : r.hits) got.push_back(h.key);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"gjj.deposit", "hrss.insurance", "pop.household"}));
  EXPECT_EQ(r.total, 3u);
  EXPECT_EQ(r.facet_counts["share"]["conditional"], 3u);
  EXPECT_EQ(r.facet_counts["org"]["RS"], 1u);
  EXPECT_EQ(r.facet_counts["org"].count("SC"), 0u) << "counted over the matching documents only";
  // Two facets: both must hold; several values of one facet: any.
  EXPECT_EQ(keys(SearchQuery{.facets = {{"org", {"RS", "SC"}}, {"share", {"unconditional"}}}, .limit = 50}),
            (std::vector<std::string>{"hrss.pension", "sc.enterprise"}));
}

TEST_P(TextIndexTest, PagesThroughResults) {
  SearchQuery q{.text = "", .offset = 0, .limit = 4};
  auto first = search(db(), "catalog", q);
  EXPECT_EQ(first.total, 6u);
  ASSERT_EQ(first.hits.size(), 4u);
  q.offset = 4;
  auto second = search(db(), "catalog", q);
  ASSERT_EQ(second.hits.size(), 2u);
  EXPECT_EQ(second.hits[1].key, "sc.enterprise");
  q.offset = 10;
  EXPECT_TRUE(search(db(), "catalog", q).hits.empty());
}

TEST_P(TextIndexTest, ReplacingAndRemovingChangeTheIndexWithTheTransaction) {
  put("pop.household", "流动人口登记", "暂住登记。", "GA", "conditional");
  EXPECT_TRUE(keys("户籍").empty()) << "the old text is gone";
  EXPECT_EQ(keys("流动"), (std::vector<std::string>{"pop.household"}));
  {
    auto tx = db().begin();
    remove_document(tx, "catalog", "pop.household");
    // Not committed: rolled back with the transaction.
  }
  EXPECT_EQ(keys("流动"), (std::vector<std::string>{"pop.household"}));
  {
    auto tx = db().begin();
    remove_document(tx, "catalog", "pop.household");
    tx.commit();
  }
  EXPECT_TRUE(keys("流动").empty());
  EXPECT_EQ(search(db(), "catalog", {}).total, 5u);
  // Collections are separate.
  EXPECT_EQ(search(db(), "services", SearchQuery{.text = "社保"}).total, 0u);
}

TEST_P(TextIndexTest, TextIsStoredVerbatimAndQueriesAreInert) {
  put("x.quote", "名称 ' OR 1=1 --", "\"; DROP TABLE search_postings; --", "GA", "none");
  EXPECT_EQ(keys("' OR 1=1 --").front(), "x.quote");
  EXPECT_EQ(keys("drop table"), (std::vector<std::string>{"x.quote"}));
  EXPECT_EQ(search(db(), "catalog", {}).total, 7u);
  // A very long query is cut, not refused.
  EXPECT_NO_THROW(search(db(), "catalog", SearchQuery{.text = std::string(20000, 'a') + " 社保"}));
}

ZHENGWU_STORAGE_TEST_SUITE(TextIndexTest);

}  // namespace
}  // namespace zhengwu::search
