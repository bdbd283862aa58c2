// RFC 9457 problem details: the one error format of the HTTP API.
//
// `{type, title, status, detail, errors?: [{field, message}]}` with content type
// application/problem+json. Handlers either return `problem(error)` or throw `Problem`;
// both end up here.
#pragma once

#include <stdexcept>
#include <string>

#include "kernel/http/message.hpp"
#include "kernel/result.hpp"

namespace zhengwu {

int http_status(ErrorCode code);

// Builds the problem response for an error.
http::Response problem(const Error& error);
http::Response problem(int status, std::string detail);

// Thrown from a handler to end the request with this error.
class Problem : public std::runtime_error {
 public:
  explicit Problem(Error error) : std::runtime_error(error.message), error_(std::move(error)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// Returns the value or throws Problem: for handlers, where an expected failure ends the
// request.
template <class T>
T take(Result<T> r) {
  if (!r.ok()) throw Problem(r.error());
  return std::move(r).value();
}
inline void take(Status s) {
  if (!s.ok()) throw Problem(s.error());
}

}  // namespace zhengwu
