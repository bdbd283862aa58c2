// Rewriting of `?` placeholders to PostgreSQL's `$1, $2, ...`.
//
// The platform writes SQL once with `?` (SQLite's spelling). PostgreSQL numbers its
// parameters, so the driver rewrites each `?` that is a placeholder and leaves alone the
// ones that are text: inside '...' literals (with '' escapes), E'...' literals (with
// backslash escapes), "quoted identifiers", $tag$ dollar-quoted bodies $tag$, -- line
// comments and /* nested */ block comments. `::` casts pass through untouched, so
// `?::text` becomes `$1::text`.
//
// Limitation: PostgreSQL's jsonb operators `?`, `?|` and `?&` cannot be told apart from
// placeholders; write jsonb_exists(), jsonb_exists_any() and jsonb_exists_all() instead.
#pragma once

#include <string>
#include <string_view>

namespace zhengwu::db::postgres {

struct NumberedSql {
  std::string text;    // the statement with $n placeholders
  int parameters = 0;  // how many `?` were rewritten
};

// Pure function; an unterminated literal or comment is copied as is (the server then
// reports the syntax error).
NumberedSql to_numbered_placeholders(std::string_view sql);

}  // namespace zhengwu::db::postgres
