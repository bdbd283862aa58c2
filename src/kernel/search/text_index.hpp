// Full-text search over the platform's own tables, the same on SQLite and PostgreSQL:
// an inverted index of the terms of terms.hpp, ranked by BM25, filtered by facets.
//
// A module indexes its objects as documents of a named collection ("catalog.resource"):
// a key, some text fields with weights (a name counts more than a summary), and facets
// (org, share type, ...) to filter by. `put` and `remove` run inside the caller's
// transaction, so an object and its index entry change together.
//
// Ranking: Okapi BM25 (k1 = 1.2, b = 0.75) over weighted term frequencies, with the
// document length the weighted number of terms. Matching: a document must hold every
// query term when the query has one or two terms (社保, 户籍 人口), and at least 60% of them
// for longer queries (社会保险缴费 finds 社会保险 records that lack 缴费 only when most of
// the bigrams are there). Ties go to the smaller key. An empty query lists every document
// that passes the facet filters, by key.
//
// Scale: the postings of the query terms and the facet rows of the collection are read
// for each search, which suits catalogs of up to some hundred thousand documents
// (directories, service items), not record tables.
//
// Thread-safety: plain functions over a Database or a Transaction the caller owns.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kernel/db/database.hpp"
#include "kernel/db/migrations.hpp"

namespace zhengwu::search {

// Tables search_documents, search_postings, search_facets (module "kernel.search").
std::vector<db::Migration> search_migrations();

struct IndexedField {
  std::string text;
  double weight = 1.0;
};

struct SearchDocument {
  std::string key;
  std::vector<IndexedField> fields;
  // (facet, value) pairs; a facet may have several values (a resource's field types).
  std::vector<std::pair<std::string, std::string>> facets;
};

struct SearchQuery {
  std::string text;
  // facet → accepted values: a document passes when, for every facet listed, it has one
  // of the values.
  std::map<std::string, std::vector<std::string>, std::less<>> facets;
  std::size_t offset = 0;
  std::size_t limit = 20;
  // Facets to count over the matching documents (for filter menus with numbers).
  std::vector<std::string> count_facets;
};

struct SearchHit {
  std::string key;
  double score = 0;  // BM25; 0 for an empty query
};

struct SearchResult {
  std::vector<SearchHit> hits;  // the page asked for
  std::size_t total = 0;        // all matching documents
  std::map<std::string, std::map<std::string, std::size_t>> facet_counts;
};

// Replaces the document `doc.key` of `collection` (its terms and facets).
void put_document(db::Transaction& tx, std::string_view collection, const SearchDocument& doc);
// Removes it; nothing happens when it is not there.
void remove_document(db::Transaction& tx, std::string_view collection, std::string_view key);
// Searches one collection.
SearchResult search(db::Database& db, std::string_view collection, const SearchQuery& query);

}  // namespace zhengwu::search
