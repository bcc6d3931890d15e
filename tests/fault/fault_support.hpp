// Shared by the fault tests: a vault with its store in a directory, and the faults themselves.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>

#include "cairn/base/clock.hpp"
#include "cairn/base/files.hpp"
#include "cairn/base/paths.hpp"
#include "cairn/crypto/vault.hpp"
#include "cairn/inbox/batch.hpp"
#include "cairn/store/store.hpp"

namespace cairn::test {

inline std::int64_t wall_now() { return static_cast<std::int64_t>(std::time(nullptr)); }

struct Device {
  explicit Device(const std::filesystem::path& home) : paths{home, home / "config"} {
    REQUIRE(crypto::init().ok());
    REQUIRE(fs::ensure_private_dir(home).ok());
    auto v = crypto::vault_create(paths.vault(), crypto::SecretBytes::from(std::string_view("pw")),
                                  crypto::PwhashParams::minimum(), wall_now());
    REQUIRE(v.ok());
    store.emplace(std::move(store::Store::open(paths.store(), v->keys.store_key(), store::Store::Mode::create).value()));
    keys.emplace(std::move(v->keys));
  }
  inbox::Batch batch(int spans, std::int64_t t0) const {
    inbox::Batch b;
    b.id = inbox::new_batch_id();
    b.created = t0 + spans * 10;
    for (int i = 0; i < spans; ++i)
      b.spans.push_back({t0 + i * 10, t0 + i * 10 + 10, 0, false, "code", "development", std::nullopt});
    return b;
  }
  Paths paths;
  std::optional<store::Store> store;
  std::optional<crypto::UnlockedKeys> keys;
};

// Every fault the write path can meet; each clears itself at the end of the scope.
enum class Fault { after_n_bytes, disk_full, fsync_fails };
inline const char* fault_name(Fault f) {
  return f == Fault::after_n_bytes ? "write fails after N bytes" : f == Fault::disk_full ? "disk full" : "fsync fails";
}
struct Injected {
  Injected(Fault f, std::size_t n = 40) {
    if (f == Fault::after_n_bytes) fs::set_write_budget_for_tests(n);
    if (f == Fault::disk_full) fs::set_write_gate_for_tests([](std::size_t) { return false; });
    if (f == Fault::fsync_fails) fs::set_sync_gate_for_tests([] { return false; });
  }
  ~Injected() {
    fs::set_write_budget_for_tests(SIZE_MAX);
    fs::set_write_gate_for_tests(nullptr);
    fs::set_sync_gate_for_tests(nullptr);
  }
};

// Names of the regular files in dir (temporaries included), sorted.
inline std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec))
    if (e.is_regular_file()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace cairn::test
