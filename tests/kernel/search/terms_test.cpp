// Cutting Chinese and mixed text into search terms: table-driven.
#include "kernel/search/terms.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zhengwu::search {
namespace {

using Terms = std::vector<std::string>;

struct TermsCase {
  const char* name;
  std::string text;
  Terms document;
  Terms query;
};

class TermsTest : public ::testing::TestWithParam<TermsCase> {};

TEST_P(TermsTest, CutsDocumentsAndQueries) {
  const auto& c = GetParam();
  EXPECT_EQ(document_terms(c.text), c.document);
  EXPECT_EQ(query_terms(c.text), c.query);
}

INSTANTIATE_TEST_SUITE_P(
    Table, TermsTest,
    ::testing::Values(
        TermsCase{"empty", "", {}, {}},
        TermsCase{"two_character_word", "社保", {"社", "社保", "保"}, {"社保"}},
        TermsCase{"one_character", "税", {"税"}, {"税"}},
        TermsCase{"longer_run_gives_bigrams", "社会保险", {"社", "社会", "会", "会保", "保", "保险", "险"},
                  {"社会", "会保", "保险"}},
        TermsCase{"punctuation_separates", "户籍、人口", {"户", "户籍", "籍", "人", "人口", "口"}, {"户籍", "人口"}},
        TermsCase{"ascii_words_lower_cased", "API Gateway v2", {"api", "gateway", "v2"}, {"api", "gateway", "v2"}},
        TermsCase{"full_width_folds_to_ascii", "ＧＢ１１６４３", {"gb11643"}, {"gb11643"}},
        TermsCase{"mixed_scripts_split", "A类人口", {"a", "类", "类人", "人", "人口", "口"}, {"a", "类人", "人口"}},
        TermsCase{"repeats_kept_for_documents_not_queries", "人口 人口", {"人", "人口", "口", "人", "人口", "口"},
                  {"人口"}},
        TermsCase{"ideographic_space_separates", "医保\u3000公积金", {"医", "医保", "保", "公", "公积", "积", "积金", "金"},
                  {"医保", "公积", "积金"}},
        TermsCase{"invalid_utf8_is_a_separator", std::string("人\xff口"), {"人", "口"}, {"人", "口"}},
        TermsCase{"digits_and_codes", "330106 街道", {"330106", "街", "街道", "道"}, {"330106", "街道"}},
        TermsCase{"rare_extension_b_character", "\U00020000人", {"\U00020000", "\U00020000人", "人"},
                  {"\U00020000人"}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(Fold, FullWidthAndCase) {
  EXPECT_EQ(fold("ＡＢＣ　ｄｅｆ１２３"), "abc def123");
  EXPECT_EQ(fold("杭州 Hangzhou"), "杭州 hangzhou");
}

}  // namespace
}  // namespace zhengwu::search
