// The one map from Errc to a program's exit status: see exit_codes.hpp.
#include "cairn/base/exit_codes.hpp"

namespace cairn {

int exit_code_for(Errc code) {
  switch (code) {
    case Errc::usage: return kUsage;
    case Errc::wrong_secret: return kWrongSecret;
    case Errc::corrupt: return kCorrupt;
    case Errc::not_found: return kNotSetUp;
    case Errc::refused: return kRefused;
    case Errc::too_large: return kUsage;
    case Errc::exists:
    case Errc::io:
    case Errc::network:
    case Errc::internal: return kFailure;
  }
  return kFailure;
}

}  // namespace cairn
