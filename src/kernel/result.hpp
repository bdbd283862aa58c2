// Expected failures as values.
//
// Validation errors, missing objects, conflicts and a busy database are not exceptional:
// functions that can meet them return `Result<T>`. The HTTP layer maps an `Error` to an
// RFC 9457 problem response in one place (kernel/problem.cpp); nothing else decides
// status codes. Exceptions are kept for failures that end a request (a lost database
// connection, a bug), and those become 500 without leaking details.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace zhengwu {

enum class ErrorCode {
  invalid,       // 400: the input is malformed or fails validation
  unauthorized,  // 401: no or bad credentials
  forbidden,     // 403: authenticated, not allowed
  not_found,     // 404
  conflict,      // 409: state does not allow it (duplicate, wrong lifecycle step)
  too_large,     // 413
  unprocessable, // 422: well-formed but cannot be carried out (e.g. calendar year missing)
  rate_limited,  // 429
  busy,          // 503: try again (database busy, shutting down)
  internal,      // 500
};

// One field that failed validation; `field` uses the JSON path of the input (`days`,
// `fields[2].name`) so that a form can put the message beside the right control.
struct FieldError {
  std::string field;
  std::string message;
};

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
  std::vector<FieldError> fields;

  static Error invalid(std::string field, std::string message) {
    std::string detail = field + ": " + message;
    return Error{ErrorCode::invalid, std::move(detail), {{std::move(field), std::move(message)}}};
  }
  static Error not_found(std::string message) { return {ErrorCode::not_found, std::move(message), {}}; }
  static Error conflict(std::string message) { return {ErrorCode::conflict, std::move(message), {}}; }
};

// `Result<T>` holds a T or an Error. `Result<void>` is spelled `Status`.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}           // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}       // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  static Status success() { return {}; }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace zhengwu
