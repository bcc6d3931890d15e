// Registers the human views (see views.hpp) on the `cairn` command line.
#include <memory>

#include "extensions.hpp"
#include "views.hpp"

namespace cairn::cli {

void add_views(CLI::App& app, Extensions& ext) {
  auto week = std::make_shared<std::string>();
  auto* weekc = app.add_subcommand("week", "This week (or --week) at a glance: active time by category, focus, meetings, "
                                           "commits, AI-assisted share, what you logged");
  weekc->add_option("--week", *week, "An earlier ISO week, e.g. 2026-W47")->type_name("YYYY-Www");

  auto range = std::make_shared<std::string>("week");
  auto* appsc = app.add_subcommand("apps", "Time per application, largest first, with its share of the active time");
  appsc->add_option("--range", *range, "today | week | month | FROM..TO (YYYY-MM-DD..YYYY-MM-DD); default week")
      ->type_name("RANGE");

  auto c = std::make_shared<ContributionsArgs>();
  auto* contc = app.add_subcommand("contributions", "What you logged, with goals, impact, skills and evidence");
  contc->add_option("--range", c->range, "all (default) | today | week | month | FROM..TO")->type_name("RANGE");
  contc->add_flag("--markdown", c->markdown, "As a Markdown brag document, by goal and kind");
  contc->add_option("--output", c->output,
                    "With --markdown: write to FILE, private (mode 0600) and atomically; a shell redirect "
                    "(> FILE) would create a file others may read")->type_name("FILE");
  contc->add_flag("--force", c->force, "Replace FILE if it exists");

  ext.handlers.push_back([=](Context& ctx) -> int {
    if (weekc->parsed()) return cmd_week(ctx, *week);
    if (appsc->parsed()) return cmd_apps(ctx, *range);
    if (contc->parsed()) return cmd_contributions(ctx, *c);
    return -1;
  });
}

}  // namespace cairn::cli
