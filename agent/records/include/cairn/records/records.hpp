// The records Cairn collects, as plain values shared by the sources (which produce them), the
// sealed inbox (which carries them) and the store (which keeps them). Nothing here touches a file,
// a key or a window system.
//
// Time: every record holds UTC instants in whole seconds since the Unix epoch plus the local UTC
// offset in seconds that was in force at its start; days and ISO weeks are cut in local time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cairn::records {

using Instant = std::int64_t;  // seconds since 1970-01-01T00:00:00Z

// The consentable sources. Their names are part of the config file, the inbox and the CLI.
enum class Source { activity, activity_titles, git, calendar, self };
const char* source_name(Source s);
std::optional<Source> source_from_name(const std::string& name);

// Activity categories an application class maps to (editable rules, agent/activity).
inline constexpr const char* kCategories[] = {"development", "communication", "meetings", "documents",
                                              "ai-assistant", "browsing", "other"};

// One interval of desktop time: either an active application or idle.
struct ActivitySpan {
  Instant start = 0;
  Instant end = 0;          // exclusive; end >= start
  std::int32_t utc_offset = 0;
  bool idle = false;
  std::string app_class;    // WM_CLASS class of the active window; empty when idle
  std::string category;     // one of kCategories; "idle" when idle
  std::optional<std::string> title;  // only with the activity-titles consent; never leaves the device
};

// One commit authored by the employee in a repository they listed.
struct CommitRecord {
  std::string repo;         // the employee's label for the repository (never its remote URL)
  std::string id;           // commit id, hex
  Instant time = 0;         // author time
  std::int32_t utc_offset = 0;
  std::int32_t lines_added = 0;
  std::int32_t lines_removed = 0;
  std::int32_t files_changed = 0;
  bool ai_assisted = false;
  std::string ai_tool;      // the assistant named in a trailer, empty if none
  std::optional<std::string> message;  // only with consent for messages
};

// One meeting from an exported calendar. Titles, names and descriptions are never kept.
struct MeetingRecord {
  std::string uid;          // keyed hash of the event UID and occurrence start, hex (stable, opaque)
  Instant start = 0;
  Instant end = 0;
  std::int32_t utc_offset = 0;
  std::int32_t attendees = 0;
  bool recurring = false;
  bool one_on_one = false;
};

// Impact kinds of a self-logged contribution (the seeds' four shifts).
enum class ImpactKind { impact, long_term, system, judgment };
const char* impact_kind_name(ImpactKind k);
std::optional<ImpactKind> impact_kind_from_name(const std::string& name);

struct Contribution {
  std::int64_t id = 0;      // assigned by the store
  Instant time = 0;
  std::int32_t utc_offset = 0;
  std::string text;         // what changed and for whom
  ImpactKind kind = ImpactKind::impact;
  std::vector<std::string> skills;
  std::vector<std::string> links;
  bool ai_assisted = false;
  std::optional<std::int64_t> goal_id;
};

}  // namespace cairn::records
