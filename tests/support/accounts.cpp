// Test accounts through the CLI and the login endpoint.
#include "support/accounts.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "support/http_client.hpp"

namespace zhengwu::testing {

std::string run_ok(const std::vector<std::string>& args, const Env& env) {
  auto r = run_zhengwu(args, env);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    throw std::runtime_error("zhengwu " + cmd + "exited " + std::to_string(r.exit_code) + ": " + r.err);
  }
  return r.out;
}

std::string sign_in(int port, const std::string& username, const std::string& password) {
  boost::json::object body{{"username", username}, {"password", password}};
  auto r = http_request(port, "POST", "/api/auth/login", boost::json::serialize(body),
                        {{"Content-Type", "application/json"}});
  if (r.status != 200) throw std::runtime_error("sign-in of " + username + " failed: " + r.body);
  return std::string(boost::json::parse(r.body).at("token").as_string());
}

std::map<std::string, std::string> bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

}  // namespace zhengwu::testing
