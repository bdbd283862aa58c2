// The inverted index in tables; see text_index.hpp for what is promised.
#include "kernel/search/text_index.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "kernel/search/terms.hpp"

namespace zhengwu::search {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr std::size_t kRowsPerInsert = 100;
// A query is cut to its first terms: a pasted page of text must not become a statement
// with thousands of parameters.
constexpr std::size_t kMaxQueryTerms = 64;

// "(?, ?, ?)" repeated `rows` times, comma-separated.
std::string placeholders(std::size_t rows, std::size_t columns) {
  std::string one = "(";
  for (std::size_t c = 0; c < columns; ++c) one += c ? ", ?" : "?";
  one += ")";
  std::string out;
  for (std::size_t r = 0; r < rows; ++r) {
    if (r) out += ", ";
    out += one;
  }
  return out;
}

std::string in_list(std::size_t n) {
  std::string out = "(";
  for (std::size_t i = 0; i < n; ++i) out += i ? ", ?" : "?";
  return out + ")";
}

// Inserts rows of `columns` values each, in statements of at most kRowsPerInsert rows.
void insert_rows(db::Transaction& tx, std::string_view head, std::size_t columns, const db::Params& values) {
  const std::size_t rows = values.size() / columns;
  for (std::size_t at = 0; at < rows; at += kRowsPerInsert) {
    const std::size_t n = std::min(kRowsPerInsert, rows - at);
    db::Params chunk(values.begin() + static_cast<std::ptrdiff_t>(at * columns),
                     values.begin() + static_cast<std::ptrdiff_t>((at + n) * columns));
    tx.execute(std::string(db::bulk_insert(tx.kind())) + " " + std::string(head) + placeholders(n, columns), chunk);
  }
}

std::size_t required_matches(std::size_t terms) {
  if (terms <= 2) return terms;
  return static_cast<std::size_t>(std::ceil(0.6 * static_cast<double>(terms)));
}

}  // namespace

std::vector<db::Migration> search_migrations() {
  return {{"kernel.search", 1, "full-text index: documents, postings, facets", R"SQL(
CREATE TABLE search_documents (
  collection TEXT NOT NULL,
  doc_key TEXT NOT NULL,
  length DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (collection, doc_key)
);
CREATE TABLE search_postings (
  collection TEXT NOT NULL,
  term TEXT NOT NULL,
  doc_key TEXT NOT NULL,
  weight DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (collection, term, doc_key)
);
CREATE INDEX search_postings_doc ON search_postings (collection, doc_key);
CREATE TABLE search_facets (
  collection TEXT NOT NULL,
  facet TEXT NOT NULL,
  value TEXT NOT NULL,
  doc_key TEXT NOT NULL,
  PRIMARY KEY (collection, facet, value, doc_key)
);
CREATE INDEX search_facets_doc ON search_facets (collection, doc_key)
)SQL"}};
}

void remove_document(db::Transaction& tx, std::string_view collection, std::string_view key) {
  tx.execute("DELETE FROM search_postings WHERE collection = ? AND doc_key = ?", {collection, key});
  tx.execute("DELETE FROM search_facets WHERE collection = ? AND doc_key = ?", {collection, key});
  tx.execute("DELETE FROM search_documents WHERE collection = ? AND doc_key = ?", {collection, key});
}

void put_document(db::Transaction& tx, std::string_view collection, const SearchDocument& doc) {
  remove_document(tx, collection, doc.key);
  std::unordered_map<std::string, double> weights;
  double length = 0;
  for (const auto& field : doc.fields) {
    for (auto& term : document_terms(field.text)) {
      weights[std::move(term)] += field.weight;
      length += field.weight;
    }
  }
  tx.execute("INSERT INTO search_documents (collection, doc_key, length) VALUES (?, ?, ?)",
             {collection, doc.key, length});
  db::Params postings;
  postings.reserve(weights.size() * 4);
  for (const auto& [term, weight] : weights) {
    postings.emplace_back(collection);
    postings.emplace_back(term);
    postings.emplace_back(doc.key);
    postings.emplace_back(weight);
  }
  insert_rows(tx, "INTO search_postings (collection, term, doc_key, weight) VALUES ", 4, postings);
  std::set<std::pair<std::string, std::string>> facets(doc.facets.begin(), doc.facets.end());
  db::Params facet_rows;
  for (const auto& [facet, value] : facets) {
    facet_rows.emplace_back(collection);
    facet_rows.emplace_back(facet);
    facet_rows.emplace_back(value);
    facet_rows.emplace_back(doc.key);
  }
  insert_rows(tx, "INTO search_facets (collection, facet, value, doc_key) VALUES ", 4, facet_rows);
}

SearchResult search(db::Database& db, std::string_view collection, const SearchQuery& query) {
  auto tx = db.begin(db::TxMode::read);
  std::unordered_map<std::string, double> scores;  // candidates
  auto terms = query_terms(query.text);
  if (terms.size() > kMaxQueryTerms) terms.resize(kMaxQueryTerms);
  const bool browse = terms.empty();

  if (browse) {
    for (const auto& row : tx.query("SELECT doc_key FROM search_documents WHERE collection = ?", {collection}))
      scores.emplace(row.get<std::string>(0), 0.0);
  } else {
    auto stats = tx.query("SELECT count(*), sum(length) FROM search_documents WHERE collection = ?", {collection});
    const double n_docs = static_cast<double>(stats[0].get<std::int64_t>(0));
    const double avg_length = n_docs > 0 && !stats[0].at(1).is_null() ? stats[0].at(1).as_double() / n_docs : 1.0;
    db::Params params{collection};
    for (const auto& t : terms) params.emplace_back(t);
    auto rows = tx.query("SELECT p.term, p.doc_key, p.weight, d.length FROM search_postings p "
                         "JOIN search_documents d ON d.collection = p.collection AND d.doc_key = p.doc_key "
                         "WHERE p.collection = ? AND p.term IN " + in_list(terms.size()),
                         params);
    std::unordered_map<std::string, double> df;
    for (const auto& row : rows) df[row.get<std::string>(0)] += 1;
    std::unordered_map<std::string, std::size_t> matched;
    for (const auto& row : rows) {
      const auto term = row.get<std::string>(0);
      const auto key = row.get<std::string>(1);
      const double tf = row.at(2).as_double();
      const double length = row.at(3).as_double();
      const double idf = std::log(1.0 + (n_docs - df[term] + 0.5) / (df[term] + 0.5));
      scores[key] += idf * tf * (kK1 + 1) / (tf + kK1 * (1 - kB + kB * length / std::max(avg_length, 1e-9)));
      ++matched[key];
    }
    const std::size_t need = required_matches(terms.size());
    for (auto it = scores.begin(); it != scores.end();) {
      it = matched[it->first] < need ? scores.erase(it) : std::next(it);
    }
  }

  // Facet filters: for each facet, the documents with one of its accepted values.
  for (const auto& [facet, values] : query.facets) {
    if (values.empty()) continue;
    db::Params params{collection, facet};
    for (const auto& v : values) params.emplace_back(v);
    std::unordered_set<std::string> passing;
    for (const auto& row : tx.query("SELECT doc_key FROM search_facets WHERE collection = ? AND facet = ? AND value IN " +
                                        in_list(values.size()),
                                    params))
      passing.insert(row.get<std::string>(0));
    for (auto it = scores.begin(); it != scores.end();) it = passing.contains(it->first) ? std::next(it) : scores.erase(it);
  }

  SearchResult out;
  out.total = scores.size();
  std::vector<SearchHit> hits;
  hits.reserve(scores.size());
  for (const auto& [key, score] : scores) hits.push_back({key, score});
  std::sort(hits.begin(), hits.end(), [](const SearchHit& a, const SearchHit& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  });
  const std::size_t from = std::min(query.offset, hits.size());
  const std::size_t to = std::min(hits.size(), from + query.limit);
  out.hits.assign(std::make_move_iterator(hits.begin() + static_cast<std::ptrdiff_t>(from)),
                  std::make_move_iterator(hits.begin() + static_cast<std::ptrdiff_t>(to)));

  if (!query.count_facets.empty()) {
    db::Params params{collection};
    for (const auto& f : query.count_facets) params.emplace_back(f);
    for (const auto& row : tx.query("SELECT facet, value, doc_key FROM search_facets WHERE collection = ? AND facet IN " +
                                        in_list(query.count_facets.size()),
                                    params)) {
      if (scores.contains(row.get<std::string>(2))) ++out.facet_counts[row.get<std::string>(0)][row.get<std::string>(1)];
    }
  }
  tx.rollback();
  return out;
}

}  // namespace zhengwu::search
