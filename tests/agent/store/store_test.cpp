// The encrypted store: keying, migrations, the record tables and their invariants.
#include <doctest/doctest.h>

#include <sqlite3.h>

#include <fstream>

#include "cairn/base/clock.hpp"
#include "cairn/crypto/sodium.hpp"
#include "cairn/store/store.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::store;

namespace {
crypto::SecretBytes key(std::uint8_t fill) {
  REQUIRE(crypto::init().ok());
  crypto::SecretBytes k(32);
  for (auto& b : k.bytes()) b = fill;
  return k;
}
Store open_new(const std::filesystem::path& p, std::uint8_t fill = 1) {
  auto s = Store::open(p, key(fill), Store::Mode::create);
  REQUIRE(s.ok());
  return std::move(s).value();
}
}  // namespace

TEST_CASE("a new store is encrypted, versioned and uses 4 KiB pages") {
  auto dir = test::fresh_dir("store/new");
  auto path = dir / "s" / "store.db";
  {
    auto s = open_new(path);
    CHECK(s.schema_version() == kSchemaVersion);
    CHECK_FALSE(s.cipher_version().empty());
    records::Contribution c{0, 1700000000, 0, "PLAINTEXT-MARKER-123", records::ImpactKind::impact, {"s"}, {}, false, {}};
    REQUIRE(s.add_contribution(c).ok());
  }
  std::ifstream f(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  CHECK(bytes.size() % 4096 == 0);
  CHECK(bytes.find("SQLite format 3") == std::string::npos);
  CHECK(bytes.find("PLAINTEXT-MARKER-123") == std::string::npos);
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  CHECK((std::filesystem::status(path.parent_path()).permissions() & std::filesystem::perms::all) ==
        std::filesystem::perms::owner_all);
}

TEST_CASE("the wrong key is reported as corrupt and changes nothing") {
  auto dir = test::fresh_dir("store/wrongkey");
  auto path = dir / "store.db";
  { auto s = open_new(path, 1); }
  auto size_before = std::filesystem::file_size(path);
  auto r = Store::open(path, key(2), Store::Mode::open_existing);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::corrupt);
  CHECK(std::filesystem::file_size(path) == size_before);
  CHECK(Store::open(path, key(1), Store::Mode::open_existing).ok());
  CHECK(Store::open(dir / "missing.db", key(1), Store::Mode::open_existing).error().code == Errc::not_found);
}

TEST_CASE("migrations run once and a newer schema is refused") {
  auto dir = test::fresh_dir("store/migrate");
  auto path = dir / "store.db";
  { auto s = open_new(path); }
  { auto s = open_new(path); CHECK(s.schema_version() == kSchemaVersion); }  // reopening migrates nothing
  {
    // Pretend a newer Cairn wrote it.
    auto s = open_new(path);
    REQUIRE(s.set_setting("x", "y").ok());
  }
  // Bump user_version through a raw connection with the same key.
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    std::string k = "x'" + std::string(64, '0') + "'";
    for (std::size_t i = 2; i < 66; i += 2) k[i + 1] = '1';
    sqlite3_key(db, k.data(), static_cast<int>(k.size()));
    sqlite3_exec(db, "PRAGMA cipher_page_size = 4096; PRAGMA user_version = 99;", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  auto r = Store::open(path, key(1), Store::Mode::open_existing);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::corrupt);
  CHECK(r.error().message.find("newer Cairn") != std::string::npos);
}

TEST_CASE("contributions: add, read back with tags, update, outcomes, delete") {
  auto dir = test::fresh_dir("store/contrib");
  auto s = open_new(dir / "store.db");
  records::Contribution c{0, 1700000000, 3600, "Unblocked the data team's release", records::ImpactKind::system,
                        {"mentoring", "sql"}, {"https://example.org/pr/1"}, true, {}};
  auto id = s.add_contribution(c);
  REQUIRE(id.ok());
  auto back = s.contribution(*id).value();
  CHECK(back.text == c.text);
  CHECK(back.kind == records::ImpactKind::system);
  CHECK(back.skills == c.skills);
  CHECK(back.links == c.links);
  CHECK(back.ai_assisted);
  CHECK(back.utc_offset == 3600);

  back.text = "Unblocked the data team's release (and documented the fix)";
  back.skills = {"writing"};
  REQUIRE(s.update_contribution(back).ok());
  CHECK(s.contribution(*id)->skills == std::vector<std::string>{"writing"});

  CHECK(s.add_outcome({0, *id, 1702592000, 30, "held", "no repeat incident"}).ok());
  CHECK(s.add_outcome({0, *id, 1702592000, 30, "maybe", ""}).error().code == Errc::usage);
  CHECK(s.add_outcome({0, 999, 1702592000, 30, "held", ""}).error().code == Errc::not_found);
  CHECK(s.outcomes(*id)->size() == 1);

  CHECK(s.add_contribution(records::Contribution{}).error().code == Errc::usage);
  CHECK(s.contributions(1699999999, 1700000001)->size() == 1);
  REQUIRE(s.delete_contribution(*id).ok());
  CHECK(s.contributions(0, 2000000000)->empty());
  CHECK(s.outcomes(*id)->empty());
}

TEST_CASE("goals keep their revision history; reflections are one per week") {
  auto dir = test::fresh_dir("store/goals");
  auto s = open_new(dir / "store.db");
  auto g = s.add_goal({100, "Make on-call calmer", "fewer pages", "active"}, 100);
  REQUIRE(g.ok());
  REQUIRE(s.revise_goal(*g, {200, "Make on-call calmer for everyone", "fewer pages, shared runbooks", "active"}).ok());
  CHECK(s.revise_goal(*g, {300, "x", "", "paused"}).error().code == Errc::usage);
  CHECK(s.revise_goal(42, {300, "x", "", "active"}).error().code == Errc::not_found);
  auto goals = s.goals().value();
  REQUIRE(goals.size() == 1);
  CHECK(goals[0].history.size() == 2);
  CHECK(goals[0].current.title == "Make on-call calmer for everyone");

  REQUIRE(s.put_reflection({"2026-W47", 1, "a", "b", "c", false}).ok());
  REQUIRE(s.put_reflection({"2026-W47", 2, "a2", "b", "c", false}).ok());
  CHECK(s.reflections()->size() == 1);
  CHECK(s.reflection("2026-W47")->value().changed == "a2");
  CHECK_FALSE(s.reflection("2026-W46")->has_value());
  CHECK(s.put_reflection({"week 47", 2, "", "", "", true}).error().code == Errc::usage);
}

TEST_CASE("data_version moves for another connection's commit, not for this connection's own") {
  auto dir = test::fresh_dir("store/data_version");
  auto a = open_new(dir / "store.db");
  auto b = Store::open(dir / "store.db", key(1), Store::Mode::open_existing);
  REQUIRE(b.ok());
  const auto v0 = a.data_version();
  REQUIRE(v0.ok());
  CHECK(a.data_version().value() == *v0);  // nothing committed meanwhile
  records::Contribution c{0, 1700000000, 0, "mine", records::ImpactKind::impact, {}, {}, false, {}};
  REQUIRE(a.add_contribution(c).ok());
  CHECK(a.data_version().value() == *v0);  // its own write
  c.text = "theirs";
  REQUIRE(b.value().add_contribution(c).ok());
  const auto v1 = a.data_version();
  REQUIRE(v1.ok());
  CHECK(*v1 != *v0);  // the other connection's commit
  CHECK(a.data_version().value() == *v1);
}

TEST_CASE("records: commits and meetings are idempotent; import_batch is exactly once") {
  auto dir = test::fresh_dir("store/records");
  auto s = open_new(dir / "store.db");
  records::CommitRecord c{"repo", "abc", 1700000000, 0, 10, 2, 1, true, "Claude", std::nullopt};
  REQUIRE(s.add_commits(std::vector{c, c}).ok());
  CHECK(s.commits(0, 2000000000)->size() == 1);
  records::MeetingRecord m{"uid1", 1700000000, 1700001800, 0, 2, false, true};
  REQUIRE(s.add_meetings(std::vector{m}).ok());
  m.end = 1700003600;
  REQUIRE(s.add_meetings(std::vector{m}).ok());
  CHECK(s.meetings(0, 2000000000)->at(0).end == 1700003600);

  records::ActivitySpan span{1700000000, 1700000600, 0, false, "code", "development", std::nullopt};
  auto add = [&](Store& st) -> Status { return st.add_spans(std::vector{span}); };
  REQUIRE(s.import_batch("b1", add).ok());
  REQUIRE(s.import_batch("b1", add).ok());
  CHECK(s.spans(0, 2000000000)->size() == 1);
  CHECK(s.batch_imported("b1").value());
  // A failing batch leaves no trace, and can be imported later.
  auto bad = [&](Store& st) -> Status {
    CAIRN_TRY(st.add_spans(std::vector{span}));
    return make_error(Errc::corrupt, "boom");
  };
  CHECK_FALSE(s.import_batch("b2", bad).ok());
  CHECK_FALSE(s.batch_imported("b2").value());
  CHECK(s.spans(0, 2000000000)->size() == 1);
  // Rollups are rebuilt for the touched day.
  REQUIRE(s.rebuild_dirty_rollups().ok());
  auto day = local_day(1700000000, 0);
  auto r = s.rollups(day, day).value();
  REQUIRE(r.size() == 1);
  CHECK(r[0].active_seconds == 600);
  CHECK(r[0].commits == 1);
}

TEST_CASE("deleting a source's data removes its records and logs it") {
  auto dir = test::fresh_dir("store/delete");
  auto s = open_new(dir / "store.db");
  REQUIRE(s.add_spans(std::vector{records::ActivitySpan{1700000000, 1700000600, 0, false, "code", "development", "secret title"}}).ok());
  REQUIRE(s.delete_source_data(records::Source::activity_titles, 1).ok());
  CHECK_FALSE(s.spans(0, 2000000000)->at(0).title.has_value());
  REQUIRE(s.delete_source_data(records::Source::activity, 2).ok());
  CHECK(s.spans(0, 2000000000)->empty());
  auto log = s.consent_log().value();
  REQUIRE(log.size() == 2);
  CHECK(log[1].action == "delete-data");
}
