// OpenAPI 3.1 rendering of the route table.
#include "kernel/http/openapi.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <stdexcept>

namespace zhengwu::http {
namespace json = boost::json;

namespace {

json::value parse_schema(const std::string& text, const Route& r) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) throw std::invalid_argument("route " + std::string(to_string(r.method)) + " " + r.path + ": schema is not JSON");
  return v;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

json::object problem_response(std::string_view description) {
  return json::object{{"description", description},
                      {"content", json::object{{"application/problem+json",
                                                json::object{{"schema", json::object{{"$ref", "#/components/schemas/Problem"}}}}}}}};
}

}  // namespace

std::string openapi_document(const Router& router, const ApiInfo& info) {
  json::object paths;
  for (const auto& r : router.routes()) {
    json::object op;
    if (!r.summary.empty()) op["summary"] = r.summary;
    if (!r.tag.empty()) op["tags"] = json::array{json::value(r.tag)};
    op["operationId"] = lower(to_string(r.method)) + r.path;

    json::array params;
    std::size_t pos = 0;
    while ((pos = r.path.find('{', pos)) != std::string::npos) {
      auto end = r.path.find('}', pos);
      params.push_back(json::object{{"name", r.path.substr(pos + 1, end - pos - 1)},
                                    {"in", "path"},
                                    {"required", true},
                                    {"schema", json::object{{"type", "string"}}}});
      pos = end;
    }
    for (const auto& q : r.query) {
      json::object p{{"name", q.name}, {"in", "query"}, {"required", q.required}, {"schema", json::object{{"type", q.type}}}};
      if (!q.description.empty()) p["description"] = q.description;
      params.push_back(std::move(p));
    }
    if (!params.empty()) op["parameters"] = std::move(params);

    if (!r.request_schema.empty()) {
      op["requestBody"] = json::object{
          {"required", true},
          {"content", json::object{{"application/json", json::object{{"schema", parse_schema(r.request_schema, r)}}}}}};
    }
    json::object responses;
    json::object ok{{"description", r.summary.empty() ? "Success" : r.summary}};
    if (!r.response_schema.empty())
      ok["content"] = json::object{{r.response_content_type, json::object{{"schema", parse_schema(r.response_schema, r)}}}};
    responses[std::to_string(r.success_status)] = std::move(ok);
    if (!r.infrastructure) {
      responses["400"] = problem_response("Invalid input; `errors` names each field");
      if (!r.permission.empty() || r.signed_in) responses["401"] = problem_response("Not signed in");
      if (!r.permission.empty()) responses["403"] = problem_response("Missing permission " + r.permission);
      responses["default"] = problem_response("Error");
    }
    op["responses"] = std::move(responses);
    if (!r.permission.empty()) op["x-permission"] = r.permission;
    if (!r.permission.empty() || r.signed_in) {
      op["x-signed-in"] = true;
      op["security"] = json::array{json::object{{"bearer", json::array{}}}};
    }
    if (r.body_limit) op["x-body-limit"] = *r.body_limit;
    if (!r.audit.empty()) op["x-audit"] = r.audit;

    auto& item = paths[r.path];
    if (!item.is_object()) item = json::object{};
    item.as_object()[lower(to_string(r.method))] = std::move(op);
  }

  json::value problem_schema = json::parse(R"({
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status"],
    "properties": {
      "type": {"type": "string"},
      "title": {"type": "string"},
      "status": {"type": "integer"},
      "detail": {"type": "string"},
      "errors": {"type": "array", "items": {"type": "object", "properties": {
        "field": {"type": "string"}, "message": {"type": "string"}}}}
    }})");

  json::object doc{
      {"openapi", "3.1.0"},
      {"info", json::object{{"title", info.title}, {"version", info.version}, {"description", info.description}}},
      {"paths", std::move(paths)},
      {"components",
       json::object{{"schemas", json::object{{"Problem", std::move(problem_schema)}}},
                    {"securitySchemes",
                     json::object{{"bearer", json::object{{"type", "http"}, {"scheme", "bearer"},
                                                          {"description", "A session token from POST /api/auth/login"}}}}}}},
  };
  return json::serialize(doc);
}

}  // namespace zhengwu::http
