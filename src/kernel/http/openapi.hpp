// The OpenAPI 3.1 document, built from the route table: every route contributes its
// path, method, summary, tag, parameters and schemas, so the document cannot drift from
// what the server actually serves.
#pragma once

#include <string>

#include "kernel/http/router.hpp"

namespace zhengwu::http {

struct ApiInfo {
  std::string title = "Zhengwu";
  std::string version;
  std::string description;
};

// Throws std::invalid_argument naming the route when a schema is not valid JSON (a
// programming error, caught by the OpenAPI test).
std::string openapi_document(const Router& router, const ApiInfo& info);

}  // namespace zhengwu::http
