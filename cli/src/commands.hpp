// The subcommands of `cairn`, one function each; app.cpp parses arguments and calls them.
#pragma once

#include <string>
#include <vector>

#include "cairn/consent/consent.hpp"
#include "session.hpp"

namespace cairn::cli {

int cmd_init(Context& ctx, bool weak_ok);
int cmd_status(Context& ctx);
int cmd_passwd(Context& ctx, bool with_recovery, bool weak_ok);
int cmd_wipe(Context& ctx, bool yes);

struct LogArgs {
  std::string text;
  std::string kind = "impact";
  std::vector<std::string> skills;
  std::vector<std::string> links;
  bool ai_assisted = false;
  std::string date;  // YYYY-MM-DD to backdate; empty: now
  std::string goal;  // a goal's id ("3" or "#3") or exact title; empty: none
};
int cmd_log(Context& ctx, const LogArgs& args);

struct ExportArgs {
  std::string format = "json";
  std::string output;  // empty: standard output
  bool force = false;  // replace an existing --output file
};
int cmd_export(Context& ctx, const ExportArgs& args);
int cmd_import(Context& ctx);
int cmd_verify(Context& ctx, bool repair);

int cmd_consent_list(Context& ctx);
int cmd_consent_grant(Context& ctx, const std::string& source, const std::vector<std::string>& repos,
                      const std::vector<std::string>& emails, const std::vector<std::string>& calendars);
int cmd_consent_revoke(Context& ctx, const std::string& source, bool delete_data);
// The settings lines of one source (repositories, emails, calendars and how far back, titles),
// each line starting with indent; shared by `consent list` and `status`.
void print_source_settings(Context& ctx, const consent::State& st, records::Source source, const char* indent);

int cmd_agent(Context& ctx, const std::vector<std::string>& extra);

}  // namespace cairn::cli
