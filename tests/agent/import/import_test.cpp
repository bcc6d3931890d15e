// Importing the inbox: exactly once, damaged batches set aside, a crash after the commit adds
// nothing the second time, the rollups follow, and consent changes made while locked are carried
// into the store once.
#include <doctest/doctest.h>

#include <ctime>

#include "cairn/base/clock.hpp"
#include "cairn/base/files.hpp"
#include "cairn/consent/consent.hpp"
#include "cairn/inbox/batch.hpp"
#include "cairn/import/import.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {
// Recent times: the import prunes raw spans past the retention period (365 days by default).
const std::int64_t kT0 = static_cast<std::int64_t>(std::time(nullptr)) / 86400 * 86400 - 5 * 86400;

struct Fixture {
  Fixture(const char* name) : home(test::fresh_dir(std::string("import/") + name)) {
    REQUIRE(crypto::init().ok());
    paths = Paths{home, home / "config"};
    auto v = crypto::vault_create(paths.vault(), crypto::SecretBytes::from(std::string_view("pw")),
                                  crypto::PwhashParams::minimum(), kT0);
    REQUIRE(v.ok());
    pub = v->info.inbox_public_key;
    store.emplace(std::move(store::Store::open(paths.store(), v->keys.store_key(), store::Store::Mode::create).value()));
    keys.emplace(std::move(v->keys));
  }
  void write(int spans, std::int64_t t0) {
    inbox::Batch b;
    b.id = inbox::new_batch_id();
    b.created = t0;
    for (int i = 0; i < spans; ++i) b.spans.push_back({t0 + i * 10, t0 + i * 10 + 10, 0, false, "code", "development", {}});
    REQUIRE(inbox::write_batch(paths.inbox(), b, pub).ok());
  }
  std::filesystem::path home;
  Paths paths;
  crypto::BoxPublicKey pub{};
  std::optional<store::Store> store;
  std::optional<crypto::UnlockedKeys> keys;
};
}  // namespace

TEST_CASE("import moves every batch into the store once and empties the inbox") {
  Fixture f("once");
  for (int i = 0; i < 5; ++i) f.write(10, kT0 + i * 1000);
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  auto r = import::import_inbox(*f.store, f.paths, *f.keys, [&](std::size_t d, std::size_t t) { progress.push_back({d, t}); });
  REQUIRE(r.ok());
  CHECK(r->batches == 5);
  CHECK(r->counts.spans == 50);
  CHECK(progress.back() == std::pair<std::size_t, std::size_t>{5, 5});
  CHECK(inbox::pending_batches(f.paths.inbox()).empty());
  CHECK(f.store->spans(0, 2000000000)->size() == 50);
  auto day = local_day(kT0, 0);
  CHECK(f.store->rollups(day, day)->at(0).active_seconds == 500);
  auto again = import::import_inbox(*f.store, f.paths, *f.keys, nullptr).value();
  CHECK(again.batches == 0);
}

TEST_CASE("a crash after the commit and before the unlink adds nothing the second time") {
  Fixture f("crash-after-commit");
  f.write(7, kT0);
  auto file = inbox::pending_batches(f.paths.inbox()).at(0);
  auto bytes = fs::read_file(file, 1 << 20).value();
  REQUIRE(import::import_inbox(*f.store, f.paths, *f.keys, nullptr).ok());
  // The file is back, as if the process died right after COMMIT.
  REQUIRE(fs::write_file_atomic(file, bytes).ok());
  auto r = import::import_inbox(*f.store, f.paths, *f.keys, nullptr).value();
  CHECK(r.batches == 0);
  CHECK(f.store->spans(0, 2000000000)->size() == 7);
  CHECK(inbox::pending_batches(f.paths.inbox()).empty());
}

TEST_CASE("raw spans past the retention period are pruned at import; day totals stay") {
  Fixture f("retention");
  std::int64_t old = kT0 - 400 * 86400;
  f.write(5, old);
  f.write(5, kT0);
  REQUIRE(import::import_inbox(*f.store, f.paths, *f.keys, nullptr).ok());
  CHECK(f.store->spans(0, 4000000000)->size() == 5);
  auto day = local_day(old, 0);
  CHECK(f.store->rollups(day, day)->at(0).active_seconds == 50);
}

TEST_CASE("damaged and foreign batches are set aside, the rest imports") {
  Fixture f("damaged");
  f.write(3, kT0);
  f.write(4, kT0 + 1000);
  auto files = inbox::pending_batches(f.paths.inbox());
  auto bytes = fs::read_file(files[0], 1 << 20).value();
  bytes[bytes.size() / 2] ^= 1;
  REQUIRE(fs::write_file_atomic(files[0], bytes).ok());
  // A batch sealed to somebody else's inbox key.
  inbox::Batch b;
  b.id = inbox::new_batch_id();
  b.created = kT0 + 2000;
  b.spans.push_back({kT0 + 2000, kT0 + 2010, 0, false, "x", "other", {}});
  REQUIRE(inbox::write_batch(f.paths.inbox(), b, crypto::box_keypair().public_key).ok());
  auto r = import::import_inbox(*f.store, f.paths, *f.keys, nullptr).value();
  CHECK(r.batches == 1);
  CHECK(r.rejected == 2);
  CHECK(f.store->spans(0, 2000000000)->size() == 4);
  CHECK(inbox::pending_batches(f.paths.inbox()).empty());
  int rejected = 0;
  for ([[maybe_unused]] auto& e : std::filesystem::directory_iterator(f.paths.inbox() / "rejected")) ++rejected;
  CHECK(rejected == 2);
}

TEST_CASE("a lone corrupt batch is refused and the store is unchanged") {
  Fixture f("corrupt-only");
  f.write(6, kT0);
  auto file = inbox::pending_batches(f.paths.inbox()).at(0);
  auto bytes = fs::read_file(file, 1 << 20).value();
  bytes.resize(bytes.size() - 1);  // truncated
  REQUIRE(fs::write_file_atomic(file, bytes).ok());
  auto r = import::import_inbox(*f.store, f.paths, *f.keys, nullptr);
  REQUIRE(r.ok());
  CHECK(r->batches == 0);
  CHECK(r->rejected == 1);
  CHECK(r->counts.spans == 0);
  CHECK(f.store->spans(0, 4000000000)->empty());
  auto day = local_day(kT0, 0);
  auto rollups = f.store->rollups(day, day);
  REQUIRE(rollups.ok());
  for (const auto& d : *rollups) CHECK(d.active_seconds == 0);
  CHECK(std::filesystem::exists(f.paths.inbox() / "rejected" / file.filename()));
}

TEST_CASE("consent events written while locked are imported once, deletions carried out") {
  Fixture f("consent");
  f.write(4, kT0);
  REQUIRE(import::import_inbox(*f.store, f.paths, *f.keys, nullptr).ok());
  REQUIRE(f.store->spans(0, 4000000000)->size() == 4);
  // While locked: activity granted, then revoked with its data.
  REQUIRE(consent::grant(f.paths.config, consent::Source::activity, kT0 + 100).ok());
  REQUIRE(consent::revoke(f.paths.config, consent::Source::activity, true, kT0 + 200).ok());
  auto r = import::import_inbox(*f.store, f.paths, *f.keys, nullptr);
  REQUIRE(r.ok());
  CHECK(r->counts.consent_events == 3);
  auto log = f.store->consent_log();
  REQUIRE(log.ok());
  std::size_t grants = 0, revokes = 0;
  for (const auto& e : *log) {
    grants += e.action == "grant" && e.source == "activity";
    revokes += e.action == "revoke" && e.source == "activity";
  }
  CHECK(grants == 1);
  CHECK(revokes == 1);
  CHECK(f.store->spans(0, 4000000000)->empty());  // the requested deletion happened
  // A second import adds no event again.
  const auto before = log->size();
  auto again = import::import_inbox(*f.store, f.paths, *f.keys, nullptr);
  REQUIRE(again.ok());
  CHECK(again->counts.consent_events == 0);
  CHECK(f.store->consent_log()->size() == before);
}
