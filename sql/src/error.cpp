// One mapping from SQLite result codes to cairn::Errc; see sql.hpp. Codes are compared, never the
// message text (SQLite's messages changed between versions).
#include "cairn/sql/sql.hpp"

namespace cairn::sql {

Error to_error(int rc, sqlite3* db, std::string_view label) {
  const std::string what(label);
  const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return make_error(Errc::corrupt, what + " is damaged or the key is wrong");
    case SQLITE_FULL:
      return make_error(Errc::io, what + ": the disk is full");
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return make_error(Errc::io, what + ": " + detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return make_error(Errc::io, what + " is in use by another Cairn process");
    case SQLITE_CONSTRAINT:
      return make_error(Errc::exists, what + ": already recorded (" + detail + ")");
    default:
      return make_error(Errc::internal, what + ": " + detail);
  }
}

}  // namespace cairn::sql
