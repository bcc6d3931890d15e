// The list of extension groups; see extensions.hpp. Add a group by declaring its register
// function here and calling it in add_extensions.
#include "extensions.hpp"

namespace cairn::cli {

void add_privacy(CLI::App& app, Extensions& ext);  // cmd_privacy.cpp
void add_share(CLI::App& app, Extensions& ext);    // cmd_share.cpp
void add_views(CLI::App& app, Extensions& ext);    // cmd_views.cpp
void add_activity(CLI::App& app, Extensions& ext);  // cmd_activity.cpp

void add_extensions(CLI::App& app, Extensions& ext) {
  add_privacy(app, ext);
  add_share(app, ext);
  add_views(app, ext);
  add_activity(app, ext);
}

int run_extensions(Context& ctx, Extensions& ext) {
  for (auto& h : ext.handlers)
    if (int rc = h(ctx); rc >= 0) return rc;
  return -1;
}

}  // namespace cairn::cli
