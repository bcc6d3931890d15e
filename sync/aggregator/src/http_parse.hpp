// The aggregator server's HTTP/1.1 request-head parser: the request line and headers of one
// request, strictly (CRLF line ends, token names, one Content-Length, no Transfer-Encoding), and
// the response head it writes. Pure functions over bytes, so libFuzzer can drive them
// (tests/fuzz/http/http_head_fuzz.cpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cairn::aggregator::http {

// Most bytes a request head (request line + headers + the blank line) may have.
inline constexpr std::size_t kMaxHeadBytes = 16 * 1024;
inline constexpr std::size_t kMaxHeaders = 64;

struct Head {
  // 0 when the head is acceptable; otherwise the status to answer with (400, 405, 411, 431, 505)
  // and a one-line reason. A connection with an error head is answered and closed.
  int error_status = 0;
  std::string error;
  std::string method, path, team;  // team: the decoded ?team= parameter
  std::size_t content_length = 0;
  bool keep_alive = true;
  bool expect_continue = false;
  std::string org_signature;
};

// Where the head in `buf` ends (just past the blank line), or nullopt if it is not complete yet.
std::optional<std::size_t> head_end(std::string_view buf);

// Parses a complete head (up to and including the blank line).
Head parse_head(std::string_view head);

// "HTTP/1.1 <status> <reason>" with a JSON body, Content-Length and Connection headers.
std::string response(int status, std::string_view body, bool keep_alive);

}  // namespace cairn::aggregator::http
