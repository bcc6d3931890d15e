// The in-process calendar scan service: request in, response out, each file isolated from the
// others. The uid key is wiped once the files are parsed.
#include "cairn/calendar/scan_service.hpp"

#include <string.h>  // explicit_bzero

#include <array>
#include <cctype>

#include "cairn/calendar/parse.hpp"
#include "cairn/scan/serve.hpp"

namespace cairn::calendar {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The request parser already checked the length and the digits.
std::array<std::uint8_t, kUidKeyBytes> decode_key(const std::string& hex) {
  std::array<std::uint8_t, kUidKeyBytes> key{};
  for (std::size_t i = 0; i < key.size() && 2 * i + 1 < hex.size(); ++i)
    key[i] = static_cast<std::uint8_t>(hex_value(hex[2 * i]) * 16 + hex_value(hex[2 * i + 1]));
  return key;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

scan::ScanResponse run_calendar_scan(const scan::ScanRequest& request, const Clock& clock) {
  scan::ScanResponse response;
  for (const auto& repo : request.git) {
    scan::GitRepoResponse out;
    out.label = repo.label;
    out.error = scan::not_read_here(kCalendarHelperName);
    response.git.push_back(std::move(out));
  }
  if (request.calendar.empty()) return response;
  auto key = decode_key(request.uid_key_hex);
  ParseOptions options;
  options.from = request.from;
  options.to = request.to;
  options.clock = &clock;
  for (const auto& e : request.emails) options.self_emails.push_back(lower(e));
  for (const auto& file : request.calendar) {
    scan::CalendarFileResponse out;
    out.path = file.path;
    if (auto parsed = parse_calendar_file(file.path, UidKey(key), options); parsed) {
      out.skipped = parsed->skipped;
      out.meetings = std::move(parsed->meetings);
    } else {
      out.error = scan::SourceError{parsed.error().code, parsed.error().message};
    }
    response.calendar.push_back(std::move(out));
  }
  explicit_bzero(key.data(), key.size());
  return response;
}

}  // namespace cairn::calendar
