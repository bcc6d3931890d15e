// consent list | grant | revoke: no passphrase needed (turning off must never wait for one).
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>

#include "cairn/activity_status/status_file.hpp"
#include "cairn/base/clock.hpp"
#include "cairn/base/text.hpp"
#include "cairn/consent/consent.hpp"
#include "commands.hpp"

extern char** environ;

namespace cairn::cli {
namespace {

// On GNOME Wayland the focused window is only known through Cairn's shell extension: granting
// activity enables it for this user (gnome-extensions, no privileges). Says what happened.
void enable_gnome_extension(std::ostream& out) {
  const char* desktop = std::getenv("XDG_CURRENT_DESKTOP");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if (!desktop || !wayland || std::string(desktop).find("GNOME") == std::string::npos) return;
  const char* argv[] = {"gnome-extensions", "enable", "cairn@cairn.local", nullptr};
  pid_t pid = -1;
  int status = -1;
  if (::posix_spawnp(&pid, argv[0], nullptr, nullptr, const_cast<char**>(argv), environ) == 0) ::waitpid(pid, &status, 0);
  if (status == 0)
    out << "GNOME Wayland: enabled the Cairn shell extension (it tells the agent only which application has the "
           "focus). If the agent still reports it missing, log out and in once.\n";
  else
    out << "GNOME Wayland: could not enable the Cairn shell extension; run `gnome-extensions enable "
           "cairn@cairn.local` (then log out and in once), or activity is not collected.\n";
}

}  // namespace

void print_source_settings(Context& ctx, const consent::State& st, records::Source source, const char* indent) {
  auto& out = ctx.io.out();
  auto line = [&](const char* what, const std::string& value) { out << indent << what << safe_outside_text(value) << "\n"; };
  switch (source) {
    case records::Source::activity:
      line("idle after:      ", std::to_string(st.idle_threshold_seconds / 60) + " min without input");
      line("window titles:   ", st.activity_titles ? "collected (activity-titles is on)" : "not collected");
      line("raw spans kept:  ", std::to_string(st.retention_days) + " days");
      if (st.activity) line("now:             ", activity_status::activity_status_line(ctx.paths.data));
      break;
    case records::Source::git:
      for (const auto& r : st.repos) line("repository:      ", r.label + " (" + r.path + ")");
      for (const auto& e : st.emails) line("your email:      ", e);
      if (st.repos.empty()) line("repository:      ", "none named (--repo PATH[=LABEL])");
      line("messages:        ", st.git_messages ? "kept" : "not kept");
      line("history:         ", "all of each repository's history");
      break;
    case records::Source::calendar: {
      for (const auto& c : st.calendars) line("calendar file:   ", c);
      if (st.calendars.empty()) line("calendar file:   ", "none named (--ics FILE)");
      const auto since = local_day(ctx.clock.now(), ctx.clock.utc_offset(ctx.clock.now())) - consent::kCalendarHistoryDays;
      line("history:         ", "meetings since " + day_string(since) + " (two years back) that have ended; older ones are not read");
      line("titles:          ", "never read (nor names, descriptions, locations)");
      break;
    }
    default: break;
  }
}

int cmd_consent_list(Context& ctx) {
  auto st = consent::load(consent::file_in(ctx.paths.config));
  if (!st.ok()) return fail(ctx, st.error());
  auto& out = ctx.io.out();
  for (const auto& d : consent::descriptions()) {
    out << records::source_name(d.source) << " — " << d.title << ": " << (st->enabled(d.source) ? "ON" : "off") << "\n"
        << "  collects:        " << d.collects << "\n"
        << "  never collects:  " << d.never_collects << "\n"
        << "  kept:            " << d.retention << "\n";
    if (d.source != records::Source::self)
      out << "  to erase:        cairn consent revoke " << records::source_name(d.source) << " --delete-data\n";
    print_source_settings(ctx, *st, d.source, "  ");
    out << "\n";
  }
  return kOk;
}

int cmd_consent_grant(Context& ctx, const std::string& name, const std::vector<std::string>& repos,
                      const std::vector<std::string>& emails, const std::vector<std::string>& calendars) {
  auto src = records::source_from_name(name);
  if (!src) return fail(ctx, make_error(Errc::usage, "unknown source \"" + name + "\" (see `cairn consent list`)"));
  auto file = consent::file_in(ctx.paths.config);
  auto st = consent::load(file);
  if (!st.ok()) return fail(ctx, st.error());
  if (*src == records::Source::git && st->repos.empty() && repos.empty())
    return fail(ctx, make_error(Errc::usage, "name at least one repository: --repo PATH[=LABEL]"));
  if (*src == records::Source::git && st->emails.empty() && emails.empty())
    return fail(ctx, make_error(Errc::usage, "name the email(s) you commit with: --email ADDRESS"));
  if (*src == records::Source::calendar && st->calendars.empty() && calendars.empty())
    return fail(ctx, make_error(Errc::usage, "name at least one exported calendar: --ics FILE"));
  for (const auto& r : repos) {
    auto eq = r.find('=');
    std::filesystem::path path = r.substr(0, eq);
    std::error_code ec;
    auto abs = std::filesystem::absolute(path, ec);
    consent::Repo repo{abs.string(), eq == std::string::npos ? abs.filename().string() : r.substr(eq + 1)};
    st->repos.push_back(repo);
  }
  for (const auto& e : emails) st->emails.push_back(e);
  for (const auto& c : calendars) {
    std::error_code ec;
    st->calendars.push_back(std::filesystem::absolute(c, ec).string());
  }
  // Settings first, then the switch: grant() re-reads the file and appends the event.
  if (auto s = consent::save(file, *st); !s.ok()) return fail(ctx, s.error());
  if (auto s = consent::grant(ctx.paths.config, *src, ctx.clock.now()); !s.ok()) return fail(ctx, s.error());
  ctx.io.out() << "Collection of " << name << " is on. A running agent picks it up within a second.\n";
  if (*src == records::Source::activity) enable_gnome_extension(ctx.io.out());
  return kOk;
}

int cmd_consent_revoke(Context& ctx, const std::string& name, bool delete_data) {
  auto src = records::source_from_name(name);
  if (!src) return fail(ctx, make_error(Errc::usage, "unknown source \"" + name + "\" (see `cairn consent list`)"));
  if (auto s = consent::revoke(ctx.paths.config, *src, delete_data, ctx.clock.now()); !s.ok()) return fail(ctx, s.error());
  ctx.io.out() << "Collection of " << name << " is off; a running agent stops within a second.\n";
  if (delete_data) ctx.io.out() << "Its stored records will be deleted at the next unlock.\n";
  return kOk;
}

}  // namespace cairn::cli
