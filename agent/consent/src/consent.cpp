// consent.conf: a plain "key = value" file, one setting per line, '#' comments. Unknown keys are
// an error (a typo must not silently leave a source on). Written atomically; see consent.hpp.
#include "cairn/consent/consent.hpp"

#include <charconv>
#include <sstream>

#include "cairn/base/files.hpp"

namespace cairn::consent {
namespace {

std::string trim(std::string_view s) {
  std::size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r')) --b;
  return std::string(s.substr(a, b - a));
}

Result<bool> parse_bool(const std::string& v, int line) {
  if (v == "on" || v == "yes" || v == "true") return true;
  if (v == "off" || v == "no" || v == "false") return false;
  return make_error(Errc::corrupt, "consent.conf line " + std::to_string(line) + ": expected on or off");
}

Result<int> parse_int(const std::string& v, int line, int lo, int hi) {
  int out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size() || out < lo || out > hi)
    return make_error(Errc::corrupt, "consent.conf line " + std::to_string(line) + ": expected a number from " +
                                         std::to_string(lo) + " to " + std::to_string(hi));
  return out;
}

}  // namespace

bool State::enabled(Source s) const {
  switch (s) {
    case Source::activity: return activity;
    case Source::activity_titles: return activity && activity_titles;
    case Source::git: return git;
    case Source::calendar: return calendar;
    case Source::self: return self;
  }
  return false;
}

void State::set(Source s, bool on) {
  switch (s) {
    case Source::activity: activity = on; if (!on) activity_titles = false; break;
    case Source::activity_titles: activity_titles = on; break;
    case Source::git: git = on; break;
    case Source::calendar: calendar = on; break;
    case Source::self: self = on; break;
  }
}

const std::vector<Description>& descriptions() {
  static const std::vector<Description> d = {
      {Source::activity, "Desktop activity (X11)",
       "Which application is in front (its class, e.g. \"code\" or \"firefox\"), mapped to a category by rules you "
       "can edit; when you are active or idle; how often you switch applications.",
       "Keystrokes, screenshots, window contents, and window titles (unless you also allow window titles).",
       "Raw spans are kept for 365 days in the encrypted store; day totals stay until you delete them."},
      {Source::activity_titles, "Window titles",
       "The title of the window in front, to help you recognise what you worked on.",
       "Titles never leave this device, not even in shared aggregates.",
       "Kept with the activity spans until you delete them."},
      {Source::git, "Git commits",
       "Commits you authored in repositories you list: time, lines added and removed, files touched, and whether an "
       "AI assistant co-authored them (from Co-authored-by, Assisted-by and Generated-by trailers).",
       "Source code, diffs, file names, and commit messages (unless you allow messages).",
       "Kept in the encrypted store until you delete them."},
      {Source::calendar, "Calendar meetings",
       "Meetings from .ics files you point to, up to two years back: start, duration, number of attendees, whether it "
       "repeats, 1:1 or group.",
       "Titles, attendees' names, descriptions and locations.",
       "Kept in the encrypted store until you delete them."},
      {Source::self, "What you log yourself",
       "Contributions you write down (what changed and for whom, impact kind, skills, evidence links, AI-assisted), "
       "weekly reflections and goals.",
       "Nothing is added that you did not write.",
       "Kept in the encrypted store until you delete it."},
  };
  return d;
}

Result<State> parse(const std::string& text) {
  if (text.size() > kConsentMaxBytes) return make_error(Errc::too_large, "consent.conf is larger than 256 KiB");
  State st;
  st.self = true;
  std::istringstream in(text);
  std::string raw;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    std::string l = trim(raw);
    if (l.empty() || l[0] == '#') continue;
    auto eq = l.find('=');
    if (eq == std::string::npos)
      return make_error(Errc::corrupt, "consent.conf line " + std::to_string(line) + ": expected key = value");
    std::string key = trim(l.substr(0, eq)), value = trim(l.substr(eq + 1));
    if (key == "activity") st.activity = CAIRN_TRY(parse_bool(value, line));
    else if (key == "activity-titles") st.activity_titles = CAIRN_TRY(parse_bool(value, line));
    else if (key == "git") st.git = CAIRN_TRY(parse_bool(value, line));
    else if (key == "git.messages") st.git_messages = CAIRN_TRY(parse_bool(value, line));
    else if (key == "calendar") st.calendar = CAIRN_TRY(parse_bool(value, line));
    else if (key == "self") st.self = CAIRN_TRY(parse_bool(value, line));
    else if (key == "git.email") st.emails.push_back(value);
    else if (key == "calendar.file") st.calendars.push_back(value);
    else if (key == "git.repo") {
      // "git.repo = /path/to/repo | label"
      auto bar = value.find('|');
      Repo r{trim(value.substr(0, bar)), bar == std::string::npos ? "" : trim(value.substr(bar + 1))};
      if (r.path.empty()) return make_error(Errc::corrupt, "consent.conf line " + std::to_string(line) + ": empty path");
      // Trimmed like an explicit label, so that writing the file and reading it back agrees.
      if (r.label.empty()) r.label = trim(std::filesystem::path(r.path).filename().string());
      st.repos.push_back(std::move(r));
    } else if (key == "idle-threshold") st.idle_threshold_seconds = CAIRN_TRY(parse_int(value, line, 30, 3600));
    else if (key == "batch-interval") st.batch_interval_seconds = CAIRN_TRY(parse_int(value, line, 1, 60));
    else if (key == "retention-days") st.retention_days = CAIRN_TRY(parse_int(value, line, 7, 3650));
    else
      return make_error(Errc::corrupt, "consent.conf line " + std::to_string(line) + ": unknown setting \"" + key + "\"");
  }
  return st;
}

std::string serialise(const State& st) {
  auto onoff = [](bool b) { return b ? "on" : "off"; };
  std::ostringstream o;
  o << "# Cairn consent: which signals this computer may collect. Everything is off until you turn it on.\n"
       "# Turning a source off never needs your passphrase; the agent stops within a second.\n"
       "# Edit with `cairn consent grant|revoke SOURCE` or the panel's Sources view.\n";
  o << "activity = " << onoff(st.activity) << "\n";
  o << "activity-titles = " << onoff(st.activity_titles) << "\n";
  o << "git = " << onoff(st.git) << "\n";
  o << "git.messages = " << onoff(st.git_messages) << "\n";
  for (const auto& r : st.repos) o << "git.repo = " << r.path << " | " << r.label << "\n";
  for (const auto& e : st.emails) o << "git.email = " << e << "\n";
  o << "calendar = " << onoff(st.calendar) << "\n";
  for (const auto& c : st.calendars) o << "calendar.file = " << c << "\n";
  o << "self = " << onoff(st.self) << "\n";
  o << "idle-threshold = " << st.idle_threshold_seconds << "\n";
  o << "batch-interval = " << st.batch_interval_seconds << "\n";
  o << "retention-days = " << st.retention_days << "\n";
  return o.str();
}

Result<State> load(const std::filesystem::path& file) {
  auto text = fs::read_text_file(file, kConsentMaxBytes);
  if (!text.ok()) {
    if (text.error().code == Errc::not_found) return State{};
    return text.error();
  }
  return parse(*text);
}

Status save(const std::filesystem::path& file, const State& state) {
  CAIRN_TRY(fs::ensure_private_dir(file.parent_path()));
  return fs::write_file_atomic(file, serialise(state));
}

Status append_event(const std::filesystem::path& log, Event event) {
  auto existing = CAIRN_TRY(read_events(log));
  event.seq = existing.empty() ? 1 : existing.back().seq + 1;
  std::string text;
  auto old = fs::read_text_file(log, kConsentMaxBytes * 4);
  if (old.ok()) text = std::move(old).value();
  auto clean = [](std::string s) {
    for (auto& c : s) if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
  };
  text += std::to_string(event.seq) + "\t" + std::to_string(event.time) + "\t" + clean(event.source) + "\t" +
          clean(event.action) + "\t" + clean(event.detail) + "\n";
  CAIRN_TRY(fs::ensure_private_dir(log.parent_path()));
  return fs::write_file_atomic(log, text);
}

Result<std::vector<Event>> read_events(const std::filesystem::path& log) {
  auto text = fs::read_text_file(log, kConsentMaxBytes * 4);
  std::vector<Event> out;
  if (!text.ok()) {
    if (text.error().code == Errc::not_found) return out;
    return text.error();
  }
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::size_t a = 0;
    for (int i = 0; i < 4; ++i) {
      auto t = line.find('\t', a);
      if (t == std::string::npos) return make_error(Errc::corrupt, "consent-events.log is damaged");
      f.push_back(line.substr(a, t - a));
      a = t + 1;
    }
    f.push_back(line.substr(a));
    Event e;
    try {
      e.seq = std::stoll(f[0]);
      e.time = std::stoll(f[1]);
    } catch (...) {
      return make_error(Errc::corrupt, "consent-events.log is damaged");
    }
    e.source = f[2];
    e.action = f[3];
    e.detail = f[4];
    out.push_back(std::move(e));
  }
  return out;
}

Status grant(const std::filesystem::path& config_dir, Source s, std::int64_t now) {
  auto st = CAIRN_TRY(load(file_in(config_dir)));
  if (s == Source::activity_titles && !st.activity)
    return make_error(Errc::refused, "window titles need the activity source: grant activity first");
  st.set(s, true);
  CAIRN_TRY(save(file_in(config_dir), st));
  return append_event(events_in(config_dir), {0, now, records::source_name(s), "grant", "turned on"});
}

Status revoke(const std::filesystem::path& config_dir, Source s, bool delete_data, std::int64_t now) {
  auto st = CAIRN_TRY(load(file_in(config_dir)));
  st.set(s, false);
  CAIRN_TRY(save(file_in(config_dir), st));
  CAIRN_TRY(append_event(events_in(config_dir), {0, now, records::source_name(s), "revoke", "turned off"}));
  if (delete_data)
    CAIRN_TRY(append_event(events_in(config_dir), {0, now, records::source_name(s), "delete-data", "requested"}));
  return ok_status();
}

}  // namespace cairn::consent
