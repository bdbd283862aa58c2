// Reading JSON request bodies with errors that name the field.
//
// Route handlers parse their input through these helpers so that every malformed body
// is a 400 problem naming the field ("name: must have at most 100 characters"), and
// never a 500. This header includes Boost.JSON: include it only from routes' .cpp files.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/http/message.hpp"

namespace zhengwu::http {

// The body as a JSON object; throws Problem (400, field "body") when it is not one.
boost::json::object json_object_body(const Request& req);

// A string member of at most `max_chars` Unicode characters. Throws Problem naming
// `field` when missing (required), not a string, too long, or not valid UTF-8.
std::string required_string(const boost::json::object& o, std::string_view field, std::size_t max_chars);
std::optional<std::string> optional_string(const boost::json::object& o, std::string_view field,
                                           std::size_t max_chars);
std::optional<bool> optional_bool(const boost::json::object& o, std::string_view field);
std::optional<std::int64_t> optional_int(const boost::json::object& o, std::string_view field);

// A path parameter that must be a positive integer id.
std::int64_t id_param(const Request& req, std::string_view name);
// The non-empty items of a comma-separated list ("a,,b" → a, b), for query parameters
// such as ?provider=A,B and command-line options such as --fields F1,F2.
std::vector<std::string> comma_list(std::string_view text);
// A query parameter as a comma-separated list; empty when absent.
std::vector<std::string> list_param(const Request& req, std::string_view name);

// `cursor` from the query of a list paged by descending ids (keyset: "ids below this"):
// nullopt when absent or empty; a positive integer; anything else is a 400 naming it.
std::optional<std::int64_t> id_cursor_param(const Request& req);
// The `next_cursor` member of such a list: the id as text, or null on the last page.
boost::json::value id_cursor_json(const std::optional<std::int64_t>& next);

// `limit` from the query: default, at most `max`.
std::size_t limit_param(const Request& req, std::size_t fallback, std::size_t max);

// Characters of UTF-8 text; nullopt when the bytes are not valid UTF-8.
std::optional<std::size_t> utf8_chars(std::string_view text);

}  // namespace zhengwu::http
