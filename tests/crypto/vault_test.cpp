// Vault tests: create, unlock by passphrase and by recovery code, passphrase change, and the
// documented error for every damaged byte of the file.
#include <doctest/doctest.h>

#include <filesystem>

#include "cairn/base/files.hpp"
#include "cairn/crypto/vault.hpp"

using namespace cairn;
using namespace cairn::crypto;
namespace stdfs = std::filesystem;

namespace {
stdfs::path fresh_dir(const char* name) {
  stdfs::path d = stdfs::path(CAIRN_BINARY_DIR) / "test-tmp" / "crypto" / name;
  stdfs::remove_all(d);
  REQUIRE(fs::ensure_private_dir(d).ok());
  return d;
}
SecretBytes pass(const char* s) { return SecretBytes::from(std::string_view(s)); }
}  // namespace

TEST_CASE("vault: create, unlock, wrong passphrase, recovery, change passphrase") {
  REQUIRE(init().ok());
  auto dir = fresh_dir("vault_roundtrip");
  auto path = dir / "vault";
  auto created = vault_create(path, pass("first passphrase"), PwhashParams::minimum(), 1700000000);
  REQUIRE(created.ok());
  CHECK(created->recovery_code.size() == 39);
  CHECK((stdfs::status(path).permissions() & stdfs::perms::all) == (stdfs::perms::owner_read | stdfs::perms::owner_write));

  auto pub = vault_read_public(path).value();
  CHECK(pub.inbox_public_key == created->keys.inbox_keys().public_key);
  CHECK(pub.device_public_key == created->keys.device_keys().public_key);
  CHECK(pub.created == 1700000000);

  auto unlocked = vault_unlock(path, pass("first passphrase"));
  REQUIRE(unlocked.ok());
  CHECK(unlocked->store_key().equals(created->keys.store_key()));
  CHECK(vault_unlock(path, pass("first passphrasE")).error().code == Errc::wrong_secret);
  CHECK(vault_unlock(path, pass("")).error().code == Errc::wrong_secret);

  // Recovery code, typed in lower case with spaces instead of dashes.
  std::string typed(created->recovery_code.view());
  for (auto& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto recovered = vault_unlock_recovery(path, SecretBytes::from(std::string_view(typed)));
  REQUIRE(recovered.ok());
  CHECK(recovered->store_key().equals(created->keys.store_key()));
  CHECK(vault_unlock_recovery(path, pass("0000-0000-0000-0000-0000-0000-0000-0000")).error().code == Errc::wrong_secret);
  CHECK(vault_unlock_recovery(path, pass("short")).error().code == Errc::wrong_secret);

  // Change the passphrase: the master key (hence the store key) stays, the old passphrase stops
  // working, the recovery code keeps working.
  REQUIRE(vault_change_passphrase(path, *recovered, pass("second passphrase")).ok());
  CHECK(vault_unlock(path, pass("first passphrase")).error().code == Errc::wrong_secret);
  CHECK(vault_unlock(path, pass("second passphrase"))->store_key().equals(created->keys.store_key()));
  CHECK(vault_unlock_recovery(path, created->recovery_code).ok());

  CHECK(vault_create(path, pass("again"), PwhashParams::minimum(), 0).error().code == Errc::exists);
  CHECK(vault_create(dir / "v2", pass(""), PwhashParams::minimum(), 0).error().code == Errc::usage);
  CHECK(vault_unlock(dir / "missing", pass("x")).error().code == Errc::not_found);
}

TEST_CASE("vault: every flipped byte and every truncation is reported as corrupt") {
  REQUIRE(init().ok());
  auto dir = fresh_dir("vault_flip");
  auto path = dir / "vault";
  REQUIRE(vault_create(path, pass("p"), PwhashParams::minimum(), 1).ok());
  auto good = fs::read_file(path, kVaultMaxBytes).value();
  for (std::size_t at = 0; at < good.size(); ++at) {
    auto bad = good;
    bad[at] ^= 0x10;
    REQUIRE(fs::write_file_atomic(path, bad).ok());
    auto r = vault_unlock(path, pass("p"));
    INFO("byte " << at);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::corrupt);
  }
  for (std::size_t len : {0u, 8u, 100u, 307u}) {
    REQUIRE(fs::write_file_atomic(path, std::span(good.data(), len)).ok());
    CHECK(vault_unlock(path, pass("p")).error().code == Errc::corrupt);
  }
  auto longer = good;
  longer.push_back(0);
  REQUIRE(fs::write_file_atomic(path, longer).ok());
  CHECK(vault_unlock(path, pass("p")).error().code == Errc::corrupt);
  REQUIRE(fs::write_file_atomic(path, good).ok());
  CHECK(vault_unlock(path, pass("p")).ok());
}

TEST_CASE("vault: default parameters are MODERATE unless the test-only variable is set") {
  REQUIRE(init().ok());
  ::unsetenv("CAIRN_INSECURE_FAST_KDF");
  CHECK(default_vault_params().memlimit == PwhashParams::moderate().memlimit);
  CHECK_FALSE(is_weak(default_vault_params()));
  ::setenv("CAIRN_INSECURE_FAST_KDF", "1", 1);
  CHECK(is_weak(default_vault_params()));
  ::unsetenv("CAIRN_INSECURE_FAST_KDF");
}
