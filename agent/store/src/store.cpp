// Opening the store: keying, the cipher settings shared by SQLCipher 3.4 and 4.x, the pragmas that
// keep plaintext off the disk, and migrations.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "cairn/base/clock.hpp"
#include "cairn/base/files.hpp"
#include "cairn/base/plausible.hpp"
#include "impl.hpp"

namespace cairn::store {
namespace {

// SQLite creates -wal and -shm with the database file's mode, so the file is created 0600 first.
Status precreate_private(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(Errc::io, "cannot create " + path.string() + ": " + std::strerror(errno));
  ::fchmod(fd, 0600);
  ::close(fd);
  return ok_status();
}

// WAL, secure_delete and temp_store in memory (see cairn/sql/sql.hpp); auto_vacuum = FULL returns
// freed pages to the file system at each commit, so no stale pages linger in the file and every
// page left is one that integrity_check reads (cairn verify). It only takes effect on a database
// without tables, i.e. when the store is created.
constexpr sql::Pragmas kPragmas{.synchronous = "NORMAL", .auto_vacuum_full = true, .foreign_keys = true};
constexpr sql::OpenOptions open_options(bool create) { return {.create = create, .serialized = false, .label = "the store"}; }

}  // namespace

void Store::Impl::touch(std::int64_t instant, std::int32_t offset, std::int64_t end_instant) {
  // A forged instant near the int64 limits must not overflow the day arithmetic.
  constexpr std::int64_t kBound = std::int64_t{1} << 62;
  instant = std::clamp(instant, -kBound, kBound);
  end_instant = std::clamp(end_instant, -kBound, kBound);
  std::int64_t a = local_day(instant, offset);
  std::int64_t b = local_day(end_instant > instant ? end_instant - 1 : instant, offset);
  if (a < touched_min) touched_min = a;
  if (b > touched_max) touched_max = b;
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

int Store::schema_version() const { return impl_->schema_version; }
std::string Store::cipher_version() const { return impl_->cipher_version; }
Result<std::int64_t> Store::data_version() const { return impl_->db.scalar("PRAGMA data_version"); }

Result<Store> Store::open(const std::filesystem::path& path, const crypto::SecretBytes& key, Mode mode) {
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (!exists && mode == Mode::open_existing)
    return make_error(Errc::not_found, "no store at " + path.string() + " (run `cairn init` first)");
  if (!exists) {
    CAIRN_TRY(fs::ensure_private_dir(path.parent_path()));
    CAIRN_TRY(precreate_private(path));
  }
  auto impl = std::make_unique<Impl>();
  auto opened = sql::Db::open(path, open_options(mode == Mode::create));
  if (!opened.ok() && opened.error().code == Errc::not_found)
    return make_error(Errc::not_found, "no store at " + path.string() + " (run `cairn init` first)");
  impl->db = CAIRN_TRY(std::move(opened));
  // A wrong key or a damaged first page fails the keying's first read with SQLITE_NOTADB.
  auto keyed = impl->db.key(key);
  if (!keyed.ok()) {
    if (keyed.error().code == Errc::corrupt)
      return make_error(Errc::corrupt, "the store " + path.string() + " cannot be read: it is damaged or not this vault's");
    return keyed.error();
  }
  impl->cipher_version = CAIRN_TRY(impl->db.scalar_text("PRAGMA cipher_version"));
  CAIRN_TRY(sql::apply_pragmas(impl->db, kPragmas));
  CAIRN_TRY(migrate(impl->db, impl->schema_version));
  return Store(std::move(impl));
}

Result<Store> Store::open_unencrypted_for_benchmark(const std::filesystem::path& path) {
  CAIRN_TRY(fs::ensure_private_dir(path.parent_path()));
  CAIRN_TRY(precreate_private(path));
  auto impl = std::make_unique<Impl>();
  impl->db = CAIRN_TRY(sql::Db::open(path, open_options(true)));
  CAIRN_TRY(impl->db.exec("PRAGMA page_size = 4096"));
  CAIRN_TRY(sql::apply_pragmas(impl->db, kPragmas));
  CAIRN_TRY(migrate(impl->db, impl->schema_version));
  return Store(std::move(impl));
}

Status Store::import_batch(const std::string& batch_id, const std::function<Status(Store&)>& fn) {
  return import_batches({batch_id}, [&](Store& s, std::size_t) { return fn(s); });
}

Status Store::import_batches(const std::vector<std::string>& batch_ids,
                             const std::function<Status(Store&, std::size_t)>& fn) {
  return sql::transaction(impl_->db, [&]() -> Status {
    impl_->in_batch = true;
    impl_->reset_touched();
    Status st;
    for (std::size_t i = 0; i < batch_ids.size() && st.ok(); ++i) {
      auto seen = batch_imported(batch_ids[i]);
      if (!seen.ok()) st = seen.error();
      else if (*seen) continue;  // already imported: adds nothing
      if (st.ok()) st = fn(*this, i);
      if (st.ok()) {
        auto ins = impl_->cached("INSERT INTO imported_batches(batch_id, imported_at) VALUES (?, strftime('%s','now'))");
        st = ins.ok() ? (*ins)->bind(1, batch_ids[i]).run() : Status(ins.error());
      }
    }
    // Rollups are rebuilt once per import, not per batch: the touched days are recorded as dirty in
    // this same transaction, so a crash before the rebuild is repaired by the next one.
    if (st.ok() && impl_->touched_min <= impl_->touched_max) st = mark_rollups_dirty(impl_->touched_min, impl_->touched_max);
    impl_->in_batch = false;
    return st;  // a failure rolls back: none of these batches is recorded
  });
}

Status Store::mark_rollups_dirty(std::int64_t from_day, std::int64_t to_day) {
  auto cur = CAIRN_TRY(setting("rollups.dirty"));
  if (cur) {
    long long lo = 0, hi = 0;
    if (std::sscanf(cur->c_str(), "%lld %lld", &lo, &hi) == 2) {
      from_day = std::min<std::int64_t>(from_day, lo);
      to_day = std::max<std::int64_t>(to_day, hi);
    }
  }
  return set_setting("rollups.dirty", std::to_string(from_day) + " " + std::to_string(to_day));
}

Status Store::rebuild_dirty_rollups() {
  return in_transaction(*impl_, [&]() -> Status {
    auto cur = CAIRN_TRY(setting("rollups.dirty"));
    if (!cur) return ok_status();
    long long lo = 0, hi = 0;
    if (std::sscanf(cur->c_str(), "%lld %lld", &lo, &hi) == 2) {
      // Days outside the plausible window hold no rollups: a forged or damaged row cannot widen
      // the rebuild past what rebuild_rollups accepts and so cannot fail every unlock after it.
      const auto now = static_cast<Instant>(::time(nullptr));
      const std::int64_t first = local_day(plausible::kEarliest, 0) - 1, last = local_day(plausible::latest(now), 0) + 1;
      CAIRN_TRY(rebuild_rollups(std::max<std::int64_t>(lo, first), std::min<std::int64_t>(hi, last)));
    }
    auto del = CAIRN_TRY(impl_->db.prepare("DELETE FROM settings WHERE key = 'rollups.dirty'"));
    return del.run();
  });
}

Result<bool> Store::batch_imported(const std::string& batch_id) const {
  auto& st = *CAIRN_TRY(impl_->cached("SELECT 1 FROM imported_batches WHERE batch_id = ?"));
  st.bind(1, batch_id);
  bool found = CAIRN_TRY(st.step());
  st.reset();
  return found;
}

Status Store::set_setting(const std::string& key, const std::string& value) {
  return in_transaction(*impl_, [&]() -> Status {
    auto st = CAIRN_TRY(impl_->db.prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)"));
    return st.bind(1, key).bind(2, value).run();
  });
}

Result<std::optional<std::string>> Store::setting(const std::string& key) const {
  auto st = CAIRN_TRY(impl_->db.prepare("SELECT value FROM settings WHERE key = ?"));
  st.bind(1, key);
  if (!CAIRN_TRY(st.step())) return std::optional<std::string>();
  return std::optional<std::string>(st.text(0));
}

Status Store::verify() const {
  auto& db = const_cast<sql::Db&>(impl_->db);
  auto st = db.prepare("PRAGMA integrity_check");
  if (!st.ok()) return make_error(Errc::corrupt, "the store is damaged: " + st.error().message);
  auto row = st->step();
  if (!row.ok()) return make_error(Errc::corrupt, "the store is damaged: a page failed authentication");
  if (!*row || st->text(0) != "ok") return make_error(Errc::corrupt, "the store is damaged: its structure is inconsistent");
  return ok_status();
}

Result<Store::Counts> Store::counts() const {
  Counts c{};
  c.spans = CAIRN_TRY(impl_->db.scalar("SELECT count(*) FROM activity_spans"));
  c.commits = CAIRN_TRY(impl_->db.scalar("SELECT count(*) FROM commits"));
  c.meetings = CAIRN_TRY(impl_->db.scalar("SELECT count(*) FROM meetings"));
  c.contributions = CAIRN_TRY(impl_->db.scalar("SELECT count(*) FROM contributions"));
  c.goals = CAIRN_TRY(impl_->db.scalar("SELECT count(*) FROM goals"));
  c.reflections = CAIRN_TRY(impl_->db.scalar("SELECT count(*) FROM reflections"));
  return c;
}

}  // namespace cairn::store
