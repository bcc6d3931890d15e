// Consent: which sources the employee allowed, and their settings, in a plain text file the daemon
// watches (config dir, consent.conf). No secret is needed to read or change it, so turning a source
// off never waits for the passphrase; turning one on only happens through an explicit command or
// the panel. Every change is also appended to consent-events.log (time, source, action), which
// the next unlock imports into the store's consent log exactly once.
//
// Thread safety: free functions over files; writers replace files atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cairn/records/records.hpp"
#include "cairn/base/result.hpp"

namespace cairn::consent {

using records::Source;

inline constexpr std::size_t kConsentMaxBytes = 256 * 1024;
// How far back the calendar source reads an .ics file: meetings that ended in the last two years
// (the agent's scan window; git reads a repository's whole history). Shown by `cairn consent list`
// and `cairn status`; docs/privacy.md.
inline constexpr std::int64_t kCalendarHistoryDays = 2 * 365;

struct Repo {
  std::string path;
  std::string label;  // shown in the panel and stored with commits instead of the path
};

struct State {
  bool activity = false;
  bool activity_titles = false;
  bool git = false;
  bool git_messages = false;  // keep commit messages (off unless asked)
  bool calendar = false;
  bool self = true;  // writing into your own record is always the employee's act
  std::vector<Repo> repos;
  std::vector<std::string> emails;       // author emails that are "me"
  std::vector<std::string> calendars;    // .ics files
  int idle_threshold_seconds = 180;
  int batch_interval_seconds = 60;
  int retention_days = 365;              // raw spans older than this are dropped at import

  bool enabled(Source s) const;
  void set(Source s, bool on);
};

// Plain words shown by `cairn consent list` and the panel.
struct Description {
  Source source;
  const char* title;
  const char* collects;
  const char* never_collects;
  const char* retention;
};
const std::vector<Description>& descriptions();

// A missing file means "everything off" (self on).
Result<State> load(const std::filesystem::path& file);
Status save(const std::filesystem::path& file, const State& state);
Result<State> parse(const std::string& text);
std::string serialise(const State& state);

// --- the change log the store imports --------------------------------------------------------
struct Event {
  std::int64_t seq = 0;
  std::int64_t time = 0;
  std::string source;
  std::string action;  // "grant", "revoke", "delete-data", "settings"
  std::string detail;  // plain words, never a record value
};
Status append_event(const std::filesystem::path& log, Event event);  // assigns seq
Result<std::vector<Event>> read_events(const std::filesystem::path& log);

// Grants or revokes one source, saving the file and appending the event. revoke_delete asks for
// the source's stored records to be deleted (now if the store is open, else at the next unlock).
Status grant(const std::filesystem::path& config_dir, Source s, std::int64_t now);
Status revoke(const std::filesystem::path& config_dir, Source s, bool delete_data, std::int64_t now);

inline std::filesystem::path file_in(const std::filesystem::path& config_dir) { return config_dir / "consent.conf"; }
inline std::filesystem::path events_in(const std::filesystem::path& config_dir) { return config_dir / "consent-events.log"; }

}  // namespace cairn::consent
