// The in-process git scan service: request in, response out, each repository isolated from the
// others.
#include "cairn/gitsrc/scan_service.hpp"

#include "cairn/gitsrc/assistants.hpp"
#include "cairn/gitsrc/scan.hpp"
#include "cairn/scan/serve.hpp"

namespace cairn::gitsrc {

namespace {

scan::SourceError as_source_error(const Error& e) { return scan::SourceError{e.code, e.message}; }

}  // namespace

scan::ScanResponse run_git_scan(const scan::ScanRequest& request, const Clock& clock) {
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
  for (const auto& file : request.calendar) {
    scan::CalendarFileResponse out;
    out.path = file.path;
    out.error = scan::not_read_here(kGitHelperName);
    response.calendar.push_back(std::move(out));
  }
  return response;
}

}  // namespace cairn::gitsrc
