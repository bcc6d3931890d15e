// The subcommands of `cairn`, one function each; app.cpp parses arguments and calls them.
#pragma once

#include <string>
#include <vector>

#include "session.hpp"

namespace cairn::cli {

int cmd_init(Context& ctx);
int cmd_status(Context& ctx);
int cmd_passwd(Context& ctx, bool with_recovery);
int cmd_wipe(Context& ctx, bool yes);

struct LogArgs {
  std::string text;
  std::string kind = "impact";
  std::vector<std::string> skills;
  std::vector<std::string> links;
  bool ai_assisted = false;
};
int cmd_log(Context& ctx, const LogArgs& args);
int cmd_export(Context& ctx, const std::string& format);
int cmd_import(Context& ctx);
int cmd_verify(Context& ctx, bool repair);

int cmd_consent_list(Context& ctx);
int cmd_consent_grant(Context& ctx, const std::string& source, const std::vector<std::string>& repos,
                      const std::vector<std::string>& emails, const std::vector<std::string>& calendars);
int cmd_consent_revoke(Context& ctx, const std::string& source, bool delete_data);

int cmd_agent(Context& ctx, const std::vector<std::string>& extra);

}  // namespace cairn::cli
