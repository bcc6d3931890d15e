// What the daemon collects and how it hands it over: consent changes, the activity monitor, the
// scan children (cairn-scan for git, cairn-scan-calendar for calendars), and sealing batches into
// the inbox.
#include <algorithm>
#include <sstream>

#include "cairn/base/files.hpp"
#include "cairn/base/text.hpp"
#include "cairn/scan/child.hpp"
#include "cairn/inbox/batch.hpp"
#include "impl.hpp"

namespace cairn::daemon {
namespace {

constexpr std::size_t kMaxPendingSpans = 200000;      // a disk that stays full: keep the newest
// Meetings as far back as the .ics holds, bounded: the last two years (consent.hpp, shown by
// `cairn consent list` and `status`; docs/privacy.md). Git reads each repository's whole history.
constexpr std::int64_t kCalendarWindow = consent::kCalendarHistoryDays * 86400;
// A file read in full and unchanged since is rescanned over the last two weeks only: enough for the
// meetings that ended since (a rescan runs every 15 minutes), and a fraction of the cost.
constexpr std::int64_t kRecentWindow = 14 * 86400;
// Keys of meetings already sealed are kept a month past the window, then forgotten.
constexpr std::int64_t kSentMeetingsKept = kCalendarWindow + 30 * 86400;

std::string state_file_name(const std::string& repo_path) {
  auto h = crypto::generichash(crypto::as_bytes(repo_path));
  return "git-" + crypto::to_hex(crypto::ByteView(h.data(), 8)) + ".state";
}

// "mtime size" of a file, "" when it cannot be read (then it is read in full next time).
std::string file_stamp(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return "";
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec) return "";
  return std::to_string(mtime.time_since_epoch().count()) + " " + std::to_string(size);
}

std::string meeting_key(const records::MeetingRecord& m) {
  return m.uid + " " + std::to_string(m.start) + " " + std::to_string(m.end);
}

// The key that makes meeting uids opaque. Not a secret that opens anything: it only keeps a
// calendar's UIDs from being linkable across devices. Created once, 0600.
Result<std::string> uid_key_hex(const std::filesystem::path& dir) {
  auto file = dir / "meeting-uid.key";
  auto text = fs::read_text_file(file, 256);
  if (text.ok() && text->size() >= 64) return text->substr(0, 64);
  std::uint8_t key[32];
  crypto::random_bytes(key);
  auto hex = crypto::to_hex(key);
  CAIRN_TRY(fs::write_file_atomic(file, hex + "\n"));
  return hex;
}

}  // namespace

Status Daemon::Impl::load_consent() {
  auto st = consent::load(opt.paths.consent());
  if (!st.ok()) return st.error();
  consent = *st;
  return ok_status();
}

void Daemon::Impl::open_monitor() {
  activity::MonitorOptions mo;
  mo.display = opt.display;
  mo.wayland_display = opt.wayland_display;
  mo.kwin_script_dir = opt.kwin_script_dir;
  mo.idle_threshold_s = consent.idle_threshold_seconds;
  mo.collect_titles = consent.enabled(records::Source::activity_titles);
  auto rules_file = activity::CategoryRules::load(opt.paths.activity_rules());
  if (rules_file.ok()) rules = *rules_file;
  else if (rules_file.error().code == Errc::not_found) (void)activity::write_default_rules(opt.paths.activity_rules());
  else log(rules_file.error().message + "; using the built-in rules");
  auto m = opt.open_activity(clock, rules, mo, opt.session_env, &session);
  if (!m.ok()) {
    // Said once per distinct reason, not every 30 s.
    if (m.error().message != last_open_error) log("activity: " + m.error().message + "; retrying every 30 s");
    last_open_error = m.error().message;
    write_activity_status("unavailable", activity::family_name(session.family), m.error().message);
    x_retry_at = clock.now() + 30;
    return;
  }
  monitor = std::move(m).value();
  x_retry_at = 0;
  last_open_error.clear();
  log(std::string("activity: watching the ") + activity::describe(session) + " session (" + monitor->status() + ")");
  write_activity_status("collecting", monitor->backend(), activity::describe(session) + ": " + monitor->status());
}

void Daemon::Impl::close_monitor(bool keep_spans) {
  if (!monitor) return;
  auto rest = monitor->stop(clock.now());
  if (keep_spans) spans.insert(spans.end(), rest.begin(), rest.end());
  monitor.reset();
}

void Daemon::Impl::apply_consent(const consent::State& before) {
  const Instant now = clock.now();
  // Turning off: stop at once and drop what was not yet sealed. Collecting less is the default.
  if (!consent.activity) {
    close_monitor(false);
    spans.clear();
    x_retry_at = 0;
    write_activity_status("off", "none", "the activity consent is off");
  } else if (!monitor) {
    open_monitor();
  } else {
    bool titles = consent.enabled(records::Source::activity_titles);
    if (monitor->collect_titles() != titles) {
      monitor->set_collect_titles(titles, now);
      write_activity_status("collecting", monitor->backend(), activity::describe(session) + ": " + monitor->status());
    }
    if (!titles)
      for (auto& s : spans) s.title.reset();
  }
  if (!consent.git) {
    commits.clear();
    git_states.clear();
  }
  if (!consent.calendar) {
    meetings.clear();
    new_sent_meetings.clear();
    calendar_seen.clear();
  }
  bool sources_changed = consent.git != before.git || consent.calendar != before.calendar ||
                         consent.repos.size() != before.repos.size() || consent.calendars != before.calendars ||
                         consent.emails != before.emails;
  if ((consent.git || consent.calendar) && sources_changed) scan_at = now;  // scan right away
  if (!consent.git && !consent.calendar) scan_at = 0;
  rearm_watches();
}

void Daemon::Impl::rearm_watches() {
  watcher.clear();
  watcher.add(opt.paths.config, "consent.conf", "consent");
  watcher.add(opt.paths.config, "activity-rules.conf", "rules");
  if (consent.git)
    for (const auto& r : consent.repos) {
      // logs/HEAD grows with every commit, checkout and reset; refs may be packed elsewhere, so
      // the periodic rescan is the fallback.
      watcher.add(std::filesystem::path(r.path) / ".git" / "logs", "HEAD", "sources");
      watcher.add(std::filesystem::path(r.path) / "logs", "HEAD", "sources");  // bare repositories
    }
  if (consent.calendar)
    for (const auto& c : consent.calendars) {
      std::filesystem::path p(c);
      watcher.add(p.parent_path(), p.filename().string(), "sources");
    }
}

void Daemon::Impl::run_scans() {
  if (!consent.git && !consent.calendar) return;
  const Instant now = clock.now();
  std::size_t new_commits = 0, new_meetings = 0;
  // Two helpers, each linking only its parser (cairn-scan: libgit2; cairn-scan-calendar: libical),
  // so the unit's peak is the larger of them, not their sum.
  if (consent.git) {
    scan::ScanRequest req;
    req.emails = consent.emails;
    req.keep_messages = consent.git_messages;
    auto assistants = opt.paths.config / "assistants.txt";
    if (std::filesystem::exists(assistants)) req.assistants_file = assistants.string();
    for (const auto& r : consent.repos) {
      std::string state;
      if (auto it = git_states.find(r.path); it != git_states.end()) state = it->second;  // not yet persisted
      else if (auto t = fs::read_text_file(state_dir() / state_file_name(r.path), 1 << 20); t.ok()) state = *t;
      req.git.push_back({r.path, r.label, state});
    }
    auto resp = scan::run_scan_child(opt.scan_executable, req);
    if (!resp.ok()) {
      log("scan: " + resp.error().message);
    } else {
      for (std::size_t i = 0; i < resp->git.size() && i < req.git.size(); ++i) {
        auto& g = resp->git[i];
        if (g.error) {
          log("git: repository \"" + req.git[i].label + "\": " + g.error->message);
          continue;
        }
        new_commits += g.commits.size();
        commits.insert(commits.end(), g.commits.begin(), g.commits.end());
        git_states[req.git[i].path] = g.state;
      }
    }
  }
  std::vector<std::string> stamps;
  if (consent.calendar) {
    scan::ScanRequest req;
    auto key = uid_key_hex(state_dir());
    if (!key.ok()) {
      log(key.error().message);
    } else {
      req.uid_key_hex = *key;
      req.emails = consent.emails;
      for (const auto& c : consent.calendars) {
        req.calendar.push_back({c});
        stamps.push_back(file_stamp(c));
      }
      req.from = calendar_from(now, stamps);
      req.to = now;
      auto resp = scan::run_scan_child(opt.calendar_scan_executable, req);
      if (!resp.ok()) {
        log("scan: " + resp.error().message);
      } else {
        const std::size_t meetings_before = meetings.size();
        take_calendar_results(*resp, stamps, now);
        new_meetings = meetings.size() - meetings_before;
      }
    }
  }
  if (opt.verbose) log("scan: " + count_text(new_commits, "new commit", "new commits") + ", " +
                       count_text(new_meetings, "new meeting", "new meetings"));
}

Instant Daemon::Impl::calendar_from(Instant now, const std::vector<std::string>& stamps) const {
  for (std::size_t i = 0; i < stamps.size() && i < consent.calendars.size(); ++i) {
    auto it = calendar_seen.find(consent.calendars[i]);
    if (stamps[i].empty() || it == calendar_seen.end() || it->second != stamps[i]) return now - kCalendarWindow;
  }
  return now - kRecentWindow;
}

void Daemon::Impl::take_calendar_results(scan::ScanResponse& resp, const std::vector<std::string>& stamps, Instant now) {
  for (std::size_t i = 0; i < resp.calendar.size(); ++i) {
    auto& c = resp.calendar[i];
    if (c.error) {
      log("calendar: " + c.error->message);
      continue;
    }
    // Read in full now (the stamp taken before the scan: a file changed meanwhile is read again).
    if (i < stamps.size() && i < consent.calendars.size() && !stamps[i].empty()) calendar_seen[consent.calendars[i]] = stamps[i];
    for (auto& m : c.meetings) {
      if (m.end > now) continue;  // only meetings that took place
      auto k = meeting_key(m);
      if (sent_meetings.count(k) || new_sent_meetings.count(k)) continue;
      new_sent_meetings.insert(k);
      meetings.push_back(m);
    }
  }
}

Status Daemon::Impl::load_sent_meetings() {
  auto text = fs::read_text_file(state_dir() / "calendar-sent", 16 << 20);
  if (!text.ok()) return text.error().code == Errc::not_found ? ok_status() : Status(text.error());
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) sent_meetings.insert(line);
  return ok_status();
}

Status Daemon::Impl::flush_batch() {
  const Instant now = clock.now();
  if (monitor) {
    auto more = monitor->checkpoint(now);
    spans.insert(spans.end(), more.begin(), more.end());
  }
  if (spans.size() > kMaxPendingSpans) spans.erase(spans.begin(), spans.end() - kMaxPendingSpans);
  if (spans.empty() && commits.empty() && meetings.empty()) return ok_status();
  inbox::Batch batch;
  batch.id = inbox::new_batch_id();
  batch.created = now;
  batch.spans = spans;
  batch.commits = commits;
  batch.meetings = meetings;
  CAIRN_TRY(inbox::write_batch(opt.paths.inbox(), batch, inbox_key));
  if (opt.verbose)
    log("sealed a batch: " + count_text(spans.size(), "span", "spans") + ", " +
        count_text(commits.size(), "commit", "commits") + ", " + count_text(meetings.size(), "meeting", "meetings"));
  spans.clear();
  commits.clear();
  meetings.clear();
  // Only now that the records are sealed may the scan states move forward: a crash before this
  // point rescans and re-finds the same commits (the store ignores duplicates).
  for (const auto& [path, state] : git_states)
    if (auto st = fs::write_file_atomic(state_dir() / state_file_name(path), state); !st.ok()) log(st.error().message);
  git_states.clear();
  if (!new_sent_meetings.empty()) {
    sent_meetings.insert(new_sent_meetings.begin(), new_sent_meetings.end());
    new_sent_meetings.clear();
    // Forget meetings that left the window: the scan no longer returns them.
    std::string text;
    for (auto it = sent_meetings.begin(); it != sent_meetings.end();) {
      std::istringstream f(*it);
      std::string uid;
      Instant s = 0, e = 0;
      f >> uid >> s >> e;
      if (e < now - kSentMeetingsKept) it = sent_meetings.erase(it);
      else text += *it++ + "\n";
    }
    if (auto st = fs::write_file_atomic(state_dir() / "calendar-sent", text); !st.ok()) log(st.error().message);
  }
  return ok_status();
}

}  // namespace cairn::daemon
