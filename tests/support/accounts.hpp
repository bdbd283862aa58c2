// Accounts for integration tests: made with the real CLI (`zhengwu org add`, `zhengwu
// user add`) and signed in over HTTP, the way an operator and a client would.
#pragma once

#include <string>
#include <vector>

#include "support/server_process.hpp"

namespace zhengwu::testing {

// Runs `zhengwu ARGS...`; throws std::runtime_error with its stderr unless it exits 0.
std::string run_ok(const std::vector<std::string>& args, const Env& env);

// POST /api/auth/login; returns the token, or throws with the problem text.
std::string sign_in(int port, const std::string& username, const std::string& password);

// The header map for a bearer token.
std::map<std::string, std::string> bearer(const std::string& token);

}  // namespace zhengwu::testing
