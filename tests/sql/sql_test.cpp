// cairn_sql: a wrong key and a damaged file are refused with Errc::corrupt, a failed transaction
// changes nothing, blobs round-trip byte for byte, cached statements are reset between uses.
#include <doctest/doctest.h>

#include <fstream>

#include "cairn/crypto/sodium.hpp"
#include "cairn/sql/sql.hpp"
#include "temp_dir.hpp"

using namespace cairn;

namespace {
crypto::SecretBytes key(std::uint8_t fill) {
  REQUIRE(crypto::init().ok());
  crypto::SecretBytes k(32);
  for (auto& b : k.bytes()) b = fill;
  return k;
}

Result<sql::Db> open_keyed(const std::filesystem::path& p, std::uint8_t fill, bool create) {
  auto db = CAIRN_TRY(sql::Db::open(p, {.create = create, .label = "the test database"}));
  CAIRN_TRY(db.key(key(fill)));
  CAIRN_TRY(sql::apply_pragmas(db, {}));
  return db;
}

sql::Db make_table(const std::filesystem::path& p) {
  auto db = open_keyed(p, 1, true);
  REQUIRE(db.ok());
  REQUIRE(db->exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)").ok());
  return std::move(db).value();
}
}  // namespace

TEST_CASE("a wrong key is refused as corrupt") {
  auto path = test::fresh_dir("sql/key") / "k.db";
  make_table(path);
  auto wrong = open_keyed(path, 2, false);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == Errc::corrupt);
  CHECK(wrong.error().message.find("the test database") != std::string::npos);
  auto right = open_keyed(path, 1, false);
  REQUIRE(right.ok());
  CHECK(*right->scalar("SELECT count(*) FROM t") == 0);
}

TEST_CASE("a missing file without create is not_found; a short key is refused") {
  auto dir = test::fresh_dir("sql/missing");
  auto none = sql::Db::open(dir / "none.db", {});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == Errc::not_found);
  auto db = sql::Db::open(dir / "short.db", {.create = true});
  REQUIRE(db.ok());
  crypto::SecretBytes k(16);
  CHECK(db->key(k).error().code == Errc::internal);
}

TEST_CASE("a failed transaction rolls back and a constraint maps to exists") {
  auto db = make_table(test::fresh_dir("sql/tx") / "t.db");
  auto failed = sql::transaction(db, [&]() -> Status {
    CAIRN_TRY(db.exec("INSERT INTO t(k, v) VALUES (1, x'00')"));
    return make_error(Errc::refused, "no");
  });
  CHECK(failed.error().code == Errc::refused);
  CHECK(*db.scalar("SELECT count(*) FROM t") == 0);

  REQUIRE(sql::transaction(db, [&]() -> Status { return db.exec("INSERT INTO t(k, v) VALUES (1, x'00')"); }).ok());
  auto dup = sql::transaction(db, [&]() -> Status {
    CAIRN_TRY(db.exec("INSERT INTO t(k, v) VALUES (2, x'00')"));
    return db.exec("INSERT INTO t(k, v) VALUES (1, x'00')");
  });
  CHECK(dup.error().code == Errc::exists);
  CHECK(*db.scalar("SELECT count(*) FROM t") == 1);
  // The connection is usable again: no transaction was left open.
  CHECK(db.exec("BEGIN IMMEDIATE; COMMIT;").ok());
}

TEST_CASE("a blob round-trips byte for byte, NULs and all") {
  auto db = make_table(test::fresh_dir("sql/blob") / "b.db");
  const std::vector<std::uint8_t> bytes{0, 1, 2, 0, 255, 128, 0};
  auto ins = db.prepare("INSERT INTO t(k, v) VALUES (?, ?)");
  REQUIRE(ins.ok());
  REQUIRE(ins->bind(1, 7).bind_blob(2, bytes).run().ok());
  REQUIRE(ins->bind(1, 8).bind_blob(2, sql::as_bytes(std::string("a\0b", 3))).run().ok());
  auto sel = db.prepare("SELECT v FROM t ORDER BY k");
  REQUIRE(sel.ok());
  REQUIRE(*sel->step());
  CHECK(sel->type(0) == SQLITE_BLOB);
  CHECK(sel->blob(0) == bytes);
  REQUIRE(*sel->step());
  CHECK(sel->blob(0) == std::vector<std::uint8_t>{'a', 0, 'b'});
  CHECK_FALSE(*sel->step());
}

TEST_CASE("a cached statement is the same one, reset and unbound on every use") {
  auto db = make_table(test::fresh_dir("sql/cache") / "c.db");
  REQUIRE(db.exec("INSERT INTO t(k, v) VALUES (1, x'01'), (2, x'02')").ok());
  const char* q = "SELECT k FROM t WHERE k >= ? ORDER BY k";
  sql::Stmt* first = nullptr;
  {
    sql::CachedScope scope(db);
    first = *db.cached(q);
    first->bind(1, 1);
    REQUIRE(*first->step());
    CHECK(first->i64(0) == 1);  // left mid-result on purpose
  }
  // The scope reset it, so a writer is not blocked by a read snapshot left open.
  CHECK(db.exec("INSERT INTO t(k, v) VALUES (3, x'03')").ok());
  auto again = db.cached(q);
  REQUIRE(again.ok());
  CHECK(*again == first);
  // Unbound: the parameter is NULL, and k >= NULL matches nothing.
  CHECK_FALSE(*(*again)->step());
  auto third = db.cached(q);
  REQUIRE(third.ok());
  (*third)->bind(1, 2);
  REQUIRE(*(*third)->step());
  CHECK((*third)->i64(0) == 2);
  db.reset_cached();
}

TEST_CASE("a damaged file is refused as corrupt") {
  auto path = test::fresh_dir("sql/corrupt") / "d.db";
  {
    auto db = make_table(path);
    REQUIRE(db.exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  }
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    const std::string junk(64, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto db = open_keyed(path, 1, false);
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code == Errc::corrupt);
}

TEST_CASE("the pragmas are the ones asked for") {
  auto db = make_table(test::fresh_dir("sql/pragmas") / "p.db");
  CHECK(*db.scalar_text("PRAGMA journal_mode") == "wal");
  CHECK(*db.scalar("PRAGMA temp_store") == 2);     // MEMORY
  CHECK(*db.scalar("PRAGMA secure_delete") == 1);
  CHECK(*db.scalar("PRAGMA synchronous") == 1);    // NORMAL
  CHECK(*db.scalar("PRAGMA foreign_keys") == 0);
}
