// A department's system as integration tests play it: registered with the real CLI
// (`zhengwu client add`) and signing its requests per DESIGN.md "Systems".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace zhengwu::testing {

struct SignedClient {
  std::string id, secret;
};

// `zhengwu client add --org ORG --name NAME`; throws when it fails.
SignedClient add_client(const Env& env, const std::string& org, const std::string& name);

// RFC 3986 percent-encoding of every byte but A-Z a-z 0-9 - _ . ~ (as X-Zw-Purpose is sent).
std::string percent_encode(std::string_view text);

// A signed GET of `target` (path?query, already encoded) with a fresh nonce, and with
// X-Zw-Purpose when `purpose` is given; `clock_offset` seconds shift the timestamp, for a
// server whose clock runs ahead (ZHENGWU_CLOCK_START).
HttpResponse signed_get(int port, const SignedClient& client, const std::string& target,
                        const std::optional<std::string>& purpose, std::int64_t clock_offset = 0);

}  // namespace zhengwu::testing
