// `cairn agent`: runs the daemon. The daemon is its own small program (cairn-agentd) so that it
// never maps SQLCipher, libgit2 or the UI into memory; this command only finds it and execs it.
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "commands.hpp"

namespace cairn::cli {
namespace {

std::filesystem::path find_daemon(const std::string& argv0) {
  if (const char* env = std::getenv("CAIRN_AGENTD"); env && *env) return env;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) self = argv0;
  auto dir = self.parent_path();
  for (auto candidate : {dir / "cairn-agentd", dir / "../cairn-agentd/cairn-agentd", dir / "../libexec/cairn/cairn-agentd",
                         dir / "../lib/cairn/cairn-agentd"})
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  return {};
}

}  // namespace

int cmd_agent(Context& ctx, const std::vector<std::string>& extra) {
  auto daemon = find_daemon(ctx.argv0);
  if (daemon.empty()) return fail(ctx, make_error(Errc::not_found, "cannot find cairn-agentd next to cairn; is Cairn installed completely?"));
  std::vector<std::string> args{daemon.string(), "--data", ctx.paths.data.string(), "--config", ctx.paths.config.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ctx.io.out().flush();
  ::execv(argv[0], argv.data());
  return fail(ctx, make_error(Errc::io, "cannot start " + daemon.string() + ": " + std::strerror(errno)));
}

}  // namespace cairn::cli
