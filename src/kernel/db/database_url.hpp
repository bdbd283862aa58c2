// Database URLs: which driver a URL names, where it points, and how to show it safely.
//
// Accepted forms (see Database::open):
//   sqlite:///abs/path.db       an absolute file path (percent-decoded)
//   sqlite://relative/path.db   a path relative to the working directory
//   sqlite::memory:             a private in-memory database, shared by the threads of one
//                               Database object and gone when that object is destroyed
//   postgresql://user:pass@host:port/db?param=value   (also postgres://), libpq's URI form
//
// Every error message and log line shows a URL through `redact_password`, so a password
// typed into ZHENGWU_DB_URL never reaches a log or a problem response.
#pragma once

#include <string>
#include <string_view>

#include "kernel/db/database.hpp"

namespace zhengwu::db {

struct DatabaseUrl {
  Kind kind = Kind::sqlite;
  bool sqlite_memory = false;  // sqlite::memory:
  std::string sqlite_path;     // the decoded file path, empty for memory
  std::string postgres_uri;    // the URL as given, for libpq
  std::string redacted;        // the URL without its password
};

// Parses `url`. Throws db::Error (Kind::other) naming the redacted URL and what is wrong
// with it. For PostgreSQL only the structure is checked here (scheme, host list, ports,
// percent escapes, parameters); libpq checks the parameter names when the driver opens.
DatabaseUrl parse_database_url(std::string_view url);

// `url` without the password of its user-info part and without a `password=` parameter.
// Safe on malformed input: whatever precedes an '@' of a URL it cannot parse is masked.
std::string redact_password(std::string_view url);

}  // namespace zhengwu::db
