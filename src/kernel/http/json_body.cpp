// JSON body helpers; see json_body.hpp.
#include "kernel/http/json_body.hpp"

#include <charconv>

#include "kernel/problem.hpp"

namespace zhengwu::http {
namespace json = boost::json;

std::optional<std::size_t> utf8_chars(std::string_view s) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return std::nullopt;
    i += len;
    ++chars;
  }
  return chars;
}

json::object json_object_body(const Request& req) {
  boost::system::error_code ec;
  auto v = json::parse(req.body, ec);
  if (ec) throw Problem(Error::invalid("body", "is not valid JSON: " + ec.message()));
  if (!v.is_object()) throw Problem(Error::invalid("body", "must be a JSON object"));
  return std::move(v.as_object());
}

std::optional<std::string> optional_string(const json::object& o, std::string_view field, std::size_t max_chars) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_string()) throw Problem(Error::invalid(std::string(field), "must be a string"));
  std::string s(it->value().as_string());
  auto n = utf8_chars(s);
  if (!n) throw Problem(Error::invalid(std::string(field), "is not valid UTF-8"));
  if (*n > max_chars)
    throw Problem(Error::invalid(std::string(field), "must have at most " + std::to_string(max_chars) +
                                                         " characters (has " + std::to_string(*n) + ")"));
  return s;
}

std::string required_string(const json::object& o, std::string_view field, std::size_t max_chars) {
  auto s = optional_string(o, field, max_chars);
  if (!s) throw Problem(Error::invalid(std::string(field), "is required"));
  return *s;
}

std::optional<bool> optional_bool(const json::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_bool()) throw Problem(Error::invalid(std::string(field), "must be true or false"));
  return it->value().as_bool();
}

std::optional<std::int64_t> optional_int(const json::object& o, std::string_view field) {
  auto it = o.find(field);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (it->value().is_int64()) return it->value().as_int64();
  if (it->value().is_uint64() && it->value().as_uint64() <= INT64_MAX)
    return static_cast<std::int64_t>(it->value().as_uint64());
  throw Problem(Error::invalid(std::string(field), "must be an integer"));
}

std::int64_t id_param(const Request& req, std::string_view name) {
  auto text = req.param(name);
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    throw Problem(Error::invalid(std::string(name), "must be a positive integer id"));
  return id;
}

std::vector<std::string> comma_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    auto comma = text.find(',', at);
    if (comma == std::string_view::npos) comma = text.size();
    if (comma > at) out.emplace_back(text.substr(at, comma - at));
    at = comma + 1;
  }
  return out;
}

std::vector<std::string> list_param(const Request& req, std::string_view name) {
  auto v = req.query(name);
  return v ? comma_list(*v) : std::vector<std::string>{};
}

std::optional<std::int64_t> id_cursor_param(const Request& req) {
  auto text = req.query("cursor");
  if (!text || text->empty()) return std::nullopt;
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (ec != std::errc() || p != text->data() + text->size() || id <= 0)
    throw Problem(Error::invalid("cursor", "is not a cursor this list gave (use its next_cursor)"));
  return id;
}

boost::json::value id_cursor_json(const std::optional<std::int64_t>& next) {
  return next ? boost::json::value(std::to_string(*next)) : boost::json::value(nullptr);
}

std::size_t limit_param(const Request& req, std::size_t fallback, std::size_t max) {
  auto text = req.query("limit");
  if (!text) return fallback;
  std::size_t n = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || p != text->data() + text->size() || n == 0 || n > max)
    throw Problem(Error::invalid("limit", "must be an integer from 1 to " + std::to_string(max)));
  return n;
}

}  // namespace zhengwu::http
