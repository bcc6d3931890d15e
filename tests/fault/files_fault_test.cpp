// Faults on the file writers: the inbox (the daemon's batches), the vault (a passphrase change)
// and the outbox (an approved report). Each case asserts the promise it names: a clear error,
// nothing lost, nothing half-written, and the next run recovers. And the clock jumping a day.
#include <algorithm>

#include "cairn/import/import.hpp"
#include "fake_io.hpp"
#include "fault_support.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::test;

TEST_CASE("inbox: a failed batch write leaves no batch and no temporary; the next write is imported") {
  for (Fault f : {Fault::after_n_bytes, Fault::disk_full, Fault::fsync_fails}) {
    CAPTURE(fault_name(f));
    Device d(fresh_dir(std::string("fault/inbox-") + std::to_string(static_cast<int>(f))));
    const auto t0 = wall_now() - 3600;
    auto b = d.batch(50, t0);
    {
      Injected fault(f);
      auto w = inbox::write_batch(d.paths.inbox(), b, d.keys->inbox_keys().public_key);
      REQUIRE_FALSE(w.ok());
      CHECK(w.error().code == Errc::io);
      CHECK(w.error().message.find('\n') == std::string::npos);
    }
    CHECK(files_in(d.paths.inbox()).empty());  // nothing half-written, not even a temporary
    // The writer kept the batch (the daemon retries it): nothing lost.
    REQUIRE(inbox::write_batch(d.paths.inbox(), b, d.keys->inbox_keys().public_key).ok());
    auto r = import::import_inbox(*d.store, d.paths, *d.keys, nullptr);
    REQUIRE(r.ok());
    CHECK(r->counts.spans == 50);
  }
}

TEST_CASE("inbox: a write that fails after each possible byte count never leaves a readable half batch") {
  Device d(fresh_dir("fault/inbox-every-n"));
  auto b = d.batch(3, wall_now() - 600);
  const auto whole = inbox::seal_batch(b, d.keys->inbox_keys().public_key).size();
  for (std::size_t n = 0; n < whole; n += 7) {
    Injected fault(Fault::after_n_bytes, n);
    CHECK_FALSE(inbox::write_batch(d.paths.inbox(), b, d.keys->inbox_keys().public_key).ok());
  }
  CHECK(files_in(d.paths.inbox()).empty());
}

TEST_CASE("vault: a failed passphrase change keeps the old passphrase working; the retry succeeds") {
  for (Fault f : {Fault::after_n_bytes, Fault::disk_full, Fault::fsync_fails}) {
    CAPTURE(fault_name(f));
    Device d(fresh_dir(std::string("fault/vault-") + std::to_string(static_cast<int>(f))));
    const auto before = fs::read_file(d.paths.vault(), 1 << 20).value();
    const auto fresh = crypto::SecretBytes::from(std::string_view("new passphrase"));
    {
      Injected fault(f);
      auto st = crypto::vault_change_passphrase(d.paths.vault(), *d.keys, fresh);
      REQUIRE_FALSE(st.ok());
      CHECK(st.error().code == Errc::io);
    }
    CHECK(fs::read_file(d.paths.vault(), 1 << 20).value() == before);  // byte for byte the old vault
    CHECK(files_in(d.paths.data) == std::vector<std::string>{"store.db", "store.db-shm", "store.db-wal", "vault"});
    CHECK(crypto::vault_unlock(d.paths.vault(), crypto::SecretBytes::from(std::string_view("pw"))).ok());
    REQUIRE(crypto::vault_change_passphrase(d.paths.vault(), *d.keys, fresh).ok());
    CHECK(crypto::vault_unlock(d.paths.vault(), fresh).ok());
  }
}

TEST_CASE("outbox: an approval that cannot write its envelope stays pending; the retry queues the exact bytes") {
  ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  for (Fault f : {Fault::after_n_bytes, Fault::disk_full, Fault::fsync_fails}) {
    CAPTURE(fault_name(f));
    auto home = fresh_dir(std::string("fault/outbox-") + std::to_string(static_cast<int>(f)));
    auto sh = [&](std::vector<std::string> args, std::string* err = nullptr) {
      FakeIo io({"pw"});
      args.insert(args.begin(), {"--home", home.string()});
      int rc = run_cairn(io, args);
      if (err) *err = io.err_text();
      return rc;
    };
    REQUIRE(sh({"init", "--weak-passphrase-ok"}) == cli::kOk);
    auto paths = resolve_paths(home.string());
    const std::string envelope(3000, 'E');
    {
      auto keys = crypto::vault_unlock(paths.vault(), crypto::SecretBytes::from(std::string_view("pw"))).value();
      auto s = store::Store::open(paths.store(), keys.store_key(), store::Store::Mode::open_existing).value();
      store::SharedReport r;
      r.report_id = "r1";
      r.plan_id = "p";
      r.period = "2026-W47";
      r.state = "pending";
      r.created = wall_now();
      r.detail = "{}";
      r.envelope = envelope;
      REQUIRE(s.put_shared_report(r).ok());
    }
    std::string err;
    {
      Injected fault(f, 100);
      CHECK(sh({"share", "approve", "r1"}, &err) == cli::kFailure);
    }
    CHECK(err.rfind("cairn: cannot ", 0) == 0);
    CHECK(files_in(paths.outbox()).empty());
    {
      auto keys = crypto::vault_unlock(paths.vault(), crypto::SecretBytes::from(std::string_view("pw"))).value();
      auto s = store::Store::open(paths.store(), keys.store_key(), store::Store::Mode::open_existing).value();
      CHECK(s.shared_report("r1").value()->state == "pending");
    }
    REQUIRE(sh({"share", "approve", "r1"}) == cli::kOk);
    CHECK(fs::read_text_file(paths.outbox() / "r1.env", 1 << 20).value() == envelope);
  }
}

TEST_CASE("clock: batches from a clock a day ahead or a day behind import; three days ahead is set aside, nothing else") {
  Device d(fresh_dir("fault/clock"));
  const auto now = wall_now();
  const auto pub = d.keys->inbox_keys().public_key;
  REQUIRE(inbox::write_batch(d.paths.inbox(), d.batch(6, now + 86400 - 120), pub).ok());      // forward a day
  REQUIRE(inbox::write_batch(d.paths.inbox(), d.batch(6, now - 86400), pub).ok());            // back a day
  REQUIRE(inbox::write_batch(d.paths.inbox(), d.batch(6, now + 3 * 86400), pub).ok());        // too far ahead
  auto r = import::import_inbox(*d.store, d.paths, *d.keys, nullptr);
  REQUIRE(r.ok());
  CHECK(r->batches == 2);
  CHECK(r->counts.spans == 12);
  CHECK(r->rejected == 1);
  CHECK(files_in(d.paths.inbox() / "rejected").size() == 1);
  // The day totals of the day ahead exist (inside the plausible window) and the next unlock is clean.
  auto ahead = local_day(now + 86400 - 120, 0);
  CHECK(d.store->rollups(ahead, ahead)->size() == 1);
  auto again = import::import_inbox(*d.store, d.paths, *d.keys, nullptr);
  REQUIRE(again.ok());
  CHECK(again->problems.empty());
}
