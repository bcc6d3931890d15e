// Unlocking for the CLI: see session.hpp.
#include "session.hpp"

#include "cairn/base/text.hpp"

namespace cairn::cli {

int fail(Context& ctx, const Error& e) {
  // Messages may carry outside text (a server's answer, a file name): never raw to the terminal.
  ctx.io.err() << "cairn: " << safe_outside_text(e.message) << "\n";
  return exit_code_for(e.code);
}

Result<Session> unlock(Context& ctx, bool quiet) {
  // Check the vault exists before asking for anything.
  CAIRN_TRY(crypto::vault_read_public(ctx.paths.vault()));
  auto pass = CAIRN_TRY(ctx.io.read_secret("Passphrase: "));
  auto keys = CAIRN_TRY(crypto::vault_unlock(ctx.paths.vault(), pass));
  auto store = CAIRN_TRY(store::Store::open(ctx.paths.store(), keys.store_key(), store::Store::Mode::open_existing));
  Session s{std::move(keys), std::move(store), {}};
  s.imported = CAIRN_TRY(import::import_inbox(s.store, ctx.paths, s.keys, nullptr));
  const auto& report = s.imported;
  if (!quiet && (report.batches > 0 || report.rejected > 0))
    ctx.io.err() << "Imported " << count_text(report.batches, "batch", "batches") << " from the agent: "
                 << count_text(report.counts.spans, "activity span", "activity spans") << ", "
                 << count_text(report.counts.commits, "commit", "commits") << ", "
                 << count_text(report.counts.meetings, "meeting", "meetings")
                 << (report.rejected ? " (" + count_text(report.rejected, "damaged batch", "damaged batches") + " set aside in inbox/rejected)" : "")
                 << ".\n";
  // Problems are shown even when quiet: the record opened, but something was set aside or is stale.
  for (const auto& p : report.problems) ctx.io.err() << "cairn: warning: " << safe_outside_text(p) << "\n";
  return s;
}

}  // namespace cairn::cli
