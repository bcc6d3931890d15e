// A full disk that SQLCipher itself sees: a small tmpfs (mounting needs root; the test says so and
// skips otherwise). The import fails with a clear error, no batch is lost (their files stay in
// the inbox until a commit holds them), nothing is half-imported, and once space is back the next
// import brings everything in exactly once.
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>

#include "cairn/import/import.hpp"
#include "fault_support.hpp"
#include "temp_dir.hpp"

using namespace cairn;
using namespace cairn::test;

namespace {
struct Tmpfs {
  explicit Tmpfs(const std::filesystem::path& dir) : dir(dir) {
    mounted = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=3m,mode=0700") == 0;
  }
  ~Tmpfs() {
    if (mounted) ::umount2(dir.c_str(), MNT_DETACH);
  }
  std::filesystem::path dir;
  bool mounted = false;
};

// Fills the file system that holds dir until a write fails; returns the filler's path.
std::filesystem::path fill(const std::filesystem::path& dir) {
  auto filler = dir / "filler";
  std::ofstream f(filler, std::ios::binary);
  std::string block(4096, 'x');
  while (f.write(block.data(), static_cast<std::streamsize>(block.size())) && f.flush()) {
  }
  return filler;
}
}  // namespace

TEST_CASE("store on a full disk: a clear error, nothing lost or half-imported, the next import recovers") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: mounting a small tmpfs for a real full disk needs root");
    return;
  }
  auto dir = fresh_dir("fault/store-full");
  Tmpfs fs_mount(dir);
  if (!fs_mount.mounted) {
    MESSAGE("skipped: this machine does not allow mounting a tmpfs here");
    return;
  }
  Device d(dir / "home");
  const auto t0 = wall_now() - 20 * 3600;
  const auto pub = d.keys->inbox_keys().public_key;
  REQUIRE(inbox::write_batch(d.paths.inbox(), d.batch(100, t0), pub).ok());
  REQUIRE(import::import_inbox(*d.store, d.paths, *d.keys, nullptr).ok());  // what is already safe
  for (int i = 0; i < 4; ++i) REQUIRE(inbox::write_batch(d.paths.inbox(), d.batch(3000, t0 + 3600 + i * 30000), pub).ok());
  const auto pending = inbox::pending_batches(d.paths.inbox());
  auto filler = fill(dir);

  auto r = import::import_inbox(*d.store, d.paths, *d.keys, nullptr);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::io);
  CHECK(r.error().message.find('\n') == std::string::npos);
  MESSAGE("the error a person sees: " << r.error().message);
  CHECK(inbox::pending_batches(d.paths.inbox()) == pending);  // nothing lost
  CHECK(d.store->counts()->spans == 100);                       // nothing half-imported

  std::filesystem::remove(filler);
  // A new process, as after a restart: the store opens and the next import recovers everything.
  d.store.reset();
  d.store.emplace(std::move(store::Store::open(d.paths.store(), d.keys->store_key(), store::Store::Mode::open_existing).value()));
  REQUIRE(d.store->verify().ok());
  CHECK(d.store->counts()->spans == 100);
  auto again = import::import_inbox(*d.store, d.paths, *d.keys, nullptr);
  REQUIRE(again.ok());
  CHECK(again->batches == 4);
  CHECK(d.store->counts()->spans == 100 + 4 * 3000);
  CHECK(inbox::pending_batches(d.paths.inbox()).empty());
  d.store.reset();
}
