// Subcommand groups that live in their own files (privacy, enroll, share): each registers its
// options on the CLI11 app and runs when parsed. Keeps app.cpp from growing with every feature.
#pragma once

#include <CLI/CLI.hpp>

#include "session.hpp"

namespace cairn::cli {

struct Extensions {
  std::vector<std::function<int(Context&)>> handlers;  // each returns -1 when its command was not given
};

// Registers every extension group's subcommands on app.
void add_extensions(CLI::App& app, Extensions& ext);
// Runs the handler of the parsed extension subcommand; -1 when none was parsed.
int run_extensions(Context& ctx, Extensions& ext);

}  // namespace cairn::cli
