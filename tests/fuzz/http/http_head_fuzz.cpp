// Fuzz target: the aggregator server's HTTP/1.1 request-head parser (sync/aggregator's
// http_parse.hpp), the first code that sees bytes from the network. A head that parses must name
// GET or POST and a path starting with '/'; an error must carry a 4xx/5xx status and a reason;
// head_end never points past the input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http_parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = cairn::aggregator::http;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto end = http::head_end(in);
  if (end && (*end > size || in.substr(*end - 4, 4) != "\r\n\r\n")) std::abort();
  const auto h = http::parse_head(end ? in.substr(0, *end) : in);
  if (h.error_status != 0) {
    if (h.error_status < 400 || h.error_status > 599 || h.error.empty() || h.keep_alive) std::abort();
  } else {
    if ((h.method != "GET" && h.method != "POST") || h.path.empty() || h.path[0] != '/') std::abort();
    if (h.content_length > 999'999'999'999ULL) std::abort();
  }
  const auto r = http::response(h.error_status ? h.error_status : 200, h.error, h.keep_alive);
  if (r.rfind("HTTP/1.1 ", 0) != 0 || !http::head_end(r)) std::abort();
  return 0;
}
