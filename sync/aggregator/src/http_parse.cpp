// The aggregator's HTTP/1.1 request-head parser and response writer (see http_parse.hpp). Strict on
// purpose: the only clients are Cairn devices, the leader and curl, so anything unusual (folded
// headers, bare LF, two lengths, chunked bodies) is refused rather than interpreted.
#include "http_parse.hpp"

#include <cctype>

namespace cairn::aggregator::http {
namespace {

bool is_tchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes a query value ('+' is a space); nullopt on a broken escape.
std::optional<std::string> decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int h = hex(s[i + 1]), l = hex(s[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      out += static_cast<char>(h * 16 + l);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Head fail(Head h, int status, std::string why) {
  h.error_status = status;
  h.error = std::move(why);
  h.keep_alive = false;
  return h;
}

bool parse_target(Head& h, std::string_view target) {
  if (target.empty() || target.front() != '/' || target.size() > 2048) return false;
  for (char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  const auto q = target.find('?');
  h.path = std::string(target.substr(0, q));
  if (q == std::string_view::npos) return true;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != "team") continue;
    auto v = decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!v) return false;
    h.team = std::move(*v);
  }
  return true;
}

}  // namespace

std::optional<std::size_t> head_end(std::string_view buf) {
  const auto p = buf.find("\r\n\r\n");
  if (p == std::string_view::npos) return std::nullopt;
  return p + 4;
}

Head parse_head(std::string_view head) {
  Head h;
  if (head.size() > kMaxHeadBytes) return fail(std::move(h), 431, "request head larger than 16 KiB");
  if (head.size() < 4 || head.substr(head.size() - 4) != "\r\n\r\n") return fail(std::move(h), 400, "malformed request head");
  head.remove_suffix(2);  // each line, the last one included, now ends in CRLF
  // Request line: METHOD SP target SP HTTP/1.x
  auto eol = head.find("\r\n");
  const auto line = head.substr(0, eol);
  head.remove_prefix(eol + 2);
  const auto sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 == std::string_view::npos || sp1 == sp2 || sp1 == 0 || sp1 > 16) return fail(std::move(h), 400, "malformed request line");
  h.method = std::string(line.substr(0, sp1));
  for (char c : h.method)
    if (c < 'A' || c > 'Z') return fail(std::move(h), 400, "malformed request line");
  const auto version = line.substr(sp2 + 1);
  if (version == "HTTP/1.0") h.keep_alive = false;
  else if (version != "HTTP/1.1") return fail(std::move(h), version.substr(0, 5) == "HTTP/" ? 505 : 400, "only HTTP/1.1 and 1.0 are served");
  if (!parse_target(h, line.substr(sp1 + 1, sp2 - sp1 - 1))) return fail(std::move(h), 400, "malformed request target");

  bool have_length = false;
  std::size_t count = 0;
  while (!head.empty()) {
    eol = head.find("\r\n");
    const auto field = head.substr(0, eol);
    head.remove_prefix(eol + 2);
    if (++count > kMaxHeaders) return fail(std::move(h), 431, "too many request headers");
    const auto colon = field.find(':');
    if (colon == 0 || colon == std::string_view::npos) return fail(std::move(h), 400, "malformed header line");
    const auto name = field.substr(0, colon);
    for (char c : name)
      if (!is_tchar(c)) return fail(std::move(h), 400, "malformed header name");
    const auto value = trim(field.substr(colon + 1));
    for (char c : value)
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return fail(std::move(h), 400, "control character in a header");
    if (iequals(name, "Content-Length")) {
      if (value.empty() || value.size() > 12) return fail(std::move(h), 400, "bad Content-Length");
      std::size_t n = 0;
      for (char c : value) {
        if (c < '0' || c > '9') return fail(std::move(h), 400, "bad Content-Length");
        n = n * 10 + static_cast<std::size_t>(c - '0');
      }
      if (have_length && n != h.content_length) return fail(std::move(h), 400, "two different Content-Length headers");
      have_length = true;
      h.content_length = n;
    } else if (iequals(name, "Transfer-Encoding")) {
      // Chunked bodies have no length known up front; refusing them keeps every body's size
      // checked before a byte of it is buffered. Cairn's clients always send Content-Length.
      return fail(std::move(h), 411, "Transfer-Encoding is not accepted; send the body with Content-Length");
    } else if (iequals(name, "Connection")) {
      if (iequals(value, "close")) h.keep_alive = false;
      else if (iequals(value, "keep-alive")) h.keep_alive = true;
    } else if (iequals(name, "Expect")) {
      if (!iequals(value, "100-continue")) return fail(std::move(h), 417, "unsupported Expect header");
      h.expect_continue = true;
    } else if (iequals(name, "X-Cairn-Org-Signature")) {
      h.org_signature = std::string(value);
    }
  }
  if (h.method != "GET" && h.method != "POST") return fail(std::move(h), 405, "only GET and POST are served");
  return h;
}

std::string response(int status, std::string_view body, bool keep_alive) {
  const char* reason = "Error";
  switch (status) {
    case 100: reason = "Continue"; break;
    case 200: reason = "OK"; break;
    case 201: reason = "Created"; break;
    case 202: reason = "Accepted"; break;
    case 204: reason = "No Content"; break;
    case 400: reason = "Bad Request"; break;
    case 401: reason = "Unauthorized"; break;
    case 403: reason = "Forbidden"; break;
    case 404: reason = "Not Found"; break;
    case 405: reason = "Method Not Allowed"; break;
    case 408: reason = "Request Timeout"; break;
    case 409: reason = "Conflict"; break;
    case 411: reason = "Length Required"; break;
    case 413: reason = "Payload Too Large"; break;
    case 417: reason = "Expectation Failed"; break;
    case 429: reason = "Too Many Requests"; break;
    case 431: reason = "Request Header Fields Too Large"; break;
    case 500: reason = "Internal Server Error"; break;
    case 502: reason = "Bad Gateway"; break;
    case 503: reason = "Service Unavailable"; break;
    case 505: reason = "HTTP Version Not Supported"; break;
    default: break;
  }
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  out += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  out += body;
  return out;
}

}  // namespace cairn::aggregator::http
