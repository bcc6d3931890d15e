// The in-process scan service: request in, response out, each source isolated from the others.
#include "cairn/gitsrc/scan_service.hpp"

#include <string.h>  // explicit_bzero

#include <array>
#include <cctype>

#include "cairn/calendar/parse.hpp"
#include "cairn/gitsrc/assistants.hpp"
#include "cairn/gitsrc/scan.hpp"

namespace cairn::gitsrc {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The request parser already checked the length and the digits.
std::array<std::uint8_t, calendar::kUidKeyBytes> decode_key(const std::string& hex) {
  std::array<std::uint8_t, calendar::kUidKeyBytes> key{};
  for (std::size_t i = 0; i < key.size() && 2 * i + 1 < hex.size(); ++i)
    key[i] = static_cast<std::uint8_t>(hex_value(hex[2 * i]) * 16 + hex_value(hex[2 * i + 1]));
  return key;
}

scan::SourceError as_source_error(const Error& e) { return scan::SourceError{e.code, e.message}; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

scan::ScanResponse run_scan(const scan::ScanRequest& request, const Clock& clock) {
  scan::ScanResponse response;

  if (!request.git.empty()) {
    Result<AssistantList> assistants = request.assistants_file ? load_assistants(*request.assistants_file)
                                                               : Result<AssistantList>(default_assistants());
    ScanOptions options;
    options.author_emails = request.emails;
    options.keep_messages = request.keep_messages;
    options.since = request.since.value_or(clock.now() - kDefaultFirstScanDays * 86400);
    if (assistants) options.assistants = &*assistants;
    for (const auto& repo : request.git) {
      scan::GitRepoResponse out;
      out.label = repo.label;
      if (!assistants) {
        out.error = as_source_error(assistants.error());
      } else if (auto scanned = scan_repository(repo.path, repo.label, options, repo.state); scanned) {
        out.state = std::move(scanned->state);
        out.visited = scanned->visited;
        out.commits = std::move(scanned->commits);
      } else {
        out.error = as_source_error(scanned.error());
      }
      response.git.push_back(std::move(out));
    }
  }

  if (!request.calendar.empty()) {
    auto key = decode_key(request.uid_key_hex);
    calendar::ParseOptions options;
    options.from = request.from;
    options.to = request.to;
    options.clock = &clock;
    for (const auto& e : request.emails) options.self_emails.push_back(lower(e));
    for (const auto& file : request.calendar) {
      scan::CalendarFileResponse out;
      out.path = file.path;
      if (auto parsed = calendar::parse_calendar_file(file.path, calendar::UidKey(key), options); parsed) {
        out.skipped = parsed->skipped;
        out.meetings = std::move(parsed->meetings);
      } else {
        out.error = as_source_error(parsed.error());
      }
      response.calendar.push_back(std::move(out));
    }
    explicit_bzero(key.data(), key.size());
  }
  return response;
}

int serve_scan(std::FILE* in, std::FILE* out, std::FILE* err, const Clock& clock) {
  std::string text;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) {
    text.append(buf, n);
    if (text.size() > scan::kMaxRequestBytes) {
      std::fprintf(err, "cairn-scan: request is larger than 16 MiB\n");
      return scan::kScanBadRequestExit;
    }
  }
  if (std::ferror(in)) {
    std::fprintf(err, "cairn-scan: cannot read the request from stdin\n");
    return scan::kScanBadRequestExit;
  }
  auto request = scan::parse_request(text);
  if (!request) {
    std::fprintf(err, "cairn-scan: %s\n", request.error().message.c_str());
    return scan::kScanBadRequestExit;
  }
  const std::string response = scan::encode_response(run_scan(*request, clock));
  if (std::fwrite(response.data(), 1, response.size(), out) != response.size() || std::fputc('\n', out) == EOF ||
      std::fflush(out) != 0) {
    std::fprintf(err, "cairn-scan: cannot write the response\n");
    return 1;
  }
  return 0;
}

}  // namespace cairn::gitsrc
