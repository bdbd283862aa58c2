// The OpenAPI document built from the route table: structure, parameters, bodies, responses, and refused schemas.
#include "kernel/http/openapi.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace zhengwu::http {
namespace {

namespace json = boost::json;

Route route(Method method, std::string path) {
  Route r;
  r.method = method;
  r.path = std::move(path);
  r.handler = [](Request&) { return Response::empty(204); };
  return r;
}

std::vector<std::string> keys(const json::object& o) {
  std::vector<std::string> out;
  for (const auto& kv : o) out.emplace_back(kv.key());
  std::sort(out.begin(), out.end());
  return out;
}

// The organisation API as a module would describe it, plus a health probe.
Router documented_router() {
  Router router;
  Route list = route(Method::get, "/api/orgs");
  list.summary = "List organisations";
  list.tag = "orgs";
  list.query = {{"parent", "string", false, "Only children of this organisation"}, {"limit", "integer", true, ""}};
  list.response_schema = R"({"type":"array","items":{"type":"object"}})";
  list.permission = "orgs.read";
  router.add(std::move(list));

  Route create = route(Method::post, "/api/orgs");
  create.summary = "Create an organisation";
  create.tag = "orgs";
  create.request_schema = R"({"type":"object","required":["name"],"properties":{"name":{"type":"string"}}})";
  create.response_schema = R"({"type":"object"})";
  create.success_status = 201;
  create.permission = "orgs.write";
  router.add(std::move(create));

  Route member = route(Method::get, "/api/orgs/{id}/members/{user}");
  member.summary = "One member";
  router.add(std::move(member));

  Route remove = route(Method::delete_, "/api/orgs/{id}");
  remove.success_status = 204;
  remove.permission = "orgs.write";
  router.add(std::move(remove));

  Route upload = route(Method::post, "/api/files");
  upload.body_limit = 100u << 20;
  upload.response_content_type = "text/csv";
  upload.response_schema = R"({"type":"string"})";
  router.add(std::move(upload));

  Route health = route(Method::get, "/healthz");
  health.infrastructure = true;
  health.response_content_type = "text/plain";
  router.add(std::move(health));
  return router;
}

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    doc_ = json::parse(openapi_document(router_, ApiInfo{"Zhengwu", "1.2.3", "Smart government"})).as_object();
  }
  const json::object& op(const std::string& path, const std::string& method) const {
    return doc_.at("paths").as_object().at(path).as_object().at(method).as_object();
  }

  Router router_ = documented_router();
  json::object doc_;
};

TEST_F(OpenApiTest, DocumentHasVersionInfoAndProblemSchema) {
  EXPECT_EQ(doc_.at("openapi").as_string(), "3.1.0");
  const auto& info = doc_.at("info").as_object();
  EXPECT_EQ(info.at("title").as_string(), "Zhengwu");
  EXPECT_EQ(info.at("version").as_string(), "1.2.3");
  EXPECT_EQ(info.at("description").as_string(), "Smart government");
  const auto& problem = doc_.at("components").at_pointer("/schemas/Problem").as_object();
  EXPECT_EQ(problem.at("type").as_string(), "object");
  EXPECT_EQ(keys(problem.at("properties").as_object()),
            (std::vector<std::string>{"detail", "errors", "status", "title", "type"}));
}

TEST_F(OpenApiTest, EveryRouteIsAnOperationUnderItsTemplate) {
  const auto& paths = doc_.at("paths").as_object();
  EXPECT_EQ(keys(paths), (std::vector<std::string>{"/api/files", "/api/orgs", "/api/orgs/{id}",
                                                   "/api/orgs/{id}/members/{user}", "/healthz"}));
  struct Row {
    std::string path;
    std::vector<std::string> methods;
  };
  const std::vector<Row> rows = {
      {"/api/orgs", {"get", "post"}}, {"/api/orgs/{id}", {"delete"}}, {"/api/orgs/{id}/members/{user}", {"get"}},
      {"/api/files", {"post"}},       {"/healthz", {"get"}},
  };
  std::set<std::string> operation_ids;
  for (const auto& row : rows) {
    EXPECT_EQ(keys(paths.at(row.path).as_object()), row.methods) << row.path;
    for (const auto& m : row.methods) operation_ids.insert(std::string(op(row.path, m).at("operationId").as_string()));
  }
  EXPECT_EQ(operation_ids.size(), router_.routes().size()) << "operationIds must be unique";
}

TEST_F(OpenApiTest, SummaryAndTagAppearOnlyWhenGiven) {
  struct Row {
    std::string path;
    std::string method;
    std::string summary;  // empty: absent
    std::string tag;      // empty: absent
  };
  const std::vector<Row> rows = {
      {"/api/orgs", "get", "List organisations", "orgs"},
      {"/api/orgs", "post", "Create an organisation", "orgs"},
      {"/api/orgs/{id}/members/{user}", "get", "One member", ""},
      {"/healthz", "get", "", ""},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.method + " " + row.path);
    const auto& o = op(row.path, row.method);
    EXPECT_EQ(o.contains("summary"), !row.summary.empty());
    if (!row.summary.empty()) {
      EXPECT_EQ(o.at("summary").as_string(), row.summary);
    }
    EXPECT_EQ(o.contains("tags"), !row.tag.empty());
    if (!row.tag.empty()) {
      EXPECT_EQ(o.at("tags"), (json::array{json::value(row.tag)}));
    }
  }
}

TEST_F(OpenApiTest, ParametersComeFromTheTemplateAndTheQueryList) {
  struct Param {
    std::string name;
    std::string in;
    bool required;
    std::string type;
  };
  struct Row {
    std::string path;
    std::string method;
    std::vector<Param> expected;  // in order; empty: no "parameters" key
  };
  const std::vector<Row> rows = {
      {"/api/orgs/{id}/members/{user}", "get", {{"id", "path", true, "string"}, {"user", "path", true, "string"}}},
      {"/api/orgs/{id}", "delete", {{"id", "path", true, "string"}}},
      {"/api/orgs", "get", {{"parent", "query", false, "string"}, {"limit", "query", true, "integer"}}},
      {"/api/orgs", "post", {}},
      {"/healthz", "get", {}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.method + " " + row.path);
    const auto& o = op(row.path, row.method);
    if (row.expected.empty()) {
      EXPECT_FALSE(o.contains("parameters"));
      continue;
    }
    const auto& params = o.at("parameters").as_array();
    ASSERT_EQ(params.size(), row.expected.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& p = params[i].as_object();
      EXPECT_EQ(p.at("name").as_string(), row.expected[i].name);
      EXPECT_EQ(p.at("in").as_string(), row.expected[i].in);
      EXPECT_EQ(p.at("required").as_bool(), row.expected[i].required);
      EXPECT_EQ(p.at("schema").at("type").as_string(), row.expected[i].type);
    }
  }
  // A query parameter's description is carried when given and left out when not.
  const auto& list_params = op("/api/orgs", "get").at("parameters").as_array();
  EXPECT_EQ(list_params[0].at("description").as_string(), "Only children of this organisation");
  EXPECT_FALSE(list_params[1].as_object().contains("description"));
}

TEST_F(OpenApiTest, RequestBodyOnlyWithASchema) {
  struct Row {
    std::string path;
    std::string method;
    bool has_body;
  };
  const std::vector<Row> rows = {
      {"/api/orgs", "post", true},         {"/api/orgs", "get", false}, {"/api/files", "post", false},
      {"/api/orgs/{id}", "delete", false}, {"/healthz", "get", false},
  };
  for (const auto& row : rows) EXPECT_EQ(op(row.path, row.method).contains("requestBody"), row.has_body) << row.path;
  const auto& body = op("/api/orgs", "post").at("requestBody").as_object();
  EXPECT_TRUE(body.at("required").as_bool());
  EXPECT_EQ(body.at("content").at_pointer("/application~1json/schema"),
            json::parse(R"({"type":"object","required":["name"],"properties":{"name":{"type":"string"}}})"));
}

TEST_F(OpenApiTest, ResponsesFollowStatusPermissionAndInfrastructure) {
  struct Row {
    std::string path;
    std::string method;
    std::vector<std::string> statuses;
    std::string content_type;  // of the success response; empty: no content
    std::string permission;    // x-permission; empty: absent
  };
  const std::vector<Row> rows = {
      {"/api/orgs", "get", {"200", "400", "401", "403", "default"}, "application/json", "orgs.read"},
      {"/api/orgs", "post", {"201", "400", "401", "403", "default"}, "application/json", "orgs.write"},
      {"/api/orgs/{id}", "delete", {"204", "400", "401", "403", "default"}, "", "orgs.write"},
      {"/api/orgs/{id}/members/{user}", "get", {"200", "400", "default"}, "", ""},
      {"/api/files", "post", {"200", "400", "default"}, "text/csv", ""},
      {"/healthz", "get", {"200"}, "", ""},  // infrastructure: no problem responses
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.method + " " + row.path);
    const auto& o = op(row.path, row.method);
    const auto& responses = o.at("responses").as_object();
    EXPECT_EQ(keys(responses), row.statuses);
    const auto& ok = responses.at(row.statuses.front()).as_object();
    EXPECT_EQ(ok.contains("content"), !row.content_type.empty());
    if (!row.content_type.empty()) {
      EXPECT_EQ(keys(ok.at("content").as_object()), std::vector<std::string>{row.content_type});
    }
    EXPECT_EQ(o.contains("x-permission"), !row.permission.empty());
    if (!row.permission.empty()) {
      EXPECT_EQ(o.at("x-permission").as_string(), row.permission);
    }
    for (const auto& status : row.statuses) {
      if (status.front() == '2') continue;
      EXPECT_EQ(responses.at(status).at_pointer("/content/application~1problem+json/schema/$ref").as_string(),
                "#/components/schemas/Problem")
          << status;
    }
  }
  EXPECT_EQ(op("/api/orgs", "get").at("responses").at_pointer("/200/description").as_string(), "List organisations");
  EXPECT_EQ(op("/api/orgs/{id}", "delete").at("responses").at_pointer("/204/description").as_string(), "Success");
}

TEST_F(OpenApiTest, BodyLimitIsDocumentedWhereSet) {
  EXPECT_EQ(op("/api/files", "post").at("x-body-limit").to_number<std::uint64_t>(), 100u << 20);
  EXPECT_FALSE(op("/api/orgs", "post").contains("x-body-limit"));
}

TEST(OpenApiEmptyTest, RouterWithoutRoutesHasNoPaths) {
  Router router;
  auto doc = json::parse(openapi_document(router, ApiInfo{})).as_object();
  EXPECT_TRUE(doc.at("paths").as_object().empty());
  EXPECT_EQ(doc.at("info").at("title").as_string(), "Zhengwu");
}

TEST(OpenApiSchemaTest, InvalidSchemaJsonNamesTheRoute) {
  struct Row {
    Method method;
    std::string path;
    std::string request_schema;
    std::string response_schema;
  };
  const std::vector<Row> rows = {
      {Method::post, "/api/bad", "{not json", ""},
      {Method::put, "/api/bad/{id}", "", R"({"type": "object",})"},
      {Method::get, "/api/bad", "", "object"},
      {Method::post, "/api/trailing", R"({"type":"object"} extra)", ""},
  };
  for (const auto& row : rows) {
    Router router;
    router.add(route(Method::get, "/api/fine"));
    Route r = route(row.method, row.path);
    r.request_schema = row.request_schema;
    r.response_schema = row.response_schema;
    router.add(std::move(r));
    const std::string name = std::string(to_string(row.method)) + " " + row.path;
    try {
      openapi_document(router, ApiInfo{});
      ADD_FAILURE() << "accepted the schema of " << name;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("route " + name + ":"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace zhengwu::http
