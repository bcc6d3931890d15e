// consent list | grant | revoke: no passphrase needed (turning off must never wait for one).
#include "cairn/consent/consent.hpp"
#include "commands.hpp"

namespace cairn::cli {

int cmd_consent_list(Context& ctx) {
  auto st = consent::load(consent::file_in(ctx.paths.config));
  if (!st.ok()) return fail(ctx, st.error());
  auto& out = ctx.io.out();
  for (const auto& d : consent::descriptions()) {
    out << records::source_name(d.source) << " — " << d.title << ": " << (st->enabled(d.source) ? "ON" : "off") << "\n"
        << "  collects:        " << d.collects << "\n"
        << "  never collects:  " << d.never_collects << "\n"
        << "  kept:            " << d.retention << "\n";
    if (d.source == records::Source::git) {
      for (const auto& r : st->repos) out << "  repository:      " << r.label << " (" << r.path << ")\n";
      for (const auto& e : st->emails) out << "  your email:      " << e << "\n";
    }
    if (d.source == records::Source::calendar)
      for (const auto& c : st->calendars) out << "  calendar file:   " << c << "\n";
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
