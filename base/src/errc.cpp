// Names of the error codes, for messages and JSON.
#include "cairn/base/result.hpp"

namespace cairn {

const char* errc_name(Errc code) {
  switch (code) {
    case Errc::usage: return "usage";
    case Errc::wrong_secret: return "wrong-secret";
    case Errc::corrupt: return "corrupt";
    case Errc::io: return "io";
    case Errc::not_found: return "not-found";
    case Errc::exists: return "exists";
    case Errc::refused: return "refused";
    case Errc::too_large: return "too-large";
    case Errc::network: return "network";
    case Errc::internal: return "internal";
  }
  return "unknown";
}

}  // namespace cairn
