// Plausibility of inbox batches (base/plausible.hpp): the decoder refuses every implausible shape
// with one line, the writer seals only plausible records, and an import sets a forged batch aside
// before anything is stored, so the store keeps opening.
#include <doctest/doctest.h>

#include <ctime>

#include "cairn/base/clock.hpp"
#include "cairn/base/files.hpp"
#include "cairn/inbox/batch.hpp"
#include "cairn/import/import.hpp"
#include "cairn/inbox/plausible.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::inbox;
using cairn::import::import_inbox;

namespace {
const records::Instant kNow = static_cast<records::Instant>(std::time(nullptr));
const records::Instant kT = kNow / 86400 * 86400 - 3 * 86400;

Batch good() {
  Batch b;
  b.id = new_batch_id();
  b.created = kT + 3600;
  b.spans.push_back({kT, kT + 60, 3600, false, "code", "development", std::nullopt});
  b.commits.push_back({"work", "abc", kT + 100, 3600, 10, 2, 3, false, "", std::nullopt});
  b.meetings.push_back({"uid", kT + 200, kT + 2000, 3600, 4, false, false});
  return b;
}

// Every implausible shape the attacker used, and the other limits, one batch each.
std::vector<std::pair<const char*, Batch>> forged() {
  std::vector<std::pair<const char*, Batch>> out;
  auto add = [&](const char* name, auto change) {
    Batch b = good();
    change(b);
    out.emplace_back(name, std::move(b));
  };
  add("span from 0 to 4e9", [](Batch& b) { b.spans[0].start = 0; b.spans[0].end = 4'000'000'000; });
  add("meeting from -9e18 to 9e18", [](Batch& b) { b.meetings[0].start = -9'000'000'000'000'000'000; b.meetings[0].end = 9'000'000'000'000'000'000; });
  add("span before 2000", [](Batch& b) { b.spans[0].start = 900'000'000; b.spans[0].end = 900'000'060; });
  add("span a week ahead", [](Batch& b) { b.spans[0].start = kNow + 7 * 86400; b.spans[0].end = kNow + 7 * 86400 + 60; });
  add("span longer than a day", [](Batch& b) { b.spans[0].end = b.spans[0].start + 86401; });
  add("meeting longer than a day", [](Batch& b) { b.meetings[0].end = b.meetings[0].start + 86401; });
  add("span offset 19 h", [](Batch& b) { b.spans[0].utc_offset = 19 * 3600; });
  add("meeting offset -19 h", [](Batch& b) { b.meetings[0].utc_offset = -19 * 3600; });
  add("commit offset 19 h", [](Batch& b) { b.commits[0].utc_offset = 19 * 3600; });
  add("commit in 1970", [](Batch& b) { b.commits[0].time = 0; });
  add("commit with negative lines", [](Batch& b) { b.commits[0].lines_added = -5; });
  add("commit with too many files", [](Batch& b) { b.commits[0].files_changed = plausible::kMaxCommitFiles + 1; });
  add("meeting with negative attendees", [](Batch& b) { b.meetings[0].attendees = -1; });
  add("meeting with a million attendees", [](Batch& b) { b.meetings[0].attendees = 1'000'000; });
  add("batch created in 1980", [](Batch& b) { b.created = 315'532'800; });
  return out;
}
struct Vaulted {
  Paths paths;
  crypto::CreatedVault v;
  store::Store store;
};
Vaulted vault_and_store(const char* name) {
  auto home = test::fresh_dir(name);
  Paths paths{home, home / "config"};
  auto v = crypto::vault_create(paths.vault(), crypto::SecretBytes::from(std::string_view("pw")),
                                crypto::PwhashParams::minimum(), kT);
  REQUIRE(v.ok());
  auto store = store::Store::open(paths.store(), v->keys.store_key(), store::Store::Mode::create).value();
  return Vaulted{paths, std::move(v).value(), std::move(store)};
}
}  // namespace

TEST_CASE("the decoder accepts a plausible batch and the limits' edges") {
  REQUIRE(crypto::init().ok());
  CHECK(decode(encode(good()), kNow).ok());
  Batch edge = good();
  edge.spans[0].end = edge.spans[0].start + plausible::kMaxSpanSeconds;  // exactly a day
  edge.spans[0].utc_offset = plausible::kMaxUtcOffset;
  edge.meetings[0].start = edge.meetings[0].end = kNow + plausible::kFutureSlack;  // two days ahead
  CHECK(decode(encode(edge), kNow).ok());
}

TEST_CASE("the decoder refuses every implausible shape with one line") {
  REQUIRE(crypto::init().ok());
  for (const auto& [name, b] : forged()) {
    CAPTURE(name);
    auto d = decode(encode(b), kNow);
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().code == Errc::corrupt);
    CHECK(d.error().message.rfind("inbox batch is implausible: ", 0) == 0);
    CHECK(d.error().message.find('\n') == std::string::npos);
  }
}

TEST_CASE("the writer seals only the plausible records of a batch") {
  REQUIRE(crypto::init().ok());
  auto dir = test::fresh_dir("inbox/plausible-writer");
  auto keys = crypto::box_keypair();
  Batch b = good();
  b.spans.push_back({0, 4'000'000'000, 0, false, "x", "other", std::nullopt});
  b.meetings.push_back({"bad", -9'000'000'000'000'000'000, 9'000'000'000'000'000'000, 0, 2, false, false});
  auto path = write_batch(dir, b, keys.public_key);
  REQUIRE(path.ok());
  auto opened = open_batch(fs::read_file(*path, kBatchMaxBytes).value(), keys, kNow);
  REQUIRE(opened.ok());
  CHECK(opened->spans.size() == 1);
  CHECK(opened->meetings.size() == 1);
  CHECK(opened->commits.size() == 1);
  Batch copy = b;
  CHECK(remove_implausible(copy, kNow) == 2);
}

TEST_CASE("import sets each forged batch aside before anything is stored; the store keeps working") {
  REQUIRE(crypto::init().ok());
  auto [paths, v, store] = vault_and_store("inbox/plausible-import");
  auto box = v.keys.inbox_keys();
  auto cases = forged();
  for (const auto& [name, b] : cases) {
    // Sealed directly (seal_batch), as a forging process of the same user would: write_batch
    // would have dropped the bad records.
    std::filesystem::create_directories(paths.inbox());
    REQUIRE(fs::write_file_atomic(paths.inbox() / (b.id + kBatchSuffix), seal_batch(b, box.public_key)).ok());
  }
  REQUIRE(write_batch(paths.inbox(), good(), box.public_key).ok());  // one honest batch among them
  auto r = import_inbox(store, paths, v.keys, nullptr);
  REQUIRE(r.ok());
  CHECK(r->batches == 1);
  CHECK(r->rejected == cases.size());
  REQUIRE(r->problems.size() == cases.size());
  for (const auto& p : r->problems) CHECK(p.find("set aside in inbox/rejected: inbox batch is implausible") != std::string::npos);
  CHECK(pending_batches(paths.inbox()).empty());
  CHECK(pending_batches(paths.inbox() / "rejected").size() == cases.size());
  CHECK(store.counts()->spans == 1);
  CHECK(store.counts()->meetings == 1);
  CHECK(store.counts()->commits == 1);
  CHECK(store.implausible_rows(kNow)->total() == 0);
  CHECK(store.setting("rollups.dirty").value() == std::nullopt);
  auto day = local_day(kT, 3600);
  CHECK(store.rollups(day, day)->at(0).active_seconds == 60);
  CHECK(import_inbox(store, paths, v.keys, nullptr).ok());  // and the next unlock is clean
}

TEST_CASE("an unreadable consent position is reported, not thrown, and the import goes on") {
  REQUIRE(crypto::init().ok());
  auto [paths, v, store] = vault_and_store("inbox/plausible-seq");
  for (const char* bad : {"x", "99999999999999999999999", "-3", "12abc", ""}) {
    CAPTURE(bad);
    REQUIRE(store.set_setting("consent.last_seq", bad).ok());
    auto r = import_inbox(store, paths, v.keys, nullptr);
    REQUIRE(r.ok());
    REQUIRE(r->problems.size() == 1);
    CHECK(r->problems[0].find("consent.last_seq") != std::string::npos);
  }
}
