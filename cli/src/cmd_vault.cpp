// init, status, passwd, wipe: the vault's life cycle.
#include <iostream>

#include "cairn/activity_status/status_file.hpp"
#include "cairn/base/files.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/inbox/batch.hpp"
#include "cairn/uploader/status.hpp"
#include "commands.hpp"
#include "passphrase.hpp"

namespace cairn::cli {

int cmd_init(Context& ctx, bool weak_ok) {
  auto& p = ctx.paths;
  if (std::filesystem::exists(p.vault()))
    return fail(ctx, make_error(Errc::exists, "Cairn is already set up in " + p.data.string() +
                                                  " (use `cairn passwd` to change the passphrase)"));
  auto pass = ctx.io.read_secret("Choose a passphrase: ");
  if (!pass.ok()) return fail(ctx, pass.error());
  if (pass->empty()) return fail(ctx, make_error(Errc::usage, "the passphrase must not be empty; nothing was created"));
  if (auto st = check_new_passphrase(*pass, weak_ok, "nothing was created"); !st.ok()) return fail(ctx, st.error());
  if (ctx.io.interactive()) {
    auto again = ctx.io.read_secret("Repeat the passphrase: ");
    if (!again.ok()) return fail(ctx, again.error());
    if (!again->equals(*pass)) return fail(ctx, make_error(Errc::usage, "the two passphrases differ; nothing was created"));
  }
  if (auto st = fs::ensure_private_dir(p.data); !st.ok()) return fail(ctx, st.error());
  if (auto st = fs::ensure_private_dir(p.config); !st.ok()) return fail(ctx, st.error());
  auto created = crypto::vault_create(p.vault(), *pass, crypto::default_vault_params(), ctx.clock.now());
  if (!created.ok()) return fail(ctx, created.error());
  auto store = store::Store::open(p.store(), created->keys.store_key(), store::Store::Mode::create);
  if (!store.ok()) {
    // Leave nothing half made: without a store the vault is useless.
    std::filesystem::remove(p.vault());
    return fail(ctx, store.error());
  }
  if (!std::filesystem::exists(consent::file_in(p.config)))
    if (auto st = consent::save(consent::file_in(p.config), consent::State{}); !st.ok()) return fail(ctx, st.error());
  if (auto st = fs::ensure_private_dir(p.inbox()); !st.ok()) return fail(ctx, st.error());

  auto& out = ctx.io.out();
  out << "Cairn is set up in " << p.data.string() << ".\n\n"
      << "Your recovery code (write it down and keep it somewhere safe; it is shown only this once):\n\n    ";
  out.write(reinterpret_cast<const char*>(created->recovery_code.data()),
            static_cast<std::streamsize>(created->recovery_code.size()));
  out << "\n\nWith it you can set a new passphrase if you forget yours (`cairn passwd --recovery`).\n"
      << "Nothing is collected yet: choose sources with `cairn consent list` and `cairn consent grant SOURCE`,\n"
      << "then start the agent (`systemctl --user start cairn-agent` when installed, or `cairn agent`).\n";
  return kOk;
}

int cmd_status(Context& ctx) {
  auto& p = ctx.paths;
  auto& out = ctx.io.out();
  auto pub = crypto::vault_read_public(p.vault());
  if (!pub.ok()) return fail(ctx, pub.error());
  out << "Data directory: " << p.data.string() << "\n";
  out << "Vault: version " << pub->version << ", created " << iso8601_utc(pub->created) << "\n";
  if (crypto::is_weak(pub->params))
    out << "WARNING: this vault uses test-only key-derivation parameters; create it again without "
           "CAIRN_INSECURE_FAST_KDF for real use.\n";
  out << "Device key fingerprint: " << crypto::fingerprint(pub->device_public_key) << "\n";
  out << "Pending batches from the agent: " << inbox::pending_batches(p.inbox()).size()
      << " (imported at the next unlock)\n";
  auto consent = consent::load(consent::file_in(p.config));
  if (!consent.ok()) return fail(ctx, consent.error());
  out << "Sources:\n";
  for (const auto& d : consent::descriptions()) {
    out << "  " << (consent->enabled(d.source) ? "on " : "off") << "  " << records::source_name(d.source) << "\n";
    print_source_settings(ctx, *consent, d.source, "         ");
  }
  if (consent->activity) out << "Activity: " << activity_status::activity_status_line(p.data) << "\n";
  // The keyless uploader's status needs no unlock: "3 reports waiting to send, last try 10:02: ...".
  if (auto up = uploader::read_status(p.outbox()); up.ok()) {
    if (const auto line = uploader::status_line(*up, ctx.clock); !line.empty()) out << "Sharing: " << line << "\n";
  } else {
    out << "Sharing: the uploader's status is unreadable: " << up.error().message << "\n";
  }
  return kOk;
}

int cmd_passwd(Context& ctx, bool with_recovery, bool weak_ok) {
  auto& p = ctx.paths;
  if (auto pub = crypto::vault_read_public(p.vault()); !pub.ok()) return fail(ctx, pub.error());
  auto old = ctx.io.read_secret(with_recovery ? "Recovery code: " : "Current passphrase: ");
  if (!old.ok()) return fail(ctx, old.error());
  auto keys = with_recovery ? crypto::vault_unlock_recovery(p.vault(), *old) : crypto::vault_unlock(p.vault(), *old);
  if (!keys.ok()) return fail(ctx, keys.error());
  auto fresh = ctx.io.read_secret("New passphrase: ");
  if (!fresh.ok()) return fail(ctx, fresh.error());
  if (fresh->empty()) return fail(ctx, make_error(Errc::usage, "the passphrase must not be empty; nothing was changed"));
  if (auto st = check_new_passphrase(*fresh, weak_ok, "nothing was changed"); !st.ok()) return fail(ctx, st.error());
  if (ctx.io.interactive()) {
    auto again = ctx.io.read_secret("Repeat the new passphrase: ");
    if (!again.ok()) return fail(ctx, again.error());
    if (!again->equals(*fresh)) return fail(ctx, make_error(Errc::usage, "the two passphrases differ; nothing was changed"));
  }
  if (auto st = crypto::vault_change_passphrase(p.vault(), *keys, *fresh); !st.ok()) return fail(ctx, st.error());
  ctx.io.out() << "Passphrase changed. The record was not re-encrypted; your recovery code still works.\n";
  return kOk;
}

int cmd_wipe(Context& ctx, bool yes) {
  auto& p = ctx.paths;
  if (!std::filesystem::exists(p.vault()) && !std::filesystem::exists(p.store()))
    return fail(ctx, make_error(Errc::not_found, "there is nothing to wipe in " + p.data.string()));
  if (!yes) {
    auto answer = ctx.io.read_line("This destroys your vault and your whole encrypted record. Type \"wipe\" to confirm: ");
    if (!answer.ok() || *answer != "wipe") return fail(ctx, make_error(Errc::usage, "not confirmed; nothing was removed"));
  }
  // The vault first: without it the rest is unreadable even if a later step fails.
  for (auto f : {p.vault(), p.store(), std::filesystem::path(p.store().string() + "-wal"),
                 std::filesystem::path(p.store().string() + "-shm")})
    if (auto st = fs::shred_file(f); !st.ok()) return fail(ctx, st.error());
  std::error_code ec;
  std::filesystem::remove_all(p.data, ec);
  if (ec) return fail(ctx, make_error(Errc::io, "cannot remove " + p.data.string() + ": " + ec.message()));
  ctx.io.out() << "Wiped " << p.data.string() << ". Your consent settings in " << p.config.string()
               << " were kept; remove them by hand if you wish.\n";
  return kOk;
}

}  // namespace cairn::cli
