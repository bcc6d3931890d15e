// Keying a connection with SQLCipher's raw-key form and the cipher settings shared by SQLCipher
// 3.4 and 4.x; see sql.hpp. The hex literal is a secret too, so it lives in SecretBytes.
#include "cairn/sql/sql.hpp"

namespace cairn::sql {

Status Db::key(const crypto::SecretBytes& raw_key) {
  if (raw_key.size() != 32) return make_error(Errc::internal, std::string(label_) + ": the key must be 32 bytes");
  static const char digits[] = "0123456789abcdef";
  crypto::SecretBytes literal(3 + 64);
  auto* p = literal.data();
  p[0] = 'x';
  p[1] = '\'';
  for (std::size_t i = 0; i < 32; ++i) {
    p[2 + 2 * i] = static_cast<std::uint8_t>(digits[raw_key.data()[i] >> 4]);
    p[3 + 2 * i] = static_cast<std::uint8_t>(digits[raw_key.data()[i] & 15]);
  }
  p[66] = '\'';
  if (sqlite3_key(db_, literal.data(), static_cast<int>(literal.size())) != SQLITE_OK)
    return make_error(Errc::internal, "SQLCipher refused the key");
  const std::string version = CAIRN_TRY(scalar_text("PRAGMA cipher_version"));
  if (version.empty()) return make_error(Errc::internal, "this SQLite has no SQLCipher codec");
  // SQLCipher 4 reads and writes the 3.x format only when told; 3.4 does not know the pragma.
  if (version.rfind("4.", 0) == 0) CAIRN_TRY(exec("PRAGMA cipher_compatibility = 3"));
  CAIRN_TRY(exec("PRAGMA cipher_page_size = 4096"));
  // The first real read: a wrong key or a damaged first page fails here with SQLITE_NOTADB.
  CAIRN_TRY(scalar("SELECT count(*) FROM sqlite_master"));
  return {};
}

}  // namespace cairn::sql
