// The one error type of Cairn: a code a program maps to an exit status and a one-line message a
// person can act on. Libraries return Result<T> or Status and never throw across their boundary;
// programmer errors (broken invariants) abort instead.
//
// Thread safety: plain values, no shared state.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace cairn {

// Stable codes. Programs map them to exit statuses with exit_code_for (cairn/base/exit_codes.hpp,
// the README's table).
enum class Errc {
  usage,         // the caller asked for something malformed (bad flag, bad argument)
  wrong_secret,  // wrong passphrase or recovery code
  corrupt,       // a file or message failed authentication or does not parse: tampered or damaged
  io,            // the operating system refused (disk full, permission denied, ...)
  not_found,     // something that must exist does not (no vault yet, unknown id)
  exists,        // something that must not exist does (vault already initialised)
  refused,       // a policy said no (consent off, privacy budget exhausted, below k)
  too_large,     // input above its size limit
  network,       // a peer could not be reached or answered badly
  internal,      // an invariant of Cairn itself failed; a bug
};

const char* errc_name(Errc code);

struct Error {
  Errc code;
  std::string message;  // one line, no secrets, no record values
};

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : error_(std::move(error)) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }

  T& value() & { check(); return *value_; }
  const T& value() const& { check(); return *value_; }
  T&& value() && { check(); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    if (value_) std::abort();
    return error_;
  }

 private:
  void check() const {
    if (!value_) std::abort();  // reading the value of a failed result is a programmer error
  }
  std::optional<T> value_;
  Error error_{Errc::internal, {}};
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    if (!error_) std::abort();
    return *error_;
  }

 private:
  std::optional<Error> error_;
};

inline Status ok_status() { return Status{}; }

namespace detail {
inline Error take_error(const Status& s) { return s.error(); }
template <class T>
Error take_error(const Result<T>& r) { return r.error(); }
}  // namespace detail

}  // namespace cairn

// CAIRN_TRY(expr): evaluates a Status or Result; on failure returns its error from the enclosing
// function. For a Result it yields the value (GNU statement expression; g++ and clang).
// Use at most one CAIRN_TRY per braced initialiser or argument list whose earlier parts build
// objects with destructors: returning from inside the statement expression skips them (a leak
// LeakSanitizer found in scan_protocol_fuzz). Read each field into a local first.
#define CAIRN_TRY(expr)                                          \
  ({                                                             \
    auto&& cairn_try_ = (expr);                                  \
    if (!cairn_try_.ok()) return ::cairn::detail::take_error(cairn_try_); \
    ::cairn::detail::unwrap(std::move(cairn_try_));              \
  })

namespace cairn::detail {
inline void unwrap(Status&&) {}
template <class T>
T unwrap(Result<T>&& r) { return std::move(r).value(); }
}  // namespace cairn::detail
