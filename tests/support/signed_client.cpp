// Signed system clients for integration tests; see signed_client.hpp.
#include "support/signed_client.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <cctype>
#include <ctime>
#include <map>

#include "kernel/crypto/request_signature.hpp"
#include "support/accounts.hpp"

namespace zhengwu::testing {

SignedClient add_client(const Env& env, const std::string& org, const std::string& name) {
  auto printed = boost::json::parse(run_ok({"client", "add", "--org", org, "--name", name}, env));
  return {std::string(printed.at("client_id").as_string()), std::string(printed.at("secret").as_string())};
}

std::string percent_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

HttpResponse signed_get(int port, const SignedClient& client, const std::string& target,
                        const std::optional<std::string>& purpose, std::int64_t clock_offset) {
  static std::atomic<int> nonce{0};
  const auto q = target.find('?');
  const std::string path = target.substr(0, q), query = q == std::string::npos ? "" : target.substr(q + 1);
  const std::string ts = std::to_string(std::time(nullptr) + clock_offset);
  const std::string n = "nonce-test-" + std::to_string(++nonce) + "-" + std::to_string(std::time(nullptr));
  std::map<std::string, std::string> h{
      {"X-Zw-Client", client.id},
      {"X-Zw-Timestamp", ts},
      {"X-Zw-Nonce", n},
      {"X-Zw-Signature", crypto::sign_request(client.secret, crypto::canonical_request("GET", path, query, ts, n, ""))}};
  if (purpose) h["X-Zw-Purpose"] = percent_encode(*purpose);
  return http_request(port, "GET", target, {}, h);
}

}  // namespace zhengwu::testing
