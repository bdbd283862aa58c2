// The terms of Chinese (and mixed) text for full-text search, without a dictionary.
//
// Chinese has no spaces between words, and a dictionary segmenter misses the names and
// abbreviations government data is full of (社保, 公积金, 一网通办). So text is cut the way
// CJK search engines without a dictionary do: every run of CJK characters gives its
// overlapping character bigrams (社会保险 → 社会 会保 保险) and its single characters;
// every run of letters and digits gives one lower-cased word. A query of two or more CJK
// characters is looked up by its bigrams, so a 2-character word (社保, 户籍) is found
// exactly and a longer one (社会保险) matches documents that hold all of its bigrams best;
// a single character is looked up by itself.
//
// Before cutting, text is folded: full-width ASCII forms (Ａ１，as Chinese input methods
// produce, U+FF01..U+FF5E) become their ASCII forms, the ideographic space a space,
// ASCII letters lower case. Everything that is neither a letter, a digit nor a CJK
// character separates terms. Invalid UTF-8 bytes are separators too.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zhengwu::search {

// Terms of a document, in order of appearance, repeats kept (their count is the term
// frequency): bigrams and unigrams of CJK runs, words of alphanumeric runs.
std::vector<std::string> document_terms(std::string_view text);

// Terms to look up for a query, each once, in order: bigrams of CJK runs of two or more
// characters, the character of a one-character run, words of alphanumeric runs.
std::vector<std::string> query_terms(std::string_view text);

// The folded text (full-width → ASCII, ASCII lower case), for display-independent
// comparisons.
std::string fold(std::string_view text);

}  // namespace zhengwu::search
