// Unlocking for the CLI: see session.hpp.
#include "session.hpp"


namespace cairn::cli {

int fail(Context& ctx, const Error& e) {
  ctx.io.err() << "cairn: " << e.message << "\n";
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
    ctx.io.err() << "Imported " << report.batches << " batch(es) from the agent: " << report.counts.spans
                 << " activity spans, " << report.counts.commits << " commits, " << report.counts.meetings
                 << " meetings" << (report.rejected ? " (" + std::to_string(report.rejected) + " damaged batch(es) set aside in inbox/rejected)" : "")
                 << ".\n";
  return s;
}

}  // namespace cairn::cli
